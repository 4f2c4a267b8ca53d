//! The users: their ids (increasing, with gaps), their taste community and their friend
//! circle. Community sizes are uneven (a few big scenes, many small ones); a circle is a run
//! of 25 members of one community, the people most friendships link.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::fit;

/// One generated user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct User {
    /// The id written in the files.
    pub id: u32,
    /// The taste community.
    pub community: u32,
    /// The friend circle (a part of the community).
    pub circle: u32,
}

/// Draws `count` users in `communities` communities.
pub(crate) fn users(rng: &mut ChaCha8Rng, count: u64, communities: u32) -> Vec<User> {
    // Community sizes fall off as rank^-0.7.
    let cumulative: Vec<f64> = (0..communities)
        .scan(0.0, |sum, c| {
            *sum += f64::from(c + 1).powf(-0.7);
            Some(*sum)
        })
        .collect();
    let total = cumulative.last().copied().unwrap_or(1.0);
    let mut users = Vec::with_capacity(count as usize);
    let mut id = 1u32;
    for _ in 0..count {
        id += 1;
        while rng.random::<f64>() < fit::USER_ID_GAP {
            id += 1;
        }
        let x = rng.random::<f64>() * total;
        let community = cumulative
            .partition_point(|&c| c <= x)
            .min(communities as usize - 1) as u32;
        users.push(User {
            id,
            community,
            circle: 0,
        });
    }
    // Circles: each community's members, in id order, cut into runs of CIRCLE_SIZE.
    let mut members = vec![0usize; communities as usize];
    let mut first_circle = vec![0u32; communities as usize];
    for u in &users {
        members[u.community as usize] += 1;
    }
    let mut next = 0u32;
    for c in 0..communities as usize {
        first_circle[c] = next;
        next += members[c].div_ceil(fit::friends::CIRCLE_SIZE).max(1) as u32;
    }
    let mut seen = vec![0usize; communities as usize];
    for u in &mut users {
        let c = u.community as usize;
        u.circle = first_circle[c] + (seen[c] / fit::friends::CIRCLE_SIZE) as u32;
        seen[c] += 1;
    }
    users
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn ids_increase_and_every_community_is_used() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let users = users(&mut rng, 5_000, 20);
        assert_eq!(users.len(), 5_000);
        assert!(users.windows(2).all(|w| w[0].id < w[1].id));
        for c in 0..20 {
            assert!(users.iter().any(|u| u.community == c), "community {c}");
        }
        // A circle never spans two communities and holds at most CIRCLE_SIZE users.
        let mut by_circle = std::collections::HashMap::<u32, Vec<User>>::new();
        for u in &users {
            by_circle.entry(u.circle).or_default().push(*u);
        }
        for members in by_circle.values() {
            assert!(members.len() <= fit::friends::CIRCLE_SIZE);
            assert!(members.iter().all(|u| u.community == members[0].community));
        }
    }
}
