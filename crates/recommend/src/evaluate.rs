//! The offline evaluation: a fixed, seeded protocol that scores every strategy, every
//! collaborative model alone, and two reference baselines on the same held-out listens.
//!
//! Protocol: every user with at least 5 listens has 20% of them (rounded, at least one) drawn
//! at random and held out, with the tag assignments of the same (user, artist) pairs; the
//! recommender trains on the rest (tuning its blends on a validation split carved from that
//! rest, never from the test split); each evaluated user gets a top-10 list without the
//! artists they play or tagged in training, scored against the held-out artists. Every row
//! leaves those out, the baselines too: a tagged artist is one the user knows.

use std::collections::HashSet;
use std::fmt;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::config::{Config, Weights};
use crate::data::TrainingData;
use crate::hybrid::Pool;
use crate::metrics::{Metrics, score_list};
use crate::models::{Component, user_knn};
use crate::parallel;
use crate::recommender::Recommender;
use crate::split::holdout;
use crate::topk::top_k_dense;
use crate::vocabulary::Strategy;

/// Length of the evaluated lists.
pub const K: usize = 10;
/// Share of each user's listens held out.
pub const TEST_FRACTION: f64 = 0.2;
/// Users with fewer listens are not evaluated (they train, though).
pub const MIN_LISTENS: usize = 5;

/// What a row of the evaluation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A served strategy.
    Strategy,
    /// One collaborative model alone (a component of the blends).
    Model,
    /// A reference baseline.
    Baseline,
}

/// The scores of one strategy, model or baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRow {
    /// Name: a strategy (`hybrid`), a model (`ease`) or a baseline.
    pub name: String,
    /// What the row is.
    pub kind: RowKind,
    /// Its metrics at 10.
    pub metrics: Metrics,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Seed of the holdout.
    pub seed: u64,
    /// Length of the evaluated lists.
    pub k: usize,
    /// Users evaluated.
    pub users: usize,
    /// Listens left for training.
    pub train_listens: usize,
    /// Listens held out.
    pub test_listens: usize,
    /// Artists in the catalogue (the denominator of coverage).
    pub catalogue: usize,
    /// Seconds to train the recommender on the training split, tuning included.
    pub training_seconds: f64,
    /// Seconds to rank and score every row for every user.
    pub scoring_seconds: f64,
    /// The hybrid's weights, as tuned on the validation split.
    pub hybrid_weights: Weights,
    /// The collaborative blend's weights, as tuned.
    pub collaborative_weights: Weights,
    /// Validation NDCG@10 seen while tuning (the validation split is inside the training split).
    pub validation_ndcg: Vec<(String, f64)>,
    /// Every row, best NDCG@10 first.
    pub rows: Vec<EvaluationRow>,
}

impl Evaluation {
    /// The row of that name.
    pub fn row(&self, name: &str) -> Option<&EvaluationRow> {
        self.rows.iter().find(|r| r.name == name)
    }
}

/// Name of the most-popular baseline row; the `popular` strategy is exactly this ranking.
pub const MOST_POPULAR: &str = "baseline: most-popular";
/// Name of the user-kNN baseline row.
pub const USER_KNN: &str = "baseline: user-knn (20 most-overlapping users, sum of plays)";

enum Ranker {
    /// The served default: the list ranked at training time (the spread is a re-ranking over
    /// every user at once, so it cannot be redone for one user alone).
    Served(Weights),
    Blend(Weights),
    UserKnn,
}

/// Runs the protocol (see the module docs) with the holdout drawn from `seed` and the
/// recommender trained with `config`.
pub fn evaluate(data: &TrainingData, seed: u64, config: &Config) -> Evaluation {
    let split = holdout(data, seed, TEST_FRACTION, MIN_LISTENS);
    let start = Instant::now();
    let rec = Recommender::train(&split.train, config);
    let training_seconds = start.elapsed().as_secs_f64();

    let rows = rows(&rec);

    let start = Instant::now();
    let index = rec.index();
    let threads = parallel::threads(config.threads);
    let lists = rank_test_users(&rec, &split.test, &rows, threads);

    let (information, tail) = beyond_accuracy(index);
    let mut results: Vec<EvaluationRow> = rows
        .iter()
        .enumerate()
        .map(|(r, (name, kind, _))| EvaluationRow {
            name: name.clone(),
            kind: *kind,
            metrics: row_metrics(&lists, r, index.n_items(), &information, &tail),
        })
        .collect();
    results.sort_by(|a, b| b.metrics.ndcg.total_cmp(&a.metrics.ndcg));
    let report = rec.report();
    Evaluation {
        seed,
        k: K,
        users: lists.len(),
        train_listens: split.train.listens.len(),
        test_listens: split.test.iter().map(|t| t.1.len()).sum(),
        catalogue: index.n_items(),
        training_seconds,
        scoring_seconds: start.elapsed().as_secs_f64(),
        hybrid_weights: report.hybrid,
        collaborative_weights: report.collaborative,
        validation_ndcg: report.validation_ndcg.clone(),
        rows: results,
    }
}

/// Per test user, in order: their held-out artists (as item indexes, `u32::MAX` for an artist
/// the training data does not have) and the top-K list of every row, ranked on `threads`.
fn rank_test_users(
    rec: &Recommender,
    test: &[(i64, Vec<i64>)],
    rows: &[(String, RowKind, Ranker)],
    threads: usize,
) -> Vec<(Vec<u32>, Vec<Vec<u32>>)> {
    let index = rec.index();
    let weights: Vec<Weights> = rows
        .iter()
        .filter_map(|r| match &r.2 {
            Ranker::Blend(w) | Ranker::Served(w) => Some(*w),
            Ranker::UserKnn => None,
        })
        .collect();
    parallel::map_ranges(test.len(), threads, |range| {
        let mut scratch = vec![0f32; index.n_items()];
        test[range]
            .iter()
            .map(|(user, artists)| {
                let u = index.user(*user).expect("every user stays known");
                let relevant: Vec<u32> = artists
                    .iter()
                    .map(|&a| index.item(a).map_or(u32::MAX, |i| i as u32))
                    .collect();
                let user_row = crate::models::UserRow::trained(index, rec.models(), u);
                let pool = Pool::build(
                    rec.models(),
                    index,
                    &user_row,
                    rec.candidates(),
                    &weights,
                    &mut scratch,
                );
                let ranked = rows
                    .iter()
                    .map(|row| {
                        let list = match &row.2 {
                            Ranker::Served(w) => match rec.served_list(u, K) {
                                Some(list) => return list,
                                // A user without a served list (none here): live.
                                None => rec.complete(&user_row, pool.rank(w, K), K),
                            },
                            Ranker::Blend(w) => rec.complete(&user_row, pool.rank(w, K), K),
                            Ranker::UserKnn => {
                                scratch.fill(0.0);
                                user_knn::score(index, u, &mut scratch);
                                for &i in user_row.excluded().iter() {
                                    scratch[i as usize] = f32::NEG_INFINITY;
                                }
                                top_k_dense(&scratch, K)
                            }
                        };
                        list.into_iter().map(|e| e.0).collect()
                    })
                    .collect();
                (relevant, ranked)
            })
            .collect()
    })
}

/// Every row of the evaluation and how it ranks.
fn rows(rec: &Recommender) -> Vec<(String, RowKind, Ranker)> {
    let mut rows: Vec<(String, RowKind, Ranker)> = vec![
        (
            "hybrid".into(),
            RowKind::Strategy,
            Ranker::Served(rec.strategy_weights(Strategy::Hybrid)),
        ),
        (
            "collaborative".into(),
            RowKind::Strategy,
            Ranker::Blend(rec.strategy_weights(Strategy::Collaborative)),
        ),
    ];
    for c in Component::ALL {
        if c.is_collaborative() && rec.models().has(c) {
            rows.push((
                c.name().into(),
                RowKind::Model,
                Ranker::Blend(Weights::only(c)),
            ));
        }
    }
    for s in [Strategy::Social, Strategy::Tags] {
        rows.push((
            s.as_str().into(),
            RowKind::Strategy,
            Ranker::Blend(rec.strategy_weights(s)),
        ));
    }
    rows.push((
        MOST_POPULAR.into(),
        RowKind::Baseline,
        Ranker::Blend(rec.strategy_weights(Strategy::Popular)),
    ));
    rows.push((USER_KNN.into(), RowKind::Baseline, Ranker::UserKnn));
    rows
}

/// The metrics of row `r` over every user's `(relevant, lists)`.
fn row_metrics(
    lists: &[(Vec<u32>, Vec<Vec<u32>>)],
    r: usize,
    n_items: usize,
    information: &[f64],
    tail: &[bool],
) -> Metrics {
    let mut total = Metrics::default();
    let mut seen: HashSet<u32> = HashSet::new();
    let (mut slots, mut bits, mut in_tail) = (0usize, 0f64, 0usize);
    for (relevant, ranked) in lists {
        total.add(&score_list(&ranked[r], relevant, K));
        seen.extend(&ranked[r]);
        for &i in &ranked[r] {
            slots += 1;
            bits += information[i as usize];
            in_tail += usize::from(tail[i as usize]);
        }
    }
    total.divide(lists.len());
    total.coverage = seen.len() as f64 / n_items.max(1) as f64;
    total.novelty = bits / slots.max(1) as f64;
    total.long_tail = in_tail as f64 / slots.max(1) as f64;
    total
}

/// Per artist: its self-information in bits (`-log2((1 + listeners) / (1 + users))`), and
/// whether it is in the long tail (outside the most played artists that make 80 % of plays).
fn beyond_accuracy(index: &crate::data::Indexed) -> (Vec<f64>, Vec<bool>) {
    let users = index.n_users() as f64;
    let information = index
        .listeners
        .iter()
        .map(|&l| -((1.0 + f64::from(l)) / (1.0 + users)).log2())
        .collect();
    let mut plays = vec![0f64; index.n_items()];
    for u in 0..index.n_users() {
        let range = index.ui.ptr[u]..index.ui.ptr[u + 1];
        for (&i, &p) in index.ui.idx[range.clone()].iter().zip(&index.ui_raw[range]) {
            plays[i as usize] += f64::from(p);
        }
    }
    let total: f64 = plays.iter().sum();
    let mut order: Vec<usize> = (0..plays.len()).collect();
    order.sort_by(|&a, &b| plays[b].total_cmp(&plays[a]).then(a.cmp(&b)));
    let mut tail = vec![true; plays.len()];
    let mut head = 0f64;
    for i in order {
        if head >= 0.8 * total {
            break;
        }
        tail[i] = false;
        head += plays[i];
    }
    (information, tail)
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} users, {} training / {} held-out listens, {} artists, seed {}, k = {}",
            self.users, self.train_listens, self.test_listens, self.catalogue, self.seed, self.k
        )?;
        writeln!(
            f,
            "{:<62} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
            "", "NDCG@10", "P@10", "R@10", "MAP@10", "HR@10", "coverage", "novelty", "long tail"
        )?;
        for row in &self.rows {
            let m = &row.metrics;
            writeln!(
                f,
                "{:<62} {:>8.4} {:>8.4} {:>8.4} {:>8.4} {:>8.4} {:>8.4} {:>8.2} {:>9.4}",
                row.name,
                m.ndcg,
                m.precision,
                m.recall,
                m.map,
                m.hit_rate,
                m.coverage,
                m.novelty,
                m.long_tail
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::two_groups;

    #[test]
    fn the_evaluation_scores_every_row_and_sorts_them() {
        // Twelve users in two taste groups, five or more listens each.
        let mut data = two_groups();
        data.listens.clear();
        for u in 0..12 {
            let base = if u < 6 { 10 } else { 20 };
            for a in 0..6 {
                data.listens.push((u, base + a, 1 + a));
            }
        }
        let config = Config {
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
            threads: 2,
            ..Config::default()
        };
        let eval = evaluate(&data, 1, &config);
        assert_eq!(eval.users, 12);
        assert_eq!(eval.test_listens, 12);
        assert_eq!(eval.rows.len(), 10);
        assert!(
            eval.rows
                .windows(2)
                .all(|w| w[0].metrics.ndcg >= w[1].metrics.ndcg)
        );
        // With one held-out artist per user and clean groups, item-kNN finds it first.
        assert!(eval.row("item-knn").unwrap().metrics.hit_rate > 0.99);
        let text = eval.to_string();
        assert!(text.contains("NDCG@10") && text.contains("hybrid"));
        let json = serde_json::to_value(&eval).unwrap();
        assert!(json["rows"][0]["metrics"]["ndcg"].is_number());
    }
}
