//! Each changeset's user and date, kept in `.hg/cache/qs-changelog-meta`
//! so that queries over many changesets (`user()`, `date()`, `sort(...,
//! date)`) need not decompress and parse every changelog entry each time.
//!
//! The cache is keyed by the changelog itself: each record starts with
//! the first four bytes of its changeset's node, checked on load, so a
//! stripped or rewritten history only invalidates the records from the
//! first mismatch on (as hg's `rev-branch-cache` does). Records for
//! revisions added since are computed in parallel and the file rewritten
//! whole (temporary file, then rename), best effort: a read-only
//! repository simply gets no cache. hg ignores the file.
//!
//! Layout (little-endian): `QSCM`, version (u32), record count (u32), user
//! count (u32); the records (node prefix: 4 bytes, seconds: i64, offset:
//! i32, user index: u32); then each user as a u32 length and its bytes.

use std::collections::HashMap;
use std::path::PathBuf;

use qs_store::Revision;
use rayon::prelude::*;

use crate::dates::HgDate;
use crate::error::RepoResult;
use crate::repo::Repo;

const MAGIC: &[u8; 4] = b"QSCM";
const VERSION: u32 = 1;
const HEADER_LEN: usize = 16;
const RECORD_LEN: usize = 20;

/// Users and dates of the changesets `0..len`.
#[derive(Debug, Default)]
pub struct ChangelogMeta {
    records: Vec<Record>,
    users: Vec<Vec<u8>>,
}

#[derive(Debug, Clone, Copy)]
struct Record {
    prefix: [u8; 4],
    date: HgDate,
    user: u32,
}

impl ChangelogMeta {
    /// The user of `rev` (empty outside the changelog).
    pub fn user(&self, rev: Revision) -> &[u8] {
        self.record(rev)
            .and_then(|r| self.users.get(r.user as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// The index of `rev`'s user in [`ChangelogMeta::users`].
    pub fn user_index(&self, rev: Revision) -> Option<usize> {
        self.record(rev).map(|r| r.user as usize)
    }

    /// Every distinct user, each once.
    pub fn users(&self) -> &[Vec<u8>] {
        &self.users
    }

    /// The date of `rev` (the epoch outside the changelog).
    pub fn date(&self, rev: Revision) -> HgDate {
        self.record(rev).map(|r| r.date).unwrap_or_default()
    }

    fn record(&self, rev: Revision) -> Option<&Record> {
        usize::try_from(rev.0)
            .ok()
            .and_then(|i| self.records.get(i))
    }

    /// Loads the cache and brings it up to date, unless more than
    /// `budget` changesets would have to be parsed for that (the caller
    /// would parse fewer by itself): then `None`.
    pub fn load(repo: &Repo, budget: usize) -> RepoResult<Option<ChangelogMeta>> {
        let path = cache_path(repo);
        let mut meta = std::fs::read(&path)
            .ok()
            .and_then(|bytes| parse(&bytes))
            .unwrap_or_default();
        let cl = repo.changelog();
        let len = cl.len();
        // Keep the records that still describe the changelog.
        let valid = meta
            .records
            .iter()
            .take(len)
            .enumerate()
            .take_while(|(i, rec)| {
                cl.node(Revision(*i as i32))
                    .is_ok_and(|n| n.as_bytes()[..4] == rec.prefix)
            })
            .count();
        let missing = len - valid;
        if missing > budget {
            return Ok(None);
        }
        if missing == 0 && valid == meta.records.len() {
            return Ok(Some(meta));
        }
        meta.records.truncate(valid);
        let added: Vec<(Vec<u8>, HgDate, [u8; 4])> = (valid..len)
            .into_par_iter()
            .map(|i| {
                let cs = repo.changeset(Revision(i as i32))?;
                let mut prefix = [0; 4];
                prefix.copy_from_slice(&cs.node.as_bytes()[..4]);
                Ok((cs.user, cs.date, prefix))
            })
            .collect::<RepoResult<_>>()?;
        let mut index: HashMap<Vec<u8>, u32> = meta
            .users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.clone(), i as u32))
            .collect();
        for (user, date, prefix) in added {
            let next = meta.users.len() as u32;
            let id = *index.entry(user.clone()).or_insert_with(|| {
                meta.users.push(user);
                next
            });
            meta.records.push(Record {
                prefix,
                date,
                user: id,
            });
        }
        // Best effort: a repository we cannot write to gets no cache.
        let _ = write(&path, &meta);
        Ok(Some(meta))
    }
}

fn cache_path(repo: &Repo) -> PathBuf {
    repo.dot_hg().join("cache").join("qs-changelog-meta")
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The cache's content, or `None` if it is not one this version wrote.
fn parse(bytes: &[u8]) -> Option<ChangelogMeta> {
    if bytes.get(..4)? != MAGIC || u32_at(bytes, 4)? != VERSION {
        return None;
    }
    let count = u32_at(bytes, 8)? as usize;
    let user_count = u32_at(bytes, 12)? as usize;
    let records_end = HEADER_LEN.checked_add(count.checked_mul(RECORD_LEN)?)?;
    let table = bytes.get(HEADER_LEN..records_end)?;
    let mut records = Vec::with_capacity(count);
    for raw in table.chunks_exact(RECORD_LEN) {
        let user = u32_at(raw, 16)?;
        if user as usize >= user_count {
            return None;
        }
        records.push(Record {
            prefix: raw.get(..4)?.try_into().ok()?,
            date: HgDate {
                seconds: i64::from_le_bytes(raw.get(4..12)?.try_into().ok()?),
                offset: i32::from_le_bytes(raw.get(12..16)?.try_into().ok()?),
            },
            user,
        });
    }
    let mut users = Vec::with_capacity(user_count.min(bytes.len()));
    let mut at = records_end;
    for _ in 0..user_count {
        let n = u32_at(bytes, at)? as usize;
        let start = at.checked_add(4)?;
        let end = start.checked_add(n)?;
        users.push(bytes.get(start..end)?.to_vec());
        at = end;
    }
    if at != bytes.len() {
        return None;
    }
    Some(ChangelogMeta { records, users })
}

fn write(path: &std::path::Path, meta: &ChangelogMeta) -> std::io::Result<()> {
    let mut out = Vec::with_capacity(HEADER_LEN + meta.records.len() * RECORD_LEN);
    out.extend_from_slice(MAGIC);
    for n in [VERSION, meta.records.len() as u32, meta.users.len() as u32] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    for r in &meta.records {
        out.extend_from_slice(&r.prefix);
        out.extend_from_slice(&r.date.seconds.to_le_bytes());
        out.extend_from_slice(&r.date.offset.to_le_bytes());
        out.extend_from_slice(&r.user.to_le_bytes());
    }
    for u in &meta.users {
        out.extend_from_slice(&(u.len() as u32).to_le_bytes());
        out.extend_from_slice(u);
    }
    let dir = path.parent().unwrap_or(path);
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("qs-changelog-meta.tmp.{}", std::process::id()));
    std::fs::write(&tmp, &out)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn random_cache_files_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..200),
                                          count in 0u32..6, users in 0u32..4) {
            let _ = parse(&tail);
            let mut data = MAGIC.to_vec();
            for n in [VERSION, count, users] {
                data.extend_from_slice(&n.to_le_bytes());
            }
            data.extend_from_slice(&tail);
            let _ = parse(&data);
        }
    }

    fn sample() -> ChangelogMeta {
        ChangelogMeta {
            records: vec![
                Record {
                    prefix: *b"abcd",
                    date: HgDate {
                        seconds: -5,
                        offset: 3600,
                    },
                    user: 1,
                },
                Record {
                    prefix: *b"efgh",
                    date: HgDate {
                        seconds: 1_700_000_000,
                        offset: -19800,
                    },
                    user: 0,
                },
            ],
            users: vec![b"alice".to_vec(), b"bob <b@x>".to_vec()],
        }
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("cache/qs-changelog-meta");
        write(&path, &sample()).expect("write");
        let bytes = std::fs::read(&path).expect("read");
        let back = parse(&bytes).expect("parses");
        assert_eq!(back.user(Revision(0)), b"bob <b@x>");
        assert_eq!(back.date(Revision(1)).offset, -19800);
        assert_eq!(back.user(Revision(2)), b"");
        for cut in 0..bytes.len() {
            assert!(parse(&bytes[..cut]).is_none(), "truncated at {cut}");
        }
        let mut bad_user = bytes.clone();
        bad_user[HEADER_LEN + 16] = 9;
        assert!(parse(&bad_user).is_none());
        let mut longer = bytes;
        longer.push(0);
        assert!(parse(&longer).is_none());
    }
}
