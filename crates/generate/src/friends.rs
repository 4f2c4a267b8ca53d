//! The friendship graph: each user gets a heavy-tailed number of friendship "stubs" (log-normal
//! degree, as measured), most of them paired inside their friend circle, some inside their
//! community, a few anywhere (a configuration model at three levels). Self-pairs and repeated
//! pairs are dropped, a user left alone is linked to a member of their circle, and every
//! friendship is written in both directions, sorted, as the real file stores it.

use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rustc_hash::FxHashSet;

use crate::fit::friends::{
    CIRCLE_CAP, CIRCLE_SHARE, COMMUNITY_CAP, COMMUNITY_SHARE, DEGREE_LOG_MEAN, DEGREE_LOG_SD,
    MAX_DEGREE,
};
use crate::people::User;

/// The friendships as (user index, user index) pairs with the smaller index first, sorted.
pub(crate) fn friendships(rng: &mut ChaCha8Rng, users: &[User]) -> Vec<(u32, u32)> {
    let n = users.len();
    if n < 2 {
        return Vec::new();
    }
    let circles = users.iter().map(|u| u.circle).max().unwrap_or(0) as usize + 1;
    let communities = users.iter().map(|u| u.community).max().unwrap_or(0) as usize + 1;
    let mut by_circle: Vec<Vec<u32>> = vec![Vec::new(); circles];
    let mut by_community: Vec<Vec<u32>> = vec![Vec::new(); communities];
    let mut anywhere: Vec<u32> = Vec::new();
    let degree = Normal::new(DEGREE_LOG_MEAN, DEGREE_LOG_SD).expect("a valid normal");
    for (i, u) in users.iter().enumerate() {
        let d = (degree.sample(rng).exp().round() as u32).clamp(1, MAX_DEGREE);
        // A circle or a community can only hold so many of one user's friends: past a cap,
        // the stubs go one level out (otherwise they pair twice with the same people).
        let (mut in_circle, mut in_community) = (0, 0);
        for _ in 0..d {
            let r = rng.random::<f64>();
            let list = if r < CIRCLE_SHARE && in_circle < CIRCLE_CAP {
                in_circle += 1;
                &mut by_circle[u.circle as usize]
            } else if r < CIRCLE_SHARE + COMMUNITY_SHARE && in_community < COMMUNITY_CAP {
                in_community += 1;
                &mut by_community[u.community as usize]
            } else {
                &mut anywhere
            };
            list.push(i as u32);
        }
    }
    // Circles and communities first; a stub that pairs with itself, repeats a pair or is left
    // over joins the stubs paired anywhere, so each user keeps about the degree drawn at
    // every scale.
    let mut pairs: FxHashSet<(u32, u32)> = FxHashSet::default();
    for list in by_circle.iter_mut().chain(by_community.iter_mut()) {
        list.shuffle(rng);
        for pair in list.chunks(2) {
            let (a, b) = match *pair {
                [a, b] => (a.min(b), a.max(b)),
                [a] => {
                    anywhere.push(a);
                    continue;
                }
                _ => unreachable!("chunks of two"),
            };
            if a == b || !pairs.insert((a, b)) {
                anywhere.extend([a, b]);
            }
        }
    }
    anywhere.shuffle(rng);
    for pair in anywhere.chunks_exact(2) {
        let (a, b) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
        if a != b {
            pairs.insert((a, b));
        }
    }
    let mut pairs: Vec<(u32, u32)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    // Every real user has a friend: link the lonely ones within their circle (or anywhere,
    // in a circle of one).
    let mut has_friend = vec![false; n];
    for &(a, b) in &pairs {
        has_friend[a as usize] = true;
        has_friend[b as usize] = true;
    }
    for i in 0..n {
        if has_friend[i] {
            continue;
        }
        let circle = &by_circle[users[i].circle as usize];
        let mates: Vec<u32> = circle
            .iter()
            .copied()
            .filter(|&j| j as usize != i)
            .collect();
        let j = if mates.is_empty() {
            (i + 1 + rng.random_range(0..n - 1)) % n
        } else {
            mates[rng.random_range(0..mates.len())] as usize
        };
        pairs.push(((i.min(j)) as u32, (i.max(j)) as u32));
        has_friend[i] = true;
        has_friend[j] = true;
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Both directions of every friendship, as rows of ids sorted by (user, friend).
pub(crate) fn rows(users: &[User], pairs: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut rows = Vec::with_capacity(pairs.len() * 2);
    for &(a, b) in pairs {
        let (a, b) = (users[a as usize].id, users[b as usize].id);
        rows.push((a, b));
        rows.push((b, a));
    }
    rows.sort_unstable();
    rows
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::people;

    #[test]
    fn every_user_has_a_friend_and_no_one_is_their_own() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let users = people::users(&mut rng, 3_000, 10);
        let pairs = friendships(&mut rng, &users);
        assert!(pairs.iter().all(|&(a, b)| a < b));
        assert!(pairs.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats");
        let mut degree = vec![0u32; users.len()];
        for &(a, b) in &pairs {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        assert!(degree.iter().all(|&d| d >= 1));
        // Mostly within communities.
        let within = pairs
            .iter()
            .filter(|&&(a, b)| users[a as usize].community == users[b as usize].community)
            .count();
        assert!(within as f64 > 0.7 * pairs.len() as f64, "{within}");
    }

    #[test]
    fn rows_hold_both_directions() {
        let mut rng = ChaCha8Rng::seed_from_u64(10);
        let users = people::users(&mut rng, 500, 4);
        let pairs = friendships(&mut rng, &users);
        let rows = rows(&users, &pairs);
        assert_eq!(rows.len(), 2 * pairs.len());
        for &(a, b) in &rows {
            assert!(rows.binary_search(&(b, a)).is_ok());
        }
    }
}
