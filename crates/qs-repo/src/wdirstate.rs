//! The working directory's dirstate as a writer sees it: loaded once
//! under the wlock, changed in memory by the tracking and commit
//! operations, and written back in the repository's format (v1, or v2
//! with a new data file as hg's Python implementation writes it).

use qs_dirstate::v2::Docket;
use qs_dirstate::{DirstateError, DirstateMap, WriteMode};

use crate::error::{RepoError, RepoResult};
use crate::repo::Repo;

/// A dirstate loaded for writing. Hold the wlock from [`load`] to
/// [`WorkingDirstate::write`].
///
/// [`load`]: WorkingDirstate::load
#[derive(Debug, Clone)]
pub struct WorkingDirstate {
    /// Parents, entries and copies.
    pub map: DirstateMap,
    docket: Option<Docket>,
    v2: bool,
}

fn dirstate_error(e: DirstateError) -> RepoError {
    RepoError::Message(e.to_string())
}

impl WorkingDirstate {
    /// Reads `.hg/dirstate` (a missing file is an empty dirstate).
    pub fn load(repo: &Repo) -> RepoResult<WorkingDirstate> {
        let v2 = repo.requirements().has("dirstate-v2");
        let read = qs_dirstate::disk::read(repo.dot_hg(), v2).map_err(dirstate_error)?;
        Ok(WorkingDirstate {
            map: read.map,
            docket: read.docket,
            v2,
        })
    }

    /// True when the map equals `before` (same parents, entries in the
    /// same order, same copies): nothing to write.
    pub fn unchanged_since(&self, before: &DirstateMap) -> bool {
        let a = &self.map;
        a.parents == before.parents
            && a.len() == before.len()
            && a.copies_len() == before.copies_len()
            && a.iter().zip(before.iter()).all(|(x, y)| x == y)
            && a.copies().zip(before.copies()).all(|(x, y)| x == y)
    }

    /// Writes the dirstate back (atomically replacing the file; for v2 a
    /// new data file, the old one removed).
    pub fn write(&mut self, repo: &Repo) -> RepoResult<()> {
        if self.v2 {
            let docket = qs_dirstate::disk::write_v2(
                repo.dot_hg(),
                &self.map,
                self.docket.as_ref(),
                WriteMode::ForceNew,
            )
            .map_err(dirstate_error)?;
            self.docket = Some(docket);
            Ok(())
        } else {
            qs_dirstate::disk::write_v1(repo.dot_hg(), &self.map).map_err(dirstate_error)
        }
    }
}
