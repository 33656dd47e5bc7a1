//! SQL for stories' videos: the uploaded files and the one video a story leads with. Setting
//! a story's video writes its file's row (if any) and the story's video row in one
//! transaction, and tells the story's pages to change.

use crate::db::{params, DbTime};
use crate::SqlStore;
use dateline_newsroom::timed_text::{Transcript, TranscriptFormat};
use dateline_newsroom::video::{NewVideoSource, Provider, StoryVideo, VideoFile, VideoSource, VideoStore};
use dateline_newsroom::{ArticleId, Change, MediaId, StoreError};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct VideoFileRow {
    id: i64,
    storage_key: String,
    mime_type: String,
    byte_size: i64,
    duration_ms: i64,
    width: i64,
    height: i64,
    created_at: DbTime,
}

const FILE_COLUMNS: &str = "id, storage_key, mime_type, byte_size, duration_ms, width, height, created_at";

impl From<VideoFileRow> for VideoFile {
    fn from(row: VideoFileRow) -> Self {
        VideoFile {
            id: row.id,
            storage_key: row.storage_key,
            mime_type: row.mime_type,
            byte_size: u64::try_from(row.byte_size).unwrap_or(0),
            duration_ms: u64::try_from(row.duration_ms).unwrap_or(0),
            width: u32::try_from(row.width).unwrap_or(0),
            height: u32::try_from(row.height).unwrap_or(0),
            created_at: row.created_at.0,
        }
    }
}

#[derive(sqlx::FromRow)]
struct StoryVideoRow {
    article_id: i64,
    title: String,
    description: String,
    provider: String,
    external_id: Option<String>,
    video_file_id: Option<i64>,
    poster_media_id: Option<i64>,
    captions_format: Option<String>,
    captions: Option<String>,
    added_at: DbTime,
}

fn big(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// What a story's pages show changed, where readers can see it: its own pages and its
/// cards, in place (a story no reader can see changes nothing they see).
async fn story_change(store: &SqlStore, id: ArticleId, now: Timestamp) -> Result<Option<Change>, StoreError> {
    let article = dateline_newsroom::ArticleStore::article_by_id(store, id).await?;
    Ok(dateline_newsroom::Placement::of(&article, now).map(|shown| Change::Story {
        id,
        before: Some(shown.clone()),
        after: Some(shown),
    }))
}

impl VideoStore for SqlStore {
    async fn set_story_video(
        &self,
        id: ArticleId,
        title: &str,
        description: &str,
        source: &NewVideoSource,
        now: Timestamp,
    ) -> Result<StoryVideo, StoreError> {
        let change = story_change(self, id, now).await?;
        let mut tx = self.db.begin().await?;
        let (provider, external_id, file_id, poster, captions) = match source {
            NewVideoSource::Linked { provider, id: external } => {
                (provider.as_str(), Some(external.clone()), None, None, None)
            }
            NewVideoSource::File { file, poster, captions } => {
                let (file_id,): (i64,) = tx
                    .fetch_one(
                        "INSERT INTO video_files (article_id, storage_key, mime_type, byte_size, duration_ms, width, height, \
                         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        params![
                            id.0,
                            &file.storage_key,
                            &file.mime_type,
                            big(file.byte_size),
                            big(file.duration_ms),
                            i64::from(file.width),
                            i64::from(file.height),
                            now
                        ],
                    )
                    .await?;
                ("file", None, Some(file_id), Some(poster.0), captions.as_ref())
            }
        };
        tx.execute("DELETE FROM story_videos WHERE article_id = $1", params![id.0]).await?;
        tx.execute(
            "INSERT INTO story_videos (article_id, title, description, provider, external_id, video_file_id, \
             poster_media_id, captions_format, captions, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            params![
                id.0,
                title,
                description,
                provider,
                external_id,
                file_id,
                poster,
                captions.map(|c| c.format.as_str()),
                captions.map(|c| c.text.clone()),
                now
            ],
        )
        .await?;
        self.commit_with_change(tx, change).await?;
        self.story_video(id).await
    }

    async fn remove_story_video(&self, id: ArticleId, now: Timestamp) -> Result<(), StoreError> {
        let change = story_change(self, id, now).await?;
        let mut tx = self.db.begin().await?;
        let removed = tx.execute("DELETE FROM story_videos WHERE article_id = $1", params![id.0]).await?;
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        self.commit_with_change(tx, change).await
    }

    async fn story_video(&self, id: ArticleId) -> Result<StoryVideo, StoreError> {
        let row: StoryVideoRow = self
            .db
            .fetch_one(
                "SELECT article_id, title, description, provider, external_id, video_file_id, poster_media_id, \
                 captions_format, captions, added_at FROM story_videos WHERE article_id = $1",
                params![id.0],
            )
            .await?;
        let source = match (row.provider.as_str(), row.video_file_id, row.poster_media_id) {
            ("file", Some(file_id), Some(poster)) => {
                let file: VideoFileRow = self
                    .db
                    .fetch_one(&format!("SELECT {FILE_COLUMNS} FROM video_files WHERE id = $1"), params![file_id])
                    .await?;
                let captions = match (row.captions_format.as_deref().and_then(TranscriptFormat::parse), row.captions) {
                    (Some(format), Some(text)) => Some(Transcript { format, text }),
                    _ => None,
                };
                VideoSource::File { file: file.into(), poster: MediaId(poster), captions }
            }
            (other, _, _) => match (Provider::parse(other), row.external_id) {
                (Some(provider), Some(external)) => VideoSource::Linked { provider, id: external },
                _ => return Err(StoreError::Other(format!("a stored video of unknown kind {other:?}"))),
            },
        };
        Ok(StoryVideo {
            article_id: ArticleId(row.article_id),
            title: row.title,
            description: row.description,
            source,
            added_at: row.added_at.0,
        })
    }

    async fn video_file_by_key(&self, key: &str) -> Result<(ArticleId, VideoFile), StoreError> {
        let (article_id,): (i64,) =
            self.db.fetch_one("SELECT article_id FROM video_files WHERE storage_key = $1", params![key]).await?;
        let file: VideoFileRow = self
            .db
            .fetch_one(&format!("SELECT {FILE_COLUMNS} FROM video_files WHERE storage_key = $1"), params![key])
            .await?;
        Ok((ArticleId(article_id), file.into()))
    }
}
