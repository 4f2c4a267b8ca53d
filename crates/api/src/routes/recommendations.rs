//! Recommendations for a user: the served model's suggestions under a strategy, each with a
//! score and its reasons, never an artist the user already listens to.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use soundstream_core::views::recommendations::{
    RecommendationReason, Recommendations, RecommendedArtist,
};
use soundstream_recommend::{Reason, RecommendError, Strategy};
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
}

impl Validate for RecommendationQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(limit) = self.limit
            && !(1..=100).contains(&limit)
        {
            errors.push(FieldError::query("limit", "must be between 1 and 100"));
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

/// The most listened artists the user does not listen to: the answer for a user the model
/// has not seen yet (created since it was trained).
fn popular_for_newcomer(catalog: &Snapshot, user: i64, k: usize) -> Vec<RecommendedArtist> {
    let heard: Vec<usize> = catalog
        .user_artists
        .get(&user)
        .map(|l| l.iter().map(|&(a, _)| a).collect())
        .unwrap_or_default();
    let mut by_listeners: Vec<usize> = (0..catalog.artists.len())
        .filter(|a| !heard.contains(a))
        .collect();
    by_listeners.sort_by(|&a, &b| {
        let (x, y) = (&catalog.artists[a], &catalog.artists[b]);
        y.listeners.cmp(&x.listeners).then(x.id.cmp(&y.id))
    });
    let top = by_listeners
        .first()
        .map_or(1, |&a| catalog.artists[a].listeners.max(1)) as f64;
    by_listeners
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

/// Artists recommended to a user, with a score and the reasons for each.
#[utoipa::path(get, path = "/v1/users/{user_id}/recommendations", tag = "users",
    params(UserPath, RecommendationQuery),
    responses(
        (status = 200, description = "Recommended artists, best first", body = Recommendations),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
        (status = 503, description = "The first model is still training", body = ErrorBody),
    ))]
pub async fn recommend_for_user(
    State(state): State<AppState>,
    Path(p): Path<UserPath>,
    Query(q): Query<RecommendationQuery>,
) -> ApiResult<axum::Json<Recommendations>> {
    let strategy = q.strategy.unwrap_or_default();
    let k = q.limit.unwrap_or(10) as usize;
    let Some(trained) = state.recommender.current() else {
        return Err(ApiError::Status {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "unavailable",
            message: "the recommender is still training; retry in a few seconds".into(),
        });
    };
    require_user(&state, p.user_id).await?;
    let catalog = state.catalog.snapshot().await?;
    // The model may predate the latest writes: what the user listens to now is excluded too.
    // Ask for k; only when that filter removed some, ask again for enough more.
    let heard: Vec<usize> = catalog
        .user_artists
        .get(&p.user_id)
        .map(|l| l.iter().map(|&(a, _)| a).collect())
        .unwrap_or_default();
    let answer = |n: usize| -> Result<Vec<RecommendedArtist>, RecommendError> {
        Ok(trained
            .model
            .recommend(p.user_id, strategy.into(), n)?
            .into_iter()
            .filter_map(|r| {
                let a = catalog.artist_position(r.artist_id)?;
                if heard.contains(&a) {
                    return None;
                }
                let artist = &catalog.artists[a];
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
            .take(k)
            .collect())
    };
    let answered = match answer(k) {
        Ok(items) if items.len() < k => answer(k + heard.len()),
        other => other,
    };
    let items = match answered {
        Ok(items) => items,
        Err(RecommendError::UnknownUser(_)) => popular_for_newcomer(&catalog, p.user_id, k),
        Err(e) => return Err(ApiError::Internal(e.to_string())),
    };
    Ok(axum::Json(Recommendations {
        user_id: p.user_id,
        strategy: Strategy::from(strategy).as_str().to_owned(),
        model_version: trained.version,
        items,
    }))
}
