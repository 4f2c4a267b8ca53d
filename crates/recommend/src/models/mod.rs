//! The individual models. Each one scores every artist for one user into a dense vector
//! (higher is better, the scale is the model's own); the hybrid normalises and blends them.

pub(crate) mod ease;
pub(crate) mod ials;
pub(crate) mod item_knn;
pub(crate) mod popular;
pub(crate) mod rp3beta;
pub(crate) mod social;
pub(crate) mod tags;
pub(crate) mod user_knn;

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::data::Indexed;

/// One scoring model, as a component of a blend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Component {
    ItemKnn,
    Rp3beta,
    Ials,
    Ease,
    Social,
    Tags,
    Popular,
}

impl Component {
    pub const ALL: [Component; 7] = [
        Component::ItemKnn,
        Component::Rp3beta,
        Component::Ials,
        Component::Ease,
        Component::Social,
        Component::Tags,
        Component::Popular,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Component::ItemKnn => "item-knn",
            Component::Rp3beta => "rp3beta",
            Component::Ials => "ials",
            Component::Ease => "ease",
            Component::Social => "social",
            Component::Tags => "tags",
            Component::Popular => "popular",
        }
    }

    /// Learns from the user-artist matrix alone.
    pub fn is_collaborative(self) -> bool {
        matches!(
            self,
            Component::ItemKnn | Component::Rp3beta | Component::Ials | Component::Ease
        )
    }

    pub fn position(self) -> usize {
        Component::ALL
            .iter()
            .position(|&c| c == self)
            .expect("listed")
    }
}

/// One user's listens as the models score them: a trained user's own row, or a row that
/// changed since training (or of a user training never saw), folded in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UserRow<'a> {
    /// The trained user, when there is one (their friends and their own tags count).
    pub user: Option<usize>,
    /// Artists, sorted.
    pub items: &'a [u32],
    /// Damped plays, aligned with `items`.
    pub values: &'a [f32],
    /// Whether `items` and `values` are exactly `user`'s training row (models may then use
    /// what they precomputed for that user).
    pub trained: bool,
    /// The user's iALS factors: trained, or solved from this row (fold-in).
    pub factors: Option<&'a [f32]>,
    /// The user's best iALS candidates, when computed ahead in a batch (see
    /// `Ials::top_candidates`): iALS then scores these artists only, every other one 0.
    pub ials_top: Option<&'a [(u32, f32)]>,
    /// Artists the user tagged but does not play, sorted: never recommended (see
    /// `Indexed::known`).
    pub known: &'a [u32],
}

impl<'a> UserRow<'a> {
    /// The artists no list for this row may hold: those played and those known, sorted.
    pub fn excluded(&self) -> std::borrow::Cow<'a, [u32]> {
        if self.known.is_empty() {
            return std::borrow::Cow::Borrowed(self.items);
        }
        let mut all = Vec::with_capacity(self.items.len() + self.known.len());
        all.extend_from_slice(self.items);
        all.extend_from_slice(self.known);
        all.sort_unstable();
        all.dedup();
        std::borrow::Cow::Owned(all)
    }

    /// Trained user `u`'s row, without factors.
    #[cfg(test)]
    pub fn of(idx: &'a Indexed, u: usize) -> Self {
        Self::training_row(idx, u, None)
    }

    /// Trained user `u`'s row.
    pub fn trained(idx: &'a Indexed, models: &'a Models, u: usize) -> Self {
        Self::training_row(idx, u, models.ials.as_ref().map(|m| m.user_factors(u)))
    }

    /// User `u`'s training row with these factors.
    fn training_row(idx: &'a Indexed, u: usize, factors: Option<&'a [f32]>) -> Self {
        let (items, values) = idx.ui.row(u);
        Self {
            user: Some(u),
            items,
            values,
            trained: true,
            factors,
            ials_top: None,
            known: idx.known.row(u),
        }
    }
}

/// Every trained model.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Models {
    pub item_knn: item_knn::ItemKnn,
    pub rp3beta: Option<rp3beta::Rp3beta>,
    pub ials: Option<ials::Ials>,
    pub ease: Option<ease::Ease>,
    pub social: social::Social,
    pub tags: tags::Tags,
    pub popular: popular::Popular,
}

/// Runs `fit` and records how long it took under `c`.
fn timed<T>(timings: &mut Vec<(Component, Duration)>, c: Component, fit: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let fitted = fit();
    timings.push((c, start.elapsed()));
    fitted
}

impl Models {
    /// Trains every enabled model; returns how long each took.
    pub fn fit(
        idx: &Indexed,
        config: &Config,
        threads: usize,
    ) -> (Self, Vec<(Component, Duration)>) {
        Self::fit_from(idx, config, threads, None)
    }

    /// `fit`, iALS started from `warm` when given (see `Ials::fit_from`).
    pub fn fit_from(
        idx: &Indexed,
        config: &Config,
        threads: usize,
        warm: Option<&ials::WarmStart>,
    ) -> (Self, Vec<(Component, Duration)>) {
        let mut timings = Vec::new();
        let t = &mut timings;
        let item_knn = timed(t, Component::ItemKnn, || {
            item_knn::ItemKnn::fit(idx, &config.item_knn, threads)
        });
        let rp3beta = timed(t, Component::Rp3beta, || {
            (config.rp3beta.enabled).then(|| rp3beta::Rp3beta::fit(idx, &config.rp3beta, threads))
        });
        // EASE^R's dual fit runs on one core (its inverse is faer's, sequential): iALS's
        // sweeps run on threads beside it, so that its time overlaps theirs.
        let (ials, ease) = std::thread::scope(|s| {
            let ials = s.spawn(|| {
                let start = Instant::now();
                let m = (config.ials.enabled)
                    .then(|| ials::Ials::fit_from(idx, &config.ials, config.seed, threads, warm));
                (m, start.elapsed())
            });
            let start = Instant::now();
            let ease = (config.ease.enabled).then(|| ease::Ease::fit(idx, &config.ease, threads));
            let ease = (ease, start.elapsed());
            (ials.join().expect("the iALS fit panicked"), ease)
        });
        t.push((Component::Ials, ials.1));
        t.push((Component::Ease, ease.1));
        let (ials, ease) = (ials.0, ease.0);
        let social = timed(t, Component::Social, || social::Social::fit(&config.social));
        let tags = timed(t, Component::Tags, || tags::Tags::fit(idx, &config.tags));
        let popular = timed(t, Component::Popular, || popular::Popular::fit(idx));
        (
            Self {
                item_knn,
                rp3beta,
                ials,
                ease,
                social,
                tags,
                popular,
            },
            timings,
        )
    }

    /// Whether a component was trained (the collaborative models can be switched off).
    pub fn has(&self, c: Component) -> bool {
        match c {
            Component::ItemKnn => self.item_knn.trained,
            Component::Rp3beta => self.rp3beta.is_some(),
            Component::Ials => self.ials.is_some(),
            Component::Ease => self.ease.is_some(),
            _ => true,
        }
    }

    /// Adds component `c`'s scores of every artist for the user of `row` into `out`.
    pub fn score(&self, idx: &Indexed, c: Component, row: &UserRow<'_>, out: &mut [f32]) {
        match c {
            Component::ItemKnn => self.item_knn.score(row.items, row.values, out),
            Component::Rp3beta => {
                if let Some(m) = &self.rp3beta {
                    m.score(row.items, row.values, out);
                }
            }
            Component::Ials => match (&self.ials, row.ials_top, row.factors) {
                (Some(_), Some(top), _) => {
                    for &(i, s) in top {
                        out[i as usize] += s;
                    }
                }
                (Some(m), None, Some(x)) => m.score(x, out),
                _ => {}
            },
            Component::Ease => {
                if let Some(m) = &self.ease {
                    m.score(idx, row, out);
                }
            }
            Component::Social => self.social.score(idx, row, out),
            Component::Tags => self.tags.score(idx, row, out),
            Component::Popular => self.popular.score(out),
        }
    }

    /// The models trained and their form, for the training report.
    pub fn describe(&self, idx: &Indexed) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(m) = &self.ials {
            out.push(format!("ials: {} factors", m.factors()));
        }
        if let Some(m) = &self.ease {
            out.push(format!("ease: {}", m.form()));
        }
        if self.item_knn.trained {
            out.push("item-knn".into());
        }
        if self.rp3beta.is_some() {
            out.push("rp3beta".into());
        }
        out.push(format!(
            "social, {}, popular ({} users, {} artists, {} listens)",
            self.tags.form(),
            idx.n_users(),
            idx.n_items(),
            idx.ui.nnz()
        ));
        out
    }

    /// Approximate heap bytes of each model.
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        vec![
            ("item-knn", self.item_knn.bytes()),
            (
                "rp3beta",
                self.rp3beta.as_ref().map_or(0, rp3beta::Rp3beta::bytes),
            ),
            ("ials", self.ials.as_ref().map_or(0, ials::Ials::bytes)),
            ("ease", self.ease.as_ref().map_or(0, ease::Ease::bytes)),
            ("tags", self.tags.bytes()),
            ("popular", self.popular.bytes()),
        ]
    }
}
