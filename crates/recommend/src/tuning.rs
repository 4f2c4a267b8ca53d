//! Tuning on a validation split: the models trained on part of the data, every held-out
//! user's candidate pool built once (the cases), then the weights of the collaborative blend
//! and of the hybrid found by coordinate ascent on NDCG@10, and the hybrid's spread tuned for
//! coverage (see `hybrid.rs`). Also picks the item-to-item model behind similar artists.

use crate::config::{Config, Weights};
use crate::data::{Indexed, TrainingData};
use crate::hybrid::{Case, Pool, tune, tune_spread};
use crate::models::ials::WarmStart;
use crate::models::{Component, Models, UserRow};
use crate::progress::{Phase, Progress};
use crate::recommender::ItemModel;
use crate::rng::derive;
use crate::split::holdout;
use crate::{parallel, split, sweep};

/// The k of the tuning objective (NDCG@10).
pub(crate) const TUNING_K: usize = 10;

/// Label of the validation seed, so it never draws the evaluation's stream.
pub(crate) const VALIDATION: u64 = 0x7661_6c69_6461_7465;

/// What tuning on the validation split chose, and what the served models can start from.
pub(crate) struct Tuned {
    pub hybrid: Weights,
    pub collaborative: Weights,
    /// Validation NDCG@10 of each model and blend (and the hybrid's coverage).
    pub validation: Vec<(String, f64)>,
    pub item_model: ItemModel,
    /// The validation iALS's factors, to warm-start the served iALS.
    pub ials: Option<WarmStart>,
}

/// Trains the models on a validation split of `data`, and tunes the hybrid and collaborative
/// weights on it; also picks the item-to-item model for similar artists.
pub(crate) fn tune_on_validation(
    data: &TrainingData,
    config: &Config,
    threads: usize,
    progress: &Progress,
) -> Tuned {
    progress.enter(Phase::ValidationModels);
    let mut split = holdout(
        data,
        derive(config.seed, VALIDATION),
        config.validation_fraction,
        5,
    );
    // The search's cost grows with the validation users; past a few thousand its choices no
    // longer move. An even sample (by user id) keeps it bounded at any size.
    if split.test.len() > config.max_validation_users {
        let step = split
            .test
            .len()
            .div_ceil(config.max_validation_users.max(1));
        split.test = split.test.into_iter().step_by(step).collect();
    }
    let index = Indexed::build(&split.train);
    drop(std::mem::take(&mut split.train));
    let (models, _) = Models::fit(&index, config, threads);
    progress.enter(Phase::Tuning);
    let mut cases = cases(&models, &index, &split, config.candidates.max(1), threads);

    let available: Vec<Component> = Component::ALL
        .into_iter()
        .filter(|&c| models.has(c))
        .collect();
    let n_items = index.n_items();
    let singles: Vec<Weights> = available.iter().map(|&c| Weights::only(c)).collect();
    let mut validation: Vec<(String, f64)> = available
        .iter()
        .zip(sweep::qualities(
            &cases, &singles, TUNING_K, n_items, threads,
        ))
        .map(|(c, q)| (c.name().to_owned(), q.ndcg))
        .collect();
    let collaborative_models: Vec<Component> = available
        .iter()
        .copied()
        .filter(|c| c.is_collaborative())
        .collect();
    let (collaborative, c_q) = tune(
        &mut cases,
        &collaborative_models,
        TUNING_K,
        n_items,
        false,
        threads,
    );
    // The most accurate blend first, then the coverage bar met by the spread of its lists.
    let (accurate, _) = tune(&mut cases, &available, TUNING_K, n_items, true, threads);
    let (hybrid, h_q) = tune_spread(
        &cases,
        &accurate,
        TUNING_K,
        config.precomputed.max(TUNING_K),
        n_items,
        config.min_coverage,
        threads,
    );
    validation.push(("collaborative".into(), c_q.ndcg));
    validation.push(("hybrid".into(), h_q.ndcg));
    validation.push(("hybrid coverage".into(), h_q.coverage));

    let ndcg_of = |name: &str| {
        validation
            .iter()
            .find(|v| v.0 == name)
            .map_or(f64::NEG_INFINITY, |v| v.1)
    };
    let item_model = [
        (ItemModel::Ease, "ease"),
        (ItemModel::Rp3beta, "rp3beta"),
        (ItemModel::ItemKnn, "item-knn"),
    ]
    .into_iter()
    .max_by(|a, b| ndcg_of(a.1).total_cmp(&ndcg_of(b.1)))
    .map_or(ItemModel::ItemKnn, |m| m.0);
    // Kept only when the served fit will start from it (a copy of every factor).
    let ials = models
        .ials
        .as_ref()
        .filter(|_| config.ials.warm_iterations > 0)
        .map(|m| WarmStart::of(m, &index));
    Tuned {
        hybrid,
        collaborative,
        validation,
        item_model,
        ials,
    }
}

/// The validation cases: every held-out user's pool (from every model) and relevant artists.
pub(crate) fn cases(
    models: &Models,
    index: &Indexed,
    split: &split::Holdout,
    candidates: usize,
    threads: usize,
) -> Vec<Case> {
    let all = [Weights {
        item_knn: 1.0,
        rp3beta: 1.0,
        ials: 1.0,
        ease: 1.0,
        social: 1.0,
        tags: 1.0,
        popular: 1.0,
        ..Weights::default()
    }];
    let users: Vec<Option<usize>> = split
        .test
        .iter()
        .map(|(user, _)| index.user(*user))
        .collect();
    let known: Vec<usize> = users.iter().flatten().copied().collect();
    // iALS ranks every validation user's candidates in one batch (see `Ials::top_candidates`).
    let tops = models
        .ials
        .as_ref()
        .map(|m| m.top_candidates(index, &known, candidates, threads))
        .unwrap_or_default();
    let mut position = vec![usize::MAX; index.n_users()];
    for (p, &u) in known.iter().enumerate() {
        position[u] = p;
    }
    parallel::map_ranges(split.test.len(), threads, |range| {
        let mut scratch = vec![0f32; index.n_items()];
        range
            .filter_map(|t| {
                let u = users[t]?;
                let mut row = UserRow::trained(index, models, u);
                row.ials_top = tops.get(position[u]).map(Vec::as_slice);
                Some(Case::new(
                    Pool::build(models, index, &row, candidates, &all, &mut scratch),
                    split.test[t]
                        .1
                        .iter()
                        .map(|&a| index.item(a).map_or(u32::MAX, |i| i as u32))
                        .collect(),
                ))
            })
            .collect()
    })
}
