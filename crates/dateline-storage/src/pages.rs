//! SQL for static pages.

use crate::db::{params, DbTime};
use crate::sections::stored_slug;
use crate::SqlStore;
use dateline_newsroom::Change;
use dateline_newsroom::{NewPage, PageId, PageStore, Slug, StaticPage, StoreError};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct PageRow {
    id: i64,
    slug: String,
    title: String,
    body: String,
    updated_at: DbTime,
}

impl PageRow {
    fn into_page(self) -> Result<StaticPage, StoreError> {
        Ok(StaticPage {
            id: PageId(self.id),
            slug: stored_slug(self.slug)?,
            title: self.title,
            body: self.body,
            updated_at: self.updated_at.0,
        })
    }
}

const COLUMNS: &str = "id, slug, title, body, updated_at";

impl PageStore for SqlStore {
    async fn insert_page(&self, new: &NewPage, now: Timestamp) -> Result<StaticPage, StoreError> {
        let mut tx = self.db.begin().await?;
        let row: PageRow = tx
            .fetch_one(
                &format!(
                    "INSERT INTO pages (slug, title, body, updated_at) VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}"
                ),
                params![new.slug.as_str(), &new.title, &new.body, now],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => {
                    StoreError::Conflict(format!("a page already has the slug {:?}", new.slug.as_str()))
                }
                other => other,
            })?;
        let page = row.into_page()?;
        self.commit_with_change(tx, Some(Change::Pages)).await?;
        Ok(page)
    }

    async fn update_page(&self, id: PageId, changed: &NewPage, now: Timestamp) -> Result<StaticPage, StoreError> {
        let mut tx = self.db.begin().await?;
        let row: PageRow = tx
            .fetch_one(
                &format!("UPDATE pages SET slug = $2, title = $3, body = $4, updated_at = $5 WHERE id = $1 RETURNING {COLUMNS}"),
                params![id.0, changed.slug.as_str(), &changed.title, &changed.body, now],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a page already has the slug {:?}", changed.slug.as_str())),
                other => other,
            })?;
        let page = row.into_page()?;
        self.commit_with_change(tx, Some(Change::Pages)).await?;
        Ok(page)
    }

    async fn page_by_slug(&self, slug: &Slug) -> Result<StaticPage, StoreError> {
        let row: PageRow =
            self.db.fetch_one(&format!("SELECT {COLUMNS} FROM pages WHERE slug = $1"), params![slug.as_str()]).await?;
        row.into_page()
    }

    async fn pages(&self) -> Result<Vec<StaticPage>, StoreError> {
        let rows: Vec<PageRow> = self.db.fetch_all(&format!("SELECT {COLUMNS} FROM pages ORDER BY id"), vec![]).await?;
        rows.into_iter().map(PageRow::into_page).collect()
    }
}
