//! A small insertion-ordered map keyed by paths. hg keeps its dirstate in
//! Python dicts, so the order in which it writes dirstate-v1 entries and
//! lists copies is insertion order: entries read from disk first, new
//! ones appended, and a removed-then-re-added key goes to the end.

use foldhash::HashMap;

/// Insertion-ordered map from byte paths to values.
#[derive(Debug, Clone)]
pub struct OrderedMap<V> {
    slots: Vec<Option<(Vec<u8>, V)>>,
    index: HashMap<Vec<u8>, usize>,
}

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap {
            slots: Vec::new(),
            index: HashMap::default(),
        }
    }
}

impl<V> OrderedMap<V> {
    /// Number of live keys.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The value for `key`.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        let slot = *self.index.get(key)?;
        self.slots.get(slot)?.as_ref().map(|(_, v)| v)
    }

    /// The value for `key`, mutably.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        let slot = *self.index.get(key)?;
        self.slots.get_mut(slot)?.as_mut().map(|(_, v)| v)
    }

    /// True if `key` is present.
    pub fn contains_key(&self, key: &[u8]) -> bool {
        self.index.contains_key(key)
    }

    /// Sets `key`; an existing key keeps its position.
    pub fn insert(&mut self, key: Vec<u8>, value: V) {
        if let Some(existing) = self.get_mut(&key) {
            *existing = value;
            return;
        }
        self.index.insert(key.clone(), self.slots.len());
        self.slots.push(Some((key, value)));
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &[u8]) -> Option<V> {
        let slot = self.index.remove(key)?;
        let taken = self.slots.get_mut(slot)?.take().map(|(_, v)| v);
        if self.slots.len() > 32 && self.index.len() * 2 < self.slots.len() {
            self.compact();
        }
        taken
    }

    fn compact(&mut self) {
        self.slots.retain(Option::is_some);
        self.index.clear();
        for (i, slot) in self.slots.iter().enumerate() {
            if let Some((k, _)) = slot {
                self.index.insert(k.clone(), i);
            }
        }
    }

    /// Live `(key, value)` pairs in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &V)> {
        self.slots
            .iter()
            .filter_map(|s| s.as_ref().map(|(k, v)| (k.as_slice(), v)))
    }

    /// Live values, mutably, in insertion order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = (&[u8], &mut V)> {
        self.slots
            .iter_mut()
            .filter_map(|s| s.as_mut().map(|(k, v)| (k.as_slice(), v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reinsertion_after_removal_goes_last() {
        let mut m = OrderedMap::default();
        for k in [b"a", b"b", b"c"] {
            m.insert(k.to_vec(), ());
        }
        m.remove(b"a");
        m.insert(b"a".to_vec(), ());
        m.insert(b"b".to_vec(), ());
        let keys: Vec<&[u8]> = m.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec![&b"b"[..], b"c", b"a"]);
    }
}
