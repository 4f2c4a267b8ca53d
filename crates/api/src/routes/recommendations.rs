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

use soundstream_readmodel::{ArtistSort, ReadModel};

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Path, Query, Validate};
use crate::routes::users::UserPath;

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
fn popular_for_newcomer(model: &ReadModel, heard: &[i64], k: usize) -> Vec<RecommendedArtist> {
    let top = model.top_artists(ArtistSort::Listeners, k + heard.len());
    let best = top.first().map_or(1, |a| a.listeners.max(1)) as f64;
    top.into_iter()
        .filter(|a| !heard.contains(&a.id))
        .take(k)
        .map(|artist| RecommendedArtist {
            artist_id: artist.id,
            score: artist.listeners as f64 / best,
            explanation: format!("popular: {} listeners", artist.listeners),
            reasons: vec![RecommendationReason::Popular {
                listeners: artist.listeners,
            }],
            name: artist.name,
            url: artist.url,
            picture_url: artist.picture_url,
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
    // The model may predate the latest writes: what the user listens to now is excluded too.
    // Ask for k; only when that filter removed some, ask again for enough more.
    let heard: Vec<i64> = state
        .read(|m| m.user_listens(p.user_id))?
        .ok_or_else(|| ApiError::not_found(format!("user {}", p.user_id)))?
        .into_iter()
        .map(|(artist, _)| artist)
        .collect();
    let answer = |n: usize| -> Result<Vec<soundstream_recommend::Recommendation>, RecommendError> {
        Ok(trained
            .model
            .recommend(p.user_id, strategy.into(), n)?
            .into_iter()
            .filter(|r| !heard.contains(&r.artist_id))
            .collect())
    };
    let answered = match answer(k) {
        Ok(items) if items.len() < k => answer(k + heard.len()),
        other => other,
    };
    let items = state.read(|m| match answered {
        Ok(found) => Ok(found
            .into_iter()
            .filter_map(|r| {
                let artist = m.artist_summary(r.artist_id)?;
                Some(RecommendedArtist {
                    artist_id: artist.id,
                    name: artist.name,
                    url: artist.url,
                    picture_url: artist.picture_url,
                    score: r.score,
                    explanation: r.explanation,
                    reasons: r.because.into_iter().map(reason).collect(),
                })
            })
            .take(k)
            .collect()),
        Err(RecommendError::UnknownUser(_)) => Ok(popular_for_newcomer(m, &heard, k)),
        Err(e) => Err(ApiError::Internal(e.to_string())),
    })??;
    Ok(axum::Json(Recommendations {
        user_id: p.user_id,
        strategy: Strategy::from(strategy).as_str().to_owned(),
        model_version: trained.version,
        items,
    }))
}
