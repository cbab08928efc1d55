//! Choosing and running the changeset displayer of `log`, `heads` and
//! `parents`, as hg's `logcmdutil.changesetdisplayer` does: `-T`, then
//! `--style`, then `[command-templates] log`, then `[ui] style`; hg's
//! default output keeps its hand-written fast path (`display.rs`),
//! `-T json` is the generic JSON formatter, everything else goes through
//! the template engine (`qs_repo::template`), with `[templates]` and
//! `[templatealias]` from the configuration.

use std::rc::Rc;

use qs_repo::template::{Engine, EngineOptions, Expr, Mapping, TemplateError, Value};
use qs_repo::Repo;
use qs_store::Revision;

use crate::commands::Invocation;
use crate::error::{CliError, CliResult};
use crate::opts::ParsedOpts;
use crate::styles;
use crate::ui::Ui;

impl From<TemplateError> for CliError {
    fn from(e: TemplateError) -> Self {
        match e {
            TemplateError::Parse(p) => CliError::Bytes {
                bytes: p.render(),
                code: 255,
            },
            TemplateError::Abort { message, hint } => {
                let mut bytes = b"abort: ".to_vec();
                bytes.extend_from_slice(&message);
                bytes.push(b'\n');
                if let Some(h) = hint {
                    bytes.push(b'(');
                    bytes.extend_from_slice(&h);
                    bytes.extend_from_slice(b")\n");
                }
                CliError::Bytes { bytes, code: 255 }
            }
            TemplateError::Repo(r) => r.into(),
        }
    }
}

/// hg's `templater.unquotestring`.
pub fn unquote(s: &[u8]) -> &[u8] {
    if s.len() >= 2 && (s[0] == b'\'' || s[0] == b'"') && s[0] == s[s.len() - 1] {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// Verbosity flags the displayers follow (and `log --copies`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags {
    pub quiet: bool,
    pub verbose: bool,
    pub debug: bool,
    pub copies: bool,
}

/// The parts of an invocation the displayer reads.
pub struct Parts<'a> {
    pub opts: &'a ParsedOpts,
    pub env: &'a std::collections::HashMap<String, String>,
    pub config: &'a qs_config::Config,
    pub cwd: &'a std::path::Path,
}

/// Shows `revs` with the displayer the invocation asks for (`-G` draws
/// the graph beside them).
pub fn show_revs(inv: &mut Invocation<'_, '_>, revs: &[Revision], graph: bool) -> CliResult<()> {
    let Invocation {
        ui,
        opts,
        config,
        cwd,
        repo,
        env,
        ..
    } = inv;
    let plain = (env.contains_key("HGPLAIN") || env.contains_key("HGPLAINEXCEPT"))
        && !env
            .get("HGPLAINEXCEPT")
            .is_some_and(|e| e.split(',').any(|x| x.trim() == "graph"));
    let repo = crate::commands::require(repo)?;
    let parts = Parts {
        opts,
        env,
        config,
        cwd,
    };
    let flags = Flags {
        quiet: ui.quiet(),
        verbose: ui.verbose(),
        debug: ui.debug_flag(),
        copies: opts.flag("copies"),
    };
    let mut displayer = Displayer::new(ui, &parts, repo)?;
    if graph
        && config
            .get(b"command-templates", b"graphnode")
            .is_some_and(|v| !v.is_empty())
    {
        return Err(CliError::abort_hint(
            "[command-templates] graphnode is not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    if graph {
        return crate::graph::show(ui, repo, revs, &mut displayer, flags, plain);
    }
    if let Displayer::Default = displayer {
        for &rev in revs {
            crate::display::show_changeset(ui, repo, rev, flags.copies)?;
        }
        return Ok(());
    }
    let begin = displayer.begin()?;
    ui.write(&begin)?;
    for &rev in revs {
        let text = displayer.render(repo, rev, flags, None)?;
        ui.write(&text)?;
    }
    let end = displayer.end()?;
    ui.write(&end)?;
    Ok(())
}

/// What prints each changeset.
pub enum Displayer<'r> {
    /// hg's built-in printer (`display.rs`).
    Default,
    /// `-T json`: hg's JSON formatter writes `[` at once and each item
    /// when the next one starts (or at the end).
    Json {
        count: usize,
        pending: Option<Vec<u8>>,
    },
    /// `-T 'json(FIELDS)'`: hg's `{dict(FIELDS)|json}` over the JSON
    /// formatter's fields, one item per line.
    JsonFields {
        engine: Box<Engine<'r>>,
        expr: Rc<Expr>,
        fields: Vec<u8>,
        count: usize,
        /// The log's diff options, when the fields name `diff` or
        /// `diffstat`.
        diff: Option<qs_repo::diff::DiffOptions>,
    },
    /// A template that failed to parse: hg reports it at the first
    /// changeset, so an empty selection prints nothing.
    Failed(Option<TemplateError>),
    /// A template (literal, `[templates]` reference or style).
    Template(Box<TemplateDisplayer<'r>>),
}

pub struct TemplateDisplayer<'r> {
    engine: Engine<'r>,
    main: Rc<Expr>,
    header: Option<Rc<Expr>>,
    footer: Option<Rc<Expr>>,
    separator: Option<Rc<Expr>>,
    docheader: Option<Rc<Expr>>,
    docfooter: Option<Rc<Expr>>,
    index: usize,
    last_header: Option<Vec<u8>>,
    /// Under `-G`, a changed header is written before the graph lines,
    /// outside them (hg's buffered displayer); it waits here.
    pending_header: Option<Vec<u8>>,
    buffer_headers: bool,
    footer_text: Option<Vec<u8>>,
}

/// The template specification hg's `_lookuptemplate` arrives at.
enum Spec {
    None,
    Json,
    /// `-T 'json(FIELDS)'`.
    JsonFields(Vec<u8>),
    Literal(Vec<u8>),
    Reference(Vec<u8>),
    Style(&'static styles::Style),
}

fn lookup(inv: &Parts<'_>) -> CliResult<Spec> {
    let mut tmpl: Option<Vec<u8>> = inv
        .opts
        .value("template")
        .map(|s| s.as_bytes().to_vec())
        .filter(|s| !s.is_empty());
    let mut style: Option<Vec<u8>> = inv
        .opts
        .value("style")
        .map(|s| s.as_bytes().to_vec())
        .filter(|s| !s.is_empty());
    if tmpl.is_none() && style.is_none() {
        match inv.config.get(b"command-templates", b"log") {
            Some(t) if !t.is_empty() => return Ok(Spec::Literal(unquote(&t).to_vec())),
            _ => style = inv.config.get(b"ui", b"style").filter(|s| !s.is_empty()),
        }
    }
    if tmpl.is_none() {
        if let Some(style) = style {
            return match styles::find(&style) {
                Some(s) if s.name == "default" => Ok(Spec::None),
                Some(s) if s.templates.is_none() => Err(unsupported_style(s.name)),
                Some(s) => Ok(Spec::Style(s)),
                None => Err(CliError::abort_hint(
                    format!("style '{}' not found", String::from_utf8_lossy(&style)),
                    format!("available styles: {}", styles::NAMES.join(", ")),
                )),
            };
        }
    }
    let Some(t) = tmpl.take() else {
        return Ok(Spec::None);
    };
    if t.contains(&b'{') {
        return Ok(Spec::Literal(t));
    }
    if t == b"json" {
        return Ok(Spec::Json);
    }
    if t.starts_with(b"json(") && t.ends_with(b")") {
        qs_lang::template::parse_expr(&t).map_err(|e| CliError::Bytes {
            bytes: e.render(),
            code: 255,
        })?;
        return Ok(Spec::JsonFields(t[5..t.len() - 1].to_vec()));
    }
    if matches!(t.as_slice(), b"cbor" | b"pickle" | b"debug") || t.starts_with(b"cbor(") {
        return Err(CliError::abort_hint(
            format!(
                "template '{}' is not supported by qs yet",
                String::from_utf8_lossy(&t)
            ),
            "use Mercurial's 'hg' for this command line",
        ));
    }
    if !t.contains(&b'/') {
        if let Some(s) = styles::find(&t) {
            if s.name == "default" {
                return Ok(Spec::None);
            }
            if s.templates.is_none() {
                return Err(unsupported_style(s.name));
            }
            return Ok(Spec::Style(s));
        }
    }
    if inv.config.get(b"templates", &t).is_some() {
        return Ok(Spec::Reference(t));
    }
    if t == b"list" {
        return Err(CliError::Message {
            text: String::new(),
            code: 0,
        });
    }
    if t.contains(&b'/') && inv.cwd.join(String::from_utf8_lossy(&t).as_ref()).is_file() {
        return Err(CliError::abort_hint(
            "template and style files are not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    Ok(Spec::Literal(t))
}

fn env_pairs(env: &std::collections::HashMap<String, String>) -> Vec<(Vec<u8>, Vec<u8>)> {
    env.iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}

fn unsupported_style(name: &str) -> CliError {
    CliError::abort_hint(
        format!("style '{name}' is not supported by qs yet"),
        "use Mercurial's 'hg' for this command line",
    )
}

fn engine_options(inv: &Parts<'_>, repo: &Repo, flags: Flags) -> EngineOptions {
    let mut config = std::collections::BTreeMap::new();
    for (section, items) in inv.config.sections() {
        for item in items {
            config.insert((section.to_vec(), item.name.clone()), item.value.clone());
        }
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let cwd_in_repo = inv
        .cwd
        .strip_prefix(repo.root())
        .map(|p| p.to_string_lossy().replace('\\', "/").into_bytes())
        .unwrap_or_default();
    EngineOptions {
        quiet: flags.quiet,
        verbose: flags.verbose,
        debug: flags.debug,
        now,
        local_offset: 0,
        config,
        cwd_in_repo,
        revset_aliases: inv
            .config
            .section(b"revsetalias")
            .iter()
            .map(|i| (i.name.clone(), i.value.clone()))
            .collect(),
        copies_switch: inv.opts.flag("copies"),
        env: env_pairs(inv.env),
        paths: qs_config::paths::list_paths(inv.config, Some(repo.root()))
            .into_iter()
            .map(|p| {
                (
                    p.name.into_bytes(),
                    p.location.into_bytes(),
                    p.suboptions
                        .into_iter()
                        .map(|(k, v)| (k.into_bytes(), v.into_bytes()))
                        .collect(),
                )
            })
            .collect(),
    }
}

/// The `[templatealias]` items (declaration, definition).
fn template_aliases(config: &qs_config::Config) -> Vec<(Vec<u8>, Vec<u8>)> {
    config
        .section(b"templatealias")
        .iter()
        .map(|i| (i.name.clone(), i.value.clone()))
        .collect()
}

/// hg's `cmdutil.format_changeset_summary` for `command`: one line
/// about `rev` (see [`Engine::oneline_summary`]), with `[templatealias]`.
pub fn oneline_summary(
    ui: &Ui<'_>,
    inv: &Parts<'_>,
    repo: &Repo,
    rev: Revision,
    command: &str,
) -> CliResult<Vec<u8>> {
    let flags = Flags {
        quiet: ui.quiet(),
        verbose: ui.verbose(),
        debug: ui.debug_flag(),
        copies: false,
    };
    let engine = Engine::new(
        repo,
        engine_options(inv, repo, flags),
        Vec::new(),
        &template_aliases(inv.config),
    );
    Ok(engine.oneline_summary(rev, Some(command))?)
}

impl<'r> Displayer<'r> {
    /// The displayer for a command's `-T`/`--style` and the configuration.
    /// `-T list` prints the available styles and aborts, as hg does.
    pub fn new(ui: &mut Ui<'_>, inv: &Parts<'_>, repo: &'r Repo) -> CliResult<Displayer<'r>> {
        let flags = Flags {
            quiet: ui.quiet(),
            verbose: ui.verbose(),
            debug: ui.debug_flag(),
            copies: inv.opts.flag("copies"),
        };
        let spec = match lookup(inv) {
            Err(CliError::Message { code: 0, .. }) => {
                ui.write_str(&format!("available styles: {}\n", styles::NAMES.join(", ")))?;
                return Err(CliError::abort("specify a template"));
            }
            other => other?,
        };
        let templates: Vec<(Vec<u8>, Vec<u8>)> = inv
            .config
            .section(b"templates")
            .iter()
            .map(|i| (i.name.clone(), unquote(&i.value).to_vec()))
            .collect();
        let aliases = template_aliases(inv.config);
        if let Spec::None = spec {
            return Ok(Displayer::Default);
        }
        if let Spec::Json = spec {
            return Ok(Displayer::Json {
                count: 0,
                pending: None,
            });
        }
        let opts = engine_options(inv, repo, flags);
        match spec {
            Spec::None => Ok(Displayer::Default),
            Spec::Json => Ok(Displayer::Json {
                count: 0,
                pending: None,
            }),
            Spec::JsonFields(fields) => {
                let engine = Engine::new(repo, opts, templates, &aliases);
                let mut text = b"{dict(".to_vec();
                text.extend_from_slice(&fields);
                text.extend_from_slice(b")|json}");
                match engine.parse(&text) {
                    Ok(expr) => {
                        let diff = if wants_field(&fields, "diff")
                            || wants_field(&fields, "diffstat")
                        {
                            if !inv.opts.positionals.is_empty() {
                                return Err(CliError::abort_hint(
                                    "json fields diff and diffstat with file patterns are not supported by qs yet",
                                    "use Mercurial's 'hg' for this command line",
                                ));
                            }
                            let sources = crate::diffui::OptionSources {
                                opts: inv.opts,
                                config: inv.config,
                                plain: ui.plain,
                                debug: ui.debug_flag(),
                            };
                            Some(sources.options()?)
                        } else {
                            None
                        };
                        Ok(Displayer::JsonFields {
                            engine: Box::new(engine),
                            expr,
                            fields,
                            count: 0,
                            diff,
                        })
                    }
                    Err(e) => Ok(Displayer::Failed(Some(e))),
                }
            }
            Spec::Literal(text) => {
                let engine = Engine::new(repo, opts, templates, &aliases);
                let main = match engine.parse(&text) {
                    Ok(m) => m,
                    Err(e) => return Ok(Displayer::Failed(Some(e))),
                };
                Ok(Displayer::Template(Box::new(TemplateDisplayer::new(
                    engine, main, None,
                )?)))
            }
            Spec::Reference(name) => {
                let engine = Engine::new(repo, opts, templates, &aliases);
                let main = match engine.named(&name) {
                    Ok(m) => m,
                    Err(e) => return Ok(Displayer::Failed(Some(e))),
                };
                Ok(Displayer::Template(Box::new(TemplateDisplayer::new(
                    engine,
                    main,
                    Some(&name),
                )?)))
            }
            Spec::Style(style) => {
                let mut named: Vec<(Vec<u8>, Vec<u8>)> = style.templates();
                named.extend(templates);
                let mut all_aliases = style.aliases();
                all_aliases.extend(aliases);
                let engine = Engine::new(repo, opts, named, &all_aliases);
                let pick = |base: &str| -> Option<String> {
                    let mut chosen = None;
                    for (on, suffix) in [
                        (true, ""),
                        (flags.verbose, "_verbose"),
                        (flags.quiet, "_quiet"),
                        (flags.debug, "_debug"),
                    ] {
                        let name = format!("{base}{suffix}");
                        if on && engine.has_template(name.as_bytes()) {
                            chosen = Some(name);
                        }
                    }
                    chosen
                };
                let part = |base: &str| -> CliResult<Option<Rc<Expr>>> {
                    match pick(base) {
                        Some(n) => Ok(Some(engine.named(n.as_bytes())?)),
                        None => Ok(None),
                    }
                };
                let main = part("changeset")?
                    .ok_or_else(|| CliError::abort("style has no changeset template"))?;
                let header = part("header")?;
                let footer = part("footer")?;
                let separator = part("separator")?;
                let docheader = part("docheader")?;
                let docfooter = part("docfooter")?;
                Ok(Displayer::Template(Box::new(TemplateDisplayer {
                    engine,
                    main,
                    header,
                    footer,
                    separator,
                    docheader,
                    docfooter,
                    index: 0,
                    last_header: None,
                    pending_header: None,
                    buffer_headers: false,
                    footer_text: None,
                })))
            }
        }
    }

    /// Text written before the first changeset.
    pub fn begin(&mut self) -> CliResult<Vec<u8>> {
        match self {
            Displayer::Json { .. } => Ok(b"[".to_vec()),
            Displayer::JsonFields { .. } => Ok(b"[\n ".to_vec()),
            Displayer::Template(t) => match &t.docheader {
                Some(e) => Ok(t.engine.render(e, &Mapping::vars([]))?),
                None => Ok(Vec::new()),
            },
            _ => Ok(Vec::new()),
        }
    }

    /// The text of one changeset (`graphwidth` for `-G`).
    pub fn render(
        &mut self,
        repo: &Repo,
        rev: Revision,
        flags: Flags,
        graphwidth: Option<usize>,
    ) -> CliResult<Vec<u8>> {
        match self {
            Displayer::Default => {
                let (head, rest) = crate::display::changeset_text(repo, rev, flags)?;
                Ok([head, rest].concat())
            }
            Displayer::Json { count, pending } => {
                let mut out = Vec::new();
                if let Some(item) = pending.take() {
                    out.extend_from_slice(if *count == 1 { b"\n" } else { b",\n" });
                    out.extend_from_slice(&item);
                }
                *count += 1;
                *pending = Some(crate::display::json_changeset(repo, rev, flags)?);
                Ok(out)
            }
            Displayer::JsonFields {
                engine,
                expr,
                fields,
                count,
                diff,
            } => {
                let mut out = Vec::new();
                if *count > 0 {
                    out.extend_from_slice(b",\n ");
                }
                let mut m = json_fields_mapping(repo, rev, flags, fields, *count)?;
                if let Some(options) = diff {
                    json_diff_fields(repo, rev, fields, options, &mut m)?;
                }
                *count += 1;
                out.extend_from_slice(&engine.render(expr, &m)?);
                Ok(out)
            }
            Displayer::Failed(err) => Err(err
                .take()
                .map_or_else(|| CliError::Exit(255), CliError::from)),
            Displayer::Template(t) => t.render(rev, graphwidth),
        }
    }

    /// Keeps headers out of the rendered text (for `-G`, which writes them
    /// before each changeset's graph lines).
    pub fn buffer_headers(&mut self) {
        if let Displayer::Template(t) = self {
            t.buffer_headers = true;
        }
    }

    /// The header the last `render` produced under [`Self::buffer_headers`].
    pub fn take_header(&mut self) -> Vec<u8> {
        match self {
            Displayer::Template(t) => t.pending_header.take().unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Text written after the last changeset.
    pub fn end(&mut self) -> CliResult<Vec<u8>> {
        match self {
            Displayer::Default => Ok(Vec::new()),
            Displayer::Json { count, pending } => {
                let mut out = Vec::new();
                if let Some(item) = pending.take() {
                    out.extend_from_slice(if *count == 1 { b"\n" } else { b",\n" });
                    out.extend_from_slice(&item);
                }
                out.extend_from_slice(b"\n]\n");
                Ok(out)
            }
            Displayer::JsonFields { .. } => Ok(b"\n]\n".to_vec()),
            Displayer::Failed(_) => Ok(Vec::new()),
            Displayer::Template(t) => {
                let mut out = t.footer_text.take().unwrap_or_default();
                if let Some(e) = &t.docfooter {
                    out.extend_from_slice(&t.engine.render(e, &Mapping::vars([]))?);
                }
                Ok(out)
            }
        }
    }
}

/// Whether `json(FIELDS)` names the field `name`.
fn wants_field(fields: &[u8], name: &str) -> bool {
    fields
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
        .any(|w| w == name.as_bytes())
}

/// The `diff` (the patch as `log -p` shows it) and `diffstat` (per file:
/// additions, binary, name, removals) fields of `json(FIELDS)`.
fn json_diff_fields(
    repo: &Repo,
    rev: Revision,
    fields: &[u8],
    options: &qs_repo::diff::DiffOptions,
    m: &mut Mapping,
) -> CliResult<()> {
    use qs_repo::template::PyVal;
    if wants_field(fields, "diffstat") {
        let mut o = options.clone();
        o.text.context = 0;
        o.noprefix = false;
        let text = qs_repo::diff::changeset_diff(repo, rev, o, None)?;
        let stats = qs_repo::diff::stat::stat_data(&text)
            .into_iter()
            .map(|s| {
                PyVal::Dict(vec![
                    (b"additions".to_vec(), PyVal::Int(s.adds as i64)),
                    (b"binary".to_vec(), PyVal::Bool(s.binary)),
                    (b"name".to_vec(), PyVal::Bytes(s.name)),
                    (b"removals".to_vec(), PyVal::Int(s.removes as i64)),
                ])
            })
            .collect();
        m.set(b"diffstat", Value::from_py(&PyVal::List(stats)));
    }
    if wants_field(fields, "diff") {
        let text = qs_repo::diff::changeset_diff(repo, rev, options.clone(), None)?;
        m.set(b"diff", Value::Bytes(text));
    }
    Ok(())
}

/// The item hg's changeset formatter fills for `json(FIELDS)`: `rev` and
/// `node`, the common fields, and the optional ones the fields name.
fn json_fields_mapping(
    repo: &Repo,
    rev: Revision,
    flags: Flags,
    fields: &[u8],
    index: usize,
) -> CliResult<Mapping> {
    use qs_repo::template::{dict_value, list_value, PyVal};
    let cs = repo.changeset(rev)?;
    let mut m = Mapping::for_rev(rev);
    let wants = |name: &str| wants_field(fields, name);
    m.set(b"index", Value::Int(index as i64));
    m.set(b"rev", Value::Int(i64::from(rev.0)));
    m.set(b"node", Value::Bytes(cs.node.hex().into_bytes()));
    m.set(b"branch", Value::Bytes(cs.branch().to_vec()));
    m.set(
        b"phase",
        Value::Bytes(repo.phase(rev)?.name().as_bytes().to_vec()),
    );
    m.set(b"user", Value::Bytes(cs.user.clone()));
    m.set(
        b"date",
        Value::Date {
            seconds: cs.date.seconds,
            offset: cs.date.offset,
            keyword: false,
        },
    );
    m.set(b"desc", Value::Bytes(cs.description.clone()));
    let names = |v: Vec<&[u8]>| v.into_iter().map(<[u8]>::to_vec).collect::<Vec<_>>();
    m.set(
        b"bookmarks",
        list_value(names(repo.bookmarks()?.on(&cs.node)), "bookmark"),
    );
    m.set(b"tags", list_value(names(repo.tags()?.on(&cs.node)), "tag"));
    let [p1, p2] = repo.parents(rev)?;
    let mut parents = vec![if p1.is_null() {
        qs_store::NULL_NODE.hex().into_bytes()
    } else {
        repo.node(p1)?.hex().into_bytes()
    }];
    if !p2.is_null() {
        parents.push(repo.node(p2)?.hex().into_bytes());
    }
    m.set(b"parents", list_value(parents, "node"));
    if flags.debug || wants("manifest") {
        m.set(b"manifest", Value::Bytes(cs.manifest.hex().into_bytes()));
    }
    if flags.debug || wants("extra") {
        let items = cs
            .extra
            .iter()
            .map(|(k, v)| (k.clone(), PyVal::Bytes(v.clone())))
            .collect();
        m.set(b"extra", dict_value(items));
    }
    if flags.debug || wants("modified") || wants("added") || wants("removed") {
        let ch = qs_repo::changes::file_changes(repo, &cs)?;
        m.set(b"modified", list_value(ch.modified, "file"));
        m.set(b"added", list_value(ch.added, "file"));
        m.set(b"removed", list_value(ch.removed, "file"));
    }
    if (flags.verbose && !flags.debug) || wants("files") {
        m.set(b"files", list_value(cs.files.clone(), "file"));
    }
    if wants("copies") {
        return Err(CliError::abort_hint(
            "json field copies is not supported by qs yet",
            "use Mercurial's 'hg' for this command line",
        ));
    }
    Ok(m)
}

impl<'r> TemplateDisplayer<'r> {
    fn new(engine: Engine<'r>, main: Rc<Expr>, reference: Option<&[u8]>) -> CliResult<Self> {
        let part = |p: &str| -> CliResult<Option<Rc<Expr>>> {
            let Some(r) = reference else { return Ok(None) };
            let mut name = r.to_vec();
            name.push(b':');
            name.extend_from_slice(p.as_bytes());
            if engine.has_template(&name) {
                Ok(Some(engine.named(&name)?))
            } else {
                Ok(None)
            }
        };
        Ok(TemplateDisplayer {
            header: part("header")?,
            footer: part("footer")?,
            separator: part("separator")?,
            docheader: part("docheader")?,
            docfooter: part("docfooter")?,
            engine,
            main,
            index: 0,
            last_header: None,
            pending_header: None,
            buffer_headers: false,
            footer_text: None,
        })
    }

    fn render(&mut self, rev: Revision, graphwidth: Option<usize>) -> CliResult<Vec<u8>> {
        let mut out = Vec::new();
        let mut m = Mapping::for_rev(rev);
        m.set(b"index", Value::Int(self.index as i64));
        if let Some(w) = graphwidth {
            m.set(b"graphwidth", Value::Int(w as i64));
        }
        if let Some(sep) = &self.separator {
            if self.index > 0 {
                out.extend_from_slice(&self.engine.render(sep, &Mapping::vars([]))?);
            }
        }
        self.index += 1;
        if let Some(h) = &self.header {
            let text = self.engine.render(h, &m)?;
            if self.last_header.as_ref() != Some(&text) {
                if self.buffer_headers {
                    self.pending_header = Some(text.clone());
                } else {
                    out.extend_from_slice(&text);
                }
                self.last_header = Some(text);
            }
        }
        out.extend_from_slice(&self.engine.render(&self.main, &m)?);
        if let Some(f) = &self.footer {
            if self.footer_text.is_none() {
                self.footer_text = Some(self.engine.render(f, &m)?);
            }
        }
        Ok(out)
    }
}
