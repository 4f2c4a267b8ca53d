//! Recommendations for a user: the served model's suggestions under a strategy, each with a
//! score and its reasons, never an artist the user listens to or tagged. A user whose listens
//! changed since training is folded in (their current listens are scored at once); before
//! the first model exists, a labelled fallback answers (popular within the user's tags).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use soundstream_recommend::{Reason, RecommendError, Request, Strategy};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use soundstream_readmodel::ReadModel;
use soundstream_store::TagAssignmentFilter;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Path, Query, Validate, query_params};
use crate::routes::users::UserPath;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(recommend_for_user))
}

/// One recommended artist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RecommendedArtist {
    /// Artist id.
    pub artist_id: i64,
    /// Artist name.
    pub name: String,
    /// Last.fm page of the artist, when known.
    pub url: Option<String>,
    /// Picture of the artist, when known.
    pub picture_url: Option<String>,
    /// Score under the strategy: higher is better, comparable within one list only.
    pub score: f64,
    /// Why, in words: "because you listen to Placebo and Muse; 4 of your friends play this".
    pub explanation: String,
    /// Why, as data, the strongest reason first.
    pub reasons: Vec<Reason>,
}

/// Artists recommended to a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Recommendations {
    /// The user.
    pub user_id: i64,
    /// The strategy used: `hybrid`, `collaborative`, `social`, `tags` or `popular`.
    pub strategy: Strategy,
    /// Version of the model that answered (it increases with each retraining; 0 for the
    /// fallback).
    pub model_version: u64,
    /// Which model answered: `hybrid` (the trained recommender, under `strategy`) or
    /// `fallback-popular` (popular artists within the tags of what the user plays, while no
    /// model is trained yet).
    pub model: String,
    /// The user's listens changed since the model was trained, and were folded in: the list
    /// already reflects them.
    pub folded_in: bool,
    /// The discovery used, 0 to 1 (the exponent of the popularity calibration), when the
    /// request set one.
    pub discovery: Option<f64>,
    /// The recommended artists, best first; never one the user already listens to or has
    /// tagged.
    pub items: Vec<RecommendedArtist>,
}

query_params! {
    /// How many recommendations, and how.
    pub struct RecommendationQuery {
        /// How many artists, 1 to 100 (default 10).
        #[param(minimum = 1, maximum = 100)]
        pub limit: Option<i64>,
        /// The strategy (default `hybrid`).
        #[param(inline)]
        pub strategy: Option<Strategy>,
        /// Discovery, 0 to 1: how strongly scores are divided by the artists' popularity
        /// (`(1 + listeners)^discovery`). 0 is the most accurate list and the most familiar
        /// artists; higher values trade accuracy for the long tail. Default: the value tuned on
        /// validation for the served blend (about 0.05, plus more for users whose own taste is
        /// niche).
        #[param(minimum = 0, maximum = 1)]
        pub discovery: Option<f64>,
    }
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

/// How many of a user's tag assignments the fallback reads to leave out the artists they
/// tagged: a bound on one request's work (the most prolific tagger at 1x made 2,609).
const FALLBACK_ASSIGNMENTS: i64 = 10_000;

/// The artists `user` tagged (from their first `FALLBACK_ASSIGNMENTS` assignments), sorted:
/// the fallback leaves them out, as the trained model does.
async fn tagged_artists(state: &AppState, user: i64) -> ApiResult<Vec<i64>> {
    let filter = TagAssignmentFilter {
        user_id: Some(user),
        ..TagAssignmentFilter::default()
    };
    let rows = state
        .store
        .tag_assignments(&filter, None, 0, FALLBACK_ASSIGNMENTS)
        .await?;
    let mut artists: Vec<i64> = rows.iter().map(|r| r.artist_id).collect();
    artists.sort_unstable();
    artists.dedup();
    Ok(artists)
}

/// The fallback: the most listened artists among those carrying the tags of what the user
/// plays (the read model's `popular_in_tags`), never one they play or tagged (`known`). It
/// answers before the first model exists, and for a user the model does not know who has no
/// listens it could fold in.
fn popular_in_tags(
    model: &ReadModel,
    user: i64,
    k: usize,
    known: &[i64],
) -> Vec<RecommendedArtist> {
    let artists = model.popular_in_tags(user, k, known).unwrap_or_default();
    let top = artists.first().map_or(1, |a| a.listeners.max(1)) as f64;
    artists
        .into_iter()
        .map(|artist| RecommendedArtist {
            artist_id: artist.id,
            score: artist.listeners as f64 / top,
            explanation: format!("popular: {} listeners", artist.listeners),
            reasons: vec![Reason::Popular {
                listeners: u32::try_from(artist.listeners).unwrap_or(u32::MAX),
            }],
            name: artist.name,
            url: artist.url,
            picture_url: artist.picture_url,
        })
        .collect()
}

/// Artists recommended to a user, with a score and the reasons for each.
///
/// Never an artist the user plays, nor one they have tagged: they know it. A tag applied
/// since the model was trained counts from its retraining, seconds after writes stop.
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
        let known = tagged_artists(&state, p.user_id).await?;
        return Ok(axum::Json(Recommendations {
            user_id: p.user_id,
            strategy,
            model_version: 0,
            model: "fallback-popular".into(),
            folded_in: false,
            discovery: None,
            items: state.read(|m| popular_in_tags(m, p.user_id, k, &known))?,
        }));
    };
    let request = Request {
        strategy,
        k,
        discovery: q.discovery.map(|d| d as f32),
        listens: Some(&listens),
    };
    let answered = trained.model.answer(p.user_id, &request);
    let known = match answered {
        Err(RecommendError::UnknownUser(_)) => tagged_artists(&state, p.user_id).await?,
        _ => Vec::new(),
    };
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
                        reasons: r.because,
                    })
                })
                .collect();
            Ok((items, answer.folded_in, "hybrid"))
        }
        Err(RecommendError::UnknownUser(_)) => Ok((
            popular_in_tags(m, p.user_id, k, &known),
            false,
            "fallback-popular",
        )),
        Err(e) => Err(ApiError::Internal(e.to_string())),
    })??;
    Ok(axum::Json(Recommendations {
        user_id: p.user_id,
        strategy,
        model_version: trained.version,
        model: model.into(),
        folded_in,
        discovery: q.discovery,
        items,
    }))
}
