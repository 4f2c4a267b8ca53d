//! Trains the recommender on the whole dataset and prints the training report (timings per
//! model, validation scores, weights): a quick check of a build profile's speed. The phase
//! and its progress go to stderr every few seconds, with the time since the start, so a run
//! at 100x shows where its minutes go.
//! `SOUNDSTREAM_DATA_DIR=... cargo run -p soundstream-recommend --example train`

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use soundstream_recommend::{Config, Progress, Recommender};

mod common;

fn main() {
    let start = Instant::now();
    let data = common::training_data();
    let config: Config = std::env::var("SOUNDSTREAM_RECOMMEND_CONFIG")
        .map(|s| serde_json::from_str(&s).expect("config JSON"))
        .unwrap_or_default();
    eprintln!("{:>7.1} s  data read", start.elapsed().as_secs_f64());
    let progress = Progress::default();
    let finished = AtomicBool::new(false);
    let rec = std::thread::scope(|s| {
        s.spawn(|| {
            let mut last = None;
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let r = progress.report();
                let tick = start.elapsed().as_secs() / 5;
                if last != Some((r.phase, tick)) {
                    eprintln!(
                        "{:>7.1} s  {} {:.0} %",
                        start.elapsed().as_secs_f64(),
                        r.phase.as_str(),
                        r.fraction * 100.0
                    );
                    last = Some((r.phase, tick));
                }
            }
        });
        let rec = Recommender::train_with_progress(&data, &config, &progress);
        finished.store(true, Ordering::Relaxed);
        rec
    });
    println!("{:#?}", rec.report());
}
