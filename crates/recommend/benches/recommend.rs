//! Recommender benchmark: training time per model and in total, `recommend` latency over every
//! user for each strategy, similar artists/users latency, model size, and the evaluation table.
//! Not a test: it asserts nothing.
//!
//! `SOUNDSTREAM_DATA_DIR=../shared/data/hetrec2011-lastfm-2k cargo bench -p soundstream-recommend --bench recommend`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use soundstream_recommend::{Config, Recommender, Strategy, TrainingData, evaluate};

#[path = "../examples/common/latency.rs"]
mod latency;

const TRAINING_RUNS: usize = 3;

fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    format!(
        "p50 {:7.0} us   p99 {:7.0} us   max {:7.0} us   ({} calls)",
        us(at(0.5)),
        us(at(0.99)),
        us(at(1.0)),
        samples.len()
    )
}

/// Evaluates `config` with seed 1 and prints the table and the time it took.
fn evaluated(data: &TrainingData, config: &Config) -> soundstream_recommend::Evaluation {
    let eval = evaluate(data, 1, config);
    print!("{eval}");
    println!(
        "trained in {:.2} s, scored in {:.2} s; hybrid {:?}",
        eval.training_seconds, eval.scoring_seconds, eval.hybrid_weights
    );
    eval
}

fn main() {
    let Some(dir) = std::env::var_os("SOUNDSTREAM_DATA_DIR").map(PathBuf::from) else {
        eprintln!("set SOUNDSTREAM_DATA_DIR to the hetrec2011-lastfm-2k folder");
        return;
    };
    let dataset = soundstream_import::read_dataset(&dir)
        .expect("the dataset reads")
        .dataset;
    let data = TrainingData::from_dataset(&dataset);
    let config = Config::default();
    println!(
        "{} users, {} artists, {} listens, {} tag assignments, {} friendship rows; {} threads",
        dataset.users.len(),
        dataset.artists.len(),
        data.listens.len(),
        data.tag_assignments.len(),
        data.friendships.len(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );

    let rec = median_training(&data, &config);
    print_latencies(&rec, &dataset);

    let user = dataset.users[0];
    println!("\nuser {user}, hybrid:");
    for r in rec
        .recommend(user, Strategy::Hybrid, 5)
        .expect("known user")
    {
        let name = data
            .artist_names
            .get(&r.artist_id)
            .map_or("?", String::as_str);
        println!("  {:<28} {:.3}  {}", name, r.score, r.explanation);
    }

    println!("\nevaluation (seed 1), the served configuration");
    evaluated(&data, &config);

    // The ablation behind the configuration: item-kNN and RP3beta switched on too.
    let mut all = config.clone();
    all.item_knn.enabled = true;
    all.rp3beta.enabled = true;
    println!("\nevaluation (seed 1), every collaborative model blended (not served)");
    let eval = evaluated(&data, &all);
    for (name, ndcg) in &eval.validation_ndcg {
        println!("  validation NDCG@10 {name:<14} {ndcg:.4}");
    }
}

/// Trains a few times and prints the median run's (by total time) report; that model.
fn median_training(data: &TrainingData, config: &Config) -> Recommender {
    let mut runs: Vec<Recommender> = (0..TRAINING_RUNS)
        .map(|_| Recommender::train(data, config))
        .collect();
    runs.sort_by(|a, b| {
        a.report()
            .total_seconds
            .total_cmp(&b.report().total_seconds)
    });
    let rec = runs.swap_remove(TRAINING_RUNS / 2);
    drop(runs);
    let report = rec.report();
    println!("\ntraining (median of {TRAINING_RUNS} runs, all data)");
    for (model, seconds) in &report.model_seconds {
        println!("  {model:<32} {:8.1} ms", seconds * 1e3);
    }
    println!(
        "  {:<32} {:8.1} ms",
        "tuning (validation models + search)",
        report.tuning_seconds * 1e3
    );
    println!("  {:<32} {:8.1} ms", "total", report.total_seconds * 1e3);
    println!(
        "  model size ~{:.1} MB; hybrid {:?}",
        report.model_bytes as f64 / 1e6,
        report.hybrid
    );
    println!("  similar artists from {}", report.similar_artists);
    println!("  similar users from {}", report.similar_users);
    rec
}

/// Prints the latencies of every strategy over every user, and of similar artists and users.
fn print_latencies(rec: &Recommender, dataset: &soundstream_core::Dataset) {
    println!("\nlatency, from memory, k = 10");
    for strategy in Strategy::ALL {
        let samples = latency::recommend_latencies(rec, &dataset.users, strategy);
        println!(
            "  recommend {:<22} {}",
            strategy.as_str(),
            percentiles(samples)
        );
    }
    let samples = dataset
        .artists
        .iter()
        .step_by(10)
        .map(|a| {
            let start = Instant::now();
            rec.similar_artists(a.id, 10).expect("known artist");
            start.elapsed()
        })
        .collect();
    println!(
        "  similar_artists (every 10th)     {}",
        percentiles(samples)
    );
    let samples = dataset
        .users
        .iter()
        .map(|&u| {
            let start = Instant::now();
            rec.similar_users(u, 10).expect("known user");
            start.elapsed()
        })
        .collect();
    println!(
        "  similar_users                    {}",
        percentiles(samples)
    );
}
