//! Popularity: artists by listener count. It is the served `Popular` strategy, the
//! most-popular baseline of the evaluation, the cold-start fallback, and what fills a list
//! that a model cannot fill alone.

use crate::data::Indexed;

#[derive(Debug)]
pub(crate) struct Popular {
    /// Listeners per artist, as scores.
    scores: Vec<f32>,
    /// Artists with listeners, most listened first (ties by index).
    pub ranked: Vec<u32>,
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
        Self { scores, ranked }
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
