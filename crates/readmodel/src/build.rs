//! Building the read model in bulk, row by row as a scan of the database delivers them:
//! entities first, then listens, tag assignments and friendships, which are gathered
//! unsorted and ordered once at the end. This is the recovery path and the test oracle of the
//! deltas (`apply`): a model that applied writes must equal one built from their result.
//!
//! The relations are gathered in flat lists (or counting maps) and spread into the entities'
//! lists at the end, each list allocated once to its exact length: grown push by push, the
//! lists held a third more than their contents (about 240 MB of 750 at 100x).

use std::cmp::Reverse;

use rustc_hash::FxHashMap;

use crate::ReadModel;
use crate::model::{Slot, State, bump_map, month_key};
use crate::ranking::{Ids, Ranking};

/// A read model being built. Rows naming an entity not added before are skipped and
/// counted (the database's foreign keys make them impossible; the count is a check).
#[derive(Debug, Default)]
pub struct Builder {
    state: State,
    /// `(user, artist, plays)` of every listen.
    listens: Vec<(Slot, Slot, u32)>,
    /// Both ends of every friendship row: `(user, other, direction bit)` as in
    /// `UserEntry::links`.
    links: Vec<(Slot, Slot, u8)>,
    /// `(artist, tag) -> times applied`.
    pairs: FxHashMap<(Slot, Slot), u32>,
    /// `(tag, month) -> assignments`.
    months: FxHashMap<(Slot, u32), u32>,
    skipped: u64,
}

impl Builder {
    /// An empty model to fill.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes room for this many listens and friendship rows (the tables' counts), so the
    /// lists that gather them are allocated once.
    pub fn expect(&mut self, listens: usize, friendship_rows: usize) {
        self.listens.reserve_exact(listens);
        self.links.reserve_exact(friendship_rows.saturating_mul(2));
    }

    /// Adds an artist.
    pub fn artist(&mut self, id: i64, name: &str, url: Option<&str>, picture_url: Option<&str>) {
        let s = &mut self.state;
        let entry = crate::model::ArtistEntry::new(id, name, url, picture_url);
        s.artist_names.insert(id, &entry.folded);
        s.artists.insert(id, entry);
    }

    /// Adds a user.
    pub fn user(&mut self, id: i64) {
        self.state.users.insert(
            id,
            crate::model::UserEntry {
                id,
                ..Default::default()
            },
        );
    }

    /// Adds a tag.
    pub fn tag(&mut self, id: i64, value: &str) {
        let s = &mut self.state;
        let entry = crate::model::TagEntry::new(id, value);
        s.tag_values.insert(id, &entry.folded);
        // Of two tags whose values fold alike (the import keeps both), the later id wins.
        s.tag_by_folded.insert(entry.folded.clone(), id);
        s.tags.insert(id, entry);
    }

    /// Adds a listen.
    pub fn listen(&mut self, user_id: i64, artist_id: i64, weight: i64) {
        let s = &mut self.state;
        let (Some(user), Some(artist)) = (s.users.slot(user_id), s.artists.slot(artist_id)) else {
            self.skipped += 1;
            return;
        };
        let w = u32::try_from(weight).unwrap_or(u32::MAX);
        self.listens.push((user, artist, w));
        s.users.get_mut(user).plays += u64::from(w);
        s.artists.get_mut(artist).plays += u64::from(w);
        s.totals.listens += 1;
        s.totals.plays += u64::from(w);
    }

    /// Adds a tag assignment.
    pub fn assignment(
        &mut self,
        user_id: i64,
        artist_id: i64,
        tag_id: i64,
        (year, month, day): (i32, u8, u8),
    ) {
        let s = &mut self.state;
        let (Some(user), Some(artist), Some(tag)) = (
            s.users.slot(user_id),
            s.artists.slot(artist_id),
            s.tags.slot(tag_id),
        ) else {
            self.skipped += 1;
            return;
        };
        *self.pairs.entry((artist, tag)).or_default() += 1;
        *self
            .months
            .entry((tag, month_key(year, month)))
            .or_default() += 1;
        let u = s.users.get_mut(user);
        u.assignments += 1;
        // Rows come by user (the table's key order), so the user's last tag is often this one.
        match u.tags.last_mut() {
            Some(last) if last.0 == tag => last.1 += 1,
            _ => u.tags.push((tag, 1)),
        }
        s.tags.get_mut(tag).usage += 1;
        s.totals.assignments += 1;
        bump_map(&mut s.totals.months, month_key(year, month), 1);
        let day = i64::from(year) * 10_000 + i64::from(month) * 100 + i64::from(day);
        bump_map(&mut s.totals.days, day, 1);
    }

    /// Adds the friendship row `user -> friend`.
    pub fn friendship(&mut self, user_id: i64, friend_id: i64) {
        let s = &mut self.state;
        let (Some(user), Some(friend)) = (s.users.slot(user_id), s.users.slot(friend_id)) else {
            self.skipped += 1;
            return;
        };
        self.links.push((user, friend, 1));
        self.links.push((friend, user, 2));
        s.users.get_mut(user).out_degree += 1;
        s.totals.friendship_rows += 1;
    }

    /// Rows skipped because they named an entity not added.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The finished model, at `epoch` and log position `seq`.
    pub fn finish(mut self, epoch: i64, seq: u64) -> ReadModel {
        self.order_lists();
        self.rank();
        ReadModel {
            state: self.state,
            epoch,
            seq,
        }
    }

    /// Sorts every list into the order the deltas keep, and derives the counts.
    fn order_lists(&mut self) {
        let s = &self.state;
        let user_ids = ids_by_slot(&s.users.entries, |u| u.id);
        let artist_ids = ids_by_slot(&s.artists.entries, |a| a.id);
        let tag_ids = ids_by_slot(&s.tags.entries, |t| t.id);
        let s = &mut self.state;
        s.artists.fit();
        s.users.fit();
        s.tags.fit();
        self.spread_listens();
        self.spread_links();
        self.spread_tag_pairs();
        let s = &mut self.state;
        sort_artist_lists(s, &user_ids, &tag_ids);
        sort_tag_lists(s, &artist_ids);
        sort_user_lists(s);
    }

    /// Each listen into its user's artists and its artist's listeners.
    fn spread_listens(&mut self) {
        let s = &mut self.state;
        let listens = std::mem::take(&mut self.listens);
        reserve_lists(&mut s.users.entries, listens.iter().map(|l| l.0), |u| {
            &mut u.artists
        });
        reserve_lists(&mut s.artists.entries, listens.iter().map(|l| l.1), |a| {
            &mut a.listeners
        });
        for (user, artist, w) in listens {
            s.users.get_mut(user).artists.push((artist, w));
            s.artists.get_mut(artist).listeners.push((w, user));
        }
    }

    /// Each friendship link into its user's links.
    fn spread_links(&mut self) {
        let s = &mut self.state;
        // Both directions of a pair arrive as two entries: merge their bits.
        let mut links = std::mem::take(&mut self.links);
        links.sort_unstable();
        links.dedup_by(|later, first| {
            if (later.0, later.1) == (first.0, first.1) {
                first.2 |= later.2;
                true
            } else {
                false
            }
        });
        reserve_lists(&mut s.users.entries, links.iter().map(|l| l.0), |u| {
            &mut u.links
        });
        for (user, other, bits) in links {
            s.users.get_mut(user).links.push((other, bits));
        }
    }

    /// Each (artist, tag) count into the artist's tags and the tag's artists, and each
    /// (tag, month) count into the tag's months.
    fn spread_tag_pairs(&mut self) {
        let s = &mut self.state;
        let pairs = std::mem::take(&mut self.pairs);
        reserve_lists(&mut s.artists.entries, pairs.keys().map(|k| k.0), |a| {
            &mut a.tags
        });
        reserve_lists(&mut s.tags.entries, pairs.keys().map(|k| k.1), |t| {
            &mut t.artists
        });
        for ((artist, tag), count) in pairs {
            s.artists.get_mut(artist).tags.push((count, tag));
            s.tags.get_mut(tag).artists.push((count, artist));
        }
        let months = std::mem::take(&mut self.months);
        reserve_lists(&mut s.tags.entries, months.keys().map(|k| k.0), |t| {
            &mut t.months
        });
        for ((tag, month), count) in months {
            s.tags.get_mut(tag).months.push((month, count));
        }
    }

    fn rank(&mut self) {
        let s = &mut self.state;
        let r = &mut s.rank;
        let artists = || s.artists.iter().map(|(_, a)| a);
        r.artist_ids = Ids::from_ids(artists().map(|a| a.id));
        r.artist_names = Ranking::from_entries(artists().map(|a| (a.folded.clone(), a.id)));
        r.artist_listeners =
            Ranking::from_entries(artists().map(|a| (a.listeners.len() as u32, a.id)));
        r.artist_plays = Ranking::from_entries(artists().map(|a| (a.plays, a.id)));
        let users = || s.users.iter().map(|(_, u)| u);
        r.user_ids = Ids::from_ids(users().map(|u| u.id));
        r.user_plays = Ranking::from_entries(users().map(|u| (u.plays, u.id)));
        r.user_artists = Ranking::from_entries(users().map(|u| (u.artists.len() as u32, u.id)));
        r.user_friends = Ranking::from_entries(users().map(|u| (u.out_degree, u.id)));
        r.user_links = Ranking::from_entries(users().map(|u| (u.links.len() as u32, u.id)));
        r.user_tags = Ranking::from_entries(users().map(|u| (u.assignments, u.id)));
        let tags = || s.tags.iter().map(|(_, t)| t);
        r.tag_ids = Ids::from_ids(tags().map(|t| t.id));
        r.tag_values = Ranking::from_entries(tags().map(|t| (t.folded.clone(), t.id)));
        r.tag_usage = Ranking::from_entries(tags().map(|t| (t.usage, t.id)));
    }
}

/// The id in each slot of `entries` (0 for a free slot), computed before the lists are
/// sorted by id.
fn ids_by_slot<T>(entries: &[Option<T>], id: impl Fn(&T) -> i64) -> Vec<i64> {
    entries.iter().map(|e| e.as_ref().map_or(0, &id)).collect()
}

/// Each artist's listeners by plays then user id, and tags by count then tag id, both
/// descending in count; counts the artists with listeners.
fn sort_artist_lists(s: &mut State, user_ids: &[i64], tag_ids: &[i64]) {
    for slot in 0..s.artists.entries.len() {
        if let Some(a) = s.artists.entries[slot].as_mut() {
            a.listeners
                .sort_unstable_by_key(|&(w, u)| (Reverse(w), user_ids[u as usize]));
            a.tags
                .sort_unstable_by_key(|&(c, t)| (Reverse(c), tag_ids[t as usize]));
            if !a.listeners.is_empty() {
                s.totals.artists_with_listeners += 1;
            }
        }
    }
}

/// Each tag's artists by count (descending) then artist id, and months in order; counts the
/// tags in use.
fn sort_tag_lists(s: &mut State, artist_ids: &[i64]) {
    for slot in 0..s.tags.entries.len() {
        if let Some(t) = s.tags.entries[slot].as_mut() {
            t.artists
                .sort_unstable_by_key(|&(c, a)| (Reverse(c), artist_ids[a as usize]));
            t.months.sort_unstable();
            if t.usage > 0 {
                s.totals.tags_used += 1;
            }
        }
    }
}

/// Each user's artists and tags in order (a tag's runs merged), the count of users of each
/// tag, and the user totals.
fn sort_user_lists(s: &mut State) {
    for slot in 0..s.users.entries.len() {
        let Some(u) = s.users.entries[slot].as_mut() else {
            continue;
        };
        u.artists.sort_unstable();
        // Tags arrive grouped by artist within a user: merge the runs of each tag.
        u.tags.sort_unstable();
        u.tags.dedup_by(|later, first| {
            if later.0 == first.0 {
                first.1 += later.1;
                true
            } else {
                false
            }
        });
        if u.tags.capacity() > u.tags.len() {
            u.tags = u.tags.to_vec();
        }
        for &(tag, _) in &u.tags {
            if let Some(t) = s.tags.entries[tag as usize].as_mut() {
                t.users += 1;
            }
        }
        s.totals.links += u.links.len() as u64;
        s.totals.users_with_listens += u64::from(!u.artists.is_empty());
        s.totals.users_who_tag += u64::from(u.assignments > 0);
        s.totals.users_with_friends += u64::from(!u.links.is_empty());
    }
}

/// Gives each entry's list the capacity for its share of `owners` (one slot per item), so
/// the pushes that follow allocate it once, to its length.
fn reserve_lists<T, X>(
    entries: &mut [Option<T>],
    owners: impl Iterator<Item = Slot>,
    list: impl Fn(&mut T) -> &mut Vec<X>,
) {
    let mut counts = vec![0u32; entries.len()];
    for owner in owners {
        counts[owner as usize] += 1;
    }
    for (entry, n) in entries.iter_mut().zip(counts) {
        if let Some(entry) = entry {
            list(entry).reserve_exact(n as usize);
        }
    }
}
