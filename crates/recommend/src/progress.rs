//! Training progress, shared with whoever waits for the model: the phase training is in and
//! how far through it, as atomics a server can read from another thread at any time (its
//! `/health/ready` shows them) without slowing training down.

use std::sync::atomic::{AtomicU8, AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

/// What training is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Nothing started yet.
    Waiting,
    /// Reading the training data (the caller reports this one).
    Loading,
    /// Numbering users and artists, building the sparse matrices.
    Indexing,
    /// Fitting the models on the validation split.
    ValidationModels,
    /// Searching the blend weights on the validation split.
    Tuning,
    /// Fitting the models on all the data.
    Models,
    /// Ranking every user's list ahead of requests.
    Precomputing,
    /// Finished: the model is ready.
    Done,
}

impl Phase {
    const ALL: [Phase; 8] = [
        Phase::Waiting,
        Phase::Loading,
        Phase::Indexing,
        Phase::ValidationModels,
        Phase::Tuning,
        Phase::Models,
        Phase::Precomputing,
        Phase::Done,
    ];

    /// The phase's name, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Waiting => "waiting",
            Phase::Loading => "loading",
            Phase::Indexing => "indexing",
            Phase::ValidationModels => "validation_models",
            Phase::Tuning => "tuning",
            Phase::Models => "models",
            Phase::Precomputing => "precomputing",
            Phase::Done => "done",
        }
    }
}

/// Where a training run is: written by training, read by anyone (`Sync`; share it in an
/// `Arc`). Fractions are within the current phase.
#[derive(Debug)]
pub struct Progress {
    phase: AtomicU8,
    /// Fraction done of the phase, in millionths.
    done: AtomicU32,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            phase: AtomicU8::new(0),
            done: AtomicU32::new(0),
        }
    }
}

/// A reading of [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// The phase.
    pub phase: Phase,
    /// How far through it, 0 to 1.
    pub fraction: f64,
}

impl Progress {
    /// Enters a phase, at 0 %.
    pub fn enter(&self, phase: Phase) {
        let at = Phase::ALL.iter().position(|&p| p == phase).unwrap_or(0);
        self.done.store(0, Ordering::Relaxed);
        self.phase.store(at as u8, Ordering::Release);
    }

    /// Sets the fraction done of the current phase (clamped to 0..=1).
    pub fn set(&self, fraction: f64) {
        let millionths = (fraction.clamp(0.0, 1.0) * 1e6) as u32;
        self.done.store(millionths, Ordering::Relaxed);
    }

    /// The phase and fraction now.
    pub fn report(&self) -> ProgressReport {
        let phase = Phase::ALL[usize::from(self.phase.load(Ordering::Acquire)).min(7)];
        ProgressReport {
            phase,
            fraction: f64::from(self.done.load(Ordering::Relaxed)) / 1e6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_sees_the_phase_and_the_fraction() {
        let p = Progress::default();
        assert_eq!(p.report().phase, Phase::Waiting);
        p.enter(Phase::Tuning);
        p.set(0.25);
        assert_eq!(
            p.report(),
            ProgressReport {
                phase: Phase::Tuning,
                fraction: 0.25
            }
        );
        p.set(7.0);
        assert_eq!(p.report().fraction, 1.0);
        p.enter(Phase::Done);
        assert_eq!(p.report().fraction, 0.0);
        assert_eq!(p.report().phase.as_str(), "done");
    }
}
