//! SQL for topics.

use crate::db::params;
use crate::sections::stored_slug;
use crate::SqlStore;
use dateline_newsroom::Change;
use dateline_newsroom::{NewTopic, Slug, StoreError, Topic, TopicId, TopicStore};

#[derive(sqlx::FromRow)]
struct TopicRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
}

impl TopicRow {
    fn into_topic(self) -> Result<Topic, StoreError> {
        Ok(Topic {
            id: TopicId(self.id),
            slug: stored_slug(self.slug)?,
            name: self.name,
            description: self.description,
        })
    }
}

impl TopicStore for SqlStore {
    async fn insert_topic(&self, new: &NewTopic) -> Result<Topic, StoreError> {
        let mut tx = self.db.begin().await?;
        let row: TopicRow = tx
            .fetch_one(
                "INSERT INTO topics (slug, name, description) VALUES ($1, $2, $3) RETURNING id, slug, name, description",
                params![new.slug.as_str(), &new.name, &new.description],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a topic already has the slug {:?}", new.slug.as_str())),
                other => other,
            })?;
        let topic = row.into_topic()?;
        self.commit_with_change(tx, Some(Change::Topic(topic.id))).await?;
        Ok(topic)
    }

    async fn update_topic(&self, id: TopicId, changed: &NewTopic) -> Result<Topic, StoreError> {
        let mut tx = self.db.begin().await?;
        let row: TopicRow = tx
            .fetch_one(
                "UPDATE topics SET slug = $2, name = $3, description = $4 WHERE id = $1 RETURNING id, slug, name, description",
                params![id.0, changed.slug.as_str(), &changed.name, &changed.description],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a topic already has the slug {:?}", changed.slug.as_str())),
                other => other,
            })?;
        let topic = row.into_topic()?;
        self.commit_with_change(tx, Some(Change::Topic(id))).await?;
        Ok(topic)
    }

    async fn topic_by_slug(&self, slug: &Slug) -> Result<Topic, StoreError> {
        let row: TopicRow = self
            .db
            .fetch_one("SELECT id, slug, name, description FROM topics WHERE slug = $1", params![slug.as_str()])
            .await?;
        row.into_topic()
    }

    async fn topics(&self) -> Result<Vec<Topic>, StoreError> {
        let rows: Vec<TopicRow> =
            self.db.fetch_all("SELECT id, slug, name, description FROM topics ORDER BY name, id", vec![]).await?;
        rows.into_iter().map(TopicRow::into_topic).collect()
    }
}
