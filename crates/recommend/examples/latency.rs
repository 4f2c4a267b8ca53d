//! Serving cost from memory: trains on the real dataset, then times `recommend` (the served
//! default: a precomputed list plus its explanations) and a fold-in answer (a user's listens
//! changed: their factors solved and every model scored live) for every user.
//! `SOUNDSTREAM_DATA_DIR=... cargo run --release -p soundstream-recommend --example latency`

use std::time::{Duration, Instant};

use soundstream_recommend::{Config, Recommender, Request, Strategy};

mod common;
#[path = "common/latency.rs"]
mod latency;

fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    let mean = samples.iter().map(|d| us(*d)).sum::<f64>() / samples.len() as f64;
    format!(
        "mean {mean:7.1} us   p50 {:7.1} us   p99 {:7.1} us   ({} calls)",
        us(at(0.5)),
        us(at(0.99)),
        samples.len()
    )
}

fn main() {
    let data = common::training_data();
    let rec = Recommender::train(&data, &Config::default());
    for strategy in Strategy::ALL {
        let samples = latency::recommend_latencies(&rec, &data.users, strategy);
        println!(
            "recommend {:<14} {}",
            strategy.as_str(),
            percentiles(samples)
        );
    }
    let samples = data
        .users
        .iter()
        .map(|&u| {
            let mut listens: Vec<(i64, i64)> = data
                .listens
                .iter()
                .filter(|l| l.0 == u)
                .map(|l| (l.1, l.2))
                .collect();
            // A new, heavy listen of an artist the user did not play.
            let new = (1..)
                .find(|a| listens.iter().all(|l| l.0 != *a) && data.artist_names.contains_key(a))
                .expect("an artist the user does not play");
            listens.push((new, 5000));
            let request = Request {
                listens: Some(&listens),
                ..Request::new(Strategy::Hybrid, 10)
            };
            let start = Instant::now();
            let got = rec.answer(u, &request).expect("known user");
            let elapsed = start.elapsed();
            assert!(got.folded_in);
            elapsed
        })
        .collect();
    println!("fold-in hybrid           {}", percentiles(samples));
}
