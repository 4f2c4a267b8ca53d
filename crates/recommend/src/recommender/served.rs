//! Every user's served default list, ranked at training time (the hybrid as tuned, then the
//! coverage spread over all lists at once), and how a request reads it: a trained user whose
//! listens did not change gets a lookup, not a ranking.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use super::Recommender;
use crate::config::{Config, Weights};
use crate::hybrid::{Pool, spread};
use crate::models::{Component, UserRow};
use crate::parallel;
use crate::progress::Progress;
use crate::tuning::TUNING_K;

/// The most entries of precomputed lists over all users (memory: 15 bytes each).
const SERVED_ENTRIES: usize = 10_000_000;
/// Users whose iALS candidates are ranked in one batch by the precompute (a few MB of lists).
const PRECOMPUTE_CHUNK: usize = 8192;

/// Every user's served default list, ranked at training time: `items[ptr[u]..ptr[u + 1]]`
/// with their scores and each model's normalised part (0-255) for the reasons.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Served {
    /// Entries per user when the user has not heard nearly everything.
    length: usize,
    ptr: Vec<u32>,
    items: Vec<u32>,
    scores: Vec<f32>,
    parts: Vec<[u8; Component::ALL.len()]>,
}

impl Served {
    /// User `u`'s first `k` entries, if there are enough (or the list is complete).
    pub(super) fn list(
        &self,
        u: usize,
        k: usize,
    ) -> Option<Vec<(u32, f32, [f32; Component::ALL.len()])>> {
        let range = *self.ptr.get(u)? as usize..*self.ptr.get(u + 1)? as usize;
        if k > range.len() && range.len() >= self.length {
            return None;
        }
        Some(
            range
                .take(k)
                .map(|e| {
                    (
                        self.items[e],
                        self.scores[e],
                        self.parts[e].map(|p| f32::from(p) / 255.0),
                    )
                })
                .collect(),
        )
    }

    pub(super) fn bytes(&self) -> usize {
        self.ptr.len() * 4 + self.items.len() * (8 + Component::ALL.len())
    }
}

impl Recommender {
    /// Ranks every user's served default list (the hybrid as tuned) ahead of requests.
    pub(super) fn precompute(
        &self,
        config: &Config,
        threads: usize,
        progress: &Progress,
    ) -> Served {
        let n_users = self.index.n_users();
        let length = config
            .precomputed
            .min(SERVED_ENTRIES / n_users.max(1))
            .max(TUNING_K.min(config.precomputed));
        let w = self.hybrid;
        let done = AtomicUsize::new(0);
        let mut lists = Vec::with_capacity(n_users);
        // Users in chunks: iALS ranks each chunk's candidates in one batch (see
        // `Ials::top_candidates`), and the chunk's candidate lists are all that is held.
        for first in (0..n_users).step_by(PRECOMPUTE_CHUNK) {
            let users: Vec<usize> = (first..(first + PRECOMPUTE_CHUNK).min(n_users)).collect();
            let tops = self.ials_candidates(&users, w.ials != 0.0, threads);
            lists.extend(parallel::map_ranges(users.len(), threads, |range| {
                let mut scratch = vec![0f32; self.index.n_items()];
                range
                    .map(|b| {
                        let mut row = UserRow::trained(&self.index, &self.models, users[b]);
                        row.ials_top = tops.get(b).map(Vec::as_slice);
                        let list = self.rank_served(&row, &w, length, &mut scratch);
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if n.is_multiple_of(256) {
                            progress.set(n as f64 / n_users as f64);
                        }
                        list
                    })
                    .collect()
            }));
        }
        // Coverage: a re-ranking over every user's list at once (see `hybrid::spread`).
        spread(
            &mut lists,
            |e| (e.0, e.1),
            self.index.n_items(),
            TUNING_K,
            w.spread_slots as usize,
            w.spread_floor,
        );
        let mut served = Served {
            length,
            ptr: Vec::with_capacity(n_users + 1),
            ..Served::default()
        };
        served.ptr.push(0);
        for list in lists {
            for (i, s, p) in list {
                served.items.push(i);
                served.scores.push(s);
                served.parts.push(p);
            }
            served.ptr.push(served.items.len() as u32);
        }
        served
    }

    /// The best iALS candidates of `users`, ranked in one batch, when iALS is trained and
    /// `wanted`; empty otherwise (each user is then scored alone, if at all).
    fn ials_candidates(
        &self,
        users: &[usize],
        wanted: bool,
        threads: usize,
    ) -> Vec<Vec<(u32, f32)>> {
        match (&self.models.ials, wanted) {
            (Some(m), true) => m.top_candidates(&self.index, users, self.candidates, threads),
            _ => Vec::new(),
        }
    }

    /// The served list of the user of `row`, each entry with its models' parts (0-255).
    fn rank_served(
        &self,
        row: &UserRow<'_>,
        w: &Weights,
        length: usize,
        scratch: &mut [f32],
    ) -> Vec<(u32, f32, [u8; Component::ALL.len()])> {
        let pool = Pool::build(
            &self.models,
            &self.index,
            row,
            self.candidates,
            &[*w],
            scratch,
        );
        self.complete(row, pool.rank(w, length), length)
            .into_iter()
            .map(|(i, s)| {
                let parts = pool
                    .contributions(i)
                    .map(|p| (p.clamp(0.0, 1.0) * 255.0).round() as u8);
                (i, s, parts)
            })
            .collect()
    }
}
