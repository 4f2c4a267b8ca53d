//! The textbook user-kNN, kept as a reference baseline for the evaluation only: the 20 users
//! sharing the most artists with the user, and for each artist the sum of those neighbours'
//! raw play counts. It is what a first attempt looks like; the served models must beat it.

use crate::data::Indexed;

/// Neighbours of the baseline.
const NEIGHBOURS: usize = 20;

/// Scores every artist for user `u` into `out`.
pub(crate) fn score(idx: &Indexed, u: usize, out: &mut [f32]) {
    let mut shared = vec![0u32; idx.n_users()];
    for &i in idx.ui.row(u).0 {
        for &v in idx.iu.row(i as usize).0 {
            shared[v as usize] += 1;
        }
    }
    shared[u] = 0;
    let mut neighbours: Vec<(u32, f32)> = shared
        .iter()
        .enumerate()
        .filter(|&(_, &s)| s > 0)
        .map(|(v, &s)| (v as u32, s as f32))
        .collect();
    neighbours = crate::topk::top_k(neighbours, NEIGHBOURS);
    for (v, _) in neighbours {
        let v = v as usize;
        let range = idx.ui.ptr[v]..idx.ui.ptr[v + 1];
        for (&i, &plays) in idx.ui.idx[range.clone()].iter().zip(&idx.ui_raw[range]) {
            out[i as usize] += plays;
        }
    }
}
