//! `{latesttag}`, `{latesttagdistance}`, `{changessincelatesttag}` and
//! `latesttag(pattern)`: the closest global tags among a changeset's
//! ancestors, computed like hg's `get_latest_tags` (cached per pattern).

use std::collections::HashSet;
use std::rc::Rc;

use qs_store::{Revision, NULL_REVISION};

use super::keywords::LatestTag;
use super::value::{Compat, HItem, Hybrid, Mapping, PyVal, Value};
use super::{Engine, TResult};

fn text(b: impl Into<Vec<u8>>) -> Value {
    Value::Bytes(b.into())
}

impl Engine<'_> {
    /// hg's `get_latest_tags`: (date, distance, tags) of the closest
    /// global tags (matching `pattern`) among the ancestors.
    pub(crate) fn latest_tag(&self, rev: Revision, pattern: Option<&[u8]>) -> TResult<LatestTag> {
        let matcher = match pattern {
            Some(p) => Some(super::pyregex::StringMatcher::new(p)?),
            None => None,
        };
        let mut todo = vec![rev];
        while let Some(r) = todo.pop() {
            let known = self.latest_tags_cache(pattern, |c| {
                c.entry(NULL_REVISION)
                    .or_insert_with(|| (0, 0, vec![b"null".to_vec()]));
                c.contains_key(&r)
            });
            if known {
                continue;
            }
            let cs = self.changeset(r)?;
            let tags = self.repo.tags()?;
            let mut names: Vec<Vec<u8>> = tags
                .on(&cs.node)
                .into_iter()
                .filter(|t| *t != b"tip")
                .filter(|t| {
                    tags.by_name
                        .get(*t)
                        .is_some_and(|(_, kind)| *kind == crate::names::TagKind::Global)
                })
                .filter(|t| matcher.as_ref().is_none_or(|m| m.matches(t)))
                .map(<[u8]>::to_vec)
                .collect();
            if !names.is_empty() {
                names.sort();
                self.latest_tags_cache(pattern, |c| {
                    c.insert(r, (cs.date.seconds, 0, names));
                });
                continue;
            }
            let [p1, p2] = self.repo.parents(r)?;
            let parents: Vec<Revision> = if p2.is_null() { vec![p1] } else { vec![p1, p2] };
            let ptags: Vec<Option<LatestTag>> = self.latest_tags_cache(pattern, |c| {
                parents.iter().map(|p| c.get(p).cloned()).collect()
            });
            if ptags.iter().any(Option::is_none) {
                todo.push(r);
                todo.extend(parents.iter().copied());
                continue;
            }
            let ptags: Vec<LatestTag> = ptags.into_iter().flatten().collect();
            let best = if ptags.len() > 1 {
                if ptags[0].2 == ptags[1].2 {
                    if ptags[1] > ptags[0] {
                        ptags[1].clone()
                    } else {
                        ptags[0].clone()
                    }
                } else {
                    let key = |t: &LatestTag| -> TResult<(i64, i64)> {
                        let tag = t.2.first().cloned().unwrap_or_default();
                        Ok((-self.changes_since(r, &tag)?, t.0))
                    };
                    let k0 = key(&ptags[0])?;
                    let k1 = key(&ptags[1])?;
                    if k1 > k0 {
                        ptags[1].clone()
                    } else {
                        ptags[0].clone()
                    }
                }
            } else {
                ptags[0].clone()
            };
            self.latest_tags_cache(pattern, |c| {
                c.insert(r, (best.0, best.1 + 1, best.2));
            });
        }
        Ok(self
            .latest_tags_cache(pattern, |c| c.get(&rev).cloned())
            .unwrap_or((0, 0, vec![b"null".to_vec()])))
    }

    /// The `{latesttag}` value (also `latesttag(pattern)`).
    pub(crate) fn latest_tag_value(&self, rev: Revision, pattern: Option<&[u8]>) -> TResult<Value> {
        let (_, distance, tags) = self.latest_tag(rev, pattern)?;
        let items = tags
            .iter()
            .map(|t| HItem {
                key: PyVal::Bytes(t.clone()),
                value: PyVal::Bytes(t.clone()),
                map: Mapping::vars([
                    ("changes", Value::ChangesSinceTag),
                    ("distance", Value::Int(distance)),
                    ("latesttag", text(t.clone())),
                    ("tag", text(t.clone())),
                ]),
                fmt: t.clone(),
            })
            .collect();
        Ok(Value::List(Rc::new(Hybrid {
            is_dict: false,
            items,
            compat: Some(Compat {
                name: b"latesttag".to_vec(),
                plural: b"latesttags".to_vec(),
                separator: b":".to_vec(),
                values: tags
                    .iter()
                    .map(|t| {
                        (
                            Some(t.clone()),
                            Mapping::vars([("latesttag", text(t.clone()))]),
                        )
                    })
                    .collect(),
            }),
            int_keys: false,
        })))
    }

    /// `{changes}` inside a latest-tag mapping.
    pub(crate) fn changes_since_tag(&self, m: &Mapping) -> TResult<Value> {
        let Some(rev) = m.ctx else {
            return Ok(Value::None);
        };
        let tag = match m.get(b"tag") {
            Some(v) => self.show(v, m)?,
            None => Vec::new(),
        };
        Ok(Value::Int(self.changes_since(rev, &tag)?))
    }

    /// `len(only(rev, tag))`.
    pub(crate) fn changes_since(&self, rev: Revision, tag: &[u8]) -> TResult<i64> {
        let tag_rev = if tag == b"null" {
            NULL_REVISION
        } else {
            match self.repo.tags()?.get(tag) {
                Some(node) => crate::revspec::resolve_symbol(self.repo, &node.hex())?,
                None => NULL_REVISION,
            }
        };
        let excluded = self.ancestors(tag_rev)?;
        let mut count = 0;
        for r in self.ancestors(rev)? {
            if !excluded.contains(&r) {
                count += 1;
            }
        }
        Ok(count)
    }

    fn ancestors(&self, rev: Revision) -> TResult<HashSet<Revision>> {
        let mut seen = HashSet::new();
        if rev.is_null() {
            return Ok(seen);
        }
        let mut stack = vec![rev];
        while let Some(r) = stack.pop() {
            if r.is_null() || !seen.insert(r) {
                continue;
            }
            for p in self.repo.parents(r)? {
                if !p.is_null() {
                    stack.push(p);
                }
            }
        }
        Ok(seen)
    }
}
