//! `sort(set[, keys])`: stable multi-key sorting of a set (keys `rev`,
//! `branch`, `desc`, `user`/`author`, `date`, `node`, each optionally
//! prefixed by `-` for descending).

use std::cmp::Ordering;

use qs_lang::{ParseError, Tree};

use super::args::{getargsdict, getstring, named};
use super::eval::{Evaluator, Order};
use super::set::RevSet;
use super::{RevsetError, RevsetResult};
use crate::changeset::Changeset;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Rev,
    Branch,
    Desc,
    User,
    Date,
    Node,
}

pub fn sort(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    args: Option<&Tree>,
    order: Order,
) -> RevsetResult<RevSet> {
    let args = getargsdict(
        args,
        "sort",
        &["set", "keys", "topo.firstbranch", "random.seed"],
    )?;
    let Some(set) = named(&args, "set") else {
        return Err(ParseError::new("sort requires one or two arguments").into());
    };
    let spec: &[u8] = match named(&args, "keys") {
        Some(t) => getstring(Some(t), "sort spec must be a string")?,
        None => b"rev",
    };
    let mut keys = Vec::new();
    for word in spec
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
    {
        let (reverse, name) = match word.strip_prefix(b"-") {
            Some(rest) => (true, rest),
            None => (false, word),
        };
        let key = match name {
            b"rev" => Key::Rev,
            b"branch" => Key::Branch,
            b"desc" => Key::Desc,
            b"user" | b"author" => Key::User,
            b"date" => Key::Date,
            b"node" => Key::Node,
            b"topo" | b"random" => {
                return Err(RevsetError::Unsupported(format!(
                    "sort key '{}' is not supported by qs yet",
                    String::from_utf8_lossy(name)
                )))
            }
            _ => {
                return Err(ParseError::new(format!(
                    "unknown sort key '{}'",
                    String::from_utf8_lossy(word)
                ))
                .into())
            }
        };
        keys.push((key, reverse));
    }
    if named(&args, "topo.firstbranch").is_some() {
        return Err(ParseError::new(
            "topo.firstbranch can only be used when using the topo sort key",
        )
        .into());
    }
    if named(&args, "random.seed").is_some() {
        return Err(
            ParseError::new("random.seed can only be used when using the random sort key").into(),
        );
    }
    let revs = ev.getset(subset, Some(set), order)?;
    if keys.is_empty() || order != Order::Define {
        return Ok(revs);
    }
    let mut changesets: Vec<Changeset> = Vec::with_capacity(revs.len());
    for rev in revs.to_vec() {
        changesets.push(ev.repo.changeset(rev)?);
    }
    for (key, reverse) in keys.iter().rev() {
        changesets.sort_by(|a, b| {
            let ordering = compare(*key, a, b);
            if *reverse {
                ordering.reverse()
            } else {
                ordering
            }
        });
    }
    Ok(RevSet::List(
        changesets.into_iter().map(|c| c.rev).collect(),
    ))
}

fn compare(key: Key, a: &Changeset, b: &Changeset) -> Ordering {
    match key {
        Key::Rev => a.rev.cmp(&b.rev),
        Key::Branch => a.branch().cmp(b.branch()),
        Key::Desc => a.description.cmp(&b.description),
        Key::User => a.user.cmp(&b.user),
        Key::Date => a.date.seconds.cmp(&b.date.seconds),
        Key::Node => a.node.as_bytes().cmp(b.node.as_bytes()),
    }
}
