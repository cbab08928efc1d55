//! Evaluation of the optimized tree: hg's `getset(subset, tree, order)`.
//!
//! Every expression is evaluated against a `subset` it filters, and with an
//! ordering duty: `Define` (its own order wins, as at the top of a query
//! and on the left of `and`), `Follow` (keep the subset's order, as on the
//! right of `and`) or `Any`.

use qs_lang::{Kind, ParseError, Tree};
use qs_store::{Revision, NULL_REVISION};

use super::args::{getinteger, getstring};
use super::set::RevSet;
use super::{dag, predicates, RevsetError, RevsetResult};
use crate::error::RepoError;
use crate::repo::Repo;
use crate::revspec;

/// The ordering duty of an expression (hg's `defineorder`, `followorder`,
/// `anyorder`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Define,
    Follow,
    Any,
}

/// Evaluates trees against one repository.
pub struct Evaluator<'r> {
    pub repo: &'r Repo,
}

impl<'r> Evaluator<'r> {
    pub fn new(repo: &'r Repo) -> Self {
        Evaluator { repo }
    }

    /// The whole repository.
    pub fn full(&self) -> RevSet {
        RevSet::Full(self.repo.len())
    }

    /// `tree` evaluated within `subset`.
    pub fn getset(
        &self,
        subset: &RevSet,
        tree: Option<&Tree>,
        order: Order,
    ) -> RevsetResult<RevSet> {
        let Some(tree) = tree else {
            return Err(ParseError::new("missing argument").into());
        };
        let child = |i: usize| tree.child(i);
        match tree.kind() {
            Kind::Symbol | Kind::String => {
                self.string_set(subset, tree.value().unwrap_or_default())
            }
            Kind::Range => {
                let m = self.getset(&self.full(), child(0), Order::Define)?;
                let n = self.getset(&self.full(), child(1), Order::Define)?;
                match (m.first(), n.last()) {
                    (Some(a), Some(b)) => Ok(self.range(subset, a, b, order)),
                    _ => Ok(RevSet::empty()),
                }
            }
            Kind::RangeAll if self.repo.is_empty() => {
                // hg's `0:-1` in an empty repository fails on revision 0.
                Err(RevsetError::Lookup("unknown revision '0'".to_string()))
            }
            Kind::RangeAll => Ok(self.range(subset, Revision(0), self.repo.tip(), order)),
            Kind::RangePre => {
                let n = self.getset(&self.full(), child(0), Order::Define)?;
                match n.last() {
                    Some(b) => Ok(self.range(subset, Revision(0), b, order)),
                    None => Ok(RevSet::empty()),
                }
            }
            Kind::RangePost => {
                let m = self.getset(&self.full(), child(0), Order::Define)?;
                match m.first() {
                    Some(a) => Ok(self.range(subset, a, self.repo.tip(), order)),
                    None => Ok(RevSet::empty()),
                }
            }
            Kind::DagRange => {
                let roots = self.getset(&self.full(), child(0), Order::Define)?;
                let heads = self.getset(&self.full(), child(1), Order::Define)?;
                let reached = dag::dag_range(self.repo, &roots.to_vec(), &heads.to_vec())?;
                Ok(subset.and(&RevSet::List(reached.into_iter().collect())))
            }
            Kind::And => {
                let left = self.getset(subset, child(0), order)?;
                self.getset(&left, child(1), follow_unless_any(order))
            }
            Kind::AndSmally => {
                let right = self.getset(subset, child(1), follow_unless_any(order))?;
                self.getset(&right, child(0), order)
            }
            Kind::Difference => {
                let left = self.getset(subset, child(0), order)?;
                let right = self.getset(subset, child(1), Order::Any)?;
                Ok(left.minus(&right))
            }
            Kind::Or => self.or_set(subset, child(0), order),
            Kind::Not => {
                let inner = self.getset(subset, child(0), Order::Any)?;
                Ok(subset.minus(&inner))
            }
            Kind::ParentPost => predicates::parent_set(self, subset, child(0), 1, true),
            Kind::Parent => {
                let n = child(1)
                    .and_then(Tree::value)
                    .and_then(super::args::parse_int)
                    .filter(|n| (0..=2).contains(n))
                    .ok_or_else(|| ParseError::new("^ expects a number 0, 1, or 2"))?;
                predicates::parent_set(self, subset, child(0), n, false)
            }
            Kind::Ancestor => {
                let n = getinteger(child(1), "~ expects a number")?;
                self.nth_ancestor(subset, child(0), n)
            }
            Kind::Func => {
                let name = getstring(child(0), "not a symbol")?;
                predicates::call(self, subset, name, child(1), order)
            }
            Kind::List => Err(ParseError {
                message: b"can't use a list in this context".to_vec(),
                offset: None,
                hint: Some(b"see 'hg help \"revsets.x or y\"'".to_vec()),
            }
            .into()),
            Kind::KeyValue => {
                Err(ParseError::new("can't use a key-value pair in this context").into())
            }
            Kind::Subscript => Err(ParseError::new("can't use a subscript in this context").into()),
            Kind::Relation | Kind::RelSubscript => {
                let name = child(1)
                    .and_then(|t| t.leaf_value(Kind::Symbol))
                    .ok_or_else(|| ParseError::new("not a symbol"))?;
                if name == b"g" || name == b"generations" {
                    let z = if tree.kind() == Kind::RelSubscript {
                        child(2)
                    } else {
                        None
                    };
                    return self.generations(subset, child(0), z);
                }
                let mut message = b"unknown identifier: ".to_vec();
                message.extend_from_slice(name);
                Err(ParseError {
                    message,
                    offset: None,
                    hint: super::similar::hint_among(name, &["generations"])
                        .map(String::into_bytes),
                }
                .into())
            }
            other => Err(RevsetError::Unsupported(format!(
                "the revset operator '{}' is not supported by qs yet",
                other.name()
            ))),
        }
    }

    /// `x#generations[a:b]` (`z` the subscript, none for `x#g`): ancestors
    /// `-a..` generations up and descendants up to `b` down.
    fn generations(
        &self,
        subset: &RevSet,
        x: Option<&Tree>,
        z: Option<&Tree>,
    ) -> RevsetResult<RevSet> {
        const MAX: i64 = 0x8000_0000 - 1;
        let err1 = "relation subscript must be an integer or a range";
        let err2 = "relation subscript bounds must be integers";
        let bound = |t: Option<&Tree>, default: i64| -> RevsetResult<i64> {
            match t {
                None => Ok(default),
                Some(t) => Ok(getinteger(Some(t), err2)?),
            }
        };
        let (a, b) = match z {
            None => (-MAX, MAX),
            Some(t) if matches!(t.kind(), Kind::Symbol | Kind::String) => {
                let n = getinteger(Some(t), err1)?;
                (n, n)
            }
            Some(t) => match t.kind() {
                Kind::Range => (bound(t.child(0), -MAX)?, bound(t.child(1), MAX)?),
                Kind::RangePre => (-MAX, bound(t.child(0), MAX)?),
                Kind::RangePost => (bound(t.child(0), -MAX)?, MAX),
                Kind::RangeAll => (-MAX, MAX),
                _ => return Err(ParseError::new(err1).into()),
            },
        };
        let mut anc: Option<(i64, i64)> = None;
        let mut desc: Option<(i64, i64)> = None;
        if a == 0 && b == 0 {
            anc = Some((0, 1));
        }
        if a < 0 {
            anc = Some((-b.min(0), -a + 1));
        }
        if b > 0 {
            desc = Some((a.max(0), b + 1));
        }
        if anc.is_none() && desc.is_none() {
            return Ok(RevSet::empty());
        }
        let revs = self.getset(&self.full(), x, Order::Define)?.to_vec();
        if revs.is_empty() {
            return Ok(RevSet::empty());
        }
        let depth = |n: i64| usize::try_from(n).unwrap_or(usize::MAX);
        let mut found = std::collections::HashSet::new();
        if let Some((start, stop)) = anc {
            found.extend(dag::walk_ancestors(
                self.repo,
                &revs,
                false,
                depth(start),
                Some(depth(stop)),
            )?);
        }
        if let Some((start, stop)) = desc {
            found.extend(dag::descendants_by_depth(
                self.repo,
                &revs,
                false,
                depth(start),
                Some(depth(stop)),
            )?);
        }
        Ok(subset.and(&RevSet::from_revs(found)))
    }

    /// A name: hg's `stringset`.
    pub fn string_set(&self, subset: &RevSet, name: &[u8]) -> RevsetResult<RevSet> {
        if name.is_empty() {
            return Err(ParseError::new("empty string is not a valid revision").into());
        }
        let name = String::from_utf8_lossy(name);
        let rev = match revspec::resolve_symbol(self.repo, &name) {
            Ok(rev) => rev,
            Err(RepoError::UnknownRevision(name)) => {
                return Err(RevsetError::Lookup(format!("unknown revision '{name}'")))
            }
            Err(RepoError::AmbiguousIdentifier(name)) => {
                let prefix = name.strip_prefix('x').unwrap_or(&name);
                return Err(RevsetError::AmbiguousPrefix(prefix.to_string()));
            }
            Err(e) => return Err(e.into()),
        };
        if subset.contains(rev) || (rev == NULL_REVISION && subset.is_full()) {
            Ok(RevSet::one(rev))
        } else {
            Ok(RevSet::empty())
        }
    }

    /// `m:n` (descending when `m > n`) within `subset`.
    fn range(&self, subset: &RevSet, m: Revision, n: Revision, order: Order) -> RevSet {
        let span: Vec<Revision> = if m == n {
            vec![m]
        } else if m < n {
            (m.0..=n.0).map(Revision).collect()
        } else {
            (n.0..=m.0).rev().map(Revision).collect()
        };
        let span = RevSet::List(span);
        if order == Order::Define {
            span.and(subset)
        } else {
            subset.and(&span)
        }
    }

    fn or_set(&self, subset: &RevSet, list: Option<&Tree>, order: Order) -> RevsetResult<RevSet> {
        let operands = qs_lang::revset::arg_list(list);
        if operands.is_empty() {
            return Ok(RevSet::empty());
        }
        if order == Order::Follow {
            let all = self.or_list(&self.full(), &operands, Order::Any)?;
            return Ok(subset.and(&all));
        }
        self.or_list(subset, &operands, order)
    }

    fn or_list(&self, subset: &RevSet, operands: &[&Tree], order: Order) -> RevsetResult<RevSet> {
        let mut result: Option<RevSet> = None;
        for operand in operands {
            let set = self.getset(subset, Some(operand), order)?;
            result = Some(match result {
                None => set,
                Some(acc) => acc.union(&set),
            });
        }
        Ok(result.unwrap_or_else(RevSet::empty))
    }

    /// `x~n`: the nth first-parent ancestor (children for negative `n`).
    fn nth_ancestor(&self, subset: &RevSet, x: Option<&Tree>, n: i64) -> RevsetResult<RevSet> {
        let input = self.getset(&self.full(), x, Order::Define)?;
        let mut found = Vec::new();
        if n < 0 {
            'each: for mut rev in input.to_vec() {
                for _ in 0..n.unsigned_abs() {
                    let children = predicates::children_of(self.repo, rev)?;
                    match children.as_slice() {
                        [] => continue 'each,
                        [only] => rev = *only,
                        _ => {
                            return Err(RevsetError::Lookup(
                                "revision in set has more than one child".to_string(),
                            ))
                        }
                    }
                }
                found.push(rev);
            }
        } else {
            for mut rev in input.to_vec() {
                for _ in 0..n {
                    rev = self.repo.parents(rev)?[0];
                }
                found.push(rev);
            }
        }
        Ok(subset.and(&RevSet::from_revs(found)))
    }
}

fn follow_unless_any(order: Order) -> Order {
    if order == Order::Any {
        Order::Any
    } else {
        Order::Follow
    }
}
