//! The ordered revision sets the evaluator passes around, with the
//! ordering rules of hg's smartsets: the whole repository (`fullreposet`)
//! takes the order of whatever it is intersected with, sorted ascending;
//! any other set keeps its own order under intersection, difference and
//! union (a union lists the left side, then what the right side adds).

use std::collections::HashSet;

use qs_store::Revision;

/// A set of revisions with an order.
#[derive(Clone, Debug)]
pub enum RevSet {
    /// Every revision of the repository, `0..len` ascending (no `null`).
    Full(usize),
    /// Explicit revisions, in their order, without repeats.
    List(Vec<Revision>),
}

impl RevSet {
    pub fn empty() -> RevSet {
        RevSet::List(Vec::new())
    }

    pub fn one(rev: Revision) -> RevSet {
        RevSet::List(vec![rev])
    }

    /// A set from revisions in any order, repeats dropped (first kept).
    pub fn from_revs(revs: impl IntoIterator<Item = Revision>) -> RevSet {
        let mut seen = HashSet::new();
        RevSet::List(revs.into_iter().filter(|r| seen.insert(*r)).collect())
    }

    /// A set sorted ascending.
    pub fn ascending(revs: impl IntoIterator<Item = Revision>) -> RevSet {
        let mut list: Vec<Revision> = revs.into_iter().collect();
        list.sort();
        list.dedup();
        RevSet::List(list)
    }

    pub fn is_full(&self) -> bool {
        matches!(self, RevSet::Full(_))
    }

    pub fn contains(&self, rev: Revision) -> bool {
        match self {
            RevSet::Full(len) => rev.0 >= 0 && (rev.0 as usize) < *len,
            RevSet::List(list) => list.contains(&rev),
        }
    }

    /// The revisions in order.
    pub fn to_vec(&self) -> Vec<Revision> {
        match self {
            RevSet::Full(len) => (0..*len as i32).map(Revision).collect(),
            RevSet::List(list) => list.clone(),
        }
    }

    pub fn into_vec(self) -> Vec<Revision> {
        match self {
            RevSet::List(list) => list,
            full => full.to_vec(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            RevSet::Full(len) => *len,
            RevSet::List(list) => list.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn first(&self) -> Option<Revision> {
        match self {
            RevSet::Full(len) => (*len > 0).then_some(Revision(0)),
            RevSet::List(list) => list.first().copied(),
        }
    }

    pub fn last(&self) -> Option<Revision> {
        match self {
            RevSet::Full(len) => len.checked_sub(1).map(|l| Revision(l as i32)),
            RevSet::List(list) => list.last().copied(),
        }
    }

    pub fn min(&self) -> Option<Revision> {
        match self {
            RevSet::Full(_) => self.first(),
            RevSet::List(list) => list.iter().min().copied(),
        }
    }

    pub fn max(&self) -> Option<Revision> {
        match self {
            RevSet::Full(_) => self.last(),
            RevSet::List(list) => list.iter().max().copied(),
        }
    }

    fn lookup(&self) -> Membership {
        match self {
            RevSet::Full(len) => Membership::Full(*len),
            RevSet::List(list) => Membership::Hashed(list.iter().copied().collect()),
        }
    }

    /// `self & other`, in `self`'s order (the whole repository takes
    /// `other`'s members, sorted ascending).
    pub fn and(&self, other: &RevSet) -> RevSet {
        match (self, other) {
            (_, RevSet::Full(_)) => self.clone(),
            (RevSet::Full(_), RevSet::List(list)) => RevSet::ascending(list.iter().copied()),
            (RevSet::List(list), _) => {
                let member = other.lookup();
                RevSet::List(list.iter().copied().filter(|r| member.has(*r)).collect())
            }
        }
    }

    /// `self - other`, in `self`'s order.
    pub fn minus(&self, other: &RevSet) -> RevSet {
        let member = other.lookup();
        self.filter(|r| !member.has(r))
    }

    /// `self + other`: `self`, then the members of `other` not in it.
    pub fn union(&self, other: &RevSet) -> RevSet {
        let mut list = self.to_vec();
        let seen: HashSet<Revision> = list.iter().copied().collect();
        list.extend(other.to_vec().into_iter().filter(|r| !seen.contains(r)));
        RevSet::List(list)
    }

    /// The members satisfying `keep`, in order.
    pub fn filter(&self, mut keep: impl FnMut(Revision) -> bool) -> RevSet {
        match self {
            RevSet::Full(len) => RevSet::List(
                (0..*len as i32)
                    .map(Revision)
                    .filter(|r| keep(*r))
                    .collect(),
            ),
            RevSet::List(list) => RevSet::List(list.iter().copied().filter(|r| keep(*r)).collect()),
        }
    }

    /// Like [`RevSet::filter`] with a fallible condition.
    pub fn try_filter<E>(
        &self,
        mut keep: impl FnMut(Revision) -> Result<bool, E>,
    ) -> Result<RevSet, E> {
        let mut out = Vec::new();
        for rev in self.to_vec() {
            if keep(rev)? {
                out.push(rev);
            }
        }
        Ok(RevSet::List(out))
    }

    /// Like [`RevSet::try_filter`], testing members in parallel (for
    /// conditions that read each changeset); the order is kept.
    pub fn par_try_filter<E: Send>(
        &self,
        keep: impl Fn(Revision) -> Result<bool, E> + Sync,
    ) -> Result<RevSet, E> {
        use rayon::prelude::*;
        let revs = self.to_vec();
        let kept: Vec<bool> = revs
            .par_iter()
            .map(|r| keep(*r))
            .collect::<Result<_, _>>()?;
        Ok(RevSet::List(
            revs.into_iter()
                .zip(kept)
                .filter_map(|(r, k)| k.then_some(r))
                .collect(),
        ))
    }

    pub fn reversed(&self) -> RevSet {
        let mut list = self.to_vec();
        list.reverse();
        RevSet::List(list)
    }

    /// Members `start..stop` in order.
    pub fn slice(&self, start: usize, stop: usize) -> RevSet {
        RevSet::List(
            self.to_vec()
                .into_iter()
                .skip(start)
                .take(stop.saturating_sub(start))
                .collect(),
        )
    }
}

enum Membership {
    Full(usize),
    Hashed(HashSet<Revision>),
}

impl Membership {
    fn has(&self, rev: Revision) -> bool {
        match self {
            Membership::Full(len) => rev.0 >= 0 && (rev.0 as usize) < *len,
            Membership::Hashed(set) => set.contains(&rev),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revs(list: &[i32]) -> RevSet {
        RevSet::List(list.iter().copied().map(Revision).collect())
    }

    fn ints(set: &RevSet) -> Vec<i32> {
        set.to_vec().into_iter().map(|r| r.0).collect()
    }

    #[test]
    fn full_takes_sorted_members_of_the_other_side() {
        let full = RevSet::Full(5);
        assert_eq!(ints(&full.and(&revs(&[3, 1, -1]))), vec![-1, 1, 3]);
        assert_eq!(ints(&revs(&[3, 1]).and(&full)), vec![3, 1]);
    }

    #[test]
    fn lists_keep_their_order() {
        assert_eq!(ints(&revs(&[4, 2, 0]).and(&revs(&[0, 4]))), vec![4, 0]);
        assert_eq!(ints(&revs(&[4, 2, 0]).minus(&revs(&[2]))), vec![4, 0]);
        assert_eq!(
            ints(&revs(&[4, 2]).union(&revs(&[1, 2, 3]))),
            vec![4, 2, 1, 3]
        );
        assert_eq!(ints(&RevSet::Full(3).minus(&revs(&[1]))), vec![0, 2]);
    }
}
