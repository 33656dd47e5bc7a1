//! `dateline import-wordpress`: a WordPress export into the paper.
//!
//! Two passes over the file, each a stream. The survey reads it whole and keeps only what
//! items refer to (authors, categories, tags, Co-Authors Plus's guest authors, attachments);
//! a broken file, or a post naming an author or a featured image the file does not have, is
//! refused there with one sentence, before anything is written. The second pass writes, in
//! one transaction (`ImportTx`): sections from categories (their tree, two levels deep as
//! Dateline's is; a deeper category files its stories in its ancestor and becomes a topic),
//! topics from tags, person authors from the export's authors and guest authors, photos from
//! attachments (files from a local copy of `wp-content/uploads`, or fetched from the hosts the
//! operator names), stories from posts and pages from pages; and every old address of each
//! (its permalink, its guid, `/?p=ID`, `/category/…`, `/tag/…`, `/author/…`, the feeds). A
//! failure anywhere rolls the transaction back and removes the photo files written.
//!
//! Each item is remembered by its WordPress id, so a second run of the same file changes
//! nothing, and a later export updates only posts changed there and not edited on the desk
//! since (`dateline_newsroom::moving_in::verdict`).
//!
//! "Updated": WordPress changes a post's modified time on every save, typo fixes and plugin
//! re-saves included, so it is no evidence that readers were told of an update. A post shows
//! "Updated" only when its export says so: Newspack's `newspack_show_updated_date` switch (or
//! a `dateline_updated` field) set on the post.

use crate::report::Report;
use crate::wordpress_body::{self, DEFAULT_EMBED_HOSTS};
use crate::writer::{clip, digest, plain, slug_of, PhotoFacts, StoryParts, Writer};
use crate::wxr::{self, Item, Record, Site};
use crate::ImportError;
use dateline_intake::Intake;
use dateline_newsroom::editing::{MAX_BYLINES, MAX_DECK_CHARS, MAX_HEADLINE_CHARS, MAX_TOPICS};
use dateline_newsroom::moving_in::LegacyTarget;
use dateline_newsroom::{ArticleContent, ArticleStatus, AuthorId, NewPage, SectionId, Slug, TopicId};
use jiff::Timestamp;
use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How an import runs.
#[derive(Debug, Clone)]
pub struct WordPressOptions {
    /// A local copy of the site's `wp-content/uploads`.
    pub uploads: Option<PathBuf>,
    /// Hosts photos may be fetched from when not found in `uploads` (exact names).
    pub media_hosts: Vec<String>,
    /// Hosts whose embedded players are carried as links.
    pub embed_hosts: Vec<String>,
    /// Read and report, write nothing.
    pub dry_run: bool,
    /// Larger files are refused.
    pub max_file_bytes: u64,
}

impl Default for WordPressOptions {
    fn default() -> Self {
        WordPressOptions {
            uploads: None,
            media_hosts: Vec::new(),
            embed_hosts: DEFAULT_EMBED_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            dry_run: false,
            max_file_bytes: 1 << 30,
        }
    }
}

/// An attachment: a photo the site had.
type Attachment = PhotoFacts;

/// What the first pass learns.
#[derive(Debug, Default)]
struct Survey {
    site: Site,
    authors: Vec<wxr::Author>,
    categories: Vec<wxr::Category>,
    tags: Vec<wxr::Term>,
    /// Co-Authors Plus: the `author` taxonomy's terms (`cap-kim-min-ji`) and guest authors'
    /// display names by the same slug.
    coauthors: HashMap<String, String>,
    attachments: HashMap<String, Attachment>,
    attachment_by_url: HashMap<String, String>,
    posts: u64,
    /// Items of other post types (menus, revisions, a plugin's own), which are not carried.
    other_types: std::collections::BTreeMap<String, u64>,
}

fn open(file: &Path) -> Result<BufReader<std::fs::File>, ImportError> {
    Ok(BufReader::with_capacity(1 << 20, std::fs::File::open(file)?))
}

fn survey(file: &Path) -> Result<Survey, ImportError> {
    let mut survey = Survey::default();
    // What each post refers to, checked once the whole file has been read (an attachment may
    // come after the post that features it).
    let mut references: Vec<(String, String, Option<String>)> = Vec::new();
    let site = wxr::read(open(file)?, |record| {
        match record {
            Record::Site(_) => {}
            Record::Author(author) => survey.authors.push(author),
            Record::Category(category) => survey.categories.push(category),
            Record::Tag(tag) => survey.tags.push(tag),
            Record::Term(term) if term.taxonomy == "author" => {
                survey.coauthors.entry(term.slug.clone()).or_insert(term.name);
            }
            Record::Term(term) if term.taxonomy == "post_tag" => survey.tags.push(term),
            Record::Term(_) => {}
            Record::Item(item) => match item.post_type.as_str() {
                "attachment" => {
                    let attachment = Attachment {
                        url: item.attachment_url.clone(),
                        caption: plain(&item.excerpt),
                        alt: item.meta("_wp_attachment_image_alt").unwrap_or_default().trim().to_owned(),
                        credit: ["_media_credit", "_credit", "credit", "_wp_attachment_credit"]
                            .iter()
                            .find_map(|key| item.meta(key))
                            .unwrap_or_default()
                            .trim()
                            .to_owned(),
                        photographer: item.meta("_photographer").unwrap_or_default().trim().to_owned(),
                    };
                    survey.attachment_by_url.insert(item.attachment_url.clone(), item.post_id.clone());
                    survey.attachments.insert(item.post_id.clone(), attachment);
                }
                "guest-author" => {
                    let name = item.meta("cap-display_name").map(str::to_owned).unwrap_or_else(|| plain(&item.title));
                    survey.coauthors.insert(item.post_name.clone(), name);
                }
                "post" | "page" => {
                    survey.posts += 1;
                    let label = if item.title.is_empty() {
                        format!("post {}", item.post_id)
                    } else {
                        format!("{:?} (post {})", item.title, item.post_id)
                    };
                    references.push((label, item.creator.clone(), item.meta("_thumbnail_id").map(str::to_owned)));
                }
                other => *survey.other_types.entry(other.to_owned()).or_default() += 1,
            },
        }
        Ok(())
    })?;
    survey.site = site;
    let logins: std::collections::HashSet<&str> = survey.authors.iter().map(|a| a.login.as_str()).collect();
    for (label, creator, thumbnail) in references {
        if !creator.is_empty() && !logins.contains(creator.as_str()) {
            return Err(ImportError::Inconsistent(format!(
                "{label} names the author {creator:?}, who is not among the export's authors; export again with all authors"
            )));
        }
        if let Some(thumbnail) = thumbnail {
            if !survey.attachments.contains_key(&thumbnail) {
                return Err(ImportError::Inconsistent(format!(
                    "{label} features the attachment {thumbnail}, which the export does not have; export again with \"All content\""
                )));
            }
        }
    }
    Ok(survey)
}

/// WordPress's `YYYY-MM-DD HH:MM:SS` in UTC; its zero date is none.
fn instant(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() || text.starts_with("0000") {
        return None;
    }
    let civil: jiff::civil::DateTime = text.replace(' ', "T").parse().ok()?;
    civil.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// The writing pass.
struct Run<'a> {
    w: Writer<'a>,
    options: &'a WordPressOptions,
    survey: &'a Survey,
    /// Category nicename → its section, and the topic a too-deep category became.
    sections: HashMap<String, (SectionId, Option<TopicId>)>,
}

/// Imports `file`; returns the report. With `dry_run`, everything is worked out and nothing is
/// written (photos are checked, not stored).
pub async fn import_wordpress(
    intake: &Intake,
    file: &Path,
    options: &WordPressOptions,
    now: Timestamp,
    mut progress: impl FnMut(u64, u64),
) -> Result<Report, ImportError> {
    let size = std::fs::metadata(file)?.len();
    if size > options.max_file_bytes {
        return Err(ImportError::Refused(format!(
            "the file is {size} bytes; an import takes at most {} (split the export by date on WordPress's Tools › Export)",
            options.max_file_bytes
        )));
    }
    let path = file.to_owned();
    let survey = tokio::task::spawn_blocking(move || survey(&path))
        .await
        .map_err(|e| ImportError::Malformed(format!("the file could not be read ({e})")))??;
    let survey = Arc::new(survey);
    let source = format!(
        "wordpress {}",
        if survey.site.base_site_url.is_empty() { &survey.site.link } else { &survey.site.base_site_url }
    );
    let uploads = options.uploads.clone().map(|folder| (folder, "/wp-content/uploads/".to_owned()));
    let w =
        Writer::begin(intake, "WordPress", source, now, options.dry_run, options.media_hosts.clone(), uploads).await?;
    let mut run = Run { w, options, survey: &survey, sections: HashMap::new() };
    let outcome = run.everything(file, &mut progress).await;
    run.w.finish(outcome).await
}

impl Run<'_> {
    async fn everything(&mut self, file: &Path, progress: &mut impl FnMut(u64, u64)) -> Result<(), ImportError> {
        for (kind, count) in &self.survey.other_types {
            self.w
                .report
                .remarks
                .push(format!("{count} items of type {kind} are not carried (not stories, pages or photos)"));
        }
        self.authors().await?;
        self.sections().await?;
        self.tags().await?;
        self.w.legacy("/feed", LegacyTarget::Feed).await?;
        // The second pass: items one at a time from a blocking reader, each written before the
        // next is read.
        let (items_tx, mut items_rx) = tokio::sync::mpsc::channel::<Box<Item>>(32);
        let path = file.to_owned();
        let reader = tokio::task::spawn_blocking(move || {
            wxr::read(open(&path)?, |record| {
                if let Record::Item(item) = record {
                    if matches!(item.post_type.as_str(), "post" | "page") {
                        items_tx
                            .blocking_send(item)
                            .map_err(|_| ImportError::Malformed("the import stopped while reading".into()))?;
                    }
                }
                Ok(())
            })
        });
        let mut done = 0;
        while let Some(item) = items_rx.recv().await {
            if item.post_type == "page" {
                self.page(&item).await?;
            } else {
                self.story(&item).await?;
            }
            done += 1;
            progress(done, self.survey.posts);
        }
        reader.await.map_err(|e| ImportError::Malformed(format!("the file could not be read ({e})")))??;
        Ok(())
    }

    async fn authors(&mut self) -> Result<(), ImportError> {
        let survey = self.survey;
        for author in &survey.authors {
            let name = if author.display_name.is_empty() { &author.login } else { &author.display_name };
            self.w.author(&author.login, name, &[format!("/author/{}", author.login)]).await?;
        }
        for (slug, name) in &survey.coauthors {
            if self.w.authors.contains_key(slug) {
                continue;
            }
            // Co-Authors Plus names a site user `cap-{login}`: the same person.
            if let Some(user) = slug.strip_prefix("cap-").and_then(|login| self.w.authors.get(login)).copied() {
                self.w.authors.insert(slug.clone(), user);
                continue;
            }
            self.w.author(slug, name, &[format!("/author/{}", slug.strip_prefix("cap-").unwrap_or(slug))]).await?;
        }
        Ok(())
    }

    async fn tags(&mut self) -> Result<(), ImportError> {
        let survey = self.survey;
        for tag in &survey.tags {
            if let Some(id) = self.w.topic(&tag.slug, &tag.name).await? {
                self.w.legacy(&format!("/tag/{}", tag.slug), LegacyTarget::Topic(id.0)).await?;
            }
        }
        Ok(())
    }

    /// Sections from categories, parents first; a category below the second level files its
    /// stories in its second-level ancestor and becomes a topic.
    async fn sections(&mut self) -> Result<(), ImportError> {
        let survey = self.survey;
        let by_name: HashMap<&str, &wxr::Category> =
            survey.categories.iter().map(|c| (c.nicename.as_str(), c)).collect();
        // Each category's chain of nicenames from the top.
        let chain = |category: &wxr::Category| {
            let mut chain = vec![category.nicename.clone()];
            let mut parent = category.parent.as_str();
            while let Some(up) = by_name.get(parent).filter(|_| chain.len() < 20) {
                chain.insert(0, up.nicename.clone());
                parent = up.parent.as_str();
            }
            chain
        };
        let mut ordered: Vec<(Vec<String>, &wxr::Category)> = survey.categories.iter().map(|c| (chain(c), c)).collect();
        ordered.sort_by_key(|(chain, _)| chain.len());
        let mut paths: HashMap<String, (SectionId, String)> = HashMap::new();
        for (chain, category) in ordered {
            let old = format!("/category/{}", chain.join("/"));
            if chain.len() > 2 {
                let ancestor = &chain[1];
                let Some((section, _)) = paths.get(ancestor).cloned() else { continue };
                let topic = self.w.topic(&category.nicename, &category.name).await?;
                self.w.report.remarks.push(format!(
                    "the category {} is nested {} deep; Dateline's sections go two deep, so its stories are filed in {} and carry it as a topic",
                    chain.join("/"),
                    chain.len(),
                    ancestor
                ));
                self.sections.insert(category.nicename.clone(), (section, topic));
                self.w.legacy(&old, LegacyTarget::Section(section.0)).await?;
                continue;
            }
            let Some(mut slug) = slug_of(&category.nicename, &category.name) else {
                self.w.report.skip("section", "no usable name");
                continue;
            };
            if dateline_newsroom::RESERVED_SECTION_SLUGS.contains(&slug.as_str()) {
                let renamed = Slug::parse(&format!("{slug}-section")).unwrap_or(slug.clone());
                self.w
                    .report
                    .remarks
                    .push(format!("the category {slug} has one of Dateline's own addresses; its section is {renamed}"));
                slug = renamed;
            }
            let parent = if chain.len() == 2 { paths.get(&chain[0]).cloned() } else { None };
            let name = if category.name.is_empty() { category.nicename.clone() } else { plain(&category.name) };
            let (id, path) = self.w.section(&category.nicename, &slug, &name, parent.as_ref()).await?;
            let id = id.0;
            paths.insert(category.nicename.clone(), (SectionId(id), path));
            self.sections.insert(category.nicename.clone(), (SectionId(id), None));
            self.w.legacy(&old, LegacyTarget::Section(id)).await?;
            self.w.legacy(&format!("{old}/feed"), LegacyTarget::SectionFeed(id)).await?;
        }
        Ok(())
    }

    /// The body as Markdown, its images in the library and in place.
    async fn body(&mut self, item: &Item, notes: &mut Vec<String>) -> Result<String, ImportError> {
        let converted = wordpress_body::convert(&item.content, &self.options.embed_hosts);
        notes.extend(converted.lost);
        let images = converted
            .images
            .into_iter()
            .map(|image| {
                // A body image is usually an attachment at one of its sizes (`photo-300x200.jpg`).
                let attachment = self
                    .survey
                    .attachment_by_url
                    .get(&image.src)
                    .or_else(|| self.survey.attachment_by_url.get(&without_size_suffix(&image.src)))
                    .and_then(|id| self.survey.attachments.get(id))
                    .cloned();
                let mut facts =
                    attachment.unwrap_or_else(|| PhotoFacts { url: image.src.clone(), ..PhotoFacts::default() });
                if !image.alt.is_empty() {
                    facts.alt = image.alt.clone();
                }
                if !image.caption.is_empty() {
                    facts.caption = image.caption.clone();
                }
                (image.marker, facts)
            })
            .collect();
        self.w.place_images(converted.markdown, images, notes).await
    }

    async fn story(&mut self, item: &Item) -> Result<(), ImportError> {
        let (status, publish_at, first_published_at) = match item.status.as_str() {
            "publish" => (ArticleStatus::Published, None, instant(&item.post_date_gmt).or(Some(self.w.now))),
            "future" => (ArticleStatus::Scheduled, instant(&item.post_date_gmt), None),
            "draft" | "pending" | "private" => (ArticleStatus::Draft, None, None),
            "trash" => {
                self.w.report.skip("story", "in the trash");
                return Ok(());
            }
            other => {
                self.w.report.skip("story", &format!("status {other}"));
                return Ok(());
            }
        };
        let Some(decided) =
            self.w.story_to_write(&item.post_id, digest(&format!("{item:?}")), &plain(&item.title), &item.link).await?
        else {
            return Ok(());
        };
        let mut notes = Vec::new();
        let headline = clip(plain(&item.title), MAX_HEADLINE_CHARS, "title", &mut notes);
        let headline = if headline.is_empty() {
            notes.push("the post has no title".into());
            format!("Untitled (post {})", item.post_id)
        } else {
            headline
        };
        let deck = Some(plain(&item.excerpt))
            .filter(|d| !d.is_empty())
            .map(|d| clip(d, MAX_DECK_CHARS, "excerpt", &mut notes));
        let mut section = None;
        let mut topics: Vec<TopicId> = Vec::new();
        let mut bylines: Vec<AuthorId> = Vec::new();
        for (domain, nicename, name) in &item.terms {
            match domain.as_str() {
                "category" => match self.sections.get(nicename).copied() {
                    Some((id, topic)) if section.is_none() => {
                        section = Some(id);
                        topics.extend(topic);
                    }
                    Some(_) | None => {
                        // A second category: the story keeps it as a topic.
                        topics.extend(self.w.topic(nicename, name).await?);
                    }
                },
                "post_tag" => topics.extend(self.w.topic(nicename, name).await?),
                "author" => bylines.extend(self.w.authors.get(nicename).copied()),
                _ => {}
            }
        }
        if bylines.is_empty() {
            bylines.extend(self.w.authors.get(&item.creator).copied());
        }
        let section = match section {
            Some(section) => section,
            None => self.w.fallback_section().await?,
        };
        topics.dedup();
        bylines.dedup();
        if topics.len() > MAX_TOPICS {
            notes.push(format!("{} tags; a story carries at most {MAX_TOPICS}, the first ones", topics.len()));
            topics.truncate(MAX_TOPICS);
        }
        if bylines.len() > MAX_BYLINES {
            notes.push(format!("{} authors; a byline names at most {MAX_BYLINES}", bylines.len()));
            bylines.truncate(MAX_BYLINES);
        }
        let lead = match item.meta("_thumbnail_id").and_then(|id| self.survey.attachments.get(id)).cloned() {
            Some(attachment) => self.w.photo(&attachment.url.clone(), &attachment, &mut notes).await?.map(|(id, _)| id),
            None => None,
        };
        let body = self.body(item, &mut notes).await?;
        let slug = slug_of(&item.post_name, &headline).unwrap_or_else(|| Slug::parse("story").expect("a valid slug"));
        let seo_title =
            item.meta("_yoast_wpseo_title").filter(|t| !t.contains("%%")).map(plain).filter(|t| !t.is_empty());
        let seo_description = item.meta("_yoast_wpseo_metadesc").map(plain).filter(|t| !t.is_empty());
        let content = ArticleContent {
            slug,
            headline,
            deck,
            section_id: section,
            bylines,
            label: None,
            topics,
            lead_media_id: lead.filter(|id| id.0 > 0),
            body,
            seo_title,
            seo_description,
            dateline: None,
        };
        let modified = instant(&item.post_modified_gmt);
        let shows_updated = ["newspack_show_updated_date", "dateline_updated"].iter().any(|key| {
            item.meta(key)
                .is_some_and(|v| v.trim() == "1" || v.trim().eq_ignore_ascii_case("yes") || v.trim() == "true")
        });
        let last_public_update_at = if shows_updated && status == ArticleStatus::Published {
            modified.filter(|m| Some(*m) > first_published_at)
        } else {
            None
        };
        let parts = StoryParts {
            content,
            status,
            publish_at,
            first_published_at,
            last_public_update_at,
            created_at: instant(&item.post_date_gmt).unwrap_or(self.w.now),
        };
        let old_paths = [item.link.clone(), item.guid.clone(), format!("/?p={}", item.post_id)];
        self.w.write_story(decided, parts, &old_paths).await?;
        if item.comments > 0 {
            notes.push(format!("{} comments are not carried (Dateline has no comments)", item.comments));
        }
        self.w.report.notes(&plain(&item.title), &item.link, notes);
        Ok(())
    }

    async fn page(&mut self, item: &Item) -> Result<(), ImportError> {
        if item.status != "publish" {
            self.w.report.skip("page", &format!("status {}", item.status));
            return Ok(());
        }
        let Some(slug) = slug_of(&item.post_name, &item.title) else {
            self.w.report.skip("page", "no usable slug");
            return Ok(());
        };
        let mut notes = Vec::new();
        let body = self.body(item, &mut notes).await?;
        let page = NewPage { slug: slug.clone(), title: plain(&item.title), body };
        let old_paths = [item.link.clone(), format!("/?page_id={}", item.post_id)];
        self.w.write_page(&item.post_id, &digest(&format!("{item:?}")), &page, &old_paths, &mut notes).await?;
        self.w.report.notes(&plain(&item.title), &item.link, notes);
        Ok(())
    }
}

/// `photo-300x200.jpg` → `photo.jpg`: WordPress's resized copies name their original.
fn without_size_suffix(url: &str) -> String {
    let Some(dot) = url.rfind('.') else { return url.to_owned() };
    let (stem, extension) = url.split_at(dot);
    match stem.rfind('-') {
        Some(dash) => {
            let size = &stem[dash + 1..];
            let is_size = size.split_once('x').is_some_and(|(w, h)| {
                !w.is_empty()
                    && !h.is_empty()
                    && w.chars().all(|c| c.is_ascii_digit())
                    && h.chars().all(|c| c.is_ascii_digit())
            });
            if is_size {
                format!("{}{extension}", &stem[..dash])
            } else {
                url.to_owned()
            }
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordpress_times_are_utc_and_its_zero_date_is_none() {
        assert_eq!(instant("2019-05-01 09:30:00").map(|t| t.to_string()), Some("2019-05-01T09:30:00Z".into()));
        assert_eq!(instant("0000-00-00 00:00:00"), None);
        assert_eq!(instant(""), None);
    }

    #[test]
    fn a_resized_copy_names_its_original() {
        assert_eq!(
            without_size_suffix("https://x/uploads/2019/05/bridge-300x200.jpg"),
            "https://x/uploads/2019/05/bridge.jpg"
        );
        assert_eq!(
            without_size_suffix("https://x/uploads/2019/05/new-bridge.jpg"),
            "https://x/uploads/2019/05/new-bridge.jpg"
        );
    }
}
