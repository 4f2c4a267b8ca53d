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

use soundstream_readmodel::ReadModel;

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
/// plays (the read model's `popular_in_tags`), never one they play. It answers before the
/// first model exists, and for a user the model does not know who has no listens it could
/// fold in.
fn popular_in_tags(model: &ReadModel, user: i64, k: usize) -> Vec<RecommendedArtist> {
    let artists = model.popular_in_tags(user, k).unwrap_or_default();
    let top = artists.first().map_or(1, |a| a.listeners.max(1)) as f64;
    artists
        .into_iter()
        .map(|artist| RecommendedArtist {
            artist_id: artist.id,
            score: artist.listeners as f64 / top,
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
    ))]
pub async fn recommend_for_user(
    State(state): State<AppState>,
    Path(p): Path<UserPath>,
    Query(q): Query<RecommendationQuery>,
) -> ApiResult<axum::Json<Recommendations>> {
    let strategy = q.strategy.unwrap_or_default();
    let k = q.limit.unwrap_or(10) as usize;
    // What the user listens to now: the model folds it in when it differs from what it was
    // trained on, and never recommends it.
    let listens = state
        .read(|m| m.user_listens(p.user_id))?
        .ok_or_else(|| ApiError::not_found(format!("user {}", p.user_id)))?;
    let Some(trained) = state.recommender.current() else {
        return Ok(axum::Json(Recommendations {
            user_id: p.user_id,
            strategy: Strategy::from(strategy).as_str().to_owned(),
            model_version: 0,
            model: "fallback-popular".into(),
            folded_in: false,
            discovery: None,
            items: state.read(|m| popular_in_tags(m, p.user_id, k))?,
        }));
    };
    let request = Request {
        strategy: strategy.into(),
        k,
        discovery: q.discovery.map(|d| d as f32),
        listens: Some(&listens),
    };
    let answered = trained.model.answer(p.user_id, &request);
    let (items, folded_in, model) = state.read(|m| match answered {
        Ok(answer) => {
            let items = answer
                .recommendations
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
                .collect();
            Ok((items, answer.folded_in, "hybrid"))
        }
        Err(RecommendError::UnknownUser(_)) => {
            Ok((popular_in_tags(m, p.user_id, k), false, "fallback-popular"))
        }
        Err(e) => Err(ApiError::Internal(e.to_string())),
    })??;
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
