//! The purge hook: when content changes, Dateline tells the operator's CDN (or whatever
//! stands in front of it) which pages to drop, by calling a configured URL with the same
//! keys it sends as `Surrogate-Key`.
//!
//! The call is `POST {url}` with `{"surrogate_keys": ["story-12", "latest"]}`, or
//! `{"purge_everything": true}` when every page changed. It is made in the background and
//! never delays a reader or an editor; a failure is logged and the CDN's own lifetime
//! (`s-maxage`) bounds how long it serves the old page.

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

    pub(crate) fn purge(&self, keys: Vec<String>) {
        self.send(Purge { surrogate_keys: keys, purge_everything: false });
    }

    pub(crate) fn purge_everything(&self) {
        self.send(Purge { surrogate_keys: Vec::new(), purge_everything: true });
    }

    fn send(&self, purge: Purge) {
        let Ok(body) = serde_json::to_string(&purge) else { return };
        let (client, url) = (self.client.clone(), self.url.clone());
        // Outside a runtime (a unit test of the cache, say) there is nobody to tell.
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        runtime.spawn(async move {
            let sent = client.post(&url).header("content-type", "application/json").body(body).send().await;
            match sent {
                Ok(response) if response.status().is_success() => {}
                Ok(response) => tracing::warn!(status = %response.status(), "the purge hook refused a purge"),
                Err(error) => tracing::warn!(%error, "could not call the purge hook"),
            }
        });
    }
}
