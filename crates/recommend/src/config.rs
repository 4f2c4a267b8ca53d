//! The knobs of every model and of the hybrid, with the defaults the evaluation was tuned with
//! (on a validation split carved out of the training data, never on the test split).

use serde::{Deserialize, Serialize};

use crate::models::Component;

/// How to train a [`crate::Recommender`]. `Config::default()` is the tuned configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Seed of the validation split and of the initial iALS factors.
    pub seed: u64,
    /// Worker threads for training; 0 uses every core.
    pub threads: usize,
    /// How many candidates each strategy contributes to a blend (its best, normalised).
    pub candidates: usize,
    /// Share of each user's listens held out to tune the blend weights (users with at least
    /// 5 listens).
    pub validation_fraction: f64,
    /// The hybrid's spread (places of each top 10 given to artists no other list holds) is
    /// tuned for the best validation NDCG@10 among settings whose validation catalogue
    /// coverage@10 is at least this (0: the best NDCG whatever the coverage).
    pub min_coverage: f64,
    /// Length of each user's served list, ranked at training time (fewer when the users are
    /// so many that the lists would pass 10 million entries); longer lists are ranked when
    /// asked for.
    pub precomputed: usize,
    /// The most validation users the blend search ranks for (an even sample past that).
    pub max_validation_users: usize,
    /// Item-kNN with cosine similarity.
    pub item_knn: ItemKnnConfig,
    /// RP3beta random walks.
    pub rp3beta: Rp3betaConfig,
    /// Implicit alternating least squares.
    pub ials: IalsConfig,
    /// EASE^R, in its dual (user-space) form.
    pub ease: EaseConfig,
    /// What friends listen to.
    pub social: SocialConfig,
    /// Tag profiles.
    pub tags: TagsConfig,
    /// Weights of the hybrid; `None` tunes them on a validation split during training.
    pub hybrid: Option<Weights>,
    /// Weights of the collaborative blend (collaborative models only); `None` tunes them.
    pub collaborative: Option<Weights>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: 42,
            threads: 0,
            candidates: 100,
            validation_fraction: 0.2,
            min_coverage: 0.15,
            precomputed: 100,
            max_validation_users: 10_000,
            item_knn: ItemKnnConfig::default(),
            rp3beta: Rp3betaConfig::default(),
            ials: IalsConfig::default(),
            ease: EaseConfig::default(),
            social: SocialConfig::default(),
            tags: TagsConfig::default(),
            hybrid: None,
            collaborative: None,
        }
    }
}

/// Item-kNN: cosine similarity of the artists' damped listener vectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemKnnConfig {
    /// Build its neighbour lists and blend it. Off by default: on validation it adds nothing
    /// measurable to iALS + EASE^R (see the crate README). Its similarity still explains
    /// recommendations ("because you listen to ...") when off.
    pub enabled: bool,
    /// Neighbours kept per artist.
    pub neighbours: usize,
    /// Added to the cosine's denominator: similarities resting on few shared listeners shrink.
    pub shrink: f32,
}

impl Default for ItemKnnConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            neighbours: 400,
            shrink: 200.0,
        }
    }
}

/// RP3beta (Paudel et al. 2017): three-step random walk user -> artist -> user -> artist,
/// divided by the target's popularity to the power beta.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rp3betaConfig {
    /// Train it and blend it. Off by default: on validation it adds nothing measurable to
    /// iALS + EASE^R (see the crate README).
    pub enabled: bool,
    /// Neighbours kept per artist.
    pub neighbours: usize,
    /// Exponent on the transition probabilities.
    pub alpha: f32,
    /// Popularity penalty exponent.
    pub beta: f32,
}

impl Default for Rp3betaConfig {
    fn default() -> Self {
        Self {
            enabled: false,
            neighbours: 300,
            alpha: 0.7,
            beta: 0.35,
        }
    }
}

/// Implicit ALS (Hu, Koren and Volinsky 2008), solved by conjugate gradient (Takacs et al.).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IalsConfig {
    /// Train it (and blend it) at all.
    pub enabled: bool,
    /// Latent factors.
    pub factors: usize,
    /// Alternating sweeps over users and artists.
    pub iterations: usize,
    /// Confidence of a listen: `1 + alpha * ln(1 + plays)`.
    pub alpha: f32,
    /// L2 regularisation.
    pub regularization: f32,
    /// Conjugate-gradient steps per row and sweep (warm-started from the previous sweep).
    pub cg_steps: usize,
    /// Sweeps of the served model when it starts from the factors of the validation model
    /// (trained during tuning on most of the same listens) instead of from noise; 0 (the
    /// default) starts it from noise, with `iterations` sweeps. Off by default: with 4
    /// warm sweeps the evaluation's served NDCG@10 fell from 0.2538 to 0.2522, below all
    /// five cold fits from different seeds (0.2532 to 0.2553; see the crate README).
    pub warm_iterations: usize,
}

impl Default for IalsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            factors: 48,
            iterations: 10,
            alpha: 2.0,
            regularization: 30.0,
            cg_steps: 3,
            warm_iterations: 0,
        }
    }
}

/// EASE^R (Steck 2019) over the whole catalogue, through the dual form: with fewer users than
/// artists, the inverse needed is user x user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EaseConfig {
    /// Train it (and blend it) at all.
    pub enabled: bool,
    /// L2 regularisation (lambda).
    pub lambda: f32,
    /// Extra regularisation of each artist in proportion to its squared listens
    /// (`lambda_i = lambda + item_regularization * sum_u x_ui^2`, as in Steck's EDLAE): the
    /// head of the catalogue is shrunk more than the tail.
    pub item_regularization: f32,
    /// Up to this many users, the exact dual form over every artist (a users x users
    /// inverse: O(users^2) memory, O(users^3) time); beyond, the primal form over the
    /// `max_items` most listened artists (O(max_items^2) memory, O(max_items^3) time).
    pub max_dual_users: usize,
    /// Artists of the primal form.
    pub max_items: usize,
}

impl Default for EaseConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            lambda: 1000.0,
            item_regularization: 10.0,
            max_dual_users: 5_000,
            max_items: 3_000,
        }
    }
}

/// The social model: artists the user's friends play, each friend weighted by tie strength.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SocialConfig {
    /// Weight of a friend with nothing in common; the cosine similarity of the two users'
    /// listens is added to it.
    pub tie_floor: f32,
}

impl Default for SocialConfig {
    fn default() -> Self {
        Self { tie_floor: 0.1 }
    }
}

/// The tag model: a user's tag profile (the tags they applied, and the tags of the artists
/// they play) against the artists' tf-idf tag profiles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TagsConfig {
    /// Share of the profile from the tags the user applied (the rest: tags of their artists).
    pub own_tags: f32,
    /// Tags kept in a user's profile.
    pub profile_tags: usize,
    /// Scores are multiplied by `(1 + listeners) ^ popularity`: tags alone cannot tell a
    /// band nobody plays from the genre's landmark.
    pub popularity: f32,
    /// Past this many artists, each tag scores only its `max_tag_artists` best artists (by
    /// tag weight times popularity prior): at 100x a broad tag holds tens of thousands of
    /// artists, and scoring a user's 200 tags in full was most of the validation ranking.
    pub cap_past_artists: usize,
    /// Artists each tag scores once capped.
    pub max_tag_artists: usize,
}

impl Default for TagsConfig {
    fn default() -> Self {
        Self {
            own_tags: 0.15,
            profile_tags: 200,
            popularity: 0.25,
            cap_past_artists: 100_000,
            max_tag_artists: 2_000,
        }
    }
}

/// Blend weights, one per strategy; scores are normalised per user and strategy first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Weights {
    /// Item-kNN.
    pub item_knn: f32,
    /// RP3beta.
    pub rp3beta: f32,
    /// iALS.
    pub ials: f32,
    /// EASE^R.
    pub ease: f32,
    /// Social.
    pub social: f32,
    /// Tags.
    pub tags: f32,
    /// Popular.
    pub popular: f32,
    /// Popularity calibration: blended scores are multiplied by `(1 + listeners)^-calibration`
    /// (0 leaves them as they are; larger values favour the long tail).
    pub calibration: f32,
    /// Personal popularity calibration: added to `calibration` per unit of how much more
    /// niche a user's artists are than the average user's (mean `ln(1 + listeners)`), so that
    /// a user of the long tail gets more of it and a mainstream user less.
    pub personal_calibration: f32,
    /// Spread (the hybrid's served lists only): of every user's top 10, up to this many of
    /// the last places go to artists in no other user's top 10, each to the user who scores
    /// it highest relative to their 10th best (see `hybrid::spread`). 0: none.
    pub spread_slots: u32,
    /// The least score, as a share of the user's 10th best, that an artist needs to take a
    /// spread place.
    pub spread_floor: f32,
}

impl Weights {
    /// The weight of one component.
    pub(crate) fn get(&self, c: Component) -> f32 {
        match c {
            Component::ItemKnn => self.item_knn,
            Component::Rp3beta => self.rp3beta,
            Component::Ials => self.ials,
            Component::Ease => self.ease,
            Component::Social => self.social,
            Component::Tags => self.tags,
            Component::Popular => self.popular,
        }
    }

    pub(crate) fn set(&mut self, c: Component, w: f32) {
        *match c {
            Component::ItemKnn => &mut self.item_knn,
            Component::Rp3beta => &mut self.rp3beta,
            Component::Ials => &mut self.ials,
            Component::Ease => &mut self.ease,
            Component::Social => &mut self.social,
            Component::Tags => &mut self.tags,
            Component::Popular => &mut self.popular,
        } = w;
    }

    /// Weight 1 on one component, 0 elsewhere.
    pub(crate) fn only(c: Component) -> Self {
        let mut w = Self::default();
        w.set(c, 1.0);
        w
    }
}
