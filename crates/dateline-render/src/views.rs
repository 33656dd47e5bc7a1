//! View models: the values templates receive. Together with the template names they are the
//! theme contract (`docs/THEMES.md`); a field renamed here breaks every theme that uses it.

use crate::markdown::render_markdown;
use crate::time::{PaperClock, TimeView};
use dateline_newsroom::{
    Article, ArticleSummary, Author, AuthorId, AuthorKind, Correction, EditorialSettings, Masthead, Media, MediaId,
    OutboundLinks, SectionId, SectionTree, Slug, StaticPage,
};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::HashMap;

pub fn article_url(id: impl std::fmt::Display, slug: &Slug) -> String {
    format!("/article/{id}/{slug}")
}
pub fn section_url(path: &str) -> String {
    format!("/{path}/")
}
pub fn author_url(slug: &Slug) -> String {
    format!("/author/{slug}")
}
pub fn topic_url(slug: &Slug) -> String {
    format!("/topic/{slug}")
}
pub fn page_url(slug: &Slug) -> String {
    format!("/page/{slug}")
}
pub fn media_url(storage_key: &str) -> String {
    format!("/media/{storage_key}")
}

/// The opening `count` words of a Markdown text without its marks: a meta description, or a
/// feed summary when a story has no deck.
pub fn plain_excerpt(markdown: &str, count: usize) -> String {
    let words: Vec<&str> = markdown
        .split_whitespace()
        .filter(|w| !w.chars().all(|c| matches!(c, '#' | '>' | '*' | '-' | '_')))
        .take(count + 1)
        .collect();
    let mut text = words
        .iter()
        .take(count)
        .map(|w| w.trim_matches(|c| matches!(c, '*' | '_' | '`')))
        .collect::<Vec<_>>()
        .join(" ");
    if words.len() > count {
        text.push('…');
    }
    text
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MenuSection {
    pub name: String,
    pub url: String,
    pub children: Vec<Link>,
}

/// What every page shows around its content: the date line, the menu, the footer and the
/// masthead.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub name: String,
    pub owner: String,
    pub language: String,
    pub date_line: String,
    pub date_line_iso: String,
    pub menu: Vec<MenuSection>,
    pub footer_pages: Vec<Link>,
    pub masthead: Masthead,
    pub links: OutboundLinks,
}

impl SiteView {
    pub fn new(
        settings: &EditorialSettings,
        clock: &PaperClock,
        tree: &SectionTree,
        pages: &[StaticPage],
        now: Timestamp,
    ) -> Self {
        let menu = tree
            .top_level()
            .map(|top| MenuSection {
                name: top.name.clone(),
                url: section_url(&top.path),
                children: tree
                    .children(top.id)
                    .map(|c| Link { name: c.name.clone(), url: section_url(&c.path) })
                    .collect(),
            })
            .collect();
        SiteView {
            name: settings.site_name.clone(),
            owner: settings.owner.clone(),
            language: settings.language.clone(),
            date_line: clock.date_line(now),
            date_line_iso: now.to_zoned(clock.zone.clone()).strftime("%Y-%m-%d").to_string(),
            menu,
            footer_pages: pages.iter().map(|p| Link { name: p.title.clone(), url: page_url(&p.slug) }).collect(),
            masthead: settings.masthead.clone(),
            links: settings.links.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub src: String,
    /// The JPEG copies and the original, for the `<img>` every browser reads.
    pub srcset: String,
    /// What a `<picture>` offers before its `<img>`, most compact first (AVIF, then WebP):
    /// only the formats the photo's copies exist in (none until they are made).
    pub sources: Vec<ImageSource>,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    /// The caption ending with the credit in parentheses.
    pub caption: String,
    pub credit: String,
    /// The Content Credentials note readers see under it: only when a trusted signer signed
    /// the original and the file matched (see `Media::credentials_note_for_readers`).
    pub credentials_note: Option<String>,
    /// The photo cut to the shapes a theme lays it out in, around its focal point: 16:9
    /// (`wide`), 4:3 (`standard`) and 1:1 (`square`). Until the crops are made each is the
    /// whole picture, which the theme's CSS covers the slot with. Set on the photo's own view
    /// only (a crop has no crops).
    pub wide: Option<Box<ImageView>>,
    pub standard: Option<Box<ImageView>>,
    pub square: Option<Box<ImageView>>,
}

/// One `<source>` of a `<picture>`: its type and the copies of that type.
#[derive(Debug, Clone, Serialize)]
pub struct ImageSource {
    pub mime_type: &'static str,
    pub srcset: String,
}

/// An image file as structured data and share tags name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFile {
    /// The address on this site (not yet absolute).
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// The files of one crop of a photo in `format`, as `(width, height, key)` narrowest first;
/// none until they are made for its focal point.
pub fn crop_files(
    media: &Media,
    crop: dateline_media::Crop,
    format: dateline_media::VariantFormat,
) -> Vec<(u32, u32, String)> {
    let focus = dateline_media::Focus { x: media.focal_point.x, y: media.focal_point.y };
    dateline_media::crops::crop_copies(
        &media.storage_key,
        (media.width, media.height),
        focus,
        &media.variant_formats,
        crop,
        format,
    )
}

impl ImageView {
    pub fn new(media: &Media) -> Self {
        use dateline_media::Crop;
        let whole = Self::whole(media);
        let crop = |crop| Some(Box::new(Self::cropped(media, crop).unwrap_or_else(|| whole.clone())));
        ImageView {
            wide: crop(Crop::Wide),
            standard: crop(Crop::Standard),
            square: crop(Crop::Square),
            ..whole.clone()
        }
    }

    /// The whole picture: its smaller copies and the original.
    fn whole(media: &Media) -> Self {
        use dateline_media::{copies, VariantFormat};
        let src = media_url(&media.storage_key);
        let candidates = |format| {
            copies(&media.storage_key, media.width, &media.variant_formats, format)
                .into_iter()
                .map(|(width, key)| format!("{} {width}w", media_url(&key)))
                .collect::<Vec<_>>()
        };
        let mut srcset = candidates(VariantFormat::Jpeg);
        srcset.push(format!("{src} {}w", media.width));
        let sources = [VariantFormat::Avif, VariantFormat::Webp]
            .into_iter()
            .map(|format| (format, candidates(format)))
            .filter(|(_, candidates)| !candidates.is_empty())
            .map(|(format, candidates)| ImageSource { mime_type: format.mime_type(), srcset: candidates.join(", ") })
            .collect();
        Self::of_file(media, src, srcset.join(", "), sources, (media.width, media.height))
    }

    /// A file of `media` (the whole picture or a crop) with the photo's words and no crops.
    fn of_file(media: &Media, src: String, srcset: String, sources: Vec<ImageSource>, size: (u32, u32)) -> Self {
        ImageView {
            src,
            srcset,
            sources,
            width: size.0,
            height: size.1,
            alt: media.alt_text.clone(),
            caption: media.caption_with_credit(),
            credit: media.credit.clone(),
            credentials_note: media.credentials_note_for_readers(),
            wide: None,
            standard: None,
            square: None,
        }
    }

    /// One crop of the picture, once its files exist.
    fn cropped(media: &Media, crop: dateline_media::Crop) -> Option<Self> {
        use dateline_media::VariantFormat;
        let files = |format| crop_files(media, crop, format);
        let srcset = |files: &[(u32, u32, String)]| {
            files.iter().map(|(width, _, key)| format!("{} {width}w", media_url(key))).collect::<Vec<_>>().join(", ")
        };
        let jpeg = files(VariantFormat::Jpeg);
        let (width, height, widest) = jpeg.last()?.clone();
        let sources = [VariantFormat::Avif, VariantFormat::Webp]
            .into_iter()
            .map(|format| (format, files(format)))
            .filter(|(_, files)| !files.is_empty())
            .map(|(format, files)| ImageSource { mime_type: format.mime_type(), srcset: srcset(&files) })
            .collect();
        Some(Self::of_file(media, media_url(&widest), srcset(&jpeg), sources, (width, height)))
    }

    /// What a shared link shows: the 1200 × 630 crop around the focal point once it is made,
    /// the original until then.
    pub fn share_file(media: &Media) -> ImageFile {
        use dateline_media::{Crop, VariantFormat};
        match crop_files(media, Crop::Share, VariantFormat::Jpeg).into_iter().last() {
            Some((width, height, key)) => ImageFile { url: media_url(&key), width, height },
            None => ImageFile { url: media_url(&media.storage_key), width: media.width, height: media.height },
        }
    }

    /// What structured data names for search engines, which ask for 16:9, 4:3 and 1:1
    /// pictures of the story: the widest file of each crop once they are made, the original
    /// until then.
    pub fn structured_data_files(media: &Media) -> Vec<ImageFile> {
        use dateline_media::Crop;
        let crops: Vec<ImageFile> = [Crop::Wide, Crop::Standard, Crop::Square]
            .into_iter()
            .filter_map(|crop| Self::cropped(media, crop))
            .map(|view| ImageFile { url: view.src, width: view.width, height: view.height })
            .collect();
        if crops.is_empty() {
            vec![ImageFile { url: media_url(&media.storage_key), width: media.width, height: media.height }]
        } else {
            crops
        }
    }
}

/// A story's state in the newsroom's words, as the desk and the preview banner say it.
pub fn status_title(status: dateline_newsroom::ArticleStatus) -> &'static str {
    use dateline_newsroom::ArticleStatus;
    match status {
        ArticleStatus::Draft => "Draft",
        ArticleStatus::InReview => "In review",
        ArticleStatus::Scheduled => "Scheduled",
        ArticleStatus::Published => "Published",
        ArticleStatus::Unpublished => "Unpublished",
        ArticleStatus::Removed => "Removed",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BylineView {
    pub name: String,
    pub url: String,
    pub is_agency: bool,
}

/// A story as lists and fronts show it.
#[derive(Debug, Clone, Serialize)]
pub struct StoryCard {
    pub id: i64,
    pub url: String,
    pub headline: String,
    pub deck: Option<String>,
    pub label: Option<&'static str>,
    pub section: Option<Link>,
    pub bylines: Vec<BylineView>,
    pub published: TimeView,
    pub updated: Option<TimeView>,
    pub image: Option<ImageView>,
    /// A live story whose coverage runs: fronts mark it "Live".
    pub live: bool,
}

/// What view builders look things up in: the section tree, and the authors and media that
/// the stories on one page refer to.
#[derive(Debug, Default)]
pub struct Lookup {
    pub sections: SectionTree,
    pub authors: HashMap<AuthorId, Author>,
    pub media: HashMap<MediaId, Media>,
    /// The live stories whose coverage runs.
    pub running_live: std::collections::HashSet<dateline_newsroom::ArticleId>,
}

impl Lookup {
    pub fn section_link(&self, id: SectionId) -> Option<Link> {
        self.sections.get(id).map(|s| Link { name: s.name.clone(), url: section_url(&s.path) })
    }

    pub fn bylines(&self, ids: &[AuthorId]) -> Vec<BylineView> {
        ids.iter()
            .filter_map(|id| self.authors.get(id))
            .map(|a| BylineView {
                name: a.name.clone(),
                url: author_url(&a.slug),
                is_agency: a.kind == AuthorKind::Agency,
            })
            .collect()
    }

    pub fn image(&self, id: Option<MediaId>) -> Option<ImageView> {
        id.and_then(|id| self.media.get(&id)).map(ImageView::new)
    }

    pub fn card(&self, story: &ArticleSummary, clock: &PaperClock) -> StoryCard {
        StoryCard {
            id: story.id.0,
            url: article_url(story.id, &story.slug),
            headline: story.headline.clone(),
            deck: story.deck.clone(),
            label: story.label.map(|l| l.as_str()),
            section: self.section_link(story.section_id),
            bylines: self.bylines(&story.bylines),
            published: clock.time(story.first_published_at),
            updated: story.last_public_update_at.map(|t| clock.time(t)),
            image: self.image(story.lead_media_id),
            live: self.running_live.contains(&story.id),
        }
    }
}

/// The article page's own content (reference parts 7 to 13).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub id: i64,
    pub url: String,
    pub headline: String,
    /// The title for search engines and the browser tab: the SEO title when the desk set one.
    pub title: String,
    pub deck: Option<String>,
    pub label: Option<&'static str>,
    pub breadcrumb: Vec<Link>,
    pub bylines: Vec<BylineView>,
    pub published: Option<TimeView>,
    pub updated: Option<TimeView>,
    pub lead_image: Option<ImageView>,
    /// Sanitized HTML, safe to print unescaped.
    pub body_html: String,
    /// Corrections, oldest first, shown at the end of the story.
    pub corrections: Vec<CorrectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CorrectionView {
    pub text: String,
    pub published: TimeView,
}

impl CorrectionView {
    pub fn new(correction: &Correction, clock: &PaperClock) -> Self {
        CorrectionView { text: correction.text.clone(), published: clock.time(correction.published_at) }
    }
}

impl ArticleView {
    pub fn new(article: &Article, corrections: &[Correction], lookup: &Lookup, clock: &PaperClock) -> Self {
        ArticleView::with_body_html(article, corrections, lookup, clock, render_markdown(&article.content.body))
    }

    /// The view with its body already rendered (by `render_markdown`, on a worker thread for
    /// long bodies), so that the caller chooses where the rendering work runs.
    pub fn with_body_html(
        article: &Article,
        corrections: &[Correction],
        lookup: &Lookup,
        clock: &PaperClock,
        body_html: String,
    ) -> Self {
        let c = &article.content;
        ArticleView {
            id: article.id.0,
            url: article_url(article.id, &c.slug),
            headline: c.headline.clone(),
            title: c.seo_title.clone().unwrap_or_else(|| c.headline.clone()),
            deck: c.deck.clone(),
            label: c.label.map(|l| l.as_str()),
            breadcrumb: lookup
                .sections
                .trail(c.section_id)
                .into_iter()
                .map(|s| Link { name: s.name.clone(), url: section_url(&s.path) })
                .collect(),
            bylines: lookup.bylines(&c.bylines),
            published: article.first_published_at.map(|t| clock.time(t)),
            updated: article.last_public_update_at.map(|t| clock.time(t)),
            lead_image: lookup.image(c.lead_media_id),
            body_html: with_dateline(
                crate::markdown::place_body_photos(&body_html, |id| lookup.image(Some(id))),
                c.dateline.as_deref(),
            ),
            corrections: corrections.iter().map(|k| CorrectionView::new(k, clock)).collect(),
        }
    }
}

/// The body with its dateline at the start of the first paragraph, the way a newspaper prints
/// it ("SEOUL, Nov. 29 (Hanbit News) -- The assembly …"); in a paragraph of its own when the
/// body does not open with one.
pub fn with_dateline(body_html: String, dateline: Option<&str>) -> String {
    let Some(dateline) = dateline.map(str::trim).filter(|d| !d.is_empty()) else { return body_html };
    let escaped = crate::theme::escape_html(dateline);
    let opening = body_html.trim_start();
    match opening.strip_prefix("<p>") {
        Some(rest) => format!("<p><span class=\"story__dateline\">{escaped}</span> {rest}"),
        None => format!(
            "<p class=\"story__dateline-alone\"><span class=\"story__dateline\">{escaped}</span></p>\n{body_html}"
        ),
    }
}

/// A static page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    pub slug: String,
    pub title: String,
    pub body_html: String,
    pub updated: TimeView,
}

impl PageView {
    pub fn new(page: &StaticPage, clock: &PaperClock) -> Self {
        PageView {
            slug: page.slug.to_string(),
            title: page.title.clone(),
            body_html: render_markdown(&page.body),
            updated: clock.time(page.updated_at),
        }
    }
}

/// A live story's stream as its page shows it: whether it runs, the key events, one page
/// of posts (newest first) and where the readers' update channel is.
#[derive(Debug, Clone, Serialize)]
pub struct LiveView {
    pub running: bool,
    pub started: TimeView,
    pub ended: Option<TimeView>,
    pub key_events: Vec<KeyEventView>,
    pub posts: Vec<LivePostView>,
    /// Which page of the stream this is (1 holds the newest posts).
    pub page: u32,
    pub pages: u32,
    pub newer_url: Option<String>,
    pub older_url: Option<String>,
    /// The server-sent events address the page's script listens to; only on the first page
    /// of a running story.
    pub events_url: Option<String>,
}

/// One post of the stream.
#[derive(Debug, Clone, Serialize)]
pub struct LivePostView {
    pub id: i64,
    /// The element id, `post-{id}`.
    pub anchor: String,
    /// The address that finds the post on whichever page it now is.
    pub permalink: String,
    pub title: Option<String>,
    pub body_html: String,
    pub time: TimeView,
    pub author: BylineView,
    pub image: Option<ImageView>,
    pub pinned: bool,
}

/// A pinned post as the list of key events at the top names it.
#[derive(Debug, Clone, Serialize)]
pub struct KeyEventView {
    pub id: i64,
    pub permalink: String,
    /// The post's title, or the opening of its text.
    pub text: String,
    pub time: TimeView,
}

pub fn live_post_url(story: impl std::fmt::Display, post: impl std::fmt::Display) -> String {
    format!("/article/{story}/post/{post}")
}

impl LivePostView {
    /// The view of `post`, its body already rendered (sanitized) as `body_html`.
    pub fn new(
        post: &dateline_newsroom::live::LivePost,
        body_html: String,
        lookup: &Lookup,
        clock: &PaperClock,
        now: Timestamp,
    ) -> Self {
        let author = post.author_id.and_then(|id| lookup.authors.get(&id));
        LivePostView {
            id: post.id.0,
            anchor: format!("post-{}", post.id),
            permalink: live_post_url(post.article_id, post.id),
            title: post.title.clone(),
            body_html,
            time: clock.stream_time(post.posted_at, now),
            author: BylineView {
                name: author.map_or_else(|| post.author_name.clone(), |a| a.name.clone()),
                url: author.map(|a| author_url(&a.slug)).unwrap_or_default(),
                is_agency: author.is_some_and(|a| a.kind == AuthorKind::Agency),
            },
            image: lookup.image(post.media_id),
            pinned: post.pinned,
        }
    }
}

impl KeyEventView {
    pub fn new(post: &dateline_newsroom::live::LivePost, clock: &PaperClock, now: Timestamp) -> Self {
        KeyEventView {
            id: post.id.0,
            permalink: live_post_url(post.article_id, post.id),
            text: post.title.clone().unwrap_or_else(|| plain_excerpt(&post.body, 14)),
            time: clock.stream_time(post.posted_at, now),
        }
    }
}
