//! SQL for articles, their bylines, topics and revisions.

use crate::db::Backend;
use crate::db::{params, placeholders, DbTime, Param, Tx};
use crate::sections::stored_slug;
use crate::SqlStore;
use dateline_newsroom::{
    Article, ArticleContent, ArticleId, ArticleStatus, ArticleStore, ArticleSummary, ArticleUpdate, AuthorId,
    DeskStory, HourlyViews, Label, Listing, MediaId, NewArticle, Revision, RevisionAuthor, RevisionKind, SectionId,
    StoreError, StoryFilter, StoryForReaders, StoryHas, TopicId, UserId, Window,
};
use dateline_newsroom::{Change, Correction, DeskCounts, PublishedMonth};
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::LazyLock;

/// What "a reader may see it" means in SQL; `$1` is now. Mirrors `Article::is_public`.
pub(crate) const PUBLIC_AT_1: &str =
    "status = 'published' AND first_published_at <= $1 AND (embargo_until IS NULL OR embargo_until <= $1)";

#[derive(sqlx::FromRow)]
struct ArticleRow {
    id: i64,
    slug: String,
    headline: String,
    deck: Option<String>,
    section_id: i64,
    label: Option<String>,
    lead_media_id: Option<i64>,
    body: String,
    seo_title: Option<String>,
    seo_description: Option<String>,
    status: String,
    embargo_until: Option<DbTime>,
    publish_at: Option<DbTime>,
    first_published_at: Option<DbTime>,
    last_public_update_at: Option<DbTime>,
    created_at: DbTime,
    modified_at: DbTime,
    version: i64,
    created_by_user_id: Option<i64>,
    dateline: Option<String>,
    assignee_user_id: Option<i64>,
}

const ARTICLE_COLUMNS: &str =
    "id, slug, headline, deck, section_id, label, lead_media_id, body, seo_title, seo_description, \
     status, embargo_until, publish_at, first_published_at, last_public_update_at, created_at, modified_at, version, \
     created_by_user_id, dateline, \
     (SELECT p.assignee_user_id FROM story_plans p WHERE p.article_id = articles.id) AS assignee_user_id";

/// A story's row with its bylines and topics as comma-separated ids in their order, and how
/// many of each part kept beside it it has (at most one of each but corrections).
#[derive(sqlx::FromRow)]
struct StoryForReadersRow {
    #[sqlx(flatten)]
    article: ArticleRow,
    byline_ids: Option<String>,
    topic_ids: Option<String>,
    corrections: i64,
    videos: i64,
    live_coverage: i64,
    podcast_episodes: i64,
}

/// One statement for everything a story's reader page needs to know first; only the list of
/// ids differs between the dialects (SQLite's `group_concat`, PostgreSQL's `string_agg`).
fn story_for_readers_sql(list_ids: fn(&str, &str) -> String) -> String {
    format!(
        "SELECT {ARTICLE_COLUMNS}, \
         {} AS byline_ids, \
         {} AS topic_ids, \
         (SELECT COUNT(*) FROM corrections c WHERE c.article_id = articles.id) AS corrections, \
         (SELECT COUNT(*) FROM story_videos v WHERE v.article_id = articles.id) AS videos, \
         (SELECT COUNT(*) FROM live_coverage l WHERE l.article_id = articles.id) AS live_coverage, \
         (SELECT COUNT(*) FROM podcast_episodes e WHERE e.article_id = articles.id) AS podcast_episodes \
         FROM articles WHERE id = $1",
        list_ids("article_bylines", "author_id"),
        list_ids("article_topics", "topic_id"),
    )
}

static STORY_FOR_READERS_SQLITE: LazyLock<String> = LazyLock::new(|| {
    story_for_readers_sql(|table, column| {
        format!("(SELECT group_concat({column}, ',' ORDER BY position) FROM {table} WHERE article_id = articles.id)")
    })
});

static STORY_FOR_READERS_POSTGRES: LazyLock<String> = LazyLock::new(|| {
    story_for_readers_sql(|table, column| {
        format!(
            "(SELECT string_agg({column}::text, ',' ORDER BY position) FROM {table} WHERE article_id = articles.id)"
        )
    })
});

/// `"3,7"` as `[3, 7]`; nothing listed is none.
fn listed_ids(listed: Option<&str>) -> Result<Vec<i64>, StoreError> {
    listed
        .filter(|text| !text.is_empty())
        .map(|text| text.split(',').map(|id| id.parse::<i64>().map_err(|_| corrupt("listed id"))).collect())
        .unwrap_or_else(|| Ok(Vec::new()))
}

impl ArticleRow {
    fn into_article(self, bylines: Vec<AuthorId>, topics: Vec<TopicId>) -> Result<Article, StoreError> {
        Ok(Article {
            id: ArticleId(self.id),
            content: ArticleContent {
                slug: stored_slug(self.slug)?,
                headline: self.headline,
                deck: self.deck,
                section_id: SectionId(self.section_id),
                bylines,
                label: stored_label(self.label)?,
                topics,
                lead_media_id: self.lead_media_id.map(MediaId),
                body: self.body,
                seo_title: self.seo_title,
                seo_description: self.seo_description,
                dateline: self.dateline,
            },
            status: ArticleStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?,
            embargo_until: self.embargo_until.map(|t| t.0),
            publish_at: self.publish_at.map(|t| t.0),
            first_published_at: self.first_published_at.map(|t| t.0),
            last_public_update_at: self.last_public_update_at.map(|t| t.0),
            created_at: self.created_at.0,
            modified_at: self.modified_at.0,
            version: self.version,
            created_by: self.created_by_user_id.map(UserId),
            assignee: self.assignee_user_id.map(UserId),
        })
    }
}

#[derive(sqlx::FromRow)]
struct DeskRow {
    id: i64,
    headline: String,
    status: String,
    section_id: i64,
    publish_at: Option<DbTime>,
    first_published_at: Option<DbTime>,
    modified_at: DbTime,
    created_by_user_id: Option<i64>,
    assignee_user_id: Option<i64>,
    version: i64,
    last_changed_by: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub(crate) id: i64,
    slug: String,
    headline: String,
    deck: Option<String>,
    section_id: i64,
    label: Option<String>,
    lead_media_id: Option<i64>,
    first_published_at: DbTime,
    last_public_update_at: Option<DbTime>,
    excerpt: String,
}

const SUMMARY_COLUMNS: &str = "id, slug, headline, deck, section_id, label, lead_media_id, first_published_at, \
     last_public_update_at, substr(body, 1, 600) AS excerpt";

#[derive(sqlx::FromRow)]
struct RevisionRow {
    article_id: i64,
    number: i64,
    kind: String,
    made_by_user_id: Option<i64>,
    made_by_name: String,
    made_at: DbTime,
    note: Option<String>,
    content: String,
}

fn stored_label(label: Option<String>) -> Result<Option<Label>, StoreError> {
    label
        .map(|text| Label::parse(&text).ok_or_else(|| StoreError::Other(format!("unknown stored label {text:?}"))))
        .transpose()
}

pub(crate) fn stored_status(text: &str) -> Result<ArticleStatus, StoreError> {
    ArticleStatus::parse(text).ok_or_else(|| corrupt("status"))
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Other(format!("a stored article has a malformed {what}"))
}

impl SqlStore {
    /// Bylines of many stories in one query, in byline order.
    async fn bylines_of(&self, ids: &[i64]) -> Result<HashMap<i64, Vec<AuthorId>>, StoreError> {
        let mut bylines: HashMap<i64, Vec<AuthorId>> = HashMap::new();
        if ids.is_empty() {
            return Ok(bylines);
        }
        let sql = format!(
            "SELECT article_id, author_id FROM article_bylines WHERE article_id IN ({}) ORDER BY article_id, position",
            placeholders(1, ids.len())
        );
        let rows: Vec<(i64, i64)> = self.db.fetch_all(&sql, ids.iter().map(|&id| Param::from(id)).collect()).await?;
        for (article, author) in rows {
            bylines.entry(article).or_default().push(AuthorId(author));
        }
        Ok(bylines)
    }

    /// The `AND …` that narrows public stories to a listing, with its parameters numbered
    /// from `first_placeholder`.
    fn listing_filter(listing: Listing<'_>, first_placeholder: usize) -> (String, Vec<Param>) {
        match listing {
            Listing::Everything => (String::new(), Vec::new()),
            Listing::Sections([]) => (" AND 1 = 0".into(), Vec::new()),
            Listing::Sections(ids) => (
                format!(" AND section_id IN ({})", placeholders(first_placeholder, ids.len())),
                ids.iter().map(|id| Param::from(id.0)).collect(),
            ),
            Listing::Author(author) => (
                format!(" AND id IN (SELECT article_id FROM article_bylines WHERE author_id = ${first_placeholder})"),
                params![author.0],
            ),
            Listing::Topic(topic) => (
                format!(" AND id IN (SELECT article_id FROM article_topics WHERE topic_id = ${first_placeholder})"),
                params![topic.0],
            ),
            Listing::PublishedBetween(from, until) => (
                format!(
                    " AND first_published_at >= ${first_placeholder} AND first_published_at < ${}",
                    first_placeholder + 1
                ),
                params![from, until],
            ),
        }
    }

    pub(crate) async fn summaries(&self, rows: Vec<SummaryRow>) -> Result<Vec<ArticleSummary>, StoreError> {
        let mut bylines = self.bylines_of(&rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
        rows.into_iter()
            .map(|row| {
                Ok(ArticleSummary {
                    id: ArticleId(row.id),
                    bylines: bylines.remove(&row.id).unwrap_or_default(),
                    slug: stored_slug(row.slug)?,
                    headline: row.headline,
                    deck: row.deck,
                    section_id: SectionId(row.section_id),
                    label: stored_label(row.label)?,
                    lead_media_id: row.lead_media_id.map(MediaId),
                    first_published_at: row.first_published_at.0,
                    last_public_update_at: row.last_public_update_at.map(|t| t.0),
                    excerpt: row.excerpt,
                })
            })
            .collect()
    }
}

/// Appends a revision numbered after the story's last one.
async fn insert_revision(
    tx: &mut Tx,
    id: i64,
    kind: RevisionKind,
    by: &RevisionAuthor,
    at: Timestamp,
    note: Option<&str>,
    content: &ArticleContent,
) -> Result<(), StoreError> {
    let snapshot = serde_json::to_string(content).map_err(|e| StoreError::Other(e.to_string()))?;
    tx.execute(
        "INSERT INTO article_revisions (article_id, number, kind, made_by_user_id, made_by_name, made_at, note, content)
         SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, $5, $6, $7 FROM article_revisions WHERE article_id = $1",
        params![id, kind.as_str(), by.user_id.map(|u| u.0), &by.name, at, note, snapshot],
    )
    .await
    .map(drop)
}

/// Writes the ordered bylines and topics of a story, replacing what it had.
async fn write_bylines_and_topics(tx: &mut Tx, id: i64, content: &ArticleContent) -> Result<(), StoreError> {
    tx.execute("DELETE FROM article_bylines WHERE article_id = $1", params![id]).await?;
    tx.execute("DELETE FROM article_topics WHERE article_id = $1", params![id]).await?;
    for (position, author) in content.bylines.iter().enumerate() {
        tx.execute(
            "INSERT INTO article_bylines (article_id, position, author_id) VALUES ($1, $2, $3)",
            params![id, position as i64, author.0],
        )
        .await?;
    }
    for (position, topic) in content.topics.iter().enumerate() {
        tx.execute(
            "INSERT INTO article_topics (article_id, position, topic_id) VALUES ($1, $2, $3)",
            params![id, position as i64, topic.0],
        )
        .await?;
    }
    Ok(())
}

impl SqlStore {
    /// Every story's bylines and topics, in order, read in one query for all of them.
    async fn full_articles(&self, rows: Vec<ArticleRow>) -> Result<Vec<Article>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let sql = format!(
            "SELECT 'byline' AS kind, article_id, position, author_id AS item FROM article_bylines WHERE article_id IN ({}) \
             UNION ALL \
             SELECT 'topic' AS kind, article_id, position, topic_id AS item FROM article_topics WHERE article_id IN ({}) \
             ORDER BY 2, 1, 3",
            placeholders(1, ids.len()),
            placeholders(ids.len() + 1, ids.len())
        );
        let bound: Vec<Param> = ids.iter().chain(&ids).map(|&id| Param::from(id)).collect();
        let found: Vec<(String, i64, i64, i64)> = self.db.fetch_all(&sql, bound).await?;
        let mut bylines: HashMap<i64, Vec<AuthorId>> = HashMap::new();
        let mut topics: HashMap<i64, Vec<TopicId>> = HashMap::new();
        for (kind, article, _position, item) in found {
            match kind.as_str() {
                "byline" => bylines.entry(article).or_default().push(AuthorId(item)),
                _ => topics.entry(article).or_default().push(TopicId(item)),
            }
        }
        rows.into_iter()
            .map(|row| {
                let (story_bylines, story_topics) =
                    (bylines.remove(&row.id).unwrap_or_default(), topics.remove(&row.id).unwrap_or_default());
                row.into_article(story_bylines, story_topics)
            })
            .collect()
    }
}

/// When a syndication partner without embargoed copy may first take a story's current
/// version: the later of its change and its release (the `offered_at` column).
pub(crate) fn offered_at(
    changed: Timestamp,
    embargo_until: Option<Timestamp>,
    first_published_at: Option<Timestamp>,
) -> Timestamp {
    changed.max(embargo_until.unwrap_or(changed)).max(first_published_at.unwrap_or(changed))
}

/// `offered_at` worked out again for every story (after an archive import), in SQL both
/// databases read alike.
pub(crate) const RECOMPUTE_OFFERED_AT: &str = "UPDATE articles SET offered_at = CASE \
     WHEN embargo_until IS NOT NULL AND embargo_until > modified_at \
          AND (first_published_at IS NULL OR embargo_until >= first_published_at) THEN embargo_until \
     WHEN first_published_at IS NOT NULL AND first_published_at > modified_at THEN first_published_at \
     ELSE modified_at END";

/// Whether a write is told to webhooks and partners: a story written in the newsroom is; a
/// story moved in from an old archive is history, and is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Announce {
    Yes,
    No,
}

/// Writes a new story, its bylines, topics, search entry and first revision in `tx`.
pub(crate) async fn insert_article_in(
    tx: &mut Tx,
    new: &NewArticle,
    announce: Announce,
) -> Result<ArticleId, StoreError> {
    let c = &new.content;
    let (id,): (i64,) = tx
        .fetch_one(
                "INSERT INTO articles (slug, headline, deck, section_id, label, lead_media_id, body, seo_title, seo_description,
                     status, embargo_until, publish_at, first_published_at, last_public_update_at, created_at, modified_at, version,
                     created_by_user_id, offered_at, dateline)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, 1, $16, $17, $18) RETURNING id",
                params![
                    c.slug.as_str(),
                    &c.headline,
                    c.deck.clone(),
                    c.section_id.0,
                    c.label.map(|l| l.as_str()),
                    c.lead_media_id.map(|m| m.0),
                    &c.body,
                    c.seo_title.clone(),
                    c.seo_description.clone(),
                    new.status.as_str(),
                    new.embargo_until,
                    new.publish_at,
                    new.first_published_at,
                    new.last_public_update_at,
                    new.created_at,
                    new.made_by.user_id.map(|u| u.0),
                    offered_at(new.created_at, new.embargo_until, new.first_published_at),
                    c.dateline.clone(),
                ],
            )
            .await?;
    write_bylines_and_topics(tx, id, c).await?;
    crate::search::index_story(tx, id, c).await?;
    insert_revision(tx, id, RevisionKind::Created, &new.made_by, new.created_at, None, c).await?;
    // A story stored already published (an agency's copy on a source that publishes at once).
    let event = match new.status {
        ArticleStatus::Published => Some(dateline_newsroom::webhooks::WebhookEvent::Published),
        ArticleStatus::Scheduled => Some(dateline_newsroom::webhooks::WebhookEvent::Scheduled),
        _ => None,
    };
    if let (Some(event), Announce::Yes) = (event, announce) {
        crate::webhooks::enqueue(tx, event, id, 1, c.slug.as_str(), new.created_at).await?;
    }
    Ok(ArticleId(id))
}

/// Writes `update` in `tx` if the story is still at its expected version; false when someone
/// saved it in between (and nothing was written).
pub(crate) async fn update_article_in(
    tx: &mut Tx,
    update: &ArticleUpdate,
    announce: Announce,
) -> Result<bool, StoreError> {
    let c = &update.content;
    let changed = tx
            .execute(
                "UPDATE articles SET slug = $3, headline = $4, deck = $5, section_id = $6, label = $7, lead_media_id = $8,
                     body = $9, seo_title = $10, seo_description = $11, status = $12, embargo_until = $13, publish_at = $14,
                     first_published_at = $15, modified_at = $17, version = version + 1,
                     last_public_update_at = CASE WHEN last_public_update_at IS NOT NULL
                         AND ($16 IS NULL OR last_public_update_at > $16) THEN last_public_update_at ELSE $16 END,
                     offered_at = $18, dateline = $19
                 WHERE id = $1 AND version = $2",
                params![
                    update.id.0,
                    update.expected_version,
                    c.slug.as_str(),
                    &c.headline,
                    c.deck.clone(),
                    c.section_id.0,
                    c.label.map(|l| l.as_str()),
                    c.lead_media_id.map(|m| m.0),
                    &c.body,
                    c.seo_title.clone(),
                    c.seo_description.clone(),
                    update.status.as_str(),
                    update.embargo_until,
                    update.publish_at,
                    update.first_published_at,
                    update.last_public_update_at,
                    update.modified_at,
                    offered_at(update.modified_at, update.embargo_until, update.first_published_at),
                    c.dateline.clone(),
                ],
            )
            .await?;
    if changed == 0 {
        return Ok(false);
    }
    write_bylines_and_topics(tx, update.id.0, c).await?;
    crate::search::index_story(tx, update.id.0, c).await?;
    if let Some(text) = &update.correction {
        tx.execute(
            "INSERT INTO corrections (article_id, text, published_at, made_by_name) VALUES ($1, $2, $3, $4)",
            params![update.id.0, text, update.modified_at, &update.made_by.name],
        )
        .await?;
    }
    insert_revision(
        tx,
        update.id.0,
        update.revision_kind,
        &update.made_by,
        update.modified_at,
        update.note.as_deref(),
        c,
    )
    .await?;
    if let (Some(event), Announce::Yes) = (dateline_newsroom::webhooks::event_of(update), announce) {
        let version = update.expected_version + 1;
        crate::webhooks::enqueue(tx, event, update.id.0, version, c.slug.as_str(), update.modified_at).await?;
    }
    Ok(true)
}

impl ArticleStore for SqlStore {
    async fn insert_article(&self, new: &NewArticle) -> Result<ArticleId, StoreError> {
        let mut tx = self.db.begin().await?;
        let id = insert_article_in(&mut tx, new, Announce::Yes).await?;
        self.commit_with_change(tx, Change::of_new(id, new)).await?;
        Ok(id)
    }

    async fn article_by_id(&self, id: ArticleId) -> Result<Article, StoreError> {
        let row: ArticleRow =
            self.db.fetch_one(&format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1"), params![id.0]).await?;
        self.full_articles(vec![row]).await?.pop().ok_or(StoreError::NotFound)
    }

    async fn story_for_readers(&self, id: ArticleId) -> Result<StoryForReaders, StoreError> {
        let sql = match self.db.backend() {
            Backend::Sqlite => &*STORY_FOR_READERS_SQLITE,
            Backend::Postgres => &*STORY_FOR_READERS_POSTGRES,
        };
        let row: StoryForReadersRow = self.db.fetch_one(sql, params![id.0]).await?;
        let has = StoryHas {
            corrections: row.corrections > 0,
            video: row.videos > 0,
            live_coverage: row.live_coverage > 0,
            podcast_episode: row.podcast_episodes > 0,
        };
        let bylines = listed_ids(row.byline_ids.as_deref())?.into_iter().map(AuthorId).collect();
        let topics = listed_ids(row.topic_ids.as_deref())?.into_iter().map(TopicId).collect();
        Ok(StoryForReaders { article: row.article.into_article(bylines, topics)?, has })
    }

    async fn update_article(&self, update: &ArticleUpdate) -> Result<Article, StoreError> {
        // What readers see change is worked out from the update itself (where the story showed
        // when the use case loaded it, and where it will show), so nothing is read twice.
        let mut tx = self.db.begin().await?;
        if !update_article_in(&mut tx, update, Announce::Yes).await? {
            drop(tx);
            // Tell a story that moved on from one that is not there.
            self.article_by_id(update.id).await?;
            return Err(StoreError::Conflict("the story was saved by someone else in the meantime".into()));
        }
        self.commit_with_change(tx, Change::of_update(update)).await?;
        self.article_by_id(update.id).await
    }

    async fn scheduled_due(&self, now: Timestamp) -> Result<Vec<Article>, StoreError> {
        let rows: Vec<ArticleRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {ARTICLE_COLUMNS} FROM articles WHERE status = 'scheduled' AND publish_at <= $1 ORDER BY publish_at, id"
                ),
                params![now],
            )
            .await?;
        self.full_articles(rows).await
    }

    async fn count_by_status(&self) -> Result<Vec<(ArticleStatus, u64)>, StoreError> {
        let rows: Vec<(String, i64)> =
            self.db.fetch_all("SELECT status, COUNT(*) FROM articles GROUP BY status", vec![]).await?;
        rows.into_iter()
            .map(|(status, count)| {
                Ok((ArticleStatus::parse(&status).ok_or_else(|| corrupt("status"))?, u64::try_from(count).unwrap_or(0)))
            })
            .collect()
    }

    async fn desk_stories(&self, status: Option<ArticleStatus>, window: Window) -> Result<Vec<DeskStory>, StoreError> {
        let filter = if status.is_some() { "WHERE status = $3" } else { "" };
        let mut all_params = params![i64::from(window.limit), i64::from(window.offset)];
        if let Some(status) = status {
            all_params.push(status.as_str().into());
        }
        let rows: Vec<DeskRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT id, headline, status, section_id, publish_at, first_published_at, modified_at, created_by_user_id, version,
                            (SELECT p.assignee_user_id FROM story_plans p WHERE p.article_id = articles.id) AS assignee_user_id,
                            (SELECT r.made_by_name FROM article_revisions r WHERE r.article_id = articles.id AND r.kind <> 'autosave'
                             ORDER BY r.number DESC LIMIT 1) AS last_changed_by
                     FROM articles {filter} ORDER BY modified_at DESC, id DESC LIMIT $1 OFFSET $2"
                ),
                all_params,
            )
            .await?;
        let mut bylines = self.bylines_of(&rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
        rows.into_iter()
            .map(|row| {
                Ok(DeskStory {
                    bylines: bylines.remove(&row.id).unwrap_or_default(),
                    last_changed_by: row.last_changed_by.unwrap_or_default(),
                    id: ArticleId(row.id),
                    headline: row.headline,
                    status: ArticleStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
                    section_id: SectionId(row.section_id),
                    publish_at: row.publish_at.map(|t| t.0),
                    first_published_at: row.first_published_at.map(|t| t.0),
                    modified_at: row.modified_at.0,
                    created_by: row.created_by_user_id.map(UserId),
                    assignee: row.assignee_user_id.map(UserId),
                    version: row.version,
                })
            })
            .collect()
    }

    async fn latest_public(
        &self,
        now: Timestamp,
        listing: Listing<'_>,
        window: Window,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        let (filter, filter_params) = Self::listing_filter(listing, 4);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles WHERE {PUBLIC_AT_1}{filter} \
             ORDER BY first_published_at DESC, id DESC LIMIT $2 OFFSET $3"
        );
        let mut all_params = params![now, i64::from(window.limit), i64::from(window.offset)];
        all_params.extend(filter_params);
        let rows: Vec<SummaryRow> = self.db.fetch_all(&sql, all_params).await?;
        self.summaries(rows).await
    }

    async fn count_public(&self, now: Timestamp, listing: Listing<'_>) -> Result<u64, StoreError> {
        let (filter, filter_params) = Self::listing_filter(listing, 2);
        let mut all_params = params![now];
        all_params.extend(filter_params);
        let (count,): (i64,) = self
            .db
            .fetch_one(&format!("SELECT COUNT(*) FROM articles WHERE {PUBLIC_AT_1}{filter}"), all_params)
            .await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn public_stories(&self, now: Timestamp, filter: &StoryFilter) -> Result<Vec<ArticleSummary>, StoreError> {
        let mut conditions = vec![PUBLIC_AT_1.to_owned()];
        let mut all_params = params![now];
        let next = |value: Param, all_params: &mut Vec<Param>| {
            all_params.push(value);
            format!("${}", all_params.len())
        };
        if let Some(sections) = &filter.sections {
            if sections.is_empty() {
                return Ok(Vec::new());
            }
            let list: Vec<String> = sections.iter().map(|s| next(s.0.into(), &mut all_params)).collect();
            conditions.push(format!("section_id IN ({})", list.join(", ")));
        }
        if let Some(author) = filter.author {
            let p = next(author.0.into(), &mut all_params);
            conditions.push(format!("id IN (SELECT article_id FROM article_bylines WHERE author_id = {p})"));
        }
        if let Some(topic) = filter.topic {
            let p = next(topic.0.into(), &mut all_params);
            conditions.push(format!("id IN (SELECT article_id FROM article_topics WHERE topic_id = {p})"));
        }
        if let Some(label) = filter.label {
            let p = next(label.as_str().into(), &mut all_params);
            conditions.push(format!("label = {p}"));
        }
        if let Some(since) = filter.changed_since {
            let p = next(since.into(), &mut all_params);
            conditions.push(format!("COALESCE(last_public_update_at, first_published_at) >= {p}"));
        }
        if let Some(after) = filter.after {
            let at = next(after.published_at.into(), &mut all_params);
            let id = next(after.id.0.into(), &mut all_params);
            conditions.push(format!("(first_published_at < {at} OR (first_published_at = {at} AND id < {id}))"));
        }
        let limit = next(i64::from(filter.limit).into(), &mut all_params);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles WHERE {} ORDER BY first_published_at DESC, id DESC LIMIT {limit}",
            conditions.join(" AND ")
        );
        let rows: Vec<SummaryRow> = self.db.fetch_all(&sql, all_params).await?;
        self.summaries(rows).await
    }

    async fn public_by_ids(&self, now: Timestamp, ids: &[ArticleId]) -> Result<Vec<ArticleSummary>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM articles WHERE {PUBLIC_AT_1} AND id IN ({})",
            placeholders(2, ids.len())
        );
        let mut all_params = params![now];
        all_params.extend(ids.iter().map(|id| Param::from(id.0)));
        let rows: Vec<SummaryRow> = self.db.fetch_all(&sql, all_params).await?;
        let found = self.summaries(rows).await?;
        Ok(ids.iter().filter_map(|id| found.iter().find(|s| s.id == *id).cloned()).collect())
    }

    async fn published_months(&self, now: Timestamp) -> Result<Vec<PublishedMonth>, StoreError> {
        // The one statement whose text differs: how each database names a month.
        let month = match self.db.backend() {
            Backend::Sqlite => "substr(first_published_at, 1, 7)",
            Backend::Postgres => "to_char(first_published_at AT TIME ZONE 'UTC', 'YYYY-MM')",
        };
        let rows: Vec<(String, DbTime)> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {month} AS month, MAX(COALESCE(last_public_update_at, first_published_at)) AS last_change \
                     FROM articles WHERE {PUBLIC_AT_1} GROUP BY {month} ORDER BY month DESC"
                ),
                params![now],
            )
            .await?;
        rows.into_iter()
            .map(|(month, last)| {
                let (year, number) = month.split_once('-').ok_or_else(|| corrupt("publication month"))?;
                Ok(PublishedMonth {
                    year: year.parse().map_err(|_| corrupt("publication year"))?,
                    month: number.parse().map_err(|_| corrupt("publication month"))?,
                    last_change: last.0,
                })
            })
            .collect()
    }

    async fn public_ids(&self, ids: &[ArticleId], now: Timestamp) -> Result<Vec<ArticleId>, StoreError> {
        let mut found = Vec::new();
        for chunk in ids.chunks(500) {
            let list = chunk.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(", ");
            let rows: Vec<(i64,)> = self
                .db
                .fetch_all(
                    &format!(
                        "SELECT id FROM articles WHERE id IN ({list}) AND status = 'published' \
                         AND first_published_at <= $1 AND (embargo_until IS NULL OR embargo_until <= $1)"
                    ),
                    params![now],
                )
                .await?;
            found.extend(rows.into_iter().map(|(id,)| ArticleId(id)));
        }
        Ok(found)
    }

    async fn add_views(&self, views: &[HourlyViews]) -> Result<(), StoreError> {
        if views.is_empty() {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        for counted in views {
            // The story may have been deleted since the beacon fired; its views are dropped.
            tx.execute(
                "INSERT INTO article_views (article_id, hour, views) \
                 SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM articles WHERE id = $1) \
                 ON CONFLICT (article_id, hour) DO UPDATE SET views = article_views.views + excluded.views",
                params![counted.article_id.0, counted.hour, i64::try_from(counted.views).unwrap_or(i64::MAX)],
            )
            .await?;
        }
        tx.commit().await
    }

    async fn most_viewed(
        &self,
        now: Timestamp,
        since: Timestamp,
        limit: u32,
    ) -> Result<Vec<ArticleSummary>, StoreError> {
        // Start from the stories read in the window, not from every public story: SQLite
        // keeps the join order of CROSS JOIN, which PostgreSQL spells JOIN (its planner finds
        // the order by itself).
        let join = match self.db.backend() {
            Backend::Sqlite => "CROSS JOIN",
            Backend::Postgres => "JOIN",
        };
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM \
             (SELECT article_id, SUM(views) AS total FROM article_views WHERE hour >= $2 GROUP BY article_id) counted \
             {join} articles ON articles.id = counted.article_id \
             WHERE {PUBLIC_AT_1} ORDER BY counted.total DESC, first_published_at DESC, id DESC LIMIT $3"
        );
        let rows: Vec<SummaryRow> = self.db.fetch_all(&sql, params![now, since, i64::from(limit)]).await?;
        self.summaries(rows).await
    }

    async fn corrections_of(&self, id: ArticleId) -> Result<Vec<Correction>, StoreError> {
        let rows: Vec<(i64, String, DbTime)> = self
            .db
            .fetch_all(
                "SELECT article_id, text, published_at FROM corrections WHERE article_id = $1 ORDER BY published_at, id",
                params![id.0],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|(article, text, at)| Correction { article_id: ArticleId(article), text, published_at: at.0 })
            .collect())
    }

    async fn public_corrections(
        &self,
        now: Timestamp,
        window: Window,
    ) -> Result<Vec<(Correction, ArticleSummary)>, StoreError> {
        let rows: Vec<(i64, String, DbTime)> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT c.article_id, c.text, c.published_at FROM corrections c \
                     WHERE c.article_id IN (SELECT id FROM articles WHERE {PUBLIC_AT_1}) \
                     ORDER BY c.published_at DESC, c.id DESC LIMIT $2 OFFSET $3"
                ),
                params![now, i64::from(window.limit), i64::from(window.offset)],
            )
            .await?;
        let ids: Vec<i64> = rows.iter().map(|(id, _, _)| *id).collect();
        let summaries = if ids.is_empty() {
            Vec::new()
        } else {
            let sql = format!("SELECT {SUMMARY_COLUMNS} FROM articles WHERE id IN ({})", placeholders(1, ids.len()));
            let found: Vec<SummaryRow> =
                self.db.fetch_all(&sql, ids.iter().map(|&id| Param::from(id)).collect()).await?;
            self.summaries(found).await?
        };
        Ok(rows
            .into_iter()
            .filter_map(|(article, text, at)| {
                let summary = summaries.iter().find(|s| s.id.0 == article)?.clone();
                Some((Correction { article_id: ArticleId(article), text, published_at: at.0 }, summary))
            })
            .collect())
    }

    async fn save_autosave(
        &self,
        id: ArticleId,
        content: &ArticleContent,
        by: &RevisionAuthor,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let snapshot = serde_json::to_string(content).map_err(|e| StoreError::Other(e.to_string()))?;
        let mut tx = self.db.begin().await?;
        let newest: Option<(i64, String, Option<i64>)> = tx
            .fetch_optional(
                "SELECT number, kind, made_by_user_id FROM article_revisions WHERE article_id = $1 \
                 ORDER BY number DESC LIMIT 1",
                params![id.0],
            )
            .await?;
        let Some((number, kind, made_by)) = newest else { return Err(StoreError::NotFound) };
        if kind == RevisionKind::Autosave.as_str() && made_by == by.user_id.map(|u| u.0) {
            tx.execute(
                "UPDATE article_revisions SET content = $3, made_at = $4 WHERE article_id = $1 AND number = $2",
                params![id.0, number, snapshot, now],
            )
            .await?;
        } else {
            insert_revision(&mut tx, id.0, RevisionKind::Autosave, by, now, None, content).await?;
        }
        // Nothing readers see changed: no notice, no outbox row.
        tx.commit().await
    }

    async fn revisions(&self, id: ArticleId) -> Result<Vec<Revision>, StoreError> {
        let rows: Vec<RevisionRow> = self
            .db
            .fetch_all(
                "SELECT article_id, number, kind, made_by_user_id, made_by_name, made_at, note, content
                 FROM article_revisions WHERE article_id = $1 ORDER BY number",
                params![id.0],
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Revision {
                    article_id: ArticleId(row.article_id),
                    number: row.number,
                    kind: RevisionKind::parse(&row.kind).ok_or_else(|| corrupt("revision kind"))?,
                    made_by: RevisionAuthor { user_id: row.made_by_user_id.map(UserId), name: row.made_by_name },
                    made_at: row.made_at.0,
                    note: row.note,
                    content: serde_json::from_str(&row.content).map_err(|_| corrupt("revision"))?,
                })
            })
            .collect()
    }

    async fn count_articles(&self) -> Result<u64, StoreError> {
        let (count,): (i64,) = self.db.fetch_one("SELECT COUNT(*) FROM articles", vec![]).await?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn desk_counts(&self, (from, until): (Timestamp, Timestamp)) -> Result<DeskCounts, StoreError> {
        let (in_review, scheduled_today, agency_updates): (i64, i64, i64) = self
            .db
            .fetch_one(
                "SELECT (SELECT COUNT(*) FROM articles WHERE status = 'in_review'), \
                        (SELECT COUNT(*) FROM articles WHERE status = 'scheduled' AND publish_at >= $1 AND publish_at < $2), \
                        (SELECT COUNT(*) FROM wire_items WHERE pending_copy IS NOT NULL)",
                params![from, until],
            )
            .await?;
        let count = |n: i64| u64::try_from(n).unwrap_or_default();
        Ok(DeskCounts {
            in_review: count(in_review),
            scheduled_today: count(scheduled_today),
            agency_updates: count(agency_updates),
        })
    }
}
