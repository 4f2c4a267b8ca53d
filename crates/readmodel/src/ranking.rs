//! One order over a set of entities (by listeners, by name...), kept sorted as keys change,
//! with pages from any position: by offset or after a cursor, both without walking what
//! comes before. Ties are broken by ascending id in both directions, so a page boundary is
//! always well defined.

use std::cmp::Reverse;

use indexset::BTreeSet;

/// Which way a ranking is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Smallest key first.
    Asc,
    /// Largest key first.
    Desc,
}

/// Entities ordered by a key `K`, both ways (each with ties by ascending id).
///
/// An order-statistic B-tree per direction (`indexset`): insertion, removal, the position of
/// a key and the element at a position all cost O(log n), so a write moves an entity in
/// microseconds and page 10,000 costs what page 1 does.
#[derive(Debug, Clone, Default)]
pub struct Ranking<K: Ord + Clone> {
    asc: BTreeSet<(K, i64)>,
    desc: BTreeSet<(Reverse<K>, i64)>,
}

impl<K: Ord + Clone> Ranking<K> {
    /// A ranking of these `(key, id)` pairs.
    pub fn from_entries(entries: impl IntoIterator<Item = (K, i64)>) -> Self {
        let mut asc: Vec<(K, i64)> = entries.into_iter().collect();
        asc.sort_unstable();
        let mut desc: Vec<(Reverse<K>, i64)> = asc
            .iter()
            .map(|(k, id)| (Reverse(k.clone()), *id))
            .collect();
        desc.sort_unstable();
        Self {
            asc: asc.into_iter().collect(),
            desc: desc.into_iter().collect(),
        }
    }

    /// How many entities it orders.
    pub fn len(&self) -> usize {
        self.asc.len()
    }

    /// Whether it orders nothing.
    pub fn is_empty(&self) -> bool {
        self.asc.is_empty()
    }

    /// Adds entity `id` under `key`.
    pub fn insert(&mut self, key: K, id: i64) {
        self.desc.insert((Reverse(key.clone()), id));
        self.asc.insert((key, id));
    }

    /// Removes entity `id`, which was under `key`.
    pub fn remove(&mut self, key: &K, id: i64) {
        self.asc.remove(&(key.clone(), id));
        self.desc.remove(&(Reverse(key.clone()), id));
    }

    /// Moves entity `id` from `old` to `new`.
    pub fn update(&mut self, old: &K, new: K, id: i64) {
        if *old != new {
            self.remove(old, id);
            self.insert(new, id);
        }
    }

    /// Ids in `direction` from position `skip`.
    pub fn skip(&self, direction: Direction, skip: usize) -> Box<dyn Iterator<Item = i64> + '_> {
        match direction {
            Direction::Asc => from_position(&self.asc, skip),
            Direction::Desc => from_position(&self.desc, skip),
        }
    }

    /// Ids in `direction` after the entity `(key, id)` (which need not exist any more).
    pub fn after(
        &self,
        direction: Direction,
        key: K,
        id: i64,
    ) -> Box<dyn Iterator<Item = i64> + '_> {
        match direction {
            Direction::Asc => from_position(&self.asc, position_after(&self.asc, &(key, id))),
            Direction::Desc => {
                from_position(&self.desc, position_after(&self.desc, &(Reverse(key), id)))
            }
        }
    }

    /// The key and id at position `index` in `direction`.
    pub fn at(&self, direction: Direction, index: usize) -> Option<(&K, i64)> {
        match direction {
            Direction::Asc => self.asc.get_index(index).map(|(k, id)| (k, *id)),
            Direction::Desc => self.desc.get_index(index).map(|(k, id)| (&k.0, *id)),
        }
    }
}

/// The position of the first element greater than `value`.
fn position_after<T: Ord>(set: &BTreeSet<T>, value: &T) -> usize {
    set.rank(value) + usize::from(set.contains(value))
}

fn from_position<T: Ord>(
    set: &BTreeSet<(T, i64)>,
    start: usize,
) -> Box<dyn Iterator<Item = i64> + '_> {
    if start >= set.len() {
        return Box::new(std::iter::empty());
    }
    Box::new(set.range_idx(start..).map(|(_, id)| *id))
}

/// Ids in a set of ids, in either direction, from a position or after an id.
#[derive(Debug, Clone, Default)]
pub struct Ids {
    set: BTreeSet<i64>,
}

impl Ids {
    /// These ids.
    pub fn from_ids(ids: impl IntoIterator<Item = i64>) -> Self {
        let mut sorted: Vec<i64> = ids.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        Self {
            set: sorted.into_iter().collect(),
        }
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Adds `id`.
    pub fn insert(&mut self, id: i64) {
        self.set.insert(id);
    }

    /// Removes `id`.
    pub fn remove(&mut self, id: i64) {
        self.set.remove(&id);
    }

    /// Ids in `direction` from position `skip`.
    pub fn skip(&self, direction: Direction, skip: usize) -> Box<dyn Iterator<Item = i64> + '_> {
        let n = self.set.len();
        if skip >= n {
            return Box::new(std::iter::empty());
        }
        match direction {
            Direction::Asc => Box::new(self.set.range_idx(skip..).copied()),
            Direction::Desc => Box::new(self.set.range_idx(..n - skip).rev().copied()),
        }
    }

    /// Ids in `direction` after `id`.
    pub fn after(&self, direction: Direction, id: i64) -> Box<dyn Iterator<Item = i64> + '_> {
        match direction {
            Direction::Asc => {
                let start = position_after(&self.set, &id);
                if start >= self.set.len() {
                    return Box::new(std::iter::empty());
                }
                Box::new(self.set.range_idx(start..).copied())
            }
            Direction::Desc => {
                let end = self.set.rank(&id);
                if end == 0 {
                    return Box::new(std::iter::empty());
                }
                Box::new(self.set.range_idx(..end).rev().copied())
            }
        }
    }

    /// The largest id, if any.
    pub fn last(&self) -> Option<i64> {
        self.set.last().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranking() -> Ranking<u32> {
        Ranking::from_entries([(5, 1), (3, 2), (5, 3), (9, 4), (1, 5)])
    }

    #[test]
    fn both_directions_break_ties_by_ascending_id() {
        let r = ranking();
        assert_eq!(
            r.skip(Direction::Asc, 0).collect::<Vec<_>>(),
            [5, 2, 1, 3, 4]
        );
        assert_eq!(
            r.skip(Direction::Desc, 0).collect::<Vec<_>>(),
            [4, 1, 3, 2, 5]
        );
    }

    #[test]
    fn pages_start_at_an_offset_or_after_a_cursor_that_may_be_gone() {
        let mut r = ranking();
        assert_eq!(r.skip(Direction::Desc, 2).collect::<Vec<_>>(), [3, 2, 5]);
        assert_eq!(r.skip(Direction::Desc, 5).count(), 0);
        assert_eq!(
            r.after(Direction::Desc, 5, 1).collect::<Vec<_>>(),
            [3, 2, 5]
        );
        // The cursor's entity moved away: the page still starts where it was.
        r.update(&5, 100, 1);
        assert_eq!(
            r.after(Direction::Desc, 5, 1).collect::<Vec<_>>(),
            [3, 2, 5]
        );
        assert_eq!(r.after(Direction::Asc, 5, 1).collect::<Vec<_>>(), [3, 4, 1]);
        assert_eq!(r.after(Direction::Asc, 100, 1).count(), 0);
    }

    #[test]
    fn updates_move_an_entity_and_positions_follow() {
        let mut r = ranking();
        r.update(&1, 7, 5);
        r.remove(&9, 4);
        assert_eq!(r.len(), 4);
        assert_eq!(r.skip(Direction::Desc, 0).collect::<Vec<_>>(), [5, 1, 3, 2]);
        assert_eq!(r.at(Direction::Desc, 0), Some((&7, 5)));
        assert_eq!(r.at(Direction::Asc, 0), Some((&3, 2)));
    }

    #[test]
    fn id_sets_page_both_ways() {
        let ids = Ids::from_ids([10, 3, 7, 1]);
        assert_eq!(ids.skip(Direction::Asc, 1).collect::<Vec<_>>(), [3, 7, 10]);
        assert_eq!(ids.skip(Direction::Desc, 1).collect::<Vec<_>>(), [7, 3, 1]);
        assert_eq!(ids.after(Direction::Asc, 4).collect::<Vec<_>>(), [7, 10]);
        assert_eq!(ids.after(Direction::Desc, 7).collect::<Vec<_>>(), [3, 1]);
        assert_eq!(ids.after(Direction::Desc, 1).count(), 0);
        assert_eq!(ids.after(Direction::Asc, 10).count(), 0);
    }
}
