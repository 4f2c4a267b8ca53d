//! The tag model. An artist's tag profile is tf-idf over the tags users applied to it
//! (`ln(1 + taggers) * idf`, unit length); a user's profile mixes the tags they applied
//! themselves and the profiles of the artists they play (weighted by damped plays). An
//! artist's score is the dot product of the two, times a popularity prior: tags alone rank a
//! band one person tagged "shoegaze" level with the genre's landmarks.

use crate::config::TagsConfig;
use crate::data::{Csr, Indexed};
use crate::models::UserRow;
use crate::topk::top_k;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tags {
    /// Artists x tags, tf-idf, unit rows.
    item_profiles: Csr,
    /// Tags x artists, the same values.
    tag_items: Csr,
    idf: Vec<f32>,
    prior: Vec<f32>,
    own_tags: f32,
    profile_tags: usize,
    /// Artists each tag scores (its best, in `tag_items`), when capped for the data's size.
    capped: Option<usize>,
}

fn normalise(v: &mut [(u32, f32)]) {
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= norm;
        }
    }
}

/// `(tag, weight)` pairs with one entry per tag, weights summed in the order given.
fn sum_by_tag(mut pairs: Vec<(u32, f32)>) -> Vec<(u32, f32)> {
    pairs.sort_by_key(|p| p.0);
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(pairs.len());
    for (t, w) in pairs {
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 += w,
            _ => out.push((t, w)),
        }
    }
    out
}

/// The tags x artists matrix with only each tag's `m` best artists by weight times prior
/// (ties to the lower index), in artist order.
fn best_per_tag(tag_items: &Csr, prior: &[f32], m: usize) -> Csr {
    let mut entries = Vec::new();
    for t in 0..tag_items.rows() {
        let (items, ws) = tag_items.row(t);
        let ranked: Vec<(u32, f32)> = items
            .iter()
            .zip(ws)
            .map(|(&i, &w)| (i, w * prior[i as usize]))
            .collect();
        let kept = top_k(ranked, m);
        entries.extend(kept.into_iter().map(|(i, _)| {
            let w = ws[items
                .binary_search(&i)
                .expect("a kept artist is in the row")];
            (t as u32, i, w)
        }));
    }
    Csr::from_entries(tag_items.rows(), entries)
}

impl Tags {
    pub fn fit(idx: &Indexed, cfg: &TagsConfig) -> Self {
        let n_tags = idx.tags.len();
        let tagged = (0..idx.n_items())
            .filter(|&i| idx.item_tags.row_len(i) > 0)
            .count()
            .max(1) as f32;
        let mut df = vec![0u32; n_tags];
        for &t in &idx.item_tags.idx {
            df[t as usize] += 1;
        }
        let idf: Vec<f32> = df
            .iter()
            .map(|&d| (tagged / d.max(1) as f32).ln().max(0.0) + 1e-3)
            .collect();
        let mut item_profiles = idx.item_tags.clone();
        for i in 0..idx.n_items() {
            let range = item_profiles.ptr[i]..item_profiles.ptr[i + 1];
            let mut row: Vec<(u32, f32)> = item_profiles.idx[range.clone()]
                .iter()
                .zip(&item_profiles.val[range.clone()])
                .map(|(&t, &c)| (t, c.ln_1p() * idf[t as usize]))
                .collect();
            normalise(&mut row);
            for (slot, (_, w)) in item_profiles.val[range].iter_mut().zip(row) {
                *slot = w;
            }
        }
        let prior: Vec<f32> = idx
            .listeners
            .iter()
            .map(|&l| (1.0 + l as f32).powf(cfg.popularity))
            .collect();
        let capped = (idx.n_items() > cfg.cap_past_artists).then_some(cfg.max_tag_artists);
        let tag_items = match capped {
            Some(m) => best_per_tag(&item_profiles.transpose(n_tags), &prior, m),
            None => item_profiles.transpose(n_tags),
        };
        Self {
            item_profiles,
            tag_items,
            idf,
            prior,
            own_tags: cfg.own_tags,
            profile_tags: cfg.profile_tags,
            capped,
        }
    }

    /// How the tags score, for the report.
    pub fn form(&self) -> String {
        match self.capped {
            Some(m) => format!("tags: each tag's {m} best artists"),
            None => "tags".into(),
        }
    }

    /// The user's tag profile: at most `profile_tags` tags, unit length, best first.
    pub fn profile(&self, idx: &Indexed, row: &UserRow<'_>) -> Vec<(u32, f32)> {
        // Sums per tag by a stable sort and a merge rather than a hash map (a fifth of the
        // validation ranking's time at 100x): the same sums, added in the same order.
        let mut heard: Vec<(u32, f32)> = Vec::new();
        let (items, xs) = (row.items, row.values);
        for (&i, &x) in items.iter().zip(xs) {
            let (tags, ws) = self.item_profiles.row(i as usize);
            heard.extend(tags.iter().zip(ws).map(|(&t, &w)| (t, x * w)));
        }
        let mut heard = sum_by_tag(heard);
        normalise(&mut heard);
        let (tags, counts) = row
            .user
            .map_or((&[][..], &[][..]), |u| idx.user_tags.row(u));
        let mut own: Vec<(u32, f32)> = tags
            .iter()
            .zip(counts)
            .map(|(&t, &c)| (t, c.ln_1p() * self.idf[t as usize]))
            .collect();
        normalise(&mut own);
        // With only one of the two sources, it is the whole profile.
        let (w_own, w_heard) = match (own.is_empty(), heard.is_empty()) {
            (true, _) => (0.0, 1.0),
            (false, true) => (1.0, 0.0),
            (false, false) => (self.own_tags, 1.0 - self.own_tags),
        };
        let merged: Vec<(u32, f32)> = heard
            .into_iter()
            .map(|(t, w)| (t, w_heard * w))
            .chain(own.into_iter().map(|(t, w)| (t, w_own * w)))
            .collect();
        let merged = sum_by_tag(merged);
        let mut profile = top_k(merged, self.profile_tags);
        normalise(&mut profile);
        profile
    }

    pub fn score(&self, idx: &Indexed, row: &UserRow<'_>, out: &mut [f32]) {
        self.score_profile(&self.profile(idx, row), out);
    }

    fn score_profile(&self, profile: &[(u32, f32)], out: &mut [f32]) {
        let mut acc = vec![0f32; out.len()];
        for &(t, pw) in profile {
            let (items, ws) = self.tag_items.row(t as usize);
            for (&i, &w) in items.iter().zip(ws) {
                acc[i as usize] += pw * w;
            }
        }
        for ((o, a), p) in out.iter_mut().zip(acc).zip(&self.prior) {
            *o += a * p;
        }
    }

    /// The tags of `profile` that artist `i` carries, strongest match first.
    pub fn matching(&self, profile: &[(u32, f32)], i: usize) -> Vec<u32> {
        let mut matches: Vec<(u32, f32)> = profile
            .iter()
            .map(|&(t, pw)| (t, pw * self.item_profiles.get(i, t)))
            .filter(|&(_, s)| s > 0.0)
            .collect();
        matches.sort_by(crate::topk::best_first);
        matches.into_iter().map(|(t, _)| t).collect()
    }

    pub fn bytes(&self) -> usize {
        self.item_profiles.bytes()
            + self.tag_items.bytes()
            + (self.idf.len() + self.prior.len()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::tagged;

    #[test]
    fn a_capped_tag_scores_only_its_best_artists() {
        let data = tagged();
        let idx = Indexed::build(&data);
        let cfg = TagsConfig {
            cap_past_artists: 0,
            max_tag_artists: 1,
            ..TagsConfig::default()
        };
        let model = Tags::fit(&idx, &cfg);
        assert_eq!(model.form(), "tags: each tag's 1 best artists");
        // "metal" keeps artist 51 (more listeners, same tag weight), not 50.
        let tagger = idx.user(2).unwrap();
        let mut out = vec![0f32; idx.n_items()];
        model.score(&idx, &UserRow::of(&idx, tagger), &mut out);
        assert!(out[idx.item(51).unwrap()] > 0.0);
        assert_eq!(out[idx.item(50).unwrap()], 0.0);
        assert_eq!(Tags::fit(&idx, &TagsConfig::default()).form(), "tags");
    }

    #[test]
    fn tag_weights_are_summed_per_tag() {
        assert_eq!(
            sum_by_tag(vec![(3, 1.0), (1, 0.5), (3, 2.0), (1, 0.25)]),
            vec![(1, 0.75), (3, 3.0)]
        );
    }

    #[test]
    fn artists_with_the_users_tags_come_first() {
        let idx = Indexed::build(&tagged());
        let model = Tags::fit(&idx, &TagsConfig::default());
        let mut out = vec![0f32; idx.n_items()];
        let listener = idx.user(1).unwrap();
        model.score(&idx, &UserRow::of(&idx, listener), &mut out);
        let s = |out: &[f32], a| out[idx.item(a).unwrap()];
        assert!(s(&out, 41) > s(&out, 50).max(s(&out, 51)), "{out:?}");

        // User 2 plays nothing but tagged an artist "metal": popular-in-their-tags.
        let tagger = idx.user(2).unwrap();
        let mut out = vec![0f32; idx.n_items()];
        model.score(&idx, &UserRow::of(&idx, tagger), &mut out);
        assert!(
            s(&out, 51) > s(&out, 50),
            "the more popular metal artist first"
        );
        assert!(s(&out, 50) > s(&out, 41));
        let profile = model.profile(&idx, &UserRow::of(&idx, tagger));
        let metal = idx.tags.binary_search(&2).unwrap() as u32;
        assert_eq!(model.matching(&profile, idx.item(51).unwrap()), vec![metal]);
    }
}
