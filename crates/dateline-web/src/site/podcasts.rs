//! Podcasts on the reader site: the list of shows (`/podcasts/`), each show's page with a
//! player per episode (`/podcasts/{show}/`), its feed for podcast apps
//! (`/podcasts/{show}/feed.xml`), each episode's transcript and chapters files, and the
//! sound files themselves (`/audio/{key}`), served with byte ranges so that iOS and podcast
//! apps can seek, and counted as downloads the way the podcast industry counts them (see
//! `dateline_newsroom::podcasts::counts_as_download`; once per listener per UTC day, the
//! listener known only by a digest keyed with a secret and the day, never an address).
//!
//! The player is the browser's own `<audio>` element: no third-party script.

use super::chrome::{self, Chrome};
use super::feeds::absolute;
use crate::client::{client_address, Peer};
use crate::documents::document;
use crate::error::WebError;
use crate::page_cache::tag;
use crate::state::AppState;
use crate::view_counts::is_obvious_bot;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::Response;
use dateline_newsroom::podcasts::{clock, Episode, Show};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{Article, ArticleId, ArticleSummary};
use dateline_render::views::{article_url, plain_excerpt};
use serde::Serialize;

/// The newest episodes a feed and a show page list.
const EPISODES_LISTED: u32 = 300;
/// The name of the secret that keys listener digests.
const LISTENER_KEY: &str = "podcast-listeners";

pub(crate) fn show_path(show: &Show) -> String {
    format!("/podcasts/{}/", show.slug)
}

pub(crate) fn feed_path(slug: &str) -> String {
    format!("/podcasts/{slug}/feed.xml")
}

pub(crate) fn audio_path(key: &str) -> String {
    format!("/audio/{key}")
}

pub(crate) fn episode_file_path(show: &Show, episode: &Episode, file: &str) -> String {
    format!("/podcasts/{}/episodes/{}/{file}", show.slug, episode.article_id)
}

pub(crate) fn transcript_file(episode: &Episode) -> Option<String> {
    episode.details.transcript.as_ref().map(|t| format!("transcript.{}", t.format.as_str()))
}

/// An ISO 8601 duration (`PT1H2M3S`), as schema.org asks.
pub(crate) fn iso_duration(ms: u64) -> String {
    let s = ms / 1000;
    format!("PT{}H{}M{}S", s / 3600, s / 60 % 60, s % 60)
}

#[derive(Serialize)]
pub(crate) struct CueView {
    time: String,
    speaker: Option<String>,
    text: String,
}

#[derive(Serialize)]
pub(crate) struct ChapterView {
    time: String,
    seconds: u64,
    title: String,
}

/// What an episode's page and the show page show of it.
#[derive(Serialize)]
pub(crate) struct EpisodeView {
    pub show_title: String,
    pub show_url: String,
    pub feed_url: String,
    pub audio_url: String,
    pub audio_type: String,
    pub duration: String,
    pub duration_iso: String,
    pub episode_number: Option<u32>,
    pub season_number: Option<u32>,
    pub episode_type: &'static str,
    pub transcript: Vec<CueView>,
    pub transcript_url: Option<String>,
    pub chapters: Vec<ChapterView>,
}

pub(crate) fn episode_view(show: &Show, episode: &Episode) -> EpisodeView {
    EpisodeView {
        show_title: show.fields.title.clone(),
        show_url: show_path(show),
        feed_url: feed_path(show.slug.as_str()),
        audio_url: audio_path(&episode.audio.storage_key),
        audio_type: episode.audio.mime_type.clone(),
        duration: clock(episode.audio.duration_ms),
        duration_iso: iso_duration(episode.audio.duration_ms),
        episode_number: episode.details.episode_number,
        season_number: episode.details.season_number,
        episode_type: episode.details.episode_type.as_str(),
        transcript: episode
            .details
            .transcript
            .as_ref()
            .map(|t| {
                t.cues()
                    .into_iter()
                    .map(|c| CueView { time: clock(c.start_ms), speaker: c.speaker, text: c.text })
                    .collect()
            })
            .unwrap_or_default(),
        transcript_url: transcript_file(episode).map(|f| episode_file_path(show, episode, &f)),
        chapters: episode
            .details
            .chapters
            .iter()
            .map(|c| ChapterView { time: clock(c.start_ms), seconds: c.start_ms / 1000, title: c.title.clone() })
            .collect(),
    }
}

/// The episode a story is, with its show, if it is one.
pub(crate) async fn episode_of(state: &AppState, id: ArticleId) -> Result<Option<(Episode, Show)>, WebError> {
    match state.store().episode(id).await {
        Ok(episode) => {
            let show = state.store().show_by_id(episode.show_id).await?;
            Ok(Some((episode, show)))
        }
        Err(dateline_newsroom::StoreError::NotFound) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// What the article page's JSON-LD says of an episode.
pub(crate) fn episode_structured_data(
    state: &AppState,
    article: &Article,
    show: &Show,
    episode: &Episode,
) -> dateline_feeds::jsonld::EpisodeData {
    dateline_feeds::jsonld::EpisodeData {
        name: article.content.headline.clone(),
        url: absolute(state, &article_url(article.id, &article.content.slug)),
        duration: iso_duration(episode.audio.duration_ms),
        audio_url: absolute(state, &audio_path(&episode.audio.storage_key)),
        audio_type: episode.audio.mime_type.clone(),
        audio_bytes: episode.audio.byte_size,
        episode_number: episode.details.episode_number,
        series_name: show.fields.title.clone(),
        series_url: absolute(state, &show_path(show)),
        series_feed: absolute(state, &feed_path(show.slug.as_str())),
        transcript: episode
            .details
            .transcript
            .as_ref()
            .map(|t| t.cues().into_iter().map(|c| c.text).collect::<Vec<_>>().join(" ")),
    }
}

#[derive(Serialize)]
struct ShowCard {
    title: String,
    description: String,
    url: String,
    feed_url: String,
    artwork: Option<dateline_render::views::ImageView>,
}

#[derive(Serialize)]
struct ShowsPage {
    title: String,
    shows: Vec<ShowCard>,
}

/// `/podcasts/`: every show.
pub(crate) async fn list(State(state): State<AppState>) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    let shows = state.store().shows().await?;
    let artwork: Vec<_> = shows.iter().map(|s| s.fields.artwork_id).collect();
    let lookup = chrome::lookup_for(&state, &chrome, &[], &[], &artwork).await?;
    for show in &shows {
        chrome.shows(tag::podcast(show.id));
    }
    chrome.shows(tag::PODCASTS.to_owned());
    let cards = shows
        .iter()
        .map(|show| ShowCard {
            title: show.fields.title.clone(),
            description: show.fields.description.clone(),
            url: show_path(show),
            feed_url: feed_path(show.slug.as_str()),
            artwork: lookup.image(Some(show.fields.artwork_id)),
        })
        .collect();
    chrome.render(&state, "podcasts.html", ShowsPage { title: "Podcasts".into(), shows: cards }).await
}

#[derive(Serialize)]
struct EpisodeListing {
    headline: String,
    url: String,
    deck: String,
    published: dateline_render::time::TimeView,
    episode: EpisodeView,
}

#[derive(Serialize)]
struct ShowPage {
    title: String,
    show: ShowCard,
    category: String,
    author: String,
    episodes: Vec<EpisodeListing>,
}

/// A show, its public episodes (newest first) and the stories they are.
async fn show_and_episodes(
    state: &AppState,
    chrome: &Chrome,
    slug: &str,
) -> Result<(Show, Vec<(Episode, ArticleSummary)>), WebError> {
    let show = state.store().show_by_slug(slug).await?;
    chrome.shows(tag::podcast(show.id));
    chrome.shows(tag::in_section(show.fields.section_id));
    let episodes = state.store().public_episodes(show.id, chrome.now, EPISODES_LISTED).await?;
    let ids: Vec<ArticleId> = episodes.iter().map(|e| e.article_id).collect();
    let mut stories = state.store().public_by_ids(chrome.now, &ids).await?;
    let paired = episodes
        .into_iter()
        .filter_map(|episode| {
            let at = stories.iter().position(|s| s.id == episode.article_id)?;
            Some((episode, stories.swap_remove(at)))
        })
        .collect();
    Ok((show, paired))
}

/// `/podcasts/{show}/`: the show, and a player for each episode.
pub(crate) async fn show(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, WebError> {
    let chrome = chrome::load(&state, state.now()).await?;
    let (show, episodes) = show_and_episodes(&state, &chrome, &slug).await?;
    let stories: Vec<&ArticleSummary> = episodes.iter().map(|(_, s)| s).collect();
    let lookup = chrome::lookup_for(&state, &chrome, &stories, &[], &[show.fields.artwork_id]).await?;
    let listing = episodes
        .iter()
        .map(|(episode, story)| EpisodeListing {
            headline: story.headline.clone(),
            url: article_url(story.id, &story.slug),
            deck: story.deck.clone().unwrap_or_else(|| plain_excerpt(&story.excerpt, 40)),
            published: chrome.clock.time(story.first_published_at),
            episode: episode_view(&show, episode),
        })
        .collect();
    let content = ShowPage {
        title: show.fields.title.clone(),
        category: show.fields.category.as_text(),
        author: show.fields.author.clone(),
        show: ShowCard {
            title: show.fields.title.clone(),
            description: show.fields.description.clone(),
            url: show_path(&show),
            feed_url: feed_path(show.slug.as_str()),
            artwork: lookup.image(Some(show.fields.artwork_id)),
        },
        episodes: listing,
    };
    chrome.render(&state, "podcast.html", content).await
}

/// `/podcasts/{show}/feed.xml`: what podcast apps and directories read.
pub(crate) async fn feed(
    State(state): State<AppState>,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    if file != "feed.xml" {
        return Err(WebError::NotFound);
    }
    let chrome = chrome::load(&state, state.now()).await?;
    let (show, episodes) = show_and_episodes(&state, &chrome, &slug).await?;
    let stories: Vec<&ArticleSummary> = episodes.iter().map(|(_, s)| s).collect();
    let lookup = chrome::lookup_for(&state, &chrome, &stories, &[], &[show.fields.artwork_id]).await?;
    let artwork = state.store().media_by_id(show.fields.artwork_id).await?;
    let updated = episodes.iter().map(|(_, s)| s.last_public_change()).max().unwrap_or(show.created_at);
    let year = chrome.clock.time(chrome.now).datetime.chars().take(4).collect::<String>();
    let channel = dateline_feeds::podcast::PodcastChannel {
        title: show.fields.title.clone(),
        description: show.fields.description.clone(),
        page_url: absolute(&state, &show_path(&show)),
        feed_url: absolute(&state, &feed_path(show.slug.as_str())),
        artwork_url: absolute(&state, &dateline_render::views::media_url(&artwork.storage_key)),
        language: show.fields.language.clone(),
        category: (show.fields.category.top.clone(), show.fields.category.sub.clone()),
        explicit: show.fields.explicit,
        author: show.fields.author.clone(),
        owner_name: show.fields.owner_name.clone(),
        owner_email: show.fields.owner_email.clone(),
        copyright: format!("© {year} {}", chrome.site.owner),
        guid: show.guid.clone(),
        locked: show.fields.locked,
        updated,
    };
    let items: Vec<_> = episodes
        .iter()
        .map(|(episode, story)| dateline_feeds::podcast::PodcastItem {
            title: story.headline.clone(),
            description: story.deck.clone().unwrap_or_else(|| plain_excerpt(&story.excerpt, 60)),
            page_url: absolute(&state, &article_url(story.id, &story.slug)),
            guid: episode.guid.clone(),
            published: story.first_published_at,
            audio_url: absolute(&state, &audio_path(&episode.audio.storage_key)),
            audio_bytes: episode.audio.byte_size,
            audio_type: episode.audio.mime_type.clone(),
            duration_seconds: (episode.audio.duration_ms + 500) / 1000,
            episode: episode.details.episode_number,
            season: episode.details.season_number,
            episode_type: episode.details.episode_type.as_str().to_owned(),
            authors: story.bylines.iter().filter_map(|id| lookup.authors.get(id)).map(|a| a.name.clone()).collect(),
            transcript: episode.details.transcript.as_ref().map(|t| {
                let file = format!("transcript.{}", t.format.as_str());
                (absolute(&state, &episode_file_path(&show, episode, &file)), t.format.mime_type().to_owned())
            }),
            chapters_url: (!episode.details.chapters.is_empty())
                .then(|| absolute(&state, &episode_file_path(&show, episode, "chapters.json"))),
            image_url: None,
        })
        .collect();
    let body = dateline_feeds::podcast::podcast_rss(&channel, &items);
    Ok(document(body, Some(updated), "application/rss+xml; charset=utf-8", "public, max-age=300", chrome.take_shows()))
}

/// `/podcasts/{show}/episodes/{id}/transcript.vtt|srt` and `…/chapters.json`.
pub(crate) async fn episode_file(
    State(state): State<AppState>,
    Path((slug, id, file)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let id = super::article::parse_id(&id)?;
    let article = super::article::public_article(&state, id).await?;
    let (episode, show) = episode_of(&state, article.id).await?.ok_or(WebError::NotFound)?;
    if show.slug.as_str() != slug {
        return Err(WebError::NotFound);
    }
    let chrome = chrome::load(&state, state.now()).await?;
    chrome.shows(tag::story(article.id));
    chrome.shows(tag::podcast(show.id));
    let (body, content_type) = if file == "chapters.json" && !episode.details.chapters.is_empty() {
        let chapters: Vec<(u64, String)> =
            episode.details.chapters.iter().map(|c| (c.start_ms, c.title.clone())).collect();
        (dateline_feeds::podcast::chapters_json(&chapters), "application/json+chapters")
    } else if let Some(transcript) =
        episode.details.transcript.as_ref().filter(|_| Some(&file) == transcript_file(&episode).as_ref())
    {
        let content_type = match transcript.format {
            dateline_newsroom::podcasts::TranscriptFormat::WebVtt => "text/vtt; charset=utf-8",
            dateline_newsroom::podcasts::TranscriptFormat::Srt => "application/x-subrip; charset=utf-8",
        };
        (transcript.text.clone(), content_type)
    } else {
        return Err(WebError::NotFound);
    };
    let mut response =
        document(body, Some(article.modified_at), content_type, "public, max-age=300", chrome.take_shows());
    response.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}

/// The strong validator of a stored sound file: a file's key is never reused, and its bytes
/// never change once stored.
fn audio_etag(audio: &dateline_newsroom::podcasts::AudioFile) -> String {
    format!("\"a{}-{}\"", audio.id, audio.byte_size)
}

/// `/audio/{key}`: an episode's sound, whole or in the range asked for, counted as a
/// download when it is one.
pub(crate) async fn audio_file(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Peer(peer): Peer,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if !super::streams::plausible_key(&key) {
        return Err(WebError::NotFound);
    }
    let (episode, audio) = match state.store().episode_by_audio_key(&key).await {
        Ok(found) => found,
        Err(dateline_newsroom::StoreError::NotFound) => return Err(WebError::NotFound),
        Err(other) => return Err(other.into()),
    };
    // A draft's or an embargoed episode's sound is not out before its story.
    super::article::public_article(&state, episode.article_id).await?;
    let file = super::streams::StoredFile {
        key: &key,
        size: audio.byte_size,
        mime_type: &audio.mime_type,
        etag: audio_etag(&audio),
    };
    let (response, served) = super::streams::respond(&state, &file, &method, &headers).await?;
    let user_agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    if let Some((start, end)) = served.filter(|_| method == Method::GET && !is_obvious_bot(user_agent)) {
        if dateline_newsroom::podcasts::counts_as_download(start, end.saturating_sub(1), &audio) {
            let day = state.now().strftime("%Y-%m-%d").to_string();
            let secret = state.store().server_secret(LISTENER_KEY).await?;
            let address = client_address(state.settings(), peer, &headers);
            let listener =
                dateline_newsroom::podcasts::listener_digest(&secret, &day, address, user_agent.unwrap_or(""));
            state.store().count_download(episode.article_id, &listener, &day).await?;
        }
    }
    Ok(response)
}
