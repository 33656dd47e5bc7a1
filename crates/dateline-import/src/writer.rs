//! What every importer writes through: one run's transaction (`ImportTx`), its report, the
//! photo files it wrote (removed again if the run fails), and the rules every kind of archive
//! shares: old addresses recorded unless Dateline answers them itself, each item remembered by
//! its key in the old system, authors merged by slug, photos taken in once through the intake
//! (from a local folder, else from the hosts the operator named), stories written or updated
//! as `dateline_newsroom::moving_in::verdict` says.

use crate::report::Report;
use crate::ImportError;
use dateline_intake::Intake;
use dateline_newsroom::moving_in::{is_datelines_own, normal_path, verdict, LegacyTarget, Verdict};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{
    Article, ArticleContent, ArticleId, ArticleStatus, ArticleUpdate, AuthorId, AuthorKind, MediaId, NewArticle,
    NewAuthor, NewPage, RevisionAuthor, RevisionKind, SectionId, Slug, TopicId,
};
use dateline_storage::ImportTx;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

pub(crate) fn digest(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn content_digest(content: &ArticleContent) -> String {
    digest(&serde_json::to_string(content).unwrap_or_default())
}

/// Text with any tags removed and whitespace squeezed (titles, excerpts, captions).
pub(crate) fn plain(html: &str) -> String {
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

/// `text` cut to `max` characters; a cut is noted, naming `what` was cut.
pub(crate) fn clip(text: String, max: usize, what: &str, notes: &mut Vec<String>) -> String {
    if text.chars().count() <= max {
        text
    } else {
        notes.push(format!("the {what} was longer than {max} characters and is cut"));
        text.chars().take(max).collect()
    }
}

/// A slug from the old system's, else from the name.
pub(crate) fn slug_of(given: &str, name: &str) -> Option<Slug> {
    Slug::parse(given).ok().or_else(|| Slug::suggest(name)).or_else(|| Slug::suggest(given))
}

/// A photo to take in: what is said of it.
#[derive(Debug, Clone, Default)]
pub(crate) struct PhotoFacts {
    pub url: String,
    pub caption: String,
    pub alt: String,
    pub credit: String,
    pub photographer: String,
}

/// A story as an importer built it, ready to write.
pub(crate) struct StoryParts {
    pub content: ArticleContent,
    pub status: ArticleStatus,
    pub publish_at: Option<Timestamp>,
    pub first_published_at: Option<Timestamp>,
    pub last_public_update_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// What a run decided for a story it has read: write it (new, or over what the paper holds).
pub(crate) struct StoryToWrite {
    key: String,
    source_digest: String,
    current: Option<Article>,
}

pub(crate) struct Writer<'a> {
    pub intake: &'a Intake,
    pub tx: ImportTx,
    pub source: String,
    /// "WordPress", "Ghost": for revisions and notes.
    pub system: &'static str,
    pub now: Timestamp,
    pub report: Report,
    pub files: Vec<String>,
    pub dry_run: bool,
    media_hosts: Vec<String>,
    /// A local folder of the old site's photos, and the part of a photo's address after which
    /// its path in that folder starts (`/wp-content/uploads/`).
    uploads: Option<(PathBuf, String)>,
    pub topics: HashMap<String, TopicId>,
    pub authors: HashMap<String, AuthorId>,
    photos: HashMap<String, (MediaId, String)>,
    fallback_section: Option<SectionId>,
}

impl<'a> Writer<'a> {
    pub(crate) async fn begin(
        intake: &'a Intake,
        system: &'static str,
        source: String,
        now: Timestamp,
        dry_run: bool,
        media_hosts: Vec<String>,
        uploads: Option<(PathBuf, String)>,
    ) -> Result<Writer<'a>, ImportError> {
        let tx = intake.store().begin_moving_in().await?;
        Ok(Writer {
            intake,
            tx,
            report: Report { source: source.clone(), dry_run, ..Report::default() },
            source,
            system,
            now,
            files: Vec::new(),
            dry_run,
            media_hosts,
            uploads,
            topics: HashMap::new(),
            authors: HashMap::new(),
            photos: HashMap::new(),
            fallback_section: None,
        })
    }

    /// Ends the run: commits it (unless it is a dry run) and returns the report; on `failed`,
    /// or if the commit fails, removes the photo files written and returns the error.
    pub(crate) async fn finish(self, outcome: Result<(), ImportError>) -> Result<Report, ImportError> {
        let Writer { intake, tx, report, files, dry_run, .. } = self;
        let committed = match outcome {
            Ok(()) if dry_run => return Ok(report),
            Ok(()) => tx.commit().await.map_err(ImportError::from),
            Err(error) => Err(error),
        };
        match committed {
            Ok(()) => Ok(report),
            Err(error) => {
                for file in &files {
                    intake.blobs().delete(file).await;
                }
                Err(error)
            }
        }
    }

    /// A section (by its path), made when the paper does not have it; its id and path.
    pub(crate) async fn section(
        &mut self,
        key: &str,
        slug: &Slug,
        name: &str,
        parent: Option<&(SectionId, String)>,
    ) -> Result<(SectionId, String), ImportError> {
        let path = match parent {
            Some((_, parent_path)) => format!("{parent_path}/{slug}"),
            None => slug.to_string(),
        };
        let id = match self.tx.section_by_path(&path).await? {
            Some(id) => {
                self.report.counts("section").unchanged += 1;
                id
            }
            None => {
                self.report.counts("section").imported += 1;
                self.tx.insert_section(slug.as_str(), name, parent.map(|(id, _)| id.0), &path).await?
            }
        };
        self.remember("section", key, id, &digest(&path), &digest(&path)).await?;
        Ok((SectionId(id), path))
    }

    /// Whether a story read before needs writing: `None` when the paper has it as the export
    /// does, or the desk edited it since (both counted and, for the second, noted).
    pub(crate) async fn story_to_write(
        &mut self,
        key: &str,
        source_digest: String,
        title: &str,
        old_address: &str,
    ) -> Result<Option<StoryToWrite>, ImportError> {
        let seen = self.tx.imported(&self.source, "story", key).await?;
        let current = match &seen {
            Some(seen) => match self.intake.store().article_by_id(ArticleId(seen.target_id)).await {
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
                Ok(None)
            }
            Verdict::KeepDeskEdit => {
                self.report.counts("story").kept_desk_edits += 1;
                self.report.notes(
                    title,
                    old_address,
                    vec!["changed in the export and edited on the desk since: the desk's version is kept".into()],
                );
                Ok(None)
            }
            Verdict::New => Ok(Some(StoryToWrite { key: key.to_owned(), source_digest, current: None })),
            Verdict::Update => Ok(Some(StoryToWrite { key: key.to_owned(), source_digest, current })),
        }
    }

    /// Writes a story decided by [`Writer::story_to_write`], remembers it, and records its old
    /// addresses; returns its id.
    pub(crate) async fn write_story(
        &mut self,
        decided: StoryToWrite,
        parts: StoryParts,
        old_paths: &[String],
    ) -> Result<i64, ImportError> {
        let made_by = RevisionAuthor { user_id: None, name: format!("Moved in from {}", self.system) };
        let written_digest = content_digest(&parts.content);
        let id = match decided.current {
            Some(article) => {
                let mut update = ArticleUpdate::of(&article, RevisionKind::Saved, made_by, self.now);
                update.content = parts.content;
                update.status = parts.status;
                update.publish_at = parts.publish_at;
                update.first_published_at = parts.first_published_at.or(article.first_published_at);
                update.last_public_update_at = parts.last_public_update_at.or(article.last_public_update_at);
                update.note = Some(format!("updated from a later {} export", self.system));
                if !self.tx.update_article(&update).await? {
                    return Err(ImportError::Inconsistent(format!(
                        "the story {} was saved on the desk during the import; run it again",
                        article.id
                    )));
                }
                self.report.counts("story").updated += 1;
                article.id.0
            }
            None => {
                let new = NewArticle {
                    content: parts.content,
                    status: parts.status,
                    embargo_until: None,
                    publish_at: parts.publish_at,
                    first_published_at: parts.first_published_at,
                    last_public_update_at: parts.last_public_update_at,
                    created_at: parts.created_at,
                    made_by,
                };
                self.report.counts("story").imported += 1;
                self.tx.insert_article(&new).await?.0
            }
        };
        self.remember("story", &decided.key, id, &decided.source_digest, &written_digest).await?;
        for old in old_paths {
            self.legacy(old, LegacyTarget::Story(id)).await?;
        }
        Ok(id)
    }

    /// Writes a page by its key (or keeps the paper's page of the same slug), remembers it and
    /// records its old addresses.
    pub(crate) async fn write_page(
        &mut self,
        key: &str,
        source_digest: &str,
        page: &NewPage,
        old_paths: &[String],
        notes: &mut Vec<String>,
    ) -> Result<(), ImportError> {
        let written = digest(&format!("{}\n{}", page.title, page.body));
        let seen = self.tx.imported(&self.source, "page", key).await?;
        let id = match seen {
            Some(seen) if seen.source_digest == source_digest => {
                self.report.counts("page").unchanged += 1;
                seen.target_id
            }
            Some(seen) => {
                self.tx.update_page(seen.target_id, page, self.now).await?;
                self.report.counts("page").updated += 1;
                seen.target_id
            }
            None => match self.tx.page_by_slug(page.slug.as_str()).await? {
                Some(existing) => {
                    notes.push(format!(
                        "the paper has a page {} already; it is kept, and the old address leads to it",
                        page.slug
                    ));
                    self.report.counts("page").unchanged += 1;
                    existing
                }
                None => {
                    self.report.counts("page").imported += 1;
                    self.tx.insert_page(page, self.now).await?
                }
            },
        };
        self.remember("page", key, id, source_digest, &written).await?;
        for old in old_paths {
            self.legacy(old, LegacyTarget::Page(id)).await?;
        }
        Ok(())
    }

    /// Puts the photos of a converted body in place: each taken into the library (once) and
    /// shown where it stood, with its caption; a photo that cannot be had is left out and noted.
    pub(crate) async fn place_images(
        &mut self,
        mut markdown: String,
        images: Vec<(String, PhotoFacts)>,
        notes: &mut Vec<String>,
    ) -> Result<String, ImportError> {
        for (marker, facts) in images {
            let replacement = match self.photo(&facts.url.clone(), &facts, notes).await? {
                Some((_, key)) => {
                    let alt = facts.alt.replace(['[', ']'], "");
                    let mut shown = format!("![{alt}](/media/{key})");
                    if !facts.caption.is_empty() {
                        shown.push_str(&format!("\n\n*{}*", facts.caption.replace('*', "")));
                    }
                    shown
                }
                None => String::new(),
            };
            markdown = markdown.replace(&marker, &replacement);
        }
        Ok(markdown.split("\n\n").filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join("\n\n"))
    }

    /// Records an old address for `target`, unless it is one of Dateline's own or another
    /// item's already; true when recorded.
    pub(crate) async fn legacy(&mut self, path: &str, target: LegacyTarget) -> Result<bool, ImportError> {
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

    pub(crate) async fn remember(
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

    pub(crate) async fn author(&mut self, key: &str, name: &str, old_paths: &[String]) -> Result<(), ImportError> {
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
                    self.report.authors_merged.push(format!("{name} ({key} there) is the paper's {slug}"));
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
        for old in old_paths {
            self.legacy(old, LegacyTarget::Author(id)).await?;
        }
        self.authors.insert(key.to_owned(), AuthorId(id));
        Ok(())
    }

    pub(crate) async fn topic(&mut self, slug: &str, name: &str) -> Result<Option<TopicId>, ImportError> {
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

    /// The section for a post without a category: "Archive", made when first needed.
    pub(crate) async fn fallback_section(&mut self) -> Result<SectionId, ImportError> {
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
    pub(crate) async fn photo_bytes(&self, url: &str) -> Result<(Vec<u8>, String), String> {
        if let (Some((uploads, marker)), true) = (&self.uploads, !url.is_empty()) {
            let at = url.find(marker.as_str()).map(|at| at + marker.len());
            let relative = at.map_or("", |at| &url[at..]);
            let relative = relative.split(['?', '#']).next().unwrap_or_default();
            if !relative.is_empty() && !relative.split('/').any(|part| part == ".." || part.is_empty()) {
                let local = uploads.join(relative);
                if let Ok(bytes) = tokio::fs::read(&local).await {
                    return Ok((bytes, String::new()));
                }
            }
        }
        if self.media_hosts.is_empty() {
            return Err(format!(
                "the photo {url} is not in the local folder of photos (give it, or --media-host to fetch it)"
            ));
        }
        dateline_intake::photos::fetch(self.intake, url, &self.media_hosts)
            .await
            .map_err(|why| format!("the photo {url} could not be fetched: {why}"))
    }

    /// The library photo for an attachment or a body image, taken in once per run (and once
    /// ever: a later run finds it by its address).
    pub(crate) async fn photo(
        &mut self,
        url: &str,
        attachment: &PhotoFacts,
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
        // What the export leaves empty, the file itself may say (its IPTC and XMP).
        let mut details = dateline_newsroom::MediaDetails {
            caption: attachment.caption.clone(),
            credit: attachment.credit.clone(),
            alt_text: attachment.alt.clone(),
            photographer: attachment.photographer.clone(),
            redistributable: false,
        };
        dateline_intake::photos::fill_from_file(&mut details, &bytes, &found);
        if details.credit.trim().is_empty() {
            notes.push(format!("the photo {url} has no credit in the export or in the file; add one on the desk"));
        }
        self.report.counts("photo").imported += 1;
        if self.dry_run {
            return Ok(Some((MediaId(0), String::new())));
        }
        let texts = dateline_intake::PhotoTexts {
            caption: details.caption,
            credit: details.credit,
            alt_text: details.alt_text,
            photographer: details.photographer,
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
}
