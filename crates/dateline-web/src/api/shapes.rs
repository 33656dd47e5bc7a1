//! The content API's JSON, one struct per shape, described for the OpenAPI document by their
//! own derives (so the document cannot drift from what is sent). They are built from the
//! domain's values and the same lookups the reader pages use; times carry the paper's offset.

use crate::site::{podcasts, video};
use crate::state::AppState;
use dateline_newsroom::podcasts::{Episode, Show};
use dateline_newsroom::video::{StoryVideo, VideoSource};
use dateline_newsroom::{Article, ArticleSummary, AuthorKind, Correction, Media, Section, StaticPage, Topic};
use dateline_render::views::{article_url, author_url, media_url, section_url, topic_url, Lookup};
use dateline_render::PaperClock;
use serde::Serialize;
use utoipa::ToSchema;

fn absolute(state: &AppState, path: &str) -> String {
    crate::site::feeds::absolute(state, path)
}

/// A photo's view with every address made absolute, for HTML that leaves the site.
fn absolute_image(state: &AppState, mut image: dateline_render::views::ImageView) -> dateline_render::views::ImageView {
    let srcset = |set: &str| {
        set.split(", ")
            .map(|entry| match entry.split_once(' ') {
                Some((url, width)) => format!("{} {width}", absolute(state, url)),
                None => absolute(state, entry),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    image.src = absolute(state, &image.src);
    image.srcset = srcset(&image.srcset);
    for source in &mut image.sources {
        source.srcset = srcset(&source.srcset);
    }
    image
}

/// A section as a story or a list names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionRef {
    pub id: i64,
    pub name: String,
    /// `national/politics`: a section's place in the tree, and its address.
    pub path: String,
    pub url: String,
}

impl SectionRef {
    pub fn new(state: &AppState, section: &Section) -> Self {
        SectionRef {
            id: section.id.0,
            name: section.name.clone(),
            path: section.path.clone(),
            url: absolute(state, &section_url(&section.path)),
        }
    }
}

/// One name of a byline: a person of the paper or an agency whose copy it runs.
#[derive(Debug, Serialize, ToSchema)]
pub struct Byline {
    pub id: i64,
    pub name: String,
    /// `person` or `agency`.
    pub kind: String,
    pub url: String,
}

/// A smaller copy of a photo, for `srcset`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoSize {
    pub width: u32,
    pub url: String,
}

/// A crop of a photo around its focal point, as JPEG.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoCrop {
    /// `16:9`, `4:3`, `1:1`, or `share` (1200 × 630, for shared links).
    pub shape: &'static str,
    pub width: u32,
    pub height: u32,
    pub url: String,
}

/// A photo with everything the article page shows of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Photo {
    pub id: i64,
    /// The original, at `width` × `height`.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: String,
    pub alt: String,
    pub photographer: String,
    /// Every smaller size kept (as JPEG), narrowest first; none until they are made, shortly
    /// after the photo came in.
    pub sizes: Vec<PhotoSize>,
    /// Where its crops centre, in percent of the width from the left and of the height from
    /// the top.
    pub focal_point: FocalPointShape,
    /// Its crops in every size kept (as JPEG), narrowest first within each shape; none until
    /// they are made, shortly after the photo came in or its focal point moved.
    pub crops: Vec<PhotoCrop>,
    /// The Content Credentials note readers are shown under it ("the original was signed by
    /// …; this is a resized copy of it"): only when the file it came in as was signed by a
    /// signer the paper trusts and matched its signature; null otherwise.
    pub credentials_note: Option<String>,
}

/// A point of a photo, in percent.
#[derive(Debug, Serialize, ToSchema)]
pub struct FocalPointShape {
    pub x: u8,
    pub y: u8,
}

impl Photo {
    pub fn new(state: &AppState, media: &Media) -> Self {
        Photo {
            id: media.id.0,
            url: absolute(state, &media_url(&media.storage_key)),
            width: media.width,
            height: media.height,
            caption: media.caption.clone(),
            credit: media.credit.clone(),
            alt: media.alt_text.clone(),
            photographer: media.photographer.clone(),
            sizes: dateline_media::copies(
                &media.storage_key,
                media.width,
                &media.variant_formats,
                dateline_media::VariantFormat::Jpeg,
            )
            .into_iter()
            .map(|(width, key)| PhotoSize { width, url: absolute(state, &media_url(&key)) })
            .collect(),
            focal_point: FocalPointShape { x: media.focal_point.x, y: media.focal_point.y },
            crops: {
                use dateline_media::{Crop, VariantFormat};
                [(Crop::Wide, "16:9"), (Crop::Standard, "4:3"), (Crop::Square, "1:1"), (Crop::Share, "share")]
                    .into_iter()
                    .flat_map(|(crop, shape)| {
                        dateline_render::views::crop_files(media, crop, VariantFormat::Jpeg)
                            .into_iter()
                            .map(move |(width, height, key)| (shape, width, height, key))
                    })
                    .map(|(shape, width, height, key)| PhotoCrop {
                        shape,
                        width,
                        height,
                        url: absolute(state, &media_url(&key)),
                    })
                    .collect()
            },
            credentials_note: media.credentials_note_for_readers(),
        }
    }
}

/// A topic the desk tags stories with.
#[derive(Debug, Serialize, ToSchema)]
pub struct TopicRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub url: String,
}

impl TopicRef {
    pub fn new(state: &AppState, topic: &Topic) -> Self {
        TopicRef {
            id: topic.id.0,
            slug: topic.slug.to_string(),
            name: topic.name.clone(),
            url: absolute(state, &topic_url(&topic.slug)),
        }
    }
}

/// A correction appended to a story.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionNote {
    pub text: String,
    /// When it was appended, with the paper's offset.
    pub published: String,
}

/// A story in a list: enough to draw a card and fetch the whole story.
#[derive(Debug, Serialize, ToSchema)]
pub struct StorySummary {
    pub id: i64,
    /// The canonical address on the reader site.
    pub url: String,
    /// The whole story, from this API.
    pub api_url: String,
    pub headline: String,
    pub deck: Option<String>,
    /// `opinion`, `editorial`, `analysis`, `review`, `interview` or `obituary`.
    pub label: Option<String>,
    pub section: Option<SectionRef>,
    pub bylines: Vec<Byline>,
    /// First publication, with the paper's offset (`2026-11-28T09:30:00+09:00`).
    pub published: String,
    /// The last public update, when there was one.
    pub updated: Option<String>,
    pub lead_photo: Option<Photo>,
    /// The opening of the text, as plain text.
    pub excerpt: String,
}

/// A whole story: everything its article page shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct Story {
    pub id: i64,
    pub url: String,
    pub api_url: String,
    pub slug: String,
    pub headline: String,
    pub deck: Option<String>,
    pub label: Option<String>,
    pub section: Option<SectionRef>,
    /// The section and its parents, outermost first (the breadcrumb).
    pub section_trail: Vec<SectionRef>,
    pub bylines: Vec<Byline>,
    pub topics: Vec<TopicRef>,
    pub published: String,
    pub updated: Option<String>,
    pub lead_photo: Option<Photo>,
    /// Where and when the story was filed ("SEOUL, Nov. 29 (Hanbit News) --"); the article
    /// page prints it at the start of the body.
    pub dateline: Option<String>,
    /// The body as sanitized HTML, as the article page shows it after the dateline.
    pub body_html: String,
    /// The body as the desk wrote it (Markdown).
    pub body_markdown: String,
    pub corrections: Vec<CorrectionNote>,
    /// Bumped by every saved change; webhooks name the version they announce.
    pub version: i64,
    /// Set when the story is a podcast episode: its sound and where it belongs.
    pub episode: Option<EpisodeShape>,
    /// Set when the story leads with a video.
    pub video: Option<VideoShape>,
}

/// What makes a story a podcast episode.
#[derive(Debug, Serialize, ToSchema)]
pub struct EpisodeShape {
    /// Never changes once the episode exists (the feed's item GUID).
    pub guid: String,
    pub show_name: String,
    pub show_url: String,
    pub feed_url: String,
    pub audio_url: String,
    pub audio_type: String,
    pub audio_bytes: u64,
    /// Read from the sound file itself.
    pub duration_seconds: u64,
    pub episode_number: Option<u32>,
    pub season_number: Option<u32>,
    /// `full`, `trailer` or `bonus`.
    pub episode_type: String,
    /// The transcript file (WebVTT or SRT), when there is one.
    pub transcript_url: Option<String>,
}

/// A story's video.
#[derive(Debug, Serialize, ToSchema)]
pub struct VideoShape {
    pub title: String,
    pub description: String,
    /// `file` (the paper's own), `youtube` or `vimeo`.
    pub source: String,
    /// The file itself, or the video's page on its platform.
    pub url: String,
    /// The platform's player, for a platform's video.
    pub embed_url: Option<String>,
    /// The poster picture, for a file.
    pub poster: Option<Photo>,
    pub duration_seconds: Option<u64>,
    /// WebVTT captions, for a file that has them.
    pub captions_url: Option<String>,
}

pub fn bylines(state: &AppState, lookup: &Lookup, ids: &[dateline_newsroom::AuthorId]) -> Vec<Byline> {
    ids.iter()
        .filter_map(|id| lookup.authors.get(id))
        .map(|a| Byline {
            id: a.id.0,
            name: a.name.clone(),
            kind: match a.kind {
                AuthorKind::Person => "person".into(),
                AuthorKind::Agency => "agency".into(),
            },
            url: absolute(state, &author_url(&a.slug)),
        })
        .collect()
}

pub fn summary(state: &AppState, lookup: &Lookup, clock: &PaperClock, story: &ArticleSummary) -> StorySummary {
    StorySummary {
        id: story.id.0,
        url: absolute(state, &article_url(story.id, &story.slug)),
        api_url: absolute(state, &format!("/api/v1/stories/{}", story.id)),
        headline: story.headline.clone(),
        deck: story.deck.clone(),
        label: story.label.map(|l| l.as_str().to_owned()),
        section: lookup.sections.get(story.section_id).map(|s| SectionRef::new(state, s)),
        bylines: bylines(state, lookup, &story.bylines),
        published: clock.time(story.first_published_at).datetime,
        updated: story.last_public_update_at.map(|t| clock.time(t).datetime),
        lead_photo: story.lead_media_id.and_then(|id| lookup.media.get(&id)).map(|m| Photo::new(state, m)),
        excerpt: dateline_render::views::plain_excerpt(&story.excerpt, 40),
    }
}

pub struct StoryParts<'a> {
    pub article: &'a Article,
    pub lookup: &'a Lookup,
    pub clock: &'a PaperClock,
    pub topics: Vec<TopicRef>,
    pub corrections: &'a [Correction],
    pub body_html: String,
}

pub fn story(state: &AppState, parts: StoryParts<'_>) -> Story {
    let StoryParts { article, lookup, clock, topics, corrections, body_html } = parts;
    let content = &article.content;
    Story {
        id: article.id.0,
        url: absolute(state, &article_url(article.id, &content.slug)),
        api_url: absolute(state, &format!("/api/v1/stories/{}", article.id)),
        slug: content.slug.to_string(),
        headline: content.headline.clone(),
        deck: content.deck.clone(),
        label: content.label.map(|l| l.as_str().to_owned()),
        section: lookup.sections.get(content.section_id).map(|s| SectionRef::new(state, s)),
        section_trail: lookup
            .sections
            .trail(content.section_id)
            .into_iter()
            .map(|s| SectionRef::new(state, s))
            .collect(),
        bylines: bylines(state, lookup, &content.bylines),
        topics,
        published: article.first_published_at.map(|t| clock.time(t).datetime).unwrap_or_default(),
        updated: article.last_public_update_at.map(|t| clock.time(t).datetime),
        lead_photo: content.lead_media_id.and_then(|id| lookup.media.get(&id)).map(|m| Photo::new(state, m)),
        dateline: content.dateline.clone(),
        body_html: dateline_render::place_body_photos(&body_html, |id| {
            lookup.image(Some(id)).map(|image| absolute_image(state, image))
        }),
        body_markdown: content.body.clone(),
        corrections: corrections
            .iter()
            .map(|c| CorrectionNote { text: c.text.clone(), published: clock.time(c.published_at).datetime })
            .collect(),
        version: article.version,
        episode: None,
        video: None,
    }
}

/// A page of stories and how to get the next one.
#[derive(Debug, Serialize, ToSchema)]
pub struct StoryList {
    pub stories: Vec<StorySummary>,
    /// The cursor of the next page, or null on the last one.
    pub next_cursor: Option<String>,
    /// The next page's full address, or null on the last one.
    pub next: Option<String>,
}

/// A section of the tree, with its subsections.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionNode {
    #[serde(flatten)]
    pub section: SectionRef,
    pub subsections: Vec<SectionRef>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionTreeList {
    pub sections: Vec<SectionNode>,
}

/// An author: a person of the paper or an agency.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorEntry {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// `person` or `agency`.
    pub kind: String,
    pub bio: String,
    pub url: String,
    /// Their stories, from this API.
    pub stories_url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthorList {
    pub authors: Vec<AuthorEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopicList {
    pub topics: Vec<TopicRef>,
}

/// A static page (about us, privacy, ombudsman).
#[derive(Debug, Serialize, ToSchema)]
pub struct PageEntry {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub url: String,
    pub body_html: String,
    pub body_markdown: String,
    pub updated: String,
}

impl PageEntry {
    pub fn new(state: &AppState, clock: &PaperClock, page: &StaticPage) -> Self {
        PageEntry {
            id: page.id.0,
            slug: page.slug.to_string(),
            title: page.title.clone(),
            url: absolute(state, &format!("/page/{}", page.slug)),
            body_html: dateline_render::render_markdown(&page.body),
            body_markdown: page.body.clone(),
            updated: clock.time(page.updated_at).datetime,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PageList {
    pub pages: Vec<PageEntry>,
}

/// A correction with the story it belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionEntry {
    pub text: String,
    pub published: String,
    pub story: StorySummary,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionList {
    pub corrections: Vec<CorrectionEntry>,
    /// The next page's full address, or null on the last one.
    pub next: Option<String>,
}

/// "Latest News" or "Most Popular", as the reader pages show them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortList {
    pub stories: Vec<StorySummary>,
}

/// An episode as the content API gives it.
pub(crate) fn episode_shape(state: &AppState, show: &Show, episode: &Episode) -> EpisodeShape {
    EpisodeShape {
        guid: episode.guid.clone(),
        show_name: show.fields.title.clone(),
        show_url: absolute(state, &podcasts::show_path(show)),
        feed_url: absolute(state, &podcasts::feed_path(show.slug.as_str())),
        audio_url: absolute(state, &podcasts::audio_path(&episode.audio.storage_key)),
        audio_type: episode.audio.mime_type.clone(),
        audio_bytes: episode.audio.byte_size,
        duration_seconds: (episode.audio.duration_ms + 500) / 1000,
        episode_number: episode.details.episode_number,
        season_number: episode.details.season_number,
        episode_type: episode.details.episode_type.as_str().to_owned(),
        transcript_url: podcasts::transcript_file(episode)
            .map(|f| absolute(state, &podcasts::episode_file_path(show, episode, &f))),
    }
}

/// A story's video as the content API gives it.
pub(crate) fn video_shape(state: &AppState, video: &StoryVideo, lookup: &Lookup) -> VideoShape {
    let mut shape = VideoShape {
        title: video.title.clone(),
        description: video.description.clone(),
        source: "file".into(),
        url: String::new(),
        embed_url: None,
        poster: None,
        duration_seconds: None,
        captions_url: None,
    };
    match &video.source {
        VideoSource::File { file, poster, captions } => {
            shape.url = absolute(state, &video::video_path(&file.storage_key));
            shape.poster = lookup.media.get(poster).map(|m| Photo::new(state, m));
            shape.duration_seconds = Some((file.duration_ms + 500) / 1000);
            shape.captions_url = captions.as_ref().map(|_| absolute(state, &video::captions_path(video.article_id)));
        }
        VideoSource::Linked { provider, id } => {
            shape.source = provider.as_str().to_owned();
            shape.url = provider.watch_url(id);
            shape.embed_url = Some(provider.player_url(id));
        }
    }
    shape
}
