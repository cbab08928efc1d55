//! `qs identify`: a short summary of the working directory or a revision:
//! hash (with `+` when there are uncommitted changes), number, branch, tags
//! and bookmarks.

use qs_repo::{revspec, Repo};
use qs_store::{Node, Revision, NULL_NODE};

use super::{unsupported_options, CommandDef, Invocation, RepoNeed, TEMPLATE_OPT};
use crate::error::{CliError, CliResult};
use crate::opts::OptSpec;

pub const COMMAND: CommandDef = CommandDef {
    name: "identify",
    aliases: &["id"],
    synopsis: "identify [-nibtB] [-r REV] [SOURCE]",
    summary: "identify the working directory or specified revision",
    options: &[
        OptSpec::value(Some('r'), "rev", "REV", "identify this revision"),
        OptSpec::flag(Some('n'), "num", "show the local revision number"),
        OptSpec::flag(Some('i'), "id", "show the global revision id"),
        OptSpec::flag(Some('b'), "branch", "show the branch"),
        OptSpec::flag(Some('t'), "tags", "show tags"),
        OptSpec::flag(Some('B'), "bookmarks", "show bookmarks"),
        OptSpec::value(Some('e'), "ssh", "CMD", "ssh command to use"),
        OptSpec::value(
            None,
            "remotecmd",
            "CMD",
            "hg command to run on the remote side",
        ),
        OptSpec::flag(None, "insecure", "do not verify server certificates"),
        TEMPLATE_OPT,
    ],
    max_args: Some(1),
    paged: false,
    repo: RepoNeed::Optional,
    run,
};

fn run(inv: &mut Invocation<'_, '_>) -> CliResult<i32> {
    unsupported_options(inv, &["ssh", "remotecmd", "insecure", "template"])?;
    if !inv.opts.positionals.is_empty() {
        return Err(CliError::abort_hint(
            "identifying a remote source is not supported by qs yet",
            "use Mercurial's 'hg identify SOURCE' for now",
        ));
    }
    let Some(repo) = inv.repo.as_ref() else {
        return Err(CliError::abort(
            "there is no Mercurial repository here (.hg not found)",
        ));
    };
    let debug = inv.ui.debug_flag();
    let hexfunc = |n: &Node| if debug { n.hex() } else { n.short() };
    let (num, id, branch, tags, bookmarks) = (
        inv.opts.flag("num"),
        inv.opts.flag("id"),
        inv.opts.flag("branch"),
        inv.opts.flag("tags"),
        inv.opts.flag("bookmarks"),
    );
    let default = !(num || id || branch || tags || bookmarks);
    let mut output: Vec<Vec<u8>> = Vec::new();
    let (branch_name, tag_list, bookmark_list) = match inv.opts.value("rev") {
        Some(spec) => {
            let rev = revspec::resolve_single(repo, spec)?;
            let node = repo.node(rev)?;
            if default || id {
                output.push(hexfunc(&node).into_bytes());
            }
            if num {
                output.push(rev.to_string().into_bytes());
            }
            let branch = repo.changeset(rev)?.branch().to_vec();
            (branch, names_on(repo, &node)?.0, names_on(repo, &node)?.1)
        }
        None => {
            let parents: Vec<Node> = repo
                .dirstate_parents()?
                .into_iter()
                .enumerate()
                .filter(|(i, n)| *i == 0 || *n != NULL_NODE)
                .map(|(_, n)| n)
                .collect();
            let dirty = if qs_repo::working::is_dirty(repo)? {
                "+"
            } else {
                ""
            };
            if default || id {
                let ids: Vec<String> = parents.iter().map(hexfunc).collect();
                output.push(format!("{}{dirty}", ids.join("+")).into_bytes());
            }
            if num {
                let mut nums = Vec::new();
                for p in &parents {
                    let rev = repo.changelog().rev_of_node(p)?.unwrap_or(Revision(-1));
                    nums.push(rev.to_string());
                }
                output.push(format!("{}{dirty}", nums.join("+")).into_bytes());
            }
            let mut tag_list = Vec::new();
            let mut bookmark_list = Vec::new();
            for p in &parents {
                let (t, b) = names_on(repo, p)?;
                tag_list.extend(t);
                bookmark_list.extend(b);
            }
            (qs_repo::working::branch(repo)?, tag_list, bookmark_list)
        }
    };
    if default && !inv.ui.quiet() {
        if branch_name != b"default" {
            let mut b = b"(".to_vec();
            b.extend_from_slice(&branch_name);
            b.push(b')');
            output.push(b);
        }
        if !tag_list.is_empty() {
            output.push(tag_list.join(&b'/'));
        }
        if !bookmark_list.is_empty() {
            output.push(bookmark_list.join(&b'/'));
        }
    } else {
        if branch {
            output.push(branch_name);
        }
        if tags {
            output.extend(tag_list);
        }
        if bookmarks {
            output.extend(bookmark_list);
        }
    }
    let mut line = output.join(&b' ');
    line.push(b'\n');
    inv.ui.write(&line)?;
    Ok(0)
}

/// A list of tag or bookmark names.
type Names = Vec<Vec<u8>>;

/// Tags and bookmarks on a node, each sorted.
fn names_on(repo: &Repo, node: &Node) -> CliResult<(Names, Names)> {
    let tags = repo
        .tags()?
        .on(node)
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    let marks = repo
        .bookmarks()?
        .on(node)
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    Ok((tags, marks))
}
