//! The curators' granular search: artists by a combination of tags (all of, any of), a
//! popularity range (listeners, plays) and a name, sorted and paginated, answered from the
//! in-memory catalogue.

use axum::extract::State;
use soundstream_core::views::artists::ArtistHit;
use soundstream_core::views::{Order, Page};
use soundstream_readmodel::{Direction, ReadModel, SearchQuery, SearchSort};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, ApiResult, ErrorBody, FieldError};
use crate::extract::{Query, Validate, check_range, check_text, split_list};
use crate::list::{SortKey, list_query, sorting};

/// The most tags one search may name in each of `tags_all` and `tags_any`.
const MAX_TAGS: usize = 20;

/// The routes of this area.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_artists))
}

list_query! {
    /// The search criteria; every criterion given must hold.
    pub struct ArtistSearchQuery {
        // Fields alike in form to other queries' (a deliberate likeness): each declares its
        // own parameters, the form they share is `query_params!`.
        /// Tags the artist must all carry (tag values, case-insensitive). Repeat the key or
        /// separate values with commas: `tags_all=rock,indie`.
        #[serde(default)]
        pub tags_all: Vec<String>,
        /// Tags of which the artist must carry at least one.
        #[serde(default)]
        pub tags_any: Vec<String>,
        /// Text the artist's name must contain, case-insensitively.
        pub name: Option<String>,
        /// Fewest listeners.
        #[param(minimum = 0)]
        pub min_listeners: Option<i64>,
        /// Most listeners.
        #[param(minimum = 0)]
        pub max_listeners: Option<i64>,
        /// Fewest total plays.
        #[param(minimum = 0)]
        pub min_plays: Option<i64>,
        /// Most total plays.
        #[param(minimum = 0)]
        pub max_plays: Option<i64>,
        /// Sort key (default `relevance`).
        #[param(inline)]
        pub sort: Option<SearchSort>,
        /// Sort direction (default `desc`, `asc` for `name` and `id`).
        #[param(inline)]
        pub order: Option<Order>,
    }
}

impl Validate for ArtistSearchQuery {
    fn validate(&self, errors: &mut Vec<FieldError>) {
        for (field, tags) in [("tags_all", &self.tags_all), ("tags_any", &self.tags_any)] {
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
        if let Some(name) = &self.name {
            check_text("query", "name", name, errors);
        }
        check_range(
            ("min_listeners", self.min_listeners),
            ("max_listeners", self.max_listeners),
            errors,
        );
        check_range(
            ("min_plays", self.min_plays),
            ("max_plays", self.max_plays),
            errors,
        );
        self.check_paging(errors);
    }
}

impl SortKey for SearchSort {
    fn default_direction(self) -> Direction {
        match self {
            Self::Name | Self::Id => Direction::Asc,
            Self::Relevance | Self::Listeners | Self::Plays => Direction::Desc,
        }
    }
}

/// Tag ids for the given values, or one 422 naming every unknown value.
fn resolve(model: &ReadModel, field: &str, values: &[String]) -> Result<Vec<i64>, Vec<FieldError>> {
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    for value in split_list(values) {
        match model.tag_id_by_value(&value) {
            Some(id) => ids.push(id),
            None => errors.push(FieldError::query(
                field,
                format!("there is no tag '{value}'"),
            )),
        }
    }
    if errors.is_empty() {
        Ok(ids)
    } else {
        Err(errors)
    }
}

/// Search artists by tags (all of / any of), popularity range and name.
#[utoipa::path(get, path = "/v1/search/artists", tag = "search", params(ArtistSearchQuery),
    responses(
        (status = 200, description = "A page of matching artists", body = Page<ArtistHit>),
        (status = 422, description = "Invalid parameters or unknown tags", body = ErrorBody),
    ))]
pub async fn search_artists(
    State(state): State<AppState>,
    Query(q): Query<ArtistSearchQuery>,
) -> ApiResult<crate::list::PageJson<ArtistHit>> {
    let (sort, direction) = sorting(q.sort.unwrap_or(SearchSort::Relevance), q.order);
    let window = q.window();
    window.read(&state, |m, start, limit| {
        let all = resolve(m, "tags_all", &q.tags_all);
        let any = resolve(m, "tags_any", &q.tags_any);
        let (tags_all, tags_any) = match (all, any) {
            (Ok(all), Ok(any)) => (all, any),
            (all, any) => {
                let errors = [all.err(), any.err()]
                    .into_iter()
                    .flatten()
                    .flatten()
                    .collect();
                return Err(ApiError::Validation(errors));
            }
        };
        let query = SearchQuery {
            tags_all,
            tags_any,
            name: q.name.clone(),
            listeners: (q.min_listeners, q.max_listeners),
            plays: (q.min_plays, q.max_plays),
            sort,
            direction,
        };
        Ok(m.search(&query, start, limit))
    })
}
