//! Pages of lists: where a page starts (an offset, or after a cursor), and what a page holds
//! (its items, the total of the list, and the cursor of the next page when there is one).

use std::cmp::Reverse;

use crate::cursor::{Cursor, CursorError, Part, ints};
use crate::model::Slot;
use crate::ranking::{Direction, Ids, Ranking};

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// After this many items.
    Skip(usize),
    /// After the item the cursor (a `next` token) names.
    After(String),
}

impl Default for Start {
    fn default() -> Self {
        Self::Skip(0)
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice<T> {
    /// The page's items.
    pub items: Vec<T>,
    /// How many items the whole (filtered) list holds.
    pub total: usize,
    /// The token of the next page; `None` on the last page.
    pub next: Option<String>,
}

impl<T> Slice<T> {
    /// An empty list.
    pub fn empty() -> Self {
        Self {
            items: Vec::new(),
            total: 0,
            next: None,
        }
    }

    /// The same page with its items mapped.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Slice<U> {
        Slice {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            next: self.next,
        }
    }
}

/// Takes a page of `limit` items from `ids` (already positioned), keeping those `keep`
/// accepts; the next cursor is made from the last item served by `key_of`.
pub(crate) fn take_page<I>(
    ids: I,
    limit: usize,
    keep: impl Fn(i64) -> bool,
    scope: &str,
    key_of: impl Fn(i64) -> Vec<Part>,
    total: usize,
) -> Slice<i64>
where
    I: Iterator<Item = i64>,
{
    let mut items: Vec<i64> = ids.filter(|&id| keep(id)).take(limit + 1).collect();
    let more = items.len() > limit;
    items.truncate(limit);
    let next = if more {
        items
            .last()
            .map(|&id| Cursor::new(scope, key_of(id)).encode())
    } else {
        None
    };
    Slice { items, total, next }
}

/// Positions a ranking at `start`, skipping `skip` items that `keep` accepts.
pub(crate) fn ranked<'a, K: Ord + Clone>(
    ranking: &'a Ranking<K>,
    direction: Direction,
    start: &Start,
    scope: &str,
    decode: impl Fn(&[Part]) -> Result<(K, i64), CursorError>,
    filtered: bool,
    keep: &'a dyn Fn(i64) -> bool,
) -> Result<Box<dyn Iterator<Item = i64> + 'a>, CursorError> {
    Ok(match start {
        Start::Skip(skip) if !filtered => ranking.skip(direction, *skip),
        Start::Skip(skip) => Box::new(
            ranking
                .skip(direction, 0)
                .filter(|&id| keep(id))
                .skip(*skip),
        ),
        Start::After(token) => {
            let (key, id) = decode(&Cursor::decode(token, scope)?)?;
            ranking.after(direction, key, id)
        }
    })
}

/// Positions a set of ids at `start` (as [`ranked`]).
pub(crate) fn by_id<'a>(
    ids: &'a Ids,
    direction: Direction,
    start: &Start,
    scope: &str,
    filtered: bool,
    keep: &'a dyn Fn(i64) -> bool,
) -> Result<Box<dyn Iterator<Item = i64> + 'a>, CursorError> {
    Ok(match start {
        Start::Skip(skip) if !filtered => ids.skip(direction, *skip),
        Start::Skip(skip) => Box::new(ids.skip(direction, 0).filter(|&id| keep(id)).skip(*skip)),
        Start::After(token) => {
            let [id] = crate::cursor::ints::<1>(&Cursor::decode(token, scope)?)?;
            ids.after(direction, id)
        }
    })
}

/// A page of an in-memory list already in its served order, each item keyed by `key_of`
/// (strictly increasing along the list): from an offset, or after a cursor's key.
pub(crate) fn slice_sorted<T, K: Ord>(
    list: &[T],
    start: &Start,
    limit: usize,
    scope: &str,
    key_of: impl Fn(&T) -> K,
    decode: impl Fn(&[Part]) -> Result<K, CursorError>,
    encode: impl Fn(&T) -> Vec<Part>,
) -> Result<(std::ops::Range<usize>, Option<String>), CursorError> {
    let from = match start {
        Start::Skip(skip) => (*skip).min(list.len()),
        Start::After(token) => {
            let after = decode(&Cursor::decode(token, scope)?)?;
            list.partition_point(|item| key_of(item) <= after)
        }
    };
    let to = (from + limit).min(list.len());
    let next =
        (to < list.len() && to > from).then(|| Cursor::new(scope, encode(&list[to - 1])).encode());
    Ok((from..to, next))
}

/// A page of `(count, slot)` pairs sorted most first, ties by the id `id_of` gives the slot
/// (an artist's listeners and tags, a user's artists and tags); the cursor is the count and
/// the id, and `item` makes each served pair what the API serves.
pub(crate) fn counted_page<T>(
    list: &[(u32, Slot)],
    id_of: impl Fn(Slot) -> i64,
    start: &Start,
    limit: usize,
    scope: &str,
    item: impl Fn((u32, Slot)) -> T,
) -> Result<Slice<T>, CursorError> {
    let (range, next) = slice_sorted(
        list,
        start,
        limit,
        scope,
        |&(c, x)| (Reverse(i64::from(c)), id_of(x)),
        |k| ints::<2>(k).map(|[c, x]| (Reverse(c), x)),
        |&(c, x)| vec![Part::Int(i64::from(c)), Part::Int(id_of(x))],
    )?;
    Ok(Slice {
        items: list[range].iter().map(|&e| item(e)).collect(),
        total: list.len(),
        next,
    })
}

/// `(slot, count)` pairs in any order (a user's artists or tags) as [`counted_page`] takes
/// them: `(count, slot)`, most first, ties by the id `id_of` gives the slot.
pub(crate) fn by_count(pairs: &[(Slot, u32)], id_of: impl Fn(Slot) -> i64) -> Vec<(u32, Slot)> {
    let mut list: Vec<(u32, Slot)> = pairs.iter().map(|&(x, c)| (c, x)).collect();
    list.sort_unstable_by_key(|&(c, x)| (Reverse(c), id_of(x)));
    list
}
