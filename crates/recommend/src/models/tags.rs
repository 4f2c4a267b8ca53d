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

/// Sums of weights per tag, in a dense array that lives as long as its thread: a profile adds
/// thousands of `(tag, weight)` pairs (every tag of every artist the user plays), and sorting
/// them to merge equal tags was most of an explanation's cost.
#[derive(Debug, Default)]
struct TagSums {
    sums: Vec<f32>,
    seen: Vec<bool>,
    touched: Vec<u32>,
}

thread_local! {
    static TAG_SUMS: std::cell::RefCell<TagSums> = std::cell::RefCell::default();
}

impl TagSums {
    /// Room for tag ids below `n`, all sums zero.
    fn fit(&mut self, n: usize) {
        if self.sums.len() < n {
            self.sums.resize(n, 0.0);
            self.seen.resize(n, false);
        }
    }

    fn add(&mut self, t: u32, w: f32) {
        let k = t as usize;
        if !self.seen[k] {
            self.seen[k] = true;
            self.touched.push(t);
        }
        self.sums[k] += w;
    }

    /// One `(tag, sum)` per tag added to, in tag order; every sum back to zero. Each sum adds
    /// its weights in the order they were added, as summing a stable sort by tag would.
    fn take(&mut self) -> Vec<(u32, f32)> {
        if self.touched.len() * 16 > self.seen.len() {
            // Many tags: reading the flags in order is cheaper than sorting their ids.
            self.touched.clear();
            self.touched.extend(
                self.seen
                    .iter()
                    .enumerate()
                    .filter(|e| *e.1)
                    .map(|(t, _)| t as u32),
            );
        } else {
            self.touched.sort_unstable();
        }
        let out = self
            .touched
            .iter()
            .map(|&t| (t, std::mem::take(&mut self.sums[t as usize])))
            .collect();
        for &t in &self.touched {
            self.seen[t as usize] = false;
        }
        self.touched.clear();
        out
    }
}

/// `a_w * a + b_w * b` of two profiles sorted by tag, in tag order: a merge, where adding both
/// into the dense sums and reading them back cost a second pass over every tag (about a
/// tenth of a recommendation's CPU at 1x, by perf). The same sums, bit for bit: each is
/// `a_w * a_t`, `b_w * b_t` or `a_w * a_t + b_w * b_t`, as adding them to a zero gave.
fn mix(a: &[(u32, f32)], a_w: f32, b: &[(u32, f32)], b_w: f32) -> Vec<(u32, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut p, mut q) = (0, 0);
    while p < a.len() || q < b.len() {
        let next_a = a.get(p).map_or(u32::MAX, |e| e.0);
        let next_b = b.get(q).map_or(u32::MAX, |e| e.0);
        if q == b.len() || (p < a.len() && next_a < next_b) {
            out.push((next_a, a_w * a[p].1));
            p += 1;
        } else if p == a.len() || next_b < next_a {
            out.push((next_b, b_w * b[q].1));
            q += 1;
        } else {
            out.push((next_a, a_w * a[p].1 + b_w * b[q].1));
            p += 1;
            q += 1;
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
        TAG_SUMS.with_borrow_mut(|sums| {
            sums.fit(self.idf.len());
            for (&i, &x) in row.items.iter().zip(row.values) {
                let (tags, ws) = self.item_profiles.row(i as usize);
                for (&t, &w) in tags.iter().zip(ws) {
                    sums.add(t, x * w);
                }
            }
            let mut heard = sums.take();
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
            let mut profile = top_k(mix(&heard, w_heard, &own, w_own), self.profile_tags);
            normalise(&mut profile);
            profile
        })
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

    /// The tags of `profile` that artist `i` carries, strongest match first. `by_tag` is the
    /// profile sorted by tag: one merge with the artist's tags, not a search per profile tag.
    pub fn matching(&self, by_tag: &[(u32, f32)], i: usize) -> Vec<u32> {
        let (tags, ws) = self.item_profiles.row(i);
        let (mut p, mut q) = (0, 0);
        let mut matches: Vec<(u32, f32)> = Vec::new();
        while p < by_tag.len() && q < tags.len() {
            match by_tag[p].0.cmp(&tags[q]) {
                std::cmp::Ordering::Less => p += 1,
                std::cmp::Ordering::Greater => q += 1,
                std::cmp::Ordering::Equal => {
                    let s = by_tag[p].1 * ws[q];
                    if s > 0.0 {
                        matches.push((tags[q], s));
                    }
                    p += 1;
                    q += 1;
                }
            }
        }
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
        let mut sums = TagSums::default();
        sums.fit(4);
        for (t, w) in [(3, 1.0), (1, 0.5), (3, 2.0), (1, 0.25), (0, 0.0)] {
            sums.add(t, w);
        }
        assert_eq!(sums.take(), vec![(0, 0.0), (1, 0.75), (3, 3.0)]);
        sums.add(3, 1.5);
        assert_eq!(sums.take(), vec![(3, 1.5)], "taking starts every sum again");
    }

    #[test]
    fn mixing_two_profiles_is_adding_them_to_the_sums_bit_for_bit() {
        let mut rng = crate::rng::SplitMix64::new(7);
        for _ in 0..50 {
            let mut profile = |n: usize| {
                let mut v: Vec<(u32, f32)> = (0..n)
                    .map(|_| {
                        (
                            (rng.next_u64() % 40) as u32,
                            (rng.next_u64() % 1000) as f32 / 7.0,
                        )
                    })
                    .collect();
                v.sort_unstable_by_key(|e| e.0);
                v.dedup_by_key(|e| e.0);
                v
            };
            let (a, b) = (profile(25), profile(8));
            let (a_w, b_w) = (0.85f32, 0.15f32);
            let mut sums = TagSums::default();
            sums.fit(40);
            for &(t, w) in &a {
                sums.add(t, a_w * w);
            }
            for &(t, w) in &b {
                sums.add(t, b_w * w);
            }
            let want = sums.take();
            let got = mix(&a, a_w, &b, b_w);
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert_eq!((g.0, g.1.to_bits()), (w.0, w.1.to_bits()));
            }
        }
        assert!(mix(&[], 1.0, &[], 0.0).is_empty());
        assert_eq!(mix(&[(2, 1.0)], 0.5, &[], 0.0), vec![(2, 0.5)]);
        assert_eq!(mix(&[], 0.0, &[(1, 2.0)], 1.0), vec![(1, 2.0)]);
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
        let mut profile = model.profile(&idx, &UserRow::of(&idx, tagger));
        profile.sort_by_key(|p| p.0);
        let metal = idx.tags.binary_search(&2).unwrap() as u32;
        assert_eq!(model.matching(&profile, idx.item(51).unwrap()), vec![metal]);
    }
}
