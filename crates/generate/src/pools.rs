//! The two growing catalogues, artists and tags, as Pitman-Yor processes with community
//! memory. A user's next artist is, with some probability, one a random member of their
//! community already listens to (preferential attachment inside the community: the shared
//! pool that gives collaborative filtering its signal); otherwise a Pitman-Yor draw over the
//! whole catalogue: a new artist with probability (θ + d·A)/(θ + n), else an existing one in
//! proportion to its listeners minus d. Friend circles (parts of communities) remember the
//! same way, more tightly. The discount d sets both the long tail (the share of
//! single-listener artists tends to d) and the growth of the catalogue (about n^d).
//! Tags work the same way, per user's vocabulary.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::fenwick::Fenwick;

/// Allocates external ids in increasing order, skipping a share of them (the real files'
/// ids have gaps: items dropped from the published catalogue).
#[derive(Debug)]
pub(crate) struct Ids {
    next: u32,
    gap: f64,
    /// The ids skipped so far.
    pub skipped: Vec<u32>,
}

impl Ids {
    pub fn new(gap: f64) -> Self {
        Self {
            next: 0,
            gap,
            skipped: Vec::new(),
        }
    }

    pub fn next(&mut self, rng: &mut ChaCha8Rng) -> u32 {
        self.next += 1;
        while rng.random::<f64>() < self.gap {
            self.skipped.push(self.next);
            self.next += 1;
        }
        self.next
    }
}

/// A catalogue whose items are drawn by a Pitman-Yor process, with groups of users (circles,
/// communities) remembering what their members drew.
#[derive(Debug)]
pub(crate) struct Pool {
    discount: f64,
    concentration: f64,
    /// Draws per item (its weight in the process).
    weights: Fenwick,
    counts: Vec<u32>,
    /// External id of each item.
    pub ids: Vec<u32>,
    /// The items each group remembers, one entry per remembered draw, at most `capacity[g]`
    /// entries.
    memory: Vec<Vec<u32>>,
    capacity: Vec<u32>,
    /// Draws each group was offered to remember.
    seen: Vec<u64>,
}

/// The item a draw chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Draw {
    /// An item of the catalogue, by index, drawn by the Pitman-Yor process.
    Existing(u32),
    /// An item of the catalogue, by index, that a group remembered.
    Remembered(u32),
    /// An item that does not exist yet.
    New,
}

impl Pool {
    /// A pool whose groups remember at most `capacity[g]` draws each.
    pub fn new(discount: f64, concentration: f64, capacity: Vec<u32>) -> Self {
        Self {
            discount,
            concentration,
            weights: Fenwick::default(),
            counts: Vec::new(),
            ids: Vec::new(),
            memory: vec![Vec::new(); capacity.len()],
            seen: vec![0; capacity.len()],
            capacity,
        }
    }

    /// Draws an item: with the probability given for each group, one its members drew
    /// (in proportion to their draws); otherwise a Pitman-Yor draw over the catalogue.
    pub fn draw(&self, rng: &mut ChaCha8Rng, groups: &[(u32, f64)]) -> Draw {
        let r = rng.random::<f64>();
        let mut below = 0.0;
        for &(group, share) in groups {
            below += share;
            if r < below {
                if let Some(item) = self.remembered_by(rng, group) {
                    return Draw::Remembered(item);
                }
                break;
            }
        }
        self.draw_global(rng)
    }

    /// A Pitman-Yor draw over the whole catalogue.
    pub fn draw_global(&self, rng: &mut ChaCha8Rng) -> Draw {
        let n = self.weights.total() as f64;
        let items = self.counts.len() as f64;
        let (theta, d) = (self.concentration, self.discount);
        if self.weights.total() == 0 || rng.random::<f64>() * (theta + n) < theta + d * items {
            return Draw::New;
        }
        // In proportion to (count - d): in proportion to count, then accepted with
        // probability (count - d) / count (at least 1 - d, so a few tries at most).
        loop {
            let item = self.weights.find(rng.random_range(0..self.weights.total()));
            let count = f64::from(self.counts[item]);
            if rng.random::<f64>() * count < count - d {
                return Draw::Existing(item as u32);
            }
        }
    }

    /// A uniformly chosen item of the catalogue, if there is one.
    pub fn uniform(&self, rng: &mut ChaCha8Rng) -> Option<u32> {
        (!self.counts.is_empty()).then(|| rng.random_range(0..self.counts.len()) as u32)
    }

    /// An item the group remembers, in proportion to how often, if it remembers any.
    pub fn remembered_by(&self, rng: &mut ChaCha8Rng, group: u32) -> Option<u32> {
        let memory = &self.memory[group as usize];
        (!memory.is_empty()).then(|| memory[rng.random_range(0..memory.len())])
    }

    /// Adds an item with external id `id`; returns its index.
    pub fn create(&mut self, id: u32) -> u32 {
        self.weights.push(0);
        self.counts.push(0);
        self.ids.push(id);
        (self.counts.len() - 1) as u32
    }

    /// Counts a draw of `item` in the process.
    pub fn record(&mut self, item: u32) {
        self.weights.add(item as usize, 1);
        self.counts[item as usize] += 1;
    }

    /// Adds `item` to what `group` remembers. A full memory keeps a uniform sample of all
    /// it was offered (reservoir sampling): a stable canon, the group's taste at any scale.
    pub fn remember(&mut self, rng: &mut ChaCha8Rng, item: u32, group: u32) {
        let g = group as usize;
        self.seen[g] += 1;
        let memory = &mut self.memory[g];
        if memory.len() < self.capacity[g] as usize {
            memory.push(item);
        } else {
            let slot = rng.random_range(0..self.seen[g]);
            if let Some(entry) = memory.get_mut(slot as usize) {
                *entry = item;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn a_pitman_yor_catalogue_has_a_long_tail_of_single_draws() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut pool = Pool::new(0.6, 100.0, Vec::new());
        for _ in 0..200_000 {
            let item = match pool.draw(&mut rng, &[]) {
                Draw::Existing(item) | Draw::Remembered(item) => item,
                Draw::New => pool.create(pool.counts.len() as u32 + 1),
            };
            pool.record(item);
        }
        let singles = pool.counts.iter().filter(|&&c| c == 1).count();
        let share = singles as f64 / pool.counts.len() as f64;
        // The share of items drawn once tends to the discount.
        assert!((0.55..0.65).contains(&share), "{share}");
        // And the catalogue grows as draws^0.6: 200,000^0.6 = 1,509, times a constant > 1.
        assert!(
            (3_000..60_000).contains(&pool.counts.len()),
            "{}",
            pool.counts.len()
        );
    }

    #[test]
    fn ids_increase_with_the_skipped_ones_kept() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut ids = Ids::new(0.25);
        let given: Vec<u32> = (0..1_000).map(|_| ids.next(&mut rng)).collect();
        assert!(given.windows(2).all(|w| w[0] < w[1]));
        let last = *given.last().unwrap();
        assert_eq!(given.len() + ids.skipped.len(), last as usize);
        assert!(ids.skipped.iter().all(|s| given.binary_search(s).is_err()));
    }
}
