//! SQL for webhooks: endpoints, and the deliveries the story writes add in their own
//! transaction ([`enqueue`]), worked by the web crate's webhook worker.

use crate::db::{params, DbTime, Tx};
use crate::SqlStore;
use dateline_newsroom::webhooks::{WebhookDelivery, WebhookEndpoint, WebhookEvent, WebhookStore};
use dateline_newsroom::StoreError;
use jiff::Timestamp;

/// Adds one delivery of `event` for every endpoint that takes it; call it inside the
/// transaction of the story's change, so the change and its telling commit together.
pub(crate) async fn enqueue(
    tx: &mut Tx,
    event: WebhookEvent,
    article_id: i64,
    version: i64,
    slug: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    let endpoints: Vec<(i64, String)> =
        tx.fetch_all("SELECT id, events FROM webhook_endpoints WHERE disabled_at IS NULL", vec![]).await?;
    for (endpoint, events) in endpoints {
        if !events.split(',').any(|e| e == event.as_str()) {
            continue;
        }
        // The same message id on every attempt; unique per endpoint, story version and event.
        let message_id = format!("msg_{article_id}_{version}_{endpoint}_{}", event.as_str().replace('.', "_"));
        tx.execute(
            "INSERT INTO webhook_deliveries (endpoint_id, message_id, event, article_id, article_version, article_slug, \
             created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            params![endpoint, message_id, event.as_str(), article_id, version, slug, now],
        )
        .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: i64,
    url: String,
    events: String,
    secret: String,
    created_at: DbTime,
    disabled_at: Option<DbTime>,
}

impl EndpointRow {
    fn into_endpoint(self) -> WebhookEndpoint {
        WebhookEndpoint {
            id: self.id,
            url: self.url,
            events: self.events.split(',').filter_map(WebhookEvent::parse).collect(),
            secret: self.secret,
            created_at: self.created_at.0,
            disabled_at: self.disabled_at.map(|t| t.0),
        }
    }
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: i64,
    endpoint_id: i64,
    url: String,
    secret: String,
    message_id: String,
    event: String,
    article_id: i64,
    article_version: i64,
    article_slug: String,
    created_at: DbTime,
    attempts: i64,
    delivered_at: Option<DbTime>,
    given_up_at: Option<DbTime>,
    last_status: Option<i64>,
    last_error: Option<String>,
    partner_id: Option<i64>,
    bearer_token: Option<String>,
}

impl DeliveryRow {
    fn into_delivery(self) -> WebhookDelivery {
        WebhookDelivery {
            id: self.id,
            endpoint_id: self.endpoint_id,
            url: self.url,
            secret: self.secret,
            message_id: self.message_id,
            event: self.event,
            article_id: self.article_id,
            article_version: self.article_version,
            article_slug: self.article_slug,
            created_at: self.created_at.0,
            attempts: self.attempts,
            delivered_at: self.delivered_at.map(|t| t.0),
            given_up_at: self.given_up_at.map(|t| t.0),
            last_status: self.last_status,
            last_error: self.last_error,
            partner_id: self.partner_id,
            bearer_token: self.bearer_token,
        }
    }
}

const DELIVERY_COLUMNS: &str = "d.id, d.endpoint_id, e.url, e.secret, d.message_id, d.event, d.article_id, \
     d.article_version, d.article_slug, d.created_at, d.attempts, d.delivered_at, d.given_up_at, d.last_status, d.last_error, \
     e.partner_id, e.bearer_token";

impl WebhookStore for SqlStore {
    async fn insert_webhook(
        &self,
        url: &str,
        events: &[WebhookEvent],
        secret: &str,
        now: Timestamp,
    ) -> Result<WebhookEndpoint, StoreError> {
        let names: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
        let row: EndpointRow = self
            .db
            .fetch_one(
                "INSERT INTO webhook_endpoints (url, events, secret, created_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id, url, events, secret, created_at, disabled_at",
                params![url, names.join(","), secret, now],
            )
            .await?;
        Ok(row.into_endpoint())
    }

    /// The endpoints admins registered (a partner's push endpoint is managed with the partner).
    async fn webhooks(&self) -> Result<Vec<WebhookEndpoint>, StoreError> {
        let rows: Vec<EndpointRow> = self
            .db
            .fetch_all(
                "SELECT id, url, events, secret, created_at, disabled_at FROM webhook_endpoints WHERE partner_id IS NULL ORDER BY id",
                vec![],
            )
            .await?;
        Ok(rows.into_iter().map(EndpointRow::into_endpoint).collect())
    }

    async fn webhook_deliveries_due(&self, now: Timestamp, limit: i64) -> Result<Vec<WebhookDelivery>, StoreError> {
        let rows: Vec<DeliveryRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
                     WHERE d.delivered_at IS NULL AND d.given_up_at IS NULL AND d.next_attempt_at <= $1 \
                     AND e.disabled_at IS NULL ORDER BY d.next_attempt_at, d.id LIMIT $2"
                ),
                params![now, limit],
            )
            .await?;
        Ok(rows.into_iter().map(DeliveryRow::into_delivery).collect())
    }

    async fn recent_webhook_deliveries(&self, limit: i64) -> Result<Vec<WebhookDelivery>, StoreError> {
        let rows: Vec<DeliveryRow> = self
            .db
            .fetch_all(
                &format!(
                    "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
                     ORDER BY d.id DESC LIMIT $1"
                ),
                params![limit],
            )
            .await?;
        Ok(rows.into_iter().map(DeliveryRow::into_delivery).collect())
    }

    async fn webhook_delivered(&self, id: i64, status: u16, now: Timestamp) -> Result<(), StoreError> {
        self.db
            .execute(
                "UPDATE webhook_deliveries SET delivered_at = $2, attempts = attempts + 1, last_status = $3, last_error = NULL \
                 WHERE id = $1",
                params![id, now, i64::from(status)],
            )
            .await
            .map(drop)
    }

    async fn webhook_skipped(&self, id: i64, reason: &str, now: Timestamp) -> Result<(), StoreError> {
        let reason: String = reason.chars().take(500).collect();
        self.db
            .execute(
                "UPDATE webhook_deliveries SET delivered_at = $2, last_status = NULL, last_error = $3 WHERE id = $1",
                params![id, now, reason],
            )
            .await
            .map(drop)
    }

    async fn webhook_failed(
        &self,
        id: i64,
        status: Option<u16>,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(500).collect();
        match retry_at {
            Some(at) => self.db.execute(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, next_attempt_at = $4 \
                 WHERE id = $1",
                params![id, status.map(i64::from), error, at],
            ),
            None => self.db.execute(
                "UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, given_up_at = $4 \
                 WHERE id = $1",
                params![id, status.map(i64::from), error, now],
            ),
        }
        .await
        .map(drop)
    }

    async fn disable_webhook(&self, id: i64, now: Timestamp) -> Result<(), StoreError> {
        let changed = self
            .db
            .execute(
                "UPDATE webhook_endpoints SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1",
                params![id, now],
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn resend_webhook(&self, id: i64, now: Timestamp) -> Result<(), StoreError> {
        let changed = self
            .db
            .execute(
                "UPDATE webhook_deliveries SET delivered_at = NULL, given_up_at = NULL, attempts = 0, next_attempt_at = $2 \
                 WHERE id = $1",
                params![id, now],
            )
            .await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
