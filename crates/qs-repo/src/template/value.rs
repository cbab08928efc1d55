//! Template values, modelled on hg's `templateutil` wrappers: plain bytes,
//! integers, booleans, dates, hybrid lists and dicts (`{files}`,
//! `{extras}`), single mappable items, sequences of mappings (`{p1}`,
//! `{parents % ...}` sources), results of the `%` operator, and revision
//! lists from `revset()`. [`PyVal`] is the "raw" value hg's `tovalue`
//! produces (what `json`, `count` and `dict()` see).

use std::collections::BTreeMap;
use std::rc::Rc;

use qs_store::Revision;

/// A raw value as hg's `tovalue` returns it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PyVal {
    None,
    Bool(bool),
    Int(i64),
    Bytes(Vec<u8>),
    /// A tuple (dates: `(unixtime, offset)`).
    Tuple(Vec<PyVal>),
    List(Vec<PyVal>),
    /// Keys in insertion order.
    Dict(Vec<(Vec<u8>, PyVal)>),
}

impl PyVal {
    /// hg's `flatten` of a raw value: bytes as they are, numbers in
    /// decimal, `None` as nothing, containers item by item (dict keys).
    pub fn flatten_into(&self, out: &mut Vec<u8>) {
        match self {
            PyVal::None => {}
            PyVal::Bool(b) => out.extend_from_slice(if *b { b"True" } else { b"False" }),
            PyVal::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            PyVal::Bytes(b) => out.extend_from_slice(b),
            PyVal::Tuple(items) | PyVal::List(items) => {
                for item in items {
                    item.flatten_into(out);
                }
            }
            PyVal::Dict(items) => {
                for (k, _) in items {
                    out.extend_from_slice(k);
                }
            }
        }
    }

    /// The flattened bytes.
    pub fn flatten(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.flatten_into(&mut out);
        out
    }

    /// Python's `repr()` as hg's error messages show values (`%r`).
    pub fn repr(&self) -> String {
        match self {
            PyVal::None => "None".into(),
            PyVal::Bool(b) => if *b { "True" } else { "False" }.into(),
            PyVal::Int(i) => i.to_string(),
            PyVal::Bytes(b) => format!("b{}", qs_store::pyrepr::python_repr(b)),
            PyVal::Tuple(items) => {
                let inner: Vec<String> = items.iter().map(PyVal::repr).collect();
                if inner.len() == 1 {
                    format!("({},)", inner[0])
                } else {
                    format!("({})", inner.join(", "))
                }
            }
            PyVal::List(items) => {
                let inner: Vec<String> = items.iter().map(PyVal::repr).collect();
                format!("[{}]", inner.join(", "))
            }
            PyVal::Dict(items) => {
                let inner: Vec<String> = items
                    .iter()
                    .map(|(k, v)| format!("b{}: {}", qs_store::pyrepr::python_repr(k), v.repr()))
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }
}

/// The variables a template sees: the changeset (hg's `ctx` resource) and
/// named values layered on top of it.
#[derive(Clone, Debug)]
pub struct Mapping {
    /// The changeset keywords refer to, if any.
    pub ctx: Option<Revision>,
    pub vars: Rc<BTreeMap<Vec<u8>, Value>>,
}

impl Mapping {
    /// A mapping of one changeset and no variables.
    pub fn for_rev(rev: Revision) -> Mapping {
        Mapping {
            ctx: Some(rev),
            vars: Rc::new(BTreeMap::new()),
        }
    }

    /// A mapping of variables only (no changeset).
    pub fn vars(vars: impl IntoIterator<Item = (&'static str, Value)>) -> Mapping {
        Mapping {
            ctx: None,
            vars: Rc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.as_bytes().to_vec(), v))
                    .collect(),
            ),
        }
    }

    pub fn get(&self, key: &[u8]) -> Option<&Value> {
        self.vars.get(key)
    }

    /// Sets one variable (copy on write).
    pub fn set(&mut self, key: &[u8], value: Value) {
        Rc::make_mut(&mut self.vars).insert(key.to_vec(), value);
    }
}

/// What `_showcompatlist` needs to render an old-style list through the
/// named templates `NAME`, `start_PLURAL`, `last_NAME`, `end_PLURAL`,
/// `no_PLURAL`.
#[derive(Clone, Debug)]
pub struct Compat {
    pub name: Vec<u8>,
    pub plural: Vec<u8>,
    pub separator: Vec<u8>,
    /// Each value: its plain text (joined with the separator when no
    /// template `NAME` exists) and its mapping for the template.
    pub values: Vec<(Option<Vec<u8>>, Mapping)>,
}

/// One element of a hybrid list or dict.
#[derive(Clone, Debug)]
pub struct HItem {
    /// The list item, or the dict key.
    pub key: PyVal,
    /// The dict value (the item again for lists).
    pub value: PyVal,
    /// hg's `makemap(item)`.
    pub map: Mapping,
    /// hg's `joinfmt(item)`.
    pub fmt: Vec<u8>,
}

/// hg's `hybrid`: a list or dict that can be shown, joined, mapped,
/// filtered and compared.
#[derive(Clone, Debug)]
pub struct Hybrid {
    pub is_dict: bool,
    pub items: Vec<HItem>,
    /// Old-style rendering for `show` (keywords), `None` after filtering.
    pub compat: Option<Compat>,
    /// `contains` converts the needle to an integer (parents).
    pub int_keys: bool,
}

/// hg's `hybriditem`: one value that is also a mapping (`{manifest}`,
/// `max(files)`, `get(extras, k)`).
#[derive(Clone, Debug)]
pub struct Item {
    pub value: PyVal,
    pub map: Mapping,
    /// Precomputed text of `show`, else the value's text.
    pub shown: Option<Vec<u8>>,
}

/// Sequences of mappings: `mappinglist`, `mappingdict` (a single
/// mapping), `mappingnone`.
#[derive(Clone, Debug)]
pub struct MapSeq {
    pub kind: MapSeqKind,
    pub maps: Vec<Mapping>,
    /// Literal template used to show each mapping.
    pub tmpl: Option<Vec<u8>>,
    pub sep: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapSeqKind {
    List,
    Dict,
    None,
}

/// A template value.
#[derive(Clone, Debug)]
pub enum Value {
    /// Python `None`: shows as nothing, false.
    None,
    Bytes(Vec<u8>),
    Int(i64),
    /// hg's `wrappedbool`: shows as `true` / `false`.
    Bool(bool),
    /// A date; `keyword` selects the `{date}` text `%d.0%d` over `%d %d`.
    Date {
        seconds: i64,
        offset: i32,
        keyword: bool,
    },
    List(Rc<Hybrid>),
    Item(Rc<Item>),
    Maps(Rc<MapSeq>),
    /// hg's `mappedgenerator`: the strings a `%` produced, shown joined.
    Strings(Rc<Vec<Vec<u8>>>),
    /// hg's `revslist` (from `revset()`), shown through the `revision`
    /// compat list.
    Revs(Rc<Vec<Revision>>),
    /// The `changes` entry of a `latesttag` mapping (computed on use).
    ChangesSinceTag,
}

impl Value {
    pub fn bytes(b: impl Into<Vec<u8>>) -> Value {
        Value::Bytes(b.into())
    }

    /// hg's `makewrapped` of a raw value.
    pub fn from_py(v: &PyVal) -> Value {
        match v {
            PyVal::None => Value::None,
            PyVal::Bool(b) => Value::Bytes(if *b {
                b"True".to_vec()
            } else {
                b"False".to_vec()
            }),
            PyVal::Int(i) => Value::Int(*i),
            PyVal::Bytes(b) => Value::Bytes(b.clone()),
            other => Value::Item(Rc::new(Item {
                value: other.clone(),
                map: Mapping::vars([]),
                shown: None,
            })),
        }
    }
}
