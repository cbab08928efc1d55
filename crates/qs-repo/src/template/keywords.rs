//! Changeset keywords (hg's `templatekw`): `{rev}`, `{node}`, `{files}`,
//! `{parents}`, `{latesttag}`, ... Each returns a [`Value`] shaped like
//! hg's (plain text, a hybrid list with its old-style rendering, a date,
//! a mapping).

use std::rc::Rc;

use qs_store::{Revision, NULL_REVISION};

use super::eval::abort;
use super::value::{Compat, HItem, Hybrid, Item, MapSeqKind, Mapping, PyVal, Value};
use super::{Engine, TResult};

/// Keywords that read the changeset (hg's `requires={'ctx'}`): a mapping
/// that changes the changeset hides variables of these names.
const CTX_KEYWORDS: &[&str] = &[
    "activebookmark",
    "author",
    "bisect",
    "bookmarks",
    "branch",
    "branches",
    "changessincelatesttag",
    "children",
    "closesbranch",
    "currentbookmark",
    "date",
    "desc",
    "diffstat",
    "extras",
    "file_adds",
    "file_copies",
    "file_copies_switch",
    "file_dels",
    "file_mods",
    "files",
    "graphnode",
    "instabilities",
    "latesttag",
    "latesttagdistance",
    "manifest",
    "namespaces",
    "negrev",
    "node",
    "obsfate",
    "obsolete",
    "onelinesummary",
    "p1",
    "p1node",
    "p1rev",
    "p2",
    "p2node",
    "p2rev",
    "parents",
    "phase",
    "phaseidx",
    "predecessors",
    "rev",
    "subrepos",
    "successorssets",
    "succsandmarkers",
    "tags",
    "user",
    "whyunstable",
];

/// Keywords qs recognises but cannot compute yet.
const UNSUPPORTED: &[&str] = &[];

/// hg's default one-line summary template (`onelinesummary`).
const ONELINE_SUMMARY: &[u8] = br#"{separate(" ", label("oneline-summary.changeset", "{rev}:{node|short}"), join(filter(namespaces % "{ifeq(namespace, "branches", "", join(names % "{label("oneline-summary.{namespace}", name)}", " "))}"), " "))} "{label("oneline-summary.desc", desc|firstline)}""#;

pub fn needs_ctx(name: &[u8]) -> bool {
    CTX_KEYWORDS.iter().any(|k| k.as_bytes() == name)
}

/// hg's `templater.unquotestring`.
fn unquote(s: &[u8]) -> &[u8] {
    if s.len() >= 2 && (s[0] == b'\'' || s[0] == b'"') && s[0] == s[s.len() - 1] {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

/// The latest-tag record of a revision: (date, distance, tag names).
pub type LatestTag = (i64, i64, Vec<Vec<u8>>);

fn text(b: impl Into<Vec<u8>>) -> Value {
    Value::Bytes(b.into())
}

/// A list keyword rendered through `_showcompatlist` (hg's `compatlist`).
pub(crate) fn compat_list(
    name: &str,
    plural: Option<&str>,
    element: Option<&str>,
    values: Vec<Vec<u8>>,
) -> Value {
    let plural = plural.map_or_else(|| format!("{name}s"), str::to_string);
    let element = element.unwrap_or(name);
    let items = values
        .iter()
        .map(|v| {
            let mut map = Mapping::vars([]);
            map.set(element.as_bytes(), text(v.clone()));
            HItem {
                key: PyVal::Bytes(v.clone()),
                value: PyVal::Bytes(v.clone()),
                map,
                fmt: v.clone(),
            }
        })
        .collect();
    let compat = Compat {
        name: name.as_bytes().to_vec(),
        plural: plural.into_bytes(),
        separator: b" ".to_vec(),
        values: values
            .into_iter()
            .map(|v| {
                let mut map = Mapping::vars([]);
                map.set(name.as_bytes(), text(v.clone()));
                (Some(v), map)
            })
            .collect(),
    };
    Value::List(Rc::new(Hybrid {
        is_dict: false,
        items,
        compat: Some(compat),
        int_keys: false,
    }))
}

/// hg's `compatfileslist`: items map to `{file}` and `{path}`.
pub(crate) fn files_list(name: &str, files: &[Vec<u8>]) -> Value {
    let items = files
        .iter()
        .map(|f| HItem {
            key: PyVal::Bytes(f.clone()),
            value: PyVal::Bytes(f.clone()),
            map: Mapping::vars([("file", text(f.clone())), ("path", text(f.clone()))]),
            fmt: f.clone(),
        })
        .collect();
    let compat = Compat {
        name: name.as_bytes().to_vec(),
        plural: format!("{name}s").into_bytes(),
        separator: b" ".to_vec(),
        values: files
            .iter()
            .map(|f| {
                let mut map = Mapping::vars([]);
                map.set(name.as_bytes(), text(f.clone()));
                (Some(f.clone()), map)
            })
            .collect(),
    };
    Value::List(Rc::new(Hybrid {
        is_dict: false,
        items,
        compat: Some(compat),
        int_keys: false,
    }))
}

impl Engine<'_> {
    /// hg's `format_changeset_summary`: one line about `rev` from
    /// `[command-templates] oneline-summary.COMMAND`, else
    /// `oneline-summary`, else hg's default.
    pub fn oneline_summary(&self, rev: Revision, command: Option<&str>) -> TResult<Vec<u8>> {
        let config = |name: Vec<u8>| {
            self.opts
                .config
                .get(&(b"command-templates".to_vec(), name))
                .filter(|s| !s.is_empty())
        };
        let spec = command
            .and_then(|c| config(format!("oneline-summary.{c}").into_bytes()))
            .or_else(|| config(b"oneline-summary".to_vec()))
            .map_or_else(|| ONELINE_SUMMARY.to_vec(), |s| unquote(s).to_vec());
        let expr = self.parse(&spec)?;
        let out = self.render(&expr, &Mapping::for_rev(rev))?;
        let first = out.split(|&b| b == b'\n').next().unwrap_or_default();
        Ok(first.to_vec())
    }

    fn short_or_hex(&self, hex: String) -> Vec<u8> {
        if self.opts.debug {
            hex.into_bytes()
        } else {
            hex.as_bytes()[..12].to_vec()
        }
    }

    /// `rev:node` as hg's `formatchangeid` writes it.
    pub(crate) fn format_changeid(&self, rev: Revision) -> TResult<Vec<u8>> {
        let node = self.changeset(rev)?.node;
        let mut out = rev.0.to_string().into_bytes();
        out.push(b':');
        out.extend_from_slice(&self.short_or_hex(node.hex()));
        Ok(out)
    }

    fn phase_of(&self, rev: Revision) -> TResult<qs_store::phases::Phase> {
        if rev.is_null() {
            return Ok(qs_store::phases::Phase::Public);
        }
        Ok(self.repo.phase(rev)?)
    }

    /// hg's `meaningfulparents`.
    fn meaningful_parents(&self, rev: Revision) -> TResult<Vec<Revision>> {
        let [p1, p2] = if rev.is_null() {
            [NULL_REVISION, NULL_REVISION]
        } else {
            self.repo.parents(rev)?
        };
        if !p2.is_null() {
            return Ok(vec![p1, p2]);
        }
        if self.opts.debug {
            return Ok(vec![p1, NULL_REVISION]);
        }
        if p1.0 >= rev.0 - 1 {
            return Ok(Vec::new());
        }
        Ok(vec![p1])
    }

    /// The value of keyword `name` for the mapping's changeset, `None` if
    /// `name` is no keyword (or needs a changeset the mapping lacks).
    pub(crate) fn keyword(&self, name: &[u8], m: &Mapping) -> TResult<Option<Value>> {
        let Ok(name) = std::str::from_utf8(name) else {
            return Ok(None);
        };
        match name {
            "graphwidth" => return Ok(Some(Value::Int(0))),
            "termwidth" => return Ok(Some(Value::Int(80))),
            "verbosity" => {
                let v: &[u8] = if self.opts.debug {
                    b"debug"
                } else if self.opts.quiet {
                    b"quiet"
                } else if self.opts.verbose {
                    b"verbose"
                } else {
                    b""
                };
                return Ok(Some(text(v)));
            }
            "reporoot" => {
                return Ok(Some(text(
                    self.repo.root().to_string_lossy().as_bytes().to_vec(),
                )))
            }
            "index" => return Err(abort("can't use index in this context")),
            "envvars" => return Ok(Some(self.envvars())),
            "peerurls" => return Ok(Some(self.peerurls())),
            "path" | "size" | "status" => return Ok(Some(Value::None)),
            _ => {}
        }
        if UNSUPPORTED.contains(&name) {
            return Err(abort(format!(
                "template keyword '{name}' is not supported by qs yet"
            )));
        }
        if !needs_ctx(name.as_bytes()) {
            return Ok(None);
        }
        let Some(rev) = m.ctx else {
            return Ok(Some(Value::None));
        };
        // The index answers these: no need to read the changeset.
        match name {
            "rev" => return Ok(Some(Value::Int(i64::from(rev.0)))),
            "node" if !rev.is_null() => return Ok(Some(text(self.repo.node(rev)?.hex()))),
            _ => {}
        }
        let cs = self.changeset(rev)?;
        let v = match name {
            "rev" => Value::Int(i64::from(rev.0)),
            "node" => text(cs.node.hex()),
            "author" | "user" => text(cs.user.clone()),
            "desc" => text(super::text::strip(&cs.description, None).to_vec()),
            "date" => Value::Date {
                seconds: cs.date.seconds,
                offset: cs.date.offset,
                keyword: true,
            },
            "branch" => text(cs.branch().to_vec()),
            "branches" => {
                let b = cs.branch();
                let values = if b == b"default" {
                    vec![]
                } else {
                    vec![b.to_vec()]
                };
                compat_list("branch", Some("branches"), None, values)
            }
            "closesbranch" => Value::Bool(cs.is_close()),
            "diffstat" => {
                let merge_diff = self
                    .opts
                    .config
                    .get(&(b"diff".to_vec(), b"merge".to_vec()))
                    .is_some_and(|v| {
                        matches!(
                            v.to_ascii_lowercase().as_slice(),
                            b"1" | b"yes" | b"true" | b"on" | b"always"
                        )
                    });
                if merge_diff && !self.repo.parents(rev)?[1].is_null() {
                    return Err(abort("diff.merge is not supported by qs yet"));
                }
                let options = crate::diff::DiffOptions {
                    noprefix: false,
                    ..self.repo.diff_options()
                };
                let diff = crate::diff::changeset_diff(self.repo, rev, options, None)?;
                let stats = crate::diff::stat::stat_data(&diff);
                let adds: usize = stats.iter().map(|s| s.adds).sum();
                let removes: usize = stats.iter().map(|s| s.removes).sum();
                text(format!("{}: +{adds}/-{removes}", stats.len()))
            }
            "bisect" => match crate::bisect::label(self.repo, rev)? {
                Some(label) => text(label),
                None => Value::None,
            },
            "bookmarks" => {
                let marks = self.repo.bookmarks()?;
                let active = marks.active.clone().map_or(Value::None, Value::Bytes);
                let names: Vec<Vec<u8>> =
                    marks.on(&cs.node).into_iter().map(<[u8]>::to_vec).collect();
                let items = names
                    .iter()
                    .map(|b| HItem {
                        key: PyVal::Bytes(b.clone()),
                        value: PyVal::Bytes(b.clone()),
                        map: Mapping::vars([
                            ("bookmark", text(b.clone())),
                            ("active", active.clone()),
                            ("current", active.clone()),
                        ]),
                        fmt: b.clone(),
                    })
                    .collect();
                let compat = Compat {
                    name: b"bookmark".to_vec(),
                    plural: b"bookmarks".to_vec(),
                    separator: b" ".to_vec(),
                    values: names
                        .iter()
                        .map(|b| {
                            (
                                Some(b.clone()),
                                Mapping::vars([("bookmark", text(b.clone()))]),
                            )
                        })
                        .collect(),
                };
                Value::List(Rc::new(Hybrid {
                    is_dict: false,
                    items,
                    compat: Some(compat),
                    int_keys: false,
                }))
            }
            "activebookmark" | "currentbookmark" => {
                let marks = self.repo.bookmarks()?;
                match &marks.active {
                    Some(a) if marks.on(&cs.node).contains(&a.as_slice()) => text(a.clone()),
                    _ => text(Vec::new()),
                }
            }
            "tags" => {
                let names = if rev.is_null() {
                    Vec::new()
                } else {
                    self.repo
                        .tags()?
                        .on(&cs.node)
                        .into_iter()
                        .map(<[u8]>::to_vec)
                        .collect()
                };
                compat_list("tag", Some("tags"), None, names)
            }
            "children" => {
                let mut values = Vec::new();
                for c in self.children(rev)? {
                    values.push(self.format_changeid_short(c)?);
                }
                compat_list("children", None, Some("child"), values)
            }
            "extras" => {
                let items: Vec<HItem> = cs
                    .extra
                    .iter()
                    .map(|(k, v)| {
                        let mut fmt = k.clone();
                        fmt.push(b'=');
                        fmt.extend_from_slice(&super::text::escapestr(v));
                        HItem {
                            key: PyVal::Bytes(k.clone()),
                            value: PyVal::Bytes(v.clone()),
                            map: Mapping::vars([
                                ("key", text(k.clone())),
                                ("value", text(v.clone())),
                            ]),
                            fmt,
                        }
                    })
                    .collect();
                let compat = Compat {
                    name: b"extra".to_vec(),
                    plural: b"extras".to_vec(),
                    separator: b" ".to_vec(),
                    values: items.iter().map(|i| (None, i.map.clone())).collect(),
                };
                Value::List(Rc::new(Hybrid {
                    is_dict: true,
                    items,
                    compat: Some(compat),
                    int_keys: false,
                }))
            }
            "files" => files_list("file", &cs.files),
            "file_adds" => files_list("file_add", &self.file_changes(rev)?.added),
            "file_dels" => files_list("file_del", &self.file_changes(rev)?.removed),
            "file_mods" => files_list("file_mod", &self.file_changes(rev)?.modified),
            "file_copies" => self.copies_value(&self.file_copies(rev)?),
            "file_copies_switch" => {
                let copies = if self.opts.copies_switch {
                    self.file_copies(rev)?
                } else {
                    Vec::new()
                };
                self.copies_value(&copies)
            }
            "graphnode" => {
                let wd = self.wd_parents()?;
                if wd.contains(&cs.node) {
                    text("@")
                } else if cs.is_close() {
                    text("_")
                } else {
                    text("o")
                }
            }
            "latesttag" => self.latest_tag_value(rev, None)?,
            "latesttagdistance" => Value::Int(self.latest_tag(rev, None)?.1),
            "changessincelatesttag" => {
                let tag = self
                    .latest_tag(rev, None)?
                    .2
                    .first()
                    .cloned()
                    .unwrap_or_default();
                Value::Int(self.changes_since(rev, &tag)?)
            }
            "manifest" => {
                let (mrev, mhex) = if rev.is_null() {
                    (-1, qs_store::NULL_NODE.hex())
                } else {
                    let mrev = self
                        .repo
                        .manifestlog()?
                        .rev_of_node(&cs.manifest)?
                        .map_or(-1, |r| r.0);
                    (mrev, cs.manifest.hex())
                };
                let map =
                    Mapping::vars([("rev", Value::Int(i64::from(mrev))), ("node", text(mhex))]);
                let lm = self.overlay(m, &map);
                let shown = self.process(b"manifest", &lm)?;
                Value::Item(Rc::new(Item {
                    value: PyVal::Bytes(shown.clone()),
                    map,
                    shown: Some(shown),
                }))
            }
            "negrev" => {
                if rev.is_null() {
                    Value::None
                } else {
                    Value::Int(i64::from(rev.0) - self.repo.len() as i64)
                }
            }
            "obsolete" => text(Vec::new()),
            "namespaces" => self.namespaces(rev)?,
            "onelinesummary" => text(self.oneline_summary(rev, None)?),
            "p1" | "p2" => {
                let parents = if rev.is_null() {
                    [NULL_REVISION, NULL_REVISION]
                } else {
                    self.repo.parents(rev)?
                };
                let p = if name == "p1" { parents[0] } else { parents[1] };
                super::eval::maps(
                    MapSeqKind::Dict,
                    vec![Mapping::for_rev(p)],
                    Some(b"{rev}:{node|formatnode}"),
                    b"",
                )
            }
            "p1rev" | "p2rev" | "p1node" | "p2node" => {
                let parents = if rev.is_null() {
                    [NULL_REVISION, NULL_REVISION]
                } else {
                    self.repo.parents(rev)?
                };
                let p = if name.starts_with("p1") {
                    parents[0]
                } else {
                    parents[1]
                };
                if name.ends_with("rev") {
                    Value::Int(i64::from(p.0))
                } else {
                    text(self.changeset(p)?.node.hex())
                }
            }
            "parents" => {
                let prevs = self.meaningful_parents(rev)?;
                let mut items = Vec::new();
                let mut values = Vec::new();
                for p in &prevs {
                    let pcs = self.changeset(*p)?;
                    let phase = self.phase_of(*p)?;
                    items.push(HItem {
                        key: PyVal::Int(i64::from(p.0)),
                        value: PyVal::Int(i64::from(p.0)),
                        map: Mapping::for_rev(*p),
                        fmt: self.format_changeid(*p)?,
                    });
                    values.push((
                        None,
                        Mapping::vars([
                            ("rev", Value::Int(i64::from(p.0))),
                            ("node", text(pcs.node.hex())),
                            ("phase", text(phase.name())),
                        ]),
                    ));
                }
                Value::List(Rc::new(Hybrid {
                    is_dict: false,
                    items,
                    compat: Some(Compat {
                        name: b"parent".to_vec(),
                        plural: b"parents".to_vec(),
                        separator: b" ".to_vec(),
                        values,
                    }),
                    int_keys: true,
                }))
            }
            "phase" => text(self.phase_of(rev)?.name()),
            "phaseidx" => Value::Int(self.phase_of(rev)? as i64),
            "subrepos" => compat_list("subrepo", None, None, Vec::new()),
            "instabilities" => compat_list("instability", Some("instabilities"), None, Vec::new()),
            "obsfate" => compat_list("fate", None, None, Vec::new()),
            "predecessors" | "successorssets" => Value::List(Rc::new(Hybrid {
                is_dict: false,
                items: Vec::new(),
                compat: None,
                int_keys: false,
            })),
            "succsandmarkers" | "whyunstable" => {
                super::eval::maps(MapSeqKind::List, Vec::new(), None, b"")
            }
            _ => return Ok(None),
        };
        Ok(Some(v))
    }

    /// `{peerurls}`: the `[paths]` entries, `name=url` each.
    fn peerurls(&self) -> Value {
        let items = self
            .opts
            .paths
            .iter()
            .map(|(name, url, subs)| {
                let mut map =
                    Mapping::vars([("name", text(name.clone())), ("url", text(url.clone()))]);
                let mut subs = subs.clone();
                subs.sort();
                for (k, v) in subs {
                    map.set(&k, text(v));
                }
                let mut fmt = name.clone();
                fmt.push(b'=');
                fmt.extend_from_slice(url);
                HItem {
                    key: PyVal::Bytes(name.clone()),
                    value: PyVal::Bytes(url.clone()),
                    map,
                    fmt,
                }
            })
            .collect();
        Value::List(Rc::new(Hybrid {
            is_dict: true,
            items,
            compat: None,
            int_keys: false,
        }))
    }

    /// `{envvars}`: the variables `experimental.exportableenviron` lists
    /// (`*` for all), sorted.
    fn envvars(&self) -> Value {
        let allowed: Vec<Vec<u8>> = self
            .opts
            .config
            .get(&(b"experimental".to_vec(), b"exportableenviron".to_vec()))
            .map(|v| {
                v.split(|b| *b == b',' || b.is_ascii_whitespace())
                    .filter(|w| !w.is_empty())
                    .map(<[u8]>::to_vec)
                    .collect()
            })
            .unwrap_or_default();
        let mut vars: Vec<(Vec<u8>, Vec<u8>)> = self
            .opts
            .env
            .iter()
            .filter(|(k, _)| allowed.iter().any(|a| a == b"*" || a == k))
            .cloned()
            .collect();
        vars.sort();
        let items: Vec<HItem> = vars
            .iter()
            .map(|(k, v)| {
                let mut fmt = k.clone();
                fmt.push(b'=');
                fmt.extend_from_slice(v);
                HItem {
                    key: PyVal::Bytes(k.clone()),
                    value: PyVal::Bytes(v.clone()),
                    map: Mapping::vars([("key", text(k.clone())), ("value", text(v.clone()))]),
                    fmt,
                }
            })
            .collect();
        let compat = Compat {
            name: b"envvar".to_vec(),
            plural: b"envvars".to_vec(),
            separator: b" ".to_vec(),
            values: items.iter().map(|i| (None, i.map.clone())).collect(),
        };
        Value::List(Rc::new(Hybrid {
            is_dict: true,
            items,
            compat: Some(compat),
            int_keys: false,
        }))
    }

    /// `{namespaces}`: bookmarks, tags and branches naming the changeset.
    fn namespaces(&self, rev: Revision) -> TResult<Value> {
        let cs = self.changeset(rev)?;
        let bookmarks: Vec<Vec<u8>> = self
            .repo
            .bookmarks()?
            .on(&cs.node)
            .into_iter()
            .map(<[u8]>::to_vec)
            .collect();
        let tags: Vec<Vec<u8>> = if rev.is_null() {
            Vec::new()
        } else {
            self.repo
                .tags()?
                .on(&cs.node)
                .into_iter()
                .map(<[u8]>::to_vec)
                .collect()
        };
        let branches = vec![cs.branch().to_vec()];
        let mut items = Vec::new();
        let mut order = Vec::new();
        for (ns, templatename, names) in [
            ("bookmarks", "bookmark", bookmarks),
            ("tags", "tag", tags),
            ("branches", "branch", branches),
        ] {
            let inner = Value::List(Rc::new(Hybrid {
                is_dict: false,
                items: names
                    .iter()
                    .map(|n| HItem {
                        key: PyVal::Bytes(n.clone()),
                        value: PyVal::Bytes(n.clone()),
                        map: Mapping::vars([
                            ("name", text(n.clone())),
                            (templatename, text(n.clone())),
                        ]),
                        fmt: n.clone(),
                    })
                    .collect(),
                compat: Some(Compat {
                    name: b"name".to_vec(),
                    plural: b"names".to_vec(),
                    separator: b" ".to_vec(),
                    values: names
                        .iter()
                        .map(|n| (Some(n.clone()), Mapping::vars([("name", text(n.clone()))])))
                        .collect(),
                }),
                int_keys: false,
            }));
            order.push(ns.as_bytes().to_vec());
            items.push(HItem {
                key: PyVal::Bytes(ns.as_bytes().to_vec()),
                value: PyVal::List(names.iter().map(|n| PyVal::Bytes(n.clone())).collect()),
                map: Mapping::vars([
                    ("namespace", text(ns)),
                    ("names", inner),
                    ("builtin", text("True")),
                    ("colorname", text(templatename)),
                ]),
                fmt: ns.as_bytes().to_vec(),
            });
        }
        Ok(Value::List(Rc::new(Hybrid {
            is_dict: true,
            items,
            compat: Some(Compat {
                name: b"namespace".to_vec(),
                plural: b"namespaces".to_vec(),
                separator: b" ".to_vec(),
                values: order
                    .into_iter()
                    .map(|ns| (Some(ns.clone()), Mapping::vars([("namespace", text(ns))])))
                    .collect(),
            }),
            int_keys: false,
        })))
    }

    /// `rev:short` (children always show short nodes).
    fn format_changeid_short(&self, rev: Revision) -> TResult<Vec<u8>> {
        let node = self.changeset(rev)?.node;
        let mut out = rev.0.to_string().into_bytes();
        out.push(b':');
        out.extend_from_slice(&node.hex().as_bytes()[..12]);
        Ok(out)
    }

    fn copies_value(&self, copies: &[(Vec<u8>, Vec<u8>)]) -> Value {
        let items = copies
            .iter()
            .map(|(name, source)| {
                let mut fmt = name.clone();
                fmt.extend_from_slice(b" (");
                fmt.extend_from_slice(source);
                fmt.push(b')');
                HItem {
                    key: PyVal::Bytes(name.clone()),
                    value: PyVal::Bytes(source.clone()),
                    map: Mapping::vars([
                        ("name", text(name.clone())),
                        ("path", text(name.clone())),
                        ("source", text(source.clone())),
                    ]),
                    fmt,
                }
            })
            .collect();
        let compat = Compat {
            name: b"file_copy".to_vec(),
            plural: b"file_copies".to_vec(),
            separator: b" ".to_vec(),
            values: copies
                .iter()
                .map(|(n, s)| {
                    (
                        None,
                        Mapping::vars([("name", text(n.clone())), ("source", text(s.clone()))]),
                    )
                })
                .collect(),
        };
        Value::List(Rc::new(Hybrid {
            is_dict: true,
            items,
            compat: Some(compat),
            int_keys: false,
        }))
    }

    /// Copies recorded by the changeset: files it touched whose filelog
    /// revision names a copy source present in a parent (first parent
    /// first), sorted by destination.
    fn file_copies(&self, rev: Revision) -> TResult<Vec<(Vec<u8>, Vec<u8>)>> {
        if rev.is_null() {
            return Ok(Vec::new());
        }
        let cs = self.changeset(rev)?;
        Ok(crate::changes::changeset_copies(self.repo, &cs)?)
    }
}
