//! Alias expansion shared by the revset and template grammars, following
//! the rules of hg's `[revsetalias]` / `[templatealias]` sections:
//! declarations `name = defn` (symbol style) and `name($1, $2) = defn`
//! (function style), parameters marked in the definition, recursive
//! expansion with detection of infinite recursion, and hg's messages for
//! bad declarations and definitions.

use std::collections::{BTreeMap, HashMap};

use crate::error::{AliasError, ParseError};
use crate::tree::{Kind, Tree};

/// Recognises a call: the function (or filter) name and its arguments.
pub type CallMatcher = for<'t> fn(&'t Tree) -> Option<(&'t [u8], Vec<&'t Tree>)>;

/// What a grammar supplies to alias handling.
#[derive(Debug, Clone, Copy)]
pub struct AliasRules {
    /// Name used in messages: `revset alias`, `template alias`.
    pub section: &'static str,
    /// Parses a declaration or a definition.
    pub parse: fn(&[u8]) -> Result<Tree, ParseError>,
    /// If the tree is a call of a named function (or a filter, for
    /// templates), its name and arguments.
    pub call: CallMatcher,
}

/// One parsed alias.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The declared name (the whole declaration when it is malformed).
    pub name: Vec<u8>,
    /// Parameter names of a function-style alias; `None` for symbol style.
    pub args: Option<Vec<Vec<u8>>>,
    /// hg's complete message for a bad declaration or definition.
    pub error: Option<Vec<u8>>,
    /// The definition, parameters marked as `_aliasarg` leaves.
    pub replacement: Option<Tree>,
}

/// A set of aliases keyed by name (a later declaration of a name replaces
/// an earlier one, as in hg).
#[derive(Debug, Clone)]
pub struct Aliases {
    rules: AliasRules,
    map: BTreeMap<Vec<u8>, Alias>,
}

impl Aliases {
    /// Parses `(declaration, definition)` pairs, as read from the config
    /// section. Bad entries are kept with their error: they only fail an
    /// expansion that uses them, and are otherwise reported by
    /// [`Aliases::warnings`].
    pub fn build(rules: AliasRules, items: &[(Vec<u8>, Vec<u8>)]) -> Aliases {
        let mut map = BTreeMap::new();
        for (decl, defn) in items {
            let alias = build_alias(&rules, decl, defn);
            map.insert(alias.name.clone(), alias);
        }
        Aliases { rules, map }
    }

    /// True when no alias is defined.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The parsed aliases, by name.
    pub fn get(&self, name: &[u8]) -> Option<&Alias> {
        self.map.get(name)
    }

    /// hg's warnings for bad aliases, sorted by name, each
    /// `warning: MESSAGE\n` (printed by hg after a successful revset
    /// expansion).
    pub fn warnings(&self) -> Vec<Vec<u8>> {
        self.map
            .values()
            .filter_map(|alias| alias.error.as_ref())
            .map(|error| {
                let mut line = b"warning: ".to_vec();
                line.extend_from_slice(error);
                line.push(b'\n');
                line
            })
            .collect()
    }

    /// Expands every alias use in `tree`, recursively.
    pub fn expand(&self, tree: &Tree) -> Result<Tree, AliasError> {
        let mut cache = HashMap::new();
        self.expand_in(tree, &mut Vec::new(), &mut cache)
    }

    fn lookup<'t>(&self, tree: &'t Tree) -> Option<(&Alias, Option<Vec<&'t Tree>>)> {
        if let Some(name) = tree.leaf_value(Kind::Symbol) {
            if let Some(alias) = self.map.get(name) {
                if alias.args.is_none() {
                    return Some((alias, None));
                }
            }
        }
        let (name, args) = (self.rules.call)(tree)?;
        let alias = self.map.get(name)?;
        alias.args.as_ref()?;
        Some((alias, Some(args)))
    }

    fn expand_in(
        &self,
        tree: &Tree,
        expanding: &mut Vec<Vec<u8>>,
        cache: &mut HashMap<Vec<u8>, Tree>,
    ) -> Result<Tree, AliasError> {
        let Some((alias, call_args)) = self.lookup(tree) else {
            return match tree {
                Tree::Leaf(..) => Ok(tree.clone()),
                Tree::Node(kind, children) => {
                    let mut out = Vec::with_capacity(children.len());
                    for child in children {
                        out.push(match child {
                            Some(child) => Some(self.expand_in(child, expanding, cache)?),
                            None => None,
                        });
                    }
                    Ok(Tree::Node(*kind, out))
                }
            };
        };
        if let Some(error) = &alias.error {
            return Err(AliasError::BadAlias(error.clone()));
        }
        if expanding.contains(&alias.name) {
            let mut message =
                format!("infinite expansion of {} \"", self.rules.section).into_bytes();
            message.extend_from_slice(&alias.name);
            message.extend_from_slice(b"\" detected");
            return Err(ParseError::new(message).into());
        }
        expanding.push(alias.name.clone());
        let result = match cache.get(&alias.name) {
            Some(cached) => cached.clone(),
            None => {
                let replacement = alias
                    .replacement
                    .as_ref()
                    .ok_or_else(|| AliasError::BadAlias(b"alias without definition".to_vec()))?;
                let expanded = self.expand_in(replacement, expanding, cache)?;
                cache.insert(alias.name.clone(), expanded.clone());
                expanded
            }
        };
        expanding.pop();
        let (Some(params), Some(call_args)) = (&alias.args, call_args) else {
            return Ok(result);
        };
        if call_args.len() != params.len() {
            return Err(ParseError::new(format!(
                "invalid number of arguments: {}",
                call_args.len()
            ))
            .into());
        }
        let mut values = HashMap::new();
        for (param, arg) in params.iter().zip(call_args) {
            values.insert(param.clone(), self.expand_in(arg, &mut Vec::new(), cache)?);
        }
        Ok(substitute(result, &values))
    }
}

/// Replaces `_aliasarg` leaves by the argument trees.
fn substitute(tree: Tree, values: &HashMap<Vec<u8>, Tree>) -> Tree {
    match tree {
        Tree::Leaf(Kind::AliasArg, name) => match values.get(&name) {
            Some(value) => value.clone(),
            None => Tree::Leaf(Kind::AliasArg, name),
        },
        Tree::Leaf(..) => tree,
        Tree::Node(kind, children) => Tree::Node(
            kind,
            children
                .into_iter()
                .map(|child| child.map(|c| substitute(c, values)))
                .collect(),
        ),
    }
}

fn build_alias(rules: &AliasRules, decl: &[u8], defn: &[u8]) -> Alias {
    let (name, args, decl_error) = parse_declaration(rules, decl);
    let mut replacement = None;
    let error = match decl_error {
        Some(error) => Some(format_error(rules, "declaration", &name, &error)),
        None => match parse_definition(rules, defn, args.as_deref()) {
            Ok(tree) => {
                replacement = Some(tree);
                None
            }
            Err(err) => Some(format_error(rules, "definition", &name, &err.detail())),
        },
    };
    Alias {
        name,
        args,
        error,
        replacement,
    }
}

fn format_error(rules: &AliasRules, what: &str, name: &[u8], error: &[u8]) -> Vec<u8> {
    let mut out = format!("bad {what} of {} \"", rules.section).into_bytes();
    out.extend_from_slice(name);
    out.extend_from_slice(b"\": ");
    out.extend_from_slice(error);
    out
}

type Declaration = (Vec<u8>, Option<Vec<Vec<u8>>>, Option<Vec<u8>>);

/// hg's `_builddecl`: (name, parameters, error).
fn parse_declaration(rules: &AliasRules, decl: &[u8]) -> Declaration {
    let tree = match (rules.parse)(decl) {
        Ok(tree) => tree,
        Err(err) => return (decl.to_vec(), None, Some(err.detail())),
    };
    if let Some(name) = tree.leaf_value(Kind::Symbol) {
        if name.starts_with(b"$") {
            let mut message = b"invalid symbol '".to_vec();
            message.extend_from_slice(name);
            message.push(b'\'');
            return (decl.to_vec(), None, Some(message));
        }
        return (name.to_vec(), None, None);
    }
    if let Some((name, args)) = (rules.call)(&tree) {
        if name.starts_with(b"$") {
            let mut message = b"invalid function '".to_vec();
            message.extend_from_slice(name);
            message.push(b'\'');
            return (decl.to_vec(), None, Some(message));
        }
        let mut params: Vec<Vec<u8>> = Vec::with_capacity(args.len());
        for arg in &args {
            match arg.leaf_value(Kind::Symbol) {
                Some(param) => params.push(param.to_vec()),
                None => return (decl.to_vec(), None, Some(b"invalid argument list".to_vec())),
            }
        }
        let mut unique = params.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != params.len() {
            return (
                name.to_vec(),
                None,
                Some(b"argument names collide with each other".to_vec()),
            );
        }
        return (name.to_vec(), Some(params), None);
    }
    (decl.to_vec(), None, Some(b"invalid format".to_vec()))
}

/// hg's `_builddefn`: the definition with parameters marked.
fn parse_definition(
    rules: &AliasRules,
    defn: &[u8],
    params: Option<&[Vec<u8>]>,
) -> Result<Tree, ParseError> {
    let tree = (rules.parse)(defn)?;
    mark_params(tree, params.unwrap_or(&[]))
}

fn mark_params(tree: Tree, params: &[Vec<u8>]) -> Result<Tree, ParseError> {
    match tree {
        Tree::Leaf(Kind::Symbol, name) => {
            if params.contains(&name) {
                Ok(Tree::Leaf(Kind::AliasArg, name))
            } else if name.starts_with(b"$") {
                let mut message = b"invalid symbol '".to_vec();
                message.extend_from_slice(&name);
                message.push(b'\'');
                Err(ParseError::new(message))
            } else {
                Ok(Tree::Leaf(Kind::Symbol, name))
            }
        }
        Tree::Leaf(..) => Ok(tree),
        Tree::Node(kind, children) => {
            let mut out = Vec::with_capacity(children.len());
            for child in children {
                out.push(match child {
                    Some(child) => Some(mark_params(child, params)?),
                    None => None,
                });
            }
            Ok(Tree::Node(kind, out))
        }
    }
}
