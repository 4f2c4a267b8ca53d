//! The read model's state and the primitive mutations both of its writers share: the bulk
//! build from the database and the deltas of single writes. Entities live in slots (`u32`)
//! with an id -> slot map; the large lists (who listens to what, which tags an artist
//! carries) hold slots and `u32` counts, so the whole of 100x the Last.fm dataset fits in a
//! few hundred MB. Lists that are served in an order keep that order as they change (binary
//! search and insert), with ties broken by id, exactly as a sort from scratch would.
//!
//! One file though over 500 lines: the tables, rankings and totals and the mutations that
//! keep them consistent with each other are one invariant; split, each half would need the
//! other's private fields.

use std::cmp::{Ordering, Reverse};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use rustc_hash::FxHashMap;

use crate::names::{NameIndex, fold};
use crate::ranking::{Ids, Ranking};

/// An index into one of the entity tables.
pub(crate) type Slot = u32;

/// An artist and its audience.
#[derive(Debug, Clone)]
pub(crate) struct ArtistEntry {
    pub id: i64,
    pub name: Box<str>,
    pub folded: Box<str>,
    pub url: Option<Box<str>>,
    pub picture_url: Option<Box<str>>,
    pub plays: u64,
    /// `(play count, user slot)`, most plays first, ties by user id.
    pub listeners: Vec<(u32, Slot)>,
    /// `(times applied, tag slot)`, most applied first, ties by tag id.
    pub tags: Vec<(u32, Slot)>,
}

impl ArtistEntry {
    /// A new artist, with no listens or tags yet.
    pub fn new(id: i64, name: &str, url: Option<&str>, picture_url: Option<&str>) -> Self {
        Self {
            id,
            name: name.into(),
            folded: fold(name).into(),
            url: url.map(Into::into),
            picture_url: picture_url.map(Into::into),
            plays: 0,
            listeners: Vec::new(),
            tags: Vec::new(),
        }
    }
}

/// A user and what they did.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserEntry {
    pub id: i64,
    /// `(artist slot, play count)`, by slot.
    pub artists: Vec<(Slot, u32)>,
    pub plays: u64,
    /// `(tag slot, assignments by this user)`, by slot.
    pub tags: Vec<(Slot, u32)>,
    /// Tag assignments made.
    pub assignments: u32,
    /// `(other user's slot, directions)`, by slot: bit 0 when the row user -> other is
    /// stored, bit 1 when other -> user is.
    pub links: Vec<(Slot, u8)>,
    /// Rows user -> other.
    pub out_degree: u32,
}

/// A tag and its use.
#[derive(Debug, Clone)]
pub(crate) struct TagEntry {
    pub id: i64,
    pub value: Box<str>,
    pub folded: Box<str>,
    /// `(times applied, artist slot)`, most applied first, ties by artist id.
    pub artists: Vec<(u32, Slot)>,
    pub usage: u64,
    /// Distinct users who applied it.
    pub users: u32,
    /// `(year * 12 + month - 1, assignments)`, by month.
    pub months: Vec<(u32, u32)>,
}

impl TagEntry {
    /// A new tag, never applied yet.
    pub fn new(id: i64, value: &str) -> Self {
        Self {
            id,
            value: value.into(),
            folded: fold(value).into(),
            artists: Vec::new(),
            usage: 0,
            users: 0,
            months: Vec::new(),
        }
    }
}

/// Slots of one entity kind: the entries, the free slots, and the id -> slot map.
#[derive(Debug, Clone)]
pub(crate) struct Table<T> {
    pub entries: Vec<Option<T>>,
    free: Vec<Slot>,
    pub slot_of: FxHashMap<i64, Slot>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            entries: Vec::new(),
            free: Vec::new(),
            slot_of: FxHashMap::default(),
        }
    }
}

impl<T> Table<T> {
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    pub fn slot(&self, id: i64) -> Option<Slot> {
        self.slot_of.get(&id).copied()
    }

    pub fn get(&self, slot: Slot) -> &T {
        self.entries[slot as usize]
            .as_ref()
            .expect("a live slot: slots are freed only with their id")
    }

    pub fn get_mut(&mut self, slot: Slot) -> &mut T {
        self.entries[slot as usize]
            .as_mut()
            .expect("a live slot: slots are freed only with their id")
    }

    pub fn by_id(&self, id: i64) -> Option<&T> {
        self.slot(id).map(|s| self.get(s))
    }

    pub fn insert(&mut self, id: i64, entry: T) -> Slot {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.entries[slot as usize] = Some(entry);
                slot
            }
            None => {
                self.entries.push(Some(entry));
                (self.entries.len() - 1) as Slot
            }
        };
        self.slot_of.insert(id, slot);
        slot
    }

    pub fn remove(&mut self, id: i64) -> Option<(Slot, T)> {
        let slot = self.slot_of.remove(&id)?;
        let entry = self.entries[slot as usize].take()?;
        self.free.push(slot);
        Some((slot, entry))
    }

    /// Drops the spare capacity of the slots (a bulk build grew them push by push).
    pub fn fit(&mut self) {
        let mut exact = Vec::with_capacity(self.entries.len());
        exact.append(&mut self.entries);
        self.entries = exact;
    }

    pub fn iter(&self) -> impl Iterator<Item = (Slot, &T)> {
        self.entries
            .iter()
            .enumerate()
            .filter_map(|(s, e)| e.as_ref().map(|e| (s as Slot, e)))
    }
}

/// Counts of the whole dataset, kept as writes come.
#[derive(Debug, Clone, Default)]
pub(crate) struct Totals {
    pub listens: u64,
    pub plays: u64,
    pub artists_with_listeners: u64,
    pub users_with_listens: u64,
    pub assignments: u64,
    pub tags_used: u64,
    pub users_who_tag: u64,
    pub friendship_rows: u64,
    /// Entries of every user's `links`: twice the number of friend pairs.
    pub links: u64,
    pub users_with_friends: u64,
    /// Tag assignments per `year * 12 + month - 1`.
    pub months: BTreeMap<u32, u64>,
    /// Tag assignments per day, as `yyyymmdd`.
    pub days: BTreeMap<i64, u64>,
}

/// The orders lists are served in.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rankings {
    pub artist_ids: Ids,
    pub artist_names: Ranking<Box<str>>,
    pub artist_listeners: Ranking<u32>,
    pub artist_plays: Ranking<u64>,
    pub user_ids: Ids,
    pub user_plays: Ranking<u64>,
    pub user_artists: Ranking<u32>,
    pub user_friends: Ranking<u32>,
    pub user_links: Ranking<u32>,
    pub user_tags: Ranking<u32>,
    pub tag_ids: Ids,
    pub tag_values: Ranking<Box<str>>,
    pub tag_usage: Ranking<u64>,
}

/// The whole read model's state.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    pub artists: Table<ArtistEntry>,
    pub users: Table<UserEntry>,
    pub tags: Table<TagEntry>,
    pub artist_names: NameIndex,
    pub tag_values: NameIndex,
    pub tag_by_folded: FxHashMap<Box<str>, i64>,
    pub totals: Totals,
    pub rank: Rankings,
}

/// The month key of an assignment.
pub(crate) fn month_key(year: i32, month: u8) -> u32 {
    (year.max(0) as u32) * 12 + u32::from(month.max(1)) - 1
}

/// `(year, month)` of a month key.
pub(crate) fn month_of(key: u32) -> (i64, i64) {
    (i64::from(key / 12), i64::from(key % 12) + 1)
}

/// Inserts `item` into `list`, kept sorted by `cmp`.
pub(crate) fn insert_sorted<T>(list: &mut Vec<T>, item: T, cmp: impl Fn(&T, &T) -> Ordering) {
    let at = list.partition_point(|x| cmp(x, &item) == Ordering::Less);
    list.insert(at, item);
}

/// Removes the element equal (by `cmp`) to `item` from `list`, kept sorted by `cmp`.
pub(crate) fn remove_sorted<T>(list: &mut Vec<T>, item: &T, cmp: impl Fn(&T, &T) -> Ordering) {
    if let Ok(at) = list.binary_search_by(|x| cmp(x, item)) {
        list.remove(at);
    }
}

/// Adds `delta` to the count under `key` in a list of `(key, count)` sorted by key; returns
/// the count before and after. A count that reaches zero leaves the list.
pub(crate) fn bump<K: Ord + Copy>(list: &mut Vec<(K, u32)>, key: K, delta: i64) -> (u32, u32) {
    match list.binary_search_by_key(&key, |e| e.0) {
        Ok(i) => {
            let old = list[i].1;
            let new = (i64::from(old) + delta).max(0) as u32;
            if new == 0 {
                list.remove(i);
            } else {
                list[i].1 = new;
            }
            (old, new)
        }
        Err(i) => {
            let new = delta.max(0) as u32;
            if new > 0 {
                list.insert(i, (key, new));
            }
            (0, new)
        }
    }
}

/// Adds `delta` to `map[key]`, dropping zero counts.
pub(crate) fn bump_map<K: Ord>(map: &mut BTreeMap<K, u64>, key: K, delta: i64) {
    match map.entry(key) {
        Entry::Occupied(mut e) => {
            let new = (*e.get() as i64 + delta).max(0) as u64;
            if new == 0 {
                e.remove();
            } else {
                *e.get_mut() = new;
            }
        }
        Entry::Vacant(e) => {
            if delta > 0 {
                e.insert(delta as u64);
            }
        }
    }
}

impl State {
    /// Adds an artist with no listens or tags.
    pub fn add_artist(
        &mut self,
        id: i64,
        name: &str,
        url: Option<&str>,
        picture_url: Option<&str>,
    ) {
        let entry = ArtistEntry::new(id, name, url, picture_url);
        self.artist_names.insert(id, &entry.folded);
        self.rank.artist_ids.insert(id);
        self.rank.artist_names.insert(entry.folded.clone(), id);
        self.rank.artist_listeners.insert(0, id);
        self.rank.artist_plays.insert(0, id);
        self.artists.insert(id, entry);
    }

    /// Replaces an existing artist's fields.
    pub fn update_artist(
        &mut self,
        slot: Slot,
        name: &str,
        url: Option<&str>,
        picture_url: Option<&str>,
    ) {
        let folded: Box<str> = fold(name).into();
        let artist = self.artists.get_mut(slot);
        let id = artist.id;
        if artist.folded != folded {
            let old = std::mem::replace(&mut artist.folded, folded.clone());
            self.rank.artist_names.update(&old, folded.clone(), id);
            self.artist_names.rename(id, &folded);
        }
        let artist = self.artists.get_mut(slot);
        artist.name = name.into();
        artist.url = url.map(Into::into);
        artist.picture_url = picture_url.map(Into::into);
    }

    /// Adds a user with nothing done yet.
    pub fn add_user(&mut self, id: i64) {
        self.rank.user_ids.insert(id);
        self.rank.user_plays.insert(0, id);
        self.rank.user_artists.insert(0, id);
        self.rank.user_friends.insert(0, id);
        self.rank.user_links.insert(0, id);
        self.rank.user_tags.insert(0, id);
        self.users.insert(
            id,
            UserEntry {
                id,
                ..UserEntry::default()
            },
        );
    }

    /// Adds a tag, never applied yet.
    pub fn add_tag(&mut self, id: i64, value: &str) {
        let entry = TagEntry::new(id, value);
        self.tag_values.insert(id, &entry.folded);
        self.tag_by_folded.insert(entry.folded.clone(), id);
        self.rank.tag_ids.insert(id);
        self.rank.tag_values.insert(entry.folded.clone(), id);
        self.rank.tag_usage.insert(0, id);
        self.tags.insert(id, entry);
    }

    /// Gives an existing tag a new value.
    pub fn rename_tag(&mut self, slot: Slot, value: &str) {
        let folded: Box<str> = fold(value).into();
        let tag = self.tags.get_mut(slot);
        let id = tag.id;
        let old = std::mem::replace(&mut tag.folded, folded.clone());
        tag.value = value.into();
        if self.tag_by_folded.get(&old) == Some(&id) {
            self.tag_by_folded.remove(&old);
        }
        self.tag_by_folded.insert(folded.clone(), id);
        self.rank.tag_values.update(&old, folded.clone(), id);
        self.tag_values.rename(id, &folded);
    }

    /// Sets the play count of `user` for `artist` (`None`: no listen).
    pub fn set_listen(&mut self, user: Slot, artist: Slot, weight: Option<u32>) {
        let user_id = self.users.get(user).id;
        let artist_id = self.artists.get(artist).id;
        let old = {
            let u = self.users.get(user);
            u.artists
                .binary_search_by_key(&artist, |e| e.0)
                .ok()
                .map(|i| u.artists[i].1)
        };
        if old == weight {
            return;
        }
        let (old_w, new_w) = (u64::from(old.unwrap_or(0)), u64::from(weight.unwrap_or(0)));
        // The user's side.
        {
            let u = self.users.get_mut(user);
            let (old_n, old_plays) = (u.artists.len() as u32, u.plays);
            match (old, weight) {
                (Some(_), None) => {
                    u.artists.retain(|e| e.0 != artist);
                }
                (_, Some(w)) => {
                    match u.artists.binary_search_by_key(&artist, |e| e.0) {
                        Ok(i) => u.artists[i].1 = w,
                        Err(i) => u.artists.insert(i, (artist, w)),
                    };
                }
                (None, None) => {}
            }
            u.plays = u.plays - old_w + new_w;
            let (new_n, new_plays) = (u.artists.len() as u32, u.plays);
            self.rank.user_artists.update(&old_n, new_n, user_id);
            self.rank.user_plays.update(&old_plays, new_plays, user_id);
            match (old_n, new_n) {
                (0, n) if n > 0 => self.totals.users_with_listens += 1,
                (n, 0) if n > 0 => self.totals.users_with_listens -= 1,
                _ => {}
            }
        }
        // The artist's side: its listeners, ranked by plays, ties by user id.
        let users = &self.users;
        let order = |a: &(u32, Slot), b: &(u32, Slot)| {
            Reverse(a.0)
                .cmp(&Reverse(b.0))
                .then_with(|| users.get(a.1).id.cmp(&users.get(b.1).id))
        };
        let a = self.artists.get_mut(artist);
        let (old_n, old_plays) = (a.listeners.len() as u32, a.plays);
        if let Some(w) = old {
            remove_sorted(&mut a.listeners, &(w, user), order);
        }
        if let Some(w) = weight {
            insert_sorted(&mut a.listeners, (w, user), order);
        }
        a.plays = a.plays - old_w + new_w;
        let (new_n, new_plays) = (a.listeners.len() as u32, a.plays);
        self.rank.artist_listeners.update(&old_n, new_n, artist_id);
        self.rank
            .artist_plays
            .update(&old_plays, new_plays, artist_id);
        match (old_n, new_n) {
            (0, n) if n > 0 => self.totals.artists_with_listeners += 1,
            (n, 0) if n > 0 => self.totals.artists_with_listeners -= 1,
            _ => {}
        }
        self.totals.plays = self.totals.plays - old_w + new_w;
        match (old, weight) {
            (None, Some(_)) => self.totals.listens += 1,
            (Some(_), None) => self.totals.listens -= 1,
            _ => {}
        }
    }

    /// Counts one tag assignment in (`delta` 1) or out (-1).
    pub fn count_assignment(
        &mut self,
        user: Slot,
        artist: Slot,
        tag: Slot,
        (year, month, day): (i32, u8, u8),
        delta: i64,
    ) {
        let user_id = self.users.get(user).id;
        let tag_id = self.tags.get(tag).id;
        // The user's tags and count.
        let u = self.users.get_mut(user);
        let (before, after) = bump(&mut u.tags, tag, delta);
        let old_assignments = u.assignments;
        u.assignments = (i64::from(u.assignments) + delta).max(0) as u32;
        let new_assignments = u.assignments;
        self.rank
            .user_tags
            .update(&old_assignments, new_assignments, user_id);
        match (old_assignments, new_assignments) {
            (0, n) if n > 0 => self.totals.users_who_tag += 1,
            (n, 0) if n > 0 => self.totals.users_who_tag -= 1,
            _ => {}
        }
        // The tag: its users, months and usage.
        let t = self.tags.get_mut(tag);
        match (before, after) {
            (0, n) if n > 0 => t.users += 1,
            (n, 0) if n > 0 => t.users -= 1,
            _ => {}
        }
        bump(&mut t.months, month_key(year, month), delta);
        let old_usage = t.usage;
        t.usage = (t.usage as i64 + delta).max(0) as u64;
        let new_usage = t.usage;
        self.rank.tag_usage.update(&old_usage, new_usage, tag_id);
        match (old_usage, new_usage) {
            (0, n) if n > 0 => self.totals.tags_used += 1,
            (n, 0) if n > 0 => self.totals.tags_used -= 1,
            _ => {}
        }
        // The pair (artist, tag), in both of its orders. The two lists are taken out while
        // they change, so the comparisons can read the tables.
        let old_count = self
            .artists
            .get(artist)
            .tags
            .iter()
            .find(|e| e.1 == tag)
            .map_or(0, |e| e.0);
        let new_count = (i64::from(old_count) + delta).max(0) as u32;
        let mut artist_tags = std::mem::take(&mut self.artists.get_mut(artist).tags);
        let mut tag_artists = std::mem::take(&mut self.tags.get_mut(tag).artists);
        {
            let (artists, tags) = (&self.artists, &self.tags);
            let by_tag_id = |a: &(u32, Slot), b: &(u32, Slot)| {
                Reverse(a.0)
                    .cmp(&Reverse(b.0))
                    .then_with(|| tags.get(a.1).id.cmp(&tags.get(b.1).id))
            };
            let by_artist_id = |a: &(u32, Slot), b: &(u32, Slot)| {
                Reverse(a.0)
                    .cmp(&Reverse(b.0))
                    .then_with(|| artists.get(a.1).id.cmp(&artists.get(b.1).id))
            };
            if old_count > 0 {
                remove_sorted(&mut artist_tags, &(old_count, tag), by_tag_id);
                remove_sorted(&mut tag_artists, &(old_count, artist), by_artist_id);
            }
            if new_count > 0 {
                insert_sorted(&mut artist_tags, (new_count, tag), by_tag_id);
                insert_sorted(&mut tag_artists, (new_count, artist), by_artist_id);
            }
        }
        self.artists.get_mut(artist).tags = artist_tags;
        self.tags.get_mut(tag).artists = tag_artists;
        // The dataset's totals.
        self.totals.assignments = (self.totals.assignments as i64 + delta).max(0) as u64;
        bump_map(&mut self.totals.months, month_key(year, month), delta);
        let day = i64::from(year) * 10_000 + i64::from(month) * 100 + i64::from(day);
        bump_map(&mut self.totals.days, day, delta);
    }

    /// Stores (`present`) or removes the friendship row `user -> friend`.
    pub fn set_friend_row(&mut self, user: Slot, friend: Slot, present: bool) {
        let had = self
            .users
            .get(user)
            .links
            .binary_search_by_key(&friend, |e| e.0)
            .ok()
            .map(|i| self.users.get(user).links[i].1 & 1 == 1)
            .unwrap_or(false);
        if had == present {
            return;
        }
        let (out_bit, in_bit) = (1u8, 2u8);
        let delta: i64 = if present { 1 } else { -1 };
        for (me, other, bit) in [(user, friend, out_bit), (friend, user, in_bit)] {
            let id = self.users.get(me).id;
            let u = self.users.get_mut(me);
            let old_links = u.links.len() as u32;
            let old_out = u.out_degree;
            match u.links.binary_search_by_key(&other, |e| e.0) {
                Ok(i) => {
                    if present {
                        u.links[i].1 |= bit;
                    } else {
                        u.links[i].1 &= !bit;
                        if u.links[i].1 == 0 {
                            u.links.remove(i);
                        }
                    }
                }
                Err(i) => {
                    if present {
                        u.links.insert(i, (other, bit));
                    }
                }
            }
            if bit == out_bit {
                u.out_degree = (i64::from(u.out_degree) + delta) as u32;
            }
            let (new_links, new_out) = (u.links.len() as u32, u.out_degree);
            self.rank.user_links.update(&old_links, new_links, id);
            self.rank.user_friends.update(&old_out, new_out, id);
            self.totals.links = self.totals.links + u64::from(new_links) - u64::from(old_links);
            match (old_links, new_links) {
                (0, n) if n > 0 => self.totals.users_with_friends += 1,
                (n, 0) if n > 0 => self.totals.users_with_friends -= 1,
                _ => {}
            }
        }
        self.totals.friendship_rows = (self.totals.friendship_rows as i64 + delta) as u64;
    }
}
