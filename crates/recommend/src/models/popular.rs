//! Popularity: artists by listener count. It is the served `Popular` strategy, the
//! most-popular baseline of the evaluation, the cold-start fallback, and what fills a list
//! that a model cannot fill alone.

use crate::data::Indexed;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Popular {
    /// Listeners per artist, as scores.
    scores: Vec<f32>,
    /// Artists with listeners, most listened first (ties by index).
    pub ranked: Vec<u32>,
    /// The mean over users (with listens) of their artists' mean `ln(1 + listeners)`.
    mean_taste: f32,
}

impl Popular {
    pub fn fit(idx: &Indexed) -> Self {
        let scores: Vec<f32> = idx.listeners.iter().map(|&l| l as f32).collect();
        let mut ranked: Vec<u32> = (0..idx.n_items() as u32)
            .filter(|&i| idx.listeners[i as usize] > 0)
            .collect();
        ranked.sort_by(|&a, &b| {
            idx.listeners[b as usize]
                .cmp(&idx.listeners[a as usize])
                .then(a.cmp(&b))
        });
        let tastes: Vec<f32> = (0..idx.n_users())
            .filter(|&u| idx.ui.row_len(u) > 0)
            .map(|u| taste(idx, idx.ui.row(u).0))
            .collect();
        let mean_taste = tastes.iter().sum::<f32>() / tastes.len().max(1) as f32;
        Self {
            scores,
            ranked,
            mean_taste,
        }
    }

    /// How much more niche the artists `own` are than the average user's (0 for no artist).
    pub fn niche(&self, idx: &Indexed, own: &[u32]) -> f32 {
        if own.is_empty() {
            0.0
        } else {
            self.mean_taste - taste(idx, own)
        }
    }

    /// The `k` most listened artists not in `own` (sorted), with their `score`s: what the
    /// top `k` of `score` without `own` is (the ranking's ties go to the lower index too).
    pub fn top(&self, own: &[u32], k: usize) -> Vec<(u32, f32)> {
        self.ranked
            .iter()
            .filter(|&&i| own.binary_search(&i).is_err())
            .take(k)
            .map(|&i| (i, self.scores[i as usize]))
            .collect()
    }

    pub fn score(&self, out: &mut [f32]) {
        for (o, s) in out.iter_mut().zip(&self.scores) {
            *o += s;
        }
    }

    pub fn bytes(&self) -> usize {
        (self.scores.len() + self.ranked.len()) * 4
    }
}

/// The mean `ln(1 + listeners)` of some artists: how mainstream a taste is.
fn taste(idx: &Indexed, items: &[u32]) -> f32 {
    items
        .iter()
        .map(|&i| (idx.listeners[i as usize] as f32).ln_1p())
        .sum::<f32>()
        / items.len().max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::two_groups;
    use crate::topk::top_k_dense;

    #[test]
    fn the_top_list_is_the_dense_top_list() {
        let idx = Indexed::build(&two_groups());
        let model = Popular::fit(&idx);
        for own in [vec![], vec![0u32, 3], vec![1, 2, 5]] {
            let mut dense = vec![0f32; idx.n_items()];
            model.score(&mut dense);
            for &i in &own {
                dense[i as usize] = f32::NEG_INFINITY;
            }
            for k in [0, 2, 100] {
                assert_eq!(model.top(&own, k), top_k_dense(&dense, k), "{own:?} {k}");
            }
        }
    }
}
