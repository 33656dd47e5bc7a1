//! SQL for podcasts: shows, sound files, episode rows and counted downloads. An episode's
//! story, its sound file's row and its episode row are written in one transaction, so an
//! episode never exists without its sound or its story.

use crate::articles::{insert_article_in, Announce, PUBLIC_AT_1};
use crate::db::{params, placeholders, DbTime, Param, Tx};
use crate::SqlStore;
use dateline_newsroom::podcasts::{
    AudioFile, Category, Chapter, Episode, EpisodeDetails, EpisodeType, NewAudioFile, NewEpisode, PodcastStore, Show,
    ShowFields, Transcript, TranscriptFormat,
};
use dateline_newsroom::{ArticleId, Change, MediaId, NewArticle, SectionId, Slug, StoreError};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct ShowRow {
    id: i64,
    slug: String,
    title: String,
    description: String,
    artwork_media_id: i64,
    category: String,
    language: String,
    explicit: i64,
    owner_name: String,
    owner_email: String,
    author: String,
    section_id: i64,
    locked: i64,
    guid: String,
    created_at: DbTime,
}

const SHOW_COLUMNS: &str = "id, slug, title, description, artwork_media_id, category, language, explicit, owner_name, \
     owner_email, author, section_id, locked, guid, created_at";

impl ShowRow {
    fn into_show(self) -> Result<Show, StoreError> {
        Ok(Show {
            id: self.id,
            slug: Slug::parse(&self.slug).map_err(|e| StoreError::Other(format!("a stored show slug: {e}")))?,
            fields: ShowFields {
                title: self.title,
                description: self.description,
                artwork_id: MediaId(self.artwork_media_id),
                category: Category::parse(&self.category).unwrap_or(Category { top: "News".into(), sub: None }),
                language: self.language,
                explicit: self.explicit != 0,
                owner_name: self.owner_name,
                owner_email: self.owner_email,
                author: self.author,
                section_id: SectionId(self.section_id),
                locked: self.locked != 0,
            },
            guid: self.guid,
            created_at: self.created_at.0,
        })
    }
}

#[derive(sqlx::FromRow)]
struct EpisodeRow {
    article_id: i64,
    show_id: i64,
    guid: String,
    episode_number: Option<i64>,
    season_number: Option<i64>,
    episode_type: String,
    transcript_format: Option<String>,
    transcript: Option<String>,
    chapters: String,
    audio_id: i64,
    storage_key: String,
    mime_type: String,
    byte_size: i64,
    duration_ms: i64,
    audio_created_at: DbTime,
}

const EPISODE_SELECT: &str = "SELECT e.article_id, e.show_id, e.guid, e.episode_number, e.season_number, \
     e.episode_type, e.transcript_format, e.transcript, e.chapters, a.id AS audio_id, a.storage_key, a.mime_type, \
     a.byte_size, a.duration_ms, a.created_at AS audio_created_at \
     FROM podcast_episodes e JOIN audio_files a ON a.id = e.audio_id";

fn chapters_column(chapters: &[Chapter]) -> String {
    chapters.iter().map(|c| format!("{} {}", c.start_ms, c.title)).collect::<Vec<_>>().join("\n")
}

fn chapters_of(column: &str) -> Vec<Chapter> {
    column
        .lines()
        .filter_map(|line| {
            let (ms, title) = line.split_once(' ')?;
            Some(Chapter { start_ms: ms.parse().ok()?, title: title.to_owned() })
        })
        .collect()
}

fn number(n: Option<i64>) -> Option<u32> {
    n.and_then(|n| u32::try_from(n).ok())
}

impl From<EpisodeRow> for Episode {
    fn from(row: EpisodeRow) -> Self {
        let transcript = match (row.transcript_format.as_deref().and_then(TranscriptFormat::parse), row.transcript) {
            (Some(format), Some(text)) => Some(Transcript { format, text }),
            _ => None,
        };
        Episode {
            article_id: ArticleId(row.article_id),
            show_id: row.show_id,
            guid: row.guid,
            audio: AudioFile {
                id: row.audio_id,
                storage_key: row.storage_key,
                mime_type: row.mime_type,
                byte_size: u64::try_from(row.byte_size).unwrap_or(0),
                duration_ms: u64::try_from(row.duration_ms).unwrap_or(0),
                created_at: row.audio_created_at.0,
            },
            details: EpisodeDetails {
                episode_number: number(row.episode_number),
                season_number: number(row.season_number),
                episode_type: EpisodeType::parse(&row.episode_type).unwrap_or(EpisodeType::Full),
                transcript,
                chapters: chapters_of(&row.chapters),
            },
        }
    }
}

#[derive(sqlx::FromRow)]
struct AudioRow {
    id: i64,
    storage_key: String,
    mime_type: String,
    byte_size: i64,
    duration_ms: i64,
    created_at: DbTime,
}

impl From<AudioRow> for AudioFile {
    fn from(row: AudioRow) -> Self {
        AudioFile {
            id: row.id,
            storage_key: row.storage_key,
            mime_type: row.mime_type,
            byte_size: u64::try_from(row.byte_size).unwrap_or(0),
            duration_ms: u64::try_from(row.duration_ms).unwrap_or(0),
            created_at: row.created_at.0,
        }
    }
}

fn size(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

async fn insert_audio(tx: &mut Tx, story: ArticleId, audio: &NewAudioFile, now: Timestamp) -> Result<i64, StoreError> {
    let (id,): (i64,) = tx
        .fetch_one(
            "INSERT INTO audio_files (article_id, storage_key, mime_type, byte_size, duration_ms, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            params![story.0, &audio.storage_key, &audio.mime_type, size(audio.byte_size), size(audio.duration_ms), now],
        )
        .await?;
    Ok(id)
}

fn detail_params(details: &EpisodeDetails) -> Vec<Param> {
    params![
        details.episode_number.map(i64::from),
        details.season_number.map(i64::from),
        details.episode_type.as_str(),
        details.transcript.as_ref().map(|t| t.format.as_str()),
        details.transcript.as_ref().map(|t| t.text.clone()),
        chapters_column(&details.chapters)
    ]
}

fn show_params(slug: &Slug, fields: &ShowFields) -> Vec<Param> {
    params![
        slug.as_str(),
        &fields.title,
        &fields.description,
        fields.artwork_id.0,
        fields.category.as_text(),
        &fields.language,
        i64::from(fields.explicit),
        &fields.owner_name,
        &fields.owner_email,
        &fields.author,
        fields.section_id.0,
        i64::from(fields.locked)
    ]
}

/// A slug taken by another show is a conflict the desk explains, not a failure.
fn slug_conflict(error: StoreError) -> StoreError {
    match error {
        StoreError::Conflict(why) if why.starts_with("already exists") => {
            StoreError::Conflict("another show has this address".into())
        }
        other => other,
    }
}

impl PodcastStore for SqlStore {
    async fn insert_show(
        &self,
        slug: &Slug,
        fields: &ShowFields,
        guid: &str,
        now: Timestamp,
    ) -> Result<Show, StoreError> {
        let mut values = show_params(slug, fields);
        values.extend(params![guid, now]);
        let mut tx = self.db.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                "INSERT INTO podcast_shows (slug, title, description, artwork_media_id, category, language, explicit, \
                 owner_name, owner_email, author, section_id, locked, guid, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                values,
            )
            .await
            .map_err(slug_conflict)?;
        self.commit_with_change(tx, Some(Change::Podcast(id))).await?;
        self.show_by_id(id).await
    }

    async fn update_show(&self, id: i64, slug: &Slug, fields: &ShowFields) -> Result<Show, StoreError> {
        let mut values = show_params(slug, fields);
        values.push(Param::from(id));
        let mut tx = self.db.begin().await?;
        let changed = tx
            .execute(
                "UPDATE podcast_shows SET slug = $1, title = $2, description = $3, artwork_media_id = $4, category = $5, \
                 language = $6, explicit = $7, owner_name = $8, owner_email = $9, author = $10, section_id = $11, \
                 locked = $12 WHERE id = $13",
                values,
            )
            .await
            .map_err(slug_conflict)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        self.commit_with_change(tx, Some(Change::Podcast(id))).await?;
        self.show_by_id(id).await
    }

    async fn shows(&self) -> Result<Vec<Show>, StoreError> {
        let rows: Vec<ShowRow> =
            self.db.fetch_all(&format!("SELECT {SHOW_COLUMNS} FROM podcast_shows ORDER BY title, id"), vec![]).await?;
        rows.into_iter().map(ShowRow::into_show).collect()
    }

    async fn show_by_id(&self, id: i64) -> Result<Show, StoreError> {
        let row: ShowRow =
            self.db.fetch_one(&format!("SELECT {SHOW_COLUMNS} FROM podcast_shows WHERE id = $1"), params![id]).await?;
        row.into_show()
    }

    async fn show_by_slug(&self, slug: &str) -> Result<Show, StoreError> {
        let row: ShowRow = self
            .db
            .fetch_one(&format!("SELECT {SHOW_COLUMNS} FROM podcast_shows WHERE slug = $1"), params![slug])
            .await?;
        row.into_show()
    }

    async fn insert_episode_story(
        &self,
        story: &NewArticle,
        episode: &NewEpisode,
        now: Timestamp,
    ) -> Result<ArticleId, StoreError> {
        let mut tx = self.db.begin().await?;
        let id = insert_article_in(&mut tx, story, Announce::Yes).await?;
        let audio_id = insert_audio(&mut tx, id, &episode.audio, now).await?;
        let mut values = params![id.0, episode.show_id, audio_id, &episode.guid];
        values.extend(detail_params(&episode.details));
        tx.execute(
            "INSERT INTO podcast_episodes (article_id, show_id, audio_id, guid, episode_number, season_number, \
             episode_type, transcript_format, transcript, chapters) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            values,
        )
        .await?;
        self.commit_with_change(tx, Change::of_new(id, story).or(Some(Change::Podcast(episode.show_id)))).await?;
        Ok(id)
    }

    async fn update_episode(
        &self,
        id: ArticleId,
        details: &EpisodeDetails,
        new_audio: Option<&NewAudioFile>,
        now: Timestamp,
    ) -> Result<Episode, StoreError> {
        let mut tx = self.db.begin().await?;
        let (show_id,): (i64,) =
            tx.fetch_one("SELECT show_id FROM podcast_episodes WHERE article_id = $1", params![id.0]).await?;
        if let Some(audio) = new_audio {
            let audio_id = insert_audio(&mut tx, id, audio, now).await?;
            tx.execute("UPDATE podcast_episodes SET audio_id = $2 WHERE article_id = $1", params![id.0, audio_id])
                .await?;
        }
        let mut values = detail_params(details);
        values.push(Param::from(id.0));
        tx.execute(
            "UPDATE podcast_episodes SET episode_number = $1, season_number = $2, episode_type = $3, \
             transcript_format = $4, transcript = $5, chapters = $6 WHERE article_id = $7",
            values,
        )
        .await?;
        // The story's own pages show the player, transcript and chapters.
        tx.execute("UPDATE articles SET modified_at = $2 WHERE id = $1 AND modified_at < $2", params![id.0, now])
            .await?;
        self.commit_with_change(tx, Some(Change::Podcast(show_id))).await?;
        self.episode(id).await
    }

    async fn episode(&self, id: ArticleId) -> Result<Episode, StoreError> {
        let row: EpisodeRow =
            self.db.fetch_one(&format!("{EPISODE_SELECT} WHERE e.article_id = $1"), params![id.0]).await?;
        Ok(row.into())
    }

    async fn show_episodes(&self, show_id: i64, limit: u32) -> Result<Vec<Episode>, StoreError> {
        let rows: Vec<EpisodeRow> = self
            .db
            .fetch_all(
                &format!("{EPISODE_SELECT} WHERE e.show_id = $1 ORDER BY e.article_id DESC LIMIT $2"),
                params![show_id, i64::from(limit)],
            )
            .await?;
        Ok(rows.into_iter().map(Episode::from).collect())
    }

    async fn episodes_of(&self, ids: &[ArticleId]) -> Result<Vec<Episode>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let values = ids.iter().map(|id| Param::from(id.0)).collect();
        let rows: Vec<EpisodeRow> = self
            .db
            .fetch_all(&format!("{EPISODE_SELECT} WHERE e.article_id IN ({})", placeholders(1, ids.len())), values)
            .await?;
        Ok(rows.into_iter().map(Episode::from).collect())
    }

    async fn public_episodes(&self, show_id: i64, now: Timestamp, limit: u32) -> Result<Vec<Episode>, StoreError> {
        let rows: Vec<EpisodeRow> = self
            .db
            .fetch_all(
                &format!(
                    "{EPISODE_SELECT} JOIN articles ON articles.id = e.article_id \
                     WHERE e.show_id = $2 AND {PUBLIC_AT_1} \
                     ORDER BY articles.first_published_at DESC, articles.id DESC LIMIT $3"
                ),
                params![now, show_id, i64::from(limit)],
            )
            .await?;
        Ok(rows.into_iter().map(Episode::from).collect())
    }

    async fn episode_by_audio_key(&self, key: &str) -> Result<(Episode, AudioFile), StoreError> {
        let file: AudioRow = self
            .db
            .fetch_one(
                "SELECT id, storage_key, mime_type, byte_size, duration_ms, created_at FROM audio_files \
                 WHERE storage_key = $1",
                params![key],
            )
            .await?;
        let (article_id,): (i64,) =
            self.db.fetch_one("SELECT article_id FROM audio_files WHERE id = $1", params![file.id]).await?;
        Ok((self.episode(ArticleId(article_id)).await?, file.into()))
    }

    async fn count_download(&self, episode: ArticleId, listener: &str, day: &str) -> Result<bool, StoreError> {
        let inserted = self
            .db
            .execute(
                "INSERT INTO podcast_downloads (article_id, day, listener) VALUES ($1, $2, $3) \
                 ON CONFLICT (article_id, day, listener) DO NOTHING",
                params![episode.0, day, listener],
            )
            .await?;
        Ok(inserted > 0)
    }

    async fn download_counts(&self, ids: &[ArticleId]) -> Result<Vec<(ArticleId, u64)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let values = ids.iter().map(|id| Param::from(id.0)).collect();
        let rows: Vec<(i64, i64)> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT article_id, COUNT(*) FROM podcast_downloads WHERE article_id IN ({}) GROUP BY article_id",
                    placeholders(1, ids.len())
                ),
                values,
            )
            .await?;
        Ok(rows.into_iter().map(|(id, n)| (ArticleId(id), u64::try_from(n).unwrap_or(0))).collect())
    }
}
