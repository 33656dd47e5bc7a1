//! Reader search: `/search?q=…` with filters for section (with its subsections), author and
//! dates, sorted by relevance or date, paginated; and the same as JSON at `/api/v1/search`.
//! Whatever the query holds, it reaches the engine only as parsed words and phrases.

use super::chrome;
use super::paging::PER_PAGE;
use crate::error::WebError;
use crate::query::Query;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Json, Response};
use dateline_newsroom::prelude::*;
use dateline_newsroom::search::{parse_query, SearchOrder, SearchQuery, MATCH_END, MATCH_START};
use dateline_newsroom::spelling::{search_forgiving, ForgivingResults, Spelling};
use dateline_newsroom::{SectionId, Slug};
use dateline_render::views::{Link, StoryCard};
use jiff::civil::Date;
use serde::Serialize;

/// What a search form or API call asked for, read strictly.
pub(crate) struct Asked {
    pub text: String,
    pub section: String,
    pub author: String,
    pub from: String,
    pub to: String,
    pub sort: String,
    pub page: u32,
    /// The words exactly as typed: no correction of a typo.
    pub exact: bool,
}

/// The search parameters as sent (`?q=…&section=…&page=…`); [`Asked::checked`] reads them.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// Words, and phrases in double quotes; anything else is read as plain text.
    #[param(value_type = Option<String>)]
    q: String,
    /// A section's path (`national` or `national/politics`); a section includes its subsections.
    #[param(value_type = Option<String>)]
    section: String,
    /// An author's slug (`yonhap`).
    #[param(value_type = Option<String>)]
    author: String,
    /// The first day (`2026-11-28`) in the paper's time zone, included.
    #[param(format = Date)]
    from: Option<String>,
    /// The last day, included.
    #[param(format = Date)]
    to: Option<String>,
    /// `relevance` (the default) or `newest`.
    #[param(pattern = "^(relevance|newest)$")]
    sort: Option<String>,
    /// 20 results a page.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    page: Option<String>,
    /// `1`: search the words exactly as typed. Otherwise a query that finds nothing is
    /// searched again with its misspelled words corrected (and the answer says so).
    #[param(pattern = "^(0|1)$")]
    exact: Option<String>,
}

impl Asked {
    pub(crate) fn checked(params: SearchParams) -> Result<Asked, WebError> {
        let page =
            match params.page {
                None => 1,
                Some(text) => text.parse().ok().filter(|p| (1..=500).contains(p)).ok_or_else(|| {
                    WebError::BadRequest("The page number must be a whole number from 1 to 500.".into())
                })?,
            };
        Ok(Asked {
            text: params.q,
            section: params.section,
            author: params.author,
            from: params.from.unwrap_or_default(),
            to: params.to.unwrap_or_default(),
            sort: params.sort.unwrap_or_default(),
            page,
            exact: match params.exact.as_deref().map(str::trim) {
                None | Some("" | "0") => false,
                Some("1") => true,
                Some(_) => return Err(WebError::BadRequest("exact is 1 (the words as typed) or 0.".into())),
            },
        })
    }
}

/// Plain text with the matched words marked: escaped first, then the markers become `<mark>`.
pub(crate) fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 32);
    for c in snippet.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            MATCH_START => out.push_str("<mark>"),
            MATCH_END => out.push_str("</mark>"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

fn day(text: &str, field: &str, zone: &jiff::tz::TimeZone) -> Result<Option<jiff::Timestamp>, WebError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let date: Date = text
        .trim()
        .parse()
        .map_err(|_| WebError::BadRequest(format!("The {field} date must look like 2026-11-28.")))?;
    date.to_zoned(zone.clone())
        .map(|z| Some(z.timestamp()))
        .map_err(|_| WebError::BadRequest(format!("The {field} date is out of range.")))
}

/// Turns what was asked into a query the store runs, with the paper's zone for dates.
pub(crate) async fn run(
    state: &AppState,
    chrome: &chrome::Chrome,
    asked: &Asked,
    include_unpublished: bool,
) -> Result<(ForgivingResults, SearchQuery), WebError> {
    let mut query = SearchQuery::new(parse_query(&asked.text));
    query.include_unpublished = include_unpublished;
    if !asked.section.trim().is_empty() {
        let section = chrome.tree.by_path(asked.section.trim().trim_matches('/')).ok_or_else(|| {
            WebError::refused(axum::http::StatusCode::NOT_FOUND, "not_found", "There is no such section.")
        })?;
        let ids: Vec<SectionId> =
            std::iter::once(section.id).chain(chrome.tree.children(section.id).map(|c| c.id)).collect();
        query.sections = Some(ids);
    }
    if !asked.author.trim().is_empty() {
        let no_such_author =
            || WebError::refused(axum::http::StatusCode::NOT_FOUND, "not_found", "There is no such author.");
        let slug = Slug::parse(asked.author.trim()).map_err(|_| no_such_author())?;
        let author = state.store().author_by_slug(&slug).await.map_err(|e| match e {
            dateline_newsroom::StoreError::NotFound => no_such_author(),
            other => other.into(),
        })?;
        query.author = Some(author.id);
    }
    query.published_from = day(&asked.from, "from", &chrome.clock.zone)?;
    query.published_until = day(&asked.to, "to", &chrome.clock.zone)?.map(|t| t + jiff::SignedDuration::from_hours(24));
    query.order = match asked.sort.as_str() {
        "" | "relevance" => SearchOrder::Relevance,
        "newest" => SearchOrder::Newest,
        _ => return Err(WebError::BadRequest("Sort by relevance or newest.".into())),
    };
    query.limit = PER_PAGE;
    query.offset = (asked.page - 1) * PER_PAGE;
    let results = search_forgiving(state.store(), &query, chrome.now, asked.exact).await?;
    Ok((results, query))
}

#[derive(Serialize)]
struct ResultView {
    card: StoryCard,
    snippet_html: String,
}

#[derive(Serialize)]
struct SearchPage {
    query: String,
    section: String,
    author: String,
    from: String,
    to: String,
    sort: String,
    searched: bool,
    total: u64,
    more_than_total: bool,
    results: Vec<ResultView>,
    sections: Vec<Link>,
    previous: Option<String>,
    next: Option<String>,
    /// Nothing matched as typed; these results are for the corrected words.
    corrected: Option<Correction>,
    /// A few matched as typed; the corrected words find more.
    suggested: Option<Link>,
}

#[derive(Serialize)]
struct Correction {
    shown: Link,
    typed: Link,
}

fn page_link(asked: &Asked, page: u32) -> String {
    link_for(asked, &asked.text, page, asked.exact)
}

/// The search page for `text` with the rest of what was asked.
fn link_for(asked: &Asked, text: &str, page: u32, exact: bool) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    out.append_pair("q", text);
    for (key, value) in [
        ("section", &asked.section),
        ("author", &asked.author),
        ("from", &asked.from),
        ("to", &asked.to),
        ("sort", &asked.sort),
    ] {
        if !value.is_empty() {
            out.append_pair(key, value);
        }
    }
    if page > 1 {
        out.append_pair("page", &page.to_string());
    }
    if exact {
        out.append_pair("exact", "1");
    }
    format!("/search?{}", out.finish())
}

pub(crate) async fn page(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response, WebError> {
    let asked = Asked::checked(params)?;
    let chrome = chrome::load(&state, state.now()).await?;
    let (ForgivingResults { results, spelling }, query) = run(&state, &chrome, &asked, false).await?;
    if results.hits.is_empty() && asked.page > 1 {
        return Err(WebError::NotFound);
    }
    let (corrected, suggested) = match &spelling {
        Spelling::AsTyped => (None, None),
        Spelling::Corrected { corrected, typed } => (
            Some(Correction {
                shown: Link { name: corrected.clone(), url: link_for(&asked, corrected, 1, true) },
                typed: Link { name: typed.clone(), url: link_for(&asked, &asked.text, 1, true) },
            }),
            None,
        ),
        Spelling::Suggested { suggestion } => {
            (None, Some(Link { name: suggestion.clone(), url: link_for(&asked, suggestion, 1, false) }))
        }
    };
    let cards =
        chrome::cards(&state, &chrome, &results.hits.iter().map(|h| h.story.clone()).collect::<Vec<_>>()).await?;
    let content = SearchPage {
        searched: !query.terms.is_empty(),
        query: asked.text.clone(),
        section: asked.section.clone(),
        author: asked.author.clone(),
        from: asked.from.clone(),
        to: asked.to.clone(),
        sort: asked.sort.clone(),
        total: results.total,
        more_than_total: results.more_than_total,
        results: cards
            .into_iter()
            .zip(&results.hits)
            .map(|(card, hit)| ResultView { card, snippet_html: snippet_html(&hit.snippet) })
            .collect(),
        sections: chrome.tree.iter().map(|s| Link { name: s.name.clone(), url: s.path.clone() }).collect(),
        previous: (asked.page > 1).then(|| page_link(&asked, asked.page - 1)),
        next: (u64::from(asked.page * PER_PAGE) < results.total).then(|| page_link(&asked, asked.page + 1)),
        corrected,
        suggested,
    };
    Ok(chrome.render(&state, "search.html", content).await?.into_response())
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ApiHit {
    id: i64,
    url: String,
    headline: String,
    section: Option<String>,
    bylines: Vec<String>,
    published: String,
    snippet_html: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ApiResults {
    query: String,
    total: u64,
    more_than_total: bool,
    page: u32,
    per_page: u32,
    /// Nothing matched `query` as typed: these results are for this corrected query.
    #[serde(skip_serializing_if = "Option::is_none")]
    corrected_query: Option<String>,
    /// A few matched `query`; this corrected query finds more.
    #[serde(skip_serializing_if = "Option::is_none")]
    suggested_query: Option<String>,
    results: Vec<ApiHit>,
}

/// `GET /api/v1/search`: the reader search as JSON (documented in docs/API.md).
/// Errors come in the API's one shape, drawn by `layers::render_error_pages`.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "content",
    params(SearchParams),
    responses(
        (status = 200, description = "Matching public stories, best first", body = ApiResults),
        (status = 400, description = "A parameter that cannot be read", body = crate::error::ApiErrors),
        (status = 404, description = "No such section or author", body = crate::error::ApiErrors),
        (status = 503, description = "The database is unavailable", body = crate::error::ApiErrors),
    )
)]
pub(crate) async fn api(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> Result<Response, WebError> {
    // The search form sends its empty fields; a program leaves out what it does not mean (a
    // value of only spaces is as empty).
    for (field, value) in [("from", &params.from), ("to", &params.to), ("sort", &params.sort), ("exact", &params.exact)]
    {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(WebError::Refused {
                status: axum::http::StatusCode::BAD_REQUEST,
                code: "bad_request",
                detail: format!("{field} is empty; leave it out, or give a value."),
                field: Some(field),
            });
        }
    }
    let asked = Asked::checked(params)?;
    let results = async {
        let chrome = chrome::load(&state, state.now()).await?;
        let (ForgivingResults { results, spelling }, _) = run(&state, &chrome, &asked, false).await?;
        let (corrected_query, suggested_query) = match spelling {
            Spelling::AsTyped => (None, None),
            Spelling::Corrected { corrected, .. } => (Some(corrected), None),
            Spelling::Suggested { suggestion } => (None, Some(suggestion)),
        };
        let stories: Vec<_> = results.hits.iter().map(|h| h.story.clone()).collect();
        let cards = chrome::cards(&state, &chrome, &stories).await?;
        Ok::<_, WebError>(ApiResults {
            query: asked.text.clone(),
            total: results.total,
            more_than_total: results.more_than_total,
            page: asked.page,
            per_page: PER_PAGE,
            corrected_query,
            suggested_query,
            results: cards
                .into_iter()
                .zip(&results.hits)
                .map(|(card, hit)| ApiHit {
                    id: card.id,
                    url: super::feeds::absolute(&state, &card.url),
                    headline: card.headline,
                    section: card.section.map(|s| s.name),
                    bylines: card.bylines.into_iter().map(|b| b.name).collect(),
                    published: card.published.datetime,
                    snippet_html: snippet_html(&hit.snippet),
                })
                .collect(),
        })
    }
    .await?;
    Ok(Json(results).into_response())
}
