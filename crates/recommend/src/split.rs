//! The per-user random holdout, used both by the evaluation (80/20 test split) and by training
//! (a validation split carved out of the training data to tune the blend weights).

use std::collections::{HashMap, HashSet};

use crate::data::TrainingData;
use crate::rng::{SplitMix64, derive};

/// Training rows and, per evaluated user, the artists held out.
#[derive(Debug, Clone)]
pub(crate) struct Holdout {
    pub train: TrainingData,
    /// `(user, held-out artists)`, by user id.
    pub test: Vec<(i64, Vec<i64>)>,
}

/// Holds out `fraction` of the listens (rounded, at least one) of every user with at least
/// `min_listens` listens. The tag assignments of a held-out (user, artist) pair go too: a user
/// tags the artists they play, and keeping the tag would give the held-out artist away.
/// Each user's draw depends only on the seed and the user id.
pub(crate) fn holdout(
    data: &TrainingData,
    seed: u64,
    fraction: f64,
    min_listens: usize,
) -> Holdout {
    let mut by_user: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for &(u, a, w) in &data.listens {
        by_user.entry(u).or_default().push((a, w));
    }
    let mut users: Vec<i64> = by_user.keys().copied().collect();
    users.sort_unstable();
    let mut train_listens = Vec::with_capacity(data.listens.len());
    let mut test = Vec::new();
    let mut held: HashSet<(i64, i64)> = HashSet::new();
    for u in users {
        let mut listens = by_user.remove(&u).unwrap_or_default();
        listens.sort_unstable();
        if listens.len() >= min_listens {
            SplitMix64::new(derive(seed, u as u64)).shuffle(&mut listens);
            let n_test = ((listens.len() as f64 * fraction).round() as usize).max(1);
            let mut artists: Vec<i64> = listens[..n_test].iter().map(|l| l.0).collect();
            artists.sort_unstable();
            held.extend(artists.iter().map(|&a| (u, a)));
            test.push((u, artists));
            train_listens.extend(listens[n_test..].iter().map(|&(a, w)| (u, a, w)));
        } else {
            train_listens.extend(listens.iter().map(|&(a, w)| (u, a, w)));
        }
    }
    let mut train = data.clone();
    train.listens = train_listens;
    train
        .tag_assignments
        .retain(|&(u, a, _)| !held.contains(&(u, a)));
    // Every user stays known, even one whose rows all went to the test split.
    train.users.extend(test.iter().map(|t| t.0));
    train.users.sort_unstable();
    train.users.dedup();
    Holdout { train, test }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifth_of_each_eligible_users_listens_is_held_out_with_its_tags() {
        let mut data = TrainingData::default();
        for a in 0..10 {
            data.listens.push((1, a, 1));
            data.tag_assignments.push((1, a, 7));
        }
        data.listens.extend([(2, 0, 1), (2, 1, 1)]);
        let h = holdout(&data, 3, 0.2, 5);
        assert_eq!(h.test.len(), 1, "user 2 has too few listens");
        let (user, held) = &h.test[0];
        assert_eq!((*user, held.len()), (1, 2));
        assert_eq!(h.train.listens.len(), 10);
        assert_eq!(h.train.tag_assignments.len(), 8);
        assert!(h.train.tag_assignments.iter().all(|t| !held.contains(&t.1)));
        let again = holdout(&data, 3, 0.2, 5);
        assert_eq!(again.test, h.test, "the seed fixes the split");
    }
}
