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
}

impl Style {
    /// The named templates, owned.
    pub fn templates(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.templates
            .unwrap_or(&[])
            .iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect()
    }
}

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

/// `compact`: one header line per changeset (revision, tags, bookmarks,
/// parents, node, date, user) and the indented summary.
const COMPACT: &[(&str, &str)] = &[
    ("changeset", "{lrev}{tags}{bookmarks}{parents}   {lnode}   {ldate}   {luser}\n  {ldescfirst}\n\n"),
    ("changeset_quiet", "{lrev}:{lnode}\n"),
    ("changeset_verbose", "{lrev}{tags}{parents}   {lnode}   {ldate}   {lauthor}\n  {ldesc}\n\n"),
    ("lrev", "{label(\"log.changeset changeset.{phase}\", \"{rev}\")}"),
    ("lnode", "{label(\"log.node\", \"{node|short}\")}"),
    ("ldate", "{label(\"log.date\", \"{date|isodate}\")}"),
    ("luser", "{label(\"log.user\", \"{author|user}\")}"),
    ("lauthor", "{label(\"log.user\", \"{author}\")}"),
    ("ldesc", "{label('ui.note log.description', '{desc|strip}')}"),
    ("ldescfirst", "{label('ui.note log.description', '{desc|firstline|strip}')}"),
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

static STYLES: &[Style] = &[
    Style {
        name: "bisect",
        templates: None,
    },
    Style {
        name: "changelog",
        templates: None,
    },
    Style {
        name: "compact",
        templates: Some(COMPACT),
    },
    Style {
        name: "default",
        templates: Some(&[]),
    },
    Style {
        name: "phases",
        templates: None,
    },
    Style {
        name: "show",
        templates: None,
    },
    Style {
        name: "status",
        templates: None,
    },
    Style {
        name: "xml",
        templates: None,
    },
];

/// The stock style called `name` (also as `map-cmdline.NAME`).
pub fn find(name: &[u8]) -> Option<&'static Style> {
    let name = name.strip_prefix(b"map-cmdline.").unwrap_or(name);
    STYLES.iter().find(|s| s.name.as_bytes() == name)
}
