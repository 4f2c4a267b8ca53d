//! The analytics endpoints: aggregates over the whole dataset, shaped for plotting (the long
//! tail and Lorenz curve of listening, tag trends, the social graph, tag clouds).
//!
//! Counts, rankings and sums come from the read model's counters at once; results that read
//! the whole model (distribution, social graph, tag clouds) are computed once per write and
//! cached (`AppState::cached`), with the freshness the request needs passed explicitly.
//! The computations are the pure functions of `soundstream_core::analytics` (over
//! `soundstream_core::stats`): a handler parses, reads the inputs off the model, calls one
//! and wraps its answer.
//!
//! One file though over 500 lines: eight endpoints, each with its query type, its checks and
//! its OpenAPI description, which are the contract and belong beside the handler; no
//! algorithm is left here.

use std::ops::RangeInclusive;
use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use soundstream_core::analytics::{self, TagCount, TagSeries};
use soundstream_core::views::Items;
use soundstream_core::views::analytics::{
    DatasetSummary, ListeningDistribution, SocialGraph, TagCloudEntry, TagTrendPoint, TagUsage,
    UserActivity,
};
use soundstream_core::views::artists::ArtistSummary;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use soundstream_readmodel::{ArtistSort, CloudScope, ReadModel, TagMonths, UserSort};

use crate::AppState;
use crate::consistency::Freshness;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{
    NoParams, Query, TopQuery, Validate, check_id, check_range, check_text, query_params,
    split_list,
};

/// The most tags one request may name.
const MAX_TAGS: usize = 20;
/// The years accepted by `from_year` and `to_year` (periods are written with four digits).
const YEARS: RangeInclusive<i64> = 1000..=9999;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_summary))
        .routes(routes!(list_top_artists))
        .routes(routes!(list_top_tags))
        .routes(routes!(list_active_users))
        .routes(routes!(get_listening_distribution))
        .routes(routes!(list_tag_trends))
        .routes(routes!(get_social_graph))
        .routes(routes!(get_tag_cloud))
}

/// A copy of a cached result to serialize.
fn json<T: Clone>(value: Arc<T>) -> axum::Json<T> {
    axum::Json(Arc::unwrap_or_clone(value))
}

/// A 422 on `field` when it is given outside `range`.
fn check_between(
    field: &str,
    value: Option<i64>,
    range: RangeInclusive<i64>,
    errors: &mut Vec<FieldError>,
) {
    if let Some(value) = value
        && !range.contains(&value)
    {
        errors.push(FieldError::query(
            field,
            format!("must be between {} and {}", range.start(), range.end()),
        ));
    }
}

fn check_tags(field: &str, tags: &[String], errors: &mut Vec<FieldError>) {
    let tags = split_list(tags);
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::query(
            field,
            format!("names more than {MAX_TAGS} tags"),
        ));
    }
    for tag in &tags {
        check_text("query", field, tag, errors);
    }
}

/// Tags named by value (case-insensitively) or by id, in the order given and without
/// repeats, or one 422 naming every unknown tag. A text is looked up as a value first: some
/// tags are numbers ("2008", "1982"), and their text wins over the tag with that id.
fn resolve_tags(model: &ReadModel, field: &str, values: &[String]) -> ApiResult<Vec<i64>> {
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for value in split_list(values) {
        let by_value = model.tag_id_by_value(&value);
        let by_id = || value.parse::<i64>().ok().filter(|&id| model.has_tag(id));
        match by_value.or_else(by_id) {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => errors.push(FieldError::query(
                field,
                format!("there is no tag '{value}' (by value or id)"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn tag_value(model: &ReadModel, id: i64) -> String {
    model.tag_value(id).unwrap_or_default()
}

/// A top-N list read off the model: `list` given the size asked (default 10), as items.
fn top<T>(
    state: &AppState,
    limit: Option<i64>,
    list: impl FnOnce(&ReadModel, usize) -> Vec<T>,
) -> ApiResult<axum::Json<Items<T>>> {
    let limit = limit.unwrap_or(10) as usize;
    let items = state.read(|m| list(m, limit))?;
    Ok(axum::Json(Items { items }))
}

/// Global counts (artists, users, tags, listens, tag assignments, friendships), total plays,
/// averages, and the date span of tag assignments.
#[utoipa::path(get, path = "/v1/analytics/summary", tag = "analytics",
    responses(
        (status = 200, description = "The dataset's summary", body = DatasetSummary),
        (status = 422, description = "Unknown parameters", body = ErrorBody),
    ))]
pub async fn get_summary(
    State(state): State<AppState>,
    Query(_): Query<NoParams>,
) -> ApiResult<axum::Json<DatasetSummary>> {
    Ok(axum::Json(state.read(ReadModel::summary)?))
}

/// What to rank artists by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ArtistRanking {
    /// Total plays (the default).
    Plays,
    /// Number of listeners.
    Listeners,
}

impl From<ArtistRanking> for ArtistSort {
    fn from(by: ArtistRanking) -> Self {
        match by {
            ArtistRanking::Plays => Self::Plays,
            ArtistRanking::Listeners => Self::Listeners,
        }
    }
}

query_params! {
    /// Ranking and size of a top-N list of artists.
    pub struct TopArtistsQuery {
        /// Rank by `plays` (default) or `listeners`.
        #[param(inline)]
        pub by: Option<ArtistRanking>,
        /// How many, 1 to 100 (default 10).
        #[param(minimum = 1, maximum = 100)]
        pub limit: Option<i64>,
    }
}

impl Validate for TopArtistsQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_between("limit", self.limit, 1..=100, errors);
    }
}

/// The most played artists, or those with the most listeners (ties by id).
#[utoipa::path(get, path = "/v1/analytics/top-artists", tag = "analytics",
    params(TopArtistsQuery),
    responses(
        (status = 200, description = "The top artists, first first", body = Items<ArtistSummary>),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_top_artists(
    State(state): State<AppState>,
    Query(q): Query<TopArtistsQuery>,
) -> ApiResult<axum::Json<Items<ArtistSummary>>> {
    let by = q.by.unwrap_or(ArtistRanking::Plays).into();
    top(&state, q.limit, |m, limit| m.top_artists(by, limit))
}

/// The most applied tags, with how many artists carry them and how many users apply them
/// (ties by tag id).
#[utoipa::path(get, path = "/v1/analytics/top-tags", tag = "analytics", params(TopQuery),
    responses(
        (status = 200, description = "The most applied tags, first first", body = Items<TagUsage>),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_top_tags(
    State(state): State<AppState>,
    Query(q): Query<TopQuery>,
) -> ApiResult<axum::Json<Items<TagUsage>>> {
    top(&state, q.limit, ReadModel::top_tags)
}

/// What to rank users by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UserRanking {
    /// Total plays (the default).
    Plays,
    /// Number of distinct artists listened to.
    Artists,
    /// Number of tag assignments made.
    Tags,
    /// Number of friends.
    Friends,
}

impl From<UserRanking> for UserSort {
    fn from(by: UserRanking) -> Self {
        match by {
            UserRanking::Plays => Self::Plays,
            UserRanking::Artists => Self::Artists,
            UserRanking::Tags => Self::Tags,
            UserRanking::Friends => Self::Friends,
        }
    }
}

query_params! {
    /// Ranking and size of a top-N list of users.
    pub struct ActiveUsersQuery {
        /// Rank by `plays` (default), `artists`, `tags` or `friends`.
        #[param(inline)]
        pub by: Option<UserRanking>,
        /// How many, 1 to 100 (default 10).
        #[param(minimum = 1, maximum = 100)]
        pub limit: Option<i64>,
    }
}

impl Validate for ActiveUsersQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_between("limit", self.limit, 1..=100, errors);
    }
}

/// The most active users by plays, distinct artists, tag assignments or friends (ties by
/// user id), each with all four measures.
#[utoipa::path(get, path = "/v1/analytics/active-users", tag = "analytics",
    params(ActiveUsersQuery),
    responses(
        (status = 200, description = "The most active users, first first", body = Items<UserActivity>),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_active_users(
    State(state): State<AppState>,
    Query(q): Query<ActiveUsersQuery>,
) -> ApiResult<axum::Json<Items<UserActivity>>> {
    let by = q.by.unwrap_or(UserRanking::Plays).into();
    top(&state, q.limit, |m, limit| m.active_users(by, limit))
}

query_params! {
    /// Resolution of the distribution's histograms.
    pub struct DistributionQuery {
        /// Histogram bins per power of ten, 1 to 20 (default 5: edges 1, 1.58, 2.51, 3.98, 6.31,
        /// 10...).
        #[param(minimum = 1, maximum = 20)]
        pub bins_per_decade: Option<i64>,
    }
}

impl Validate for DistributionQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_between("bins_per_decade", self.bins_per_decade, 1..=20, errors);
    }
}

/// How concentrated listening is: quantiles and log-scale histograms of per-artist plays and
/// per-listen play counts, the plays of the top 1% and 10% of artists, the Gini coefficient,
/// the Lorenz curve and the head/long-tail split of per-artist plays.
#[utoipa::path(get, path = "/v1/analytics/listening-distribution", tag = "analytics",
    params(DistributionQuery),
    responses(
        (status = 200, description = "The distribution of listening", body = ListeningDistribution),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn get_listening_distribution(
    State(state): State<AppState>,
    fresh: Freshness,
    Query(q): Query<DistributionQuery>,
) -> ApiResult<axum::Json<ListeningDistribution>> {
    let per_decade = q.bins_per_decade.unwrap_or(5) as u32;
    let key = format!("analytics:listening-distribution:{per_decade}");
    let result = state
        .cached(key, fresh, |m| {
            Ok(analytics::listening_distribution(
                &m.artist_plays(),
                &m.listen_weights(),
                per_decade,
            ))
        })
        .await?;
    Ok(json(result))
}

/// The length of the periods of a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// Calendar years (the default): periods `2009`.
    Year,
    /// Calendar months: periods `2009-04`.
    Month,
}

impl From<Granularity> for analytics::Granularity {
    fn from(granularity: Granularity) -> Self {
        match granularity {
            Granularity::Year => Self::Year,
            Granularity::Month => Self::Month,
        }
    }
}

query_params! {
    /// Which tags to follow, by what period, over which years.
    pub struct TagTrendsQuery {
        // Fields alike in form to other queries' (a deliberate likeness): each declares its
        // own parameters, the form they share is `query_params!`.
        /// `year` (default) or `month`.
        #[param(inline)]
        pub granularity: Option<Granularity>,
        /// Tags to follow, by value (case-insensitive) or id, at most 20: repeat the key or
        /// separate with commas (`tags=rock,pop` or `tags=73`). A number is read as a tag's text
        /// when a tag has that text (`2008`), otherwise as an id. Without tags, one series counts
        /// every tag assignment.
        #[serde(default)]
        pub tags: Vec<String>,
        /// First year counted (default: the first with any tag assignment).
        #[param(minimum = 1000, maximum = 9999)]
        pub from_year: Option<i64>,
        /// Last year counted (default: the last with any tag assignment).
        #[param(minimum = 1000, maximum = 9999)]
        pub to_year: Option<i64>,
    }
}

impl Validate for TagTrendsQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_tags("tags", &self.tags, errors);
        for (field, year) in [("from_year", self.from_year), ("to_year", self.to_year)] {
            if let Some(year) = year
                && !YEARS.contains(&year)
            {
                errors.push(FieldError::query(
                    field,
                    format!(
                        "must be a year between {} and {}",
                        YEARS.start(),
                        YEARS.end()
                    ),
                ));
            }
        }
        check_range(
            ("from_year", self.from_year),
            ("to_year", self.to_year),
            errors,
        );
    }
}

/// Tag assignments per year or month: for the tags asked (one series each, in the order
/// asked), or for all tags together. Each series runs over the same periods, zero-filled, so
/// they plot on one axis.
#[utoipa::path(get, path = "/v1/analytics/tag-trends", tag = "analytics",
    params(TagTrendsQuery),
    responses(
        (status = 200, description = "The series, one after the other, each by period", body = Items<TagTrendPoint>),
        (status = 422, description = "Invalid parameters or unknown tags", body = ErrorBody),
    ))]
pub async fn list_tag_trends(
    State(state): State<AppState>,
    Query(q): Query<TagTrendsQuery>,
) -> ApiResult<axum::Json<Items<TagTrendPoint>>> {
    // The model counts assignments by tag and month as they come: a series costs its months.
    let (totals, tags) = state.read(|m| {
        let ids = resolve_tags(m, "tags", &q.tags)?;
        let TagMonths { totals, mut by_tag } = m.tag_months(&ids);
        let tags: Vec<TagSeries> = ids
            .into_iter()
            .map(|tag_id| TagSeries {
                tag_id,
                value: tag_value(m, tag_id),
                months: by_tag.remove(&tag_id).unwrap_or_default(),
            })
            .collect();
        Ok::<_, ApiError>((totals, tags))
    })??;
    let granularity = q.granularity.unwrap_or(Granularity::Year).into();
    let years = q.from_year.unwrap_or(*YEARS.start())..=q.to_year.unwrap_or(*YEARS.end());
    Ok(axum::Json(Items {
        items: analytics::tag_trends(&totals, &tags, granularity, years),
    }))
}

/// The friendship graph (degree distribution, mean, median and maximum degree, users without
/// friends) and "friends vs diversity": for every user, friends and the diversity of what
/// they listen to (distinct artists, entropy of play shares, distinct tags of their artists),
/// with Pearson and Spearman correlations, their t tests, and every point of the scatter.
#[utoipa::path(get, path = "/v1/analytics/social", tag = "analytics",
    responses(
        (status = 200, description = "The social graph and friends vs diversity", body = SocialGraph),
        (status = 422, description = "Unknown parameters", body = ErrorBody),
    ))]
pub async fn get_social_graph(
    State(state): State<AppState>,
    fresh: Freshness,
    Query(_): Query<NoParams>,
) -> ApiResult<axum::Json<SocialGraph>> {
    let graph = state
        .cached("analytics:social".into(), fresh, |m| {
            Ok(analytics::social_graph(m.social_points()))
        })
        .await?;
    Ok(json(graph))
}

query_params! {
    /// The scope and size of a tag cloud.
    pub struct TagCloudQuery {
        // Fields alike in form to other queries' (a deliberate likeness): each declares its
        // own parameters, the form they share is `query_params!`.
        /// Only the tags applied to this artist (by every user).
        #[param(minimum = 1)]
        pub artist_id: Option<i64>,
        /// Only the tags this user applied (to every artist).
        #[param(minimum = 1)]
        pub user_id: Option<i64>,
        /// Only the tags applied to the artists that carry all these tags (by value or id, like
        /// `tag-trends`), these tags left out: the tags that go with them.
        #[serde(default)]
        pub tags: Vec<String>,
        /// How many tags, 1 to 200 (default 50).
        #[param(minimum = 1, maximum = 200)]
        pub limit: Option<i64>,
    }
}

impl Validate for TagCloudQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(id) = self.artist_id {
            check_id("query", "artist_id", id, errors);
        }
        if let Some(id) = self.user_id {
            check_id("query", "user_id", id, errors);
        }
        check_tags("tags", &self.tags, errors);
        let given: Vec<&str> = [
            ("artist_id", self.artist_id.is_some()),
            ("user_id", self.user_id.is_some()),
            ("tags", !split_list(&self.tags).is_empty()),
        ]
        .into_iter()
        .filter_map(|(field, present)| present.then_some(field))
        .collect();
        if given.len() > 1 {
            for field in given {
                errors.push(FieldError::query(
                    field,
                    "give at most one scope: artist_id, user_id or tags",
                ));
            }
        }
        check_between("limit", self.limit, 1..=200, errors);
    }
}

/// A tag cloud: the most applied tags in a scope (the whole dataset, one artist, one user, or
/// the artists carrying some tags), with a log-scaled drawing weight.
#[utoipa::path(get, path = "/v1/analytics/tag-cloud", tag = "analytics", params(TagCloudQuery),
    responses(
        (status = 200, description = "The cloud's tags, most applied first", body = Items<TagCloudEntry>),
        (status = 404, description = "No such artist or user", body = ErrorBody),
        (status = 422, description = "Invalid parameters, more than one scope, or unknown tags", body = ErrorBody),
    ))]
pub async fn get_tag_cloud(
    State(state): State<AppState>,
    fresh: Freshness,
    Query(q): Query<TagCloudQuery>,
) -> ApiResult<axum::Json<Items<TagCloudEntry>>> {
    let tags = state.read(|m| resolve_tags(m, "tags", &q.tags))??;
    let limit = q.limit.unwrap_or(50) as usize;
    let (scope, key) = match (q.artist_id, q.user_id) {
        (Some(id), _) => (CloudScope::Artist(id), format!("artist:{id}")),
        (_, Some(id)) => (CloudScope::User(id), format!("user:{id}")),
        _ if !tags.is_empty() => (CloudScope::With(tags.clone()), format!("tags:{tags:?}")),
        _ => (CloudScope::All, "all".to_owned()),
    };
    let cloud = state
        .cached(format!("analytics:tag-cloud:{key}:{limit}"), fresh, |m| {
            let counts = m.tag_counts(&scope).ok_or_else(|| match scope {
                CloudScope::Artist(id) => ApiError::not_found(format!("artist {id}")),
                CloudScope::User(id) => ApiError::not_found(format!("user {id}")),
                _ => ApiError::Internal("a tag scope without an entity was not found".into()),
            })?;
            let counts = counts
                .into_iter()
                .map(|(tag_id, count)| TagCount { tag_id, count })
                .collect();
            Ok(Items {
                items: analytics::tag_cloud(counts, limit, |id| tag_value(m, id)),
            })
        })
        .await?;
    Ok(json(cloud))
}
