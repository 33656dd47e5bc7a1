//! Podcasts on the desk: the shows (created and changed by editors), a show's episodes, a
//! new episode (its sound file uploaded with its headline, numbers, transcript and chapters;
//! it becomes a draft story in the show's section, written and published in the story editor
//! like any other), and an episode's details (`/desk/stories/{id}/episode`), where the sound
//! file can be replaced and the transcript changed.
//!
//! A sound file is checked whole before anything is stored (`dateline_intake::audio`); when
//! the story or the episode cannot be written, the file is removed again.

use super::session::{Desk, DeskForm};
use super::uploads::{read_sent_form, story_form, SentForm};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::response::{Html, Response};
use dateline_newsroom::accounts::Action;
use dateline_newsroom::editing::StoryDraft;
use dateline_newsroom::podcasts::{
    self as domain, artwork_fits, chapters_text, clock, Category, EpisodeDraft, EpisodeType, PodcastError, Show,
    ShowDraft,
};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, MediaId, SectionTree};
use serde::Serialize;
use std::collections::HashMap;

/// The most bytes a transcript field may bring.
const TRANSCRIPT_FIELD_BYTES: usize = domain::MAX_TRANSCRIPT_BYTES + 1;

#[derive(Serialize, Default)]
struct ShowForm {
    title: String,
    slug: String,
    description: String,
    artwork_id: String,
    category: String,
    language: String,
    explicit: bool,
    owner_name: String,
    owner_email: String,
    author: String,
    section_id: String,
    locked: bool,
}

impl ShowForm {
    fn of(show: &Show) -> Self {
        ShowForm {
            title: show.fields.title.clone(),
            slug: show.slug.to_string(),
            description: show.fields.description.clone(),
            artwork_id: show.fields.artwork_id.0.to_string(),
            category: show.fields.category.as_text(),
            language: show.fields.language.clone(),
            explicit: show.fields.explicit,
            owner_name: show.fields.owner_name.clone(),
            owner_email: show.fields.owner_email.clone(),
            author: show.fields.author.clone(),
            section_id: show.fields.section_id.0.to_string(),
            locked: show.fields.locked,
        }
    }

    fn from_form(form: &super::form::FormData) -> Self {
        ShowForm {
            title: form.get("title").to_owned(),
            slug: form.get("slug").to_owned(),
            description: form.get("description").to_owned(),
            artwork_id: form.get("artwork_id").to_owned(),
            category: form.get("category").to_owned(),
            language: form.get("language").to_owned(),
            explicit: !form.get("explicit").is_empty(),
            owner_name: form.get("owner_name").to_owned(),
            owner_email: form.get("owner_email").to_owned(),
            author: form.get("author").to_owned(),
            section_id: form.get("section_id").to_owned(),
            locked: !form.get("locked").is_empty(),
        }
    }

    fn draft(&self) -> ShowDraft {
        ShowDraft {
            title: self.title.clone(),
            slug: self.slug.clone(),
            description: self.description.clone(),
            artwork_id: self.artwork_id.clone(),
            category: self.category.clone(),
            language: self.language.clone(),
            explicit: self.explicit,
            owner_name: self.owner_name.clone(),
            owner_email: self.owner_email.clone(),
            author: self.author.clone(),
            section_id: self.section_id.clone(),
            locked: self.locked,
        }
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    name: String,
}

#[derive(Serialize)]
struct ShowRow {
    id: i64,
    title: String,
    url: String,
    feed_url: String,
}

#[derive(Serialize)]
struct ShowsPage {
    shows: Vec<ShowRow>,
    form: ShowForm,
    id: Option<i64>,
    choices: FormChoices,
    errors: Vec<String>,
    may_manage: bool,
}

#[derive(Serialize)]
struct FormChoices {
    categories: Vec<Choice>,
    sections: Vec<Choice>,
    artwork: Vec<Choice>,
}

async fn form_choices(state: &AppState, form: &ShowForm) -> Result<FormChoices, WebError> {
    let tree = SectionTree::new(state.store().sections().await?);
    let sections = super::stories::section_choices(&tree)
        .into_iter()
        .map(|c| Choice { value: c.id.to_string(), name: c.name })
        .collect();
    // Artwork is a square photo of the size podcast apps ask for: only those are offered.
    let chosen: Vec<MediaId> = form.artwork_id.parse().ok().map(MediaId).into_iter().collect();
    let photos = super::stories::library_photos_keeping(state.store(), 1000, &chosen).await?;
    let artwork = photos
        .iter()
        .filter(|m| artwork_fits(m.width, m.height))
        .map(|m| Choice {
            value: m.id.0.to_string(),
            name: format!(
                "{} ({}×{})",
                if m.caption.is_empty() { &m.storage_key } else { &m.caption },
                m.width,
                m.height
            ),
        })
        .collect();
    let categories = Category::all().into_iter().map(|c| Choice { value: c.as_text(), name: c.as_text() }).collect();
    Ok(FormChoices { categories, sections, artwork })
}

fn problems(error: PodcastError) -> Result<Vec<String>, WebError> {
    match error {
        PodcastError::Invalid(errors) => {
            Ok(errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect())
        }
        PodcastError::NotAllowed => Err(WebError::Forbidden),
        PodcastError::Store(dateline_newsroom::StoreError::Conflict(why)) => Ok(vec![why]),
        PodcastError::Store(other) => Err(other.into()),
    }
}

async fn shows_page(
    state: &AppState,
    desk: &Desk,
    form: ShowForm,
    errors: Vec<String>,
) -> Result<Html<String>, WebError> {
    let shows = state
        .store()
        .shows()
        .await?
        .iter()
        .map(|s| ShowRow {
            id: s.id,
            title: s.fields.title.clone(),
            url: crate::site::podcasts::show_path(s),
            feed_url: crate::site::podcasts::feed_path(s.slug.as_str()),
        })
        .collect();
    let choices = form_choices(state, &form).await?;
    let content = ShowsPage {
        choices,
        shows,
        form,
        id: None,
        errors,
        may_manage: desk.session.user.role.may(Action::ManagePodcasts),
    };
    desk.render(state, "desk/podcasts.html", content).await
}

/// `/desk/podcasts`: the shows, and a form for a new one.
pub(crate) async fn list(State(state): State<AppState>, desk: Desk) -> Result<Html<String>, WebError> {
    let form = ShowForm {
        language: state.store().settings().await?.language.clone(),
        locked: true,
        category: "News".into(),
        ..ShowForm::default()
    };
    shows_page(&state, &desk, form, Vec::new()).await
}

pub(crate) async fn create(
    State(state): State<AppState>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let form = ShowForm::from_form(&form);
    let feed_url_of = |slug: &dateline_newsroom::Slug| {
        crate::site::feeds::absolute(&state, &crate::site::podcasts::feed_path(slug.as_str()))
    };
    match domain::create_show(state.store(), &desk.session.user, &form.draft(), feed_url_of, state.now()).await {
        Ok(show) => Ok(super::see_other(&format!("/desk/podcasts/{}", show.id))),
        Err(error) => {
            let errors = problems(error)?;
            Ok(super::unprocessable(shows_page(&state, &desk, form, errors).await?))
        }
    }
}

#[derive(Serialize)]
struct EpisodeRow {
    id: i64,
    headline: String,
    status: String,
    number: Option<u32>,
    duration: String,
    downloads: u64,
}

#[derive(Serialize, Default)]
struct EpisodeForm {
    headline: String,
    deck: String,
    episode_number: String,
    season_number: String,
    episode_type: String,
    chapters: String,
}

#[derive(Serialize)]
struct ShowPage {
    show_id: i64,
    title: String,
    url: String,
    feed_url: String,
    form: ShowForm,
    id: Option<i64>,
    choices: FormChoices,
    errors: Vec<String>,
    episode_errors: Vec<String>,
    episode: EpisodeForm,
    episodes: Vec<EpisodeRow>,
    episode_types: Vec<&'static str>,
    may_manage: bool,
    max_audio_mb: usize,
}

async fn show_page(
    state: &AppState,
    desk: &Desk,
    show: &Show,
    form: ShowForm,
    errors: Vec<String>,
    episode: EpisodeForm,
    episode_errors: Vec<String>,
) -> Result<Html<String>, WebError> {
    let store = state.store();
    let episodes = store.show_episodes(show.id, 500).await?;
    let ids: Vec<ArticleId> = episodes.iter().map(|e| e.article_id).collect();
    let counts: HashMap<ArticleId, u64> = store.download_counts(&ids).await?.into_iter().collect();
    let mut rows = Vec::new();
    for episode in &episodes {
        let story = store.article_by_id(episode.article_id).await?;
        rows.push(EpisodeRow {
            id: episode.article_id.0,
            headline: story.content.headline.clone(),
            status: story.status.as_str().to_owned(),
            number: episode.details.episode_number,
            duration: clock(episode.audio.duration_ms),
            downloads: counts.get(&episode.article_id).copied().unwrap_or(0),
        });
    }
    let choices = form_choices(state, &form).await?;
    let content = ShowPage {
        choices,
        show_id: show.id,
        title: show.fields.title.clone(),
        url: crate::site::podcasts::show_path(show),
        feed_url: crate::site::podcasts::feed_path(show.slug.as_str()),
        form,
        id: Some(show.id),
        errors,
        episode_errors,
        episode,
        episodes: rows,
        episode_types: EpisodeType::ALL.iter().map(|t| t.as_str()).collect(),
        may_manage: desk.session.user.role.may(Action::ManagePodcasts),
        max_audio_mb: state.settings().ingest.max_audio_bytes / (1024 * 1024),
    };
    desk.render(state, "desk/podcast.html", content).await
}

fn show_id(text: &str) -> Result<i64, WebError> {
    text.parse::<i64>().ok().filter(|id| *id > 0).ok_or(WebError::NotFound)
}

/// `/desk/podcasts/{id}`: a show's details, its episodes, and a form for a new episode.
pub(crate) async fn show(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let show = state.store().show_by_id(show_id(&id)?).await?;
    let episode = EpisodeForm { episode_type: "full".into(), ..EpisodeForm::default() };
    show_page(&state, &desk, &show, ShowForm::of(&show), Vec::new(), episode, Vec::new()).await
}

pub(crate) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    DeskForm { desk, form }: DeskForm,
) -> Result<Response, WebError> {
    let id = show_id(&id)?;
    let form = ShowForm::from_form(&form);
    match domain::update_show(state.store(), &desk.session.user, id, &form.draft()).await {
        Ok(show) => Ok(super::see_other(&format!("/desk/podcasts/{}?saved=1", show.id))),
        Err(error) => {
            let errors = problems(error)?;
            let show = state.store().show_by_id(id).await?;
            let episode = EpisodeForm { episode_type: "full".into(), ..EpisodeForm::default() };
            Ok(super::unprocessable(show_page(&state, &desk, &show, form, errors, episode, Vec::new()).await?))
        }
    }
}

fn episode_draft(sent: &mut SentForm) -> EpisodeDraft {
    EpisodeDraft {
        episode_number: sent.get("episode_number").to_owned(),
        season_number: sent.get("season_number").to_owned(),
        episode_type: sent.get("episode_type").to_owned(),
        chapters: sent.get("chapters").to_owned(),
        transcript_upload: sent.file("transcript").map(|f| f.bytes),
        remove_transcript: !sent.get("remove_transcript").is_empty(),
    }
}

fn too_large_message(field: &str, audio_limit: usize) -> String {
    match field {
        "audio" => format!("audio: The sound file is larger than {} MB.", audio_limit / (1024 * 1024)),
        _ => format!("transcript: A transcript is at most {} MB.", domain::MAX_TRANSCRIPT_BYTES / (1024 * 1024)),
    }
}

/// `POST /desk/podcasts/{id}/episodes`: a new episode from its sound file.
pub(crate) async fn create_episode(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let audio_limit = state.settings().ingest.max_audio_bytes;
    let mut sent = read_sent_form(multipart, &[("audio", audio_limit), ("transcript", TRANSCRIPT_FIELD_BYTES)]).await?;
    desk.check_csrf(sent.get("csrf"))?;
    desk.require(Action::WriteDraft)?;
    let show = state.store().show_by_id(show_id(&id)?).await?;
    let form = EpisodeForm {
        headline: sent.get("headline").to_owned(),
        deck: sent.get("deck").to_owned(),
        episode_number: sent.get("episode_number").to_owned(),
        season_number: sent.get("season_number").to_owned(),
        episode_type: sent.get("episode_type").to_owned(),
        chapters: sent.get("chapters").to_owned(),
    };
    let refuse = |errors: Vec<String>, form: EpisodeForm| async {
        let page = show_page(&state, &desk, &show, ShowForm::of(&show), Vec::new(), form, errors).await?;
        Ok::<Response, WebError>(super::unprocessable(page))
    };
    if let Some(field) = sent.too_large {
        return refuse(vec![too_large_message(field, audio_limit)], form).await;
    }
    let Some(audio) = sent.file("audio") else {
        return refuse(vec!["audio: Choose the episode's sound file (MP3, M4A or Opus).".into()], form).await;
    };
    let draft = episode_draft(&mut sent);
    // Numbers and transcript are checked before the sound is decoded and stored.
    if let Err(errors) = domain::check_episode(&draft, u64::MAX, None) {
        return refuse(errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect(), form).await;
    }
    let kept =
        match dateline_intake::audio::keep(state.intake(), audio.bytes, &audio.content_type, &audio.name, state.now())
            .await
        {
            Ok(kept) => kept,
            Err(problem) => return refuse(vec![format!("audio: {problem}.")], form).await,
        };
    let details = match domain::check_episode(&draft, kept.duration_ms, None) {
        Ok(details) => details,
        Err(errors) => {
            dateline_intake::audio::discard(state.intake(), &kept).await;
            return refuse(errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect(), form).await;
        }
    };
    let story = StoryDraft {
        headline: form.headline.clone(),
        deck: form.deck.clone(),
        slug: String::new(),
        section_id: Some(show.fields.section_id),
        bylines: desk.session.user.author_id.into_iter().collect(),
        label: None,
        topics: Vec::new(),
        lead_media_id: None,
        body: String::new(),
        seo_title: String::new(),
        seo_description: String::new(),
        dateline: String::new(),
        embargo_until: None,
    };
    match domain::create_episode(state.store(), &desk.session.user, show.id, &story, details, kept.clone(), state.now())
        .await
    {
        Ok(id) => Ok(super::see_other(&format!("/desk/stories/{id}"))),
        Err(error) => {
            dateline_intake::audio::discard(state.intake(), &kept).await;
            let errors = problems(error)?;
            refuse(errors, form).await
        }
    }
}

#[derive(Serialize)]
struct EpisodePage {
    story_id: i64,
    headline: String,
    show_title: String,
    show_id: i64,
    audio_url: String,
    audio_type: String,
    duration: String,
    megabytes: String,
    guid: String,
    form: EpisodeForm,
    transcript_cues: usize,
    episode_types: Vec<&'static str>,
    errors: Vec<String>,
    saved: bool,
    max_audio_mb: usize,
}

async fn episode_page(
    state: &AppState,
    desk: &Desk,
    id: ArticleId,
    form: Option<EpisodeForm>,
    errors: Vec<String>,
    saved: bool,
) -> Result<Html<String>, WebError> {
    let story = state.store().article_by_id(id).await?;
    if !dateline_newsroom::editing::may_see(&desk.session.user, &story) {
        return Err(WebError::Forbidden);
    }
    let episode = state.store().episode(id).await?;
    let show = state.store().show_by_id(episode.show_id).await?;
    let form = form.unwrap_or_else(|| EpisodeForm {
        headline: story.content.headline.clone(),
        deck: story.content.deck.clone().unwrap_or_default(),
        episode_number: episode.details.episode_number.map(|n| n.to_string()).unwrap_or_default(),
        season_number: episode.details.season_number.map(|n| n.to_string()).unwrap_or_default(),
        episode_type: episode.details.episode_type.as_str().to_owned(),
        chapters: chapters_text(&episode.details.chapters),
    });
    let content = EpisodePage {
        story_id: id.0,
        headline: story.content.headline.clone(),
        show_title: show.fields.title.clone(),
        show_id: show.id,
        audio_url: crate::site::podcasts::audio_path(&episode.audio.storage_key),
        audio_type: episode.audio.mime_type.clone(),
        duration: clock(episode.audio.duration_ms),
        megabytes: format!("{:.1}", episode.audio.byte_size as f64 / 1_048_576.0),
        guid: episode.guid.clone(),
        form,
        transcript_cues: episode.details.transcript.as_ref().map_or(0, |t| t.cues().len()),
        episode_types: EpisodeType::ALL.iter().map(|t| t.as_str()).collect(),
        errors,
        saved,
        max_audio_mb: state.settings().ingest.max_audio_bytes / (1024 * 1024),
    };
    desk.render(state, "desk/episode.html", content).await
}

/// `/desk/stories/{id}/episode`: the episode's sound, numbers, transcript and chapters.
pub(crate) async fn episode(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    crate::query::Query(asked): crate::query::Query<crate::query::SavedNotice>,
) -> Result<Html<String>, WebError> {
    episode_page(&state, &desk, super::stories::parse_story_id(&id)?, None, Vec::new(), asked.is_saved()).await
}

pub(crate) async fn update_episode(
    State(state): State<AppState>,
    desk: Desk,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let audio_limit = state.settings().ingest.max_audio_bytes;
    let limits = [("audio", audio_limit), ("transcript", TRANSCRIPT_FIELD_BYTES)];
    let (mut sent, story) = story_form(&state, &desk, &id, multipart, &limits).await?;
    let id = story.id;
    let current = state.store().episode(id).await?;
    let form = EpisodeForm {
        headline: story.content.headline.clone(),
        deck: story.content.deck.clone().unwrap_or_default(),
        episode_number: sent.get("episode_number").to_owned(),
        season_number: sent.get("season_number").to_owned(),
        episode_type: sent.get("episode_type").to_owned(),
        chapters: sent.get("chapters").to_owned(),
    };
    if let Some(field) = sent.too_large {
        let page =
            episode_page(&state, &desk, id, Some(form), vec![too_large_message(field, audio_limit)], false).await?;
        return Ok(super::unprocessable(page));
    }
    let new_audio = sent.file("audio");
    let draft = episode_draft(&mut sent);
    let kept = match new_audio {
        Some(audio) => {
            match dateline_intake::audio::keep(
                state.intake(),
                audio.bytes,
                &audio.content_type,
                &audio.name,
                state.now(),
            )
            .await
            {
                Ok(kept) => Some(kept),
                Err(problem) => {
                    let page =
                        episode_page(&state, &desk, id, Some(form), vec![format!("audio: {problem}.")], false).await?;
                    return Ok(super::unprocessable(page));
                }
            }
        }
        None => None,
    };
    let duration = kept.as_ref().map_or(current.audio.duration_ms, |k| k.duration_ms);
    let outcome = match domain::check_episode(&draft, duration, current.details.transcript.clone()) {
        Ok(details) => {
            domain::update_episode(state.store(), &desk.session.user, id, &details, kept.as_ref(), state.now())
                .await
                .map_err(problems)
        }
        Err(errors) => Err(Ok(errors.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect())),
    };
    match outcome {
        Ok(_) => Ok(super::see_other(&format!("/desk/stories/{id}/episode?saved=1"))),
        Err(problem) => {
            if let Some(kept) = &kept {
                dateline_intake::audio::discard(state.intake(), kept).await;
            }
            let errors = problem?;
            Ok(super::unprocessable(episode_page(&state, &desk, id, Some(form), errors, false).await?))
        }
    }
}
