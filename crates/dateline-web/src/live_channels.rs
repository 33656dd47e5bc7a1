//! Who listens to which live story on this instance: one broadcast channel per story with
//! readers, and the count of open streams. `live_updates.rs` fills the channels from the
//! store's changes and serves the streams; this registry knows nothing of either.

use dateline_newsroom::ArticleId;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// Readers one instance keeps streams open for; past it a reader is asked to come back
/// (503), and the page still works by reloading.
pub(crate) const MOST_LISTENERS: usize = 50_000;
/// Events a slow reader may fall behind by before it is told to catch up by fetching the page.
const BACKLOG: usize = 64;

/// One event, drawn once for all of a story's readers.
#[derive(Debug, Clone)]
pub(crate) struct Told {
    pub(crate) name: &'static str,
    pub(crate) data: Arc<str>,
}

#[derive(Default)]
pub(crate) struct LiveChannels {
    stories: Mutex<HashMap<ArticleId, broadcast::Sender<Told>>>,
    listeners: Arc<AtomicUsize>,
}

/// Counts a reader's open stream, and stops counting it when the stream is dropped.
pub(crate) struct Listening(Arc<AtomicUsize>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl LiveChannels {
    /// How many readers' streams are open on this instance.
    pub(crate) fn listeners(&self) -> usize {
        self.listeners.load(Ordering::Relaxed)
    }

    pub(crate) fn subscribe(&self, story: ArticleId) -> Option<(broadcast::Receiver<Told>, Listening)> {
        if self.listeners.fetch_add(1, Ordering::Relaxed) >= MOST_LISTENERS {
            self.listeners.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        let listening = Listening(self.listeners.clone());
        let mut stories = self.stories.lock().ok()?;
        let receiver = stories.entry(story).or_insert_with(|| broadcast::channel(BACKLOG).0).subscribe();
        Some((receiver, listening))
    }

    /// The story's channel, if someone on this instance listens to it; channels nobody
    /// listens to any more are let go on the way.
    pub(crate) fn channel(&self, story: ArticleId) -> Option<broadcast::Sender<Told>> {
        let mut stories = self.stories.lock().ok()?;
        stories.retain(|_, sender| sender.receiver_count() > 0);
        stories.get(&story).cloned()
    }

    /// Ends the streams of one story's readers (it is no longer theirs to see).
    pub(crate) fn close(&self, story: ArticleId) {
        if let Ok(mut stories) = self.stories.lock() {
            stories.remove(&story);
        }
    }

    /// Ends every reader's stream: the server is stopping, and a browser then reconnects to
    /// another instance (or to this one once it is back) and catches up.
    pub(crate) fn close_all(&self) {
        if let Ok(mut stories) = self.stories.lock() {
            stories.clear();
        }
    }

    pub(crate) fn tell_everyone(&self, told: &Told) {
        if let Ok(stories) = self.stories.lock() {
            for sender in stories.values() {
                let _ = sender.send(told.clone());
            }
        }
    }
}
