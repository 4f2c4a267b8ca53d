//! Experiments on the blend's coverage (issue 12, point 7), run by hand:
//! `SOUNDSTREAM_DATA_DIR=... cargo test -p soundstream-recommend --release --lib lab -- --ignored --nocapture`
//! (`SOUNDSTREAM_RECOMMEND_CONFIG` a JSON `Config`; `LAB_FOLDS` validation splits, 1 by
//! default as in training). Models are trained once per split; every re-ranking is then
//! scored on the validation split (where choices are made) and on the seed-42 test split of
//! the evaluation (reported only, never used to choose).

use crate::config::{Config, Weights};
use crate::data::{Indexed, TrainingData};
use crate::hybrid::{Case, spread, tune, tune_spread};
use crate::metrics::score_list;
use crate::models::{Component, Models};
use crate::parallel;
use crate::rng::derive;
use crate::split::holdout;
use crate::tuning::{VALIDATION, cases};

/// One split's cases with what re-rankings need.
struct Split {
    cases: Vec<Case>,
    listeners: Vec<u32>,
    n_items: usize,
}

fn build(data: &TrainingData, seed: u64, config: &Config, threads: usize) -> Split {
    let mut split = holdout(data, seed, 0.2, 5);
    let index = Indexed::build(&split.train);
    split.train = TrainingData::default();
    let (models, _) = Models::fit(&index, config, threads);
    Split {
        cases: cases(&models, &index, &split, config.candidates, threads),
        listeners: index.listeners.clone(),
        n_items: index.n_items(),
    }
}

/// Mean NDCG@10 and coverage of lists made by `rank` from each case.
fn measure(s: &Split, rank: &mut dyn FnMut(&Case, &[u32]) -> Vec<u32>) -> (f64, f64) {
    let mut seen = vec![false; s.n_items];
    let mut total = 0.0;
    for case in &s.cases {
        let list = rank(case, &s.listeners);
        for &i in &list {
            seen[i as usize] = true;
        }
        total += score_list(&list, &case.relevant, 10).ndcg;
    }
    let covered = seen.iter().filter(|&&b| b).count();
    (
        total / s.cases.len() as f64,
        covered as f64 / s.n_items as f64,
    )
}

fn report(name: &str, v: (f64, f64), t: (f64, f64)) {
    println!(
        "{name:<60} val {:.4} {:.4}   test {:.4} {:.4}",
        v.0, v.1, t.0, t.1
    );
}

#[test]
#[ignore = "minutes on the real dataset; run by hand"]
fn lab() {
    let dir = std::env::var("SOUNDSTREAM_DATA_DIR").expect("SOUNDSTREAM_DATA_DIR");
    let dataset = soundstream_import::read_dataset(std::path::Path::new(&dir))
        .expect("dataset")
        .dataset;
    let data = TrainingData::from_dataset(&dataset);
    let config: Config = std::env::var("SOUNDSTREAM_RECOMMEND_CONFIG")
        .map(|s| serde_json::from_str(&s).expect("config JSON"))
        .unwrap_or_default();
    let threads = parallel::threads(config.threads);
    let test_split = holdout(&data, 42, 0.2, 5);
    let folds: usize = std::env::var("LAB_FOLDS").map_or(1, |f| f.parse().expect("folds"));
    let served = |split: &Split, w: &Weights| {
        let mut lists: Vec<Vec<(u32, f32)>> =
            split.cases.iter().map(|c| c.pool.rank(w, 100)).collect();
        spread(
            &mut lists,
            |e| *e,
            split.n_items,
            10,
            w.spread_slots as usize,
            w.spread_floor,
        );
        let mut lists = lists.into_iter();
        measure(split, &mut |_, _| {
            lists
                .next()
                .expect("one per case")
                .into_iter()
                .take(10)
                .map(|e| e.0)
                .collect()
        })
    };
    let test = build(&data, 42, &config, threads);
    let mut vals: Vec<Split> = (0..folds)
        .map(|fold| {
            let seed = derive(config.seed + fold as u64, VALIDATION);
            build(&test_split.train, seed, &config, threads)
        })
        .collect();
    let allowed: Vec<Component> = Component::ALL
        .into_iter()
        // The components some model scored: those trained.
        .filter(|&c| {
            vals[0]
                .cases
                .iter()
                .any(|case| case.pool.scores.iter().any(|s| s[c.position()] != 0.0))
        })
        .collect();
    let n_max = vals.iter().map(|v| v.n_items).max().unwrap_or(0);
    let lengths: Vec<usize> = vals.iter().map(|v| v.cases.len()).collect();
    let mut pooled: Vec<Case> = vals
        .iter_mut()
        .flat_map(|v| std::mem::take(&mut v.cases))
        .collect();
    let (acc, _) = tune(&mut pooled, &allowed, 10, n_max, true, threads);
    let mut rest = pooled.into_iter();
    for (v, n) in vals.iter_mut().zip(lengths) {
        v.cases = rest.by_ref().take(n).collect();
    }
    println!("pooled accurate {acc:?}");
    frontier(&vals[0], &test, &acc);
    if std::env::var_os("LAB_RRF").is_some() {
        rrf(&mut vals[0]);
        let mut test = test;
        rrf(&mut test);
        let n = vals[0].n_items;
        let (w, _) = tune(&mut vals[0].cases, &allowed, 10, n, true, threads);
        println!("rank fusion accurate {w:?}");
        report(
            "rank fusion: accurate",
            served(&vals[0], &w),
            served(&test, &w),
        );
        let (w, _) = tune_spread(&vals[0].cases, &w, 10, 100, vals[0].n_items, 0.15, threads);
        let name = format!(
            "rank fusion: spread {} floor {}",
            w.spread_slots, w.spread_floor
        );
        report(&name, served(&vals[0], &w), served(&test, &w));
        return;
    }
    for (fold, val) in vals.iter().enumerate() {
        let (w, _) = tune_spread(&val.cases, &acc, 10, 100, val.n_items, 0.15, threads);
        let name = format!(
            "pooled, fold {fold} spread {} floor {}",
            w.spread_slots, w.spread_floor
        );
        report(
            &format!("pooled, fold {fold} accurate"),
            served(val, &acc),
            served(&test, &acc),
        );
        report(&name, served(val, &w), served(&test, &w));
    }
}

/// The per-user re-rankings tried before the spread, on the first validation split.
fn frontier(val: &Split, test: &Split, acc: &Weights) {
    for m in [1, 2, 4] {
        for tail in [1, 3, 10] {
            let mut f = |c: &Case, l: &[u32]| tail_slots(c, l, acc, m, tail);
            let name = format!("per user: {m} last places to artists with <= {tail} listeners");
            report(&name, measure(val, &mut f), measure(test, &mut f));
        }
        let run = |split: &Split| {
            let mut covered = vec![false; split.n_items];
            measure(split, &mut |c, _| uncovered(c, acc, m, &mut covered))
        };
        let name = format!("per user in id order: {m} last places to artists in no list yet");
        report(&name, run(val), run(test));
    }
}

/// The blend's top 10 with its last `m` places given to its best artists with at most `tail`
/// listeners (where the place holds a more listened artist).
fn tail_slots(case: &Case, listeners: &[u32], w: &Weights, m: usize, tail: u32) -> Vec<u32> {
    let ranked = case.pool.rank(w, 100);
    let mut list: Vec<(u32, f32)> = ranked.iter().take(10).copied().collect();
    let extra = ranked
        .iter()
        .skip(list.len())
        .filter(|e| listeners[e.0 as usize] <= tail)
        .take(m);
    for (slot, &e) in (0..list.len()).rev().zip(extra) {
        if listeners[list[slot].0 as usize] > tail {
            list[slot] = e;
        }
    }
    list.sort_by(|a, b| b.1.total_cmp(&a.1));
    list.into_iter().map(|e| e.0).collect()
}

/// The blend's top `10 - m`, then its best artists no earlier user was given, then its next.
fn uncovered(case: &Case, w: &Weights, m: usize, covered: &mut [bool]) -> Vec<u32> {
    let ranked: Vec<u32> = case.pool.rank(w, 100).into_iter().map(|e| e.0).collect();
    let head = ranked.len().min(10 - m);
    let mut list = ranked[..head].to_vec();
    list.extend(
        ranked[head..]
            .iter()
            .filter(|&&i| !covered[i as usize])
            .take(m),
    );
    for &i in &ranked[head..] {
        if list.len() >= 10 {
            break;
        }
        if !list.contains(&i) {
            list.push(i);
        }
    }
    for &i in &list {
        covered[i as usize] = true;
    }
    list
}

/// Reciprocal rank fusion: each model's normalised score becomes `60 / (60 + rank)` (1 for its
/// best), so the blend sums ranks, not score gaps.
fn rrf(split: &mut Split) {
    for case in &mut split.cases {
        for c in 0..Component::ALL.len() {
            let mut order: Vec<usize> = (0..case.pool.items.len())
                .filter(|&p| case.pool.scores[p][c] > 0.0)
                .collect();
            order.sort_by(|&a, &b| case.pool.scores[b][c].total_cmp(&case.pool.scores[a][c]));
            for (rank, p) in order.into_iter().enumerate() {
                case.pool.scores[p][c] = 60.0 / (60.0 + rank as f32);
            }
        }
    }
}

/// How close the served iALS, warm-started from the validation model with a few sweeps, is to
/// the cold-started one (10 sweeps): the mean share of each user's iALS top 10 they share,
/// against the same share between two cold fits from different seeds (the model's own noise).
/// `SOUNDSTREAM_DATA_DIR=... cargo test -p soundstream-recommend --release --lib warm_start -- --ignored --nocapture`
#[test]
#[ignore = "seconds on the real dataset; run by hand"]
fn warm_start() {
    use crate::models::ials::{Ials, WarmStart};
    let dir = std::env::var("SOUNDSTREAM_DATA_DIR").expect("SOUNDSTREAM_DATA_DIR");
    let dataset = soundstream_import::read_dataset(std::path::Path::new(&dir))
        .expect("dataset")
        .dataset;
    // The evaluation's training split, as `evaluate` trains on it, and its validation split.
    let data = holdout(&TrainingData::from_dataset(&dataset), 42, 0.2, 5).train;
    let config = Config::default();
    let threads = parallel::threads(0);
    let split = holdout(&data, derive(config.seed, VALIDATION), 0.2, 5);
    let vindex = Indexed::build(&split.train);
    let cold_cfg = crate::config::IalsConfig {
        warm_iterations: 0,
        ..config.ials.clone()
    };
    let vmodel = Ials::fit_from(&vindex, &cold_cfg, config.seed, threads, None);
    let warm = WarmStart::of(&vmodel, &vindex);
    let index = Indexed::build(&data);
    let users: Vec<usize> = (0..index.n_users()).collect();
    let tops = |m: &Ials| -> Vec<Vec<u32>> {
        m.top_candidates(&index, &users, 10, threads)
            .into_iter()
            .map(|l| l.into_iter().map(|e| e.0).collect())
            .collect()
    };
    let reference = tops(&Ials::fit_from(&index, &cold_cfg, 42, threads, None));
    let overlap = |m: &Ials| {
        let got = tops(m);
        let shared: usize = got
            .iter()
            .zip(&reference)
            .map(|(a, b)| a.iter().filter(|i| b.contains(i)).count())
            .sum();
        shared as f64 / (10 * users.len()) as f64
    };
    for seed in [43, 44] {
        let m = Ials::fit_from(&index, &cold_cfg, seed, threads, None);
        println!(
            "cold, seed {seed}, 10 sweeps: top-10 overlap {:.3}",
            overlap(&m)
        );
    }
    for sweeps in [10, 15] {
        let cfg = crate::config::IalsConfig {
            iterations: sweeps,
            ..cold_cfg.clone()
        };
        let m = Ials::fit_from(&index, &cfg, 42, threads, None);
        println!(
            "cold, seed 42, {sweeps} sweeps: top-10 overlap {:.3}",
            overlap(&m)
        );
    }
    for sweeps in 1..=6 {
        let cfg = crate::config::IalsConfig {
            warm_iterations: sweeps,
            ..config.ials.clone()
        };
        let m = Ials::fit_from(&index, &cfg, 42, threads, Some(&warm));
        println!("warm, {sweeps} sweeps: top-10 overlap {:.3}", overlap(&m));
    }
}
