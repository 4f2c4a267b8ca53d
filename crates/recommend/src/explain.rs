//! Why an artist is recommended, as data ([`Reason`]) and in words: which of the user's
//! artists it is like, which friends play it, which tags of the user's profile it carries, or
//! that it is popular. Each reason comes from the part its model had in the artist's score.
//!
//! The work every artist of one answer shares (the user's tag profile, their friends ranked by
//! taste, the norms of their artists' factors) is done once per answer by an [`Explainer`],
//! not once per artist: at 100x the data, building the profile for each of ten artists was
//! most of a recommendation's cost.

use std::cell::OnceCell;
use std::collections::HashMap;

use crate::config::Weights;
use crate::data::Indexed;
use crate::models::social::Social;
use crate::models::{Component, Models, UserRow};
use crate::topk::top_k;
use crate::vocabulary::{Reason, Recommendation};

/// Reasons give at most this many examples (artists, tags).
const EXAMPLES: usize = 3;
/// Two artists whose factors' cosine is at most this are not "similar" in an explanation.
const SIMILAR: f32 = 0.2;

/// The names reasons are told with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Names<'a> {
    pub artists: &'a HashMap<i64, String>,
    pub tags: &'a HashMap<i64, String>,
}

/// Explains the artists of one answer to one user (see the module doc).
pub(crate) struct Explainer<'a> {
    idx: &'a Indexed,
    models: &'a Models,
    names: Names<'a>,
    row: &'a UserRow<'a>,
    w: &'a Weights,
    /// The user's tag profile, sorted by tag.
    profile: OnceCell<Vec<(u32, f32)>>,
    /// The user's friends, closest taste first.
    friends: OnceCell<Vec<u32>>,
    /// The squared norms of the iALS factors of the user's artists, aligned with `row.items`.
    norms: OnceCell<Vec<f32>>,
}

impl<'a> Explainer<'a> {
    pub fn new(
        idx: &'a Indexed,
        models: &'a Models,
        names: Names<'a>,
        row: &'a UserRow<'a>,
        w: &'a Weights,
    ) -> Self {
        Self {
            idx,
            models,
            names,
            row,
            w,
            profile: OnceCell::new(),
            friends: OnceCell::new(),
            norms: OnceCell::new(),
        }
    }

    /// Artist `i` with its score and reasons; `parts` are each model's normalised part in the
    /// score.
    pub fn recommendation(
        &self,
        i: u32,
        score: f32,
        parts: &[f32; Component::ALL.len()],
    ) -> Recommendation {
        let because = self.reasons(i, parts);
        Recommendation {
            artist_id: self.idx.items[i as usize],
            score: f64::from(score),
            explanation: self.explain(&because),
            because,
        }
    }

    /// The reasons for artist `i`, strongest first.
    fn reasons(&self, i: u32, parts: &[f32; Component::ALL.len()]) -> Vec<Reason> {
        let part = |c: Component| parts[c.position()] * self.w.get(c);
        let collaborative: f32 = Component::ALL
            .iter()
            .filter(|c| c.is_collaborative())
            .map(|&c| part(c))
            .sum();
        let mut reasons: Vec<(f32, Reason)> = Vec::new();
        if collaborative > 0.0 {
            reasons.push((collaborative, self.similar_artists(i)));
        }
        if let (true, Some(u)) = (part(Component::Social) > 0.0, self.row.user) {
            let friends = self
                .friends
                .get_or_init(|| self.models.social.friends_by_tie(self.idx, u));
            let playing = Social::playing(self.idx, friends, i as usize);
            if !playing.is_empty() {
                reasons.push((
                    part(Component::Social),
                    Reason::Friends {
                        user_ids: playing
                            .iter()
                            .map(|&f| self.idx.users[f as usize])
                            .collect(),
                    },
                ));
            }
        }
        if part(Component::Tags) > 0.0 {
            let profile = self.profile.get_or_init(|| {
                let mut p = self.models.tags.profile(self.idx, self.row);
                p.sort_unstable_by_key(|e| e.0);
                p
            });
            let tags = self.models.tags.matching(profile, i as usize);
            if !tags.is_empty() {
                reasons.push((
                    part(Component::Tags),
                    Reason::Tags {
                        tag_ids: tags
                            .iter()
                            .take(EXAMPLES)
                            .map(|&t| self.idx.tags[t as usize])
                            .collect(),
                    },
                ));
            }
        }
        // Popularity is a reason only when nothing more personal is, or when it weighs most.
        let popular = part(Component::Popular);
        if reasons.is_empty() || reasons.iter().all(|r| r.0 < popular) {
            reasons.push((
                popular,
                Reason::Popular {
                    listeners: self.idx.listeners[i as usize],
                },
            ));
        }
        reasons.sort_by(|a, b| b.0.total_cmp(&a.0));
        reasons.into_iter().map(|r| r.1).collect()
    }

    /// The user's artists most like `i`: by their iALS factors when trained (k multiply-adds
    /// a pair, whatever the audiences' sizes), else by shared listeners.
    fn similar_artists(&self, i: u32) -> Reason {
        let (items, values) = (self.row.items, self.row.values);
        let because: Vec<(u32, f32)> = match &self.models.ials {
            Some(m) => {
                let norms = self
                    .norms
                    .get_or_init(|| items.iter().map(|&j| m.item_norm2(j as usize)).collect());
                let ni = m.item_norm2(i as usize);
                items
                    .iter()
                    .zip(values)
                    .zip(norms)
                    .map(|((&j, &x), &nj)| {
                        let d = m.item_dot(j as usize, i as usize);
                        let s = if d == 0.0 { 0.0 } else { d / (nj * ni).sqrt() };
                        (j, x * if s > SIMILAR { s } else { 0.0 })
                    })
                    .filter(|&(_, s)| s > 0.0)
                    .collect()
            }
            None => items
                .iter()
                .zip(values)
                .map(|(&j, &x)| {
                    let s = self
                        .models
                        .item_knn
                        .similarity(self.idx, j as usize, i as usize);
                    (j, x * s)
                })
                .filter(|&(_, s)| s > 0.0)
                .collect(),
        };
        if because.is_empty() {
            return Reason::SimilarListeners;
        }
        // Only the first few are named: selected, not the whole row sorted (`best_first` is
        // a total order over distinct artists, so the same ones either way).
        Reason::SimilarArtists {
            artist_ids: top_k(because, EXAMPLES)
                .iter()
                .map(|&(j, _)| self.idx.items[j as usize])
                .collect(),
        }
    }

    fn artist_name(&self, id: i64) -> String {
        self.names
            .artists
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("artist {id}"))
    }

    /// The reasons in words.
    fn explain(&self, because: &[Reason]) -> String {
        because
            .iter()
            .map(|r| match r {
                Reason::SimilarArtists { artist_ids } => {
                    let names: Vec<String> =
                        artist_ids.iter().map(|&a| self.artist_name(a)).collect();
                    format!("because you listen to {}", and_list(&names))
                }
                Reason::SimilarListeners => "listeners with taste like yours play this".into(),
                Reason::Friends { user_ids } => match user_ids.len() {
                    1 => format!("your friend {} plays this", user_ids[0]),
                    n => format!("{n} of your friends play this"),
                },
                Reason::Tags { tag_ids } => {
                    let names: Vec<String> = tag_ids
                        .iter()
                        .map(|t| {
                            self.names
                                .tags
                                .get(t)
                                .cloned()
                                .unwrap_or_else(|| format!("tag {t}"))
                        })
                        .collect();
                    format!("matches your tags: {}", names.join(", "))
                }
                Reason::Popular { listeners } => {
                    format!("popular: {listeners} listeners")
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_as_in_a_sentence() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&names(&[])), "");
        assert_eq!(and_list(&names(&["Muse"])), "Muse");
        assert_eq!(and_list(&names(&["Muse", "Placebo"])), "Muse and Placebo");
        assert_eq!(
            and_list(&names(&["Muse", "Placebo", "Blur"])),
            "Muse, Placebo and Blur"
        );
    }
}
