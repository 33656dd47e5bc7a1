//! What an arrival does: a new item makes a story (or a photo), a newer version replaces it
//! unless the desk changed it, an embargo holds even against an editor, a kill brings the
//! story down; and an editor's decision on an agency update the desk's changes held back.

use super::{datelines, StoryWrite, WireArrival};
use super::{weigh_version, VersionVerdict, WireCopy, WireItem, WireKind, WireSource, WireStatus};
use crate::article::{Article, ArticleContent, ArticleStatus, ArticleUpdate, NewArticle, RevisionAuthor, RevisionKind};
use crate::author::{AuthorKind, NewAuthor};
use crate::ids::{ArticleId, AuthorId, MediaId, Slug, TopicId};
use crate::store::{Store, StoreError, StoreResult};
use crate::topic::NewTopic;
use jiff::Timestamp;
use sha2::{Digest, Sha256};

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
    Photo { media: MediaId },
    /// A picture item whose image could not be had: kept as waiting for its rendition, so
    /// the same version delivered again with the image completes it. The reason says why.
    AwaitingRendition { reason: String },
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
    // Only when there is one, so digests taken before stories had datelines still match.
    if let Some(dateline) = &content.dateline {
        hash.update([0]);
        hash.update(dateline.as_bytes());
    }
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

/// What `find` finds, or else what `make` makes. A make refused as a duplicate lost a race
/// with another arrival making the same reporter or topic a moment ago: then `find` finds
/// that one.
async fn find_or_make<Id, Found, Made>(find: impl Fn() -> Found, make: Made) -> StoreResult<Id>
where
    Found: std::future::Future<Output = StoreResult<Id>>,
    Made: std::future::Future<Output = StoreResult<Id>>,
{
    match find().await {
        Err(StoreError::NotFound) => match make.await {
            Err(StoreError::Conflict(_)) => find().await,
            made => made,
        },
        found => found,
    }
}

async fn person_named(store: &impl Store, name: &str) -> StoreResult<AuthorId> {
    let slug = &slug_for(name, "reporter");
    let new = NewAuthor {
        slug: slug.clone(),
        name: name.to_owned(),
        kind: AuthorKind::Person,
        bio: String::new(),
        photo_id: None,
    };
    find_or_make(move || async move { Ok(store.author_by_slug(slug).await?.id) }, async {
        Ok(store.insert_author(&new).await?.id)
    })
    .await
}

async fn topic_named(store: &impl Store, name: &str) -> StoreResult<TopicId> {
    let slug = &slug_for(name, "topic");
    let new = NewTopic { slug: slug.clone(), name: name.to_owned(), description: String::new() };
    find_or_make(move || async move { Ok(store.topic_by_slug(slug).await?.id) }, async {
        Ok(store.insert_topic(&new).await?.id)
    })
    .await
}

/// The story's dateline and body: the dateline the body opens with (the agency's own words,
/// taken out of the body so it is not read twice), else one the source's rule shapes from the
/// item's place, the time it was filed in the paper's zone, and the agency's name.
async fn dateline_and_body(
    store: &impl Store,
    source: &WireSource,
    copy: &WireCopy,
    received_at: Timestamp,
) -> StoreResult<(Option<String>, String)> {
    let body: String = copy.body.chars().take(crate::editing::MAX_BODY_CHARS).collect();
    if source.dateline_format.trim().is_empty() {
        return Ok((None, body));
    }
    if let Some((dateline, rest)) = datelines::split_leading_dateline(&body, copy.located.as_deref()) {
        return Ok((Some(dateline), rest));
    }
    let place = copy.located.clone().or_else(|| {
        copy.written_dateline.as_deref().map(|written| written.split(',').next().unwrap_or(written).trim().to_owned())
    });
    let Some(place) = place else { return Ok((None, body)) };
    let zone = store.settings().await?.zone().unwrap_or(jiff::tz::TimeZone::UTC);
    let filed = copy.version_created.unwrap_or(received_at);
    Ok((datelines::shape_dateline(&source.dateline_format, &place, filed, &zone, &source.name), body))
}

/// The story the agency's copy makes: its reporters and then the agency in the byline, its
/// subjects as topics, the first photo as the lead, and its dateline.
pub async fn story_content(
    store: &impl Store,
    source: &WireSource,
    copy: &WireCopy,
    lead_photo: Option<MediaId>,
    slug: Option<Slug>,
    received_at: Timestamp,
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
    let (dateline, body) = dateline_and_body(store, source, copy, received_at).await?;
    Ok(ArticleContent {
        slug: slug.unwrap_or_else(|| slug_for(&headline, "wire-story")),
        headline,
        deck: copy.deck.as_ref().map(|d| d.chars().take(crate::editing::MAX_DECK_CHARS).collect()),
        section_id: source.section_id,
        bylines,
        label: None,
        topics,
        lead_media_id: lead_photo,
        body,
        seo_title: None,
        seo_description: None,
        dateline,
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

/// Why the paper has no use for this version of an item it knows: the same version again, an
/// older one, or one no newer than the update already waiting for the desk. `None` when the
/// version is news.
pub fn already_has(known: Option<&WireItem>, copy: &WireCopy) -> Option<String> {
    let known = known?;
    // A picture still waiting for its image takes the same version again: that delivery may
    // carry the image this one lacked.
    if known.waits_for_rendition()
        && copy.kind == WireKind::Picture
        && copy.version_key() >= (known.version, known.version_created)
    {
        return None;
    }
    if weigh_version(Some((known.version, known.version_created)), copy.version_key()) == VersionVerdict::Stale {
        return Some(format!(
            "version {} of {} is not newer than version {}, which the paper has",
            copy.version, copy.guid, known.version
        ));
    }
    let held = known.pending.as_ref().map(WireCopy::version_key);
    held.is_some_and(|held| copy.version_key() <= held)
        .then(|| format!("version {} of {} already waits for the desk", copy.version, copy.guid))
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
    if let Some(reason) = already_has(existing.as_ref(), copy) {
        return Ok(Receipt::Ignored { reason });
    }
    let mut record = item_record(source, copy, now);
    record.note = note;
    if copy.kind == WireKind::Picture {
        // A newer version without its image keeps the photo an earlier one gave.
        record.media_id = photos.first().copied().or(existing.as_ref().and_then(|item| item.media_id));
        let media = record.media_id;
        if media.is_none() && !copy.status.is_kill() {
            let why = record.note.take().unwrap_or_else(|| "the item named no image".to_owned());
            record.note = Some(format!("waiting for its image ({why}); deliver this version again with it"));
        }
        let reason = record.note.clone();
        store.record_wire_arrival(&WireArrival { item: record, story: StoryWrite::None }).await?;
        return Ok(match media {
            _ if copy.status.is_kill() => Receipt::Killed { article: None },
            Some(media) => Receipt::Photo { media },
            None => Receipt::AwaitingRendition { reason: reason.unwrap_or_default() },
        });
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
    let content = story_content(store, source, copy, lead, Some(story.content.slug.clone()), now).await?;
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
    let content = story_content(store, source, copy, photos.first().copied(), None, now).await?;
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
            let content = story_content(
                store,
                source,
                &pending,
                story.content.lead_media_id,
                Some(story.content.slug.clone()),
                item.received_at,
            )
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
