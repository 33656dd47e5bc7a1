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
use crate::wxr::{self, Item, Record, Site};
use crate::ImportError;
use dateline_intake::Intake;
use dateline_newsroom::editing::{MAX_BYLINES, MAX_DECK_CHARS, MAX_HEADLINE_CHARS, MAX_TOPICS};
use dateline_newsroom::moving_in::{is_datelines_own, normal_path, verdict, LegacyTarget, Verdict};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{
    ArticleContent, ArticleStatus, ArticleUpdate, AuthorId, AuthorKind, MediaId, NewArticle, NewAuthor, NewPage,
    RevisionAuthor, RevisionKind, SectionId, Slug, TopicId,
};
use dateline_storage::ImportTx;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
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
#[derive(Debug, Clone, Default)]
struct Attachment {
    url: String,
    caption: String,
    alt: String,
    credit: String,
    photographer: String,
}

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

/// Text with any tags removed and whitespace squeezed (titles, excerpts, captions).
fn plain(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' if inside => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clip(text: String, max: usize) -> (String, bool) {
    if text.chars().count() <= max {
        (text, false)
    } else {
        (text.chars().take(max).collect(), true)
    }
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

fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn content_digest(content: &ArticleContent) -> String {
    digest(&serde_json::to_string(content).unwrap_or_default())
}

/// A slug from WordPress's, else from the name.
fn slug_of(wordpress: &str, name: &str) -> Option<Slug> {
    Slug::parse(wordpress).ok().or_else(|| Slug::suggest(name)).or_else(|| Slug::suggest(wordpress))
}

/// The writing pass.
struct Run<'a> {
    intake: &'a Intake,
    options: &'a WordPressOptions,
    survey: &'a Survey,
    tx: ImportTx,
    source: String,
    now: Timestamp,
    report: Report,
    files: Vec<String>,
    /// Category nicename → its section, and the topic a too-deep category became.
    sections: HashMap<String, (SectionId, Option<TopicId>)>,
    fallback_section: Option<SectionId>,
    topics: HashMap<String, TopicId>,
    authors: HashMap<String, AuthorId>,
    photos: HashMap<String, (MediaId, String)>,
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
    let tx = intake.store().begin_moving_in().await?;
    let mut run = Run {
        intake,
        options,
        survey: &survey,
        tx,
        source: source.clone(),
        now,
        report: Report { source, dry_run: options.dry_run, ..Report::default() },
        files: Vec::new(),
        sections: HashMap::new(),
        fallback_section: None,
        topics: HashMap::new(),
        authors: HashMap::new(),
        photos: HashMap::new(),
    };
    match run.everything(file, &mut progress).await {
        Ok(()) if !options.dry_run => {
            let Run { tx, report, files, intake, .. } = run;
            if let Err(error) = tx.commit().await {
                remove(intake, &files).await;
                return Err(error.into());
            }
            Ok(report)
        }
        Ok(()) => Ok(run.report),
        Err(error) => {
            remove(intake, &run.files).await;
            Err(error)
        }
    }
}

async fn remove(intake: &Intake, files: &[String]) {
    for file in files {
        intake.blobs().delete(file).await;
    }
}

impl Run<'_> {
    async fn everything(&mut self, file: &Path, progress: &mut impl FnMut(u64, u64)) -> Result<(), ImportError> {
        for (kind, count) in &self.survey.other_types {
            self.report
                .remarks
                .push(format!("{count} items of type {kind} are not carried (not stories, pages or photos)"));
        }
        self.authors().await?;
        self.sections().await?;
        self.tags().await?;
        self.legacy("/feed", LegacyTarget::Feed).await?;
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

    /// Records an old address for `target`, unless it is one of Dateline's own or another
    /// item's already; true when recorded.
    async fn legacy(&mut self, path: &str, target: LegacyTarget) -> Result<bool, ImportError> {
        let Some(path) = normal_path(path) else { return Ok(false) };
        if is_datelines_own(&path) {
            self.report.redirects_not_made.push(format!("{path} is one of Dateline's own addresses"));
            return Ok(false);
        }
        let added = self.tx.add_legacy_path(&path, target, &self.source).await?;
        if added {
            self.report.redirects_made += 1;
        }
        Ok(added)
    }

    async fn remember(
        &mut self,
        kind: &str,
        key: &str,
        target: i64,
        source: &str,
        written: &str,
    ) -> Result<(), ImportError> {
        let source_name = self.source.clone();
        Ok(self.tx.remember(&source_name, kind, key, target, source, written, self.now).await?)
    }

    async fn author(&mut self, key: &str, name: &str, legacy_slug: &str) -> Result<(), ImportError> {
        let name = if name.trim().is_empty() { key } else { name.trim() };
        let Some(slug) = Slug::suggest(name).or_else(|| slug_of(key, key)) else {
            self.report.skip("author", "no usable name");
            return Ok(());
        };
        let id = match self.tx.author_by_slug(slug.as_str()).await? {
            Some(id) => {
                let seen = self.tx.imported(&self.source, "author", key).await?.is_some();
                if seen {
                    self.report.counts("author").unchanged += 1;
                } else {
                    self.report.authors_merged.push(format!("{name} (WordPress {key}) is the paper's {slug}"));
                    self.report.counts("author").imported += 1;
                }
                id
            }
            None => {
                let new = NewAuthor {
                    slug: slug.clone(),
                    name: name.to_owned(),
                    kind: AuthorKind::Person,
                    bio: String::new(),
                    photo_id: None,
                };
                self.report.counts("author").imported += 1;
                self.tx.insert_author(&new).await?
            }
        };
        self.remember("author", key, id, &digest(name), &digest(name)).await?;
        self.legacy(&format!("/author/{legacy_slug}"), LegacyTarget::Author(id)).await?;
        self.authors.insert(key.to_owned(), AuthorId(id));
        Ok(())
    }

    async fn authors(&mut self) -> Result<(), ImportError> {
        let survey = self.survey;
        for author in &survey.authors {
            let name = if author.display_name.is_empty() { &author.login } else { &author.display_name };
            self.author(&author.login, name, &author.login).await?;
        }
        for (slug, name) in &survey.coauthors {
            if self.authors.contains_key(slug) {
                continue;
            }
            // Co-Authors Plus names a site user `cap-{login}`: the same person.
            if let Some(user) = slug.strip_prefix("cap-").and_then(|login| self.authors.get(login)).copied() {
                self.authors.insert(slug.clone(), user);
                continue;
            }
            self.author(slug, name, slug.strip_prefix("cap-").unwrap_or(slug)).await?;
        }
        Ok(())
    }

    async fn topic(&mut self, slug: &str, name: &str) -> Result<Option<TopicId>, ImportError> {
        if let Some(id) = self.topics.get(slug) {
            return Ok(Some(*id));
        }
        let Some(topic_slug) = slug_of(slug, name) else {
            self.report.skip("topic", "no usable name");
            return Ok(None);
        };
        let name = if name.trim().is_empty() { slug } else { name.trim() };
        let id = match self.tx.topic_by_slug(topic_slug.as_str()).await? {
            Some(id) => {
                self.report.counts("topic").unchanged += 1;
                id
            }
            None => {
                self.report.counts("topic").imported += 1;
                self.tx.insert_topic(topic_slug.as_str(), name).await?
            }
        };
        self.remember("topic", slug, id, &digest(name), &digest(name)).await?;
        self.topics.insert(slug.to_owned(), TopicId(id));
        Ok(Some(TopicId(id)))
    }

    async fn tags(&mut self) -> Result<(), ImportError> {
        let survey = self.survey;
        for tag in &survey.tags {
            if let Some(id) = self.topic(&tag.slug, &tag.name).await? {
                self.legacy(&format!("/tag/{}", tag.slug), LegacyTarget::Topic(id.0)).await?;
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
                let topic = self.topic(&category.nicename, &category.name).await?;
                self.report.remarks.push(format!(
                    "the category {} is nested {} deep; Dateline's sections go two deep, so its stories are filed in {} and carry it as a topic",
                    chain.join("/"),
                    chain.len(),
                    ancestor
                ));
                self.sections.insert(category.nicename.clone(), (section, topic));
                self.legacy(&old, LegacyTarget::Section(section.0)).await?;
                continue;
            }
            let Some(mut slug) = slug_of(&category.nicename, &category.name) else {
                self.report.skip("section", "no usable name");
                continue;
            };
            if dateline_newsroom::RESERVED_SECTION_SLUGS.contains(&slug.as_str()) {
                let renamed = Slug::parse(&format!("{slug}-section")).unwrap_or(slug.clone());
                self.report
                    .remarks
                    .push(format!("the category {slug} has one of Dateline's own addresses; its section is {renamed}"));
                slug = renamed;
            }
            let parent = if chain.len() == 2 { paths.get(&chain[0]).cloned() } else { None };
            let path = match &parent {
                Some((_, parent_path)) => format!("{parent_path}/{slug}"),
                None => slug.to_string(),
            };
            let name = if category.name.is_empty() { category.nicename.clone() } else { plain(&category.name) };
            let id = match self.tx.section_by_path(&path).await? {
                Some(id) => {
                    self.report.counts("section").unchanged += 1;
                    id
                }
                None => {
                    self.report.counts("section").imported += 1;
                    self.tx.insert_section(slug.as_str(), &name, parent.as_ref().map(|(id, _)| id.0), &path).await?
                }
            };
            self.remember("section", &category.nicename, id, &digest(&path), &digest(&path)).await?;
            paths.insert(category.nicename.clone(), (SectionId(id), path));
            self.sections.insert(category.nicename.clone(), (SectionId(id), None));
            self.legacy(&old, LegacyTarget::Section(id)).await?;
            self.legacy(&format!("{old}/feed"), LegacyTarget::SectionFeed(id)).await?;
        }
        Ok(())
    }

    /// The section for a post without a category: "Archive", made when first needed.
    async fn fallback_section(&mut self) -> Result<SectionId, ImportError> {
        if let Some(id) = self.fallback_section {
            return Ok(id);
        }
        let id = match self.tx.section_by_path("archive").await? {
            Some(id) => id,
            None => {
                self.report.remarks.push("posts without a category are filed in a new section, Archive".into());
                self.tx.insert_section("archive", "Archive", None, "archive").await?
            }
        };
        self.fallback_section = Some(SectionId(id));
        Ok(SectionId(id))
    }

    /// The bytes of a photo: from the local uploads folder, else from an allowed host.
    async fn photo_bytes(&self, url: &str) -> Result<(Vec<u8>, String), String> {
        if let (Some(uploads), Some(at)) = (&self.options.uploads, url.find("/wp-content/uploads/")) {
            let relative = &url[at + "/wp-content/uploads/".len()..];
            let relative = relative.split(['?', '#']).next().unwrap_or_default();
            if !relative.split('/').any(|part| part == ".." || part.is_empty()) {
                let local = uploads.join(relative);
                if let Ok(bytes) = tokio::fs::read(&local).await {
                    return Ok((bytes, String::new()));
                }
            }
        }
        if self.options.media_hosts.is_empty() {
            return Err(format!(
                "the photo {url} is not in the uploads folder (give --uploads, or --media-host to fetch it)"
            ));
        }
        dateline_intake::photos::fetch(self.intake, url, &self.options.media_hosts)
            .await
            .map_err(|why| format!("the photo {url} could not be fetched: {why}"))
    }

    /// The library photo for an attachment or a body image, taken in once per run (and once
    /// ever: a later run finds it by its address).
    async fn photo(
        &mut self,
        url: &str,
        attachment: &Attachment,
        notes: &mut Vec<String>,
    ) -> Result<Option<(MediaId, String)>, ImportError> {
        if let Some(found) = self.photos.get(url) {
            return Ok(Some(found.clone()));
        }
        if let Some(seen) = self.tx.imported(&self.source, "photo", url).await? {
            let key = seen.written_digest.clone();
            self.report.counts("photo").unchanged += 1;
            self.photos.insert(url.to_owned(), (MediaId(seen.target_id), key.clone()));
            return Ok(Some((MediaId(seen.target_id), key)));
        }
        let (bytes, claimed) = match self.photo_bytes(url).await {
            Ok(found) => found,
            Err(why) => {
                notes.push(why);
                self.report.skip("photo", "file not found or not fetched");
                return Ok(None);
            }
        };
        let bytes: Arc<[u8]> = Arc::from(bytes);
        let found = match dateline_intake::photos::check(self.intake, bytes.clone(), &claimed).await {
            Ok(found) => found,
            Err(why) => {
                notes.push(format!("the photo {url} cannot be used: {why}"));
                self.report.skip("photo", "not a usable photo");
                return Ok(None);
            }
        };
        if attachment.credit.is_empty() {
            notes.push(format!("the photo {url} has no credit in the export; add one on the desk"));
        }
        self.report.counts("photo").imported += 1;
        if self.options.dry_run {
            return Ok(Some((MediaId(0), String::new())));
        }
        let texts = dateline_intake::PhotoTexts {
            caption: attachment.caption.clone(),
            credit: attachment.credit.clone(),
            alt_text: attachment.alt.clone(),
            photographer: attachment.photographer.clone(),
        };
        let (new, files) = dateline_intake::photos::write_files(self.intake, bytes, &found, texts, self.now)
            .await
            .map_err(|e| ImportError::Photo(e.to_string()))?;
        self.files.extend(files);
        let id = self.tx.insert_media(&new, self.now).await?;
        self.remember("photo", url, id, &digest(url), &new.storage_key).await?;
        self.photos.insert(url.to_owned(), (MediaId(id), new.storage_key.clone()));
        Ok(Some((MediaId(id), new.storage_key)))
    }

    /// The body as Markdown, its images in the library and in place.
    async fn body(&mut self, item: &Item, notes: &mut Vec<String>) -> Result<String, ImportError> {
        let converted = wordpress_body::convert(&item.content, &self.options.embed_hosts);
        notes.extend(converted.lost);
        let mut markdown = converted.markdown;
        for image in converted.images {
            // A body image is usually an attachment at one of its sizes (`photo-300x200.jpg`).
            let attachment = self
                .survey
                .attachment_by_url
                .get(&image.src)
                .or_else(|| self.survey.attachment_by_url.get(&without_size_suffix(&image.src)))
                .and_then(|id| self.survey.attachments.get(id))
                .cloned();
            let url = attachment.as_ref().map(|a| a.url.clone()).unwrap_or_else(|| image.src.clone());
            let mut texts = attachment.unwrap_or_default();
            if !image.alt.is_empty() {
                texts.alt = image.alt.clone();
            }
            if !image.caption.is_empty() {
                texts.caption = image.caption.clone();
            }
            let replacement = match self.photo(&url, &texts, notes).await? {
                Some((_, key)) => {
                    let alt = texts.alt.replace(['[', ']'], "");
                    let mut shown = format!("![{alt}](/media/{key})");
                    if !texts.caption.is_empty() {
                        shown.push_str(&format!("\n\n*{}*", texts.caption.replace('*', "")));
                    }
                    shown
                }
                None => String::new(),
            };
            markdown = markdown.replace(&image.marker, &replacement);
        }
        Ok(markdown.split("\n\n").filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join("\n\n"))
    }

    async fn story(&mut self, item: &Item) -> Result<(), ImportError> {
        let (status, publish_at, first_published_at) = match item.status.as_str() {
            "publish" => (ArticleStatus::Published, None, instant(&item.post_date_gmt).or(Some(self.now))),
            "future" => (ArticleStatus::Scheduled, instant(&item.post_date_gmt), None),
            "draft" | "pending" | "private" => (ArticleStatus::Draft, None, None),
            "trash" => {
                self.report.skip("story", "in the trash");
                return Ok(());
            }
            other => {
                self.report.skip("story", &format!("status {other}"));
                return Ok(());
            }
        };
        let source_digest = digest(&format!("{item:?}"));
        let seen = self.tx.imported(&self.source, "story", &item.post_id).await?;
        let current = match &seen {
            Some(seen) => match self.intake.store().article_by_id(dateline_newsroom::ArticleId(seen.target_id)).await {
                Ok(article) => Some(article),
                Err(dateline_newsroom::StoreError::NotFound) => None,
                Err(error) => return Err(error.into()),
            },
            None => None,
        };
        let current_digest = current.as_ref().map(|a| content_digest(&a.content));
        let decided = match (&seen, &current) {
            (Some(_), None) => Verdict::New,
            _ => verdict(seen.as_ref(), &source_digest, current_digest.as_deref()),
        };
        match decided {
            Verdict::Unchanged => {
                self.report.counts("story").unchanged += 1;
                return Ok(());
            }
            Verdict::KeepDeskEdit => {
                self.report.counts("story").kept_desk_edits += 1;
                self.report.notes(
                    &plain(&item.title),
                    &item.link,
                    vec!["changed in the export and edited on the desk since: the desk's version is kept".into()],
                );
                return Ok(());
            }
            Verdict::New | Verdict::Update => {}
        }
        let mut notes = Vec::new();
        let (headline, clipped) = clip(plain(&item.title), MAX_HEADLINE_CHARS);
        if clipped {
            notes.push(format!("the title was longer than {MAX_HEADLINE_CHARS} characters and is cut"));
        }
        let headline = if headline.is_empty() {
            notes.push("the post has no title".into());
            format!("Untitled (post {})", item.post_id)
        } else {
            headline
        };
        let deck = Some(plain(&item.excerpt)).filter(|d| !d.is_empty()).map(|d| {
            let (deck, clipped) = clip(d, MAX_DECK_CHARS);
            if clipped {
                notes.push(format!("the excerpt was longer than {MAX_DECK_CHARS} characters and is cut"));
            }
            deck
        });
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
                        topics.extend(self.topic(nicename, name).await?);
                    }
                },
                "post_tag" => topics.extend(self.topic(nicename, name).await?),
                "author" => bylines.extend(self.authors.get(nicename).copied()),
                _ => {}
            }
        }
        if bylines.is_empty() {
            bylines.extend(self.authors.get(&item.creator).copied());
        }
        let section = match section {
            Some(section) => section,
            None => self.fallback_section().await?,
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
            Some(attachment) => self.photo(&attachment.url.clone(), &attachment, &mut notes).await?.map(|(id, _)| id),
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
        let made_by = RevisionAuthor { user_id: None, name: "Moved in from WordPress".into() };
        let written_digest = content_digest(&content);
        let id = match (decided, current) {
            (Verdict::Update, Some(article)) => {
                let mut update = ArticleUpdate::of(&article, RevisionKind::Saved, made_by, self.now);
                update.content = content;
                update.status = status;
                update.publish_at = publish_at;
                update.first_published_at = first_published_at.or(article.first_published_at);
                update.last_public_update_at = last_public_update_at.or(article.last_public_update_at);
                update.note = Some("updated from a later WordPress export".into());
                if !self.tx.update_article(&update).await? {
                    return Err(ImportError::Inconsistent(format!(
                        "the story {} was saved on the desk during the import; run it again",
                        article.id
                    )));
                }
                self.report.counts("story").updated += 1;
                article.id.0
            }
            _ => {
                let new = NewArticle {
                    content,
                    status,
                    embargo_until: None,
                    publish_at,
                    first_published_at,
                    last_public_update_at,
                    created_at: instant(&item.post_date_gmt).unwrap_or(self.now),
                    made_by,
                };
                self.report.counts("story").imported += 1;
                self.tx.insert_article(&new).await?.0
            }
        };
        self.remember("story", &item.post_id, id, &source_digest, &written_digest).await?;
        for old in [item.link.clone(), item.guid.clone(), format!("/?p={}", item.post_id)] {
            self.legacy(&old, LegacyTarget::Story(id)).await?;
        }
        if item.comments > 0 {
            notes.push(format!("{} comments are not carried (Dateline has no comments)", item.comments));
        }
        self.report.notes(&plain(&item.title), &item.link, notes);
        Ok(())
    }

    async fn page(&mut self, item: &Item) -> Result<(), ImportError> {
        if item.status != "publish" {
            self.report.skip("page", &format!("status {}", item.status));
            return Ok(());
        }
        let Some(slug) = slug_of(&item.post_name, &item.title) else {
            self.report.skip("page", "no usable slug");
            return Ok(());
        };
        let mut notes = Vec::new();
        let body = self.body(item, &mut notes).await?;
        let page = NewPage { slug: slug.clone(), title: plain(&item.title), body };
        let source_digest = digest(&format!("{item:?}"));
        let written = digest(&format!("{}\n{}", page.title, page.body));
        let seen = self.tx.imported(&self.source, "page", &item.post_id).await?;
        let id = match seen {
            Some(seen) if seen.source_digest == source_digest => {
                self.report.counts("page").unchanged += 1;
                seen.target_id
            }
            Some(seen) => {
                self.tx.update_page(seen.target_id, &page, self.now).await?;
                self.report.counts("page").updated += 1;
                seen.target_id
            }
            None => match self.tx.page_by_slug(slug.as_str()).await? {
                Some(existing) => {
                    notes.push(format!(
                        "the paper has a page {slug} already; it is kept, and the old address leads to it"
                    ));
                    self.report.counts("page").unchanged += 1;
                    existing
                }
                None => {
                    self.report.counts("page").imported += 1;
                    self.tx.insert_page(&page, self.now).await?
                }
            },
        };
        self.remember("page", &item.post_id, id, &source_digest, &written).await?;
        for old in [item.link.clone(), format!("/?page_id={}", item.post_id)] {
            self.legacy(&old, LegacyTarget::Page(id)).await?;
        }
        self.report.notes(&plain(&item.title), &item.link, notes);
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
