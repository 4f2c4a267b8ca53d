//! Trains the recommender on the whole dataset and prints the training report (timings per
//! model, validation scores, weights): a quick check of a build profile's speed.
//! `SOUNDSTREAM_DATA_DIR=... cargo run -p soundstream-recommend --example train`

use std::path::PathBuf;

use soundstream_recommend::{Config, Recommender, TrainingData};

fn main() {
    let dir = PathBuf::from(std::env::var("SOUNDSTREAM_DATA_DIR").expect("SOUNDSTREAM_DATA_DIR"));
    let dataset = soundstream_import::read_dataset(&dir)
        .expect("dataset")
        .dataset;
    let data = TrainingData::from_dataset(&dataset);
    let config: Config = std::env::var("SOUNDSTREAM_RECOMMEND_CONFIG")
        .map(|s| serde_json::from_str(&s).expect("config JSON"))
        .unwrap_or_default();
    let rec = Recommender::train(&data, &config);
    println!("{:#?}", rec.report());
}
