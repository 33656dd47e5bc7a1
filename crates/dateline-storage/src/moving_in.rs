//! SQL for moving an archive in: one transaction for a whole run ([`ImportTx`]), so a run that
//! fails leaves the database as it was; the record of what each old item became
//! (`imported_items`); and the old addresses the reader site answers with a redirect
//! (`legacy_paths`).

use crate::db::{params, Tx};
use crate::SqlStore;
use dateline_newsroom::moving_in::{ImportedItem, LegacyPathStore, LegacyTarget};
use dateline_newsroom::{ArticleId, ArticleUpdate, Change, NewArticle, NewAuthor, NewMedia, NewPage, StoreError};
use jiff::Timestamp;

/// One run of an import: every write in one transaction, committed by [`ImportTx::commit`];
/// dropped before that, nothing is written.
pub struct ImportTx {
    store: SqlStore,
    tx: Tx,
}

impl SqlStore {
    /// Begins a run of moving an archive in.
    pub async fn begin_moving_in(&self) -> Result<ImportTx, StoreError> {
        let mut tx = self.db.begin().await?;
        // The run writes sections as it goes: it takes the section writers' lock first (on
        // SQLite, the write lock), so it never has to upgrade a stale read to a write.
        crate::sections::one_writer_at_a_time(&mut tx).await?;
        Ok(ImportTx { store: self.clone(), tx })
    }
}

impl ImportTx {
    pub async fn imported(&mut self, source: &str, kind: &str, key: &str) -> Result<Option<ImportedItem>, StoreError> {
        let row: Option<(i64, String, String)> = self
            .tx
            .fetch_optional(
                "SELECT target_id, source_digest, written_digest FROM imported_items \
                 WHERE source = $1 AND kind = $2 AND source_key = $3",
                params![source, kind, key],
            )
            .await?;
        Ok(row.map(|(target_id, source_digest, written_digest)| ImportedItem {
            target_id,
            source_digest,
            written_digest,
        }))
    }

    /// Records (or updates the record of) what an old item became.
    #[expect(clippy::too_many_arguments, reason = "one row's columns")]
    pub async fn remember(
        &mut self,
        source: &str,
        kind: &str,
        key: &str,
        target_id: i64,
        source_digest: &str,
        written_digest: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO imported_items (source, kind, source_key, target_id, source_digest, written_digest, imported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (source, kind, source_key) DO UPDATE SET target_id = $4, source_digest = $5, \
                 written_digest = $6, imported_at = $7",
                params![source, kind, key, target_id, source_digest, written_digest, now],
            )
            .await
            .map(drop)
    }

    async fn id_where(&mut self, sql: &str, value: &str) -> Result<Option<i64>, StoreError> {
        let row: Option<(i64,)> = self.tx.fetch_optional(sql, params![value]).await?;
        Ok(row.map(|(id,)| id))
    }

    pub async fn section_by_path(&mut self, path: &str) -> Result<Option<i64>, StoreError> {
        self.id_where("SELECT id FROM sections WHERE path = $1", path).await
    }

    /// A new section, last among its siblings.
    pub async fn insert_section(
        &mut self,
        slug: &str,
        name: &str,
        parent_id: Option<i64>,
        path: &str,
    ) -> Result<i64, StoreError> {
        let (position,): (i64,) = self
            .tx
            .fetch_one(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM sections WHERE parent_id IS NOT DISTINCT FROM $1",
                params![parent_id],
            )
            .await?;
        let (id,): (i64,) = self
            .tx
            .fetch_one(
                "INSERT INTO sections (slug, name, parent_id, position, path) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                params![slug, name, parent_id, position, path],
            )
            .await?;
        Ok(id)
    }

    pub async fn author_by_slug(&mut self, slug: &str) -> Result<Option<i64>, StoreError> {
        self.id_where("SELECT id FROM authors WHERE slug = $1", slug).await
    }

    pub async fn insert_author(&mut self, new: &NewAuthor) -> Result<i64, StoreError> {
        let (id,): (i64,) = self
            .tx
            .fetch_one(
                "INSERT INTO authors (slug, name, kind, bio, photo_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                params![new.slug.as_str(), &new.name, new.kind.as_str(), &new.bio, new.photo_id.map(|m| m.0)],
            )
            .await?;
        Ok(id)
    }

    pub async fn topic_by_slug(&mut self, slug: &str) -> Result<Option<i64>, StoreError> {
        self.id_where("SELECT id FROM topics WHERE slug = $1", slug).await
    }

    pub async fn insert_topic(&mut self, slug: &str, name: &str) -> Result<i64, StoreError> {
        let (id,): (i64,) = self
            .tx
            .fetch_one(
                "INSERT INTO topics (slug, name, description) VALUES ($1, $2, '') RETURNING id",
                params![slug, name],
            )
            .await?;
        Ok(id)
    }

    pub async fn insert_media(&mut self, new: &NewMedia, now: Timestamp) -> Result<i64, StoreError> {
        Ok(crate::media::insert_media_in(&mut self.tx, new, now).await?.0)
    }

    /// A moved-in story: history, so it is not told to webhooks or partners.
    pub async fn insert_article(&mut self, new: &NewArticle) -> Result<ArticleId, StoreError> {
        crate::articles::insert_article_in(&mut self.tx, new, crate::articles::Announce::No).await
    }

    /// Writes an update if the story is still at its expected version.
    pub async fn update_article(&mut self, update: &ArticleUpdate) -> Result<bool, StoreError> {
        crate::articles::update_article_in(&mut self.tx, update, crate::articles::Announce::No).await
    }

    pub async fn page_by_slug(&mut self, slug: &str) -> Result<Option<i64>, StoreError> {
        self.id_where("SELECT id FROM pages WHERE slug = $1", slug).await
    }

    pub async fn insert_page(&mut self, new: &NewPage, now: Timestamp) -> Result<i64, StoreError> {
        let (id,): (i64,) = self
            .tx
            .fetch_one(
                "INSERT INTO pages (slug, title, body, updated_at) VALUES ($1, $2, $3, $4) RETURNING id",
                params![new.slug.as_str(), &new.title, &new.body, now],
            )
            .await?;
        Ok(id)
    }

    pub async fn update_page(&mut self, id: i64, page: &NewPage, now: Timestamp) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE pages SET title = $2, body = $3, updated_at = $4 WHERE id = $1",
                params![id, &page.title, &page.body, now],
            )
            .await
            .map(drop)
    }

    /// Records an old address; false when it is recorded already (for this or another item).
    pub async fn add_legacy_path(
        &mut self,
        path: &str,
        target: LegacyTarget,
        source: &str,
    ) -> Result<bool, StoreError> {
        let added = self
            .tx
            .execute(
                "INSERT INTO legacy_paths (path, kind, target_id, source) VALUES ($1, $2, $3, $4) ON CONFLICT (path) DO NOTHING",
                params![path, target.kind(), target.id(), source],
            )
            .await?;
        Ok(added > 0)
    }

    /// Commits the run; every page may show something new, so every kept page goes.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.store.commit_with_change(self.tx, Some(Change::Everything)).await
    }
}

impl LegacyPathStore for SqlStore {
    async fn legacy_target(&self, path: &str) -> Result<Option<LegacyTarget>, StoreError> {
        let row: Option<(String, Option<i64>)> =
            self.db.fetch_optional("SELECT kind, target_id FROM legacy_paths WHERE path = $1", params![path]).await?;
        Ok(row.and_then(|(kind, id)| LegacyTarget::from_parts(&kind, id)))
    }
}
