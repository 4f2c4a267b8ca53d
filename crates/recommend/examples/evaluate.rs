//! Runs the evaluation on the real dataset and prints the table and the training report:
//! `SOUNDSTREAM_DATA_DIR=... cargo run --release -p soundstream-recommend --example evaluate [seed]`
//! Settings can be overridden with a JSON `Config` in `SOUNDSTREAM_RECOMMEND_CONFIG`.

use soundstream_recommend::{Config, evaluate};

mod common;

fn main() {
    let data = common::training_data();
    let seed = std::env::args()
        .nth(1)
        .map_or(1, |s| s.parse().expect("seed"));
    let config: Config = std::env::var("SOUNDSTREAM_RECOMMEND_CONFIG")
        .map(|s| serde_json::from_str(&s).expect("config JSON"))
        .unwrap_or_default();
    let eval = evaluate(&data, seed, &config);
    println!("{eval}");
    println!(
        "training {:.2} s, scoring {:.2} s",
        eval.training_seconds, eval.scoring_seconds
    );
    println!("hybrid weights {:?}", eval.hybrid_weights);
    println!("collaborative weights {:?}", eval.collaborative_weights);
    for (name, ndcg) in &eval.validation_ndcg {
        println!("validation {name:<14} {ndcg:.4}");
    }
}
