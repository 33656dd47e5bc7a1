//! SQL for live coverage: which stories are live, their posts, and each post's history.
//! Every write also records [`Change::Live`], so the story's pages are dropped and its
//! readers hear of the post on every instance.

use crate::db::{params, DbTime, Tx};
use crate::SqlStore;
use dateline_newsroom::live::{
    Coverage, LivePost, LivePostId, LivePostUpdate, LiveStore, NewLivePost, PostContent, PostPlace, PostRevision,
    PostRevisionKind,
};
use dateline_newsroom::{ArticleId, AuthorId, Change, MediaId, RevisionAuthor, StoreError, UserId};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct CoverageRow {
    article_id: i64,
    started_at: DbTime,
    ended_at: Option<DbTime>,
}

impl From<CoverageRow> for Coverage {
    fn from(row: CoverageRow) -> Self {
        Coverage {
            article_id: ArticleId(row.article_id),
            started_at: row.started_at.0,
            ended_at: row.ended_at.map(|t| t.0),
        }
    }
}

#[derive(sqlx::FromRow)]
struct PostRow {
    id: i64,
    article_id: i64,
    author_id: Option<i64>,
    author_name: String,
    title: Option<String>,
    body: String,
    media_id: Option<i64>,
    pinned: i64,
    posted_at: DbTime,
    modified_at: DbTime,
    deleted_at: Option<DbTime>,
    posted_by: Option<i64>,
    version: i64,
}

impl From<PostRow> for LivePost {
    fn from(row: PostRow) -> Self {
        LivePost {
            id: LivePostId(row.id),
            article_id: ArticleId(row.article_id),
            author_id: row.author_id.map(AuthorId),
            author_name: row.author_name,
            title: row.title,
            body: row.body,
            media_id: row.media_id.map(MediaId),
            pinned: row.pinned != 0,
            posted_at: row.posted_at.0,
            modified_at: row.modified_at.0,
            deleted_at: row.deleted_at.map(|t| t.0),
            posted_by: row.posted_by.map(UserId),
            version: row.version,
        }
    }
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    post_id: i64,
    kind: String,
    made_at: DbTime,
    made_by_name: String,
    title: Option<String>,
    body: String,
    pinned: i64,
}

const POST_COLUMNS: &str = "id, article_id, author_id, author_name, title, body, media_id, pinned, posted_at, \
     modified_at, deleted_at, posted_by, version";
const COVERAGE_COLUMNS: &str = "article_id, started_at, ended_at";

async fn insert_revision(
    tx: &mut Tx,
    post: LivePostId,
    kind: PostRevisionKind,
    at: Timestamp,
    by: &RevisionAuthor,
    content: &PostContent,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO live_post_revisions (post_id, kind, made_at, made_by_user_id, made_by_name, title, body, pinned) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        params![
            post.0,
            kind.as_str(),
            at,
            by.user_id.map(|u| u.0),
            &by.name,
            content.title.clone(),
            &content.body,
            i64::from(content.pinned)
        ],
    )
    .await
    .map(drop)
}

/// A public story's "Updated" time becomes the post's, so its feed entries and its page say
/// when the stream last moved; its version is left alone, so an editor with the story open
/// can still save it.
async fn touch_story(tx: &mut Tx, story: ArticleId, at: Timestamp) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE articles SET last_public_update_at = $2 WHERE id = $1 \
         AND (last_public_update_at IS NULL OR last_public_update_at < $2)",
        params![story.0, at],
    )
    .await
    .map(drop)
}

impl LiveStore for SqlStore {
    async fn start_coverage(&self, id: ArticleId, now: Timestamp) -> Result<Coverage, StoreError> {
        let mut tx = self.db.begin().await?;
        let inserted = tx
            .execute(
                "INSERT INTO live_coverage (article_id, started_at) VALUES ($1, $2) ON CONFLICT (article_id) DO NOTHING",
                params![id.0, now],
            )
            .await?;
        let change = (inserted > 0).then_some(Change::Live { story: id, post: None });
        self.commit_with_change(tx, change).await?;
        self.coverage(id).await
    }

    async fn coverage(&self, id: ArticleId) -> Result<Coverage, StoreError> {
        let row: CoverageRow = self
            .db
            .fetch_one(&format!("SELECT {COVERAGE_COLUMNS} FROM live_coverage WHERE article_id = $1"), params![id.0])
            .await?;
        Ok(row.into())
    }

    async fn set_coverage_end(&self, id: ArticleId, ended_at: Option<Timestamp>) -> Result<Coverage, StoreError> {
        let mut tx = self.db.begin().await?;
        let changed =
            tx.execute("UPDATE live_coverage SET ended_at = $2 WHERE article_id = $1", params![id.0, ended_at]).await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        self.commit_with_change(tx, Some(Change::Live { story: id, post: None })).await?;
        self.coverage(id).await
    }

    async fn insert_live_post(&self, new: &NewLivePost) -> Result<LivePost, StoreError> {
        let c = &new.content;
        let mut tx = self.db.begin().await?;
        let row: PostRow = tx
            .fetch_one(
                &format!(
                    "INSERT INTO live_posts (article_id, author_id, author_name, title, body, media_id, pinned, posted_at, \
                     modified_at, posted_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING {POST_COLUMNS}"
                ),
                params![
                    new.article_id.0,
                    c.author_id.map(|a| a.0),
                    &c.author_name,
                    c.title.clone(),
                    &c.body,
                    c.media_id.map(|m| m.0),
                    i64::from(c.pinned),
                    new.at,
                    new.made_by.user_id.map(|u| u.0)
                ],
            )
            .await?;
        let post = LivePost::from(row);
        insert_revision(&mut tx, post.id, PostRevisionKind::Posted, new.at, &new.made_by, c).await?;
        if new.story_is_public {
            touch_story(&mut tx, new.article_id, new.at).await?;
        }
        self.commit_with_change(tx, Some(Change::Live { story: new.article_id, post: Some(post.id) })).await?;
        Ok(post)
    }

    async fn update_live_post(&self, update: &LivePostUpdate) -> Result<LivePost, StoreError> {
        let c = &update.content;
        let mut tx = self.db.begin().await?;
        let row: Option<PostRow> = tx
            .fetch_optional(
                &format!(
                    "UPDATE live_posts SET author_id = $3, author_name = $4, title = $5, body = $6, media_id = $7, \
                     pinned = $8, modified_at = $9, deleted_at = CASE WHEN $10 = 1 THEN $9 ELSE deleted_at END, \
                     version = version + 1 WHERE id = $1 AND version = $2 AND deleted_at IS NULL RETURNING {POST_COLUMNS}"
                ),
                params![
                    update.id.0,
                    update.expected_version,
                    c.author_id.map(|a| a.0),
                    &c.author_name,
                    c.title.clone(),
                    &c.body,
                    c.media_id.map(|m| m.0),
                    i64::from(c.pinned),
                    update.at,
                    i64::from(update.deleted)
                ],
            )
            .await?;
        let Some(row) = row else {
            drop(tx);
            self.live_post(update.id).await?;
            return Err(StoreError::Conflict("the post was changed by someone else in the meantime".into()));
        };
        let post = LivePost::from(row);
        insert_revision(&mut tx, post.id, update.kind, update.at, &update.made_by, c).await?;
        if update.touches_story {
            touch_story(&mut tx, update.article_id, update.at).await?;
        }
        self.commit_with_change(tx, Some(Change::Live { story: update.article_id, post: Some(post.id) })).await?;
        Ok(post)
    }

    async fn live_post(&self, id: LivePostId) -> Result<LivePost, StoreError> {
        let row: PostRow =
            self.db.fetch_one(&format!("SELECT {POST_COLUMNS} FROM live_posts WHERE id = $1"), params![id.0]).await?;
        Ok(row.into())
    }

    async fn live_posts(&self, id: ArticleId, limit: u32, offset: u32) -> Result<Vec<LivePost>, StoreError> {
        let rows: Vec<PostRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {POST_COLUMNS} FROM live_posts WHERE article_id = $1 AND deleted_at IS NULL \
                     ORDER BY posted_at DESC, id DESC LIMIT $2 OFFSET $3"
                ),
                params![id.0, i64::from(limit), i64::from(offset)],
            )
            .await?;
        Ok(rows.into_iter().map(LivePost::from).collect())
    }

    async fn count_live_posts(&self, id: ArticleId) -> Result<u64, StoreError> {
        let (count,): (i64,) = self
            .db
            .fetch_one("SELECT COUNT(*) FROM live_posts WHERE article_id = $1 AND deleted_at IS NULL", params![id.0])
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn key_events(&self, id: ArticleId) -> Result<Vec<LivePost>, StoreError> {
        let rows: Vec<PostRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {POST_COLUMNS} FROM live_posts WHERE article_id = $1 AND deleted_at IS NULL AND pinned = 1 \
                     ORDER BY posted_at DESC, id DESC"
                ),
                params![id.0],
            )
            .await?;
        Ok(rows.into_iter().map(LivePost::from).collect())
    }

    async fn live_post_place(&self, id: LivePostId) -> Result<PostPlace, StoreError> {
        let post = self.live_post(id).await?;
        if post.deleted_at.is_some() {
            return Err(StoreError::NotFound);
        }
        let (newer,): (i64,) = self
            .db
            .fetch_one(
                "SELECT COUNT(*) FROM live_posts WHERE article_id = $1 AND deleted_at IS NULL \
                 AND (posted_at > $2 OR (posted_at = $2 AND id > $3))",
                params![post.article_id.0, post.posted_at, post.id.0],
            )
            .await?;
        Ok(PostPlace { newer: u64::try_from(newer).unwrap_or(0) })
    }

    async fn post_revisions(&self, id: LivePostId) -> Result<Vec<PostRevision>, StoreError> {
        let rows: Vec<RevisionRow> = self
            .db
            .fetch_all(
                "SELECT post_id, kind, made_at, made_by_name, title, body, pinned FROM live_post_revisions \
                 WHERE post_id = $1 ORDER BY id",
                params![id.0],
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(PostRevision {
                    post_id: LivePostId(row.post_id),
                    kind: PostRevisionKind::parse(&row.kind)
                        .ok_or_else(|| StoreError::Other(format!("unknown post revision kind {:?}", row.kind)))?,
                    made_at: row.made_at.0,
                    made_by: row.made_by_name,
                    title: row.title,
                    body: row.body,
                    pinned: row.pinned != 0,
                })
            })
            .collect()
    }

    async fn running_coverage(&self) -> Result<Vec<ArticleId>, StoreError> {
        let rows: Vec<(i64,)> = self
            .db
            .fetch_all("SELECT article_id FROM live_coverage WHERE ended_at IS NULL ORDER BY started_at DESC", vec![])
            .await?;
        Ok(rows.into_iter().map(|(id,)| ArticleId(id)).collect())
    }
}
