//! The evaluation on the real Last.fm dataset: the served hybrid must beat both reference
//! baselines by a wide margin, and the recommender must answer every user sensibly.
//! Reads the `.dat` files from `SOUNDSTREAM_DATA_DIR`; skipped (with a note) when it is unset.

use std::path::PathBuf;

use soundstream_recommend::{
    Config, MOST_POPULAR, Recommender, Strategy, TrainingData, USER_KNN, evaluate,
};

fn training_data() -> Option<TrainingData> {
    let Some(dir) = std::env::var_os("SOUNDSTREAM_DATA_DIR").map(PathBuf::from) else {
        eprintln!("SOUNDSTREAM_DATA_DIR is not set: skipping the real-dataset test");
        return None;
    };
    let dataset = soundstream_import::read_dataset(&dir)
        .expect("the dataset in SOUNDSTREAM_DATA_DIR reads")
        .dataset;
    Some(TrainingData::from_dataset(&dataset))
}

/// The served default on the evaluation protocol (seed 42): issue 12's bars together, NDCG@10
/// of at least 0.254 at a catalogue coverage@10 of at least 0.15 (the old hybrid had 0.054;
/// measured 0.2643 at 0.167), beyond both baselines by a wide margin, and further into the
/// long tail than the accuracy-only collaborative blend.
#[test]
fn the_served_default_reaches_the_long_tail_and_beats_both_baselines() {
    let Some(data) = training_data() else { return };
    let eval = evaluate(&data, 42, &Config::default());
    println!("{eval}");

    let row = |name: &str| eval.row(name).expect(name).metrics;
    let hybrid = row("hybrid");
    assert!(hybrid.coverage >= 0.15, "coverage {}", hybrid.coverage);
    assert!(hybrid.ndcg >= 0.254, "NDCG {}", hybrid.ndcg);
    assert!(
        hybrid.ndcg >= 2.5 * row(MOST_POPULAR).ndcg,
        "hybrid {} vs most-popular {}",
        hybrid.ndcg,
        row(MOST_POPULAR).ndcg
    );
    assert!(
        hybrid.ndcg >= 1.3 * row(USER_KNN).ndcg,
        "hybrid {} vs user-kNN {}",
        hybrid.ndcg,
        row(USER_KNN).ndcg
    );
    let collaborative = row("collaborative");
    assert!(hybrid.novelty > collaborative.novelty);
    assert!(hybrid.long_tail > 3.0 * collaborative.long_tail);
    assert!(eval.users > 1800, "nearly every user has 5 listens or more");
}

#[test]
fn every_user_gets_ten_unknown_artists_with_reasons() {
    let Some(data) = training_data() else { return };
    let rec = Recommender::train(&data, &Config::default());
    // What a user plays or has tagged: they know these artists, so no list holds one.
    let mut own: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for &(u, a, _) in data.listens.iter().chain(&data.tag_assignments) {
        own.entry(u).or_default().push(a);
    }
    for &user in &data.users {
        let got = rec
            .recommend(user, Strategy::Hybrid, 10)
            .expect("a known user");
        assert_eq!(got.len(), 10, "user {user}");
        let heard = own.get(&user).map(Vec::as_slice).unwrap_or(&[]);
        for r in &got {
            assert!(
                !heard.contains(&r.artist_id),
                "user {user} already plays or tagged {}",
                r.artist_id
            );
            assert!(!r.explanation.is_empty() && !r.because.is_empty());
        }
    }
    // Artist 289 is Britney Spears, 89 Lady Gaga: pop fans share an audience.
    let near = rec.similar_artists(289, 20).expect("a known artist");
    assert!(near.iter().any(|s| s.artist_id == 89), "{near:?}");
    assert!(rec.similar_users(2, 10).expect("a known user").len() == 10);
}
