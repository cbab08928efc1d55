//! `verify`: a read-only integrity check of every revision, as hg's
//! verify does it — changesets (hash, parents, linkrevs), manifests (each
//! referenced by a changeset; their new entries collected from the stored
//! deltas), the cross-check between changeset file lists and manifests,
//! then every file revision (hash, linkrev, copy source, presence in a
//! manifest). Independent revisions and filelogs are checked in parallel;
//! messages come out in hg's order.

use std::collections::BTreeSet;

use foldhash::HashMap;

use qs_store::changelog::ChangelogEntry;
use qs_store::revlog::{LastText, Revlog};
use qs_store::{Node, Revision};
use rayon::prelude::*;

use crate::error::RepoResult;
use crate::repo::Repo;

/// One line of verify output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// Progress, on standard output (hidden by `-q`).
    Status(String),
    /// A problem, on standard error.
    Problem(String),
}

/// Everything verify found.
#[derive(Debug, Default)]
pub struct Report {
    pub lines: Vec<Line>,
    pub errors: usize,
    pub warnings: usize,
    /// Lowest changeset revision blamed by an error.
    pub first_bad: Option<i32>,
}

impl Report {
    fn status(&mut self, text: &str) {
        self.lines.push(Line::Status(format!("{text}\n")));
    }

    fn err(&mut self, linkrev: Option<i32>, msg: &str, file: Option<&[u8]>) {
        if let Some(lr) = linkrev {
            self.first_bad = Some(self.first_bad.map_or(lr, |b| b.min(lr)));
        }
        let lr = linkrev.map_or_else(|| "?".to_string(), |l| l.to_string());
        let text = match file {
            Some(f) => format!(" {}@{lr}: {msg}\n", String::from_utf8_lossy(f)),
            None => format!(" {lr}: {msg}\n"),
        };
        self.lines.push(Line::Problem(text));
        self.errors += 1;
    }

    fn warn(&mut self, msg: &str) {
        self.lines.push(Line::Problem(format!("{msg}\n")));
        self.warnings += 1;
    }

    fn merge(&mut self, other: Report) {
        self.lines.extend(other.lines);
        self.errors += other.errors;
        self.warnings += other.warnings;
        if let Some(b) = other.first_bad {
            self.first_bad = Some(self.first_bad.map_or(b, |x| x.min(b)));
        }
    }

    /// True if no error was found (warnings allowed).
    pub fn is_ok(&self) -> bool {
        self.errors == 0
    }
}

/// File nodes seen in manifests, with the linkrev that introduced each.
type FileNodes = HashMap<Node, Option<i32>>;

/// Manifest entries are gathered per file in this many independent maps,
/// filled in parallel (full snapshots repeat every entry, so this is most
/// of verify's sequential work otherwise).
const SHARDS: usize = 16;

fn shard_of(path: &[u8]) -> usize {
    // FNV-1a: cheap, and only spreads paths over the shards.
    let hash = path.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    (hash % SHARDS as u64) as usize
}

/// One entry line of a manifest text: the path is `text[start..end]`.
struct EntryRef {
    start: u32,
    end: u32,
    node: Node,
}

/// The entries a manifest revision introduces compared to the revision
/// its stored delta is against (all entries for a full snapshot): the
/// lines' text, kept so paths are borrowed rather than copied, and the
/// entries found in it, split into [`SHARDS`] buckets by path.
struct NewEntries {
    text: Vec<u8>,
    shards: Vec<Vec<EntryRef>>,
}

impl NewEntries {
    fn path(&self, entry: &EntryRef) -> &[u8] {
        // `start..end` was checked against this text when it was built.
        self.text
            .get(entry.start as usize..entry.end as usize)
            .unwrap_or_default()
    }
}

/// Every file seen in a manifest with its nodes, sharded by path; paths
/// are borrowed from the manifest texts.
struct ManifestFiles<'a> {
    shards: Vec<HashMap<&'a [u8], FileNodes>>,
}

impl<'a> ManifestFiles<'a> {
    /// Fills the shards in parallel; `per_rev[r]` holds what manifest
    /// revision `r` introduces (`None` when unreadable) and `linkrevs[r]`
    /// its linkrev. A node keeps the linkrev of the first revision naming
    /// it.
    fn build(per_rev: &'a [Option<NewEntries>], linkrevs: &[Option<i32>]) -> Self {
        let shards = (0..SHARDS)
            .into_par_iter()
            .map(|shard| {
                let mut map: HashMap<&'a [u8], FileNodes> = HashMap::default();
                for (entries, lr) in per_rev.iter().zip(linkrevs) {
                    let Some(entries) = entries else { continue };
                    for entry in &entries.shards[shard] {
                        map.entry(entries.path(entry))
                            .or_default()
                            .entry(entry.node)
                            .or_insert(*lr);
                    }
                }
                map
            })
            .collect();
        ManifestFiles { shards }
    }

    fn get(&self, path: &[u8]) -> Option<&FileNodes> {
        self.shards[shard_of(path)].get(path)
    }

    fn contains_key(&self, path: &[u8]) -> bool {
        self.get(path).is_some()
    }

    fn iter(&self) -> impl Iterator<Item = (&&'a [u8], &FileNodes)> {
        self.shards.iter().flat_map(|s| s.iter())
    }
}

/// What one changeset contributes to the later phases.
struct ChangesetInfo {
    manifest: Option<Node>,
    files: Vec<Vec<u8>>,
    report: Report,
}

/// Checks revisions of one revlog in order (hg's `_checkentry`).
struct EntryChecker<'a> {
    log: &'a Revlog,
    label: &'a [u8],
    changelog_len: usize,
    /// Already-checked nodes and their revision.
    seen: HashMap<Node, i32>,
}

impl<'a> EntryChecker<'a> {
    fn new(log: &'a Revlog, label: &'a [u8], changelog_len: usize) -> Self {
        EntryChecker {
            log,
            label,
            changelog_len,
            seen: HashMap::default(),
        }
    }

    /// Checks the linkrev and parents of revision `i`; returns the linkrev
    /// when it can be trusted.
    fn check(
        &mut self,
        report: &mut Report,
        i: Revision,
        node: &Node,
        expected_linkrevs: &[i32],
    ) -> Option<i32> {
        check_entry(report, self, i, node, expected_linkrevs)
    }
}

fn check_entry(
    report: &mut Report,
    checker: &mut EntryChecker<'_>,
    i: Revision,
    node: &Node,
    expected_linkrevs: &[i32],
) -> Option<i32> {
    let (log, label, changelog_len) = (checker.log, checker.label, checker.changelog_len);
    let seen = &mut checker.seen;
    let mut lr = match log.link_rev(i) {
        Ok(l) => Some(l.0),
        Err(e) => {
            report.err(
                None,
                &format!("checking linkrev of {}: {e}", node.short()),
                Some(label),
            );
            None
        }
    };
    if let Some(l) = lr {
        if l < 0 || !expected_linkrevs.contains(&l) {
            let msg = if l < 0 || l as usize >= changelog_len {
                format!("rev {} points to nonexistent changeset {l}", i.0)
            } else {
                format!("rev {} points to unexpected changeset {l}", i.0)
            };
            report.err(None, &msg, Some(label));
            if !expected_linkrevs.is_empty() {
                let list: Vec<String> = expected_linkrevs.iter().map(i32::to_string).collect();
                report.warn(&format!(" (expected {})", list.join(" ")));
            }
            lr = None;
        }
    }
    match log.parents(i) {
        Ok(parents) => {
            for (which, p) in parents.iter().enumerate() {
                if p.is_null() {
                    continue;
                }
                let pnode = log.node(*p).ok();
                if pnode.is_none_or(|n| !seen.contains_key(&n)) {
                    let pn = pnode.map_or_else(|| "?".to_string(), |n| n.short());
                    report.err(
                        lr,
                        &format!("unknown parent {} {pn} of {}", which + 1, node.short()),
                        Some(label),
                    );
                }
            }
        }
        Err(e) => report.err(
            lr,
            &format!("checking parents of {}: {e}", node.short()),
            Some(label),
        ),
    }
    if let Some(&first) = seen.get(node) {
        report.err(
            lr,
            &format!("duplicate revision {} ({first})", i.0),
            Some(label),
        );
    }
    seen.insert(*node, i.0);
    lr
}

/// Runs the whole check.
pub fn verify(repo: &Repo) -> RepoResult<Report> {
    let mut report = Report::default();
    let cl = repo.changelog();
    let cl_len = cl.len();

    report.status("checking changesets");
    let ml = repo.manifestlog()?;
    // The manifests' texts do not depend on the changesets: read them
    // while the changesets' sequential checks run.
    let (changesets, deltas) = rayon::join(
        || check_changesets(cl),
        || {
            (0..ml.len() as i32)
                .into_par_iter()
                .map(|r| manifest_new_entries(ml, Revision(r)))
                .collect::<Vec<_>>()
        },
    );
    let Changesets {
        report: changeset_report,
        mut manifest_linkrevs,
        file_linkrevs,
    } = changesets;
    report.merge(changeset_report);

    report.status("checking manifests");
    let mut ml_checker = EntryChecker::new(ml, b"manifest", cl_len);
    let mut linkrevs = Vec::with_capacity(deltas.len());
    let mut per_rev = Vec::with_capacity(deltas.len());
    for (r, entries) in deltas.into_iter().enumerate() {
        let rev = Revision(r as i32);
        let Ok(node) = ml.node(rev) else {
            linkrevs.push(None);
            per_rev.push(None);
            continue;
        };
        let expected = manifest_linkrevs.remove(&node);
        let lr = ml_checker.check(&mut report, rev, &node, expected.as_deref().unwrap_or(&[]));
        if expected.is_none() {
            report.err(
                lr,
                &format!("{} not in changesets", node.short()),
                Some(b"manifest"),
            );
        }
        linkrevs.push(lr);
        match entries {
            Ok(entries) => per_rev.push(Some(entries)),
            Err(e) => {
                per_rev.push(None);
                report.err(
                    lr,
                    &format!("reading delta {}: {e}", node.short()),
                    Some(b"manifest"),
                );
            }
        }
    }
    let file_nodes = ManifestFiles::build(&per_rev, &linkrevs);
    let mut dangling: Vec<(i32, Node)> = manifest_linkrevs
        .iter()
        .flat_map(|(m, revs)| revs.iter().map(move |c| (*c, *m)))
        .collect();
    dangling.sort();
    for (c, m) in dangling {
        report.err(
            Some(c),
            &format!("changeset refers to unknown revision {}", m.short()),
            Some(b"manifest"),
        );
    }

    report.status("crosschecking files in changesets and manifests");
    let mut changeset_files: Vec<(&Vec<u8>, &Vec<i32>)> = file_linkrevs.iter().collect();
    changeset_files.sort();
    for (f, revs) in changeset_files {
        if !file_nodes.contains_key(f) {
            report.err(
                revs.first().copied(),
                "in changeset but not in manifest",
                Some(f),
            );
        }
    }
    let mut manifest_files: Vec<(&&[u8], &FileNodes)> = file_nodes.iter().collect();
    manifest_files.sort_by(|a, b| a.0.cmp(b.0));
    for (f, nodes) in manifest_files {
        if !file_linkrevs.contains_key(*f) {
            let lr = nodes.values().flatten().min().copied();
            report.err(lr, "in manifest but not in changeset", Some(f));
        }
    }

    report.status("checking files");
    let files: BTreeSet<&[u8]> = file_nodes
        .iter()
        .map(|(f, _)| *f)
        .chain(file_linkrevs.keys().map(Vec::as_slice))
        .collect();
    let empty_nodes = FileNodes::default();
    let results: Vec<(Report, usize)> = files
        .par_iter()
        .map(|f| {
            let linkrevs = file_linkrevs.get(*f).map(Vec::as_slice).unwrap_or(&[]);
            let nodes = file_nodes.get(f).unwrap_or(&empty_nodes);
            check_filelog(repo, f, linkrevs, nodes, cl_len)
        })
        .collect();
    let mut revisions = 0;
    for (r, n) in results {
        report.merge(r);
        revisions += n;
    }

    if report.errors > 0 {
        report.lines.push(Line::Problem(
            "not checking dirstate because of previous errors\n".into(),
        ));
    } else {
        report.status("checking dirstate");
        for p in repo.dirstate_parents()? {
            if !p.is_null() && cl.rev_of_node(&p)?.is_none() {
                report.err(
                    None,
                    &format!("dirstate parent {} is not in the repository", p.short()),
                    None,
                );
            }
        }
    }
    report.status(&format!(
        "checked {cl_len} changesets with {revisions} changes to {} files",
        files.len()
    ));
    Ok(report)
}

/// What the changeset phase found, for the later phases.
struct Changesets {
    report: Report,
    /// Each manifest node with the changesets naming it.
    manifest_linkrevs: HashMap<Node, Vec<i32>>,
    /// Each file with the changesets listing it.
    file_linkrevs: HashMap<Vec<u8>, Vec<i32>>,
}

/// Checks every changeset: entries in parallel, then their linkrevs and
/// parents in order.
fn check_changesets(cl: &Revlog) -> Changesets {
    let cl_len = cl.len();
    let infos: Vec<ChangesetInfo> = (0..cl_len as i32)
        .into_par_iter()
        .map(|r| check_changeset(cl, Revision(r)))
        .collect();
    let mut report = Report::default();
    let mut cl_checker = EntryChecker::new(cl, b"changelog", cl_len);
    let mut manifest_linkrevs: HashMap<Node, Vec<i32>> = HashMap::default();
    let mut file_linkrevs: HashMap<Vec<u8>, Vec<i32>> = HashMap::default();
    for (r, info) in infos.into_iter().enumerate() {
        let rev = Revision(r as i32);
        if let Ok(node) = cl.node(rev) {
            cl_checker.check(&mut report, rev, &node, &[r as i32]);
        }
        report.merge(info.report);
        if let Some(m) = info.manifest {
            if !m.is_null() {
                manifest_linkrevs.entry(m).or_default().push(r as i32);
            }
        }
        for f in info.files {
            file_linkrevs.entry(f).or_default().push(r as i32);
        }
    }
    Changesets {
        report,
        manifest_linkrevs,
        file_linkrevs,
    }
}

fn check_changeset(cl: &Revlog, rev: Revision) -> ChangesetInfo {
    let mut report = Report::default();
    let short = cl.node(rev).map(|n| n.short()).unwrap_or_default();
    let parsed = cl.data(rev).map_err(|e| e.to_string()).and_then(|text| {
        ChangelogEntry::parse(&text).map(|e| {
            (
                Some(e.manifest_node),
                e.files().map(<[u8]>::to_vec).collect::<Vec<_>>(),
            )
        })
    });
    match parsed {
        Ok((manifest, files)) => ChangesetInfo {
            manifest,
            files,
            report,
        },
        Err(e) => {
            report.err(
                Some(rev.0),
                &format!("unpacking changeset {short}: {e}"),
                None,
            );
            ChangesetInfo {
                manifest: None,
                files: Vec::new(),
                report,
            }
        }
    }
}

/// Reads what manifest revision `rev` introduces (see [`NewEntries`]).
fn manifest_new_entries(ml: &Revlog, rev: Revision) -> Result<NewEntries, String> {
    let chunk = ml.chunk(rev).map_err(|e| e.to_string())?;
    let text: Vec<u8> = match ml.delta_parent(rev).map_err(|e| e.to_string())? {
        None => chunk,
        Some(_) => {
            let patch = qs_store::mdiff::Patch::parse(&chunk).map_err(|e| e.to_string())?;
            patch
                .hunks()
                .iter()
                .flat_map(|h| h.data.iter().copied())
                .collect()
        }
    };
    if u32::try_from(text.len()).is_err() {
        return Err("manifest delta too large".into());
    }
    let mut shards: Vec<Vec<EntryRef>> = (0..SHARDS).map(|_| Vec::new()).collect();
    let mut start = 0;
    while start < text.len() {
        let line_end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
        let line = &text[start..line_end];
        if !line.is_empty() {
            let nul = memchr::memchr(0, line).ok_or("malformed manifest line")?;
            let hex = line
                .get(nul + 1..nul + 41)
                .ok_or("malformed manifest line")?;
            let node = Node::from_hex(hex).ok_or("malformed manifest node")?;
            let path = &line[..nul];
            // Both offsets fit: the text's length was checked above.
            shards[shard_of(path)].push(EntryRef {
                start: start as u32,
                end: (start + nul) as u32,
                node,
            });
        }
        start = line_end + 1;
    }
    Ok(NewEntries { text, shards })
}

/// Checks one filelog; returns its report and its number of revisions.
fn check_filelog(
    repo: &Repo,
    file: &[u8],
    linkrevs: &[i32],
    manifest_nodes: &FileNodes,
    cl_len: usize,
) -> (Report, usize) {
    let mut report = Report::default();
    let lr0 = linkrevs.first().copied();
    let log = match repo.filelog(file) {
        Ok(l) => l,
        Err(e) => {
            report.err(lr0, &format!("broken revlog! ({e})"), Some(file));
            return (report, 0);
        }
    };
    if log.is_empty() {
        report.err(
            lr0,
            &format!("empty or missing {}", String::from_utf8_lossy(file)),
            None,
        );
        return (report, 0);
    }
    let mut checker = EntryChecker::new(&log, file, cl_len);
    let mut last = LastText::default();
    for r in 0..log.len() as i32 {
        let rev = Revision(r);
        let Ok(node) = log.node(rev) else { continue };
        let lr = checker.check(&mut report, rev, &node, linkrevs);
        if !manifest_nodes.is_empty() && !manifest_nodes.contains_key(&node) {
            report.err(
                lr,
                &format!("{} not in manifests", node.short()),
                Some(file),
            );
        }
        match log.data_sequential(rev, &mut last) {
            Ok(text) => {
                if let Some((source, hex)) = qs_store::filelog::copy_source(text) {
                    check_copy_source(repo, &mut report, lr, file, &source, &hex);
                }
            }
            Err(e) => report.err(lr, &format!("unpacking {}: {e}", node.short()), Some(file)),
        }
    }
    let mut leftovers: Vec<(Option<i32>, Node)> = manifest_nodes
        .iter()
        .filter(|(n, _)| !checker.seen.contains_key(*n))
        .map(|(n, l)| (*l, *n))
        .collect();
    leftovers.sort();
    for (lr, node) in leftovers {
        report.err(
            lr,
            &format!("manifest refers to unknown revision {}", node.short()),
            Some(file),
        );
    }
    (report, log.len())
}

fn check_copy_source(
    repo: &Repo,
    report: &mut Report,
    lr: Option<i32>,
    file: &[u8],
    source: &[u8],
    hex: &[u8],
) {
    let name = String::from_utf8_lossy(source);
    let short = String::from_utf8_lossy(hex.get(..12).unwrap_or(hex));
    let found = Node::from_hex(hex).and_then(|node| {
        let log = repo.filelog(source).ok()?;
        if log.is_empty() {
            return None;
        }
        log.rev_of_node(&node).ok().flatten()
    });
    if found.is_none() {
        report.err(
            lr,
            &format!("empty or missing copy source revlog {name}:{short}"),
            Some(file),
        );
    }
}
