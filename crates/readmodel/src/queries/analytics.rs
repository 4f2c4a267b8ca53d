//! The inputs of the analytics, read off the model's counters: the dataset's summary, the
//! plays of every artist and every listen (the long tail), tag use by month (trends), each
//! user's friends and listening diversity (the social graph), and tag counts by scope (tag
//! clouds). The statistics over them are pure functions in `soundstream_core`.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};
use soundstream_core::stats;
use soundstream_core::views::analytics::{DatasetSummary, SocialPoint};

use crate::ReadModel;
use crate::model::{Slot, month_of};

/// Tag assignments by (year, month): over all tags, and for the tags asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagMonths {
    /// Over every tag.
    pub totals: BTreeMap<(i64, i64), i64>,
    /// For each tag asked, by id.
    pub by_tag: FxHashMap<i64, BTreeMap<(i64, i64), i64>>,
}

/// The scope of a tag cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every tag assignment.
    All,
    /// The tags applied to this artist.
    Artist(i64),
    /// The tags this user applied.
    User(i64),
    /// The tags applied to the artists that carry all of these tags, these left out.
    With(Vec<i64>),
}

fn ratio(numerator: u64, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn date_of(packed: i64) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        packed / 10_000,
        packed / 100 % 100,
        packed % 100
    )
}

impl ReadModel {
    /// Global counts, averages and the date span of tag assignments.
    pub fn summary(&self) -> DatasetSummary {
        let s = &self.state;
        let t = &s.totals;
        let (artists, users) = (s.artists.len(), s.users.len());
        let pairs = t.links / 2;
        DatasetSummary {
            artists: artists as i64,
            users: users as i64,
            tags: s.tags.len() as i64,
            listens: t.listens as i64,
            tag_assignments: t.assignments as i64,
            friendship_rows: t.friendship_rows as i64,
            friendship_pairs: pairs as i64,
            total_plays: t.plays as i64,
            artists_with_listeners: t.artists_with_listeners as i64,
            users_with_listens: t.users_with_listens as i64,
            tags_used: t.tags_used as i64,
            users_who_tag: t.users_who_tag as i64,
            users_with_friends: t.users_with_friends as i64,
            artists_per_user: ratio(t.listens, users),
            listeners_per_artist: ratio(t.listens, artists),
            plays_per_listen: ratio(t.plays, t.listens as usize),
            tag_assignments_per_user: ratio(t.assignments, users),
            friends_per_user: ratio(2 * pairs, users),
            first_tag_assignment: t.days.keys().next().map(|&d| date_of(d)),
            last_tag_assignment: t.days.keys().next_back().map(|&d| date_of(d)),
        }
    }

    /// Every artist's total plays, by id.
    pub fn artist_plays(&self) -> Vec<i64> {
        let s = &self.state;
        s.rank
            .artist_ids
            .skip(crate::Direction::Asc, 0)
            .filter_map(|id| s.artists.by_id(id))
            .map(|a| a.plays as i64)
            .collect()
    }

    /// Every listen's play count (in no particular order).
    pub fn listen_weights(&self) -> Vec<i64> {
        let mut weights = Vec::with_capacity(self.state.totals.listens as usize);
        for (_, u) in self.state.users.iter() {
            weights.extend(u.artists.iter().map(|&(_, w)| i64::from(w)));
        }
        weights
    }

    /// Tag assignments by month, over all tags and for each of `tags`.
    pub fn tag_months(&self, tags: &[i64]) -> TagMonths {
        let s = &self.state;
        let month = |key: u32| month_of(key);
        TagMonths {
            totals: s
                .totals
                .months
                .iter()
                .map(|(&k, &c)| (month(k), c as i64))
                .collect(),
            by_tag: tags
                .iter()
                .map(|&id| {
                    let months = s
                        .tags
                        .by_id(id)
                        .map(|t| {
                            t.months
                                .iter()
                                .map(|&(k, c)| (month(k), i64::from(c)))
                                .collect()
                        })
                        .unwrap_or_default();
                    (id, months)
                })
                .collect(),
        }
    }

    /// For every user (by id): friends and the diversity of what they play.
    pub fn social_points(&self) -> Vec<SocialPoint> {
        let s = &self.state;
        // `seen[t] == mark` when tag slot t was counted for the current user: nothing to
        // clear between users.
        let mut seen = vec![0_u32; s.tags.entries.len()];
        let mut points = Vec::with_capacity(s.users.len());
        for (mark, id) in s.rank.user_ids.skip(crate::Direction::Asc, 0).enumerate() {
            let mark = mark as u32 + 1;
            let u = s.users.by_id(id).expect("ranked users exist");
            let weights: Vec<f64> = u.artists.iter().map(|&(_, w)| f64::from(w)).collect();
            let mut distinct_tags = 0;
            for &(artist, _) in &u.artists {
                for &(_, t) in &s.artists.get(artist).tags {
                    if seen[t as usize] != mark {
                        seen[t as usize] = mark;
                        distinct_tags += 1;
                    }
                }
            }
            points.push(SocialPoint {
                user_id: id,
                friends: u.links.len() as i64,
                distinct_artists: u.artists.len() as i64,
                play_entropy: stats::entropy_bits(&weights),
                distinct_tags,
                plays: u.plays as i64,
            });
        }
        points
    }

    /// `(tag id, count)` of the tags in `scope`, with a count of at least 1, in no order.
    /// `None` when the scope's artist or user does not exist.
    pub fn tag_counts(&self, scope: &Scope) -> Option<Vec<(i64, i64)>> {
        let s = &self.state;
        let tag_id = |t: Slot| s.tags.get(t).id;
        Some(match scope {
            Scope::All => s
                .tags
                .iter()
                .filter(|(_, t)| t.usage > 0)
                .map(|(_, t)| (t.id, t.usage as i64))
                .collect(),
            Scope::Artist(id) => s
                .artists
                .by_id(*id)?
                .tags
                .iter()
                .map(|&(c, t)| (tag_id(t), i64::from(c)))
                .collect(),
            Scope::User(id) => self.user_tag_counts(*id)?,
            Scope::With(tags) => {
                // The artists carrying every tag, then the other tags on them.
                let mut carrying: Option<FxHashSet<Slot>> = None;
                for tag in tags {
                    let with_tag: FxHashSet<Slot> = s
                        .tags
                        .by_id(*tag)
                        .map(|t| t.artists.iter().map(|&(_, a)| a).collect())
                        .unwrap_or_default();
                    carrying = Some(match carrying {
                        None => with_tag,
                        Some(so_far) => so_far.intersection(&with_tag).copied().collect(),
                    });
                }
                let mut counts: FxHashMap<i64, i64> = FxHashMap::default();
                for a in carrying.unwrap_or_default() {
                    for &(c, t) in &s.artists.get(a).tags {
                        let id = tag_id(t);
                        if !tags.contains(&id) {
                            *counts.entry(id).or_default() += i64::from(c);
                        }
                    }
                }
                counts.into_iter().collect()
            }
        })
    }
}
