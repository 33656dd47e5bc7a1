//! SQL for media records (the files themselves live in blob storage).

use crate::db::{params, placeholders, DbTime, Param};
use crate::SqlStore;
use dateline_newsroom::{ArticleId, Change};
use dateline_newsroom::{FocalPoint, Media, MediaDetails, MediaId, MediaStore, NewMedia, StoreError, Window};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct MediaRow {
    id: i64,
    storage_key: String,
    mime_type: String,
    width: i64,
    height: i64,
    byte_size: i64,
    caption: String,
    credit: String,
    alt_text: String,
    photographer: String,
    redistributable: i64,
    created_at: DbTime,
    variant_formats: String,
    focal_x: i64,
    focal_y: i64,
    content_credentials: String,
}

impl MediaRow {
    fn into_media(self) -> Result<Media, StoreError> {
        let number =
            |v: i64| u32::try_from(v).map_err(|_| StoreError::Other(format!("media {} has a bad size", self.id)));
        Ok(Media {
            id: MediaId(self.id),
            width: number(self.width)?,
            height: number(self.height)?,
            byte_size: u64::try_from(self.byte_size).unwrap_or_default(),
            storage_key: self.storage_key,
            mime_type: self.mime_type,
            caption: self.caption,
            credit: self.credit,
            alt_text: self.alt_text,
            photographer: self.photographer,
            redistributable: self.redistributable != 0,
            created_at: self.created_at.0,
            variant_formats: self.variant_formats.split_whitespace().map(str::to_owned).collect(),
            focal_point: FocalPoint::from_stored(self.focal_x, self.focal_y).unwrap_or_default(),
            content_credentials: credentials_from_stored(&self.content_credentials),
        })
    }
}

const COLUMNS: &str = "id, storage_key, mime_type, width, height, byte_size, caption, credit, alt_text, photographer, \
     redistributable, created_at, variant_formats, focal_x, focal_y, content_credentials";

/// The credentials kept in a row: none when empty, and none (rather than an unreadable photo)
/// when a hand-edited row holds something else.
fn credentials_from_stored(stored: &str) -> Option<dateline_newsroom::media::ContentCredentials> {
    if stored.is_empty() {
        return None;
    }
    serde_json::from_str(stored).ok()
}

fn credentials_to_store(new: &NewMedia) -> String {
    new.content_credentials.as_ref().and_then(|c| serde_json::to_string(c).ok()).unwrap_or_default()
}

/// The one INSERT of a photo's row (the desk's, the wire's and an import's alike).
fn insert_statement(new: &NewMedia, now: Timestamp) -> (String, Vec<crate::db::Param>) {
    (
        format!(
            "INSERT INTO media (storage_key, mime_type, width, height, byte_size, caption, credit, alt_text, photographer, created_at, variant_formats, content_credentials)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', $11) RETURNING {COLUMNS}"
        ),
        params![
            &new.storage_key,
            &new.mime_type,
            i64::from(new.width),
            i64::from(new.height),
            i64::try_from(new.byte_size).unwrap_or(i64::MAX),
            &new.caption,
            &new.credit,
            &new.alt_text,
            &new.photographer,
            now,
            credentials_to_store(new),
        ],
    )
}

/// Inserts a photo's row in `tx`; its id.
pub(crate) async fn insert_media_in(
    tx: &mut crate::db::Tx,
    new: &NewMedia,
    now: Timestamp,
) -> Result<MediaId, StoreError> {
    let (sql, bound) = insert_statement(new, now);
    let row: MediaRow = tx.fetch_one(&sql, bound).await?;
    insert_file_facts(tx, row.id, new).await?;
    Ok(MediaId(row.id))
}

/// Keeps what the file said of itself beside its row, in the same transaction.
async fn insert_file_facts(tx: &mut crate::db::Tx, id: i64, new: &NewMedia) -> Result<(), StoreError> {
    if new.file_facts.is_empty() {
        return Ok(());
    }
    let facts = serde_json::to_string(&new.file_facts).map_err(|e| StoreError::Other(e.to_string()))?;
    tx.execute("INSERT INTO media_file_facts (media_id, facts) VALUES ($1, $2)", params![id, facts]).await.map(drop)
}

impl MediaStore for SqlStore {
    async fn stories_leading_with(&self, ids: &[MediaId]) -> Result<Vec<(MediaId, ArticleId, String)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT lead_media_id, id, headline FROM articles WHERE lead_media_id IN ({}) AND status <> 'removed' \
             ORDER BY modified_at DESC, id DESC",
            placeholders(1, ids.len())
        );
        let rows: Vec<(i64, i64, String)> =
            self.db.fetch_all(&sql, ids.iter().map(|id| Param::from(id.0)).collect()).await?;
        Ok(rows.into_iter().map(|(media, story, headline)| (MediaId(media), ArticleId(story), headline)).collect())
    }

    async fn insert_media(&self, new: &NewMedia, now: Timestamp) -> Result<Media, StoreError> {
        let mut tx = self.db.begin().await?;
        let id = insert_media_in(&mut tx, new, now).await?;
        tx.commit().await?;
        self.media_by_id(id).await
    }

    async fn file_facts(&self, id: MediaId) -> Result<Vec<dateline_newsroom::media::FileFact>, StoreError> {
        let row: Option<(String,)> =
            self.db.fetch_optional("SELECT facts FROM media_file_facts WHERE media_id = $1", params![id.0]).await?;
        match row {
            Some((facts,)) => serde_json::from_str(&facts).map_err(|e| StoreError::Other(e.to_string())),
            None => Ok(Vec::new()),
        }
    }

    async fn media_by_id(&self, id: MediaId) -> Result<Media, StoreError> {
        let row: MediaRow =
            self.db.fetch_one(&format!("SELECT {COLUMNS} FROM media WHERE id = $1"), params![id.0]).await?;
        row.into_media()
    }

    async fn update_media_details(&self, id: MediaId, details: &MediaDetails) -> Result<Media, StoreError> {
        let mut tx = self.db.begin().await?;
        let row: MediaRow = tx
            .fetch_one(
                &format!(
                    "UPDATE media SET caption = $2, credit = $3, alt_text = $4, photographer = $5, redistributable = $6 \
                     WHERE id = $1 RETURNING {COLUMNS}"
                ),
                params![
                    id.0,
                    details.caption.trim(),
                    details.credit.trim(),
                    details.alt_text.trim(),
                    details.photographer.trim(),
                    i64::from(details.redistributable)
                ],
            )
            .await?;
        let media = row.into_media()?;
        self.commit_with_change(tx, Some(Change::Media(id))).await?;
        Ok(media)
    }

    async fn media_list(&self, window: Window) -> Result<Vec<Media>, StoreError> {
        let rows: Vec<MediaRow> = self
            .db
            .fetch_all(
                &format!("SELECT {COLUMNS} FROM media ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2"),
                params![i64::from(window.limit), i64::from(window.offset)],
            )
            .await?;
        rows.into_iter().map(MediaRow::into_media).collect()
    }

    async fn find_media(&self, query: &dateline_newsroom::media::MediaQuery) -> Result<Vec<Media>, StoreError> {
        let mut conditions = Vec::new();
        let mut bound: Vec<crate::db::Param> = Vec::new();
        for word in &query.words {
            let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            bound.push(format!("%{escaped}%").into());
            let n = bound.len();
            conditions.push(format!(
                "(LOWER(m.caption) LIKE ${n} ESCAPE '\\' OR LOWER(m.credit) LIKE ${n} ESCAPE '\\' \
                 OR LOWER(m.alt_text) LIKE ${n} ESCAPE '\\' OR LOWER(m.photographer) LIKE ${n} ESCAPE '\\' \
                 OR EXISTS (SELECT 1 FROM media_file_facts f WHERE f.media_id = m.id AND LOWER(f.facts) LIKE ${n} ESCAPE '\\'))"
            ));
        }
        if query.unused_only {
            conditions.push(
                "NOT EXISTS (SELECT 1 FROM articles a WHERE a.lead_media_id = m.id) \
                 AND NOT EXISTS (SELECT 1 FROM authors w WHERE w.photo_id = m.id) \
                 AND NOT EXISTS (SELECT 1 FROM live_posts p WHERE p.media_id = m.id AND p.deleted_at IS NULL)"
                    .to_owned(),
            );
        }
        if let Some(from) = query.added_from {
            bound.push(from.into());
            conditions.push(format!("m.created_at >= ${}", bound.len()));
        }
        if let Some(until) = query.added_until {
            bound.push(until.into());
            conditions.push(format!("m.created_at < ${}", bound.len()));
        }
        bound.push(i64::from(query.limit.clamp(1, 500)).into());
        bound.push(i64::from(query.offset).into());
        let filter = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
        let columns = COLUMNS.split(", ").map(|c| format!("m.{}", c.trim())).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "SELECT {columns} FROM media m {filter} ORDER BY m.created_at DESC, m.id DESC LIMIT ${} OFFSET ${}",
            bound.len() - 1,
            bound.len()
        );
        let rows: Vec<MediaRow> = self.db.fetch_all(&sql, bound).await?;
        rows.into_iter().map(MediaRow::into_media).collect()
    }

    async fn delete_unused_media(&self, id: MediaId) -> Result<(), StoreError> {
        // A photo shown anywhere stays: the foreign keys refuse, and that is a conflict.
        self.db.execute("DELETE FROM media WHERE id = $1", params![id.0]).await.map(drop)
    }

    async fn media_waiting_for_variants(&self, formats: &str, limit: u32) -> Result<Vec<Media>, StoreError> {
        let rows: Vec<MediaRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {COLUMNS} FROM media WHERE variant_formats <> $1 AND variant_formats <> $2 \
                     ORDER BY id DESC LIMIT $3"
                ),
                params![formats, dateline_newsroom::media::VARIANTS_UNMAKEABLE, i64::from(limit)],
            )
            .await?;
        rows.into_iter().map(MediaRow::into_media).collect()
    }

    async fn set_media_variants(&self, id: MediaId, made_for: FocalPoint, formats: &str) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let changed = tx
            .execute(
                "UPDATE media SET variant_formats = $2 WHERE id = $1 AND focal_x = $3 AND focal_y = $4",
                params![id.0, formats, i64::from(made_for.x), i64::from(made_for.y)],
            )
            .await?;
        if changed == 0 {
            // Gone, or its focal point moved meanwhile (then it stays in the queue).
            return Ok(());
        }
        self.commit_with_change(tx, Some(Change::Media(id))).await
    }

    async fn set_media_focal_point(&self, id: MediaId, point: FocalPoint, formats: &str) -> Result<Media, StoreError> {
        let mut tx = self.db.begin().await?;
        let row: MediaRow = tx
            .fetch_one(
                &format!(
                    "UPDATE media SET focal_x = $2, focal_y = $3, variant_formats = $4 WHERE id = $1 RETURNING {COLUMNS}"
                ),
                params![id.0, i64::from(point.x), i64::from(point.y), formats],
            )
            .await?;
        let media = row.into_media()?;
        self.commit_with_change(tx, Some(Change::Media(id))).await?;
        Ok(media)
    }

    async fn media_by_storage_key(&self, key: &str) -> Result<Media, StoreError> {
        let row: MediaRow =
            self.db.fetch_one(&format!("SELECT {COLUMNS} FROM media WHERE storage_key = $1"), params![key]).await?;
        row.into_media()
    }
}
