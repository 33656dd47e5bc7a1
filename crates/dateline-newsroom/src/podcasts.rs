//! Podcasts: the paper's shows and their episodes.
//!
//! A show is what a podcast directory lists (title, artwork, category, owner); its feed is
//! the paper's own, so the paper keeps its listeners wherever it moves. An episode is a
//! story of kind "episode": an ordinary story (headline, deck, bylines, section, topics,
//! revisions, scheduling, embargo, corrections, publication) that also has a row here naming
//! its show, its sound file, its number and type, and optionally a transcript and chapters.
//! So an episode is published, corrected and found like any story, and shows on fronts, in
//! feeds and in search without a second path. The sound file's length is what the file
//! itself says (read by `dateline_media::audio`), never what a form claims.
//!
//! An episode's GUID is made once, when it is created, and never changes: podcast apps use
//! it to tell a new episode from an edited one. A show's `podcast:guid` is made once too,
//! from its feed's address at creation (Podcasting 2.0's UUIDv5 rule), so a show keeps it
//! when the paper changes its domain.

use crate::accounts::{Action, User};
use crate::article::{NewArticle, RevisionAuthor};
use crate::editing::FieldError;
use crate::ids::{ArticleId, MediaId, SectionId, Slug};
use crate::store::{Store, StoreError, StoreResult};
use crate::timed_text::single_line;
pub use crate::timed_text::{Cue, Transcript, TranscriptFormat, MAX_TRANSCRIPT_BYTES};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::future::Future;

pub const MAX_SHOW_TITLE_CHARS: usize = 200;
pub const MAX_SHOW_DESCRIPTION_CHARS: usize = 4000;
/// Apple's limits for show artwork: square, 1400 to 3000 pixels a side.
pub const ARTWORK_MIN_SIDE: u32 = 1400;
pub const ARTWORK_MAX_SIDE: u32 = 3000;
pub const MAX_CHAPTERS: usize = 200;

/// Apple Podcasts' categories and their subcategories, as its podcast guide lists them.
pub const APPLE_CATEGORIES: &[(&str, &[&str])] = &[
    ("Arts", &["Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"]),
    ("Business", &["Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit"]),
    ("Comedy", &["Comedy Interviews", "Improv", "Stand-Up"]),
    ("Education", &["Courses", "How To", "Language Learning", "Self-Improvement"]),
    ("Fiction", &["Comedy Fiction", "Drama", "Science Fiction"]),
    ("Government", &[]),
    ("History", &[]),
    ("Health & Fitness", &["Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality"]),
    ("Kids & Family", &["Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"]),
    (
        "Leisure",
        &["Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies", "Home & Garden", "Video Games"],
    ),
    ("Music", &["Music Commentary", "Music History", "Music Interviews"]),
    (
        "News",
        &[
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ],
    ),
    (
        "Religion & Spirituality",
        &["Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality"],
    ),
    (
        "Science",
        &[
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ],
    ),
    ("Society & Culture", &["Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships"]),
    (
        "Sports",
        &[
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ],
    ),
    ("Technology", &[]),
    ("True Crime", &[]),
    ("TV & Film", &["After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"]),
];

/// Whether a photo of this size can be a show's artwork: square, and as large as podcast
/// apps ask and no larger.
pub fn artwork_fits(width: u32, height: u32) -> bool {
    width == height && (ARTWORK_MIN_SIDE..=ARTWORK_MAX_SIDE).contains(&width)
}

/// A category as the desk names it: `News` or `News › Daily News`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub top: String,
    pub sub: Option<String>,
}

impl Category {
    /// Every category and subcategory Apple lists, in its order.
    pub fn all() -> Vec<Category> {
        let mut all = Vec::new();
        for (top, subs) in APPLE_CATEGORIES {
            all.push(Category { top: (*top).to_owned(), sub: None });
            all.extend(subs.iter().map(|sub| Category { top: (*top).to_owned(), sub: Some((*sub).to_owned()) }));
        }
        all
    }

    /// A category from its text (`News` or `News › Daily News`, `>` also accepted), only as
    /// Apple lists it.
    pub fn parse(text: &str) -> Option<Category> {
        let mut parts = text.split(['›', '>']).map(str::trim);
        let top = parts.next().filter(|t| !t.is_empty())?;
        let sub = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let (known_top, subs) = APPLE_CATEGORIES.iter().find(|(name, _)| *name == top)?;
        let sub = match sub {
            Some(sub) => Some((*subs.iter().find(|s| **s == sub)?).to_owned()),
            None => None,
        };
        Some(Category { top: (*known_top).to_owned(), sub })
    }

    pub fn as_text(&self) -> String {
        match &self.sub {
            Some(sub) => format!("{} › {sub}", self.top),
            None => self.top.clone(),
        }
    }
}

/// A podcast show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Show {
    pub id: i64,
    pub slug: Slug,
    pub fields: ShowFields,
    /// Podcasting 2.0's `podcast:guid`, made once from the feed's first address.
    pub guid: String,
    pub created_at: Timestamp,
}

/// What the desk sets of a show, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowFields {
    pub title: String,
    pub description: String,
    pub artwork_id: MediaId,
    pub category: Category,
    /// A language tag (`en`, `en-GB`, `ko`).
    pub language: String,
    pub explicit: bool,
    pub owner_name: String,
    pub owner_email: String,
    /// Who the directories name as the show's author (the paper, usually).
    pub author: String,
    pub section_id: SectionId,
    /// `podcast:locked`: other hosts may not import the feed.
    pub locked: bool,
}

/// A show as the desk's form sends it: unchecked text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowDraft {
    pub title: String,
    pub slug: String,
    pub description: String,
    pub artwork_id: String,
    pub category: String,
    pub language: String,
    pub explicit: bool,
    pub owner_name: String,
    pub owner_email: String,
    pub author: String,
    pub section_id: String,
    pub locked: bool,
}

/// What a show's checks need of the paper, looked up by the caller.
pub struct ShowContext<'a> {
    /// The artwork's size, if the chosen photo exists: (width, height).
    pub artwork_size: Option<(u32, u32)>,
    pub section_exists: bool,
    /// Slugs other shows have.
    pub slugs_taken: &'a [String],
}

fn field(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError { field, message: message.into() }
}

/// A language tag of the shape RSS and Apple accept: two or three letters, optionally a
/// region or script (`en`, `en-GB`, `zh-Hant`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_email(address: &str) -> bool {
    match address.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !address.chars().any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        }
        None => false,
    }
}

/// Checks a show draft; the slug is checked too (the feed's address is made of it).
pub fn check_show(draft: &ShowDraft, context: &ShowContext<'_>) -> Result<(Slug, ShowFields), Vec<FieldError>> {
    let mut errors = Vec::new();
    let title = single_line(&draft.title);
    if title.is_empty() {
        errors.push(field("title", "A show needs a title."));
    } else if title.chars().count() > MAX_SHOW_TITLE_CHARS {
        errors.push(field("title", format!("At most {MAX_SHOW_TITLE_CHARS} characters.")));
    }
    let slug_text = if draft.slug.trim().is_empty() {
        Slug::suggest(&title).map(|s| s.to_string()).unwrap_or_default()
    } else {
        draft.slug.trim().to_owned()
    };
    let slug = match Slug::parse(&slug_text) {
        Ok(slug) if context.slugs_taken.iter().any(|s| *s == slug.as_str()) => {
            errors.push(field("slug", "Another show has this address."));
            None
        }
        Ok(slug) => Some(slug),
        Err(e) => {
            errors.push(field("slug", e.to_string()));
            None
        }
    };
    let description = draft.description.trim().to_owned();
    if description.is_empty() {
        errors.push(field("description", "Directories show a description: write one."));
    } else if description.chars().count() > MAX_SHOW_DESCRIPTION_CHARS {
        errors.push(field("description", format!("At most {MAX_SHOW_DESCRIPTION_CHARS} characters.")));
    }
    let artwork_id = draft.artwork_id.trim().parse::<i64>().ok().map(MediaId);
    match (artwork_id, context.artwork_size) {
        (None, _) => errors.push(field("artwork_id", "Choose the show's artwork (a square photo from the library).")),
        (Some(_), None) => errors.push(field("artwork_id", "There is no photo with this number.")),
        (Some(_), Some((w, h))) if w != h => {
            errors.push(field("artwork_id", format!("The artwork must be square; this photo is {w}×{h}.")))
        }
        (Some(_), Some((w, _))) if !(ARTWORK_MIN_SIDE..=ARTWORK_MAX_SIDE).contains(&w) => errors.push(field(
            "artwork_id",
            format!("Podcast apps ask for artwork {ARTWORK_MIN_SIDE} to {ARTWORK_MAX_SIDE} pixels a side; this photo is {w}×{w}."),
        )),
        _ => {}
    }
    let category = Category::parse(&draft.category);
    if category.is_none() {
        errors.push(field("category", "Choose a category from Apple's list."));
    }
    let language = draft.language.trim().to_owned();
    if !is_language_tag(&language) {
        errors.push(field("language", "A language tag such as en, en-GB or ko."));
    }
    let owner_name = single_line(&draft.owner_name);
    if owner_name.is_empty() {
        errors.push(field("owner_name", "Directories write to the owner: give a name."));
    }
    let owner_email = draft.owner_email.trim().to_owned();
    if !is_email(&owner_email) {
        errors.push(field("owner_email", "An e-mail address the directories can write to."));
    }
    let author = single_line(&draft.author);
    if author.is_empty() {
        errors.push(field("author", "Name the show's author (the paper's name will do)."));
    }
    let section_id = draft.section_id.trim().parse::<i64>().ok().map(SectionId);
    if section_id.is_none() || !context.section_exists {
        errors.push(field("section_id", "Choose the section the show's episodes belong to."));
    }
    match (errors.is_empty(), slug, artwork_id, category, section_id) {
        (true, Some(slug), Some(artwork_id), Some(category), Some(section_id)) => Ok((
            slug,
            ShowFields {
                title,
                description,
                artwork_id,
                category,
                language,
                explicit: draft.explicit,
                owner_name,
                owner_email,
                author,
                section_id,
                locked: draft.locked,
            },
        )),
        _ => Err(errors),
    }
}

/// Podcasting 2.0's `podcast:guid` for a feed address: a UUIDv5 of the address without its
/// scheme and trailing slashes, in the namespace the specification fixes.
pub fn feed_guid(feed_url: &str) -> String {
    use sha1::{Digest, Sha1};
    const NAMESPACE: [u8; 16] =
        [0xea, 0xd4, 0xc2, 0x36, 0xbf, 0x58, 0x58, 0xc6, 0xa2, 0xc6, 0xa6, 0xb2, 0x8d, 0x12, 0x8c, 0xb6];
    let without_scheme = feed_url.split_once("://").map_or(feed_url, |(_, rest)| rest).trim_end_matches('/');
    let mut hasher = Sha1::new();
    hasher.update(NAMESPACE);
    hasher.update(without_scheme.as_bytes());
    let digest = hasher.finalize();
    let mut bytes: [u8; 16] = digest[..16].try_into().expect("sixteen bytes of a SHA-1");
    bytes[6] = (bytes[6] & 0x0F) | 0x50;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    uuid_text(&bytes)
}

fn uuid_text(bytes: &[u8; 16]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A fresh random (version 4) UUID, for an episode's GUID.
pub fn random_guid() -> String {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).expect("the system has randomness");
    bytes[6] = (bytes[6] & 0x0F) | 0x40;
    bytes[8] = (bytes[8] & 0x3F) | 0x80;
    uuid_text(&bytes)
}

/// An audio file as stored: its place in the media store and what was read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioFile {
    pub id: i64,
    pub storage_key: String,
    pub mime_type: String,
    pub byte_size: u64,
    pub duration_ms: u64,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudioFile {
    pub storage_key: String,
    pub mime_type: String,
    pub byte_size: u64,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EpisodeType {
    Full,
    Trailer,
    Bonus,
}

impl EpisodeType {
    pub const ALL: [EpisodeType; 3] = [EpisodeType::Full, EpisodeType::Trailer, EpisodeType::Bonus];

    /// As `itunes:episodeType` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeType::Full => "full",
            EpisodeType::Trailer => "trailer",
            EpisodeType::Bonus => "bonus",
        }
    }

    pub fn parse(text: &str) -> Option<EpisodeType> {
        EpisodeType::ALL.into_iter().find(|t| t.as_str() == text.trim())
    }
}

/// A chapter: where it starts and its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chapter {
    pub start_ms: u64,
    pub title: String,
}

/// Chapters as the desk writes them, one a line: `0:00 Title`, `12:30 Title`, `1:02:03 Title`.
pub fn read_chapters(text: &str, duration_ms: u64) -> Result<Vec<Chapter>, String> {
    let mut chapters: Vec<Chapter> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (time, title) =
            line.split_once(char::is_whitespace).ok_or_else(|| format!("{line:?} needs a time and a title."))?;
        let numbers: Option<Vec<u64>> = time.split(':').map(|p| p.parse().ok()).collect();
        let start_s = match numbers.as_deref() {
            Some([m, s]) if *s < 60 => m * 60 + s,
            Some([h, m, s]) if *m < 60 && *s < 60 => (h * 60 + m) * 60 + s,
            _ => return Err(format!("{time:?} is not a time like 12:30 or 1:02:03.")),
        };
        let start_ms = start_s * 1000;
        if start_ms >= duration_ms.max(1) {
            return Err(format!("The chapter at {time} starts after the episode ends."));
        }
        if chapters.last().is_some_and(|last| last.start_ms >= start_ms) {
            return Err(format!("The chapter at {time} is out of order."));
        }
        chapters.push(Chapter { start_ms, title: single_line(title) });
    }
    if chapters.len() > MAX_CHAPTERS {
        return Err(format!("At most {MAX_CHAPTERS} chapters."));
    }
    Ok(chapters)
}

/// Chapters back as the desk's text.
pub fn chapters_text(chapters: &[Chapter]) -> String {
    chapters.iter().map(|c| format!("{} {}", clock(c.start_ms), c.title)).collect::<Vec<_>>().join("\n")
}

/// A time as a listener reads it: `4:05` or `1:02:03`.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// What makes a story an episode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    pub article_id: ArticleId,
    pub show_id: i64,
    pub audio: AudioFile,
    pub details: EpisodeDetails,
    pub guid: String,
}

/// An episode's numbers, type, transcript and chapters: what the desk changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpisodeDetails {
    pub episode_number: Option<u32>,
    pub season_number: Option<u32>,
    pub episode_type: EpisodeType,
    pub transcript: Option<Transcript>,
    pub chapters: Vec<Chapter>,
}

/// The episode form's text, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpisodeDraft {
    pub episode_number: String,
    pub season_number: String,
    pub episode_type: String,
    pub chapters: String,
    /// A transcript file sent with the form, if any (`None` keeps the one there).
    pub transcript_upload: Option<Vec<u8>>,
    pub remove_transcript: bool,
}

/// Checks an episode form against the sound's length; `kept` is the transcript already there.
pub fn check_episode(
    draft: &EpisodeDraft,
    duration_ms: u64,
    kept: Option<Transcript>,
) -> Result<EpisodeDetails, Vec<FieldError>> {
    let mut errors = Vec::new();
    let number = |text: &str, name: &'static str, errors: &mut Vec<FieldError>| -> Option<u32> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        match text.parse::<u32>() {
            Ok(n) if (1..=100_000).contains(&n) => Some(n),
            _ => {
                errors.push(field(name, "A whole number from 1."));
                None
            }
        }
    };
    let episode_number = number(&draft.episode_number, "episode_number", &mut errors);
    let season_number = number(&draft.season_number, "season_number", &mut errors);
    let episode_type = if draft.episode_type.trim().is_empty() {
        Some(EpisodeType::Full)
    } else {
        EpisodeType::parse(&draft.episode_type)
    };
    if episode_type.is_none() {
        errors.push(field("episode_type", "Full, trailer or bonus."));
    }
    let chapters = read_chapters(&draft.chapters, duration_ms).unwrap_or_else(|e| {
        errors.push(field("chapters", e));
        Vec::new()
    });
    let transcript = match (&draft.transcript_upload, draft.remove_transcript) {
        (_, true) => None,
        (Some(bytes), false) if !bytes.is_empty() => match Transcript::read(bytes) {
            Ok(transcript) => Some(transcript),
            Err(e) => {
                errors.push(field("transcript", e));
                None
            }
        },
        _ => kept,
    };
    match (errors.is_empty(), episode_type) {
        (true, Some(episode_type)) => {
            Ok(EpisodeDetails { episode_number, season_number, episode_type, transcript, chapters })
        }
        _ => Err(errors),
    }
}

/// An episode about to be stored with its story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEpisode {
    pub show_id: i64,
    pub audio: NewAudioFile,
    pub details: EpisodeDetails,
    pub guid: String,
}

/// Whether a request for an episode's sound counts as a download, in the spirit of the IAB's
/// podcast measurement guidelines: not from a crawler, and covering the first minute of the
/// sound (or the whole file, if shorter), so that a player probing two bytes, or a seek into
/// the middle, is not a listener. Once per listener per day is the store's part.
pub fn counts_as_download(range_start: u64, range_end_inclusive: u64, audio: &AudioFile) -> bool {
    if audio.byte_size == 0 || audio.duration_ms == 0 {
        return false;
    }
    let bytes_per_minute = audio.byte_size.saturating_mul(60_000) / audio.duration_ms.max(1);
    let first_minute = bytes_per_minute.min(audio.byte_size);
    range_start == 0 && range_end_inclusive.saturating_add(1) >= first_minute
}

/// The digest a listener is counted by: keyed with the paper's secret and the day, so that
/// it cannot be turned back into an address nor followed from one day to the next.
pub fn listener_digest(secret: &str, day: &str, address: Option<std::net::IpAddr>, user_agent: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(day.as_bytes());
    mac.update(b"\n");
    mac.update(address.map(|a| a.to_string()).unwrap_or_default().as_bytes());
    mac.update(b"\n");
    mac.update(user_agent.as_bytes());
    mac.finalize().into_bytes().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Why a podcast use case did nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PodcastError {
    #[error("the podcast has problems: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("your role does not allow this")]
    NotAllowed,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::editing::EditError> for PodcastError {
    fn from(error: crate::editing::EditError) -> Self {
        match error {
            crate::editing::EditError::Invalid(errors) => PodcastError::Invalid(errors),
            crate::editing::EditError::NotAllowed => PodcastError::NotAllowed,
            crate::editing::EditError::Store(e) => PodcastError::Store(e),
            other => PodcastError::Invalid(vec![field("story", other.to_string())]),
        }
    }
}

async fn show_context_checked(
    store: &impl Store,
    draft: &ShowDraft,
    editing: Option<i64>,
) -> Result<(Slug, ShowFields), PodcastError> {
    let artwork_size = match draft.artwork_id.trim().parse::<i64>() {
        Ok(id) => match store.media_by_id(MediaId(id)).await {
            Ok(media) => Some((media.width, media.height)),
            Err(StoreError::NotFound) => None,
            Err(other) => return Err(other.into()),
        },
        Err(_) => None,
    };
    let section_exists = match draft.section_id.trim().parse::<i64>() {
        Ok(id) => store.sections().await?.iter().any(|s| s.id == SectionId(id)),
        Err(_) => false,
    };
    let slugs_taken: Vec<String> =
        store.shows().await?.into_iter().filter(|s| Some(s.id) != editing).map(|s| s.slug.to_string()).collect();
    let context = ShowContext { artwork_size, section_exists, slugs_taken: &slugs_taken };
    check_show(draft, &context).map_err(PodcastError::Invalid)
}

/// Creates a show; `feed_url` is the address its feed will have, from which its
/// `podcast:guid` is made once.
pub async fn create_show(
    store: &impl Store,
    actor: &User,
    draft: &ShowDraft,
    feed_url_of: impl Fn(&Slug) -> String,
    now: Timestamp,
) -> Result<Show, PodcastError> {
    if !actor.role.may(Action::ManagePodcasts) {
        return Err(PodcastError::NotAllowed);
    }
    let (slug, fields) = show_context_checked(store, draft, None).await?;
    let guid = feed_guid(&feed_url_of(&slug));
    Ok(store.insert_show(&slug, &fields, &guid, now).await?)
}

/// Changes a show's details; its `podcast:guid` stays what it was.
pub async fn update_show(store: &impl Store, actor: &User, id: i64, draft: &ShowDraft) -> Result<Show, PodcastError> {
    if !actor.role.may(Action::ManagePodcasts) {
        return Err(PodcastError::NotAllowed);
    }
    store.show_by_id(id).await?;
    let (slug, fields) = show_context_checked(store, draft, Some(id)).await?;
    Ok(store.update_show(id, &slug, &fields).await?)
}

/// Creates an episode: a draft story in the show's section (unless the draft names another)
/// with its sound file and details, in one write. The sound file is already in the media
/// store; the caller removes it again if this fails.
pub async fn create_episode(
    store: &impl Store,
    actor: &User,
    show_id: i64,
    story: &crate::editing::StoryDraft,
    details: EpisodeDetails,
    audio: NewAudioFile,
    now: Timestamp,
) -> Result<ArticleId, PodcastError> {
    if !actor.role.may(Action::WriteDraft) {
        return Err(PodcastError::NotAllowed);
    }
    let show = store.show_by_id(show_id).await?;
    let mut story = story.clone();
    story.section_id = story.section_id.or(Some(show.fields.section_id));
    let content = crate::editing::check_draft(store, &story).await?;
    let new = NewArticle {
        content,
        status: crate::article::ArticleStatus::Draft,
        embargo_until: story.embargo_until,
        publish_at: None,
        first_published_at: None,
        last_public_update_at: None,
        created_at: now,
        made_by: RevisionAuthor { user_id: Some(actor.id), name: actor.name.clone() },
    };
    let episode = NewEpisode { show_id, audio, details, guid: random_guid() };
    Ok(store.insert_episode_story(&new, &episode, now).await?)
}

/// Changes an episode's details (and its sound, with `new_audio`): whoever may edit the story.
pub async fn update_episode(
    store: &impl Store,
    actor: &User,
    id: ArticleId,
    details: &EpisodeDetails,
    new_audio: Option<&NewAudioFile>,
    now: Timestamp,
) -> Result<Episode, PodcastError> {
    let article = store.article_by_id(id).await?;
    if !crate::editing::may_edit(actor, &article) {
        return Err(PodcastError::NotAllowed);
    }
    store.episode(id).await?;
    Ok(store.update_episode(id, details, new_audio, now).await?)
}

/// Shows and episodes as stored.
pub trait PodcastStore {
    fn insert_show(
        &self,
        slug: &Slug,
        fields: &ShowFields,
        guid: &str,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Show>> + Send;
    fn update_show(&self, id: i64, slug: &Slug, fields: &ShowFields) -> impl Future<Output = StoreResult<Show>> + Send;
    /// Every show, by title.
    fn shows(&self) -> impl Future<Output = StoreResult<Vec<Show>>> + Send;
    fn show_by_id(&self, id: i64) -> impl Future<Output = StoreResult<Show>> + Send;
    fn show_by_slug(&self, slug: &str) -> impl Future<Output = StoreResult<Show>> + Send;

    /// Writes the story, its sound file's record and its episode row in one transaction.
    fn insert_episode_story(
        &self,
        story: &crate::article::NewArticle,
        episode: &NewEpisode,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<ArticleId>> + Send;
    /// Changes an episode's details, and its sound when `new_audio` is given.
    fn update_episode(
        &self,
        id: ArticleId,
        details: &EpisodeDetails,
        new_audio: Option<&NewAudioFile>,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Episode>> + Send;
    /// The episode a story is, or `NotFound` for a story that is not one.
    fn episode(&self, id: ArticleId) -> impl Future<Output = StoreResult<Episode>> + Send;
    /// A show's episodes in every state (drafts too), newest first, at most `limit`.
    fn show_episodes(&self, show_id: i64, limit: u32) -> impl Future<Output = StoreResult<Vec<Episode>>> + Send;
    /// The episodes among these stories.
    fn episodes_of(&self, ids: &[ArticleId]) -> impl Future<Output = StoreResult<Vec<Episode>>> + Send;
    /// A show's episodes readers may hear at `now`, newest first, at most `limit`.
    fn public_episodes(
        &self,
        show_id: i64,
        now: Timestamp,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<Episode>>> + Send;
    /// The episode whose sound is this file (the current one or an earlier one).
    fn episode_by_audio_key(&self, key: &str) -> impl Future<Output = StoreResult<(Episode, AudioFile)>> + Send;
    /// Counts a download of `episode` by `listener` (a keyed digest, never an address) on
    /// `day`; a second one the same day does not count. True when it counted.
    fn count_download(
        &self,
        episode: ArticleId,
        listener: &str,
        day: &str,
    ) -> impl Future<Output = StoreResult<bool>> + Send;
    /// How many downloads each of these episodes has had.
    fn download_counts(&self, ids: &[ArticleId]) -> impl Future<Output = StoreResult<Vec<(ArticleId, u64)>>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_only_apples() {
        assert_eq!(
            Category::parse("News › Daily News"),
            Some(Category { top: "News".into(), sub: Some("Daily News".into()) })
        );
        assert_eq!(Category::parse("News > Politics").map(|c| c.as_text()), Some("News › Politics".into()));
        assert_eq!(Category::parse("Technology").map(|c| c.sub), Some(None));
        for bad in ["", "Cooking", "News › Cooking", "News › Daily News › More", "Daily News"] {
            assert_eq!(Category::parse(bad), None, "{bad}");
        }
        assert!(Category::all().len() > 100);
    }

    #[test]
    fn the_feed_guid_follows_podcasting_2_0s_rule() {
        // As Python's uuid.uuid5 makes it from the namespace the specification fixes.
        assert_eq!(feed_guid("https://podcastindex.org/namespace/1.0"), "0b20eef2-824a-5f6a-bc6b-68f611056e0c");
        assert_eq!(feed_guid("podcastindex.org/namespace/1.0/"), feed_guid("http://podcastindex.org/namespace/1.0"));
    }

    #[test]
    fn chapters_must_be_in_order_and_inside_the_episode() {
        let chapters = read_chapters("0:00 Opening\n1:30 The markets\n1:02:03 Late", 4 * 3600 * 1000).expect("read");
        assert_eq!(chapters.len(), 3);
        assert_eq!(chapters[2].start_ms, 3723 * 1000);
        assert_eq!(chapters_text(&chapters), "0:00 Opening\n1:30 The markets\n1:02:03 Late");
        assert!(read_chapters("1:30 Later\n0:10 Earlier", 600_000).is_err());
        assert!(read_chapters("20:00 After the end", 600_000).is_err());
        assert!(read_chapters("soon Something", 600_000).is_err());
    }

    #[test]
    fn a_probe_of_two_bytes_or_a_seek_is_not_a_download() {
        let audio = AudioFile {
            id: 1,
            storage_key: "a.mp3".into(),
            mime_type: "audio/mpeg".into(),
            byte_size: 1_200_000,
            duration_ms: 600_000,
            created_at: Timestamp::UNIX_EPOCH,
        };
        assert!(!counts_as_download(0, 1, &audio));
        assert!(!counts_as_download(600_000, 1_199_999, &audio));
        assert!(counts_as_download(0, 1_199_999, &audio));
        assert!(counts_as_download(0, 119_999, &audio), "the first minute");
    }

    #[test]
    fn a_listener_digest_changes_with_the_day_and_holds_no_address() {
        let address = Some("203.0.113.9".parse().expect("an address"));
        let monday = listener_digest("secret", "2026-12-07", address, "Overcast/3.0");
        assert_eq!(monday, listener_digest("secret", "2026-12-07", address, "Overcast/3.0"));
        assert_ne!(monday, listener_digest("secret", "2026-12-08", address, "Overcast/3.0"));
        assert!(!monday.contains("203"));
        assert_eq!(monday.len(), 32);
    }

    #[test]
    fn language_tags_and_addresses_are_checked() {
        for good in ["en", "en-GB", "ko", "zh-Hant"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english", "en_GB", "en-"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
        assert!(is_email("podcasts@english-eye.example"));
        assert!(!is_email("podcasts@localhost"));
        assert!(!is_email("a b@example.com"));
    }
}
