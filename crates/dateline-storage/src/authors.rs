//! SQL for authors, persons and agencies alike.

use crate::db::{params, placeholders};
use crate::sections::stored_slug;
use crate::SqlStore;
use dateline_newsroom::Change;
use dateline_newsroom::{Author, AuthorId, AuthorKind, AuthorStore, MediaId, NewAuthor, Slug, StoreError};

#[derive(sqlx::FromRow)]
struct AuthorRow {
    id: i64,
    slug: String,
    name: String,
    kind: String,
    bio: String,
    photo_id: Option<i64>,
}

impl AuthorRow {
    fn into_author(self) -> Result<Author, StoreError> {
        Ok(Author {
            id: AuthorId(self.id),
            slug: stored_slug(self.slug)?,
            name: self.name,
            kind: AuthorKind::parse(&self.kind)
                .ok_or_else(|| StoreError::Other(format!("unknown author kind {:?}", self.kind)))?,
            bio: self.bio,
            photo_id: self.photo_id.map(MediaId),
        })
    }
}

const COLUMNS: &str = "id, slug, name, kind, bio, photo_id";

impl AuthorStore for SqlStore {
    async fn insert_author(&self, new: &NewAuthor) -> Result<Author, StoreError> {
        let row: AuthorRow = self
            .db
            .fetch_one(
                &format!("INSERT INTO authors (slug, name, kind, bio, photo_id) VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"),
                params![new.slug.as_str(), &new.name, new.kind.as_str(), &new.bio, new.photo_id.map(|m| m.0)],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("an author already has the slug {:?}", new.slug.as_str())),
                other => other,
            })?;
        row.into_author()
    }

    async fn update_author(&self, id: AuthorId, changed: &NewAuthor) -> Result<Author, StoreError> {
        let mut tx = self.db.begin().await?;
        let before: Option<(String,)> =
            tx.fetch_optional("SELECT name FROM authors WHERE id = $1", params![id.0]).await?;
        let row: AuthorRow = tx
            .fetch_one(
                &format!("UPDATE authors SET slug = $2, name = $3, kind = $4, bio = $5, photo_id = $6 WHERE id = $1 RETURNING {COLUMNS}"),
                params![id.0, changed.slug.as_str(), &changed.name, changed.kind.as_str(), &changed.bio, changed.photo_id.map(|m| m.0)],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("an author already has the slug {:?}", changed.slug.as_str())),
                other => other,
            })?;
        let author = row.into_author()?;
        if before.is_some_and(|(name,)| name != author.name) {
            crate::search::reindex_bylines_of(&mut tx, id.0).await?;
        }
        self.commit_with_change(tx, Some(Change::Author(id))).await?;
        Ok(author)
    }

    async fn author_by_slug(&self, slug: &Slug) -> Result<Author, StoreError> {
        let row: AuthorRow = self
            .db
            .fetch_one(&format!("SELECT {COLUMNS} FROM authors WHERE slug = $1"), params![slug.as_str()])
            .await?;
        row.into_author()
    }

    async fn authors_by_ids(&self, ids: &[AuthorId]) -> Result<Vec<Author>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("SELECT {COLUMNS} FROM authors WHERE id IN ({})", placeholders(1, ids.len()));
        let rows: Vec<AuthorRow> = self.db.fetch_all(&sql, ids.iter().map(|id| id.0.into()).collect()).await?;
        let found: Vec<Author> = rows.into_iter().map(AuthorRow::into_author).collect::<Result<_, _>>()?;
        Ok(ids.iter().filter_map(|id| found.iter().find(|a| a.id == *id).cloned()).collect())
    }

    async fn authors(&self) -> Result<Vec<Author>, StoreError> {
        let rows: Vec<AuthorRow> =
            self.db.fetch_all(&format!("SELECT {COLUMNS} FROM authors ORDER BY name, id"), vec![]).await?;
        rows.into_iter().map(AuthorRow::into_author).collect()
    }
}
