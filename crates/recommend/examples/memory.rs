//! What a model file holds in memory, part by part, largest first:
//! `cargo run --release -p soundstream-recommend --example memory -- MODEL_FILE`

use std::path::PathBuf;

use soundstream_recommend::Recommender;

fn main() {
    let path = PathBuf::from(std::env::args().nth(1).expect("usage: memory MODEL_FILE"));
    let (rec, info) = Recommender::load(&path).expect("a model file");
    println!(
        "{}: {} users, {} artists",
        path.display(),
        info.data.users,
        info.data.artists
    );
    let parts = rec.memory();
    let total: usize = parts.iter().map(|p| p.1).sum();
    for (part, bytes) in parts {
        println!("{part:<16} {:>8.1} MB", bytes as f64 / 1e6);
    }
    println!("{:<16} {:>8.1} MB", "total", total as f64 / 1e6);
}
