//! `dateline import-ghost`: a Ghost paper's export (Ghost 4 and 5, JSON) into the paper.
//!
//! A Ghost export is one JSON document, `db[0].data` holding `posts` (each with its `html`,
//! and `lexical` or `mobiledoc` beside it), `posts_meta` (Ghost 5 keeps a feature image's alt
//! text and caption and the SEO fields there), `tags`, `posts_tags`, `users` and
//! `posts_authors`. It is read whole (Ghost writes it whole; the size limit keeps that safe),
//! checked, then written through the same writer as a WordPress move: one transaction, every
//! item remembered by its Ghost id, every old address kept.
//!
//! Mapping: a post's primary tag (its first public tag) is its section (a top-level one);
//! its other public tags are topics; internal tags (`#…`) are Ghost's own and are ignored.
//! Several authors become bylines in Ghost's order. Ghost's `updated_at` changes on every
//! save and marks no public update, so moved-in Ghost stories show no "Updated". Old
//! addresses: `/{slug}/` for posts and pages, `/tag/{slug}/`, `/author/{slug}/` and `/rss/`.

use crate::report::Report;
use crate::wordpress_body::{self, DEFAULT_EMBED_HOSTS};
use crate::writer::{clip, digest, plain, slug_of, PhotoFacts, StoryParts, Writer};
use crate::ImportError;
use dateline_intake::Intake;
use dateline_newsroom::editing::{MAX_BYLINES, MAX_DECK_CHARS, MAX_HEADLINE_CHARS, MAX_TOPICS};
use dateline_newsroom::moving_in::LegacyTarget;
use dateline_newsroom::{ArticleContent, ArticleStatus, AuthorId, NewPage, SectionId, Slug, TopicId};
use jiff::Timestamp;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where Ghost's exports point at the site itself.
const GHOST_URL: &str = "__GHOST_URL__";

/// How a Ghost import runs.
#[derive(Debug, Clone)]
pub struct GhostOptions {
    /// A local copy of the site's `content/images`.
    pub images: Option<PathBuf>,
    /// Hosts photos may be fetched from when not found in `images` (exact names).
    pub media_hosts: Vec<String>,
    pub embed_hosts: Vec<String>,
    pub dry_run: bool,
    /// Larger files are refused (the export is read whole).
    pub max_file_bytes: u64,
}

impl Default for GhostOptions {
    fn default() -> Self {
        GhostOptions {
            images: None,
            media_hosts: Vec::new(),
            embed_hosts: DEFAULT_EMBED_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
            dry_run: false,
            max_file_bytes: 512 << 20,
        }
    }
}

/// Every string of the export without control characters: no field means one, and
/// PostgreSQL refuses NUL in text. serde_json refuses nesting past 128 levels, which bounds
/// this walk.
fn without_control_characters(value: &mut Value) {
    match value {
        Value::String(text) => dateline_newsroom::text::strip_control_characters(text),
        Value::Array(items) => items.iter_mut().for_each(without_control_characters),
        Value::Object(fields) => fields.values_mut().for_each(without_control_characters),
        _ => {}
    }
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Ghost's ids are strings (ObjectIds) since Ghost 2, numbers before.
fn id_of(value: &Value, key: &str) -> String {
    match value.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

fn instant(text: &str) -> Option<Timestamp> {
    text.trim().parse().ok()
}

/// The export's data, checked for the shape Ghost writes.
fn data_of(export: &Value) -> Result<&Value, ImportError> {
    let data = export
        .get("db")
        .and_then(|db| db.get(0))
        .and_then(|db| db.get("data"))
        .or_else(|| export.get("data"))
        .ok_or_else(|| {
        ImportError::Refused("the file is not a Ghost export: it has no db[0].data (Ghost 4 and 5 write one)".into())
    })?;
    for list in ["posts", "tags", "users", "posts_tags", "posts_authors", "posts_meta"] {
        if data.get(list).is_some_and(|v| !v.is_array()) {
            return Err(ImportError::Malformed(format!("the export's {list} is not a list")));
        }
    }
    if !data.get("posts").is_some_and(Value::is_array) {
        return Err(ImportError::Refused("the file is not a Ghost export: db[0].data has no posts".into()));
    }
    Ok(data)
}

fn list<'a>(data: &'a Value, key: &str) -> &'a [Value] {
    data.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// Pairs (`posts_tags`, `posts_authors`) by post, in Ghost's order.
fn pairs(data: &Value, key: &str, other: &str) -> HashMap<String, Vec<String>> {
    let mut rows: Vec<(String, i64, String)> = list(data, key)
        .iter()
        .map(|row| {
            (id_of(row, "post_id"), row.get("sort_order").and_then(Value::as_i64).unwrap_or(0), id_of(row, other))
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut by_post: HashMap<String, Vec<String>> = HashMap::new();
    for (post, _, item) in rows {
        by_post.entry(post).or_default().push(item);
    }
    by_post
}

/// Imports a Ghost export; returns the report.
pub async fn import_ghost(
    intake: &Intake,
    file: &Path,
    options: &GhostOptions,
    now: Timestamp,
    mut progress: impl FnMut(u64, u64),
) -> Result<Report, ImportError> {
    let size = std::fs::metadata(file)?.len();
    if size > options.max_file_bytes {
        return Err(ImportError::Refused(format!(
            "the file is {size} bytes; a Ghost import takes at most {}",
            options.max_file_bytes
        )));
    }
    let path = file.to_owned();
    let export: Value = tokio::task::spawn_blocking(move || {
        let reader = std::io::BufReader::new(std::fs::File::open(path)?);
        let mut export: Value = serde_json::from_reader(reader).map_err(|e| {
            ImportError::Malformed(if e.is_eof() {
                format!("the file ends too soon (line {}); it is cut short", e.line())
            } else {
                format!("the file is not JSON: {e}")
            })
        })?;
        without_control_characters(&mut export);
        Ok::<Value, ImportError>(export)
    })
    .await
    .map_err(|e| ImportError::Malformed(format!("the file could not be read ({e})")))??;
    let data = data_of(&export)?;
    let users: HashMap<String, &Value> = list(data, "users").iter().map(|u| (id_of(u, "id"), u)).collect();
    let tags: HashMap<String, &Value> = list(data, "tags").iter().map(|t| (id_of(t, "id"), t)).collect();
    let meta: HashMap<String, &Value> = list(data, "posts_meta").iter().map(|m| (id_of(m, "post_id"), m)).collect();
    let tags_of = pairs(data, "posts_tags", "tag_id");
    let mut authors_of = pairs(data, "posts_authors", "author_id");
    // Check every reference before writing anything.
    for post in list(data, "posts") {
        let id = id_of(post, "id");
        let label = format!("the post {:?} ({id})", text(post, "title"));
        let authors = authors_of.entry(id.clone()).or_default();
        if authors.is_empty() {
            let single = id_of(post, "author_id");
            if !single.is_empty() {
                authors.push(single);
            }
        }
        for author in authors.iter() {
            if !users.contains_key(author) {
                return Err(ImportError::Inconsistent(format!(
                    "{label} names the author {author}, who is not among the export's users"
                )));
            }
        }
        for tag in tags_of.get(&id).into_iter().flatten() {
            if !tags.contains_key(tag) {
                return Err(ImportError::Inconsistent(format!(
                    "{label} names the tag {tag}, which the export does not have"
                )));
            }
        }
        if text(post, "slug").trim().is_empty() {
            return Err(ImportError::Inconsistent(format!("{label} has no slug")));
        }
    }

    let images = options.images.clone().map(|folder| (folder, "/content/images/".to_owned()));
    let w = Writer::begin(intake, "Ghost", "ghost".into(), now, options.dry_run, options.media_hosts.clone(), images)
        .await?;
    let mut run = GhostRun { w, options, tags: &tags, sections: HashMap::new() };
    let outcome = run.everything(data, &users, &meta, &tags_of, &authors_of, &mut progress).await;
    run.w.finish(outcome).await
}

struct GhostRun<'a> {
    w: Writer<'a>,
    options: &'a GhostOptions,
    tags: &'a HashMap<String, &'a Value>,
    /// A tag id → the section it is (as some post's primary tag).
    sections: HashMap<String, SectionId>,
}

fn is_public_tag(tag: &Value) -> bool {
    text(tag, "visibility") != "internal" && !text(tag, "name").starts_with('#')
}

impl GhostRun<'_> {
    async fn everything(
        &mut self,
        data: &Value,
        users: &HashMap<String, &Value>,
        meta: &HashMap<String, &Value>,
        tags_of: &HashMap<String, Vec<String>>,
        authors_of: &HashMap<String, Vec<String>>,
        progress: &mut impl FnMut(u64, u64),
    ) -> Result<(), ImportError> {
        for (id, user) in users {
            let slug = text(user, "slug");
            self.w.author(id, text(user, "name"), &[format!("/author/{slug}")]).await?;
        }
        self.w.legacy("/rss", LegacyTarget::Feed).await?;
        let internal = self.tags.values().filter(|t| !is_public_tag(t)).count();
        if internal > 0 {
            self.w.report.remarks.push(format!("{internal} internal tags (#…) are Ghost's own and are not carried"));
        }
        let posts = list(data, "posts");
        let total = posts.len() as u64;
        for (done, post) in posts.iter().enumerate() {
            let id = id_of(post, "id");
            let no_tags = Vec::new();
            let tag_ids = tags_of.get(&id).unwrap_or(&no_tags);
            let author_ids = authors_of.get(&id).unwrap_or(&no_tags);
            if text(post, "type") == "page" {
                self.page(post).await?;
            } else {
                self.story(post, meta.get(&id).copied(), tag_ids, author_ids).await?;
            }
            progress(done as u64 + 1, total);
        }
        Ok(())
    }

    fn feature_image(post: &Value, meta: Option<&Value>) -> Option<PhotoFacts> {
        let url = text(post, "feature_image").trim();
        if url.is_empty() {
            return None;
        }
        let from_meta = |key: &str| meta.map(|m| text(m, key)).filter(|v| !v.is_empty());
        Some(PhotoFacts {
            url: url.replace(GHOST_URL, ""),
            caption: plain(from_meta("feature_image_caption").unwrap_or(text(post, "feature_image_caption"))),
            alt: from_meta("feature_image_alt").unwrap_or(text(post, "feature_image_alt")).trim().to_owned(),
            credit: String::new(),
            photographer: String::new(),
        })
    }

    async fn body(&mut self, post: &Value, notes: &mut Vec<String>) -> Result<String, ImportError> {
        let html = text(post, "html");
        if html.trim().is_empty() {
            let plaintext = text(post, "plaintext");
            if !(text(post, "lexical").is_empty() && text(post, "mobiledoc").is_empty()) {
                notes.push(
                    "the export has no HTML of this post (only its editor's own format); its plain text is taken"
                        .into(),
                );
            }
            return Ok(dateline_ingest::body::text_to_markdown(plaintext));
        }
        let converted = wordpress_body::convert(&html.replace(GHOST_URL, ""), &self.options.embed_hosts);
        notes.extend(converted.lost);
        let images = converted
            .images
            .into_iter()
            .map(|image| {
                (
                    image.marker,
                    PhotoFacts { url: image.src, caption: image.caption, alt: image.alt, ..PhotoFacts::default() },
                )
            })
            .collect();
        self.w.place_images(converted.markdown, images, notes).await
    }

    async fn section_of(&mut self, tag_id: &str) -> Result<Option<SectionId>, ImportError> {
        if let Some(section) = self.sections.get(tag_id) {
            return Ok(Some(*section));
        }
        let Some(tag) = self.tags.get(tag_id) else { return Ok(None) };
        let (slug_text, name) = (text(tag, "slug").to_owned(), text(tag, "name").to_owned());
        let Some(mut slug) = slug_of(&slug_text, &name) else { return Ok(None) };
        if dateline_newsroom::RESERVED_SECTION_SLUGS.contains(&slug.as_str()) {
            let renamed = Slug::parse(&format!("{slug}-section")).unwrap_or(slug.clone());
            self.w
                .report
                .remarks
                .push(format!("the tag {slug} has one of Dateline's own addresses; its section is {renamed}"));
            slug = renamed;
        }
        let (id, _) = self.w.section(&format!("tag:{tag_id}"), &slug, &name, None).await?;
        self.w.legacy(&format!("/tag/{slug_text}"), LegacyTarget::Section(id.0)).await?;
        self.sections.insert(tag_id.to_owned(), id);
        Ok(Some(id))
    }

    async fn topic_of(&mut self, tag_id: &str) -> Result<Option<TopicId>, ImportError> {
        let Some(tag) = self.tags.get(tag_id) else { return Ok(None) };
        let (slug, name) = (text(tag, "slug").to_owned(), text(tag, "name").to_owned());
        let topic = self.w.topic(&slug, &name).await?;
        if let Some(topic) = topic {
            self.w.legacy(&format!("/tag/{slug}"), LegacyTarget::Topic(topic.0)).await?;
        }
        Ok(topic)
    }

    async fn story(
        &mut self,
        post: &Value,
        meta: Option<&Value>,
        tag_ids: &[String],
        author_ids: &[String],
    ) -> Result<(), ImportError> {
        let id = id_of(post, "id");
        let slug_text = text(post, "slug").to_owned();
        let title = plain(text(post, "title"));
        let published_at = instant(text(post, "published_at"));
        let mut notes = Vec::new();
        let (status, publish_at, first_published_at) = match text(post, "status") {
            "published" => (ArticleStatus::Published, None, published_at.or(Some(self.w.now))),
            "scheduled" => (ArticleStatus::Scheduled, published_at, None),
            "draft" => (ArticleStatus::Draft, None, None),
            "sent" => {
                notes.push("sent as a newsletter only in Ghost; it is a draft here".into());
                (ArticleStatus::Draft, None, None)
            }
            other => {
                self.w.report.skip("story", &format!("status {other}"));
                return Ok(());
            }
        };
        let old_address = format!("/{slug_text}/");
        let source_digest =
            digest(&format!("{post}{}{:?}{:?}", meta.map(Value::to_string).unwrap_or_default(), tag_ids, author_ids));
        let Some(decided) = self.w.story_to_write(&id, source_digest, &title, &old_address).await? else {
            return Ok(());
        };
        let headline = clip(title.clone(), MAX_HEADLINE_CHARS, "title", &mut notes);
        let headline = if headline.is_empty() { format!("Untitled ({slug_text})") } else { headline };
        let deck = Some(plain(text(post, "custom_excerpt")))
            .filter(|d| !d.is_empty())
            .map(|d| clip(d, MAX_DECK_CHARS, "excerpt", &mut notes));
        let public: Vec<&String> =
            tag_ids.iter().filter(|t| self.tags.get(*t).is_some_and(|t| is_public_tag(t))).collect();
        let section = match public.first() {
            Some(primary) => self.section_of(primary).await?,
            None => None,
        };
        let section = match section {
            Some(section) => section,
            None => self.w.fallback_section().await?,
        };
        let mut topics: Vec<TopicId> = Vec::new();
        for tag in public.iter().skip(1) {
            topics.extend(self.topic_of(tag).await?);
        }
        topics.dedup();
        if topics.len() > MAX_TOPICS {
            notes.push(format!("{} tags; a story carries at most {MAX_TOPICS}", topics.len()));
            topics.truncate(MAX_TOPICS);
        }
        let mut bylines: Vec<AuthorId> = author_ids.iter().filter_map(|a| self.w.authors.get(a).copied()).collect();
        bylines.dedup();
        bylines.truncate(MAX_BYLINES);
        let lead = match Self::feature_image(post, meta) {
            // Ghost keeps no credit; the file's own (IPTC, XMP) is read, else the desk is told.
            Some(facts) => self.w.photo(&facts.url.clone(), &facts, &mut notes).await?.map(|(id, _)| id),
            None => None,
        };
        let body = self.body(post, &mut notes).await?;
        let from_meta = |key: &str| meta.map(|m| plain(text(m, key))).filter(|v| !v.is_empty());
        let content = ArticleContent {
            slug: slug_of(&slug_text, &headline).unwrap_or_else(|| Slug::parse("story").expect("a valid slug")),
            headline,
            deck,
            section_id: section,
            bylines,
            label: None,
            topics,
            lead_media_id: lead.filter(|id| id.0 > 0),
            body,
            seo_title: from_meta("meta_title")
                .or_else(|| Some(plain(text(post, "meta_title"))).filter(|v| !v.is_empty())),
            seo_description: from_meta("meta_description")
                .or_else(|| Some(plain(text(post, "meta_description"))).filter(|v| !v.is_empty())),
            dateline: None,
        };
        let parts = StoryParts {
            content,
            status,
            publish_at,
            first_published_at,
            last_public_update_at: None,
            created_at: instant(text(post, "created_at")).or(published_at).unwrap_or(self.w.now),
        };
        self.w.write_story(decided, parts, std::slice::from_ref(&old_address)).await?;
        self.w.report.notes(&title, &old_address, notes);
        Ok(())
    }

    async fn page(&mut self, post: &Value) -> Result<(), ImportError> {
        if text(post, "status") != "published" {
            self.w.report.skip("page", &format!("status {}", text(post, "status")));
            return Ok(());
        }
        let slug_text = text(post, "slug").to_owned();
        let Some(slug) = slug_of(&slug_text, text(post, "title")) else {
            self.w.report.skip("page", "no usable slug");
            return Ok(());
        };
        let mut notes = Vec::new();
        let body = self.body(post, &mut notes).await?;
        let page = NewPage { slug, title: plain(text(post, "title")), body };
        let old_address = format!("/{slug_text}/");
        self.w
            .write_page(
                &id_of(post, "id"),
                &digest(&post.to_string()),
                &page,
                std::slice::from_ref(&old_address),
                &mut notes,
            )
            .await?;
        self.w.report.notes(&page.title, &old_address, notes);
        Ok(())
    }
}
