//! Hyper-parameter search for the individual models, on the validation split only: for each
//! setting it runs the evaluation protocol and prints the *validation* NDCG@10 of the model
//! being tuned (the validation split is carved out of the training split; the test split's
//! numbers are not printed, so they cannot steer the choice).
//! `SOUNDSTREAM_DATA_DIR=... cargo run --release -p soundstream-recommend --example tune [model]`

use soundstream_recommend::{Config, Weights, evaluate};

mod common;

fn main() {
    let data = common::training_data();
    let only = std::env::args().nth(1);
    // Fixed weights skip the blend search: only the per-model validation scores matter here.
    let base = Config {
        hybrid: None,
        ..Config::default()
    };
    let mut trials: Vec<(&str, String, Config)> = Vec::new();
    // One grid per model, alike in shape (nested loops over a clone of `base`): each names its
    // own parameters, which a shared helper would hide.
    for neighbours in [200, 400, 800] {
        for shrink in [50.0, 100.0, 200.0] {
            let mut c = base.clone();
            c.item_knn.neighbours = neighbours;
            c.item_knn.shrink = shrink;
            trials.push(("item-knn", format!("k={neighbours} shrink={shrink}"), c));
        }
    }
    for alpha in [0.7, 0.8, 0.9] {
        for beta in [0.25, 0.35] {
            for neighbours in [300, 600] {
                let mut c = base.clone();
                c.rp3beta.alpha = alpha;
                c.rp3beta.beta = beta;
                c.rp3beta.neighbours = neighbours;
                trials.push((
                    "rp3beta",
                    format!("alpha={alpha} beta={beta} k={neighbours}"),
                    c,
                ));
            }
        }
    }
    for factors in [24, 32, 48] {
        for alpha in [0.5, 1.0, 2.0] {
            for reg in [10.0, 30.0, 100.0] {
                let mut c = base.clone();
                c.ials.factors = factors;
                c.ials.alpha = alpha;
                c.ials.regularization = reg;
                trials.push(("ials", format!("k={factors} alpha={alpha} reg={reg}"), c));
            }
        }
    }
    for lambda in [1000.0, 2000.0, 4000.0, 8000.0, 16000.0] {
        let mut c = base.clone();
        c.ease.lambda = lambda;
        trials.push(("ease", format!("lambda={lambda}"), c));
    }
    for tie_floor in [0.0, 0.1, 0.3, 1.0, 3.0] {
        let mut c = base.clone();
        c.social.tie_floor = tie_floor;
        trials.push(("social", format!("tie_floor={tie_floor}"), c));
    }
    for own_tags in [0.15] {
        for popularity in [0.1, 0.25, 0.35] {
            for profile_tags in [100, 200, 400] {
                let mut c = base.clone();
                c.tags.own_tags = own_tags;
                c.tags.popularity = popularity;
                c.tags.profile_tags = profile_tags;
                trials.push((
                    "tags",
                    format!("own={own_tags} popularity={popularity} profile={profile_tags}"),
                    c,
                ));
            }
        }
    }
    for candidates in [50, 100, 200] {
        let mut c = base.clone();
        c.candidates = candidates;
        trials.push(("hybrid", format!("candidates={candidates}"), c));
    }
    for (model, label, mut config) in trials {
        if only.as_deref().is_some_and(|o| o != model) {
            continue;
        }
        // Models not being tuned are switched off or given fixed weights to save time.
        config.ials.enabled = matches!(model, "ials" | "hybrid");
        config.ease.enabled = matches!(model, "ease" | "hybrid");
        if model != "hybrid" {
            config.hybrid = Some(Weights::default());
            config.collaborative = None;
        }
        let eval = evaluate(&data, 1, &config);
        let ndcg = eval
            .validation_ndcg
            .iter()
            .find(|v| v.0 == model)
            .map_or(f64::NAN, |v| v.1);
        println!("{model:<10} {label:<40} validation NDCG@10 {ndcg:.4}");
    }
}
