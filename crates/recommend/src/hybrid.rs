//! Blending: each model's best candidates for a user, normalised, then summed with weights;
//! the tuning of those weights on a validation split; and the spread, a re-ranking of every
//! user's served list at once that buys catalogue coverage where it costs least accuracy.
//!
//! Normalisation divides a model's scores by the user's best score from that model, so every
//! model contributes values in (0, 1] whatever its scale (walk probabilities, cosines, factor
//! products): the weights then say how much each model is trusted, not how large its numbers
//! happen to be. Rank-based normalisation (`1 - rank / candidates`) was tried and lost on
//! validation (NDCG@10 0.1819 against 0.1847): the score gaps carry information. Only each
//! model's top `candidates` artists enter the blend; an artist no model ranks that high could
//! not reach a top 10 anyway.
//!
//! One file though over 500 lines: the pool, the weight search and the spread share the
//! pool's layout and its normalisation, and the search calls the pool's inner loop hundreds
//! of times per case; about 130 of the lines are the tests that pin them together.

use crate::config::Weights;
use crate::data::Indexed;
use crate::metrics::score_list;
use crate::models::{Component, Models, UserRow};
use crate::topk::{top_k, top_k_dense};
use crate::{parallel, sweep};

pub(crate) const N: usize = Component::ALL.len();

/// One user's candidates: every artist in some model's top list, with each model's
/// normalised score (0 where the artist is not in that model's list).
#[derive(Debug, Clone, Default)]
pub(crate) struct Pool {
    pub items: Vec<u32>,
    pub scores: Vec<[f32; N]>,
    /// `ln(1 + listeners)` of each candidate, for the popularity calibration.
    pub log_listeners: Vec<f32>,
    /// How much more niche the user's taste is than the average user's: the mean
    /// `ln(1 + listeners)` of all users' artists minus that of this user's artists.
    pub niche: f32,
}

impl Pool {
    /// Builds the pool of the user of `row` from the models whose weight is not zero in any
    /// of `weights`. `scratch` is a vector of the artist count.
    pub fn build(
        models: &Models,
        idx: &Indexed,
        row: &UserRow<'_>,
        candidates: usize,
        weights: &[Weights],
        scratch: &mut [f32],
    ) -> Self {
        let own = row.excluded();
        let own = &own[..];
        let mut entries: Vec<(u32, usize, f32)> = Vec::new();
        for c in Component::ALL {
            if !models.has(c) || weights.iter().all(|w| w.get(c) == 0.0) {
                continue;
            }
            let top = if c == Component::Popular {
                // The same list as the dense scan's, read off the ranking: no scan.
                models.popular.top(own, candidates)
            } else {
                scratch.fill(0.0);
                models.score(idx, c, row, scratch);
                for &i in own {
                    scratch[i as usize] = f32::NEG_INFINITY;
                }
                top_k_dense(scratch, candidates)
            };
            if let Some(&(_, best)) = top.first() {
                entries.extend(top.into_iter().map(|(i, s)| (i, c.position(), s / best)));
            }
        }
        entries.sort_unstable_by_key(|e| e.0);
        let mut pool = Pool {
            niche: models.popular.niche(idx, row.items),
            ..Pool::default()
        };
        for (i, c, s) in entries {
            if pool.items.last() != Some(&i) {
                pool.items.push(i);
                pool.scores.push([0.0; N]);
                pool.log_listeners
                    .push((idx.listeners[i as usize] as f32).ln_1p());
            }
            pool.scores.last_mut().expect("pushed")[c] = s;
        }
        pool
    }

    /// The popularity calibration for this user: the blend's, plus its personal part times
    /// how niche the user's taste is (never negative).
    pub fn calibration(&self, w: &Weights) -> f32 {
        (w.calibration + w.personal_calibration * self.niche).clamp(0.0, 3.0)
    }

    /// The blended score of each candidate, times `(1 + listeners)^-calibration`.
    fn blended(&self, w: [f32; N], calibration: f32) -> impl Iterator<Item = (u32, f32)> + '_ {
        // Only the weighted models: the search calls this hundreds of times per case.
        let mut weighted = [(0usize, 0f32); N];
        let mut n = 0;
        for (c, &wc) in w.iter().enumerate() {
            if wc != 0.0 {
                weighted[n] = (c, wc);
                n += 1;
            }
        }
        self.items
            .iter()
            .zip(&self.scores)
            .zip(&self.log_listeners)
            .map(move |((&i, s), &lp)| {
                let total: f32 = weighted[..n].iter().map(|&(c, wc)| s[c] * wc).sum();
                if calibration == 0.0 || total <= 0.0 {
                    (i, total)
                } else {
                    (i, total * (-calibration * lp).exp())
                }
            })
    }

    /// The `k` best candidates under weights `w` (only those some weighted model proposed).
    pub fn rank(&self, w: &Weights, k: usize) -> Vec<(u32, f32)> {
        let cal = self.calibration(w);
        let w = as_array(w);
        top_k(self.blended(w, cal).filter(|&(_, s)| s > 0.0).collect(), k)
    }

    /// This candidate's normalised score from each model.
    pub fn contributions(&self, i: u32) -> [f32; N] {
        self.items
            .binary_search(&i)
            .map_or([0.0; N], |p| self.scores[p])
    }
}

pub(crate) fn as_array(w: &Weights) -> [f32; N] {
    Component::ALL.map(|c| w.get(c))
}

/// A validation user: their pool and the artists held out (as indexes; `u32::MAX` for an
/// artist the training data has never seen, which can be relevant but never recommended).
pub(crate) struct Case {
    pub pool: Pool,
    pub relevant: Vec<u32>,
    /// The calibration factor of each pool candidate under `factors_for` (calibration,
    /// personal calibration): the weight search changes one weight at a time, and the
    /// exponentials would otherwise be most of its cost.
    pub factors: Vec<f32>,
    pub factors_for: (f32, f32),
}

impl Case {
    pub fn new(pool: Pool, relevant: Vec<u32>) -> Self {
        let mut case = Self {
            pool,
            relevant,
            factors: Vec::new(),
            factors_for: (f32::NAN, f32::NAN),
        };
        case.refresh(&Weights::default());
        case
    }

    /// Caches the calibration factors of `w`.
    fn refresh(&mut self, w: &Weights) {
        let key = (w.calibration, w.personal_calibration);
        if key == self.factors_for {
            return;
        }
        let cal = self.pool.calibration(w);
        self.factors = self
            .pool
            .log_listeners
            .iter()
            .map(|&lp| (-cal * lp).exp())
            .collect();
        self.factors_for = key;
    }
}

/// Caches the calibration factors of `w` in every case.
fn refresh(cases: &mut [Case], w: &Weights, threads: usize) {
    parallel::for_row_blocks(cases, 1, threads, |_, part| {
        for case in part {
            case.refresh(w);
        }
    });
}

/// What a blend achieves on the validation cases.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Quality {
    /// Mean NDCG@k.
    pub ndcg: f64,
    /// Share of the catalogue in at least one case's top k.
    pub coverage: f64,
}

impl Quality {
    /// What the spread search maximises: NDCG, minus the shortfall of coverage below
    /// `min_coverage` (a steep penalty: a setting below the bar loses to any setting above it
    /// but a worse one; below it, a point of coverage weighs four of NDCG).
    pub fn objective(&self, min_coverage: f64) -> f64 {
        self.ndcg - 4.0 * (min_coverage - self.coverage).max(0.0)
    }
}

/// Mean NDCG@k and coverage of weights `w` over the cases (`n_items` artists), one trial at
/// a time: the reference that `sweep::qualities` (what the search calls) is tested against.
#[cfg(test)]
pub(crate) fn quality(
    cases: &[Case],
    w: &Weights,
    k: usize,
    n_items: usize,
    threads: usize,
) -> Quality {
    let weights = *w;
    let w = as_array(w);
    let per_part = parallel::map_ranges(cases.len(), threads, |range| {
        let mut top = Vec::with_capacity(k + 1);
        let mut ranked = Vec::with_capacity(k);
        let mut seen = vec![0u64; n_items.div_ceil(64)];
        let ndcg: Vec<f64> = cases[range]
            .iter()
            .map(|case| {
                let cached =
                    case.factors_for == (weights.calibration, weights.personal_calibration);
                if cached {
                    case.pool.top_small_with(&w, &case.factors, k, &mut top);
                } else {
                    case.pool
                        .top_small(&w, case.pool.calibration(&weights), k, &mut top);
                }
                ranked.clear();
                ranked.extend(top.iter().map(|e: &(u32, f32)| e.0));
                for &i in &ranked {
                    seen[i as usize / 64] |= 1 << (i % 64);
                }
                score_list(&ranked, &case.relevant, k).ndcg
            })
            .collect();
        vec![(ndcg, seen)]
    });
    let mut seen = vec![0u64; n_items.div_ceil(64)];
    let mut total = 0f64;
    // Summed in case order, not per thread: the same result on any number of cores, so the
    // weight search takes the same path everywhere.
    for (ndcg, part) in &per_part {
        for x in ndcg {
            total += x;
        }
        for (s, p) in seen.iter_mut().zip(part) {
            *s |= p;
        }
    }
    let covered: u32 = seen.iter().map(|w| w.count_ones()).sum();
    Quality {
        ndcg: total / cases.len().max(1) as f64,
        coverage: f64::from(covered) / n_items.max(1) as f64,
    }
}

#[cfg(test)]
impl Pool {
    /// The same list as `rank`, by insertion into `top` (for small `k`): candidates come in
    /// index order, so a later one displaces an earlier only with a strictly higher score,
    /// which is `rank`'s tie rule.
    pub fn top_small(&self, w: &[f32; N], calibration: f32, k: usize, top: &mut Vec<(u32, f32)>) {
        top.clear();
        if k == 0 {
            return;
        }
        for (i, s) in self.blended(*w, calibration) {
            if s <= 0.0 || (top.len() == k && s <= top[k - 1].1) {
                continue;
            }
            let at = top.partition_point(|e| e.1 >= s);
            top.insert(at, (i, s));
            top.truncate(k);
        }
    }

    /// `top_small` with the calibration factors of each candidate given.
    pub fn top_small_with(
        &self,
        w: &[f32; N],
        factors: &[f32],
        k: usize,
        top: &mut Vec<(u32, f32)>,
    ) {
        top.clear();
        if k == 0 {
            return;
        }
        for ((i, s), f) in self.blended(*w, 0.0).zip(factors) {
            let s = if s > 0.0 { s * f } else { s };
            if s <= 0.0 || (top.len() == k && s <= top[k - 1].1) {
                continue;
            }
            let at = top.partition_point(|e| e.1 >= s);
            top.insert(at, (i, s));
            top.truncate(k);
        }
    }
}

/// Weights tried for each model by the coordinate ascent.
const GRID: [f32; 12] = [
    0.0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.5, 4.0,
];

/// Popularity calibrations tried (the exponent of `1 + listeners` dividing blended scores).
const CALIBRATIONS: [f32; 10] = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7];

/// Personal calibrations tried (added to the calibration per unit of a user's nicheness).
const PERSONAL: [f32; 8] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8];

/// Coordinate ascent on the validation NDCG@k over the weights of `allowed` and, when
/// `calibrate`, the popularity calibration; starting from the best single model among them
/// (so the blend is never worse than it on validation). Coverage is bought afterwards, by
/// `tune_spread`: a coverage bar here (tried before) bent the whole blend towards the tail.
pub(crate) fn tune(
    cases: &mut [Case],
    allowed: &[Component],
    k: usize,
    n_items: usize,
    calibrate: bool,
    threads: usize,
) -> (Weights, Quality) {
    let singles: Vec<Weights> = allowed.iter().map(|&c| Weights::only(c)).collect();
    let (mut best, mut best_quality) = singles
        .iter()
        .copied()
        .zip(sweep::qualities(cases, &singles, k, n_items, threads))
        .max_by(|a, b| a.1.ndcg.total_cmp(&b.1.ndcg))
        .unwrap_or_default();
    let mut best_objective = best_quality.ndcg;
    // Rounds of the coordinate ascent: it rarely moves after the third.
    let rounds = 3;
    let coordinates = allowed.len() + 2 * usize::from(calibrate);
    // A coordinate's trials are built from the best weights: when nothing improved since it
    // was last searched (its own improvement aside: its other values were all tried then),
    // searching it again gives the same qualities and changes nothing, so it is skipped.
    let mut searched_at: Vec<Option<usize>> = vec![None; coordinates];
    let mut improved_at = 0;
    let mut step = 0;
    for _round in 0..rounds {
        let mut improved = false;
        for (coordinate, searched) in searched_at.iter_mut().enumerate() {
            step += 1;
            if searched.is_some_and(|at| improved_at <= at) {
                continue;
            }
            *searched = Some(step);
            let trials: Vec<Weights> = match allowed.get(coordinate) {
                Some(&c) => GRID
                    .iter()
                    .map(|&g| {
                        let mut w = best;
                        w.set(c, g);
                        w
                    })
                    .collect(),
                None if coordinate == allowed.len() => CALIBRATIONS
                    .iter()
                    .map(|&b| Weights {
                        calibration: b,
                        ..best
                    })
                    .collect(),
                None => PERSONAL
                    .iter()
                    .map(|&b| Weights {
                        personal_calibration: b,
                        ..best
                    })
                    .collect(),
            };
            refresh(cases, &best, threads);
            let trials: Vec<Weights> = trials
                .into_iter()
                .filter(|w| *w != best && allowed.iter().any(|&c| w.get(c) != 0.0))
                .collect();
            // Every trial of the coordinate in one pass over the cases (see `sweep.rs`), then
            // taken in order as before: each is compared with the best so far.
            let qualities = sweep::qualities(cases, &trials, k, n_items, threads);
            for (w, q) in trials.into_iter().zip(qualities) {
                // A clear gain only: ties keep the simpler, earlier weights.
                if q.ndcg > best_objective + 1e-5 {
                    (best, best_objective, best_quality, improved) = (w, q.ndcg, q, true);
                    improved_at = step;
                }
            }
        }
        if !improved {
            break;
        }
    }
    (best, best_quality)
}

/// Spread: slots of each top `k` tried for artists in no other list (0: the blend as it is).
const SPREAD_SLOTS: [u32; 7] = [0, 1, 2, 3, 4, 5, 6];

/// Spread floors tried: the least score, as a share of the user's `k`-th best, that an
/// artist needs to take a spread slot.
const SPREAD_FLOORS: [f32; 7] = [0.0, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6];

/// Catalogue coverage by a re-ranking over every user at once (aggregate diversity, as in
/// Adomavicius and Kwon's ranking-based techniques): each list keeps its blend's first
/// `k - slots` artists; its last `slots` places go to artists that no list holds yet, and each
/// such artist to the user whose list scores it highest relative to that list's `k`-th best
/// score (never below `floor` times it). A place nobody's candidate takes keeps the blend's
/// next artist. Lists are reordered in place: the new top `k` in the blend's order, then the
/// rest in the blend's order, so a longer page continues the same ranking.
///
/// Why global: a per-user popularity penalty moves every user towards the same few tail
/// artists and pays accuracy for each slot; here a slot is only spent on an artist that adds
/// to the catalogue covered, and the users who like it most get it. On validation this bought
/// coverage 0.072 -> 0.15 for 0.001 of NDCG@10, where the popularity calibration paid 0.012.
pub(crate) fn spread<T>(
    lists: &mut [Vec<T>],
    key: impl Fn(&T) -> (u32, f32),
    n_items: usize,
    k: usize,
    slots: usize,
    floor: f32,
) {
    let slots = slots.min(k);
    if slots == 0 || lists.is_empty() {
        return;
    }
    let pairs = spread_candidates(lists, &key, k, k - slots);
    assign_spread(lists, key, n_items, k, slots, floor, &pairs);
}

/// A candidate for a spread place: entry `p` of list `u`, with score `s` and its list's
/// `k`-th best score `kth`.
#[derive(Debug, Clone, Copy)]
struct SpreadCandidate {
    /// `s / kth`: the order in which places are given.
    ratio: f32,
    u: u32,
    p: u32,
    s: f32,
    kth: f32,
}

/// Every positive entry at position `from` or later of every list, best ratio first (ties to
/// the lower user, then the lower position: a total order, so any subset keeps it).
fn spread_candidates<T>(
    lists: &[Vec<T>],
    key: &impl Fn(&T) -> (u32, f32),
    k: usize,
    from: usize,
) -> Vec<SpreadCandidate> {
    let mut pairs = Vec::new();
    for (u, list) in lists.iter().enumerate() {
        let Some(last) = list.get(k.min(list.len()).saturating_sub(1)) else {
            continue;
        };
        let kth = key(last).1.max(f32::MIN_POSITIVE);
        for (p, e) in list.iter().enumerate().skip(from) {
            let s = key(e).1;
            if s > 0.0 {
                pairs.push(SpreadCandidate {
                    ratio: s / kth,
                    u: u as u32,
                    p: p as u32,
                    s,
                    kth,
                });
            }
        }
    }
    pairs.sort_unstable_by(|a, b| {
        b.ratio
            .total_cmp(&a.ratio)
            .then(a.u.cmp(&b.u))
            .then(a.p.cmp(&b.p))
    });
    pairs
}

/// The spread of `lists` with `slots` places per list, given every candidate from position
/// `k - slots` on (or earlier: those are skipped), sorted by `spread_candidates`.
// `spread`'s parameters again, deliberately: it is `spread_candidates` then this, and the
// tuning calls this alone, once per setting, over candidates sorted once.
fn assign_spread<T>(
    lists: &mut [Vec<T>],
    key: impl Fn(&T) -> (u32, f32),
    n_items: usize,
    k: usize,
    slots: usize,
    floor: f32,
    pairs: &[SpreadCandidate],
) {
    let head = k - slots;
    let mut covered = vec![false; n_items];
    for list in lists.iter() {
        for e in list.iter().take(head) {
            covered[key(e).0 as usize] = true;
        }
    }
    let mut chosen: Vec<Vec<u32>> = vec![Vec::new(); lists.len()];
    for c in pairs {
        if (c.p as usize) < head || c.s < floor * c.kth {
            continue;
        }
        let item = key(&lists[c.u as usize][c.p as usize]).0 as usize;
        if chosen[c.u as usize].len() < slots && !covered[item] {
            covered[item] = true;
            chosen[c.u as usize].push(c.p);
        }
    }
    for (list, chosen) in lists.iter_mut().zip(chosen) {
        promote(list, head, k, &chosen);
    }
}

/// Reorders `list`: its first `head` entries, the entries at `chosen` and then its next
/// entries up to `k` in all, in their order; then the others, in their order.
fn promote<T>(list: &mut Vec<T>, head: usize, k: usize, chosen: &[u32]) {
    let mut top = vec![false; list.len()];
    let mut n = 0;
    for (p, t) in top.iter_mut().enumerate() {
        if p < head || chosen.contains(&(p as u32)) {
            *t = true;
            n += 1;
        }
    }
    for t in top.iter_mut().skip(head) {
        if n >= k {
            break;
        }
        if !*t {
            *t = true;
            n += 1;
        }
    }
    let (mut first, mut rest) = (Vec::with_capacity(list.len()), Vec::new());
    for (e, t) in list.drain(..).zip(top) {
        if t { first.push(e) } else { rest.push(e) }
    }
    first.append(&mut rest);
    *list = first;
}

/// Mean NDCG@k and coverage of `lists` (one per case).
fn list_quality(cases: &[Case], lists: &[Vec<(u32, f32)>], k: usize, n_items: usize) -> Quality {
    let mut seen = vec![false; n_items];
    let mut total = 0f64;
    let mut ranked = Vec::with_capacity(k);
    for (case, list) in cases.iter().zip(lists) {
        ranked.clear();
        ranked.extend(list.iter().take(k).map(|e| e.0));
        for &i in &ranked {
            seen[i as usize] = true;
        }
        total += score_list(&ranked, &case.relevant, k).ndcg;
    }
    let covered = seen.iter().filter(|&&s| s).count();
    Quality {
        ndcg: total / cases.len().max(1) as f64,
        coverage: covered as f64 / n_items.max(1) as f64,
    }
}

/// Tunes the spread of blend `w` (its slots and floor) on the validation cases: the best
/// NDCG@k among settings whose coverage@k is at least `min_coverage` (penalised below it, as
/// in `Quality::objective`). Each case's list is the blend's first `depth`, as served.
pub(crate) fn tune_spread(
    cases: &[Case],
    w: &Weights,
    k: usize,
    depth: usize,
    n_items: usize,
    min_coverage: f64,
    threads: usize,
) -> (Weights, Quality) {
    let ranked: Vec<Vec<(u32, f32)>> = parallel::map_ranges(cases.len(), threads, |range| {
        cases[range].iter().map(|c| c.pool.rank(w, depth)).collect()
    });
    let plain = Weights {
        spread_slots: 0,
        spread_floor: 0.0,
        ..*w
    };
    let mut best = (plain, list_quality(cases, &ranked, k, n_items));
    let settings: Vec<(u32, f32)> = SPREAD_SLOTS
        .into_iter()
        .filter(|&s| s > 0)
        .flat_map(|s| SPREAD_FLOORS.map(|f| (s, f)))
        .collect();
    // Every setting's candidates are a subset of the widest setting's, in the same order:
    // sorted once, not once per setting (that sort was most of this search's time), and the
    // settings measured in parallel, then compared in order as before.
    let widest = settings
        .iter()
        .map(|s| s.0 as usize)
        .max()
        .unwrap_or(0)
        .min(k);
    let pairs = spread_candidates(&ranked, &|e: &(u32, f32)| *e, k, k - widest);
    let qualities = parallel::map_ranges(settings.len(), threads, |range| {
        settings[range]
            .iter()
            .map(|&(slots, floor)| {
                let mut lists = ranked.clone();
                let slots = (slots as usize).min(k);
                assign_spread(&mut lists, |e| *e, n_items, k, slots, floor, &pairs);
                list_quality(cases, &lists, k, n_items)
            })
            .collect()
    });
    for ((slots, floor), q) in settings.into_iter().zip(qualities) {
        // A clear gain only: ties keep fewer slots and the lower floor.
        if q.objective(min_coverage) > best.1.objective(min_coverage) + 1e-5 {
            let w = Weights {
                spread_slots: slots,
                spread_floor: floor,
                ..plain
            };
            best = (w, q);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(rows: &[(u32, [f32; N])]) -> Pool {
        Pool {
            items: rows.iter().map(|r| r.0).collect(),
            scores: rows.iter().map(|r| r.1).collect(),
            log_listeners: vec![0.0; rows.len()],
            niche: 0.0,
        }
    }

    #[test]
    fn the_blend_follows_the_weights() {
        let p = pool(&[
            (1, [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
            (2, [0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        ]);
        let mut w = Weights::only(Component::ItemKnn);
        assert_eq!(p.rank(&w, 5), vec![(1, 1.0)]);
        w.rp3beta = 2.0;
        assert_eq!(p.rank(&w, 5), vec![(2, 2.0), (1, 1.0)]);
        assert_eq!(p.contributions(2)[1], 1.0);
    }

    #[test]
    fn the_small_ranking_is_the_full_ranking() {
        let mut rng = crate::rng::SplitMix64::new(5);
        let p = Pool {
            items: (0..300).collect(),
            // Coarse values, so that there are ties.
            scores: (0..300)
                .map(|_| [0; N].map(|_| (rng.next_f32() * 4.0).floor() / 4.0))
                .collect(),
            log_listeners: vec![0.0; 300],
            niche: 0.0,
        };
        let w = Weights {
            item_knn: 1.0,
            ease: 0.5,
            tags: 0.25,
            ..Weights::default()
        };
        let mut top = Vec::new();
        for k in [1, 10, 50] {
            p.top_small(&as_array(&w), 0.0, k, &mut top);
            assert_eq!(top, p.rank(&w, k));
        }
    }

    fn items(list: &[(u32, f32)]) -> Vec<u32> {
        list.iter().map(|e| e.0).collect()
    }

    #[test]
    fn the_spread_gives_each_new_artist_to_the_user_who_scores_it_highest() {
        // Both users' blends rank 1, 2, 3 first; 3 is as close to the top for both, 4 is
        // closer for the second user, who gets it (3 went to the first user, first by id).
        let a = vec![(1, 1.0), (2, 0.9), (3, 0.8), (4, 0.7), (5, 0.5)];
        let b = vec![(1, 1.0), (2, 0.9), (3, 0.8), (4, 0.79), (6, 0.4)];
        let mut lists = vec![a.clone(), b.clone()];
        spread(&mut lists, |e| *e, 10, 3, 1, 0.0);
        assert_eq!(items(&lists[0]), vec![1, 2, 3, 4, 5]);
        assert_eq!(
            items(&lists[1]),
            vec![1, 2, 4, 3, 6],
            "4 moved up, the rest in order"
        );

        // Below the floor (0.79 < 1.0 x 0.8), the place keeps the blend's next artist.
        let mut lists = vec![a.clone(), b.clone()];
        spread(&mut lists, |e| *e, 10, 3, 1, 1.0);
        assert_eq!(items(&lists[1]), items(&b));

        // No slots: nothing moves.
        let mut lists = vec![a.clone(), b.clone()];
        spread(&mut lists, |e| *e, 10, 3, 0, 0.0);
        assert_eq!(lists, vec![a, b]);
    }

    #[test]
    fn the_spread_only_takes_artists_no_list_holds() {
        // Two slots of three. The second user scores 3 higher against their 3rd best than the
        // first does, so 3 goes to them, with 4; the first user's 2 is in the second user's
        // head, so with no floor the first user takes 6, however low.
        let a = vec![(1, 1.0), (2, 0.9), (3, 0.8), (6, 0.1)];
        let b = vec![(2, 1.0), (3, 0.9), (4, 0.85), (5, 0.5)];
        let mut lists = vec![a.clone(), b.clone()];
        spread(&mut lists, |e| *e, 10, 3, 2, 0.0);
        assert_eq!(items(&lists[0]), vec![1, 2, 6, 3]);
        assert_eq!(items(&lists[1]), vec![2, 3, 4, 5]);
        let mut firsts: Vec<u32> = lists.iter().flat_map(|l| items(&l[..3])).collect();
        firsts.sort_unstable();
        firsts.dedup();
        assert_eq!(firsts, vec![1, 2, 3, 4, 6], "the blends alone cover 1 to 4");

        // A floor of half the 3rd best keeps 6 out: the first user's list stays the blend's.
        let mut lists = vec![a.clone(), b];
        spread(&mut lists, |e| *e, 10, 3, 2, 0.5);
        assert_eq!(lists[0], a);
    }

    #[test]
    fn tuning_finds_the_model_that_knows_the_answers() {
        // Item-kNN always proposes the relevant artist second, social proposes it first.
        let mut cases: Vec<Case> = (0..20)
            .map(|u| {
                Case::new(
                    pool(&[
                        (u * 2, [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
                        (u * 2 + 1, [0.9, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]),
                    ]),
                    vec![u * 2 + 1],
                )
            })
            .collect();
        let (w, q) = tune(
            &mut cases,
            &[Component::ItemKnn, Component::Social],
            10,
            40,
            false,
            2,
        );
        assert!((q.ndcg - 1.0).abs() < 1e-9, "{w:?} {q:?}");
        assert!(w.social > 0.0);
    }
}
