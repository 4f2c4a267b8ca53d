//! Data parallelism over a few cores with `std::thread::scope`: the training loops split their
//! rows into one contiguous range per thread. No pool and no dependency: a training run spawns
//! a few dozen short-lived threads, which costs microseconds against seconds of work. rayon
//! (several ranges per thread, work stealing) was measured in its place and did not win on
//! this 2-core machine (see the crate README), so it is not used.

use std::ops::Range;

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

/// Runs `work` on disjoint ranges of `0..n` in parallel and concatenates the results in order.
pub(crate) fn map_ranges<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(Range<usize>) -> Vec<T> + Sync,
) -> Vec<T> {
    let parts = ranges(n, threads);
    if parts.len() == 1 {
        return work(0..n);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|range| {
                let work = &work;
                s.spawn(move || work(range))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread panicked"))
            .collect()
    })
}

/// Runs `work(first_row, rows)` in parallel over disjoint blocks of the rows of a row-major
/// matrix with `width` columns, each thread writing its own rows.
pub(crate) fn for_row_blocks<T: Send>(
    data: &mut [T],
    width: usize,
    threads: usize,
    work: impl Fn(usize, &mut [T]) + Sync,
) {
    let rows = data.len() / width.max(1);
    let parts = ranges(rows, threads);
    if parts.len() == 1 {
        work(0, data);
        return;
    }
    std::thread::scope(|s| {
        let mut rest = data;
        for range in parts {
            let (mine, tail) = rest.split_at_mut(range.len() * width);
            rest = tail;
            let work = &work;
            s.spawn(move || work(range.start, mine));
        }
    });
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
