//! A growable Fenwick (binary indexed) tree: draws an index in proportion to its weight in
//! O(log n), with weights that change and indices that are appended while drawing. It is how
//! the generator picks "an existing artist (or tag) in proportion to its popularity" without
//! keeping one entry per listen.

/// Non-negative integer weights over indices `0..len`, with prefix sums in O(log n).
#[derive(Debug, Default, Clone)]
pub(crate) struct Fenwick {
    /// `tree[i - 1]` holds the sum of the weights of indices `(i - lowbit(i), i]` (1-based).
    tree: Vec<u64>,
    total: u64,
}

fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

impl Fenwick {
    /// The sum of all weights.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The sum of the weights of indices `0..n`.
    fn prefix(&self, mut n: usize) -> u64 {
        let mut sum = 0;
        while n > 0 {
            sum += self.tree[n - 1];
            n -= lowbit(n);
        }
        sum
    }

    /// Appends an index with `weight`; returns it.
    pub fn push(&mut self, weight: u64) -> usize {
        let i = self.tree.len() + 1;
        let covered = self.prefix(i - 1) - self.prefix(i - lowbit(i));
        self.tree.push(weight + covered);
        self.total += weight;
        i - 1
    }

    /// Adds `delta` to the weight of `index`.
    pub fn add(&mut self, index: usize, delta: u64) {
        let mut i = index + 1;
        while i <= self.tree.len() {
            self.tree[i - 1] += delta;
            i += lowbit(i);
        }
        self.total += delta;
    }

    /// The index whose cumulative weight range holds `target` (`target < total`): an index
    /// drawn in proportion to its weight when `target` is uniform in `0..total`.
    pub fn find(&self, mut target: u64) -> usize {
        debug_assert!(target < self.total);
        let mut pos = 0;
        let mut step = if self.tree.is_empty() {
            0
        } else {
            1 << (usize::BITS - 1 - self.tree.len().leading_zeros())
        };
        while step > 0 {
            let next = pos + step;
            if next <= self.tree.len() && self.tree[next - 1] <= target {
                target -= self.tree[next - 1];
                pos = next;
            }
            step >>= 1;
        }
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_returns_the_index_whose_range_holds_the_target() {
        let weights = [3u64, 0, 5, 1, 0, 0, 7, 2, 4];
        let mut f = Fenwick::default();
        for &w in &weights {
            f.push(w);
        }
        f.add(1, 2);
        let mut expected = Vec::new();
        for (i, &w) in weights.iter().enumerate() {
            let w = if i == 1 { w + 2 } else { w };
            expected.extend(std::iter::repeat_n(i, w as usize));
        }
        assert_eq!(f.total(), expected.len() as u64);
        let found: Vec<usize> = (0..f.total()).map(|t| f.find(t)).collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn pushing_after_adding_keeps_every_prefix_sum() {
        let mut f = Fenwick::default();
        let mut weights = Vec::new();
        for i in 0..100u64 {
            f.push(i % 7);
            weights.push(i % 7);
            if i % 3 == 0 {
                let index = (i / 2) as usize;
                f.add(index, 5);
                weights[index] += 5;
            }
            for n in 0..=weights.len() {
                assert_eq!(f.prefix(n), weights[..n].iter().sum::<u64>(), "prefix {n}");
            }
        }
        assert_eq!(f.tree.len(), 100);
    }
}
