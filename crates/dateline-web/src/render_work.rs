//! Turning long story bodies into HTML off the threads that answer readers, a bounded number
//! at once.
//!
//! A body's Markdown is rendered when its page is not kept. Ordinary bodies take well under a
//! millisecond and are rendered in place. A long one (a contributor's draft of 200,000
//! characters, an archive's oddity) is handed to a blocking thread, at most
//! [`RenderWork::CONCURRENT`] at once, so two such previews can never hold up `/healthz` or
//! the home page the way a 14-second render once did.

use std::sync::Arc;
use tokio::sync::Semaphore;

/// Bodies shorter than this (in bytes) are rendered on the request's own thread.
const RENDERED_IN_PLACE: usize = 16 * 1024;

#[derive(Debug, Clone)]
pub(crate) struct RenderWork {
    permits: Arc<Semaphore>,
}

impl Default for RenderWork {
    fn default() -> Self {
        RenderWork { permits: Arc::new(Semaphore::new(RenderWork::CONCURRENT)) }
    }
}

impl RenderWork {
    /// Long bodies rendered at once; the rest wait their turn.
    pub const CONCURRENT: usize = 2;

    /// The body's HTML, sanitized.
    pub async fn body_html(&self, markdown: &str) -> String {
        if markdown.len() < RENDERED_IN_PLACE {
            return dateline_render::render_markdown(markdown);
        }
        let Ok(permit) = self.permits.clone().acquire_owned().await else {
            return dateline_render::render_markdown(markdown);
        };
        let markdown = markdown.to_owned();
        // The permit goes with the work: an abandoned request does not free it early.
        let rendered = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            dateline_render::render_markdown(&markdown)
        });
        match rendered.await {
            Ok(html) => html,
            // The render panicked on its thread: the page shows no body rather than no page.
            Err(error) => {
                tracing::error!(%error, "rendering a story body failed");
                String::new()
            }
        }
    }
}
