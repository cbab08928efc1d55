//! Built-in styles (`--style NAME`, `-T NAME`): hg's stock
//! `map-cmdline.*` styles, each a set of named templates whose
//! `changeset` (with `_quiet`, `_verbose`, `_debug` variants) renders one
//! changeset. `default` is hg's hand-written printer (`display.rs`);
//! styles qs does not carry yet are refused with a clear message.

/// One stock style.
pub struct Style {
    pub name: &'static str,
    /// `(name, template)` pairs; `None` for styles not carried yet.
    pub templates: Option<&'static [(&'static str, &'static str)]>,
    /// Whether the style builds on the default style's templates.
    pub on_default: bool,
}

type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

fn owned(pairs: &[(&str, &str)]) -> Pairs {
    pairs
        .iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}

impl Style {
    /// The named templates (the default style's first when the style
    /// builds on it; later entries win).
    pub fn templates(&self) -> Pairs {
        let mut out = if self.on_default {
            owned(DEFAULT_MAP)
        } else {
            Vec::new()
        };
        out.extend(owned(self.templates.unwrap_or(&[])));
        out
    }

    /// The style's template aliases.
    pub fn aliases(&self) -> Pairs {
        if self.on_default {
            owned(DEFAULT_ALIASES)
        } else {
            Vec::new()
        }
    }
}

/// hg's default style as templates (what `phases` and `status` build on;
/// `-T default` itself uses the hand-written printer).
const DEFAULT_MAP: &[(&str, &str)] = &[
    (
        "changeset",
        r"{cset}{branches}{bookmarks}{tags}{parents}{luser}{ldate}{ltroubles}{lobsfate}{summary}\n",
    ),
    ("changeset_quiet", "{lnode}"),
    (
        "changeset_verbose",
        r"{cset}{branches}{bookmarks}{tags}{parents}{luser}{ldate}{ltroubles}{lobsfate}{lfiles}{lfile_copies_switch}{description}\n",
    ),
    (
        "changeset_debug",
        r"{fullcset}{branches}{bookmarks}{tags}{lphase}{parents}{manifest}{luser}{ldate}{ltroubles}{lobsfate}{lfile_mods}{lfile_adds}{lfile_dels}{lfile_copies_switch}{extras}{description}\n",
    ),
    (
        "lfiles",
        r#"{if(files, label("ui.note log.files", "files:       {files}\n"))}"#,
    ),
    (
        "lfile_mods",
        r#"{if(file_mods, label("ui.debug log.files", "files:       {file_mods}\n"))}"#,
    ),
    (
        "lfile_adds",
        r#"{if(file_adds, label("ui.debug log.files", "files+:      {file_adds}\n"))}"#,
    ),
    (
        "lfile_dels",
        r#"{if(file_dels, label("ui.debug log.files", "files-:      {file_dels}\n"))}"#,
    ),
    (
        "lfile_copies_switch",
        r#"{if(file_copies_switch, label("ui.note log.copies", "copies:     {file_copies_switch % ' {name} ({source})'}\n"))}"#,
    ),
    (
        "cset",
        r#"{labelcset("changeset:   {rev}:{node|short}")}\n"#,
    ),
    ("fullcset", r#"{labelcset("changeset:   {rev}:{node}")}\n"#),
    (
        "lphase",
        r#"{label("log.phase", "phase:       {phase}")}\n"#,
    ),
    (
        "parent",
        r#"{label("log.parent changeset.{phase}", "parent:      {rev}:{node|formatnode}")}\n"#,
    ),
    ("lnode", r#"{label("log.node", "{rev}:{node|short}")}\n"#),
    (
        "manifest",
        r#"{label("ui.debug log.manifest", "manifest:    {rev}:{node}")}\n"#,
    ),
    (
        "branch",
        r#"{label("log.branch", "branch:      {branch}")}\n"#,
    ),
    ("tag", r#"{label("log.tag", "tag:         {tag}")}\n"#),
    (
        "bookmark",
        r#"{label("log.bookmark", "bookmark:    {bookmark}")}\n"#,
    ),
    ("luser", r#"{label("log.user", "user:        {author}")}\n"#),
    (
        "summary",
        r#"{if(desc|strip, "{label('log.summary', 'summary:     {desc|firstline}')}\n")}"#,
    ),
    (
        "ldate",
        r#"{label("log.date", "date:        {date|date}")}\n"#,
    ),
    (
        "ltroubles",
        r#"{if(instabilities, "{label('log.instability', 'instability: {join(instabilities, ", ")}')}\n")}"#,
    ),
    (
        "extra",
        r#"{label("ui.debug log.extra", "extra:       {key}={value|stringescape}")}\n"#,
    ),
    (
        "description",
        r#"{if(desc|strip, "{label('ui.note log.description', 'description:')}
{label('ui.note log.description', '{desc|strip}')}\n\n")}"#,
    ),
    (
        "lobsfate",
        r#"{if(obsfate, "{label('log.obsfate', '{obsfate % "obsolete:    {fate}\n"}')}")}"#,
    ),
];

const DEFAULT_ALIASES: &[(&str, &str)] = &[(
    "labelcset(expr)",
    r#"label(separate(" ", "log.changeset", "changeset.{phase}", if(obsolete, "changeset.obsolete"), if(instabilities, "changeset.unstable"), join(instabilities % "instability.{instability}", " ")), expr)"#,
)];

/// `phases`: the default style with each changeset's phase.
const PHASES: &[(&str, &str)] = &[
    (
        "changeset",
        r"{cset}{branches}{bookmarks}{tags}{lphase}{parents}{luser}{ldate}{summary}\n",
    ),
    (
        "changeset_verbose",
        r"{cset}{branches}{bookmarks}{tags}{lphase}{parents}{luser}{ldate}{lfiles}{lfile_copies_switch}{description}\n",
    ),
];

/// `status`: the default style with files listed as `status` does.
const STATUS: &[(&str, &str)] = &[
    (
        "changeset",
        r"{cset}{branches}{bookmarks}{tags}{parents}{luser}{ldate}{summary}{lfiles}\n",
    ),
    (
        "changeset_verbose",
        r"{cset}{branches}{bookmarks}{tags}{parents}{luser}{ldate}{description}{lfiles}\n",
    ),
    (
        "changeset_debug",
        r"{fullcset}{branches}{bookmarks}{tags}{lphase}{parents}{manifest}{luser}{ldate}{extras}{description}{lfiles}\n",
    ),
    (
        "lfiles",
        r#"{if(files, label("ui.note log.files", "files:\n"))}{lfile_mods}{lfile_adds}{lfile_dels}"#,
    ),
    ("lfile_adds", r#"{file_adds % "{lfile_add}{lfile_src}"}"#),
    ("lfile_mods", r#"{file_mods % "{lfile_mod}{lfile_src}"}"#),
    ("lfile_add", r#"{label("status.added", "A {file}\n")}"#),
    ("lfile_mod", r#"{label("status.modified", "M {file}\n")}"#),
    (
        "lfile_src",
        r#"{ifcontains(file, file_copies_switch, label("status.copied", "  {get(file_copies_switch, file)}\n"))}"#,
    ),
    (
        "lfile_dels",
        r#"{file_dels % "{label('status.removed', 'R {file}\n')}"}"#,
    ),
];

/// The style names hg lists for `-T list`.
pub const NAMES: &[&str] = &[
    "bisect",
    "changelog",
    "compact",
    "default",
    "phases",
    "show",
    "status",
    "xml",
];

/// `bisect`: the default style with each changeset's bisection status.
const BISECT: &[(&str, &str)] = &[
    (
        "changeset",
        r"{cset}{lbisect}{branches}{bookmarks}{tags}{parents}{luser}{ldate}{summary}\n",
    ),
    ("changeset_quiet", r"{lshortbisect} {rev}:{node|short}\n"),
    (
        "changeset_verbose",
        r"{cset}{lbisect}{branches}{bookmarks}{tags}{parents}{luser}{ldate}{lfiles}{lfile_copies_switch}{description}\n",
    ),
    (
        "changeset_debug",
        r"{fullcset}{lbisect}{branches}{bookmarks}{tags}{lphase}{parents}{manifest}{luser}{ldate}{lfile_mods}{lfile_adds}{lfile_dels}{lfile_copies_switch}{extras}{description}\n",
    ),
    ("bisectlabel", " bisect.{word('0', bisect)}"),
    (
        "lbisect",
        r#"{label("log.bisect{if(bisect, bisectlabel)}", "bisect:      {bisect}\n")}"#,
    ),
    (
        "lshortbisect",
        r#"{label("log.bisect{if(bisect, bisectlabel)}", "{bisect|shortbisect}")}"#,
    ),
];

/// `compact`: one header line per changeset (revision, tags, bookmarks,
/// parents, node, date, user) and the indented summary.
const COMPACT: &[(&str, &str)] = &[
    (
        "changeset",
        "{lrev}{tags}{bookmarks}{parents}   {lnode}   {ldate}   {luser}\n  {ldescfirst}\n\n",
    ),
    ("changeset_quiet", "{lrev}:{lnode}\n"),
    (
        "changeset_verbose",
        "{lrev}{tags}{parents}   {lnode}   {ldate}   {lauthor}\n  {ldesc}\n\n",
    ),
    (
        "lrev",
        "{label(\"log.changeset changeset.{phase}\", \"{rev}\")}",
    ),
    ("lnode", "{label(\"log.node\", \"{node|short}\")}"),
    ("ldate", "{label(\"log.date\", \"{date|isodate}\")}"),
    ("luser", "{label(\"log.user\", \"{author|user}\")}"),
    ("lauthor", "{label(\"log.user\", \"{author}\")}"),
    (
        "ldesc",
        "{label('ui.note log.description', '{desc|strip}')}",
    ),
    (
        "ldescfirst",
        "{label('ui.note log.description', '{desc|firstline|strip}')}",
    ),
    ("start_tags", "["),
    ("tag", "{label(\"log.tag\", \"{tag},\")}"),
    ("last_tag", "{tag}]"),
    ("start_bookmarks", "["),
    ("bookmark", "{label(\"log.bookmark\", \"{bookmark},\")}"),
    ("last_bookmark", "{bookmark}]"),
    ("start_parents", ":"),
    ("parent", "{lrev},"),
    ("last_parent", "{lrev}"),
];

/// `changelog`: GNU ChangeLog-like entries grouped under date/author
/// headers.
const CHANGELOG: &[(&str, &str)] = &[
    (
        "header",
        r"{date|shortdate}  {author|person}  <{author|email}>\n\n",
    ),
    ("header_verbose", ""),
    (
        "changeset",
        r"\t* {files|stringify|fill68|tabindent}{desc|fill68|tabindent|strip}\n\t[{node|short}]{tags}{branches}\n\n",
    ),
    (
        "changeset_quiet",
        r"\t* {desc|firstline|fill68|tabindent|strip}\n\n",
    ),
    (
        "changeset_verbose",
        r"{date|isodate}  {author|person}  <{author|email}>  ({node|short}{tags}{branches})\n\n\t* {file_adds|stringify|fill68|tabindent}{file_dels|stringify|fill68|tabindent}{files|stringify|fill68|tabindent}{desc|fill68|tabindent|strip}\n\n",
    ),
    ("start_tags", " ["),
    ("tag", "{tag}, "),
    ("last_tag", "{tag}]"),
    ("start_branches", " <"),
    ("branch", "{branch}, "),
    ("last_branch", "{branch}>"),
    ("file", "{file}, "),
    ("last_file", r"{file}:\n\t"),
    ("file_add", "{file_add}, "),
    ("last_file_add", r"{file_add}: new file.\n* "),
    ("file_del", "{file_del}, "),
    ("last_file_del", r"{file_del}: deleted file.\n* "),
];

/// `xml`: one `<logentry>` per changeset inside `<log>`.
const XML: &[(&str, &str)] = &[
    ("docheader", r#"<?xml version="1.0"?>\n<log>\n"#),
    ("docfooter", r"</log>\n"),
    (
        "changeset",
        r#"<logentry revision="{rev}" node="{node}">\n{branches}{bookmarks}{tags}{parents}<author email="{author|email|xmlescape}">{author|person|xmlescape}</author>\n<date>{date|rfc3339date}</date>\n<msg xml:space="preserve">{desc|xmlescape}</msg>\n</logentry>\n"#,
    ),
    (
        "changeset_verbose",
        r#"<logentry revision="{rev}" node="{node}">\n{branches}{bookmarks}{tags}{parents}<author email="{author|email|xmlescape}">{author|person|xmlescape}</author>\n<date>{date|rfc3339date}</date>\n<msg xml:space="preserve">{desc|xmlescape}</msg>\n<paths>\n{file_adds}{file_dels}{file_mods}</paths>\n{file_copies}</logentry>\n"#,
    ),
    (
        "changeset_debug",
        r#"<logentry revision="{rev}" node="{node}">\n{branches}{bookmarks}{tags}{parents}<author email="{author|email|xmlescape}">{author|person|xmlescape}</author>\n<date>{date|rfc3339date}</date>\n<msg xml:space="preserve">{desc|xmlescape}</msg>\n<paths>\n{file_adds}{file_dels}{file_mods}</paths>\n{file_copies}{extras}</logentry>\n"#,
    ),
    (
        "file_add",
        r#"<path action="A">{file_add|xmlescape}</path>\n"#,
    ),
    (
        "file_mod",
        r#"<path action="M">{file_mod|xmlescape}</path>\n"#,
    ),
    (
        "file_del",
        r#"<path action="R">{file_del|xmlescape}</path>\n"#,
    ),
    ("start_file_copies", r"<copies>\n"),
    (
        "file_copy",
        r#"<copy source="{source|xmlescape}">{name|xmlescape}</copy>\n"#,
    ),
    ("end_file_copies", r"</copies>\n"),
    ("parent", r#"<parent revision="{rev}" node="{node}" />\n"#),
    ("branch", r"<branch>{branch|xmlescape}</branch>\n"),
    ("tag", r"<tag>{tag|xmlescape}</tag>\n"),
    ("bookmark", r"<bookmark>{bookmark|xmlescape}</bookmark>\n"),
    (
        "extra",
        r#"<extra key="{key|xmlescape}">{value|xmlescape}</extra>\n"#,
    ),
];

static STYLES: &[Style] = &[
    Style {
        name: "bisect",
        templates: Some(BISECT),
        on_default: true,
    },
    Style {
        name: "changelog",
        templates: Some(CHANGELOG),
        on_default: false,
    },
    Style {
        name: "compact",
        templates: Some(COMPACT),
        on_default: false,
    },
    Style {
        name: "default",
        templates: Some(&[]),
        on_default: true,
    },
    Style {
        name: "phases",
        templates: Some(PHASES),
        on_default: true,
    },
    Style {
        name: "show",
        templates: None,
        on_default: false,
    },
    Style {
        name: "status",
        templates: Some(STATUS),
        on_default: true,
    },
    Style {
        name: "xml",
        templates: Some(XML),
        on_default: false,
    },
];

/// The stock style called `name` (also as `map-cmdline.NAME`).
pub fn find(name: &[u8]) -> Option<&'static Style> {
    let name = name.strip_prefix(b"map-cmdline.").unwrap_or(name);
    STYLES.iter().find(|s| s.name.as_bytes() == name)
}
