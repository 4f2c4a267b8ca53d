//! Data parallelism with rayon: the training loops split their rows into contiguous ranges,
//! several per thread, and rayon's work stealing balances them (rows differ in cost). It
//! replaced one `std::thread::scope` range per thread; see the crate README for the
//! measurements.

use std::ops::Range;

use rayon::prelude::*;

/// The threads to use: `requested`, or the machine's parallelism when 0.
pub(crate) fn threads(requested: usize) -> usize {
    if requested > 0 {
        requested
    } else {
        std::thread::available_parallelism().map_or(1, usize::from)
    }
}

/// Splits `0..n` into at most `threads` contiguous ranges.
fn ranges(n: usize, threads: usize) -> Vec<Range<usize>> {
    let parts = threads.clamp(1, n.max(1));
    (0..parts)
        .map(|p| (n * p / parts)..(n * (p + 1) / parts))
        .collect()
}

/// Ranges per thread: rows differ in cost (a user with 50 artists against one with 2, a
/// popular artist against a rare one), and rayon's work stealing evens that out only when
/// there are more pieces than threads.
const PIECES_PER_THREAD: usize = 8;

/// Runs `work` on disjoint ranges of `0..n` in parallel (on the current rayon pool) and
/// concatenates the results in order.
pub(crate) fn map_ranges<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    let parts = ranges(n, threads * PIECES_PER_THREAD);
    if threads <= 1 || parts.len() == 1 {
        return work(0..n);
    }
    parts
        .into_par_iter()
        .map(&work)
        .collect::<Vec<Vec<T>>>()
        .into_iter()
        .flatten()
        .collect()
}

/// Runs `work(first_row, rows)` in parallel over disjoint blocks of the rows of a row-major
/// matrix with `width` columns, each task writing its own rows.
pub(crate) fn for_row_blocks<T: Send>(
    data: &mut [T],
    width: usize,
    threads: usize,
    work: impl Fn(usize, &mut [T]) + Sync,
) {
    let rows = data.len() / width.max(1);
    if threads <= 1 || rows <= 1 {
        work(0, data);
        return;
    }
    let per_piece = rows.div_ceil(threads * PIECES_PER_THREAD).max(1);
    data.par_chunks_mut(per_piece * width)
        .enumerate()
        .for_each(|(p, rows)| work(p * per_piece, rows));
}

/// Runs `f` on a rayon pool of `threads` threads (training and evaluation honour
/// `Config::threads` this way; 0 is every core).
pub(crate) fn with_threads<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(self::threads(threads))
        .build()
    {
        Ok(pool) => pool.install(f),
        // No pool (threads cannot be spawned): the global one.
        Err(_) => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_cover_everything_once_and_in_order() {
        let got = map_ranges(10, 3, |r| r.collect::<Vec<_>>());
        assert_eq!(got, (0..10).collect::<Vec<_>>());
        let mut rows = vec![0usize; 12];
        for_row_blocks(&mut rows, 2, 4, |first, mine| {
            for (k, x) in mine.iter_mut().enumerate() {
                *x = first * 2 + k;
            }
        });
        assert_eq!(rows, (0..12).collect::<Vec<_>>());
    }
}
