//! Video in stories: a story may lead with one video, either a file the paper uploaded (MP4
//! or WebM, with a poster picture from the photo library and optional WebVTT captions), or a
//! link to a video on a platform of the paper's allow-list ([`PROVIDERS`]: YouTube, played
//! from its no-cookie domain, and Vimeo).
//!
//! Readers' privacy decides the shape: a platform's player loads nothing until the reader
//! clicks (the page shows a facade, a button with the video's title), so no tracker runs on
//! page load; the Content-Security-Policy names exactly the frame hosts of [`PROVIDERS`] and
//! no others, and both are made from this one list so they cannot drift apart.

use crate::editing::FieldError;
use crate::ids::{ArticleId, MediaId};
use crate::store::StoreResult;
use crate::timed_text::Transcript;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::future::Future;

pub const MAX_VIDEO_TITLE_CHARS: usize = 200;
pub const MAX_VIDEO_DESCRIPTION_CHARS: usize = 2000;

/// A video platform the paper embeds from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Provider {
    YouTube,
    Vimeo,
}

/// The platforms of the allow-list: the CSP's `frame-src` is exactly their frame hosts.
pub const PROVIDERS: [Provider; 2] = [Provider::YouTube, Provider::Vimeo];

impl Provider {
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::YouTube => "youtube",
            Provider::Vimeo => "vimeo",
        }
    }

    pub fn parse(text: &str) -> Option<Provider> {
        PROVIDERS.into_iter().find(|p| p.as_str() == text)
    }

    pub fn name(self) -> &'static str {
        match self {
            Provider::YouTube => "YouTube",
            Provider::Vimeo => "Vimeo",
        }
    }

    /// The origin its player is framed from.
    pub fn frame_host(self) -> &'static str {
        match self {
            Provider::YouTube => "https://www.youtube-nocookie.com",
            Provider::Vimeo => "https://player.vimeo.com",
        }
    }

    /// The player's address for a video (what search engines are told).
    pub fn player_url(self, id: &str) -> String {
        match self {
            Provider::YouTube => format!("{}/embed/{id}", self.frame_host()),
            Provider::Vimeo => format!("{}/video/{id}?dnt=1", self.frame_host()),
        }
    }

    /// The player's address playing at once: the reader has just clicked.
    pub fn embed_url(self, id: &str) -> String {
        let player = self.player_url(id);
        let joiner = if player.contains('?') { '&' } else { '?' };
        format!("{player}{joiner}autoplay=1")
    }

    /// The video's own page on the platform (where the facade's link goes without script).
    pub fn watch_url(self, id: &str) -> String {
        match self {
            Provider::YouTube => format!("https://www.youtube.com/watch?v={id}"),
            Provider::Vimeo => format!("https://vimeo.com/{id}"),
        }
    }

    /// A video's id from an address an editor pastes: `youtube.com/watch?v=…`, `youtu.be/…`,
    /// `youtube.com/shorts/…`, `youtube.com/embed/…`, `vimeo.com/123…`,
    /// `player.vimeo.com/video/123…`. Anything else, including any other host, is `None`.
    pub fn read_link(link: &str) -> Option<(Provider, String)> {
        let link = link.trim();
        let rest = link.strip_prefix("https://").or_else(|| link.strip_prefix("http://"))?;
        let (host, path_and_query) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.to_ascii_lowercase();
        let host = host.strip_prefix("www.").or_else(|| host.strip_prefix("m.")).unwrap_or(&host);
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        let path = path.split('#').next().unwrap_or("");
        let youtube_id = |id: &str| {
            (id.len() == 11 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .then(|| (Provider::YouTube, id.to_owned()))
        };
        let vimeo_id = |id: &str| {
            (!id.is_empty() && id.len() <= 12 && id.chars().all(|c| c.is_ascii_digit()))
                .then(|| (Provider::Vimeo, id.to_owned()))
        };
        match host {
            "youtube.com" | "youtube-nocookie.com" => {
                if path == "watch" {
                    let id = query.split('&').find_map(|pair| pair.strip_prefix("v="))?;
                    youtube_id(id)
                } else {
                    let id = path.strip_prefix("shorts/").or_else(|| path.strip_prefix("embed/"))?;
                    youtube_id(id.trim_end_matches('/'))
                }
            }
            "youtu.be" => youtube_id(path.trim_end_matches('/')),
            "vimeo.com" => vimeo_id(path.trim_end_matches('/')),
            "player.vimeo.com" => vimeo_id(path.strip_prefix("video/")?.trim_end_matches('/')),
            _ => None,
        }
    }
}

/// The CSP's `frame-src`: the allow-list's frame hosts and nothing else.
pub fn frame_sources() -> String {
    PROVIDERS.iter().map(|p| p.frame_host()).collect::<Vec<_>>().join(" ")
}

/// An uploaded video file as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoFile {
    pub id: i64,
    pub storage_key: String,
    pub mime_type: String,
    pub byte_size: u64,
    pub duration_ms: u64,
    pub width: u32,
    pub height: u32,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVideoFile {
    pub storage_key: String,
    pub mime_type: String,
    pub byte_size: u64,
    pub duration_ms: u64,
    pub width: u32,
    pub height: u32,
}

/// Where a story's video plays from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum VideoSource {
    /// A file the paper keeps, with its poster picture and optional captions.
    File { file: VideoFile, poster: MediaId, captions: Option<Transcript> },
    /// A video on a platform of the allow-list.
    Linked { provider: Provider, id: String },
}

/// A story's video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryVideo {
    pub article_id: ArticleId,
    pub title: String,
    pub description: String,
    pub source: VideoSource,
    pub added_at: Timestamp,
}

/// What is written for a story's video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewVideoSource {
    File { file: NewVideoFile, poster: MediaId, captions: Option<Transcript> },
    Linked { provider: Provider, id: String },
}

/// The desk's video form, unchecked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VideoDraft {
    pub title: String,
    pub description: String,
    /// A platform link; empty when a file is uploaded.
    pub link: String,
    pub poster_id: String,
    pub captions_upload: Option<Vec<u8>>,
    /// Whether a file comes with the form.
    pub with_file: bool,
}

/// The checked form: title, description, and either a link or what goes with a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedVideo {
    pub title: String,
    pub description: String,
    pub link: Option<(Provider, String)>,
    pub poster: Option<MediaId>,
    pub captions: Option<Transcript>,
}

/// Checks the form: a title (the facade and the JSON-LD need one), and either a link of
/// the allow-list or a file with a poster picture that exists (`poster_exists`).
pub fn check_video(draft: &VideoDraft, poster_exists: bool) -> Result<CheckedVideo, Vec<FieldError>> {
    let mut errors = Vec::new();
    let field = |field: &'static str, message: &str| FieldError { field, message: message.to_owned() };
    let title = draft.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        errors.push(field("title", "A video needs a title: it is what readers see before they play it."));
    } else if title.chars().count() > MAX_VIDEO_TITLE_CHARS {
        errors.push(field("title", "At most 200 characters."));
    }
    let description = draft.description.trim().to_owned();
    if description.chars().count() > MAX_VIDEO_DESCRIPTION_CHARS {
        errors.push(field("description", "At most 2,000 characters."));
    }
    let link = draft.link.trim();
    let mut checked = CheckedVideo { title, description, link: None, poster: None, captions: None };
    match (link.is_empty(), draft.with_file) {
        (false, true) => errors.push(field("link", "Give a link or upload a file, not both.")),
        (true, false) => errors.push(field("link", "Paste a YouTube or Vimeo link, or upload an MP4 or WebM file.")),
        (false, false) => match Provider::read_link(link) {
            Some(found) => checked.link = Some(found),
            None => errors.push(field(
                "link",
                "Only YouTube and Vimeo videos can be embedded (a link such as https://www.youtube.com/watch?v=…).",
            )),
        },
        (true, true) => {
            match draft.poster_id.trim().parse::<i64>() {
                Ok(id) if poster_exists => checked.poster = Some(MediaId(id)),
                _ => errors.push(field("poster_id", "Choose the poster picture readers see before the video plays.")),
            }
            if let Some(bytes) = draft.captions_upload.as_ref().filter(|b| !b.is_empty()) {
                match Transcript::read(bytes) {
                    Ok(captions) => checked.captions = Some(captions),
                    Err(e) => errors.push(FieldError { field: "captions", message: e }),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

pub trait VideoStore {
    /// Gives the story this video, in place of any it had (an earlier file's row stays, so
    /// its address keeps working for anyone who has it).
    fn set_story_video(
        &self,
        id: ArticleId,
        title: &str,
        description: &str,
        source: &NewVideoSource,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<StoryVideo>> + Send;
    /// Takes the video off the story.
    fn remove_story_video(&self, id: ArticleId, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;
    /// The story's video, or `NotFound`.
    fn story_video(&self, id: ArticleId) -> impl Future<Output = StoreResult<StoryVideo>> + Send;
    /// The uploaded video file with this key and the story it belongs to.
    fn video_file_by_key(&self, key: &str) -> impl Future<Output = StoreResult<(ArticleId, VideoFile)>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_links_of_the_allow_list_are_read() {
        for (link, want) in [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", Some((Provider::YouTube, "dQw4w9WgXcQ"))),
            ("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ", Some((Provider::YouTube, "dQw4w9WgXcQ"))),
            ("https://youtu.be/dQw4w9WgXcQ", Some((Provider::YouTube, "dQw4w9WgXcQ"))),
            ("https://www.youtube.com/shorts/dQw4w9WgXcQ", Some((Provider::YouTube, "dQw4w9WgXcQ"))),
            ("https://vimeo.com/76979871", Some((Provider::Vimeo, "76979871"))),
            ("https://player.vimeo.com/video/76979871", Some((Provider::Vimeo, "76979871"))),
            ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
            ("https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
            ("https://www.youtube.com/watch?v=dQw4\"><script>", None),
            ("javascript:alert(1)", None),
            ("https://vimeo.com/abc", None),
        ] {
            assert_eq!(Provider::read_link(link), want.map(|(p, id)| (p, id.to_owned())), "{link}");
        }
    }

    #[test]
    fn the_frame_sources_are_exactly_the_allow_list() {
        assert_eq!(frame_sources(), "https://www.youtube-nocookie.com https://player.vimeo.com");
        assert!(Provider::YouTube.embed_url("dQw4w9WgXcQ").starts_with("https://www.youtube-nocookie.com/embed/"));
    }

    #[test]
    fn a_video_needs_a_title_and_either_a_link_or_a_file_with_a_poster() {
        let link = VideoDraft {
            title: "The storm".into(),
            link: "https://youtu.be/dQw4w9WgXcQ".into(),
            ..VideoDraft::default()
        };
        assert!(check_video(&link, false).is_ok());
        let both = VideoDraft { with_file: true, ..link.clone() };
        assert!(check_video(&both, true).is_err());
        let file_without_poster = VideoDraft { title: "The storm".into(), with_file: true, ..VideoDraft::default() };
        assert!(check_video(&file_without_poster, false).is_err());
        let file = VideoDraft { poster_id: "4".into(), ..file_without_poster };
        assert_eq!(check_video(&file, true).expect("checked").poster, Some(MediaId(4)));
        let untitled = VideoDraft { title: " ".into(), ..link };
        assert!(check_video(&untitled, false).is_err());
    }
}
