//! Recommendations for a user: the served model's suggestions under a strategy, each with a
//! score and its reasons, never an artist the user already listens to. A user whose listens
//! changed since training is folded in (their current listens are scored at once); before
//! the first model exists, a labelled fallback answers (popular within the user's tags).

use axum::extract::State;
use serde::Deserialize;
use soundstream_core::views::recommendations::{
    RecommendationReason, Recommendations, RecommendedArtist,
};
use soundstream_recommend::{Reason, RecommendError, Request, Strategy};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::catalog::Snapshot;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Path, Query, Validate};
use crate::routes::users::{UserPath, require_user};

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(recommend_for_user))
}

/// How to recommend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StrategyParam {
    /// The blend of every model, tuned offline: the best measured (default).
    #[default]
    Hybrid,
    /// What listeners with similar taste play.
    Collaborative,
    /// What the user's friends play.
    Social,
    /// Artists matching the user's tags and the tags of what they play.
    Tags,
    /// The most listened artists.
    Popular,
}

impl From<StrategyParam> for Strategy {
    fn from(s: StrategyParam) -> Self {
        match s {
            StrategyParam::Hybrid => Strategy::Hybrid,
            StrategyParam::Collaborative => Strategy::Collaborative,
            StrategyParam::Social => Strategy::Social,
            StrategyParam::Tags => Strategy::Tags,
            StrategyParam::Popular => Strategy::Popular,
        }
    }
}

/// How many recommendations, and how.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RecommendationQuery {
    /// How many artists, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The strategy (default `hybrid`).
    #[param(inline)]
    pub strategy: Option<StrategyParam>,
    /// Discovery, 0 to 1: how strongly scores are divided by the artists' popularity
    /// (`(1 + listeners)^discovery`). 0 is the most accurate list and the most familiar
    /// artists; higher values trade accuracy for the long tail. Default: the value tuned on
    /// validation for the served blend (about 0.05, plus more for users whose own taste is
    /// niche).
    #[param(minimum = 0, maximum = 1)]
    pub discovery: Option<f64>,
}

impl Validate for RecommendationQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(limit) = self.limit
            && !(1..=100).contains(&limit)
        {
            errors.push(FieldError::query("limit", "must be between 1 and 100"));
        }
        if let Some(d) = self.discovery
            && !(0.0..=1.0).contains(&d)
        {
            errors.push(FieldError::query("discovery", "must be between 0 and 1"));
        }
    }
}

fn reason(r: Reason) -> RecommendationReason {
    match r {
        Reason::SimilarArtists { artist_ids } => {
            RecommendationReason::SimilarArtists { artist_ids }
        }
        Reason::SimilarListeners => RecommendationReason::SimilarListeners,
        Reason::Friends { user_ids } => RecommendationReason::Friends { user_ids },
        Reason::Tags { tag_ids } => RecommendationReason::Tags { tag_ids },
        Reason::Popular { listeners } => RecommendationReason::Popular {
            listeners: i64::from(listeners),
        },
    }
}

/// The fallback: the most listened artists among those carrying the tags of what the user
/// plays (the most listened overall for a user who plays nothing), never one they play. It
/// answers before the first model exists, and for a user the model does not know who has no
/// listens it could fold in.
fn popular_in_tags(catalog: &Snapshot, user: i64, k: usize) -> Vec<RecommendedArtist> {
    let heard: Vec<usize> = catalog
        .user_artists
        .get(&user)
        .map(|l| l.iter().map(|&(a, _)| a).collect())
        .unwrap_or_default();
    // The user's tags: the tags of their artists, weighted by how often they were applied.
    let mut tags: rustc_hash::FxHashMap<usize, i64> = rustc_hash::FxHashMap::default();
    for &a in &heard {
        for &(t, n) in catalog.artist_tags[a].iter().take(TAGS_PER_ARTIST) {
            *tags.entry(t).or_default() += n;
        }
    }
    let mut tags: Vec<(usize, i64)> = tags.into_iter().collect();
    tags.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    tags.truncate(PROFILE_TAGS);
    let mut candidates: Vec<usize> = tags
        .iter()
        .flat_map(|&(t, _)| {
            catalog
                .tag_artists
                .get(&catalog.tags[t].id)
                .into_iter()
                .flatten()
                .take(ARTISTS_PER_TAG)
                .map(|&(a, _)| a)
        })
        .collect();
    if candidates.is_empty() {
        candidates = (0..catalog.artists.len()).collect();
    }
    candidates.sort_unstable();
    candidates.dedup();
    candidates.retain(|a| !heard.contains(a));
    candidates.sort_by(|&a, &b| {
        let (x, y) = (&catalog.artists[a], &catalog.artists[b]);
        y.listeners.cmp(&x.listeners).then(x.id.cmp(&y.id))
    });
    let top = candidates
        .first()
        .map_or(1, |&a| catalog.artists[a].listeners.max(1)) as f64;
    candidates
        .into_iter()
        .take(k)
        .map(|a| {
            let artist = &catalog.artists[a];
            RecommendedArtist {
                artist_id: artist.id,
                name: artist.name.clone(),
                url: artist.url.clone(),
                picture_url: artist.picture_url.clone(),
                score: artist.listeners as f64 / top,
                explanation: format!("popular: {} listeners", artist.listeners),
                reasons: vec![RecommendationReason::Popular {
                    listeners: artist.listeners,
                }],
            }
        })
        .collect()
}

/// Tags of each artist the fallback takes into the user's profile.
const TAGS_PER_ARTIST: usize = 5;
/// Tags of the fallback's profile.
const PROFILE_TAGS: usize = 10;
/// Most tagged artists of each profile tag the fallback considers.
const ARTISTS_PER_TAG: usize = 200;

/// Artists recommended to a user, with a score and the reasons for each.
#[utoipa::path(get, path = "/v1/users/{user_id}/recommendations", tag = "users",
    params(UserPath, RecommendationQuery),
    responses(
        (status = 200, description = "Recommended artists, best first", body = Recommendations),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn recommend_for_user(
    State(state): State<AppState>,
    Path(p): Path<UserPath>,
    Query(q): Query<RecommendationQuery>,
) -> ApiResult<axum::Json<Recommendations>> {
    let strategy = q.strategy.unwrap_or_default();
    let k = q.limit.unwrap_or(10) as usize;
    require_user(&state, p.user_id).await?;
    let catalog = state.catalog.snapshot().await?;
    let Some(trained) = state.recommender.current() else {
        return Ok(axum::Json(Recommendations {
            user_id: p.user_id,
            strategy: Strategy::from(strategy).as_str().to_owned(),
            model_version: 0,
            model: "fallback-popular".into(),
            folded_in: false,
            discovery: None,
            items: popular_in_tags(&catalog, p.user_id, k),
        }));
    };
    // What the user listens to now: the model folds it in when it differs from what it was
    // trained on, and never recommends it.
    let current: &[(usize, i64)] = catalog
        .user_artists
        .get(&p.user_id)
        .map_or(&[], Vec::as_slice);
    let listens: Vec<(i64, i64)> = current
        .iter()
        .map(|&(a, w)| (catalog.artists[a].id, w))
        .collect();
    let request = Request {
        strategy: strategy.into(),
        k,
        discovery: q.discovery.map(|d| d as f32),
        listens: Some(&listens),
    };
    let (items, folded_in, model) = match trained.model.answer(p.user_id, &request) {
        Ok(answer) => {
            let items = answer
                .recommendations
                .into_iter()
                .filter_map(|r| {
                    let artist = catalog.artist(r.artist_id)?;
                    Some(RecommendedArtist {
                        artist_id: artist.id,
                        name: artist.name.clone(),
                        url: artist.url.clone(),
                        picture_url: artist.picture_url.clone(),
                        score: r.score,
                        explanation: r.explanation,
                        reasons: r.because.into_iter().map(reason).collect(),
                    })
                })
                .collect();
            (items, answer.folded_in, "hybrid")
        }
        Err(RecommendError::UnknownUser(_)) => (
            popular_in_tags(&catalog, p.user_id, k),
            false,
            "fallback-popular",
        ),
        Err(e) => return Err(ApiError::Internal(e.to_string())),
    };
    Ok(axum::Json(Recommendations {
        user_id: p.user_id,
        strategy: Strategy::from(strategy).as_str().to_owned(),
        model_version: trained.version,
        model: model.into(),
        folded_in,
        discovery: q.discovery,
        items,
    }))
}
