//! SQL for the section tree.

use crate::db::params;
use crate::SqlStore;
use dateline_newsroom::{NewSection, Section, SectionId, SectionStore, Slug, StoreError};

pub(crate) fn stored_slug(text: String) -> Result<Slug, StoreError> {
    Slug::parse(&text).map_err(|e| StoreError::Other(format!("a stored slug is malformed: {e}")))
}

#[derive(sqlx::FromRow)]
struct SectionRow {
    id: i64,
    slug: String,
    name: String,
    parent_id: Option<i64>,
    position: i64,
    path: String,
}

impl SectionRow {
    fn into_section(self) -> Result<Section, StoreError> {
        Ok(Section {
            id: SectionId(self.id),
            slug: stored_slug(self.slug)?,
            name: self.name,
            parent_id: self.parent_id.map(SectionId),
            position: self.position,
            path: self.path,
        })
    }
}

const COLUMNS: &str = "id, slug, name, parent_id, position, path";

impl SectionStore for SqlStore {
    async fn insert_section(&self, new: &NewSection, path: &str) -> Result<Section, StoreError> {
        let row: SectionRow = self
            .db
            .fetch_one(
                &format!("INSERT INTO sections (slug, name, parent_id, position, path) VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"),
                params![new.slug.as_str(), &new.name, new.parent_id.map(|p| p.0), new.position, path],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a section already has the address /{path}/")),
                other => other,
            })?;
        row.into_section()
    }

    async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        let rows: Vec<SectionRow> =
            self.db.fetch_all(&format!("SELECT {COLUMNS} FROM sections ORDER BY position, id"), vec![]).await?;
        rows.into_iter().map(SectionRow::into_section).collect()
    }
}
