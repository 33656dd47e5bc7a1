//! SQL for wire sources and the items they delivered. An arrival's story change and its
//! item record are written in one transaction ([`WireStore::record_wire_arrival`]).

use crate::articles::{insert_article_in, update_article_in, Announce};
use crate::db::{params, DbTime};
use crate::sections::stored_slug;
use crate::SqlStore;
use dateline_newsroom::wire::{
    NewWireSource, StoryWrite, WireArrival, WireCopy, WireItem, WireQueueEntry, WireRefusal, WireSource, WireStatus,
    WireStore, REFUSALS_KEPT_DAYS,
};
use dateline_newsroom::{
    ArticleId, ArticleStatus, AuthorId, Change, MediaId, SectionId, StoreError, Window, WireSourceId,
};

#[derive(sqlx::FromRow)]
struct SourceRow {
    id: i64,
    slug: String,
    name: String,
    format: String,
    token_digest: Option<String>,
    folder: Option<String>,
    section_id: i64,
    publish_at_once: i64,
    agency_id: i64,
    created_at: DbTime,
    dateline_format: String,
}

const SOURCE_COLUMNS: &str =
    "id, slug, name, format, token_digest, folder, section_id, publish_at_once, agency_id, created_at, dateline_format";

impl SourceRow {
    fn into_source(self) -> Result<WireSource, StoreError> {
        Ok(WireSource {
            id: WireSourceId(self.id),
            slug: stored_slug(self.slug)?,
            name: self.name,
            format: self.format,
            token_digest: self.token_digest,
            folder: self.folder,
            section_id: SectionId(self.section_id),
            publish_at_once: self.publish_at_once != 0,
            agency_id: AuthorId(self.agency_id),
            dateline_format: self.dateline_format,
            created_at: self.created_at.0,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    source_id: i64,
    guid: String,
    version: i64,
    version_created: Option<DbTime>,
    status: String,
    embargo_until: Option<DbTime>,
    article_id: Option<i64>,
    media_id: Option<i64>,
    taken_digest: Option<String>,
    pending_copy: Option<String>,
    note: Option<String>,
    received_at: DbTime,
}

const ITEM_COLUMNS: &str =
    "i.source_id, i.guid, i.version, i.version_created, i.status, i.embargo_until, i.article_id, \
     i.media_id, i.taken_digest, i.pending_copy, i.note, i.received_at";

fn status_text(status: WireStatus) -> &'static str {
    match status {
        WireStatus::Usable => "usable",
        WireStatus::Withheld => "withheld",
        WireStatus::Canceled => "canceled",
    }
}

impl ItemRow {
    fn into_item(self) -> Result<WireItem, StoreError> {
        let status = match self.status.as_str() {
            "usable" => WireStatus::Usable,
            "withheld" => WireStatus::Withheld,
            "canceled" => WireStatus::Canceled,
            other => return Err(StoreError::Other(format!("unknown wire status {other:?}"))),
        };
        let pending = self
            .pending_copy
            .map(|json| serde_json::from_str::<WireCopy>(&json))
            .transpose()
            .map_err(|e| StoreError::Other(format!("a held agency version cannot be read: {e}")))?;
        Ok(WireItem {
            source_id: WireSourceId(self.source_id),
            guid: self.guid,
            version: self.version,
            version_created: self.version_created.map(|t| t.0),
            status,
            embargo_until: self.embargo_until.map(|t| t.0),
            article_id: self.article_id.map(ArticleId),
            media_id: self.media_id.map(MediaId),
            taken_digest: self.taken_digest,
            pending,
            note: self.note,
            received_at: self.received_at.0,
        })
    }
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    #[sqlx(flatten)]
    item: ItemRow,
    source_name: String,
    headline: Option<String>,
    story_status: Option<String>,
}

impl WireStore for SqlStore {
    async fn insert_wire_source(&self, new: &NewWireSource) -> Result<WireSource, StoreError> {
        let row: SourceRow = self
            .db
            .fetch_one(
                &format!(
                    "INSERT INTO wire_sources (slug, name, format, token_digest, folder, section_id, publish_at_once, agency_id, created_at, dateline_format) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {SOURCE_COLUMNS}"
                ),
                params![
                    new.slug.as_str(),
                    &new.name,
                    &new.format,
                    new.token_digest.clone(),
                    new.folder.clone(),
                    new.section_id.0,
                    i64::from(new.publish_at_once),
                    new.agency_id.0,
                    new.created_at,
                    &new.dateline_format
                ],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    StoreError::Conflict("another wire source has this slug or this folder".into())
                }
                other => other,
            })?;
        row.into_source()
    }

    async fn update_wire_source(&self, source: &WireSource) -> Result<WireSource, StoreError> {
        let row: SourceRow = self
            .db
            .fetch_one(
                &format!(
                    "UPDATE wire_sources SET name = $2, format = $3, token_digest = $4, folder = $5, section_id = $6, \
                     publish_at_once = $7, dateline_format = $8 WHERE id = $1 RETURNING {SOURCE_COLUMNS}"
                ),
                params![
                    source.id.0,
                    &source.name,
                    &source.format,
                    source.token_digest.clone(),
                    source.folder.clone(),
                    source.section_id.0,
                    i64::from(source.publish_at_once),
                    &source.dateline_format
                ],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict("another wire source has this folder".into()),
                other => other,
            })?;
        row.into_source()
    }

    async fn wire_sources(&self) -> Result<Vec<WireSource>, StoreError> {
        let rows: Vec<SourceRow> =
            self.db.fetch_all(&format!("SELECT {SOURCE_COLUMNS} FROM wire_sources ORDER BY name, id"), vec![]).await?;
        rows.into_iter().map(SourceRow::into_source).collect()
    }

    async fn wire_source_by_slug(&self, slug: &str) -> Result<WireSource, StoreError> {
        let row: SourceRow = self
            .db
            .fetch_one(&format!("SELECT {SOURCE_COLUMNS} FROM wire_sources WHERE slug = $1"), params![slug])
            .await?;
        row.into_source()
    }

    async fn wire_item(&self, source: WireSourceId, guid: &str) -> Result<Option<WireItem>, StoreError> {
        let row: Option<ItemRow> = self
            .db
            .fetch_optional(
                &format!("SELECT {ITEM_COLUMNS} FROM wire_items i WHERE i.source_id = $1 AND i.guid = $2"),
                params![source.0, guid],
            )
            .await?;
        row.map(ItemRow::into_item).transpose()
    }

    async fn wire_item_of_article(&self, id: ArticleId) -> Result<Option<WireItem>, StoreError> {
        let row: Option<ItemRow> = self
            .db
            .fetch_optional(
                &format!(
                    "SELECT {ITEM_COLUMNS} FROM wire_items i WHERE i.article_id = $1 ORDER BY i.received_at DESC LIMIT 1"
                ),
                params![id.0],
            )
            .await?;
        row.map(ItemRow::into_item).transpose()
    }

    async fn wire_queue(
        &self,
        source: Option<WireSourceId>,
        window: Window,
    ) -> Result<Vec<WireQueueEntry>, StoreError> {
        let filter = if source.is_some() { "WHERE i.source_id = $3" } else { "" };
        let mut params = params![i64::from(window.limit), i64::from(window.offset)];
        if let Some(source) = source {
            params.push(source.0.into());
        }
        let rows: Vec<QueueRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {ITEM_COLUMNS}, s.name AS source_name, a.headline AS headline, a.status AS story_status \
                     FROM wire_items i JOIN wire_sources s ON s.id = i.source_id \
                     LEFT JOIN articles a ON a.id = i.article_id {filter} \
                     ORDER BY i.received_at DESC, i.guid LIMIT $1 OFFSET $2"
                ),
                params,
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                let item = row.item.into_item()?;
                let headline = row.headline.unwrap_or_else(|| item.guid.clone());
                Ok(WireQueueEntry {
                    story_status: row.story_status.as_deref().and_then(ArticleStatus::parse),
                    source_name: row.source_name,
                    headline,
                    item,
                })
            })
            .collect()
    }

    async fn record_wire_refusal(&self, refusal: &WireRefusal) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "INSERT INTO wire_refusals (source_id, refused_at, delivery, reason) VALUES ($1, $2, $3, $4)",
            params![refusal.source_id.0, refusal.refused_at, &refusal.delivery, &refusal.reason],
        )
        .await?;
        let forgotten = refusal.refused_at - jiff::SignedDuration::from_hours(24 * REFUSALS_KEPT_DAYS);
        tx.execute(
            "DELETE FROM wire_refusals WHERE source_id = $1 AND refused_at < $2",
            params![refusal.source_id.0, forgotten],
        )
        .await?;
        tx.commit().await
    }

    async fn latest_wire_arrivals(&self) -> Result<Vec<(WireSourceId, jiff::Timestamp)>, StoreError> {
        let rows: Vec<(i64, DbTime)> =
            self.db.fetch_all("SELECT source_id, MAX(received_at) FROM wire_items GROUP BY source_id", vec![]).await?;
        Ok(rows.into_iter().map(|(source, at)| (WireSourceId(source), at.0)).collect())
    }

    async fn wire_refusals(&self, source: Option<WireSourceId>, limit: u32) -> Result<Vec<WireRefusal>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct RefusalRow {
            source_id: i64,
            source_name: String,
            refused_at: DbTime,
            delivery: String,
            reason: String,
        }
        let filter = if source.is_some() { "WHERE r.source_id = $2" } else { "" };
        let mut bound = params![i64::from(limit)];
        if let Some(source) = source {
            bound.push(source.0.into());
        }
        let rows: Vec<RefusalRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT r.source_id, s.name AS source_name, r.refused_at, r.delivery, r.reason \
                     FROM wire_refusals r JOIN wire_sources s ON s.id = r.source_id {filter} \
                     ORDER BY r.refused_at DESC, r.id DESC LIMIT $1"
                ),
                bound,
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| WireRefusal {
                source_id: WireSourceId(row.source_id),
                source_name: row.source_name,
                refused_at: row.refused_at.0,
                delivery: row.delivery,
                reason: row.reason,
            })
            .collect())
    }

    async fn record_wire_arrival(&self, arrival: &WireArrival) -> Result<Option<ArticleId>, StoreError> {
        let mut tx = self.db.begin().await?;
        let article_id = match &arrival.story {
            StoryWrite::None => arrival.item.article_id,
            StoryWrite::Insert(new) => Some(insert_article_in(&mut tx, new, Announce::Yes).await?),
            StoryWrite::Update(update) => {
                if !update_article_in(&mut tx, update, Announce::Yes).await? {
                    return Err(StoreError::Conflict("the story was saved on the desk in the meantime".into()));
                }
                Some(update.id)
            }
        };
        let item = &arrival.item;
        let pending = item
            .pending
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| StoreError::Other(format!("cannot keep the agency's version: {e}")))?;
        // A new story is made only while the item has none: two deliveries of one new item at
        // once must not make two stories.
        let guard =
            if matches!(arrival.story, StoryWrite::Insert(_)) { " WHERE wire_items.article_id IS NULL" } else { "" };
        let written = tx.execute(
            &format!("INSERT INTO wire_items (source_id, guid, version, version_created, status, embargo_until, article_id, media_id, \
                 taken_digest, pending_copy, note, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (source_id, guid) DO UPDATE SET version = excluded.version, \
                 version_created = excluded.version_created, status = excluded.status, \
                 embargo_until = excluded.embargo_until, article_id = excluded.article_id, media_id = excluded.media_id, \
                 taken_digest = excluded.taken_digest, pending_copy = excluded.pending_copy, note = excluded.note, \
                 received_at = excluded.received_at{guard}"),
            params![
                item.source_id.0,
                &item.guid,
                item.version,
                item.version_created,
                status_text(item.status),
                item.embargo_until,
                article_id.map(|a| a.0),
                item.media_id.map(|m| m.0),
                item.taken_digest.clone(),
                pending,
                item.note.clone(),
                item.received_at
            ],
        )
        .await?;
        if written == 0 {
            // Another delivery of the same item made its story a moment ago: this one's story
            // is not kept (the transaction ends unwritten), and a resend is then ignored.
            return Err(StoreError::Conflict("another delivery of this item was taken at the same moment".into()));
        }
        let change = match (&arrival.story, article_id) {
            (StoryWrite::Insert(new), Some(id)) => Change::of_new(id, new),
            (StoryWrite::Update(update), _) => Change::of_update(update),
            _ => None,
        };
        self.commit_with_change(tx, change).await?;
        Ok(article_id)
    }
}
