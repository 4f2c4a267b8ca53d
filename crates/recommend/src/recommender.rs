//! The served recommender: trains every model, tunes the blends on a validation split, and
//! answers recommendations (with their reasons), similar artists and similar users from memory.
//! The vocabulary it answers in is `vocabulary.rs`, the tuning `tuning.rs`, the served lists
//! `recommender/served.rs`, the reasons `explain.rs`.
//!
//! Over 500 lines with its tests (about 250 lines, on small hand-made datasets), which pin
//! the behaviour of the whole recommender and stay beside it.

use std::collections::HashMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::config::{Config, Weights};
use crate::data::{Indexed, TrainingData, damp};
use crate::explain::{Explainer, Names};
use crate::hybrid::Pool;
use crate::models::social::row_cosine;
use crate::models::{Component, Models, UserRow};
use crate::parallel;
use crate::progress::{Phase, Progress};
use crate::topk::top_k;
use crate::tuning::tune_on_validation;
use crate::vocabulary::{
    Answer, RecommendError, Recommendation, Request, SimilarArtist, SimilarUser, Strategy,
    TrainingReport,
};

mod served;

use served::Served;

/// The item-to-item model `similar_artists` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum ItemModel {
    ItemKnn,
    Rp3beta,
    Ease,
}

/// A row folded in at request time.
struct FoldedRow {
    items: Vec<u32>,
    values: Vec<f32>,
    factors: Option<Vec<f32>>,
}

/// A trained recommender: immutable, `Send + Sync`, cheap to share behind an `Arc` and to swap
/// for a retrained one; serialisable as a model file (see [`crate::artifact`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct Recommender {
    index: Indexed,
    models: Models,
    hybrid: Weights,
    collaborative: Weights,
    candidates: usize,
    item_model: ItemModel,
    artist_names: HashMap<i64, String>,
    tag_names: HashMap<i64, String>,
    served: Served,
    report: TrainingReport,
}

impl Recommender {
    /// Trains every model on `data`; unless `config` gives the blend weights, first tunes them
    /// on a validation split of `data` (the models are then trained twice: on the split's
    /// training part to tune, and on everything to serve).
    pub fn train(data: &TrainingData, config: &Config) -> Self {
        Self::train_with_progress(data, config, &Progress::default())
    }

    /// [`Recommender::train`], reporting its phase and progress into `progress` as it goes.
    pub fn train_with_progress(data: &TrainingData, config: &Config, progress: &Progress) -> Self {
        Self::train_here(data, config, progress)
    }

    fn train_here(data: &TrainingData, config: &Config, progress: &Progress) -> Self {
        let start = Instant::now();
        let threads = parallel::threads(config.threads);

        // Tuning first: its models are dropped before the served ones are fitted, so the two
        // sets never sit in memory together.
        let tuning = Instant::now();
        let tuned = match (config.hybrid, config.collaborative) {
            (Some(_), Some(_)) => None,
            _ => Some(tune_on_validation(data, config, threads, progress)),
        };
        let tuning_seconds = tuning.elapsed().as_secs_f64();

        progress.enter(Phase::Indexing);
        let index = Indexed::build(data);
        progress.enter(Phase::Models);
        let warm = tuned.as_ref().and_then(|t| t.ials.as_ref());
        let (models, timings) = Models::fit_from(&index, config, threads, warm);
        let model_seconds = timings
            .iter()
            .map(|(c, d)| (c.name().to_owned(), d.as_secs_f64()))
            .collect();
        let (hybrid, collaborative, validation_ndcg, item_model) = match tuned {
            None => (
                config.hybrid.unwrap_or_default(),
                config.collaborative.unwrap_or_default(),
                Vec::new(),
                default_item_model(&models),
            ),
            Some(t) => (
                config.hybrid.unwrap_or(t.hybrid),
                config.collaborative.unwrap_or(t.collaborative),
                t.validation,
                t.item_model,
            ),
        };

        let mut recommender = Self {
            index,
            models,
            hybrid,
            collaborative,
            candidates: config.candidates.max(1),
            item_model,
            artist_names: data.artist_names.clone(),
            tag_names: data.tag_names.clone(),
            served: Served::default(),
            report: TrainingReport {
                model_seconds,
                tuning_seconds,
                precompute_seconds: 0.0,
                total_seconds: 0.0,
                validation_ndcg,
                hybrid,
                collaborative,
                models: Vec::new(),
                similar_artists: item_model_name(item_model).to_owned(),
                similar_users: similar_users_method(item_model).to_owned(),
                model_bytes: 0,
            },
        };
        progress.enter(Phase::Precomputing);
        let precompute = Instant::now();
        recommender.served = recommender.precompute(config, threads, progress);
        recommender.report.precompute_seconds = precompute.elapsed().as_secs_f64();
        recommender.report.models = recommender.models.describe(&recommender.index);
        recommender.report.model_bytes = recommender.bytes();
        recommender.report.total_seconds = start.elapsed().as_secs_f64();
        progress.enter(Phase::Done);
        recommender
    }

    /// What training did and measured.
    pub fn report(&self) -> &TrainingReport {
        &self.report
    }

    /// Whether `user` is known (has any row in the training data).
    pub fn knows_user(&self, user: i64) -> bool {
        self.index.user(user).is_some()
    }

    /// Whether `artist` is in the catalogue.
    pub fn knows_artist(&self, artist: i64) -> bool {
        self.index.item(artist).is_some()
    }

    /// Up to `k` artists for `user` under `strategy`, best first, never one the user already
    /// listens to. A user without listens gets what their friends and tags suggest, filled up
    /// with popular artists: the list is empty only when `k` is 0 or the user has heard the
    /// whole catalogue.
    pub fn recommend(
        &self,
        user: i64,
        strategy: Strategy,
        k: usize,
    ) -> Result<Vec<Recommendation>, RecommendError> {
        Ok(self
            .answer(user, &Request::new(strategy, k))?
            .recommendations)
    }

    /// Recommendations for `user` as `request` asks: the strategy, how many, how much
    /// discovery, and (for fold-in) the user's listens now. A user whose listens differ from
    /// their training row, or whom training never saw but who has listens, is folded in: the
    /// models score their current row (iALS solves their factors from it), so their new
    /// listens change their list at once. Unknown users without listens are an error.
    pub fn answer(&self, user: i64, request: &Request<'_>) -> Result<Answer, RecommendError> {
        let u = self.index.user(user);
        let folded = match request.listens {
            Some(listens) => self.fold(u, listens),
            None => None,
        };
        let row = match (&folded, u) {
            (Some(f), _) => UserRow {
                user: u,
                items: &f.items,
                values: &f.values,
                trained: false,
                factors: f.factors.as_deref(),
                ials_top: None,
                known: u.map_or(&[][..], |u| self.index.known.row(u)),
            },
            (None, Some(u)) => UserRow::trained(&self.index, &self.models, u),
            (None, None) => return Err(RecommendError::UnknownUser(user)),
        };
        let mut w = self.weights(request.strategy);
        if let Some(d) = request.discovery {
            w.calibration = d.clamp(0.0, 1.0);
            w.personal_calibration = 0.0;
        }
        let k = request.k;
        // The served default for a user as trained: the list ranked at training time.
        let precomputed = (request.strategy == Strategy::Hybrid
            && request.discovery.is_none()
            && folded.is_none())
        .then(|| row.user.and_then(|u| self.served.list(u, k)))
        .flatten();
        let explainer = Explainer::new(
            &self.index,
            &self.models,
            Names {
                artists: &self.artist_names,
                tags: &self.tag_names,
            },
            &row,
            &w,
        );
        let recommendations = match &precomputed {
            Some(list) => list
                .iter()
                .map(|&(i, score, parts)| explainer.recommendation(i, score, &parts))
                .collect(),
            None => {
                let mut scratch = vec![0f32; self.index.n_items()];
                let pool = Pool::build(
                    &self.models,
                    &self.index,
                    &row,
                    self.candidates,
                    &[w],
                    &mut scratch,
                );
                self.complete(&row, pool.rank(&w, k), k)
                    .into_iter()
                    .map(|(i, score)| explainer.recommendation(i, score, &pool.contributions(i)))
                    .collect()
            }
        };
        Ok(Answer {
            recommendations,
            folded_in: folded.is_some(),
            precomputed: precomputed.is_some(),
        })
    }

    /// The row of a user with these listens, when it differs from their training row (or
    /// they have none): artists training never saw are left out (no model knows them).
    fn fold(&self, u: Option<usize>, listens: &[(i64, i64)]) -> Option<FoldedRow> {
        let mut row: Vec<(u32, f32)> = listens
            .iter()
            .filter(|l| l.1 > 0)
            .filter_map(|&(a, plays)| Some((self.index.item(a)? as u32, damp(plays as f64))))
            .collect();
        row.sort_unstable_by_key(|e| e.0);
        row.dedup_by_key(|e| e.0);
        let (items, values): (Vec<u32>, Vec<f32>) = row.into_iter().unzip();
        if let Some(u) = u {
            let (ti, tv) = self.index.ui.row(u);
            if ti == items.as_slice() && tv == values.as_slice() {
                return None;
            }
        } else if items.is_empty() {
            return None;
        }
        let factors = self
            .models
            .ials
            .as_ref()
            .map(|m| m.fold_in(&items, &values));
        Some(FoldedRow {
            items,
            values,
            factors,
        })
    }

    /// Up to `k` artists most similar to `artist`, best first, from the item-to-item model
    /// that did best on validation.
    pub fn similar_artists(
        &self,
        artist: i64,
        k: usize,
    ) -> Result<Vec<SimilarArtist>, RecommendError> {
        let a = self
            .index
            .item(artist)
            .ok_or(RecommendError::UnknownArtist(artist))?;
        let scored = match self.item_model {
            ItemModel::ItemKnn => {
                let mut acc = vec![0f32; self.index.n_items()];
                self.models.item_knn.row(&self.index, a, &mut acc)
            }
            ItemModel::Rp3beta => self
                .models
                .rp3beta
                .as_ref()
                .map(|m| m.neighbours(a))
                .unwrap_or_default(),
            ItemModel::Ease => self
                .models
                .ease
                .as_ref()
                .map(|e| e.neighbours(&self.index, a))
                .unwrap_or_default(),
        };
        let scored = scored.into_iter().filter(|&(_, s)| s > 0.0).collect();
        Ok(top_k(scored, k)
            .into_iter()
            .map(|(j, s)| SimilarArtist {
                artist_id: self.index.items[j as usize],
                score: f64::from(s),
                shared_listeners: shared(self.index.iu.row(a).0, self.index.iu.row(j as usize).0),
            })
            .collect())
    }

    /// Up to `k` users most similar to `user`, best first: with EASE^R trained, by the partial
    /// correlation of the two users given all the others (how much EASE^R relies on the other's
    /// listens when it scores for this user); otherwise by cosine similarity of the damped
    /// listens. A user without listens has no similar users.
    pub fn similar_users(&self, user: i64, k: usize) -> Result<Vec<SimilarUser>, RecommendError> {
        let u = self
            .index
            .user(user)
            .ok_or(RecommendError::UnknownUser(user))?;
        let mut others: Vec<u32> = Vec::new();
        let mut seen = vec![false; self.index.n_users()];
        seen[u] = true;
        for &i in self.index.ui.row(u).0 {
            for &v in self.index.iu.row(i as usize).0 {
                if !std::mem::replace(&mut seen[v as usize], true) {
                    others.push(v);
                }
            }
        }
        let ease = match self.item_model {
            ItemModel::Ease => self.models.ease.as_ref(),
            _ => None,
        };
        let scored: Vec<(u32, f32)> = others
            .into_iter()
            .map(|v| {
                let s = ease
                    .and_then(|e| e.partial_correlation(u, v as usize))
                    .unwrap_or_else(|| row_cosine(&self.index.ui, u, v as usize));
                (v, s)
            })
            .filter(|&(_, s)| s > 0.0)
            .collect();
        Ok(top_k(scored, k)
            .into_iter()
            .map(|(v, s)| SimilarUser {
                user_id: self.index.users[v as usize],
                score: f64::from(s),
                shared_artists: shared(self.index.ui.row(u).0, self.index.ui.row(v as usize).0),
            })
            .collect())
    }

    /// The weights of a strategy.
    fn weights(&self, strategy: Strategy) -> Weights {
        match strategy {
            Strategy::Hybrid => self.hybrid,
            Strategy::Collaborative => self.collaborative,
            Strategy::Social => Weights::only(Component::Social),
            Strategy::Tags => Weights::only(Component::Tags),
            Strategy::Popular => Weights::only(Component::Popular),
        }
    }

    /// The weights the evaluation ranks a row with.
    pub(crate) fn strategy_weights(&self, strategy: Strategy) -> Weights {
        self.weights(strategy)
    }

    pub(crate) fn index(&self) -> &Indexed {
        &self.index
    }

    pub(crate) fn models(&self) -> &Models {
        &self.models
    }

    /// Trained user `u`'s served default list, as ranked at training time (spread included).
    pub(crate) fn served_list(&self, u: usize, k: usize) -> Option<Vec<u32>> {
        self.served
            .list(u, k)
            .map(|l| l.into_iter().map(|e| e.0).collect())
    }

    pub(crate) fn candidates(&self) -> usize {
        self.candidates
    }

    /// Fills `ranked` up to `k` with the most popular artists the user (who plays `own`)
    /// has not heard.
    pub(crate) fn complete(
        &self,
        row: &UserRow<'_>,
        mut ranked: Vec<(u32, f32)>,
        k: usize,
    ) -> Vec<(u32, f32)> {
        if ranked.len() >= k {
            return ranked;
        }
        let own = row.excluded();
        let mut chosen: Vec<u32> = ranked.iter().map(|e| e.0).collect();
        chosen.sort_unstable();
        for &i in &self.models.popular.ranked {
            if ranked.len() >= k {
                break;
            }
            if own.binary_search(&i).is_err() && chosen.binary_search(&i).is_err() {
                ranked.push((i, 0.0));
            }
        }
        ranked
    }

    fn bytes(&self) -> usize {
        self.memory().iter().map(|p| p.1).sum()
    }

    /// Approximate heap bytes of each part of the trained recommender, largest first: what
    /// to shrink when the model does not fit.
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        let names: usize = self
            .artist_names
            .values()
            .chain(self.tag_names.values())
            .map(|s| s.capacity() + 48)
            .sum();
        let mut parts = self.index.memory();
        parts.extend(self.models.memory());
        parts.push(("served lists", self.served.bytes()));
        parts.push(("names", names));
        parts.sort_by_key(|p| std::cmp::Reverse(p.1));
        parts
    }
}

/// Entries two sorted lists share.
fn shared(a: &[u32], b: &[u32]) -> u32 {
    let (mut p, mut q, mut n) = (0, 0, 0);
    while p < a.len() && q < b.len() {
        match a[p].cmp(&b[q]) {
            std::cmp::Ordering::Less => p += 1,
            std::cmp::Ordering::Greater => q += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                p += 1;
                q += 1;
            }
        }
    }
    n
}

fn item_model_name(m: ItemModel) -> &'static str {
    match m {
        ItemModel::ItemKnn => "item-knn (shrunk cosine of listener vectors)",
        ItemModel::Rp3beta => "rp3beta (popularity-damped random walk)",
        ItemModel::Ease => "ease (row of the EASE^R weight matrix)",
    }
}

fn similar_users_method(m: ItemModel) -> &'static str {
    match m {
        ItemModel::Ease => "ease (partial correlation of the two users' listens)",
        _ => "cosine of the damped listens",
    }
}

fn default_item_model(models: &Models) -> ItemModel {
    if models.has(Component::Ease) {
        ItemModel::Ease
    } else if models.has(Component::Rp3beta) {
        ItemModel::Rp3beta
    } else {
        ItemModel::ItemKnn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{friends, tagged, two_groups};
    use crate::vocabulary::Reason;

    fn fixed() -> Config {
        Config {
            hybrid: Some(Weights {
                item_knn: 1.0,
                rp3beta: 1.0,
                ials: 0.5,
                ease: 1.0,
                social: 1.0,
                tags: 0.5,
                popular: 0.1,
                ..Weights::default()
            }),
            collaborative: Some(Weights {
                item_knn: 1.0,
                rp3beta: 1.0,
                ials: 1.0,
                ease: 1.0,
                ..Weights::default()
            }),
            ials: crate::config::IalsConfig {
                factors: 4,
                ..Default::default()
            },
            item_knn: crate::config::ItemKnnConfig {
                enabled: true,
                ..Default::default()
            },
            rp3beta: crate::config::Rp3betaConfig {
                enabled: true,
                ..Default::default()
            },
            ..Config::default()
        }
    }

    #[test]
    fn a_recommender_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Recommender>();
    }

    #[test]
    fn an_artist_the_user_listens_to_is_never_recommended() {
        let data = two_groups();
        let rec = Recommender::train(&data, &fixed());
        for user in 1..=6 {
            let own: Vec<i64> = data
                .listens
                .iter()
                .filter(|l| l.0 == user)
                .map(|l| l.1)
                .collect();
            for strategy in Strategy::ALL {
                let got = rec.recommend(user, strategy, 100).unwrap();
                assert!(
                    got.iter().all(|r| !own.contains(&r.artist_id)),
                    "{strategy}"
                );
                assert_eq!(
                    got.len(),
                    8 - own.len(),
                    "{strategy}: filled up to the catalogue"
                );
            }
        }
    }

    #[test]
    fn an_artist_the_user_tagged_is_never_recommended() {
        // User 1 plays 10-12 of their group; 13, the group's fourth artist, is the obvious
        // recommendation until they tag it: then they know it.
        let mut data = two_groups();
        let first =
            |rec: &Recommender, strategy| rec.recommend(1, strategy, 1).unwrap()[0].artist_id;
        assert_eq!(
            first(
                &Recommender::train(&data, &fixed()),
                Strategy::Collaborative
            ),
            13
        );
        data.tag_assignments.push((1, 13, 7));
        let rec = Recommender::train(&data, &fixed());
        for strategy in Strategy::ALL {
            let got = rec.recommend(1, strategy, 100).unwrap();
            let ids: Vec<i64> = got.iter().map(|r| r.artist_id).collect();
            assert!(!ids.contains(&13), "{strategy}: {ids:?}");
            assert_eq!(ids.len(), 8 - 4, "{strategy}: filled up to the catalogue");
        }
        // Folded in with a new listen, the tagged artist stays out too.
        let listens = [(10, 5), (11, 5), (12, 5), (20, 5)];
        let request = Request {
            listens: Some(&listens),
            ..Request::new(Strategy::Hybrid, 100)
        };
        let answer = rec.answer(1, &request).unwrap();
        assert!(answer.folded_in);
        let ids: Vec<i64> = answer.recommendations.iter().map(|r| r.artist_id).collect();
        assert_eq!(ids.len(), 8 - 5, "{ids:?}");
        assert!(!ids.contains(&13), "{ids:?}");
    }

    #[test]
    fn collaborative_recommendations_say_which_artists_they_follow() {
        let rec = Recommender::train(&two_groups(), &fixed());
        let got = rec.recommend(1, Strategy::Collaborative, 1).unwrap();
        assert_eq!(got[0].artist_id, 13);
        match &got[0].because[0] {
            Reason::SimilarArtists { artist_ids } => {
                assert!(artist_ids.iter().all(|a| (10..=12).contains(a)))
            }
            other => panic!("{other:?}"),
        }
        assert!(
            got[0]
                .explanation
                .starts_with("because you listen to Artist 1"),
            "{}",
            got[0].explanation
        );
    }

    #[test]
    fn the_social_strategy_says_how_many_friends_play_it() {
        let rec = Recommender::train(&friends(), &fixed());
        let got = rec.recommend(1, Strategy::Social, 3).unwrap();
        let ids: Vec<i64> = got.iter().map(|r| r.artist_id).collect();
        assert_eq!(ids, vec![30, 31, 32]);
        assert_eq!(got[0].explanation, "3 of your friends play this");
        assert_eq!(got[2].explanation, "your friend 5 plays this");
    }

    #[test]
    fn a_user_without_listens_still_gets_recommendations() {
        let rec = Recommender::train(&friends(), &fixed());
        // User 9 has a friend (user 1) but no listens; user 8 has nothing at all.
        for user in [8, 9] {
            for strategy in Strategy::ALL {
                let got = rec.recommend(user, strategy, 2).unwrap();
                assert_eq!(got.len(), 2, "user {user}, {strategy}");
            }
        }
        let got = rec.recommend(9, Strategy::Social, 1).unwrap();
        assert_eq!(got[0].artist_id, 33, "what their one friend plays");
        let got = rec.recommend(8, Strategy::Hybrid, 1).unwrap();
        assert_eq!(got[0].artist_id, 30, "the most listened artist");
        assert!(
            got[0].explanation.starts_with("popular: 3 listeners"),
            "{}",
            got[0].explanation
        );
    }

    #[test]
    fn a_tagger_without_listens_gets_popular_artists_of_their_tags() {
        let rec = Recommender::train(&tagged(), &fixed());
        let got = rec.recommend(2, Strategy::Hybrid, 2).unwrap();
        let ids: Vec<i64> = got.iter().map(|r| r.artist_id).collect();
        // Artist 50 is the one they tagged: they know it, so it is never recommended.
        assert_eq!(ids[0], 51);
        assert!(!ids.contains(&50), "{ids:?}");
        assert!(
            got[0].explanation.contains("matches your tags: metal"),
            "{}",
            got[0].explanation
        );
    }

    #[test]
    fn unknown_users_and_artists_are_errors() {
        let rec = Recommender::train(&two_groups(), &fixed());
        assert_eq!(
            rec.recommend(99, Strategy::Hybrid, 5),
            Err(RecommendError::UnknownUser(99))
        );
        assert_eq!(
            rec.similar_users(99, 5),
            Err(RecommendError::UnknownUser(99))
        );
        assert_eq!(
            rec.similar_artists(99, 5),
            Err(RecommendError::UnknownArtist(99))
        );
        assert!(rec.knows_user(1) && !rec.knows_user(99));
        assert!(rec.knows_artist(10) && !rec.knows_artist(99));
    }

    #[test]
    fn similar_artists_and_users_stay_within_the_group() {
        let rec = Recommender::train(&two_groups(), &fixed());
        let near = rec.similar_artists(20, 10).unwrap();
        assert_eq!(near.len(), 3);
        assert!(
            near.iter()
                .all(|s| s.artist_id > 20 && s.shared_listeners == 3 && s.score > 0.0)
        );
        let users = rec.similar_users(4, 10).unwrap();
        let ids: Vec<i64> = users.iter().map(|s| s.user_id).collect();
        assert!(ids.iter().all(|&u| u == 5 || u == 6), "{ids:?}");
        assert!(users.iter().all(|s| s.shared_artists == 4));
    }

    #[test]
    fn strategies_parse_from_their_names() {
        for s in Strategy::ALL {
            assert_eq!(s.as_str().parse::<Strategy>(), Ok(s));
        }
        assert!("best".parse::<Strategy>().is_err());
        assert_eq!(Strategy::default(), Strategy::Hybrid);
    }

    #[test]
    fn the_precomputed_list_is_the_live_ranking() {
        let rec = Recommender::train(&two_groups(), &fixed());
        let mut scratch = vec![0f32; rec.index.n_items()];
        for user in 1..=6 {
            let answer = rec
                .answer(user, &Request::new(Strategy::Hybrid, 3))
                .unwrap();
            assert!(answer.precomputed && !answer.folded_in);
            let u = rec.index.user(user).unwrap();
            let row = UserRow::trained(&rec.index, &rec.models, u);
            let pool = Pool::build(
                &rec.models,
                &rec.index,
                &row,
                rec.candidates,
                &[rec.hybrid],
                &mut scratch,
            );
            let live: Vec<(i64, f64)> = rec
                .complete(&row, pool.rank(&rec.hybrid, 3), 3)
                .into_iter()
                .map(|(i, s)| (rec.index.items[i as usize], f64::from(s)))
                .collect();
            let served: Vec<(i64, f64)> = answer
                .recommendations
                .iter()
                .map(|r| (r.artist_id, r.score))
                .collect();
            // The same artists in the same order; the scores up to rounding, since the
            // precompute's iALS scores come from a batched matrix product, the live ones from
            // one dot product per artist (another order of the same sums).
            assert_eq!(served.len(), live.len(), "user {user}");
            for (s, l) in served.iter().zip(&live) {
                assert!(
                    s.0 == l.0 && (s.1 - l.1).abs() < 1e-5,
                    "user {user}: {served:?} vs {live:?}"
                );
            }
        }
    }

    #[test]
    fn new_listens_are_folded_in_at_once() {
        let data = two_groups();
        let rec = Recommender::train(&data, &fixed());
        // The listens training saw: nothing to fold in.
        let own: Vec<(i64, i64)> = data
            .listens
            .iter()
            .filter(|l| l.0 == 4)
            .map(|l| (l.1, l.2))
            .collect();
        let same = Request {
            listens: Some(&own),
            ..Request::new(Strategy::Hybrid, 2)
        };
        let answer = rec.answer(4, &same).unwrap();
        assert!(!answer.folded_in && answer.precomputed);
        // A user training never saw, who now plays artists 10 and 11: the models score their
        // row at once, and find the rest of that group.
        let listens = [(10, 40), (11, 40)];
        let request = Request {
            listens: Some(&listens),
            ..Request::new(Strategy::Collaborative, 2)
        };
        let answer = rec.answer(99, &request).unwrap();
        assert!(answer.folded_in && !answer.precomputed);
        let ids: Vec<i64> = answer.recommendations.iter().map(|r| r.artist_id).collect();
        assert_eq!(ids, vec![12, 13], "{:?}", answer.recommendations);
        // Without listens, a user training never saw is still unknown.
        assert_eq!(
            rec.answer(99, &Request::new(Strategy::Hybrid, 2)),
            Err(RecommendError::UnknownUser(99))
        );
    }
}
