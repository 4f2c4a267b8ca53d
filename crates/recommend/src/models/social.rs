//! The social model: artists the user's friends play. Each friend counts with a tie strength,
//! a floor plus the cosine similarity of the two users' listens (a friend with the same taste
//! is a better guide than one met elsewhere), and each of the friend's artists with between
//! half and all of that weight by how much the friend plays it relative to their favourite:
//! how many friends play an artist matters most, how much they play it breaks ties.

use crate::config::SocialConfig;
use crate::data::{Csr, Indexed};
use crate::linalg::sparse_dot;
use crate::models::UserRow;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Social {
    tie_floor: f32,
}

/// Cosine similarity of rows `a` and `b` of `m` (sorted sparse rows).
pub(crate) fn row_cosine(m: &Csr, a: usize, b: usize) -> f32 {
    let (ia, xa) = m.row(a);
    cosine(ia, xa, m, b)
}

/// Cosine similarity of a sorted sparse row and row `b` of `m`.
pub(crate) fn cosine(ia: &[u32], xa: &[f32], m: &Csr, b: usize) -> f32 {
    let (ib, xb) = m.row(b);
    let dot = sparse_dot(ia, xa, ib, xb);
    if dot == 0.0 {
        return 0.0;
    }
    let na: f32 = xa.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = xb.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

impl Social {
    pub fn fit(cfg: &SocialConfig) -> Self {
        Self {
            tie_floor: cfg.tie_floor,
        }
    }

    pub fn score(&self, idx: &Indexed, row: &UserRow<'_>, out: &mut [f32]) {
        let Some(u) = row.user else { return };
        for &f in idx.friends.row(u).0 {
            let f = f as usize;
            let tie = self.tie_floor + cosine(row.items, row.values, &idx.ui, f);
            let (items, xs) = idx.ui.row(f);
            let top = xs.iter().copied().fold(0f32, f32::max);
            for (&i, &x) in items.iter().zip(xs) {
                out[i as usize] += tie * 0.5 * (1.0 + x / top);
            }
        }
    }

    /// The friends of `u`, closest ties first (the cosine of their listens; ties by index).
    pub fn friends_by_tie(&self, idx: &Indexed, u: usize) -> Vec<u32> {
        let mut who: Vec<(u32, f32)> = idx
            .friends
            .row(u)
            .0
            .iter()
            .map(|&f| (f, row_cosine(&idx.ui, u, f as usize)))
            .collect();
        who.sort_by(crate::topk::best_first);
        who.into_iter().map(|(f, _)| f).collect()
    }

    /// Of `friends`, those who play artist `i`, in the order given.
    pub fn playing(idx: &Indexed, friends: &[u32], i: usize) -> Vec<u32> {
        friends
            .iter()
            .copied()
            .filter(|&f| idx.ui.get(f as usize, i as u32) > 0.0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::friends;

    #[test]
    fn the_artist_most_friends_play_comes_first() {
        let idx = Indexed::build(&friends());
        let model = Social::fit(&SocialConfig::default());
        let u = idx.user(1).unwrap();
        let mut out = vec![0f32; idx.n_items()];
        model.score(&idx, &UserRow::of(&idx, u), &mut out);
        let s = |a| out[idx.item(a).unwrap()];
        assert!(s(30) > s(31), "three friends beat two");
        assert!(s(31) > s(32), "two friends beat one with 1,000 plays");
        assert!(s(32) > 0.0);
        assert_eq!(
            Social::playing(&idx, &model.friends_by_tie(&idx, u), idx.item(30).unwrap()).len(),
            3
        );
    }
}
