//! Counting reads for "Most Popular": the beacon adds to counters in this instance's memory,
//! and a ticker flushes them to hourly buckets in the database. Nothing about the reader (no
//! address, no cookie) is kept, and a flood of beacons for made-up ids cannot grow memory
//! without bound.

use dateline_newsroom::{ArticleId, ArticleStore, HourlyViews, StoreError};
use jiff::Timestamp;
use std::collections::HashMap;
use std::sync::Mutex;

/// At most this many (story, hour) counters wait for a flush; past it, views are dropped.
const MAX_PENDING: usize = 100_000;

#[derive(Debug, Default)]
pub struct ViewCounter {
    pending: Mutex<HashMap<(ArticleId, i64), u64>>,
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
    pub fn record(&self, article: ArticleId, now: Timestamp) {
        let hour = now.as_second().div_euclid(3600);
        let Ok(mut pending) = self.pending.lock() else { return };
        if pending.len() >= MAX_PENDING && !pending.contains_key(&(article, hour)) {
            return;
        }
        *pending.entry((article, hour)).or_default() += 1;
    }

    /// Writes the counted views to the store; on failure they are put back for the next try.
    pub async fn flush(&self, store: &impl ArticleStore) -> Result<usize, StoreError> {
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
        match store.add_views(&batch).await {
            Ok(()) => Ok(batch.len()),
            Err(error) => {
                if let Ok(mut pending) = self.pending.lock() {
                    for (key, views) in taken {
                        *pending.entry(key).or_default() += views;
                    }
                }
                Err(error)
            }
        }
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
        counter.record(ArticleId(1), now);
        counter.record(ArticleId(1), now);
        let pending = counter.pending.lock().expect("lock");
        assert_eq!(pending.get(&(ArticleId(1), 2)), Some(&2));
    }
}
