//! Opening a store transaction for a repository (hg's
//! `localrepo.transaction(desc)`) and replacing whole files through it
//! (hg's file generators: `phaseroots`, `bookmarks`), shared by every
//! operation that writes history or names.

use std::sync::{Arc, Mutex};

use qs_store::lock::Lock;
use qs_store::transaction::{Location, StoreVfs, Transaction, TransactionOptions};

use crate::error::RepoResult;
use crate::repo::Repo;

/// An open transaction and the messages it reported (hg's "transaction
/// abort!" and the like), for the caller to show.
pub struct RepoTransaction<'lock> {
    pub tr: Transaction<'lock>,
    reports: Arc<Mutex<Vec<String>>>,
}

/// Starts a transaction named `description` (`commit`, `bookmark`,
/// `phase`...) under the held store lock.
pub fn begin<'lock>(
    repo: &Repo,
    store_lock: &'lock Lock,
    description: &str,
) -> RepoResult<RepoTransaction<'lock>> {
    let requirements = repo.requirements();
    let options = TransactionOptions {
        vfs: StoreVfs::from_requirements(repo.dot_hg(), requirements),
        fncache: requirements.has("fncache"),
        description: description.to_string(),
        changelog_len: repo.len(),
    };
    let reports = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = reports.clone();
    let tr = Transaction::begin(
        store_lock,
        options,
        Box::new(move |m| {
            if let Ok(mut v) = sink.lock() {
                v.push(m.to_string());
            }
        }),
    )?;
    Ok(RepoTransaction { tr, reports })
}

impl RepoTransaction<'_> {
    /// Commits; returns the messages reported on the way.
    pub fn commit(self) -> RepoResult<Vec<String>> {
        self.tr.commit()?;
        let reported = match self.reports.lock() {
            Ok(mut v) => std::mem::take(&mut *v),
            Err(_) => Vec::new(),
        };
        Ok(reported)
    }
}

/// Replaces a file written through the transaction: backed up first,
/// then atomically replaced.
pub fn replace_file(
    tr: &mut Transaction<'_>,
    location: Location,
    name: &[u8],
    content: &[u8],
) -> RepoResult<()> {
    tr.add_backup(location, name)?;
    let path = tr.vfs().join(location, name);
    Ok(qs_store::transaction::vfs::write_atomic(&path, content)?)
}
