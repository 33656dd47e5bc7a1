//! SQL for newsletters: the lists, their editions, the confirmed subscribers and the
//! delivery rows the sending worker works through. Starting an edition writes all its
//! deliveries in one transaction (unique per edition and subscriber); a delivery is claimed
//! as sent with a conditional update, so of two senders only one ever finishes a message.

use crate::db::{params, placeholders, DbTime, Param, Tx};
use crate::SqlStore;
use dateline_newsroom::newsletters::{
    Delivery, DeliveryOutcome, Edition, EditionContent, EditionSource, EditionState, Newsletter, NewsletterFields,
    NewsletterStore, Schedule, SendingProgress, Subscriber,
};
use dateline_newsroom::{ArticleId, Slug, StoreError, UserId};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct NewsletterRow {
    id: i64,
    slug: String,
    name: String,
    description: String,
    sender_name: String,
    sender_address: String,
    schedule: Option<String>,
    source: String,
    created_at: DbTime,
    retired_at: Option<DbTime>,
}

impl NewsletterRow {
    fn into_newsletter(self) -> Result<Newsletter, StoreError> {
        Ok(Newsletter {
            id: self.id,
            slug: Slug::parse(&self.slug).map_err(|e| StoreError::Other(format!("a stored newsletter slug: {e}")))?,
            name: self.name,
            description: self.description,
            sender_name: self.sender_name,
            sender_address: self.sender_address,
            schedule: self.schedule.as_deref().and_then(|s| Schedule::parse(s).ok()),
            source: EditionSource::parse(&self.source).unwrap_or(EditionSource::ByHand),
            created_at: self.created_at.0,
            retired_at: self.retired_at.map(|t| t.0),
        })
    }
}

const NEWSLETTER_COLUMNS: &str =
    "id, slug, name, description, sender_name, sender_address, schedule, source, created_at, retired_at";

#[derive(sqlx::FromRow)]
struct EditionRow {
    id: i64,
    newsletter_id: i64,
    subject: String,
    note: String,
    story_ids: String,
    state: String,
    send_at: Option<DbTime>,
    created_at: DbTime,
    created_by: Option<i64>,
    started_at: Option<DbTime>,
    finished_at: Option<DbTime>,
}

impl From<EditionRow> for Edition {
    fn from(row: EditionRow) -> Self {
        Edition {
            id: row.id,
            newsletter_id: row.newsletter_id,
            subject: row.subject,
            note: row.note,
            story_ids: row.story_ids.split(',').filter_map(|s| s.parse().ok()).map(ArticleId).collect(),
            state: EditionState::parse(&row.state).unwrap_or(EditionState::Draft),
            send_at: row.send_at.map(|t| t.0),
            created_at: row.created_at.0,
            created_by: row.created_by.map(UserId),
            started_at: row.started_at.map(|t| t.0),
            finished_at: row.finished_at.map(|t| t.0),
        }
    }
}

const EDITION_COLUMNS: &str =
    "id, newsletter_id, subject, note, story_ids, state, send_at, created_at, created_by, started_at, finished_at";

fn story_list(ids: &[ArticleId]) -> String {
    ids.iter().map(|id| id.0.to_string()).collect::<Vec<_>>().join(",")
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    edition_id: i64,
    subscriber_id: i64,
    email: String,
    attempts: i64,
}

async fn subscriber_in(tx: &mut Tx, id: i64) -> Result<Subscriber, StoreError> {
    let (id, email, confirmed_at, suppressed_at): (i64, String, DbTime, Option<DbTime>) = tx
        .fetch_one(
            "SELECT id, email, confirmed_at, suppressed_at FROM newsletter_subscribers WHERE id = $1",
            params![id],
        )
        .await?;
    let lists: Vec<(i64,)> = tx
        .fetch_all(
            "SELECT newsletter_id FROM newsletter_subscriptions WHERE subscriber_id = $1 ORDER BY newsletter_id",
            params![id],
        )
        .await?;
    Ok(Subscriber {
        id,
        email,
        confirmed_at: confirmed_at.0,
        suppressed_at: suppressed_at.map(|t| t.0),
        newsletters: lists.into_iter().map(|(n,)| n).collect(),
    })
}

/// Adds the subscriptions a subscriber does not have yet, to live newsletters only.
async fn add_subscriptions(
    tx: &mut Tx,
    subscriber: i64,
    newsletters: &[i64],
    now: Timestamp,
) -> Result<(), StoreError> {
    for newsletter in newsletters {
        tx.execute(
            "INSERT INTO newsletter_subscriptions (subscriber_id, newsletter_id, subscribed_at) \
             SELECT $1, id, $3 FROM newsletters WHERE id = $2 AND retired_at IS NULL \
             ON CONFLICT (subscriber_id, newsletter_id) DO NOTHING",
            params![subscriber, *newsletter, now],
        )
        .await?;
    }
    Ok(())
}

impl NewsletterStore for SqlStore {
    async fn insert_newsletter(&self, fields: &NewsletterFields, now: Timestamp) -> Result<Newsletter, StoreError> {
        let row: NewsletterRow = self
            .db
            .fetch_one(
                &format!(
                    "INSERT INTO newsletters (slug, name, description, sender_name, sender_address, schedule, source, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {NEWSLETTER_COLUMNS}"
                ),
                params![
                    fields.slug.as_str(),
                    fields.name.as_str(),
                    fields.description.as_str(),
                    fields.sender_name.as_str(),
                    fields.sender_address.as_str(),
                    fields.schedule.map(|s| s.as_text()),
                    fields.source.as_text(),
                    now
                ],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a newsletter at /newsletters/{}/ exists", fields.slug)),
                other => other,
            })?;
        row.into_newsletter()
    }

    async fn update_newsletter(&self, id: i64, fields: &NewsletterFields) -> Result<Newsletter, StoreError> {
        let row: NewsletterRow = self
            .db
            .fetch_one(
                &format!(
                    "UPDATE newsletters SET slug = $2, name = $3, description = $4, sender_name = $5, sender_address = $6, \
                     schedule = $7, source = $8 WHERE id = $1 RETURNING {NEWSLETTER_COLUMNS}"
                ),
                params![
                    id,
                    fields.slug.as_str(),
                    fields.name.as_str(),
                    fields.description.as_str(),
                    fields.sender_name.as_str(),
                    fields.sender_address.as_str(),
                    fields.schedule.map(|s| s.as_text()),
                    fields.source.as_text()
                ],
            )
            .await?;
        row.into_newsletter()
    }

    async fn newsletters(&self) -> Result<Vec<Newsletter>, StoreError> {
        let rows: Vec<NewsletterRow> = self
            .db
            .fetch_all(&format!("SELECT {NEWSLETTER_COLUMNS} FROM newsletters ORDER BY name, id"), vec![])
            .await?;
        rows.into_iter().map(NewsletterRow::into_newsletter).collect()
    }

    async fn newsletter_by_id(&self, id: i64) -> Result<Newsletter, StoreError> {
        let row: NewsletterRow = self
            .db
            .fetch_one(&format!("SELECT {NEWSLETTER_COLUMNS} FROM newsletters WHERE id = $1"), params![id])
            .await?;
        row.into_newsletter()
    }

    async fn newsletter_by_slug(&self, slug: &str) -> Result<Newsletter, StoreError> {
        let row: NewsletterRow = self
            .db
            .fetch_one(&format!("SELECT {NEWSLETTER_COLUMNS} FROM newsletters WHERE slug = $1"), params![slug])
            .await?;
        row.into_newsletter()
    }

    async fn subscriber_counts(&self) -> Result<Vec<(i64, i64)>, StoreError> {
        self.db
            .fetch_all(
                "SELECT s.newsletter_id, COUNT(*) FROM newsletter_subscriptions s \
                 JOIN newsletter_subscribers r ON r.id = s.subscriber_id WHERE r.suppressed_at IS NULL \
                 GROUP BY s.newsletter_id ORDER BY s.newsletter_id",
                vec![],
            )
            .await
    }

    async fn insert_edition(
        &self,
        newsletter_id: i64,
        content: &EditionContent,
        by: Option<UserId>,
        now: Timestamp,
    ) -> Result<Edition, StoreError> {
        let row: EditionRow = self
            .db
            .fetch_one(
                &format!(
                    "INSERT INTO newsletter_editions (newsletter_id, subject, note, story_ids, state, created_at, created_by) \
                     VALUES ($1, $2, $3, $4, 'draft', $5, $6) RETURNING {EDITION_COLUMNS}"
                ),
                params![
                    newsletter_id,
                    content.subject.as_str(),
                    content.note.as_str(),
                    story_list(&content.story_ids),
                    now,
                    by.map(|u| u.0)
                ],
            )
            .await?;
        Ok(row.into())
    }

    async fn edition_by_id(&self, id: i64) -> Result<Edition, StoreError> {
        let row: EditionRow = self
            .db
            .fetch_one(&format!("SELECT {EDITION_COLUMNS} FROM newsletter_editions WHERE id = $1"), params![id])
            .await?;
        Ok(row.into())
    }

    async fn update_edition(&self, id: i64, content: &EditionContent) -> Result<Edition, StoreError> {
        let row: Option<EditionRow> = self
            .db
            .fetch_optional(
                &format!(
                    "UPDATE newsletter_editions SET subject = $2, note = $3, story_ids = $4 \
                     WHERE id = $1 AND state IN ('draft', 'scheduled') RETURNING {EDITION_COLUMNS}"
                ),
                params![id, content.subject.as_str(), content.note.as_str(), story_list(&content.story_ids)],
            )
            .await?;
        match row {
            Some(row) => Ok(row.into()),
            None => {
                self.edition_by_id(id).await?;
                Err(StoreError::Conflict("this edition has gone out and can no longer change".into()))
            }
        }
    }

    async fn editions_of(
        &self,
        newsletter_id: i64,
        sent_only: bool,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Edition>, StoreError> {
        let only = if sent_only { "AND state IN ('sending', 'sent')" } else { "" };
        let rows: Vec<EditionRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {EDITION_COLUMNS} FROM newsletter_editions WHERE newsletter_id = $1 {only} \
                     ORDER BY id DESC LIMIT $2 OFFSET $3"
                ),
                params![newsletter_id, limit, offset],
            )
            .await?;
        Ok(rows.into_iter().map(Edition::from).collect())
    }

    async fn schedule_edition(&self, id: i64, send_at: Option<Timestamp>) -> Result<Edition, StoreError> {
        let state = if send_at.is_some() { "scheduled" } else { "draft" };
        let row: Option<EditionRow> = self
            .db
            .fetch_optional(
                &format!(
                    "UPDATE newsletter_editions SET state = $2, send_at = $3 \
                     WHERE id = $1 AND state IN ('draft', 'scheduled') RETURNING {EDITION_COLUMNS}"
                ),
                params![id, state, send_at],
            )
            .await?;
        match row {
            Some(row) => Ok(row.into()),
            None => {
                self.edition_by_id(id).await?;
                Err(StoreError::Conflict("this edition has gone out already".into()))
            }
        }
    }

    async fn start_due_editions(&self, now: Timestamp) -> Result<Vec<i64>, StoreError> {
        let due: Vec<(i64,)> = self
            .db
            .fetch_all(
                "SELECT id FROM newsletter_editions WHERE state = 'scheduled' AND send_at <= $1 ORDER BY send_at, id",
                params![now],
            )
            .await?;
        let mut started = Vec::new();
        for (id,) in due {
            let mut tx = self.db.begin().await?;
            // Only one instance turns it from scheduled to sending; the other finds nothing.
            let taken = tx
                .execute(
                    "UPDATE newsletter_editions SET state = 'sending', started_at = $2 WHERE id = $1 AND state = 'scheduled'",
                    params![id, now],
                )
                .await?;
            if taken == 0 {
                continue;
            }
            tx.execute(
                "INSERT INTO newsletter_deliveries (edition_id, subscriber_id, email, state, next_attempt_at) \
                 SELECT e.id, r.id, r.email, 'pending', $2 FROM newsletter_editions e \
                 JOIN newsletter_subscriptions s ON s.newsletter_id = e.newsletter_id \
                 JOIN newsletter_subscribers r ON r.id = s.subscriber_id \
                 WHERE e.id = $1 AND r.suppressed_at IS NULL \
                 ON CONFLICT (edition_id, subscriber_id) DO NOTHING",
                params![id, now],
            )
            .await?;
            tx.commit().await?;
            started.push(id);
        }
        Ok(started)
    }

    async fn latest_edition_since(&self, newsletter_id: i64, since: Timestamp) -> Result<Option<Edition>, StoreError> {
        let row: Option<EditionRow> = self
            .db
            .fetch_optional(
                &format!(
                    "SELECT {EDITION_COLUMNS} FROM newsletter_editions WHERE newsletter_id = $1 \
                     AND COALESCE(send_at, created_at) >= $2 AND state <> 'draft' ORDER BY id DESC LIMIT 1"
                ),
                params![newsletter_id, since],
            )
            .await?;
        Ok(row.map(Edition::from))
    }

    async fn sending_progress(&self, edition_id: i64) -> Result<SendingProgress, StoreError> {
        let rows: Vec<(String, i64)> = self
            .db
            .fetch_all(
                "SELECT state, COUNT(*) FROM newsletter_deliveries WHERE edition_id = $1 GROUP BY state",
                params![edition_id],
            )
            .await?;
        let mut progress = SendingProgress::default();
        for (state, count) in rows {
            match state.as_str() {
                "pending" => progress.pending = count,
                "sent" => progress.sent = count,
                "skipped" => progress.skipped = count,
                _ => progress.failed += count,
            }
        }
        Ok(progress)
    }

    async fn deliveries_due(&self, now: Timestamp, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        let rows: Vec<DeliveryRow> = self
            .db
            .fetch_all(
                "SELECT id, edition_id, subscriber_id, email, attempts FROM newsletter_deliveries \
                 WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2",
                params![now, limit],
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| Delivery {
                id: r.id,
                edition_id: r.edition_id,
                subscriber_id: r.subscriber_id,
                email: r.email,
                attempts: r.attempts,
            })
            .collect())
    }

    async fn claim_delivery_sent(&self, id: i64, now: Timestamp) -> Result<bool, StoreError> {
        let changed = self
            .db
            .execute(
                "UPDATE newsletter_deliveries SET state = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL \
                 WHERE id = $1 AND state = 'pending'",
                params![id, now],
            )
            .await?;
        Ok(changed == 1)
    }

    async fn delivery_failed(
        &self,
        delivery: &Delivery,
        outcome: &DeliveryOutcome,
        claimed: bool,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let left_in = if claimed { "sent" } else { "pending" };
        let mut tx = self.db.begin().await?;
        match outcome {
            DeliveryOutcome::Deferred { error, retry_at } => {
                let error: String = error.chars().take(500).collect();
                let (state, next) = match retry_at {
                    Some(at) => ("pending", *at),
                    None => ("failed", now),
                };
                tx.execute(
                    "UPDATE newsletter_deliveries SET state = $2, attempts = $3, next_attempt_at = $4, sent_at = NULL, \
                     last_error = $5 WHERE id = $1 AND state = $6",
                    params![delivery.id, state, delivery.attempts + 1, next, error, left_in],
                )
                .await?;
            }
            DeliveryOutcome::Refused { error, suppress_after } => {
                let error: String = error.chars().take(500).collect();
                let changed = tx
                    .execute(
                        "UPDATE newsletter_deliveries SET state = 'failed', attempts = $2, sent_at = NULL, last_error = $3 \
                         WHERE id = $1 AND state = $4",
                        params![delivery.id, delivery.attempts + 1, error, left_in],
                    )
                    .await?;
                if changed == 1 {
                    tx.execute(
                        "UPDATE newsletter_subscribers SET permanent_failures = permanent_failures + 1 WHERE id = $1",
                        params![delivery.subscriber_id],
                    )
                    .await?;
                    tx.execute(
                        "UPDATE newsletter_subscribers SET suppressed_at = $2 \
                         WHERE id = $1 AND suppressed_at IS NULL AND permanent_failures >= $3",
                        params![delivery.subscriber_id, now, (*suppress_after).max(1)],
                    )
                    .await?;
                }
            }
        }
        tx.commit().await
    }

    async fn finish_editions(&self, now: Timestamp) -> Result<(), StoreError> {
        self.db
            .execute(
                "UPDATE newsletter_editions SET state = 'sent', finished_at = $1 WHERE state = 'sending' \
                 AND NOT EXISTS (SELECT 1 FROM newsletter_deliveries d WHERE d.edition_id = newsletter_editions.id \
                 AND d.state = 'pending')",
                params![now],
            )
            .await
            .map(drop)
    }

    async fn confirm_subscriber(
        &self,
        email: &str,
        newsletters: &[i64],
        now: Timestamp,
    ) -> Result<Subscriber, StoreError> {
        let mut tx = self.db.begin().await?;
        // Confirming again lifts a suppression: the reader has shown the address works.
        tx.execute(
            "INSERT INTO newsletter_subscribers (email, confirmed_at) VALUES ($1, $2) \
             ON CONFLICT (email) DO UPDATE SET suppressed_at = NULL, permanent_failures = 0",
            params![email, now],
        )
        .await?;
        let (id,): (i64,) =
            tx.fetch_one("SELECT id FROM newsletter_subscribers WHERE email = $1", params![email]).await?;
        add_subscriptions(&mut tx, id, newsletters, now).await?;
        let subscriber = subscriber_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(subscriber)
    }

    async fn subscriber_by_id(&self, id: i64) -> Result<Subscriber, StoreError> {
        let mut tx = self.db.begin().await?;
        let subscriber = subscriber_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(subscriber)
    }

    async fn set_subscriptions(&self, subscriber: i64, newsletters: &[i64], now: Timestamp) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        let keep = if newsletters.is_empty() {
            String::new()
        } else {
            format!("AND newsletter_id NOT IN ({})", placeholders(2, newsletters.len()))
        };
        let mut values = params![subscriber];
        values.extend(newsletters.iter().map(|id| Param::from(*id)));
        tx.execute(&format!("DELETE FROM newsletter_subscriptions WHERE subscriber_id = $1 {keep}"), values).await?;
        add_subscriptions(&mut tx, subscriber, newsletters, now).await?;
        settle_after_unsubscribing(&mut tx, subscriber).await?;
        tx.commit().await
    }

    async fn unsubscribe(&self, subscriber: i64, newsletter: i64) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        tx.execute(
            "DELETE FROM newsletter_subscriptions WHERE subscriber_id = $1 AND newsletter_id = $2",
            params![subscriber, newsletter],
        )
        .await?;
        settle_after_unsubscribing(&mut tx, subscriber).await?;
        tx.commit().await
    }
}

/// After a reader leaves lists: what was waiting to go to them from those lists is not sent,
/// and a reader who takes no newsletter any more is forgotten (the address is not kept for
/// nothing; deliveries keep the address they went to, as the record of what was sent).
async fn settle_after_unsubscribing(tx: &mut Tx, subscriber: i64) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE newsletter_deliveries SET state = 'skipped', last_error = 'unsubscribed before it was sent' \
         WHERE subscriber_id = $1 AND state = 'pending' AND NOT EXISTS (SELECT 1 FROM newsletter_subscriptions s \
         JOIN newsletter_editions e ON e.newsletter_id = s.newsletter_id \
         WHERE e.id = newsletter_deliveries.edition_id AND s.subscriber_id = $1)",
        params![subscriber],
    )
    .await?;
    tx.execute(
        "DELETE FROM newsletter_subscribers WHERE id = $1 \
         AND NOT EXISTS (SELECT 1 FROM newsletter_subscriptions WHERE subscriber_id = $1)",
        params![subscriber],
    )
    .await
    .map(drop)
}
