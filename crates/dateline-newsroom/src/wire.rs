//! Wire copy: what an agency's item says, in the newsroom's words, whichever standard it came
//! in (the `dateline-ingest` crate reads IPTC NinJS and NewsML-G2 into a [`WireCopy`]).
//!
//! The rules an agency's versions follow live here too: which version is newer, and what a
//! new version, a kill or an embargo does to the story the paper made of the item.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What the agency says of the item's use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireStatus {
    /// May be published.
    Usable,
    /// Withdrawn for now (NinJS `withheld`, NewsML-G2 `stat:withheld`): must come down.
    Withheld,
    /// Killed (NinJS `canceled`, NewsML-G2 `stat:canceled`): must come down.
    Canceled,
}

impl WireStatus {
    pub fn is_kill(self) -> bool {
        matches!(self, WireStatus::Withheld | WireStatus::Canceled)
    }
}

/// Whether the item is a story or a photo on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireKind {
    Text,
    Picture,
}

/// Where a photo's bytes are: a part of the same delivery (a multipart part or a file beside
/// the item, by name), or a remote address to fetch from an allowed host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WirePhoto {
    /// The rendition's reference as the item gives it (`href`, `residref` or file name).
    pub reference: String,
    pub caption: String,
    pub credit: String,
    pub photographer: String,
    pub mime_type: Option<String>,
}

/// One version of one agency item, mapped onto the story model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireCopy {
    /// The agency's identifier, the same for every version of the item.
    pub guid: String,
    /// The agency's version number; 0 where it gives none (then `version_created` orders).
    pub version: i64,
    pub version_created: Option<Timestamp>,
    pub status: WireStatus,
    pub kind: WireKind,
    /// Not to be published before this instant.
    pub embargo_until: Option<Timestamp>,
    pub headline: String,
    pub deck: Option<String>,
    /// Markdown, made from the agency's HTML, XHTML or text.
    pub body: String,
    /// Named reporters, in order, as the byline gives them.
    pub byline_names: Vec<String>,
    /// Where the story was filed ("SEOUL"), if the item says.
    pub dateline: Option<String>,
    /// Subjects and keywords, as names: they become topics.
    pub subjects: Vec<String>,
    /// The lead photo first.
    pub photos: Vec<WirePhoto>,
}

impl WireCopy {
    /// The order of an item's versions: the version number, then the time it was made.
    pub fn version_key(&self) -> (i64, Option<Timestamp>) {
        (self.version, self.version_created)
    }
}

/// A version weighed against the last one the paper took of the same item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionVerdict {
    /// First time the paper sees this guid.
    New,
    /// Later than the last taken.
    Newer,
    /// The same version again, or an older one: nothing changes.
    Stale,
}

pub fn weigh_version(
    last_taken: Option<(i64, Option<Timestamp>)>,
    incoming: (i64, Option<Timestamp>),
) -> VersionVerdict {
    match last_taken {
        None => VersionVerdict::New,
        Some(last) if incoming > last => VersionVerdict::Newer,
        Some(_) => VersionVerdict::Stale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_counts_as_newer_only_when_it_is() {
        let at = |s: &str| Some(s.parse::<Timestamp>().expect("instant"));
        assert_eq!(weigh_version(None, (1, None)), VersionVerdict::New);
        assert_eq!(weigh_version(Some((1, None)), (2, None)), VersionVerdict::Newer);
        assert_eq!(weigh_version(Some((2, None)), (2, None)), VersionVerdict::Stale);
        assert_eq!(weigh_version(Some((3, None)), (2, None)), VersionVerdict::Stale);
        // Without numbers, the time each version was made decides.
        let (early, late) = (at("2026-11-28T01:00:00Z"), at("2026-11-28T02:00:00Z"));
        assert_eq!(weigh_version(Some((0, early)), (0, late)), VersionVerdict::Newer);
        assert_eq!(weigh_version(Some((0, late)), (0, early)), VersionVerdict::Stale);
    }
}

// ---------------------------------------------------------------------------------------------
// Sources, items, and what an arrival does.

use crate::article::{Article, ArticleContent, ArticleStatus, ArticleUpdate, NewArticle, RevisionAuthor, RevisionKind};
use crate::author::{AuthorKind, NewAuthor};
use crate::ids::{ArticleId, AuthorId, MediaId, SectionId, Slug, TopicId, WireSourceId};
use crate::store::{Store, StoreError, StoreResult, Window};
use crate::topic::NewTopic;
use sha2::{Digest, Sha256};
use std::future::Future;

/// An agency feed the paper takes in: configured on the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireSource {
    pub id: WireSourceId,
    /// In the ingest address: `/api/v1/ingest/{slug}`.
    pub slug: Slug,
    /// The agency's name as bylines show it ("Hanbit News").
    pub name: String,
    /// `ninjs-2.1`, `newsml-g2`, …
    pub format: String,
    /// SHA-256 of the token the agency sends (hex); the token itself is shown once.
    pub token_digest: Option<String>,
    /// A folder under the operator's `ingest_root`, watched for files.
    pub folder: Option<String>,
    pub section_id: SectionId,
    /// Publish on arrival (after any embargo) instead of waiting in the wire queue.
    pub publish_at_once: bool,
    /// The agency as an author: every story from this source carries it in its byline.
    pub agency_id: AuthorId,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWireSource {
    pub slug: Slug,
    pub name: String,
    pub format: String,
    pub token_digest: Option<String>,
    pub folder: Option<String>,
    pub section_id: SectionId,
    pub publish_at_once: bool,
    pub agency_id: AuthorId,
    pub created_at: Timestamp,
}

/// What the paper made of one agency item, and the last version it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireItem {
    pub source_id: WireSourceId,
    pub guid: String,
    pub version: i64,
    pub version_created: Option<Timestamp>,
    pub status: WireStatus,
    pub embargo_until: Option<Timestamp>,
    pub article_id: Option<ArticleId>,
    pub media_id: Option<MediaId>,
    /// A digest of the story's content as Dateline last wrote it from the agency's copy: when
    /// the story's content no longer matches, someone on the desk changed it.
    pub taken_digest: Option<String>,
    /// A newer version held back because the desk had changed the story.
    pub pending: Option<WireCopy>,
    /// What the desk should know: a photo that could not be had, a kill.
    pub note: Option<String>,
    pub received_at: Timestamp,
}

/// One line of the desk's wire queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireQueueEntry {
    pub item: WireItem,
    pub source_name: String,
    pub headline: String,
    pub story_status: Option<ArticleStatus>,
}

/// The story side of an arrival, written with the item in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoryWrite {
    None,
    Insert(Box<NewArticle>),
    Update(Box<ArticleUpdate>),
}

/// Everything one arrival writes: the item's record and the story, together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireArrival {
    pub item: WireItem,
    pub story: StoryWrite,
}

pub trait WireStore {
    fn insert_wire_source(&self, new: &NewWireSource) -> impl Future<Output = StoreResult<WireSource>> + Send;
    fn update_wire_source(&self, source: &WireSource) -> impl Future<Output = StoreResult<WireSource>> + Send;
    fn wire_sources(&self) -> impl Future<Output = StoreResult<Vec<WireSource>>> + Send;
    fn wire_source_by_slug(&self, slug: &str) -> impl Future<Output = StoreResult<WireSource>> + Send;
    fn wire_item(&self, source: WireSourceId, guid: &str)
        -> impl Future<Output = StoreResult<Option<WireItem>>> + Send;
    fn wire_item_of_article(&self, id: ArticleId) -> impl Future<Output = StoreResult<Option<WireItem>>> + Send;
    /// Newest first; one source or all.
    fn wire_queue(
        &self,
        source: Option<WireSourceId>,
        window: Window,
    ) -> impl Future<Output = StoreResult<Vec<WireQueueEntry>>> + Send;
    /// Writes the story change and the item's record in one transaction; the story's id
    /// (new or kept). A story update refused by its version check writes nothing.
    fn record_wire_arrival(&self, arrival: &WireArrival)
        -> impl Future<Output = StoreResult<Option<ArticleId>>> + Send;
}

/// What an arrival did, for the agency's answer and the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// A new story (a draft in the queue, published, or scheduled for its embargo's end).
    Created { article: ArticleId, status: ArticleStatus },
    /// The story took the new version: a draft replaced, a published story updated in public.
    Updated { article: ArticleId, status: ArticleStatus },
    /// The desk had changed the story: the new version waits beside it.
    HeldForDesk { article: ArticleId },
    /// The story came down (or never went up): the agency killed or withheld the item.
    Killed { article: Option<ArticleId> },
    /// A picture item: a photo in the library.
    Photo { media: Option<MediaId> },
    /// The same version again, or an older one: nothing changed.
    Ignored { reason: String },
}

/// A digest of the parts of a story an agency's copy sets.
pub fn content_digest(content: &ArticleContent) -> String {
    let mut hash = Sha256::new();
    for part in [content.headline.as_str(), content.deck.as_deref().unwrap_or(""), content.body.as_str()] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    for id in &content.bylines {
        hash.update(id.0.to_le_bytes());
    }
    hash.update([0]);
    for id in &content.topics {
        hash.update(id.0.to_le_bytes());
    }
    hash.update(content.lead_media_id.map_or(-1, |m| m.0).to_le_bytes());
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A slug for a name in any script: its ASCII words, or a short digest of it.
fn slug_for(name: &str, prefix: &str) -> Slug {
    Slug::suggest(name).unwrap_or_else(|| {
        let digest: String = Sha256::digest(name.as_bytes()).iter().take(5).map(|b| format!("{b:02x}")).collect();
        #[expect(clippy::expect_used, reason = "a prefix and hex digits always make a valid slug")]
        Slug::parse(&format!("{prefix}-{digest}")).expect("valid slug")
    })
}

async fn person_named(store: &impl Store, name: &str) -> StoreResult<AuthorId> {
    let slug = slug_for(name, "reporter");
    match store.author_by_slug(&slug).await {
        Ok(author) => Ok(author.id),
        Err(StoreError::NotFound) => {
            let new =
                NewAuthor { slug, name: name.to_owned(), kind: AuthorKind::Person, bio: String::new(), photo_id: None };
            match store.insert_author(&new).await {
                Ok(author) => Ok(author.id),
                // Another arrival made the same reporter a moment ago.
                Err(StoreError::Conflict(_)) => Ok(store.author_by_slug(&new.slug).await?.id),
                Err(other) => Err(other),
            }
        }
        Err(other) => Err(other),
    }
}

async fn topic_named(store: &impl Store, name: &str) -> StoreResult<TopicId> {
    let slug = slug_for(name, "topic");
    match store.topic_by_slug(&slug).await {
        Ok(topic) => Ok(topic.id),
        Err(StoreError::NotFound) => {
            let new = NewTopic { slug, name: name.to_owned(), description: String::new() };
            match store.insert_topic(&new).await {
                Ok(topic) => Ok(topic.id),
                Err(StoreError::Conflict(_)) => Ok(store.topic_by_slug(&new.slug).await?.id),
                Err(other) => Err(other),
            }
        }
        Err(other) => Err(other),
    }
}

/// The story the agency's copy makes: its reporters and then the agency in the byline, its
/// subjects as topics, the first photo as the lead.
pub async fn story_content(
    store: &impl Store,
    source: &WireSource,
    copy: &WireCopy,
    lead_photo: Option<MediaId>,
    slug: Option<Slug>,
) -> StoreResult<ArticleContent> {
    let mut bylines = Vec::new();
    for name in &copy.byline_names {
        // The agency itself is named once, as the agency.
        if name.eq_ignore_ascii_case(&source.name) || name.eq_ignore_ascii_case(source.slug.as_str()) {
            continue;
        }
        let id = person_named(store, name).await?;
        if !bylines.contains(&id) {
            bylines.push(id);
        }
    }
    bylines.push(source.agency_id);
    let mut topics = Vec::new();
    for subject in copy.subjects.iter().take(10) {
        let id = topic_named(store, subject).await?;
        if !topics.contains(&id) {
            topics.push(id);
        }
    }
    let headline: String = copy.headline.chars().take(crate::editing::MAX_HEADLINE_CHARS).collect();
    Ok(ArticleContent {
        slug: slug.unwrap_or_else(|| slug_for(&headline, "wire-story")),
        headline,
        deck: copy.deck.as_ref().map(|d| d.chars().take(crate::editing::MAX_DECK_CHARS).collect()),
        section_id: source.section_id,
        bylines,
        label: None,
        topics,
        lead_media_id: lead_photo,
        body: copy.body.chars().take(crate::editing::MAX_BODY_CHARS).collect(),
        seo_title: None,
        seo_description: None,
    })
}

fn wire_hand(source: &WireSource) -> RevisionAuthor {
    RevisionAuthor::system(&format!("{} (wire)", source.name))
}

fn item_record(source: &WireSource, copy: &WireCopy, now: Timestamp) -> WireItem {
    WireItem {
        source_id: source.id,
        guid: copy.guid.clone(),
        version: copy.version,
        version_created: copy.version_created,
        status: copy.status,
        embargo_until: copy.embargo_until,
        article_id: None,
        media_id: None,
        taken_digest: None,
        pending: None,
        note: None,
        received_at: now,
    }
}

/// Takes one version of an agency item: the rules of new versions, embargoes and kills.
/// `photos` are the item's photos already in the library (the lead first); `note` says what
/// could not be had, for the desk.
pub async fn receive(
    store: &impl Store,
    source: &WireSource,
    copy: &WireCopy,
    photos: &[MediaId],
    note: Option<String>,
    now: Timestamp,
) -> StoreResult<Receipt> {
    let existing = store.wire_item(source.id, &copy.guid).await?;
    let last = existing.as_ref().map(|item| (item.version, item.version_created));
    if weigh_version(last, copy.version_key()) == VersionVerdict::Stale {
        let had = last.map_or(0, |l| l.0);
        return Ok(Receipt::Ignored {
            reason: format!(
                "version {} of {} is not newer than version {had}, which the paper has",
                copy.version, copy.guid
            ),
        });
    }
    let held = existing.as_ref().and_then(|item| item.pending.as_ref()).map(WireCopy::version_key);
    if held.is_some_and(|held| copy.version_key() <= held) {
        return Ok(Receipt::Ignored {
            reason: format!("version {} of {} already waits for the desk", copy.version, copy.guid),
        });
    }
    let mut record = item_record(source, copy, now);
    record.note = note;
    if copy.kind == WireKind::Picture {
        record.media_id = photos.first().copied();
        store.record_wire_arrival(&WireArrival { item: record, story: StoryWrite::None }).await?;
        return Ok(Receipt::Photo { media: photos.first().copied() });
    }
    let story = match existing.as_ref().and_then(|item| item.article_id) {
        Some(id) => Some(store.article_by_id(id).await?),
        None => None,
    };
    let Some(story) = story else { return receive_new(store, source, copy, photos, record, now).await };
    let existing = existing.unwrap_or_else(|| item_record(source, copy, now));
    record.article_id = Some(story.id);

    if copy.status.is_kill() {
        let mut update = ArticleUpdate::of(&story, RevisionKind::Unpublished, wire_hand(source), now);
        if matches!(story.status, ArticleStatus::Published | ArticleStatus::Scheduled) {
            update.status = ArticleStatus::Unpublished;
            update.publish_at = None;
        }
        let word = if copy.status == WireStatus::Canceled { "killed" } else { "withheld" };
        update.note = Some(format!("{} {word} this item (version {}); the story came down", source.name, copy.version));
        record.taken_digest = existing.taken_digest.clone();
        record.note = update.note.clone();
        store.record_wire_arrival(&WireArrival { item: record, story: StoryWrite::Update(Box::new(update)) }).await?;
        return Ok(Receipt::Killed { article: Some(story.id) });
    }

    let desk_changed = existing.taken_digest.as_deref() != Some(content_digest(&story.content).as_str());
    if desk_changed {
        // The desk's work is not overwritten: the version waits for an editor's decision.
        // The item keeps the version it last took, so that version's successors still count.
        let mut held = existing.clone();
        held.pending = Some(copy.clone());
        held.note = Some(format!("agency update available: version {}", copy.version));
        held.received_at = now;
        store.record_wire_arrival(&WireArrival { item: held, story: StoryWrite::None }).await?;
        return Ok(Receipt::HeldForDesk { article: story.id });
    }
    let lead = photos.first().copied().or(story.content.lead_media_id);
    let content = story_content(store, source, copy, lead, Some(story.content.slug.clone())).await?;
    let update = agency_update(source, &story, content, copy, now);
    let status = update.status;
    record.taken_digest = Some(content_digest(&update.content));
    store.record_wire_arrival(&WireArrival { item: record, story: StoryWrite::Update(Box::new(update)) }).await?;
    Ok(Receipt::Updated { article: story.id, status })
}

/// The update that puts an agency's version on a story: in public (with "Updated") when the
/// story is published, quietly otherwise; the embargo follows the agency's.
fn agency_update(
    source: &WireSource,
    story: &Article,
    content: ArticleContent,
    copy: &WireCopy,
    now: Timestamp,
) -> ArticleUpdate {
    let published = story.status == ArticleStatus::Published;
    let kind = if published { RevisionKind::PublicUpdate } else { RevisionKind::Saved };
    let mut update = ArticleUpdate::of(story, kind, wire_hand(source), now);
    update.content = content;
    update.embargo_until = copy.embargo_until;
    update.note = Some(format!("{} version {}", source.name, copy.version));
    if published {
        update.last_public_update_at = Some(now);
    }
    if story.status == ArticleStatus::Scheduled && source.publish_at_once {
        update.publish_at = copy.embargo_until.filter(|until| *until > now).or(Some(now));
    }
    update
}

async fn receive_new(
    store: &impl Store,
    source: &WireSource,
    copy: &WireCopy,
    photos: &[MediaId],
    mut record: WireItem,
    now: Timestamp,
) -> StoreResult<Receipt> {
    if copy.status.is_kill() {
        // A kill of an item the paper never ran: remembered, so an older version arriving
        // late is not taken.
        record.note = Some(format!("{} killed an item the paper had not run", source.name));
        store.record_wire_arrival(&WireArrival { item: record, story: StoryWrite::None }).await?;
        return Ok(Receipt::Killed { article: None });
    }
    let content = story_content(store, source, copy, photos.first().copied(), None).await?;
    let embargoed = copy.embargo_until.filter(|until| *until > now);
    let (status, publish_at, first_published_at) = match (source.publish_at_once, embargoed) {
        (false, _) => (ArticleStatus::Draft, None, None),
        (true, Some(until)) => (ArticleStatus::Scheduled, Some(until), None),
        (true, None) => (ArticleStatus::Published, None, Some(now)),
    };
    record.taken_digest = Some(content_digest(&content));
    let new = NewArticle {
        content,
        status,
        embargo_until: copy.embargo_until,
        publish_at,
        first_published_at,
        last_public_update_at: None,
        created_at: now,
        made_by: wire_hand(source),
    };
    let id = store
        .record_wire_arrival(&WireArrival { item: record, story: StoryWrite::Insert(Box::new(new)) })
        .await?
        .ok_or_else(|| StoreError::Other("the new wire story has no id".into()))?;
    Ok(Receipt::Created { article: id, status })
}

/// An editor's decision on an agency update the desk's changes held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingDecision {
    /// Put the agency's version on the story (the desk's changes give way).
    TakeAgencyVersion,
    /// Keep the story as the desk has it; the agency's version is set aside.
    KeepDeskVersion,
}

/// Applies an editor's decision on a held agency update.
pub async fn decide_pending(
    store: &impl Store,
    actor: &crate::accounts::User,
    source: &WireSource,
    article: ArticleId,
    decision: PendingDecision,
    now: Timestamp,
) -> Result<(), crate::editing::EditError> {
    use crate::accounts::Action;
    use crate::editing::EditError;
    if !actor.role.may(Action::Publish) {
        return Err(EditError::NotAllowed);
    }
    let item = store.wire_item_of_article(article).await?.ok_or(EditError::WrongStatus("not from the wire"))?;
    let Some(pending) = item.pending.clone() else { return Err(EditError::WrongStatus("without an agency update")) };
    let story = store.article_by_id(article).await?;
    let mut record = item.clone();
    record.pending = None;
    record.note = None;
    match decision {
        PendingDecision::KeepDeskVersion => {
            // The desk keeps its story; the set-aside version counts as seen.
            record.version = pending.version;
            record.version_created = pending.version_created;
            store.record_wire_arrival(&WireArrival { item: record, story: StoryWrite::None }).await?;
        }
        PendingDecision::TakeAgencyVersion => {
            let content =
                story_content(store, source, &pending, story.content.lead_media_id, Some(story.content.slug.clone()))
                    .await?;
            let mut update = agency_update(source, &story, content, &pending, now);
            update.made_by = RevisionAuthor { user_id: Some(actor.id), name: actor.name.clone() };
            record.version = pending.version;
            record.version_created = pending.version_created;
            record.embargo_until = pending.embargo_until;
            record.taken_digest = Some(content_digest(&update.content));
            store
                .record_wire_arrival(&WireArrival { item: record, story: StoryWrite::Update(Box::new(update)) })
                .await?;
        }
    }
    Ok(())
}

/// What the agency's word holds a story to, whatever the desk does: an embargo not yet over,
/// or a kill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyHold {
    Embargo(Timestamp),
    Killed,
}

/// The agency's hold on a story, if it came from the wire and has one at `now`.
pub async fn agency_hold(store: &impl Store, id: ArticleId, now: Timestamp) -> StoreResult<Option<AgencyHold>> {
    let Some(item) = store.wire_item_of_article(id).await? else { return Ok(None) };
    if item.status.is_kill() {
        return Ok(Some(AgencyHold::Killed));
    }
    Ok(item.embargo_until.filter(|until| *until > now).map(AgencyHold::Embargo))
}

/// Checks the name of a wire source's watched folder: one plain folder name under the
/// operator's `ingest_root`, so the desk can never point the server elsewhere.
pub fn check_folder_name(name: &str) -> Result<(), String> {
    let well_formed = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !name.starts_with(['-', '_']);
    if well_formed && !matches!(name, "done" | "rejected") {
        Ok(())
    } else {
        Err(format!(
            "the folder {name:?} must be one plain folder name: lowercase letters, digits, - and _ (no slashes or dots)"
        ))
    }
}

#[cfg(test)]
mod folder_tests {
    use super::check_folder_name;

    #[test]
    fn a_watched_folder_is_one_plain_name_under_the_root() {
        assert!(check_folder_name("hanbit").is_ok());
        assert!(check_folder_name("afp_korea-2").is_ok());
        for bad in ["", "../etc", "/etc", "a/b", ".", "..", "Hanbit", "a b", "-x", "done"] {
            assert!(check_folder_name(bad).is_err(), "{bad:?}");
        }
    }
}

/// A new wire source as the desk or the command line describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSetUp {
    pub slug: Slug,
    pub name: String,
    /// Already known to be a format the ingest crate reads.
    pub format: String,
    pub section_id: SectionId,
    pub publish_at_once: bool,
    pub folder: Option<String>,
    /// Whether it takes deliveries over HTTP (then a token is made).
    pub over_http: bool,
}

/// Sets up a wire source: the agency becomes an author of kind agency under the source's slug
/// (or the existing agency author of that slug is used), and a token is made when it takes
/// deliveries over HTTP. Returns the source and the token, which is not kept anywhere.
pub async fn set_up_source(
    store: &impl Store,
    set_up: &SourceSetUp,
    now: Timestamp,
) -> Result<(WireSource, Option<String>), String> {
    let failed = |e: StoreError| match e {
        StoreError::Conflict(what) => what,
        other => format!("it could not be stored ({other})"),
    };
    if set_up.name.trim().is_empty() || set_up.name.chars().count() > 100 {
        return Err("a source needs a name of at most 100 characters (the agency's, as bylines show it)".into());
    }
    if let Some(folder) = &set_up.folder {
        check_folder_name(folder)?;
    }
    let agency_id = match store.author_by_slug(&set_up.slug).await {
        Ok(author) if author.kind == AuthorKind::Agency => author.id,
        Ok(_) => return Err(format!("the author {} is a person, not an agency; choose another slug", set_up.slug)),
        Err(StoreError::NotFound) => {
            let new = NewAuthor {
                slug: set_up.slug.clone(),
                name: set_up.name.trim().to_owned(),
                kind: AuthorKind::Agency,
                bio: String::new(),
                photo_id: None,
            };
            store.insert_author(&new).await.map_err(failed)?.id
        }
        Err(other) => return Err(failed(other)),
    };
    let token = if set_up.over_http { Some(crate::accounts::random_token().map_err(|e| e.to_string())?) } else { None };
    let new = NewWireSource {
        slug: set_up.slug.clone(),
        name: set_up.name.trim().to_owned(),
        format: set_up.format.clone(),
        token_digest: token.as_deref().map(crate::accounts::token_digest),
        folder: set_up.folder.clone(),
        section_id: set_up.section_id,
        publish_at_once: set_up.publish_at_once,
        agency_id,
        created_at: now,
    };
    let source = store.insert_wire_source(&new).await.map_err(failed)?;
    Ok((source, token))
}
