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
