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

#[test]
fn the_hybrid_beats_both_baselines_by_a_wide_margin() {
    let Some(data) = training_data() else { return };
    let eval = evaluate(&data, 1, &Config::default());
    println!("{eval}");

    let ndcg = |name: &str| eval.row(name).expect(name).metrics.ndcg;
    assert_eq!(
        eval.rows[0].name, "hybrid",
        "the served default is the best row"
    );
    assert!(
        ndcg("hybrid") >= 1.5 * ndcg(MOST_POPULAR),
        "hybrid {} vs most-popular {}",
        ndcg("hybrid"),
        ndcg(MOST_POPULAR)
    );
    assert!(
        ndcg("hybrid") >= 1.3 * ndcg(USER_KNN),
        "hybrid {} vs user-kNN {}",
        ndcg("hybrid"),
        ndcg(USER_KNN)
    );
    for row in &eval.rows {
        assert!(
            row.metrics.ndcg <= ndcg("hybrid"),
            "{} beats the hybrid",
            row.name
        );
    }
    assert!(eval.users > 1800, "nearly every user has 5 listens or more");
}

#[test]
fn every_user_gets_ten_unheard_artists_with_reasons() {
    let Some(data) = training_data() else { return };
    let rec = Recommender::train(&data, &Config::default());
    let mut own: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for &(u, a, _) in &data.listens {
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
                "user {user} already plays {}",
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
