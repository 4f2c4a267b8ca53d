//! Giving freed memory back to the operating system after the server's few large, one-off
//! allocations: building the read model, loading or training a recommender. Allocators keep
//! freed pages for reuse, which is right for the steady stream of requests but left a
//! training's gigabytes resident for minutes at 100x. The binary picks the allocator, so it
//! says how to release ([`set_release`]); the libraries say when ([`release`]).

use std::sync::OnceLock;

static RELEASE: OnceLock<fn()> = OnceLock::new();

/// How this process gives freed memory back (set once, by the binary, at start).
pub fn set_release(release: fn()) {
    // A second call keeps the first: one allocator per process.
    let _ = RELEASE.set(release);
}

/// Gives freed memory back now, if the binary said how; otherwise does nothing.
pub fn release() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}
