//! Many new stories written in one transaction: what `dateline seed` fills an archive of up to
//! a million stories with. One story at a time costs a round trip for each row it touches
//! (the story, each byline and topic, its search entry, each byline's name, its revision, the
//! webhooks asked, the change told: about sixteen); here each kind of row is one statement of
//! many rows, the search entries are written with the batch's author names read once, and one
//! change tells every kept page to go. Ids are reserved first ([`SqlStore::reserve_story_ids`]),
//! so on PostgreSQL two batches can be written at once and still take the ids of their order.
//! A load much larger than the archive also sets PostgreSQL's full-text index aside and builds
//! it once at the end ([`SqlStore::set_search_index_aside`]).
//!
//! Stories written this way are not told to webhooks or partners: they are history or
//! generated, not news.

use crate::db::{placeholders, Param, Tx};
use crate::SqlStore;
use dateline_newsroom::{ArticleId, Change, NewArticle, RevisionKind, StoreError};
use std::collections::HashMap;

/// Rows per statement. Not more: sqlx finds each of a SQLite statement's values by asking
/// for every placeholder's name, so binding grows with the square of the values (at a
/// thousand rows of 21 values, three quarters of a seed's time went there).
pub(crate) const ROWS_PER_STATEMENT: usize = 64;

impl SqlStore {
    /// Before writing many stories in bulk (more than the archive holds, say): PostgreSQL's
    /// full-text index is dropped until [`SqlStore::make_search_index`] builds it again over
    /// all of them, much faster than adding each story to it. Searches meanwhile still
    /// answer, more slowly; a start after a load that was stopped builds it. Nothing on
    /// SQLite.
    pub async fn set_search_index_aside(&self) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        crate::search::set_full_text_index_aside(&mut tx).await?;
        tx.commit().await
    }

    /// Builds PostgreSQL's full-text index if it is missing (see
    /// [`SqlStore::set_search_index_aside`]).
    pub async fn make_search_index(&self) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        crate::search::make_full_text_index(&mut tx).await?;
        tx.commit().await
    }

    /// Ids for `count` new stories, in order, to write with
    /// [`SqlStore::insert_stories_in_bulk`]. On PostgreSQL they come from the column's own
    /// sequence, so several loads may reserve and write at once. On SQLite they follow the
    /// largest id stored, so they stay free only while nothing else writes stories (as during
    /// a seed); a batch whose ids were taken meanwhile is refused whole.
    pub async fn reserve_story_ids(&self, count: usize) -> Result<Vec<ArticleId>, StoreError> {
        let ids: Vec<i64> = match self.db.backend() {
            crate::Backend::Postgres => {
                let ids: Vec<(i64,)> = self
                    .db
                    .fetch_all(
                        "SELECT nextval(pg_get_serial_sequence('articles', 'id')) AS id \
                         FROM generate_series(1, $1) ORDER BY id",
                        vec![Param::from(count as i64)],
                    )
                    .await?;
                ids.into_iter().map(|(id,)| id).collect()
            }
            crate::Backend::Sqlite => {
                let (largest,): (i64,) = self.db.fetch_one("SELECT COALESCE(MAX(id), 0) FROM articles", vec![]).await?;
                (1..=count as i64).map(|n| largest + n).collect()
            }
        };
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    /// Writes each story under its reserved id, all in one transaction: nothing is written if
    /// any of them fails (an id taken, a section or author that does not exist).
    pub async fn insert_stories_in_bulk(&self, stories: &[(ArticleId, NewArticle)]) -> Result<(), StoreError> {
        if stories.is_empty() {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        let numbered: Vec<(i64, &NewArticle)> = stories.iter().map(|(id, story)| (id.0, story)).collect();
        for chunk in numbered.chunks(ROWS_PER_STATEMENT) {
            insert_story_rows(&mut tx, chunk).await?;
            insert_byline_and_topic_rows(&mut tx, chunk).await?;
            insert_first_revisions(&mut tx, chunk).await?;
        }
        let names = byline_names(&mut tx, &numbered).await?;
        let entries: Vec<crate::search::SearchEntry> = numbered
            .iter()
            .map(|(id, story)| {
                let c = &story.content;
                crate::search::SearchEntry {
                    id: *id,
                    headline: &c.headline,
                    deck: c.deck.as_deref().unwrap_or(""),
                    bylines: c
                        .bylines
                        .iter()
                        .filter_map(|author| names.get(&author.0).map(String::as_str))
                        .collect::<Vec<_>>()
                        .join(" "),
                    body: &c.body,
                }
            })
            .collect();
        crate::search::index_stories(&mut tx, &entries).await?;
        self.commit_with_change(tx, Some(Change::Everything)).await
    }
}

/// A statement writing `rows` rows of `width` values each: `INSERT INTO … VALUES ($1, …), (…)`.
fn many_rows(head: &str, rows: usize, width: usize) -> String {
    let values: Vec<String> = (0..rows).map(|row| format!("({})", placeholders(row * width + 1, width))).collect();
    format!("{head} VALUES {}", values.join(", "))
}

async fn insert_story_rows(tx: &mut Tx, stories: &[(i64, &NewArticle)]) -> Result<(), StoreError> {
    const WIDTH: usize = 21;
    let sql = many_rows(
        "INSERT INTO articles (id, slug, headline, deck, section_id, label, lead_media_id, body, seo_title, \
         seo_description, status, embargo_until, publish_at, first_published_at, last_public_update_at, created_at, \
         modified_at, version, created_by_user_id, offered_at, dateline)",
        stories.len(),
        WIDTH,
    );
    let mut values = Vec::with_capacity(stories.len() * WIDTH);
    for (id, new) in stories {
        let c = &new.content;
        values.extend([
            Param::from(*id),
            Param::from(c.slug.as_str()),
            Param::from(c.headline.as_str()),
            Param::from(c.deck.clone()),
            Param::from(c.section_id.0),
            Param::from(c.label.map(|l| l.as_str())),
            Param::from(c.lead_media_id.map(|m| m.0)),
            Param::from(c.body.as_str()),
            Param::from(c.seo_title.clone()),
            Param::from(c.seo_description.clone()),
            Param::from(new.status.as_str()),
            Param::from(new.embargo_until),
            Param::from(new.publish_at),
            Param::from(new.first_published_at),
            Param::from(new.last_public_update_at),
            Param::from(new.created_at),
            // Changed when it was made, at its first version, as a story written alone is.
            Param::from(new.created_at),
            Param::from(1_i64),
            Param::from(new.made_by.user_id.map(|u| u.0)),
            Param::from(crate::articles::offered_at(new.created_at, new.embargo_until, new.first_published_at)),
            Param::from(c.dateline.clone()),
        ]);
    }
    tx.execute(&sql, values).await.map(drop)
}

async fn insert_byline_and_topic_rows(tx: &mut Tx, stories: &[(i64, &NewArticle)]) -> Result<(), StoreError> {
    let rows_of = |items: &dyn Fn(&NewArticle) -> Vec<i64>| -> Vec<[i64; 3]> {
        stories
            .iter()
            .flat_map(|(id, story)| {
                items(story).into_iter().enumerate().map(move |(position, item)| [*id, position as i64, item])
            })
            .collect()
    };
    let bylines = rows_of(&|story| story.content.bylines.iter().map(|a| a.0).collect());
    let topics = rows_of(&|story| story.content.topics.iter().map(|t| t.0).collect());
    for (table, column, rows) in [("article_bylines", "author_id", bylines), ("article_topics", "topic_id", topics)] {
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let sql = many_rows(&format!("INSERT INTO {table} (article_id, position, {column})"), chunk.len(), 3);
            tx.execute(&sql, chunk.iter().flatten().map(|&n| Param::from(n)).collect()).await?;
        }
    }
    Ok(())
}

async fn insert_first_revisions(tx: &mut Tx, stories: &[(i64, &NewArticle)]) -> Result<(), StoreError> {
    const WIDTH: usize = 7;
    let sql = many_rows(
        "INSERT INTO article_revisions (article_id, number, kind, made_by_user_id, made_by_name, made_at, content)",
        stories.len(),
        WIDTH,
    );
    let mut values = Vec::with_capacity(stories.len() * WIDTH);
    for (id, new) in stories {
        let snapshot = serde_json::to_string(&new.content).map_err(|e| StoreError::Other(e.to_string()))?;
        values.extend([
            Param::from(*id),
            Param::from(1_i64),
            Param::from(RevisionKind::Created.as_str()),
            Param::from(new.made_by.user_id.map(|u| u.0)),
            Param::from(new.made_by.name.as_str()),
            Param::from(new.created_at),
            Param::from(snapshot),
        ]);
    }
    tx.execute(&sql, values).await.map(drop)
}

/// The name of every author on a byline of `stories`, read once for the batch.
async fn byline_names(tx: &mut Tx, stories: &[(i64, &NewArticle)]) -> Result<HashMap<i64, String>, StoreError> {
    let mut authors: Vec<i64> = stories.iter().flat_map(|(_, s)| s.content.bylines.iter().map(|a| a.0)).collect();
    authors.sort_unstable();
    authors.dedup();
    let mut names = HashMap::new();
    for chunk in authors.chunks(ROWS_PER_STATEMENT) {
        let sql = format!("SELECT id, name FROM authors WHERE id IN ({})", placeholders(1, chunk.len()));
        let found: Vec<(i64, String)> = tx.fetch_all(&sql, chunk.iter().map(|&id| Param::from(id)).collect()).await?;
        names.extend(found);
    }
    Ok(names)
}
