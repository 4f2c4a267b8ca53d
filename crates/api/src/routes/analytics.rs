//! The analytics endpoints: aggregates over the whole dataset, shaped for plotting (the long
//! tail and Lorenz curve of listening, tag trends, the social graph, tag clouds).
//!
//! Counts, rankings and sums come from the read model's counters at once; results that read
//! the whole model (distribution, social graph, tag clouds) are computed once per write and
//! cached (`AppState::cached`), with the freshness the request needs passed explicitly.
//! Statistics come from the pure functions of `soundstream_core::stats`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::State;
use serde::Deserialize;
use soundstream_core::stats;
use soundstream_core::views::Items;
use soundstream_core::views::analytics::{
    ArtistSegment, CorrelationTest, DatasetSummary, DegreeCount, Distribution,
    DiversityCorrelation, DiversityMeasure, HistogramBin, ListeningDistribution, LorenzPoint,
    SocialGraph, SocialPoint, TagCloudEntry, TagTrendPoint, TagUsage, TopShare, UserActivity,
};
use soundstream_core::views::artists::ArtistSummary;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use soundstream_readmodel::{CloudScope, ReadModel, TagMonths, UserSort};

use crate::AppState;
use crate::consistency::Freshness;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{
    NoParams, Query, TopQuery, Validate, check_id, check_range, check_text, split_list,
};

/// The most tags one request may name.
const MAX_TAGS: usize = 20;
/// The share of all plays that makes the head of the head/long-tail split.
const HEAD_SHARE: f64 = 0.8;
/// Segments of the Lorenz curve (it has one point more).
const LORENZ_STEPS: usize = 100;
/// The years accepted by `from_year` and `to_year` (periods are written with four digits).
const YEARS: std::ops::RangeInclusive<i64> = 1000..=9999;

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

fn check_limit(limit: Option<i64>, max: i64, errors: &mut Vec<FieldError>) {
    if let Some(limit) = limit
        && !(1..=max).contains(&limit)
    {
        errors.push(FieldError::query(
            "limit",
            format!("must be between 1 and {max}"),
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

/// Ranking and size of a top-N list of artists.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TopArtistsQuery {
    /// Rank by `plays` (default) or `listeners`.
    #[param(inline)]
    pub by: Option<ArtistRanking>,
    /// How many, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

impl Validate for TopArtistsQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_limit(self.limit, 100, errors);
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
    let by = match q.by.unwrap_or(ArtistRanking::Plays) {
        ArtistRanking::Plays => soundstream_readmodel::ArtistSort::Plays,
        ArtistRanking::Listeners => soundstream_readmodel::ArtistSort::Listeners,
    };
    let limit = q.limit.unwrap_or(10) as usize;
    let items = state.read(|m| m.top_artists(by, limit))?;
    Ok(axum::Json(Items { items }))
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
    let limit = q.limit.unwrap_or(10) as usize;
    let items = state.read(|m| m.top_tags(limit))?;
    Ok(axum::Json(Items { items }))
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

/// Ranking and size of a top-N list of users.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActiveUsersQuery {
    /// Rank by `plays` (default), `artists`, `tags` or `friends`.
    #[param(inline)]
    pub by: Option<UserRanking>,
    /// How many, 1 to 100 (default 10).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
}

impl Validate for ActiveUsersQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_limit(self.limit, 100, errors);
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
    let by = match q.by.unwrap_or(UserRanking::Plays) {
        UserRanking::Plays => UserSort::Plays,
        UserRanking::Artists => UserSort::Artists,
        UserRanking::Tags => UserSort::Tags,
        UserRanking::Friends => UserSort::Friends,
    };
    let limit = q.limit.unwrap_or(10) as usize;
    let items = state.read(|m| m.active_users(by, limit))?;
    Ok(axum::Json(Items { items }))
}

/// Resolution of the distribution's histograms.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DistributionQuery {
    /// Histogram bins per power of ten, 1 to 20 (default 5: edges 1, 1.58, 2.51, 3.98, 6.31,
    /// 10...).
    #[param(minimum = 1, maximum = 20)]
    pub bins_per_decade: Option<i64>,
}

impl Validate for DistributionQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(bins) = self.bins_per_decade
            && !(1..=20).contains(&bins)
        {
            errors.push(FieldError::query(
                "bins_per_decade",
                "must be between 1 and 20",
            ));
        }
    }
}

/// Summary statistics and log-scale histogram of non-negative integers.
fn distribution(values: &[i64], per_decade: u32) -> Distribution {
    let mut sorted: Vec<f64> = values.iter().map(|&v| v as f64).collect();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| stats::quantile(&sorted, p).unwrap_or(0.0);
    Distribution {
        count: values.len() as i64,
        sum: values.iter().sum(),
        zeros: values.iter().filter(|&&v| v == 0).count() as i64,
        min: values.iter().copied().min().unwrap_or(0),
        p10: q(0.10),
        p25: q(0.25),
        p50: q(0.50),
        p75: q(0.75),
        p90: q(0.90),
        p99: q(0.99),
        max: values.iter().copied().max().unwrap_or(0),
        mean: stats::mean(&sorted).unwrap_or(0.0),
        histogram: stats::log_histogram(&sorted, per_decade)
            .into_iter()
            .map(|(lower, upper, count)| HistogramBin {
                lower,
                upper,
                count,
            })
            .collect(),
    }
}

fn share(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The plays of the `ceil(percent% of n)` most played artists (`descending` is sorted).
fn top_share(descending: &[i64], percent: i64, total: i64) -> TopShare {
    let n = descending.len() as i64;
    let artists = (n * percent + 99) / 100;
    let plays = descending.iter().take(artists as usize).sum();
    TopShare {
        percent: percent as f64,
        artists,
        plays,
        plays_share: share(plays, total),
    }
}

/// The concentration of listening over artists (`plays` of every artist), per-listen play
/// counts (`weights`), with histograms of `per_decade` bins per power of ten.
fn listening_distribution(
    plays: &[i64],
    weights: &[i64],
    per_decade: u32,
) -> ListeningDistribution {
    let total: i64 = plays.iter().sum();
    let n = plays.len() as i64;
    let mut ascending: Vec<f64> = plays.iter().map(|&p| p as f64).collect();
    ascending.sort_by(f64::total_cmp);
    let mut descending = plays.to_vec();
    descending.sort_unstable_by(|a, b| b.cmp(a));
    // The head: the fewest top artists with 5 * plays >= 4 * total, i.e. at least 80% of
    // plays, compared in integers so that the threshold is exact.
    let (mut head_artists, mut head_plays) = (0_i64, 0_i64);
    for &p in &descending {
        if 5 * head_plays >= 4 * total {
            break;
        }
        head_artists += 1;
        head_plays += p;
    }
    let segment = |artists: i64, plays: i64| ArtistSegment {
        artists,
        artists_share: share(artists, n),
        plays,
        plays_share: share(plays, total),
    };
    ListeningDistribution {
        bins_per_decade: i64::from(per_decade),
        artist_plays: distribution(plays, per_decade),
        listen_weights: distribution(weights, per_decade),
        top_1_percent: top_share(&descending, 1, total),
        top_10_percent: top_share(&descending, 10, total),
        gini: stats::gini(&ascending),
        lorenz: stats::lorenz(&ascending, LORENZ_STEPS)
            .into_iter()
            .map(|(artists_share, plays_share)| LorenzPoint {
                artists_share,
                plays_share,
            })
            .collect(),
        head_share: HEAD_SHARE,
        head: segment(head_artists, head_plays),
        tail: segment(n - head_artists, total - head_plays),
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
            Ok(listening_distribution(
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

/// Which tags to follow, by what period, over which years.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TagTrendsQuery {
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

/// The period of a (year, month): `(year, 0)` by year.
fn period_of((year, month): (i64, i64), granularity: Granularity) -> (i64, i64) {
    match granularity {
        Granularity::Year => (year, 0),
        Granularity::Month => (year, month),
    }
}

fn next_period((year, month): (i64, i64), granularity: Granularity) -> (i64, i64) {
    match granularity {
        Granularity::Year => (year + 1, 0),
        Granularity::Month if month >= 12 => (year + 1, 1),
        Granularity::Month => (year, month + 1),
    }
}

fn period_label((year, month): (i64, i64), granularity: Granularity) -> String {
    match granularity {
        Granularity::Year => format!("{year:04}"),
        Granularity::Month => format!("{year:04}-{month:02}"),
    }
}

/// Counts of `months` by period within the years, keyed by period.
fn by_period(
    months: &BTreeMap<(i64, i64), i64>,
    granularity: Granularity,
    years: &std::ops::RangeInclusive<i64>,
) -> BTreeMap<(i64, i64), i64> {
    let mut periods = BTreeMap::new();
    for (&key, &count) in months.range((*years.start(), 0)..=(*years.end(), 12)) {
        *periods.entry(period_of(key, granularity)).or_default() += count;
    }
    periods
}

/// Trend series: the total (tag `None`) or each tag, zero-filled over every period from the
/// first to the last one holding any tag assignment within the years.
fn tag_trends(
    months: &TagMonths,
    series: &[(Option<i64>, Option<String>)],
    granularity: Granularity,
    years: std::ops::RangeInclusive<i64>,
) -> Vec<TagTrendPoint> {
    let totals = by_period(&months.totals, granularity, &years);
    let (Some(&first), Some(&last)) = (totals.keys().next(), totals.keys().next_back()) else {
        return Vec::new();
    };
    let mut periods = vec![first];
    while let Some(&period) = periods.last()
        && period < last
    {
        periods.push(next_period(period, granularity));
    }
    let empty = BTreeMap::new();
    let mut points = Vec::with_capacity(series.len() * periods.len());
    for (tag_id, value) in series {
        let counts = match tag_id {
            None => totals.clone(),
            Some(id) => by_period(months.by_tag.get(id).unwrap_or(&empty), granularity, &years),
        };
        for &period in &periods {
            let count = counts.get(&period).copied().unwrap_or(0);
            points.push(TagTrendPoint {
                period: period_label(period, granularity),
                tag_id: *tag_id,
                value: value.clone(),
                count,
                share: share(count, totals.get(&period).copied().unwrap_or(0)),
            });
        }
    }
    points
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
    let (months, series) = state.read(|m| {
        let tags = resolve_tags(m, "tags", &q.tags)?;
        let series: Vec<(Option<i64>, Option<String>)> = if tags.is_empty() {
            vec![(None, None)]
        } else {
            tags.iter()
                .map(|&id| (Some(id), Some(tag_value(m, id))))
                .collect()
        };
        Ok::<_, ApiError>((m.tag_months(&tags), series))
    })??;
    let granularity = q.granularity.unwrap_or(Granularity::Year);
    let years = q.from_year.unwrap_or(*YEARS.start())..=q.to_year.unwrap_or(*YEARS.end());
    Ok(axum::Json(Items {
        items: tag_trends(&months, &series, granularity, years),
    }))
}

/// How to read one diversity measure off a point.
type Measure = fn(&SocialPoint) -> f64;

/// Degree statistics, per-user diversity and their correlations.
fn social_graph(points: Vec<SocialPoint>) -> SocialGraph {
    let n = points.len();
    let friends: Vec<f64> = points.iter().map(|p| p.friends as f64).collect();
    let test = |r: Option<f64>| CorrelationTest {
        r,
        t: r.and_then(|r| stats::correlation_t(r, n)),
        p_value: r.and_then(|r| stats::correlation_p_value(r, n)),
    };
    let measures: [(DiversityMeasure, Measure); 3] = [
        (DiversityMeasure::DistinctArtists, |p| {
            p.distinct_artists as f64
        }),
        (DiversityMeasure::PlayEntropy, |p| p.play_entropy),
        (DiversityMeasure::DistinctTags, |p| p.distinct_tags as f64),
    ];
    let correlations = measures
        .into_iter()
        .map(|(measure, value)| {
            let diversity: Vec<f64> = points.iter().map(value).collect();
            DiversityCorrelation {
                measure,
                n: n as i64,
                pearson: test(stats::pearson(&friends, &diversity)),
                spearman: test(stats::spearman(&friends, &diversity)),
            }
        })
        .collect();

    let mut degrees: BTreeMap<i64, i64> = BTreeMap::new();
    for p in &points {
        *degrees.entry(p.friends).or_default() += 1;
    }
    let mut sorted_friends = friends.clone();
    sorted_friends.sort_by(f64::total_cmp);
    let degree_sum: i64 = points.iter().map(|p| p.friends).sum();
    SocialGraph {
        users: n as i64,
        friendship_pairs: degree_sum / 2,
        users_without_friends: degrees.get(&0).copied().unwrap_or(0),
        mean_degree: share(degree_sum, n as i64),
        median_degree: stats::quantile(&sorted_friends, 0.5).unwrap_or(0.0),
        max_degree: degrees.keys().next_back().copied().unwrap_or(0),
        degree_distribution: degrees
            .into_iter()
            .map(|(degree, users)| DegreeCount { degree, users })
            .collect(),
        correlations,
        points,
    }
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
            Ok(social_graph(m.social_points()))
        })
        .await?;
    Ok(json(graph))
}

/// The scope and size of a tag cloud.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TagCloudQuery {
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
        check_limit(self.limit, 200, errors);
    }
}

/// The `limit` most counted tags, most first (ties by id), with log-scaled weights.
fn tag_cloud(model: &ReadModel, counts: Vec<(i64, i64)>, limit: usize) -> Vec<TagCloudEntry> {
    let mut counts: Vec<(i64, i64)> = counts.into_iter().filter(|&(_, c)| c > 0).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.truncate(limit);
    let (Some(&(_, max)), Some(&(_, min))) = (counts.first(), counts.last()) else {
        return Vec::new();
    };
    let span = (max as f64).ln() - (min as f64).ln();
    counts
        .into_iter()
        .map(|(tag_id, count)| TagCloudEntry {
            tag_id,
            value: tag_value(model, tag_id),
            count,
            weight: if span > 0.0 {
                ((count as f64).ln() - (min as f64).ln()) / span
            } else {
                1.0
            },
        })
        .collect()
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
            Ok(Items {
                items: tag_cloud(m, counts, limit),
            })
        })
        .await?;
    Ok(json(cloud))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_is_the_fewest_top_artists_reaching_eighty_percent_of_plays() {
        // Plays 50, 30, 10, 5, 5 (total 100): 50 + 30 = 80 reaches 80% with two artists.
        let d = listening_distribution(&[5, 50, 10, 30, 5], &[1, 2, 3], 1);
        assert_eq!((d.head.artists, d.head.plays), (2, 80));
        assert_eq!((d.tail.artists, d.tail.plays), (3, 20));
        assert_eq!(d.head.artists_share, 0.4);
        assert_eq!(d.tail.plays_share, 0.2);
        // ceil(1% of 5) = 1 artist, ceil(10% of 5) = 1 artist: the top one.
        assert_eq!((d.top_1_percent.artists, d.top_1_percent.plays), (1, 50));
        assert_eq!(d.top_10_percent.plays_share, 0.5);
        assert_eq!(d.lorenz.len(), 101);
        assert_eq!(d.artist_plays.sum, 100);
        assert_eq!(d.listen_weights.p50, 2.0);
    }

    #[test]
    fn a_distribution_of_nothing_is_all_zeros() {
        let d = listening_distribution(&[], &[], 5);
        assert_eq!(d.gini, None);
        assert!(d.lorenz.is_empty());
        assert_eq!((d.head.artists, d.tail.artists), (0, 0));
        assert_eq!(d.artist_plays.count, 0);
        assert!(d.artist_plays.histogram.is_empty());
    }

    #[test]
    fn monthly_periods_roll_over_into_the_next_year() {
        assert_eq!(next_period((2009, 12), Granularity::Month), (2010, 1));
        assert_eq!(next_period((2009, 4), Granularity::Month), (2009, 5));
        assert_eq!(period_label((2009, 4), Granularity::Month), "2009-04");
        assert_eq!(period_label((2009, 0), Granularity::Year), "2009");
    }

    #[test]
    fn trend_series_are_zero_filled_between_the_first_and_last_period() {
        let months = TagMonths {
            totals: [((2008, 11), 4), ((2009, 2), 3)].into_iter().collect(),
            by_tag: [(1, [((2008, 11), 2), ((2009, 2), 3)].into_iter().collect())]
                .into_iter()
                .collect(),
        };
        let points = tag_trends(
            &months,
            &[(Some(1), Some("rock".into()))],
            Granularity::Month,
            1000..=9999,
        );
        let counts: Vec<(&str, i64, f64)> = points
            .iter()
            .map(|p| (p.period.as_str(), p.count, p.share))
            .collect();
        assert_eq!(
            counts,
            [
                ("2008-11", 2, 0.5),
                ("2008-12", 0, 0.0),
                ("2009-01", 0, 0.0),
                ("2009-02", 3, 1.0)
            ]
        );
        let by_year = tag_trends(&months, &[(None, None)], Granularity::Year, 2009..=2009);
        assert_eq!(by_year.len(), 1);
        assert_eq!((by_year[0].count, by_year[0].tag_id), (3, None));
    }
}
