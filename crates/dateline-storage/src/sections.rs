//! SQL for the section tree.

use crate::db::{params, Tx};
use crate::SqlStore;
use dateline_newsroom::Change;
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

/// Section writes go one at a time, so that each is checked against the tree as it is when it
/// writes, not as the editor saw it: two editors moving A under B and B under A at the same
/// moment must not both succeed. PostgreSQL: a table lock that readers pass through. SQLite:
/// a write first, which takes the database's write lock (its busy timeout waits for it), so
/// the transaction never has to upgrade from a stale read.
pub(crate) async fn one_writer_at_a_time(tx: &mut Tx) -> Result<(), StoreError> {
    if tx.is_postgres() {
        tx.execute("LOCK TABLE sections IN SHARE ROW EXCLUSIVE MODE", params![]).await?;
    } else {
        tx.execute("UPDATE sections SET position = position WHERE id = 0", params![]).await?;
    }
    Ok(())
}

/// The section's address must be its parent's address (as it is now, inside the lock) and
/// its slug: a rename of the parent committed a moment earlier must not leave it under an
/// address that no longer exists.
async fn path_fits_parent(tx: &mut Tx, parent_id: Option<i64>, slug: &str, path: &str) -> Result<(), StoreError> {
    let expected = match parent_id {
        None => slug.to_owned(),
        Some(parent) => {
            let found: Option<(String,)> =
                tx.fetch_optional("SELECT path FROM sections WHERE id = $1", params![parent]).await?;
            let Some((parent_path,)) = found else {
                return Err(StoreError::Conflict("the parent section no longer exists".into()));
            };
            format!("{parent_path}/{slug}")
        }
    };
    if expected != path {
        return Err(StoreError::Conflict(
            "the sections were changed by someone else at the same moment; open the section again and retry".into(),
        ));
    }
    Ok(())
}

/// Two levels at most: no section may sit under one that has a parent itself, which also
/// rules out every cycle. Checked inside the write's transaction, before it commits.
async fn two_levels_at_most(tx: &mut Tx) -> Result<(), StoreError> {
    let (nested,): (i64,) = tx
        .fetch_one(
            "SELECT COUNT(*) FROM sections s JOIN sections p ON p.id = s.parent_id WHERE p.parent_id IS NOT NULL",
            params![],
        )
        .await?;
    if nested > 0 {
        return Err(StoreError::Conflict(
            "the sections were changed by someone else at the same moment; a section may sit only under a top-level section"
                .into(),
        ));
    }
    Ok(())
}

impl SectionStore for SqlStore {
    async fn insert_section(&self, new: &NewSection, path: &str) -> Result<Section, StoreError> {
        let mut tx = self.db.begin().await?;
        one_writer_at_a_time(&mut tx).await?;
        path_fits_parent(&mut tx, new.parent_id.map(|p| p.0), new.slug.as_str(), path).await?;
        let row: SectionRow = tx
            .fetch_one(
                &format!("INSERT INTO sections (slug, name, parent_id, position, path) VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"),
                params![new.slug.as_str(), &new.name, new.parent_id.map(|p| p.0), new.position, path],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a section already has the address /{path}/")),
                other => other,
            })?;
        let section = row.into_section()?;
        two_levels_at_most(&mut tx).await?;
        self.commit_with_change(tx, Some(Change::Sections)).await?;
        Ok(section)
    }

    async fn update_section(&self, section: &Section) -> Result<Section, StoreError> {
        let mut tx = self.db.begin().await?;
        one_writer_at_a_time(&mut tx).await?;
        path_fits_parent(&mut tx, section.parent_id.map(|p| p.0), section.slug.as_str(), &section.path).await?;
        let (old_path,): (String,) =
            tx.fetch_one("SELECT path FROM sections WHERE id = $1", params![section.id.0]).await?;
        let children: Vec<(i64, String, String)> =
            tx.fetch_all("SELECT id, slug, path FROM sections WHERE parent_id = $1", params![section.id.0]).await?;
        tx.execute(
            "UPDATE sections SET slug = $2, name = $3, parent_id = $4, position = $5, path = $6 WHERE id = $1",
            params![
                section.id.0,
                section.slug.as_str(),
                &section.name,
                section.parent_id.map(|p| p.0),
                section.position,
                &section.path
            ],
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                StoreError::Conflict(format!("a section already has the address /{}/", section.path))
            }
            other => other,
        })?;
        if old_path != section.path {
            // The old address (and each subsection's) now leads to the new one; an address
            // taken again by a section stops redirecting.
            let mut moved = vec![(section.id.0, old_path.clone(), section.path.clone())];
            for (id, slug, path) in children {
                let new_path = format!("{}/{slug}", section.path);
                tx.execute("UPDATE sections SET path = $2 WHERE id = $1", params![id, &new_path]).await.map_err(
                    |e| match e {
                        StoreError::Conflict(_) => {
                            StoreError::Conflict(format!("a section already has the address /{new_path}/"))
                        }
                        other => other,
                    },
                )?;
                moved.push((id, path, new_path));
            }
            for (id, old, new) in moved {
                tx.execute("DELETE FROM section_redirects WHERE old_path = $1", params![&new]).await?;
                tx.execute(
                    "INSERT INTO section_redirects (old_path, section_id) VALUES ($1, $2) \
                     ON CONFLICT (old_path) DO UPDATE SET section_id = excluded.section_id",
                    params![old, id],
                )
                .await?;
            }
        }
        two_levels_at_most(&mut tx).await?;
        let row: SectionRow =
            tx.fetch_one(&format!("SELECT {COLUMNS} FROM sections WHERE id = $1"), params![section.id.0]).await?;
        let section = row.into_section()?;
        self.commit_with_change(tx, Some(Change::Sections)).await?;
        Ok(section)
    }

    async fn redirected_section(&self, old_path: &str) -> Result<Section, StoreError> {
        let row: SectionRow = self
            .db
            .fetch_one(
                "SELECT s.id, s.slug, s.name, s.parent_id, s.position, s.path FROM section_redirects r \
                 JOIN sections s ON s.id = r.section_id WHERE r.old_path = $1",
                params![old_path],
            )
            .await?;
        row.into_section()
    }

    async fn sections(&self) -> Result<Vec<Section>, StoreError> {
        let rows: Vec<SectionRow> =
            self.db.fetch_all(&format!("SELECT {COLUMNS} FROM sections ORDER BY position, id"), vec![]).await?;
        rows.into_iter().map(SectionRow::into_section).collect()
    }
}
