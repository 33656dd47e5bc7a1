//! The purge hook: when content changes, Dateline tells the operator's CDN (or whatever
//! stands in front of it) which pages to drop, by calling a configured URL with the same
//! keys it sends as `Surrogate-Key`.
//!
//! The call is `POST {url}` with `{"surrogate_keys": ["story-12", "latest"]}`, or
//! `{"purge_everything": true}` when every page changed. Only the outbox worker
//! (`outbox.rs`) calls it, once for each change across all instances, retrying failures; it
//! never delays a reader or an editor.

use serde::Serialize;
use std::time::Duration;

#[derive(Clone)]
pub struct PurgeHook {
    url: String,
    client: reqwest::Client,
}

#[derive(Serialize)]
struct Purge {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    surrogate_keys: Vec<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    purge_everything: bool,
}

impl PurgeHook {
    pub fn new(url: String) -> Self {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap_or_default();
        PurgeHook { url, client }
    }

    /// Asks the CDN to drop the pages carrying any of `keys`.
    pub(crate) async fn purge(&self, keys: Vec<String>) -> Result<(), String> {
        self.send(Purge { surrogate_keys: keys, purge_everything: false }).await
    }

    /// Asks the CDN to drop every page.
    pub(crate) async fn purge_everything(&self) -> Result<(), String> {
        self.send(Purge { surrogate_keys: Vec::new(), purge_everything: true }).await
    }

    async fn send(&self, purge: Purge) -> Result<(), String> {
        let body = serde_json::to_string(&purge).map_err(|e| e.to_string())?;
        let sent = self.client.post(&self.url).header("content-type", "application/json").body(body).send().await;
        match sent {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("the purge hook answered {}", response.status())),
            Err(error) => Err(format!("could not call the purge hook: {error}")),
        }
    }
}
