//! Revset functions (`ancestors(x)`, `branch(b)`, `sort(x, -date)`, ...):
//! each filters the subset or computes a set intersected with it, with the
//! order hg gives its result. Names hg knows but qs does not evaluate yet
//! abort clearly; unknown names are hg's parse error with its hint.

use std::collections::HashSet;

use qs_lang::{ParseError, Tree};
use qs_store::phases::Phase;
use qs_store::{NodePrefix, Revision, StoreError, NULL_REVISION};

use super::args::{getargs, getargsdict, getinteger, getstring, named, parse_int};
use super::eval::{Evaluator, Order};
use super::files::StatusField;
use super::set::RevSet;
use super::{dag, similar, RevsetError, RevsetResult};
use crate::repo::Repo;

type Args<'t> = Option<&'t Tree>;

/// Calls the function `name`.
pub fn call(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    name: &[u8],
    args: Args<'_>,
    order: Order,
) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let full = ev.full();
    let no_args = |what: &str| getargs(args, 0, Some(0), &format!("{what} takes no arguments"));
    match name {
        b"all" => {
            no_args("all")?;
            Ok(subset.and(&RevSet::List(full.to_vec())))
        }
        b"none" => {
            no_args("none")?;
            Ok(RevSet::empty())
        }
        b"ancestors" => ancestors(ev, subset, args),
        b"descendants" => descendants(ev, subset, args),
        b"parents" => {
            let mut found = Vec::new();
            match args {
                None => found.extend(working_parents(repo)?),
                Some(_) => {
                    for rev in ev.getset(&full, args, Order::Define)?.to_vec() {
                        found.extend(dag::parents(repo, rev)?);
                    }
                }
            }
            Ok(subset.and(&RevSet::from_revs(found)))
        }
        b"p1" | b"p2" => {
            let index = usize::from(name == b"p2");
            let mut found = Vec::new();
            match args {
                None => found.extend(working_parents(repo)?.get(index).copied()),
                Some(_) => {
                    for rev in ev.getset(&full, args, Order::Define)?.to_vec() {
                        let parent = repo.parents(rev)?[index];
                        if !parent.is_null() {
                            found.push(parent);
                        }
                    }
                }
            }
            Ok(subset.and(&RevSet::from_revs(found)))
        }
        b"children" => {
            let parents = ev.getset(&full, args, Order::Define)?;
            let Some(min) = parents.min() else {
                return Ok(RevSet::empty());
            };
            let children = subset.try_filter(|r| -> RevsetResult<bool> {
                if r <= min {
                    return Ok(false);
                }
                let [p1, p2] = repo.parents(r)?;
                Ok(parents.contains(p1) || (!p2.is_null() && parents.contains(p2)))
            })?;
            Ok(subset.and(&children))
        }
        b"heads" => {
            let inner = if order == Order::Define {
                Order::Follow
            } else {
                order
            };
            let input = ev.getset(&full, args, inner)?;
            let heads = dag::heads_of(repo, &input.to_vec())?;
            Ok(subset.and(&RevSet::from_revs(heads)))
        }
        b"roots" => {
            let input = ev.getset(&full, args, Order::Define)?;
            let roots = input.try_filter(|r| -> RevsetResult<bool> {
                Ok(!dag::parents(repo, r)?.iter().any(|p| input.contains(*p)))
            })?;
            Ok(subset.and(&roots))
        }
        b"merge" => {
            no_args("merge")?;
            subset.try_filter(|r| Ok(!repo.parents(r)?[1].is_null()))
        }
        b"head" => {
            no_args("head")?;
            let heads = repo
                .branchmap()?
                .values()
                .flat_map(|b| b.heads.iter().map(|(r, _)| *r))
                .collect::<Vec<_>>();
            Ok(subset.and(&RevSet::from_revs(heads)))
        }
        b"closed" => {
            no_args("closed")?;
            subset.try_filter(|r| Ok(repo.changeset(r)?.is_close()))
        }
        b"branch" => branch(ev, subset, args),
        b"user" | b"author" => {
            let what = String::from_utf8_lossy(name);
            let pattern = getstring(args, &format!("{what} requires a string"))?;
            let m = super::text::SubstringMatcher::new(pattern)?;
            if let Some(meta) = meta_for(repo, subset)? {
                let hits: Vec<bool> = meta.users().iter().map(|u| m.matches(u)).collect();
                return Ok(subset.filter(|r| {
                    meta.user_index(r)
                        .and_then(|i| hits.get(i).copied())
                        .unwrap_or(false)
                }));
            }
            subset.par_try_filter(|r| Ok(m.matches(&repo.changeset(r)?.user)))
        }
        b"desc" => {
            let pattern = getstring(args, "desc requires a string")?;
            let m = super::text::SubstringMatcher::new(pattern)?;
            subset.par_try_filter(|r| Ok(m.matches(&repo.changeset(r)?.description)))
        }
        b"keyword" => {
            let needle = lower(getstring(args, "keyword requires a string")?);
            subset.par_try_filter(|r| {
                let cs = repo.changeset(r)?;
                let found = cs
                    .files
                    .iter()
                    .chain([&cs.user, &cs.description])
                    .any(|t| contains(&lower(t), &needle));
                Ok(found)
            })
        }
        b"date" => {
            let spec = getstring(args, "date requires a string")?;
            let range = crate::datespec::match_date(spec, &repo.clock()).map_err(date_error)?;
            if let Some(meta) = meta_for(repo, subset)? {
                return Ok(subset.filter(|r| range.matches(meta.date(r).seconds)));
            }
            subset.par_try_filter(|r| Ok(range.matches(repo.changeset(r)?.date.seconds)))
        }
        b"file" => super::files::file(ev, subset, args),
        b"_matchfiles" => super::files::matchfiles(ev, subset, args),
        b"filelog" => super::files::filelog(ev, subset, args),
        b"modifies" => super::files::status_field(ev, subset, args, StatusField::Modified),
        b"adds" => super::files::status_field(ev, subset, args, StatusField::Added),
        b"removes" => super::files::status_field(ev, subset, args, StatusField::Removed),
        b"contains" => super::files::contains(ev, subset, args),
        b"follow" => super::files::follow(ev, subset, args, "follow", false),
        b"_followfirst" => super::files::follow(ev, subset, args, "_followfirst", true),
        b"grep" => super::text::grep(ev, subset, args),
        b"extra" => super::text::extra(ev, subset, args),
        b"converted" => super::text::converted(ev, subset, args),
        b"_firstancestors" => {
            let heads = ev.getset(&full, args, Order::Define)?;
            let found = dag::walk_ancestors(repo, &heads.to_vec(), true, 0, None)?;
            Ok(subset.and(&RevSet::from_revs(found)))
        }
        b"_firstdescendants" => {
            let roots = ev.getset(&full, args, Order::Define)?;
            if roots.is_empty() {
                return Ok(RevSet::empty());
            }
            let found = dag::first_descendants(repo, &roots.to_vec())?;
            Ok(subset.and(&RevSet::from_revs(found)))
        }
        b"commonancestors" => {
            let starts = ev.getset(&full, args, Order::Any)?.to_vec();
            if starts.is_empty() {
                return Ok(RevSet::empty());
            }
            let mut result = subset.clone();
            for r in starts {
                let ancestors = dag::ancestors(repo, &[r], 0, None)?;
                result = result.and(&RevSet::from_revs(ancestors));
            }
            Ok(result)
        }
        b"_commonancestorheads" => {
            let starts = ev.getset(&full, args, Order::Any)?.to_vec();
            let mut common: Option<HashSet<Revision>> = None;
            for r in &starts {
                let ancestors = dag::ancestors(repo, &[*r], 0, None)?;
                common = Some(match common {
                    None => ancestors,
                    Some(c) => c.intersection(&ancestors).copied().collect(),
                });
            }
            let common: Vec<Revision> = common.unwrap_or_default().into_iter().collect();
            let heads = dag::heads_of(repo, &common)?;
            Ok(subset.and(&RevSet::from_revs(heads)))
        }
        b"obsolete" | b"unstable" | b"orphan" | b"contentdivergent" | b"phasedivergent"
        | b"extinct" | b"hidden" | b"bumped" | b"divergent" => {
            let what = String::from_utf8_lossy(name);
            no_args(&what)?;
            // Without obsolescence markers (qs writes none) these are empty.
            if repo.store_path().join("obsstore").exists() {
                return Err(RevsetError::Unsupported(format!(
                    "revset function '{what}' with obsolescence markers is not supported by qs yet"
                )));
            }
            Ok(RevSet::empty())
        }
        b"successors" => {
            if repo.store_path().join("obsstore").exists() {
                return Err(RevsetError::Unsupported(
                    "revset function 'successors' with obsolescence markers is not supported by qs yet"
                        .to_string(),
                ));
            }
            let input = ev.getset(&full, args, Order::Define)?;
            Ok(subset.and(&input))
        }
        b"bisect" | b"bisected" => {
            let status = getstring(args, "bisect requires a string")?.to_ascii_lowercase();
            match crate::bisect::get(repo, &status)? {
                // The whole repository keeps a marked null revision.
                Some(set) if subset.is_full() && set.contains(&NULL_REVISION) => {
                    Ok(RevSet::ascending(set))
                }
                Some(set) => Ok(subset.filter(|r| set.contains(&r))),
                None => Err(ParseError::new("invalid bisect state").into()),
            }
        }
        b"branchpoint" => {
            no_args("branchpoint")?;
            let Some(base) = subset.min() else {
                return Ok(RevSet::empty());
            };
            let mut children = vec![0u32; repo.len().saturating_sub(base.0.max(0) as usize)];
            for r in (base.0 + 1).max(0)..repo.len() as i32 {
                for p in repo.parents(Revision(r))? {
                    if p >= base && !p.is_null() {
                        if let Some(count) = children.get_mut((p.0 - base.0) as usize) {
                            *count += 1;
                        }
                    }
                }
            }
            Ok(subset.filter(|r| {
                usize::try_from(r.0 - base.0)
                    .ok()
                    .and_then(|i| children.get(i))
                    .is_some_and(|c| *c > 1)
            }))
        }
        b"expectsize" => expectsize(ev, subset, args, order),
        b"revset" => ev.getset(subset, args, order),
        b"_rev" => {
            let list = getargs(args, 1, Some(1), "rev requires one argument")?;
            let text = getstring(list.first().copied(), "rev requires a number")?;
            let n = parse_int(text).ok_or_else(|| ParseError::new("rev expects a number"))?;
            let rev = Revision(i32::try_from(n).unwrap_or(i32::MIN));
            if !(rev.is_null() || full.contains(rev)) {
                return Err(RevsetError::Lookup(format!("unknown revision '{n}'")));
            }
            Ok(subset.and(&RevSet::one(rev)))
        }
        b"_phase" | b"_internal" => {
            let wanted: Vec<u32> = if name == b"_phase" {
                let list = getargs(args, 1, Some(1), "_phase requires one argument")?;
                let n = getinteger(list.first().copied(), "_phase expects a number")?;
                vec![u32::try_from(n).unwrap_or(u32::MAX)]
            } else {
                no_args("_internal")?;
                vec![Phase::Archived.number(), Phase::Internal.number()]
            };
            let phases = repo.phases()?;
            Ok(subset.filter(|r| {
                usize::try_from(r.0)
                    .ok()
                    .and_then(|i| phases.get(i))
                    .is_some_and(|p| wanted.contains(&p.number()))
            }))
        }
        b"tagged" => tag(ev, subset, args),
        b"matching" => super::content::matching(ev, subset, args),
        b"diffcontains" => super::content::diffcontains(ev, subset, args),
        b"nodefromfile" => nodefromfile(ev, subset, args),
        b"stack" => {
            let heads: Vec<Revision> = match args {
                None => working_parents(repo)?.into_iter().take(1).collect(),
                Some(_) => ev.getset(&full, args, Order::Define)?.to_vec(),
            };
            let mut found = HashSet::new();
            for head in heads {
                found.extend(stack_of(ev, head)?);
            }
            Ok(subset.and(&RevSet::from_revs(found)))
        }
        b"conflictlocal" | b"conflictother" => {
            no_args(&String::from_utf8_lossy(name))?;
            let state = crate::merge::state::MergeState::read(repo.dot_hg())?;
            let node = if name == b"conflictlocal" {
                state.local
            } else {
                state.other
            };
            match node.filter(|_| state.active()) {
                Some(node) => match repo.changelog().rev_of_node(&node)? {
                    Some(rev) => Ok(subset.and(&RevSet::one(rev))),
                    None => Ok(RevSet::empty()),
                },
                None => Ok(RevSet::empty()),
            }
        }
        b"origin" | b"destination" => super::sources::origin_or_destination(ev, subset, args, name),
        b"named" => super::sources::named(ev, subset, args),
        b"wdir" => {
            no_args("wdir")?;
            Err(crate::revspec::working_directory_unsupported().into())
        }
        b"limit" | b"first" => limit(ev, subset, args, order),
        b"last" => last(ev, subset, args, order),
        b"reverse" => {
            let set = ev.getset(subset, args, order)?;
            Ok(if order == Order::Define {
                set.reversed()
            } else {
                set
            })
        }
        b"sort" => super::sort::sort(ev, subset, args, order),
        b"min" | b"max" => {
            let input = ev.getset(&full, args, Order::Define)?;
            let pick = if name == b"min" {
                input.min()
            } else {
                input.max()
            };
            Ok(match pick {
                Some(rev) if subset.contains(rev) => RevSet::one(rev),
                _ => RevSet::empty(),
            })
        }
        b"only" => {
            let list = getargs(args, 1, Some(2), "only takes one or two arguments")?;
            let include = ev
                .getset(&full, list.first().copied(), Order::Define)?
                .to_vec();
            let exclude: Vec<Revision> = match list.get(1) {
                Some(second) => ev.getset(&full, Some(second), Order::Define)?.to_vec(),
                None => {
                    if include.is_empty() {
                        return Ok(RevSet::empty());
                    }
                    let below = dag::descendants(repo, &include)?;
                    repo.heads()?
                        .iter()
                        .copied()
                        .filter(|h| !below.contains(h))
                        .collect()
                }
            };
            Ok(subset.and(&RevSet::from_revs(dag::only(repo, &include, &exclude)?)))
        }
        b"public" | b"draft" | b"secret" | b"_notpublic" => {
            let what = String::from_utf8_lossy(name);
            no_args(&what)?;
            let phases = repo.phases()?;
            let wanted = |p: Phase| match name {
                b"public" => p == Phase::Public,
                b"draft" => p == Phase::Draft,
                b"secret" => p == Phase::Secret,
                _ => p != Phase::Public,
            };
            Ok(subset.filter(|r| {
                usize::try_from(r.0)
                    .ok()
                    .and_then(|i| phases.get(i))
                    .is_some_and(|p| wanted(*p))
            }))
        }
        b"_phaseandancestors" => {
            let list = getargs(
                args,
                2,
                Some(2),
                "_phaseandancestors requires two arguments",
            )?;
            let phase = getstring(
                list.first().copied(),
                "_phaseandancestors requires two arguments",
            )?;
            let heads = ev
                .getset(&full, list.get(1).copied(), Order::Define)?
                .to_vec();
            let phases = repo.phases()?;
            let keep = |p: Phase| match phase {
                b"secret" => p != Phase::Public && p != Phase::Draft,
                _ => p != Phase::Public,
            };
            let in_phase = |r: Revision| {
                usize::try_from(r.0)
                    .ok()
                    .and_then(|i| phases.get(i))
                    .is_some_and(|p| keep(*p))
            };
            let mut found = HashSet::new();
            let mut stack: Vec<Revision> = heads.into_iter().filter(|r| in_phase(*r)).collect();
            while let Some(rev) = stack.pop() {
                if found.insert(rev) {
                    stack.extend(
                        dag::parents(repo, rev)?
                            .into_iter()
                            .filter(|p| in_phase(*p)),
                    );
                }
            }
            if phase == b"draft" {
                found.retain(|r| {
                    usize::try_from(r.0).ok().and_then(|i| phases.get(i)) == Some(&Phase::Draft)
                });
            }
            Ok(subset.and(&RevSet::from_revs(found)))
        }
        b"ancestor" => {
            let operands: Vec<&Tree> = qs_lang::revset::arg_list(args);
            let mut revs = Vec::new();
            for operand in operands {
                for rev in ev.getset(&full, Some(operand), Order::Define)?.to_vec() {
                    if !revs.contains(&rev) {
                        revs.push(rev);
                    }
                }
            }
            let Some((&first, rest)) = revs.split_first() else {
                return Ok(RevSet::empty());
            };
            let mut ancestor = first;
            for &other in rest {
                ancestor = crate::merge::ancestor(repo, ancestor, other)?;
            }
            Ok(if subset.contains(ancestor) {
                RevSet::one(ancestor)
            } else {
                RevSet::empty()
            })
        }
        b"present" => match ev.getset(subset, args, order) {
            Err(RevsetError::Lookup(_)) => Ok(RevSet::empty()),
            other => other,
        },
        b"rev" => {
            let list = getargs(args, 1, Some(1), "rev requires one argument")?;
            let text = getstring(list.first().copied(), "rev requires a number")?;
            let n = parse_int(text).ok_or_else(|| ParseError::new("rev expects a number"))?;
            let rev = Revision(i32::try_from(n).unwrap_or(i32::MIN));
            let known = rev.is_null() || full.contains(rev);
            Ok(
                if known && (subset.contains(rev) || (rev.is_null() && subset.is_full())) {
                    RevSet::one(rev)
                } else {
                    RevSet::empty()
                },
            )
        }
        b"id" => {
            let list = getargs(args, 1, Some(1), "id requires one argument")?;
            let text = getstring(list.first().copied(), "id requires a string")?;
            let found = match NodePrefix::from_hex(text) {
                Some(prefix) if text.len() <= 40 => match repo.changelog().rev_of_prefix(&prefix) {
                    Ok(found) => found,
                    Err(StoreError::AmbiguousPrefix) => None,
                    Err(e) => return Err(e.into()),
                },
                _ => None,
            };
            Ok(match found {
                Some(rev) => RevSet::one(rev).and(subset),
                None if crate::revspec::is_working_directory_prefix(text) => {
                    return Err(crate::revspec::working_directory_unsupported().into())
                }
                None => RevSet::empty(),
            })
        }
        b"tag" => tag(ev, subset, args),
        b"bookmark" => bookmark(ev, subset, args),
        b"_list" => ordered_list(ev, subset, args, order, ListKind::Symbols),
        b"_intlist" => ordered_list(ev, subset, args, order, ListKind::Ints),
        b"_hexlist" => ordered_list(ev, subset, args, order, ListKind::Hex),
        _ if similar::is_hg_predicate(name) => Err(RevsetError::Unsupported(format!(
            "revset function '{}' is not supported by qs yet",
            String::from_utf8_lossy(name)
        ))),
        _ => {
            let mut message = b"unknown identifier: ".to_vec();
            message.extend_from_slice(name);
            Err(ParseError {
                message,
                offset: None,
                hint: similar::hint(name).map(String::into_bytes),
            }
            .into())
        }
    }
}

/// `x^n` / `x^`: the nth parent of each member (`^0` the member itself).
/// `x^` (`post`) drops the null revision; `x^1` keeps it, as hg does.
pub fn parent_set(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    x: Args<'_>,
    n: i64,
    post: bool,
) -> RevsetResult<RevSet> {
    let input = ev.getset(&ev.full(), x, Order::Define)?;
    let mut found = Vec::new();
    for rev in input.to_vec() {
        match n {
            0 => found.push(rev),
            1 => {
                let p1 = ev.repo.parents(rev)?[0];
                if !(post && p1.is_null()) {
                    found.push(p1);
                }
            }
            _ => {
                let p2 = ev.repo.parents(rev)?[1];
                if !p2.is_null() {
                    found.push(p2);
                }
            }
        }
    }
    Ok(subset.and(&RevSet::from_revs(found)))
}

/// Children of `rev`, ascending.
pub fn children_of(repo: &Repo, rev: Revision) -> RevsetResult<Vec<Revision>> {
    let mut out = Vec::new();
    for r in (rev.0 + 1).max(0)..repo.len() as i32 {
        let [p1, p2] = repo.parents(Revision(r))?;
        if p1 == rev || (p2 == rev && !p2.is_null()) {
            out.push(Revision(r));
        }
    }
    Ok(out)
}

/// hg's `expectsize(set, size)`: the set, when its size is `size` (an
/// integer or a range `a:b`, either side optional); else a lookup error.
fn expectsize(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    args: Args<'_>,
    order: Order,
) -> RevsetResult<RevSet> {
    let args = getargsdict(args, "expectsize", &["set", "size"])?;
    let (Some(set), Some(size)) = (named(&args, "set"), named(&args, "size")) else {
        return Err(ParseError::new("invalid set of arguments").into());
    };
    let err1 = "expectsize requires a size range or a positive integer";
    let err2 = "size range bounds must be integers";
    let bound = |t: Option<&Tree>, default: i64| -> RevsetResult<i64> {
        match t {
            None => Ok(default),
            Some(t) => Ok(getinteger(Some(t), err2)?),
        }
    };
    let (lo, hi) = (0, ev.repo.len() as i64 + 1);
    let (min, max) = match size.kind() {
        qs_lang::Kind::String | qs_lang::Kind::Symbol => {
            let n = getinteger(Some(size), err1)?;
            (n, n)
        }
        qs_lang::Kind::Range => (bound(size.child(0), lo)?, bound(size.child(1), hi)?),
        qs_lang::Kind::RangePre => (lo, bound(size.child(0), hi)?),
        qs_lang::Kind::RangePost => (bound(size.child(0), lo)?, hi),
        qs_lang::Kind::RangeAll => (lo, hi),
        _ => return Err(ParseError::new(err1).into()),
    };
    if min < 0 || max < 0 {
        return Err(ParseError::new("negative size").into());
    }
    let revs = ev.getset(&ev.full(), Some(set), order)?;
    let len = revs.len() as i64;
    if min != max && (len < min || len > max) {
        return Err(RevsetError::Lookup(format!(
            "revset size mismatch. expected between {min} and {max}, got {len}"
        )));
    }
    if min == max && len != min {
        return Err(RevsetError::Lookup(format!(
            "revset size mismatch. expected {min}, got {len}"
        )));
    }
    Ok(if order == Order::Follow {
        subset.and(&revs)
    } else {
        revs.and(subset)
    })
}

/// hg's `nodefromfile(path)`: the changesets whose full or abbreviated
/// hex ids are the lines of a file (relative to the command's directory).
fn nodefromfile(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let path = getstring(args, "nodefromfile require a file path")?;
    let path_str = String::from_utf8_lossy(path).into_owned();
    let full = {
        use std::os::unix::ffi::OsStrExt;
        let given = std::path::Path::new(std::ffi::OsStr::from_bytes(path));
        let cwd = String::from_utf8_lossy(&repo.cwd()).into_owned();
        repo.root().join(cwd).join(given)
    };
    let content = std::fs::read(&full).map_err(|e| {
        RevsetError::Repo(crate::error::RepoError::Message(format!(
            "cannot open nodes file \"{path_str}\": {}",
            crate::util::strerror(&e)
        )))
    })?;
    let mut found = Vec::new();
    for line in content.split_inclusive(|&b| b == b'\n') {
        let hex = line.trim_ascii();
        let rev = if hex.len() == 40 {
            match qs_store::Node::from_hex(hex) {
                Some(node) => repo.changelog().rev_of_node(&node)?,
                None => None,
            }
        } else {
            match NodePrefix::from_hex(hex) {
                Some(prefix) if !hex.is_empty() => {
                    match repo.changelog().rev_of_prefix(&prefix) {
                        Ok(found) => found,
                        // hg's lookup error here means "no node".
                        Err(StoreError::AmbiguousPrefix) => None,
                        Err(e) => return Err(e.into()),
                    }
                }
                _ => None,
            }
        };
        found.extend(rev);
    }
    Ok(subset.and(&RevSet::from_revs(found)))
}

/// hg's stack of `rev`: `only(rev) and not public() and not ::merge()`.
fn stack_of(ev: &Evaluator<'_>, rev: Revision) -> RevsetResult<Vec<Revision>> {
    let repo = ev.repo;
    let spec = format!("only({}) and not public() and not ::merge()", rev.0);
    super::evaluate_specs(repo, &[spec], &[]).map(|v| v.into_iter().collect())
}

fn working_parents(repo: &Repo) -> RevsetResult<Vec<Revision>> {
    let mut out = Vec::new();
    for node in repo.dirstate_parents()? {
        if let Some(rev) = repo.changelog().rev_of_node(&node)? {
            if !rev.is_null() {
                out.push(rev);
            }
        }
    }
    Ok(out)
}

fn depth_arg(
    args: &[(&'static str, &Tree)],
    key: &str,
    error: &str,
) -> RevsetResult<Option<usize>> {
    match named(args, key) {
        None => Ok(None),
        Some(tree) => {
            let n = getinteger(Some(tree), error)?;
            if n < 0 {
                let what = if key == "depth" {
                    "negative depth"
                } else {
                    "negative startdepth"
                };
                return Err(ParseError::new(what).into());
            }
            Ok(Some(usize::try_from(n).unwrap_or(usize::MAX)))
        }
    }
}

fn ancestors(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let args = getargsdict(args, "ancestors", &["set", "depth", "startdepth"])?;
    let Some(set) = named(&args, "set") else {
        return Err(ParseError::new("ancestors takes at least 1 argument").into());
    };
    let start = depth_arg(
        &args,
        "startdepth",
        "ancestors expects an integer startdepth",
    )?;
    let depth = depth_arg(&args, "depth", "ancestors expects an integer depth")?;
    let heads = ev.getset(&ev.full(), Some(set), Order::Define)?;
    if heads.is_empty() {
        return Ok(RevSet::empty());
    }
    let stop = depth.map(|d| d.saturating_add(1));
    let found = dag::ancestors(ev.repo, &heads.to_vec(), start.unwrap_or(0), stop)?;
    Ok(subset.and(&RevSet::from_revs(found)))
}

fn descendants(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let args = getargsdict(args, "descendants", &["set", "depth", "startdepth"])?;
    let Some(set) = named(&args, "set") else {
        return Err(ParseError::new("descendants takes at least 1 argument").into());
    };
    let start = depth_arg(
        &args,
        "startdepth",
        "descendants expects an integer startdepth",
    )?;
    let depth = depth_arg(&args, "depth", "descendants expects an integer depth")?;
    if start.is_some() || depth.is_some() {
        let roots = ev.getset(&ev.full(), Some(set), Order::Define)?;
        if roots.is_empty() {
            return Ok(RevSet::empty());
        }
        let stop = depth.map(|d| d.saturating_add(1));
        let found =
            dag::descendants_by_depth(ev.repo, &roots.to_vec(), false, start.unwrap_or(0), stop)?;
        return Ok(subset.and(&RevSet::from_revs(found)));
    }
    let roots = ev.getset(&ev.full(), Some(set), Order::Define)?;
    if roots.is_empty() {
        return Ok(RevSet::empty());
    }
    let found = dag::descendants(ev.repo, &roots.to_vec())?;
    Ok(subset.and(&RevSet::from_revs(found)))
}

fn limit(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    args: Args<'_>,
    order: Order,
) -> RevsetResult<RevSet> {
    let args = getargsdict(args, "limit", &["set", "n", "offset"])?;
    let Some(set) = named(&args, "set") else {
        return Err(ParseError::new("limit requires one to three arguments").into());
    };
    let lim = match named(&args, "n") {
        Some(t) => getinteger(Some(t), "limit expects a number")?,
        None => 1,
    };
    if lim < 0 {
        return Err(ParseError::new("negative number to select").into());
    }
    let offset = match named(&args, "offset") {
        Some(t) => getinteger(Some(t), "limit expects a number")?,
        None => 0,
    };
    if offset < 0 {
        return Err(ParseError::new("negative offset").into());
    }
    let (offset, lim) = (offset as usize, lim as usize);
    let all = ev.getset_enough(set, offset.saturating_add(lim), false)?;
    let picked = all.slice(offset, offset.saturating_add(lim));
    Ok(if order == Order::Follow && lim > 1 {
        subset.and(&picked)
    } else {
        picked.and(subset)
    })
}

fn last(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>, order: Order) -> RevsetResult<RevSet> {
    let list = getargs(args, 1, Some(2), "last requires one or two arguments")?;
    let lim = match list.get(1) {
        Some(t) => getinteger(Some(t), "last expects a number")?,
        None => 1,
    };
    if lim < 0 {
        return Err(ParseError::new("negative number to select").into());
    }
    let Some(set) = list.first().copied() else {
        return Err(ParseError::new("last requires one or two arguments").into());
    };
    let all = ev.getset_enough(set, lim as usize, true)?;
    let picked = all.reversed().slice(0, lim as usize);
    Ok(if order == Order::Follow && lim > 1 {
        subset.and(&picked)
    } else {
        picked.reversed().and(subset)
    })
}

fn branch(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let infos = repo.branch_infos()?;
    let branch_of = |r: Revision| -> &[u8] {
        usize::try_from(r.0)
            .ok()
            .and_then(|i| infos.get(i))
            .map_or(b"default".as_slice(), |b| b.branch.as_slice())
    };
    if let Ok(text) = getstring(args, "") {
        let (kind, pattern) = split_pattern(text);
        match kind {
            PatternKind::Regex => {
                let re = super::text::compile_regex(pattern, false)?;
                return Ok(subset.filter(|r| re.is_match(branch_of(r))));
            }
            PatternKind::Literal { explicit } => {
                if repo.branchmap()?.contains_key(pattern) {
                    return Ok(subset.filter(|r| branch_of(r) == pattern));
                }
                if explicit {
                    return Err(RevsetError::Lookup(format!(
                        "branch '{}' does not exist",
                        String::from_utf8_lossy(pattern)
                    )));
                }
            }
        }
    }
    let input = ev.getset(&ev.full(), args, Order::Define)?;
    let names: HashSet<&[u8]> = input.to_vec().into_iter().map(branch_of).collect();
    Ok(subset.filter(|r| input.contains(r) || names.contains(branch_of(r))))
}

fn tag(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let list = getargs(args, 0, Some(1), "tag takes one or no arguments")?;
    let tags = repo.tags()?;
    let mut found = Vec::new();
    match list.first() {
        Some(arg) => {
            let text = getstring(Some(arg), "the argument to tag must be a string")?;
            match split_pattern(text) {
                (PatternKind::Regex, pattern) => {
                    let re = super::text::compile_regex(pattern, false)?;
                    for (name, (node, _)) in &tags.by_name {
                        if re.is_match(name) {
                            found.extend(repo.changelog().rev_of_node(node)?);
                        }
                    }
                }
                (PatternKind::Literal { .. }, name) => match tags.get(name) {
                    Some(node) => found.extend(repo.changelog().rev_of_node(&node)?),
                    None => {
                        return Err(RevsetError::Lookup(format!(
                            "tag '{}' does not exist",
                            String::from_utf8_lossy(name)
                        )))
                    }
                },
            }
        }
        None => {
            for (name, (node, _)) in &tags.by_name {
                if name.as_slice() != b"tip" {
                    found.extend(repo.changelog().rev_of_node(node)?);
                }
            }
        }
    }
    Ok(subset.and(&RevSet::from_revs(found)))
}

fn bookmark(ev: &Evaluator<'_>, subset: &RevSet, args: Args<'_>) -> RevsetResult<RevSet> {
    let repo = ev.repo;
    let list = getargs(args, 0, Some(1), "bookmark takes one or no arguments")?;
    let marks = repo.bookmarks()?;
    let mut found = Vec::new();
    match list.first() {
        Some(arg) => {
            let text = getstring(Some(arg), "the argument to bookmark must be a string")?;
            match split_pattern(text) {
                (PatternKind::Regex, pattern) => {
                    let re = super::text::compile_regex(pattern, false)?;
                    for (name, node) in &marks.marks {
                        if re.is_match(name) {
                            found.extend(repo.changelog().rev_of_node(node)?);
                        }
                    }
                }
                (PatternKind::Literal { .. }, name) => match marks.get(name) {
                    Some(node) => found.extend(repo.changelog().rev_of_node(&node)?),
                    None => {
                        return Err(RevsetError::Lookup(format!(
                            "bookmark '{}' does not exist",
                            String::from_utf8_lossy(name)
                        )))
                    }
                },
            }
        }
        None => {
            for (_, node) in &marks.marks {
                found.extend(repo.changelog().rev_of_node(node)?);
            }
        }
    }
    found.retain(|r| !r.is_null());
    Ok(subset.and(&RevSet::from_revs(found)))
}

enum ListKind {
    Symbols,
    Ints,
    Hex,
}

/// `_list('a\0b')` and friends, made by the optimiser from `a + b`.
fn ordered_list(
    ev: &Evaluator<'_>,
    subset: &RevSet,
    args: Args<'_>,
    order: Order,
    kind: ListKind,
) -> RevsetResult<RevSet> {
    if order == Order::Follow {
        let all = ordered_list(ev, &ev.full(), args, Order::Define, kind)?;
        return Ok(subset.and(&all));
    }
    let text = getstring(args, "internal error")?;
    if text.is_empty() {
        return Ok(RevSet::empty());
    }
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for item in text.split(|b| *b == 0) {
        let revs: Vec<Revision> = match kind {
            ListKind::Symbols => match parse_int(item)
                .filter(|n| n.to_string().as_bytes() == item)
                .and_then(|n| i32::try_from(n).ok())
                .map(Revision)
                .filter(|r| ev.full().contains(*r) || r.is_null())
            {
                Some(rev) => vec![rev],
                None => ev.string_set(subset, item)?.into_vec(),
            },
            ListKind::Ints => parse_int(item)
                .and_then(|n| i32::try_from(n).ok())
                .map(Revision)
                .into_iter()
                .collect(),
            ListKind::Hex => {
                let node = qs_store::Node::from_hex(item);
                match node {
                    Some(node) => ev
                        .repo
                        .changelog()
                        .rev_of_node(&node)?
                        .into_iter()
                        .collect(),
                    None => Vec::new(),
                }
            }
        };
        for rev in revs {
            if !seen.insert(rev) {
                continue;
            }
            if subset.contains(rev) || (rev == NULL_REVISION && subset.is_full()) {
                out.push(rev);
            }
        }
    }
    Ok(RevSet::List(out))
}

enum PatternKind {
    Literal { explicit: bool },
    Regex,
}

/// hg's `stringmatcher` prefixes: `re:` and `literal:`.
fn split_pattern(text: &[u8]) -> (PatternKind, &[u8]) {
    if let Some(rest) = text.strip_prefix(b"re:") {
        (PatternKind::Regex, rest)
    } else if let Some(rest) = text.strip_prefix(b"literal:") {
        (PatternKind::Literal { explicit: true }, rest)
    } else {
        (PatternKind::Literal { explicit: false }, text)
    }
}

/// hg's `encoding.lower`: Unicode lowercase of UTF-8 text, ASCII otherwise.
/// The cached users and dates, when `subset` is large enough for them to
/// pay (see [`Repo::changelog_meta`]) and holds only real revisions.
pub fn meta_for<'r>(
    repo: &'r Repo,
    subset: &RevSet,
) -> RevsetResult<Option<&'r crate::changelog_meta::ChangelogMeta>> {
    if subset.len() < 64 || subset.min().is_none_or(|r| r.0 < 0) {
        return Ok(None);
    }
    Ok(repo.changelog_meta(subset.len())?)
}

pub fn lower(text: &[u8]) -> Vec<u8> {
    match std::str::from_utf8(text) {
        Ok(s) => s.to_lowercase().into_bytes(),
        Err(_) => text.to_ascii_lowercase(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// A bad date spec: hg's parse errors stay parse errors, others abort.
pub fn date_error(e: crate::datespec::DateError) -> RevsetError {
    if e.is_parse_error() {
        ParseError::new(e.to_string()).into()
    } else {
        RevsetError::Repo(crate::error::RepoError::Message(e.to_string()))
    }
}
