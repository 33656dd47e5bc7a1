//! Counting reads for "Most Popular": the beacon adds to counters in this instance's memory,
//! and a ticker flushes them to hourly buckets in the database. Nothing about the reader (no
//! address, no cookie) is kept.
//!
//! A flood of beacons for made-up ids costs next to nothing and never competes with the
//! desk's writes: a beacon counts at once only for a story this instance has served to readers
//! (remembered when its page renders); any other id waits, at most [`MAX_UNVERIFIED`] of them,
//! until the flush asks the store in one query which of them are public stories (pages a CDN
//! served were rendered by another instance), and the rest are dropped. The flush writes in
//! short transactions of [`FLUSH_CHUNK`] counters, so the database's write lock is never held
//! for long.

use dateline_newsroom::{ArticleId, ArticleStore, HourlyViews, StoreError};
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, RwLock};

/// At most this many (story, hour) counters wait for a flush; past it, views are dropped.
const MAX_PENDING: usize = 100_000;
/// Stories this instance remembers as readable; past it the memory starts again.
const MAX_READABLE: usize = 200_000;
/// Ids not known to be readable that wait for the flush to check them.
pub const MAX_UNVERIFIED: usize = 2_000;
/// Counters written per transaction.
pub const FLUSH_CHUNK: usize = 500;

#[derive(Debug, Default)]
pub struct ViewCounter {
    pending: Mutex<HashMap<(ArticleId, i64), u64>>,
    /// Stories readers can see, as met when their pages were rendered or a flush checked them.
    readable: RwLock<HashSet<ArticleId>>,
    /// Views of ids not (yet) known to be readable, by (story, hour).
    unverified: Mutex<HashMap<(ArticleId, i64), u64>>,
}

/// Words in a User-Agent that mark a crawler or a script rather than a reader.
const BOT_MARKERS: &[&str] = &[
    "bot",
    "crawl",
    "spider",
    "slurp",
    "fetch",
    "preview",
    "monitor",
    "curl",
    "wget",
    "python",
    "go-http",
    "java/",
    "httpclient",
    "headless",
    "lighthouse",
    "pingdom",
    "facebookexternalhit",
    "embedly",
    "feed",
];

/// Obvious bots: no User-Agent at all, or one that names itself as a machine.
pub fn is_obvious_bot(user_agent: Option<&str>) -> bool {
    match user_agent {
        None => true,
        Some(agent) => {
            let lower = agent.to_ascii_lowercase();
            lower.trim().is_empty() || BOT_MARKERS.iter().any(|marker| lower.contains(marker))
        }
    }
}

impl ViewCounter {
    /// Notes that readers can see `article` (its page was just rendered for them).
    pub fn mark_readable(&self, article: ArticleId) {
        if self.readable.read().is_ok_and(|r| r.contains(&article)) {
            return;
        }
        if let Ok(mut readable) = self.readable.write() {
            if readable.len() >= MAX_READABLE {
                readable.clear();
            }
            readable.insert(article);
        }
    }

    pub fn record(&self, article: ArticleId, now: Timestamp) {
        let hour = now.as_second().div_euclid(3600);
        if !self.readable.read().is_ok_and(|r| r.contains(&article)) {
            let Ok(mut unverified) = self.unverified.lock() else { return };
            if unverified.len() < MAX_UNVERIFIED || unverified.contains_key(&(article, hour)) {
                *unverified.entry((article, hour)).or_default() += 1;
            }
            return;
        }
        let Ok(mut pending) = self.pending.lock() else { return };
        if pending.len() >= MAX_PENDING && !pending.contains_key(&(article, hour)) {
            return;
        }
        *pending.entry((article, hour)).or_default() += 1;
    }

    /// Writes the counted views to the store; on failure they are put back for the next try.
    pub async fn flush(&self, store: &impl ArticleStore, now: Timestamp) -> Result<usize, StoreError> {
        self.verify(store, now).await?;
        let taken: HashMap<(ArticleId, i64), u64> = match self.pending.lock() {
            Ok(mut pending) => std::mem::take(&mut *pending),
            Err(_) => return Ok(0),
        };
        if taken.is_empty() {
            return Ok(0);
        }
        let batch: Vec<HourlyViews> = taken
            .iter()
            .filter_map(|(&(article_id, hour), &views)| {
                Some(HourlyViews { article_id, hour: Timestamp::from_second(hour * 3600).ok()?, views })
            })
            .collect();
        for (at, chunk) in batch.chunks(FLUSH_CHUNK).enumerate() {
            if let Err(error) = store.add_views(chunk).await {
                // This chunk and every one after it go back for the next flush.
                if let Ok(mut pending) = self.pending.lock() {
                    for counted in &batch[at * FLUSH_CHUNK..] {
                        let key = (counted.article_id, counted.hour.as_second().div_euclid(3600));
                        *pending.entry(key).or_default() += counted.views;
                    }
                }
                return Err(error);
            }
        }
        Ok(batch.len())
    }

    /// Asks the store which waiting ids are public stories: their views join the counters and
    /// they are remembered as readable; the others' views are dropped.
    async fn verify(&self, store: &impl ArticleStore, now: Timestamp) -> Result<(), StoreError> {
        let waiting: HashMap<(ArticleId, i64), u64> = match self.unverified.lock() {
            Ok(mut unverified) => std::mem::take(&mut *unverified),
            Err(_) => return Ok(()),
        };
        if waiting.is_empty() {
            return Ok(());
        }
        let mut ids: Vec<ArticleId> = waiting.keys().map(|(id, _)| *id).collect();
        ids.sort_unstable_by_key(|id| id.0);
        ids.dedup();
        let public: HashSet<ArticleId> = match store.public_ids(&ids, now).await {
            Ok(public) => public.into_iter().collect(),
            Err(error) => {
                // Kept for the next flush rather than dropped.
                if let Ok(mut unverified) = self.unverified.lock() {
                    for (key, views) in waiting {
                        *unverified.entry(key).or_default() += views;
                    }
                }
                return Err(error);
            }
        };
        for id in &public {
            self.mark_readable(*id);
        }
        if let Ok(mut pending) = self.pending.lock() {
            for ((id, hour), views) in waiting {
                if public.contains(&id) && (pending.len() < MAX_PENDING || pending.contains_key(&(id, hour))) {
                    *pending.entry((id, hour)).or_default() += views;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawlers_and_scripts_are_not_readers() {
        for agent in
            [None, Some(""), Some("Googlebot/2.1"), Some("curl/8.5"), Some("Mozilla/5.0 (compatible; bingbot/2.0)")]
        {
            assert!(is_obvious_bot(agent), "{agent:?}");
        }
        assert!(!is_obvious_bot(Some(
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36"
        )));
    }

    #[test]
    fn views_of_one_story_in_one_hour_add_up() {
        let counter = ViewCounter::default();
        let now = Timestamp::from_second(7_200 + 59).expect("now");
        counter.mark_readable(ArticleId(1));
        counter.record(ArticleId(1), now);
        counter.record(ArticleId(1), now);
        let pending = counter.pending.lock().expect("lock");
        assert_eq!(pending.get(&(ArticleId(1), 2)), Some(&2));
    }

    #[test]
    fn a_flood_of_beacons_for_unknown_ids_waits_in_a_small_bounded_set() {
        let counter = ViewCounter::default();
        let now = Timestamp::from_second(7_200).expect("now");
        for id in 1..=100_000 {
            counter.record(ArticleId(id), now);
        }
        assert!(counter.pending.lock().expect("lock").is_empty(), "nothing unknown is counted at once");
        assert_eq!(counter.unverified.lock().expect("lock").len(), MAX_UNVERIFIED);
    }
}
