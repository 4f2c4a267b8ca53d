//! The artists endpoints: the catalogue's artists with their audience and tags, their
//! listeners and similar artists, and creating, replacing, changing and deleting them.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;
use soundstream_core::views::artists::{
    ArtistDetail, ArtistFields, ArtistSummary, Listener, SimilarArtist, TagCount,
};
use soundstream_core::views::{Items, Order, Page};
use soundstream_readmodel::ArtistSort;
use soundstream_store::ArtistChanges;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use soundstream_readmodel::Direction;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{
    Json, PageQuery, Path, Query, TopQuery, Validate, check_id, check_text, present,
};
use crate::list::{SortKey, list_query, sorting};
use crate::routes::check_new_id;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_artists, create_artist))
        .routes(routes!(
            get_artist,
            replace_artist,
            update_artist,
            delete_artist
        ))
        .routes(routes!(list_artist_listeners))
        .routes(routes!(list_artist_tags))
        .routes(routes!(list_similar_artists))
}

/// The artist addressed by the path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ArtistPath {
    /// Artist id.
    #[param(minimum = 1)]
    pub artist_id: i64,
}

impl Validate for ArtistPath {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_id("path", "artist_id", self.artist_id, errors);
    }
}

list_query! {
    /// Filters, sort and page of the artist list.
    pub struct ArtistListQuery {
        /// Only artists whose name contains this text, case-insensitively.
        pub name: Option<String>,
        /// Sort key (default `id`).
        #[param(inline)]
        pub sort: Option<ArtistSort>,
        /// Sort direction (default `asc` for `id` and `name`, `desc` for `listeners` and `plays`).
        #[param(inline)]
        pub order: Option<Order>,
    }
}

impl Validate for ArtistListQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(name) = &self.name {
            check_text("query", "name", name, errors);
        }
        self.check_paging(errors);
    }
}

impl SortKey for ArtistSort {
    fn default_direction(self) -> Direction {
        match self {
            Self::Id | Self::Name => Direction::Asc,
            Self::Listeners | Self::Plays => Direction::Desc,
        }
    }
}

/// List artists, filtered by name and sorted by name, listeners or plays.
#[utoipa::path(get, path = "/v1/artists", tag = "artists", params(ArtistListQuery),
    responses(
        (status = 200, description = "A page of artists", body = Page<ArtistSummary>),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_artists(
    State(state): State<AppState>,
    Query(q): Query<ArtistListQuery>,
) -> ApiResult<crate::list::PageJson<ArtistSummary>> {
    let (sort, direction) = sorting(q.sort.unwrap_or(ArtistSort::Id), q.order);
    let window = q.window();
    window.read(&state, |m, start, limit| {
        Ok(m.artists(q.name.as_deref(), sort, direction, start, limit))
    })
}

/// One artist with listeners, total plays and top tags.
#[utoipa::path(get, path = "/v1/artists/{artist_id}", tag = "artists", params(ArtistPath),
    responses(
        (status = 200, description = "The artist", body = ArtistDetail),
        (status = 404, description = "No such artist", body = ErrorBody),
        (status = 422, description = "Invalid id", body = ErrorBody),
    ))]
pub async fn get_artist(
    State(state): State<AppState>,
    Path(p): Path<ArtistPath>,
    Query(_): Query<crate::extract::NoParams>,
) -> ApiResult<crate::json::Written<ArtistDetail>> {
    found(&state, p.artist_id).map(crate::json::Written)
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found(format!("artist {id}"))
}

/// The artist as the read model holds it (after a write, with the write).
fn found(state: &AppState, id: i64) -> ApiResult<ArtistDetail> {
    state.read(|m| m.artist(id))?.ok_or_else(|| not_found(id))
}

/// A new artist.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArtist {
    /// Id for the artist, 1 to 2^53 - 1; the next free id when omitted.
    #[schema(minimum = 1, maximum = 9_007_199_254_740_991_i64)]
    pub id: Option<i64>,
    /// Artist name (1 to 500 characters).
    pub name: String,
    /// Last.fm page of the artist (an http or https URL).
    pub url: Option<String>,
    /// Picture of the artist (an http or https URL).
    pub picture_url: Option<String>,
}

/// Every field of an artist, for a full replacement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtistReplacement {
    /// Artist name (1 to 500 characters).
    pub name: String,
    /// Last.fm page of the artist (an http or https URL), or null.
    pub url: Option<String>,
    /// Picture of the artist (an http or https URL), or null.
    pub picture_url: Option<String>,
}

/// Some fields of an artist: omitted fields stay as they are, `null` clears a URL.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArtistPatch {
    /// New name (1 to 500 characters).
    // `present`: an explicit `null` is a 422 (a name cannot be cleared), not a no-op.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = String)]
    pub name: Option<String>,
    /// New Last.fm page (an http or https URL), or null to clear it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub url: Option<Option<String>>,
    /// New picture (an http or https URL), or null to clear it.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub picture_url: Option<Option<String>>,
}

fn check_url(field: &str, url: &str, errors: &mut Vec<FieldError>) {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        errors.push(FieldError::body(
            field,
            "must be an http:// or https:// URL",
        ));
    } else if url.len() > 2000 || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        errors.push(FieldError::body(
            field,
            "must be a URL of at most 2000 characters, without spaces",
        ));
    }
}

fn check_fields(
    name: Option<&str>,
    url: Option<&str>,
    picture: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    if let Some(name) = name {
        check_text("body", "name", name, errors);
    }
    if let Some(url) = url {
        check_url("url", url, errors);
    }
    if let Some(picture) = picture {
        check_url("picture_url", picture, errors);
    }
}

impl Validate for NewArtist {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        if let Some(id) = self.id {
            check_id("body", "id", id, errors);
            check_new_id(id, errors);
        }
        check_fields(
            Some(&self.name),
            self.url.as_deref(),
            self.picture_url.as_deref(),
            errors,
        );
    }
}

impl Validate for ArtistReplacement {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_fields(
            Some(&self.name),
            self.url.as_deref(),
            self.picture_url.as_deref(),
            errors,
        );
    }
}

impl Validate for ArtistPatch {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        check_fields(
            self.name.as_deref(),
            self.url.as_ref().and_then(Option::as_deref),
            self.picture_url.as_ref().and_then(Option::as_deref),
            errors,
        );
    }
}

/// Create an artist.
#[utoipa::path(post, path = "/v1/artists", tag = "artists", request_body = NewArtist,
    responses(
        (status = 201, description = "Created; `Location` gives its URL", body = ArtistDetail),
        (status = 409, description = "An artist with this id exists", body = ErrorBody),
        (status = 422, description = "Invalid body", body = ErrorBody),
    ))]
pub async fn create_artist(
    State(state): State<AppState>,
    Query(_): Query<crate::extract::NoParams>,
    Json(new): Json<NewArtist>,
) -> ApiResult<(StatusCode, HeaderMap, axum::Json<ArtistDetail>)> {
    let fields = ArtistFields {
        name: new.name,
        url: new.url,
        picture_url: new.picture_url,
    };
    // A taken id is a 409 naming the artist (see `crate::error`).
    let committed = state.store.create_artist(new.id, &fields).await?;
    let id = state.model.commit(committed).await;
    let mut headers = HeaderMap::new();
    if let Ok(location) = format!("/v1/artists/{id}").parse() {
        headers.insert(header::LOCATION, location);
    }
    Ok((StatusCode::CREATED, headers, axum::Json(found(&state, id)?)))
}

/// Replace every field of an artist.
#[utoipa::path(put, path = "/v1/artists/{artist_id}", tag = "artists", params(ArtistPath),
    request_body = ArtistReplacement,
    responses(
        (status = 200, description = "The artist as replaced", body = ArtistDetail),
        (status = 404, description = "No such artist", body = ErrorBody),
        (status = 422, description = "Invalid id or body", body = ErrorBody),
    ))]
pub async fn replace_artist(
    State(state): State<AppState>,
    Query(_): Query<crate::extract::NoParams>,
    Path(p): Path<ArtistPath>,
    Json(body): Json<ArtistReplacement>,
) -> ApiResult<axum::Json<ArtistDetail>> {
    let fields = ArtistFields {
        name: body.name,
        url: body.url,
        picture_url: body.picture_url,
    };
    let committed = state.store.replace_artist(p.artist_id, &fields).await?;
    if !state.model.commit(committed).await {
        return Err(not_found(p.artist_id));
    }
    found(&state, p.artist_id).map(axum::Json)
}

/// Change some fields of an artist.
#[utoipa::path(patch, path = "/v1/artists/{artist_id}", tag = "artists", params(ArtistPath),
    request_body = ArtistPatch,
    responses(
        (status = 200, description = "The artist as changed", body = ArtistDetail),
        (status = 404, description = "No such artist", body = ErrorBody),
        (status = 422, description = "Invalid id or body", body = ErrorBody),
    ))]
pub async fn update_artist(
    State(state): State<AppState>,
    Query(_): Query<crate::extract::NoParams>,
    Path(p): Path<ArtistPath>,
    Json(patch): Json<ArtistPatch>,
) -> ApiResult<axum::Json<ArtistDetail>> {
    let changes = ArtistChanges {
        name: patch.name,
        url: patch.url,
        picture_url: patch.picture_url,
    };
    let committed = state.store.update_artist(p.artist_id, &changes).await?;
    if !state.model.commit(committed).await {
        return Err(not_found(p.artist_id));
    }
    found(&state, p.artist_id).map(axum::Json)
}

/// Delete an artist, with its listens and tag assignments.
#[utoipa::path(delete, path = "/v1/artists/{artist_id}", tag = "artists", params(ArtistPath),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such artist", body = ErrorBody),
        (status = 422, description = "Invalid id", body = ErrorBody),
    ))]
pub async fn delete_artist(
    State(state): State<AppState>,
    Query(_): Query<crate::extract::NoParams>,
    Path(p): Path<ArtistPath>,
) -> ApiResult<StatusCode> {
    let committed = state.store.delete_artist(p.artist_id).await?;
    let deleted = state.model.commit(committed).await;
    deleted
        .then_some(StatusCode::NO_CONTENT)
        .ok_or_else(|| not_found(p.artist_id))
}

/// The users who listen to an artist, most plays first.
#[utoipa::path(get, path = "/v1/artists/{artist_id}/listeners", tag = "artists",
    params(ArtistPath, PageQuery),
    responses(
        (status = 200, description = "A page of listeners", body = Page<Listener>),
        (status = 404, description = "No such artist", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_artist_listeners(
    State(state): State<AppState>,
    Path(p): Path<ArtistPath>,
    Query(q): Query<PageQuery>,
) -> ApiResult<crate::list::PageJson<Listener>> {
    q.window().read(&state, |m, start, limit| {
        m.artist_listeners(p.artist_id, start, limit)
            .ok_or_else(|| not_found(p.artist_id))
    })
}

/// The tags applied to an artist, with how many times each, most applied first.
#[utoipa::path(get, path = "/v1/artists/{artist_id}/tags", tag = "artists",
    params(ArtistPath, PageQuery),
    responses(
        (status = 200, description = "A page of tags with counts", body = Page<TagCount>),
        (status = 404, description = "No such artist", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_artist_tags(
    State(state): State<AppState>,
    Path(p): Path<ArtistPath>,
    Query(q): Query<PageQuery>,
) -> ApiResult<crate::list::PageJson<TagCount>> {
    q.window().read(&state, |m, start, limit| {
        m.artist_tags(p.artist_id, start, limit)
            .ok_or_else(|| not_found(p.artist_id))
    })
}

/// Artists most similar to this one, under the recommender's best item-to-item model (shared
/// listeners weighted by the model).
#[utoipa::path(get, path = "/v1/artists/{artist_id}/similar", tag = "artists",
    params(ArtistPath, TopQuery),
    responses(
        (status = 200, description = "Similar artists, most similar first", body = Items<SimilarArtist>),
        (status = 404, description = "No such artist", body = ErrorBody),
        (status = 422, description = "Invalid parameters", body = ErrorBody),
    ))]
pub async fn list_similar_artists(
    State(state): State<AppState>,
    Path(p): Path<ArtistPath>,
    Query(q): Query<TopQuery>,
) -> ApiResult<axum::Json<Items<SimilarArtist>>> {
    let k = q.limit.unwrap_or(10) as usize;
    // The served model's item-to-item similarity; for an artist it has not seen yet (created
    // since it was trained), the cosine of listener sets from the read model.
    let modelled = state
        .recommender
        .current()
        .and_then(|trained| trained.model.similar_artists(p.artist_id, k + 5).ok());
    let items = state.read(|m| {
        if !m.has_artist(p.artist_id) {
            return Err(not_found(p.artist_id));
        }
        Ok(match modelled {
            Some(similar) => similar
                .into_iter()
                .filter_map(|s| {
                    let artist = m.artist_summary(s.artist_id)?;
                    Some(SimilarArtist {
                        id: artist.id,
                        name: artist.name,
                        picture_url: artist.picture_url,
                        score: s.score,
                        shared_listeners: i64::from(s.shared_listeners),
                    })
                })
                .take(k)
                .collect(),
            None => m.similar_artists(p.artist_id, k).unwrap_or_default(),
        })
    })??;
    Ok(axum::Json(Items { items }))
}
