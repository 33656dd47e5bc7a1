//! SQL for syndication: partners, the push endpoint each may have (a row of
//! `webhook_endpoints` naming it), and the change feed a partner pulls.

use crate::db::{params, DbTime};
use crate::SqlStore;
use dateline_newsroom::syndication::{
    FeedCursor, FeedOrder, NewPartner, Partner, PartnerFormat, PartnerPush, PartnerStore,
};
use dateline_newsroom::webhooks::WebhookEvent;
use dateline_newsroom::{ArticleId, SectionId, Slug, StoreError, TopicId};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct PartnerRow {
    id: i64,
    slug: String,
    name: String,
    token_digest: String,
    section_ids: String,
    topic_ids: String,
    embargoed_copy: i64,
    format: String,
    push_url: Option<String>,
    created_at: DbTime,
    revoked_at: Option<DbTime>,
}

fn ids(list: &str) -> Vec<i64> {
    list.split(',').filter_map(|id| id.trim().parse().ok()).collect()
}

fn joined(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

impl PartnerRow {
    fn into_partner(self) -> Result<Partner, StoreError> {
        Ok(Partner {
            id: self.id,
            slug: Slug::parse(&self.slug)
                .map_err(|_| StoreError::Other(format!("partner {} has a bad slug", self.id)))?,
            name: self.name,
            token_digest: self.token_digest,
            sections: ids(&self.section_ids).into_iter().map(SectionId).collect(),
            topics: ids(&self.topic_ids).into_iter().map(TopicId).collect(),
            embargoed_copy: self.embargoed_copy != 0,
            format: PartnerFormat::parse(&self.format)
                .ok_or_else(|| StoreError::Other(format!("partner {} has an unknown format", self.id)))?,
            push_url: self.push_url,
            created_at: self.created_at.0,
            revoked_at: self.revoked_at.map(|t| t.0),
        })
    }
}

const PARTNER_COLUMNS: &str = "p.id, p.slug, p.name, p.token_digest, p.section_ids, p.topic_ids, p.embargoed_copy, \
     p.format, (SELECT e.url FROM webhook_endpoints e WHERE e.partner_id = p.id ORDER BY e.id DESC LIMIT 1) AS push_url, \
     p.created_at, p.revoked_at";

impl SqlStore {
    async fn partner_where(&self, condition: &str, value: crate::db::Param) -> Result<Partner, StoreError> {
        let row: PartnerRow = self
            .db
            .fetch_one(&format!("SELECT {PARTNER_COLUMNS} FROM syndication_partners p WHERE {condition}"), vec![value])
            .await?;
        row.into_partner()
    }
}

impl PartnerStore for SqlStore {
    async fn insert_partner(
        &self,
        new: &NewPartner,
        push: Option<&PartnerPush>,
        now: Timestamp,
    ) -> Result<Partner, StoreError> {
        let mut tx = self.db.begin().await?;
        let (id,): (i64,) = tx
            .fetch_one(
                "INSERT INTO syndication_partners (slug, name, token_digest, section_ids, topic_ids, embargoed_copy, format, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                params![
                    new.slug.as_str(),
                    &new.name,
                    &new.token_digest,
                    joined(new.sections.iter().map(|s| s.0)),
                    joined(new.topics.iter().map(|t| t.0)),
                    i64::from(new.embargoed_copy),
                    new.format.as_str(),
                    now
                ],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a partner named {} exists already", new.slug)),
                other => other,
            })?;
        if let Some(push) = push {
            // Every event: what the partner is offered of each is decided when it is sent.
            let events: Vec<&str> = WebhookEvent::ALL.iter().map(|e| e.as_str()).collect();
            tx.execute(
                "INSERT INTO webhook_endpoints (url, events, secret, created_at, partner_id, bearer_token) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                params![&push.url, events.join(","), &push.secret, now, id, push.bearer_token.clone()],
            )
            .await?;
        }
        tx.commit().await?;
        self.partner_by_id(id).await
    }

    async fn partners(&self) -> Result<Vec<Partner>, StoreError> {
        let rows: Vec<PartnerRow> = self
            .db
            .fetch_all(&format!("SELECT {PARTNER_COLUMNS} FROM syndication_partners p ORDER BY p.name, p.id"), vec![])
            .await?;
        rows.into_iter().map(PartnerRow::into_partner).collect()
    }

    async fn partner_by_slug(&self, slug: &str) -> Result<Partner, StoreError> {
        self.partner_where("p.slug = $1", slug.into()).await
    }

    async fn partner_by_id(&self, id: i64) -> Result<Partner, StoreError> {
        self.partner_where("p.id = $1", id.into()).await
    }

    async fn revoke_partner(&self, id: i64, now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let changed = tx
            .execute(
                "UPDATE syndication_partners SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
                params![id, now],
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.execute(
            "UPDATE webhook_endpoints SET disabled_at = COALESCE(disabled_at, $2) WHERE partner_id = $1",
            params![id, now],
        )
        .await?;
        tx.commit().await
    }

    async fn syndication_changes(
        &self,
        order: FeedOrder,
        after: Option<FeedCursor>,
        until: Timestamp,
        limit: u32,
    ) -> Result<Vec<FeedCursor>, StoreError> {
        let column = match order {
            FeedOrder::Changed => "modified_at",
            FeedOrder::Offered => "offered_at",
        };
        let (at, id) = after.map_or((Timestamp::UNIX_EPOCH, 0), |c| (c.at, c.id.0));
        let rows: Vec<(DbTime, i64)> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {column}, id FROM articles \
                     WHERE ({column} > $1 OR ({column} = $1 AND id > $2)) AND {column} <= $3 \
                     AND status IN ('published', 'scheduled', 'unpublished', 'removed') \
                     ORDER BY {column}, id LIMIT $4"
                ),
                params![at, id, until, i64::from(limit)],
            )
            .await?;
        Ok(rows.into_iter().map(|(at, id)| FeedCursor { at: at.0, id: ArticleId(id) }).collect())
    }
}
