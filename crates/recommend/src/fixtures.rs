//! Small hand-made datasets for the unit tests, where the right answers are known.

use std::collections::HashMap;

use crate::data::TrainingData;

/// Users 1-3 play artists 10-13 (user 1 not 13), users 4-6 play artists 20-23; nobody
/// crosses over.
pub(crate) fn two_groups() -> TrainingData {
    let mut listens = Vec::new();
    for u in 1..=3 {
        for a in 10..=13 {
            if !(u == 1 && a == 13) {
                listens.push((u, a, 5 + a));
            }
        }
    }
    for u in 4..=6 {
        for a in 20..=23 {
            listens.push((u, a, 3));
        }
    }
    TrainingData {
        listens,
        artist_names: (10..=13)
            .chain(20..=23)
            .map(|a| (a, format!("Artist {a}")))
            .collect(),
        ..TrainingData::default()
    }
}

/// User 1 has friends 2, 3, 4 and 5: artist 30 is played by three of them, artist 31 by two,
/// artist 32 by one (with many plays); user 1 plays artist 33 already. User 9 is a friend of
/// user 1 with no listens; user 8 is a known user with nothing at all.
pub(crate) fn friends() -> TrainingData {
    let listens = vec![
        (1, 33, 10),
        (2, 30, 1),
        (3, 30, 1),
        (4, 30, 1),
        (2, 31, 1),
        (3, 31, 1),
        (5, 32, 1000),
        (2, 33, 1),
    ];
    TrainingData {
        users: vec![8],
        listens,
        friendships: vec![(1, 2), (1, 3), (1, 4), (1, 5), (1, 9)],
        artist_names: (30..=33).map(|a| (a, format!("Artist {a}"))).collect(),
        ..TrainingData::default()
    }
}

/// Artists 40-41 are tagged "shoegaze" (tag 1), artists 50-51 "metal" (tag 2); user 1 plays
/// artist 40, user 2 plays nothing but tagged artist 50 "metal", users 3-5 play everything so
/// every artist has listeners.
pub(crate) fn tagged() -> TrainingData {
    let mut listens = vec![(1, 40, 20)];
    let mut tag_assignments = vec![(2, 50, 2)];
    for u in 3..=5 {
        for a in [40, 41, 50, 51] {
            listens.push((u, a, 2));
            tag_assignments.push((u, a, if a < 50 { 1 } else { 2 }));
        }
    }
    // One more listener for 51, so it is the most popular metal artist.
    listens.push((6, 51, 1));
    TrainingData {
        listens,
        tag_assignments,
        artist_names: [40, 41, 50, 51]
            .into_iter()
            .map(|a| (a, format!("Artist {a}")))
            .collect(),
        tag_names: HashMap::from([(1, "shoegaze".into()), (2, "metal".into())]),
        ..TrainingData::default()
    }
}
