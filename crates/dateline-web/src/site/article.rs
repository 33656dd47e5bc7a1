//! The article page (reference parts 7 to 13 inside the page chrome). Its address is
//! `/article/{id}/{slug}`: the id decides, and any other slug is sent on to the current one.
//! A live story's page also shows its stream (`live.rs`), older posts on `?page=N`.

use super::feeds::absolute;
use super::{chrome, moved_permanently};
use crate::error::WebError;
use crate::page_cache::tag;
use crate::query::{PageAsked, Query};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use dateline_newsroom::{
    Article, ArticleId, ArticleStatus, ArticleStore, AuthorKind, Label, StoryForReaders, StoryHas,
};
use dateline_render::views::{article_url, author_url, plain_excerpt, ArticleView, ImageView, Lookup};
use serde::Serialize;

#[derive(Serialize)]
struct ArticlePage {
    article: ArticleView,
    description: String,
    beacon_url: String,
    /// The absolute canonical address.
    canonical: String,
    /// schema.org JSON-LD, already safe to place inside its script element.
    json_ld: String,
    share: ShareTags,
    /// The stream of a live story.
    live: Option<dateline_render::views::LiveView>,
    /// The player, transcript and chapters of a podcast episode.
    episode: Option<super::podcasts::EpisodeView>,
    /// The story's video: a player, or a facade that loads a platform's player on a click.
    video: Option<super::video::VideoView>,
    /// On the desk's preview only: the banner saying readers do not see this page.
    preview: Option<PreviewBanner>,
}

/// What the desk's preview says above the story.
#[derive(Serialize)]
struct PreviewBanner {
    /// The story's state in the desk's words (`Draft`, `Scheduled`…).
    status: &'static str,
    /// Back to the story's editor.
    desk_url: String,
}

/// Open Graph and Twitter card values.
#[derive(Serialize)]
struct ShareTags {
    site_name: String,
    image: Option<String>,
    image_width: Option<u32>,
    image_height: Option<u32>,
    image_alt: Option<String>,
    published: Option<String>,
    modified: Option<String>,
    section: String,
}

pub(crate) fn parse_id(text: &str) -> Result<ArticleId, WebError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).map(ArticleId).ok_or(WebError::NotFound)
}

/// Loads a story a reader may see, or says why not: removed stories are gone (410), every
/// other unpublished state is simply not there (404), whatever id is guessed.
pub(crate) async fn public_article(state: &AppState, id: ArticleId) -> Result<Article, WebError> {
    let article = state.store().article_by_id(id).await?;
    readers_may_see(state, &article)?;
    Ok(article)
}

/// [`public_article`] with which parts the story has, as its page (and the API's one story)
/// reads it.
pub(crate) async fn public_story(state: &AppState, id: ArticleId) -> Result<StoryForReaders, WebError> {
    let story = state.store().story_for_readers(id).await?;
    readers_may_see(state, &story.article)?;
    Ok(story)
}

fn readers_may_see(state: &AppState, article: &Article) -> Result<(), WebError> {
    if article.status == ArticleStatus::Removed {
        return Err(WebError::Gone);
    }
    if !article.is_public(state.now()) {
        return Err(WebError::NotFound);
    }
    Ok(())
}

pub(crate) async fn redirect_to_canonical(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let article = public_article(&state, parse_id(&id)?).await?;
    Ok(moved_permanently(&article_url(article.id, &article.content.slug)))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Path((id, slug)): Path<(String, String)>,
    Query(asked): Query<PageAsked>,
) -> Result<Response, WebError> {
    let page = super::requested_page(&asked)?;
    let StoryForReaders { article, has } = public_story(&state, parse_id(&id)?).await?;
    if article.content.slug.as_str() != slug {
        let url = article_url(article.id, &article.content.slug);
        return Ok(moved_permanently(&if page > 1 { format!("{url}?page={page}") } else { url }));
    }
    render(&state, &article, has, Audience::Reader, page).await
}

/// Who the article page is drawn for: readers count as views, the desk's preview does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Reader,
    Preview,
}

/// The article page exactly as readers get it; the desk's preview uses it too, so what an
/// editor previews is what readers will see. Only the parts the story `has` are looked for.
pub(crate) async fn render(
    state: &AppState,
    article: &Article,
    has: StoryHas,
    audience: Audience,
    page: u32,
) -> Result<Response, WebError> {
    tracing::Span::current().record("article.id", article.id.0);
    let chrome = chrome::load(state, state.now()).await?;
    // What the story is shared with: its own photo, else the paper's default share image.
    let shared_image = article.content.lead_media_id.or(chrome.share_image);
    let video = if has.video { super::video::video_of(state, article.id).await? } else { None };
    let poster = video.as_ref().and_then(super::video::poster_of);
    let body_photos = dateline_newsroom::body::photo_references(&article.content.body);
    let lead_media: Vec<_> =
        article.content.lead_media_id.into_iter().chain(shared_image).chain(poster).chain(body_photos).collect();
    chrome.shows(tag::story(article.id));
    for topic in &article.content.topics {
        chrome.shows(tag::topic(*topic));
    }
    let lookup = chrome::lookup_for(state, &chrome, &[], &article.content.bylines, &lead_media).await?;
    let corrections = if has.corrections { state.store().corrections_of(article.id).await? } else { Vec::new() };
    let body_html = state.render_work().body_html(&article.content.body).await;
    let view = ArticleView::with_body_html(article, &corrections, &lookup, &chrome.clock, body_html);
    let coverage = if has.live_coverage { super::live::coverage_of(state, article.id).await? } else { None };
    let (live, live_data) = match coverage {
        Some(coverage) => {
            let (stream, posts) = super::live::stream(state, &chrome, article, &coverage, page).await?;
            (Some(stream), Some(super::live::live_structured_data(state, article, &coverage, &posts)))
        }
        // Only a live story's page has further pages.
        None if page > 1 => return Err(WebError::NotFound),
        None => (None, None),
    };
    let episode = if has.podcast_episode { super::podcasts::episode_of(state, article.id).await? } else { None };
    if let Some((_, show)) = &episode {
        chrome.shows(tag::podcast(show.id));
    }
    let description = article
        .content
        .seo_description
        .clone()
        .or_else(|| article.content.deck.clone())
        .unwrap_or_else(|| plain_excerpt(&article.content.body, 30));
    if audience == Audience::Reader {
        // Its beacons count from now on without asking the database.
        state.views().mark_readable(article.id);
    }
    let beacon_url = match audience {
        Audience::Reader => format!("/_v/{}", article.id),
        Audience::Preview => String::new(),
    };
    let canonical = absolute(state, &if page > 1 { format!("{}?page={page}", view.url) } else { view.url.clone() });
    let shared_media = shared_image.and_then(|id| lookup.media.get(&id));
    let share_file = shared_media.map(ImageView::share_file);
    let published = view.published.as_ref().map(|t| t.datetime.clone());
    let modified = view.updated.as_ref().or(view.published.as_ref()).map(|t| t.datetime.clone());
    let section = view.breadcrumb.last().map(|c| c.name.clone()).unwrap_or_default();
    let episode_data =
        episode.as_ref().map(|(episode, show)| super::podcasts::episode_structured_data(state, article, show, episode));
    let video_data = video.as_ref().map(|v| {
        let fallback = lookup.image(shared_image).map(|i| absolute(state, &i.src));
        super::video::video_structured_data(state, article, v, &lookup, fallback)
    });
    let json_ld =
        structured_data(state, &chrome, article, &view, &lookup, &description, (live_data, episode_data, video_data));
    let share = ShareTags {
        site_name: chrome.site.name.clone(),
        image_alt: shared_media.map(|m| m.alt_text.clone()),
        image: share_file.as_ref().map(|f| absolute(state, &f.url)),
        image_width: share_file.as_ref().map(|f| f.width),
        image_height: share_file.as_ref().map(|f| f.height),
        published,
        modified,
        section,
    };
    let episode = episode.map(|(episode, show)| super::podcasts::episode_view(&show, &episode));
    let video = video.map(|v| super::video::video_view(&v, &lookup));
    let preview = (audience == Audience::Preview).then(|| PreviewBanner {
        status: dateline_render::views::status_title(article.status),
        desk_url: format!("/desk/stories/{}", article.id),
    });
    let content = ArticlePage {
        beacon_url,
        article: view,
        description,
        canonical,
        json_ld,
        share,
        live,
        episode,
        video,
        preview,
    };
    chrome.render(state, "article.html", content).await
}

/// The NewsArticle (or Opinion/Analysis kind), its publisher and breadcrumb as JSON-LD, and
/// what the page also holds: a live stream, a podcast episode, a video.
fn structured_data(
    state: &AppState,
    chrome: &chrome::Chrome,
    article: &Article,
    view: &ArticleView,
    lookup: &Lookup,
    description: &str,
    (live, episode, video): (
        Option<dateline_feeds::jsonld::LiveData>,
        Option<dateline_feeds::jsonld::EpisodeData>,
        Option<dateline_feeds::jsonld::VideoData>,
    ),
) -> String {
    let shared_image = article.content.lead_media_id.or(chrome.share_image);
    use dateline_feeds::jsonld::{article as article_ld, ArticleData, Image, Person, Publisher};
    let kind = match article.content.label {
        Some(Label::Opinion | Label::Editorial) => "OpinionNewsArticle",
        Some(Label::Analysis) => "AnalysisNewsArticle",
        _ => "NewsArticle",
    };
    let page_link = |slug: &str| {
        chrome.site.footer_pages.iter().find(|p| p.url == format!("/page/{slug}")).map(|p| absolute(state, &p.url))
    };
    let logo = state.theme().asset_url("logo.png").map(|u| absolute(state, &u)).unwrap_or_default();
    let published = view.published.as_ref().map(|t| t.datetime.clone()).unwrap_or_default();
    let data = ArticleData {
        kind,
        headline: view.headline.clone(),
        description: description.to_owned(),
        url: absolute(state, &view.url),
        images: shared_image
            .and_then(|id| lookup.media.get(&id))
            .map(ImageView::structured_data_files)
            .unwrap_or_default()
            .into_iter()
            .map(|file| Image { url: absolute(state, &file.url), width: file.width, height: file.height })
            .collect(),
        modified: view.updated.as_ref().map(|t| t.datetime.clone()).unwrap_or_else(|| published.clone()),
        published,
        authors: article
            .content
            .bylines
            .iter()
            .filter_map(|id| lookup.authors.get(id))
            .map(|a| Person {
                name: a.name.clone(),
                url: absolute(state, &author_url(&a.slug)),
                is_organization: a.kind == AuthorKind::Agency,
            })
            .collect(),
        section: view.breadcrumb.last().map(|c| c.name.clone()).unwrap_or_default(),
        language: chrome.site.language.clone(),
        publisher: Publisher {
            name: chrome.site.name.clone(),
            url: absolute(state, "/"),
            logo: Image { url: logo, width: 600, height: 60 },
            corrections_url: absolute(state, "/corrections"),
            ethics_url: page_link("ombudsman"),
            principles_url: page_link("copyright-policy"),
        },
        corrections: view.corrections.iter().map(|c| (c.text.clone(), c.published.datetime.clone())).collect(),
        breadcrumb: view.breadcrumb.iter().map(|c| (c.name.clone(), absolute(state, &c.url))).collect(),
        live,
        episode,
        video,
    };
    article_ld(&data)
}
