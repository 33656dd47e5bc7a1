//! `/metrics` for Prometheus: requests by route and status, latency histograms by route,
//! the page cache's hits, misses and size, the database pool, and the background jobs. Only
//! addresses the operator allows (`metrics.allow`, loopback by default) may read it; the
//! address is the client's own, forwarding headers believed only from trusted proxies.
//!
//! The counting is done by `layers::measure`, which also writes the access log; the page is
//! served by `operators.rs`.

use crate::page_cache::PageCache;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

#[derive(Default)]
struct RouteFigures {
    by_status: HashMap<u16, AtomicU64>,
    /// Counts per bucket (not cumulative), then the count above the last bucket.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    /// Total time, in microseconds.
    micros: AtomicU64,
}

/// Counters of the background jobs, kept by the server's timers.
#[derive(Debug, Default)]
pub struct JobCounters {
    pub scheduler_runs: AtomicU64,
    pub scheduler_failures: AtomicU64,
    pub stories_published_on_schedule: AtomicU64,
    pub view_flushes: AtomicU64,
    pub view_flush_failures: AtomicU64,
}

#[derive(Default)]
pub struct Metrics {
    routes: RwLock<HashMap<String, RouteFigures>>,
    pub jobs: JobCounters,
}

impl Metrics {
    pub(crate) fn record(&self, route: &str, status: u16, seconds: f64) {
        let bucket = BUCKETS.iter().position(|upper| seconds <= *upper).unwrap_or(BUCKETS.len());
        let micros = (seconds * 1e6) as u64;
        let count = |figures: &RouteFigures| {
            figures.buckets[bucket].fetch_add(1, Ordering::Relaxed);
            figures.micros.fetch_add(micros, Ordering::Relaxed);
            figures.by_status.get(&status).map(|n| n.fetch_add(1, Ordering::Relaxed)).is_some()
        };
        if let Ok(routes) = self.routes.read() {
            if let Some(figures) = routes.get(route) {
                if count(figures) {
                    return;
                }
                // A status not seen before on this route: add it under the write lock, below.
                figures.buckets[bucket].fetch_sub(1, Ordering::Relaxed);
                figures.micros.fetch_sub(micros, Ordering::Relaxed);
            }
        }
        if let Ok(mut routes) = self.routes.write() {
            let figures = routes.entry(route.to_owned()).or_default();
            figures.by_status.entry(status).or_default();
            count(figures);
        }
    }

    /// The Prometheus exposition of everything counted, with the page cache's and the pool's
    /// figures as they are now.
    pub(crate) fn render(
        &self,
        page_cache: Option<&PageCache>,
        (open, idle): (u32, usize),
        live_listeners: usize,
    ) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# HELP dateline_http_requests_total Requests answered, by route pattern and status.");
        let _ = writeln!(out, "# TYPE dateline_http_requests_total counter");
        let routes = self.routes.read().map(|r| {
            let mut names: Vec<_> = r.keys().cloned().collect();
            names.sort();
            names
        });
        let Ok(names) = routes else { return out };
        let Ok(routes) = self.routes.read() else { return out };
        for name in &names {
            let mut statuses: Vec<_> = routes[name].by_status.iter().collect();
            statuses.sort_by_key(|(status, _)| **status);
            for (status, count) in statuses {
                let _ = writeln!(
                    out,
                    "dateline_http_requests_total{{route=\"{}\",status=\"{status}\"}} {}",
                    escape(name),
                    count.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(out, "# HELP dateline_http_request_duration_seconds Time to answer, by route pattern.");
        let _ = writeln!(out, "# TYPE dateline_http_request_duration_seconds histogram");
        for name in &names {
            let figures = &routes[name];
            let mut cumulative = 0;
            for (upper, count) in BUCKETS.iter().zip(&figures.buckets) {
                cumulative += count.load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "dateline_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{upper}\"}} {cumulative}",
                    escape(name)
                );
            }
            cumulative += figures.buckets[BUCKETS.len()].load(Ordering::Relaxed);
            let route = escape(name);
            let _ = writeln!(
                out,
                "dateline_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {cumulative}"
            );
            let seconds = figures.micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(out, "dateline_http_request_duration_seconds_sum{{route=\"{route}\"}} {seconds}");
            let _ = writeln!(out, "dateline_http_request_duration_seconds_count{{route=\"{route}\"}} {cumulative}");
        }
        drop(routes);
        let mut gauge = |name: &str, kind: &str, help: &str, value: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        };
        if let Some(cache) = page_cache {
            let (pages, bytes) = cache.usage();
            let counters = &cache.counters;
            gauge(
                "dateline_page_cache_hits_total",
                "counter",
                "Reader pages answered from memory.",
                counters.hits.load(Ordering::Relaxed),
            );
            gauge(
                "dateline_page_cache_misses_total",
                "counter",
                "Reader pages rendered because they were not kept.",
                counters.misses.load(Ordering::Relaxed),
            );
            gauge(
                "dateline_page_cache_purged_total",
                "counter",
                "Kept pages dropped because something they show changed.",
                counters.purged.load(Ordering::Relaxed),
            );
            gauge("dateline_page_cache_pages", "gauge", "Pages kept now.", pages as u64);
            gauge("dateline_page_cache_bytes", "gauge", "Bytes kept now, compressed copies included.", bytes as u64);
        }
        gauge(
            "dateline_live_listeners",
            "gauge",
            "Readers following a live story through its event stream now.",
            live_listeners as u64,
        );
        gauge("dateline_db_pool_connections", "gauge", "Database connections open.", u64::from(open));
        gauge("dateline_db_pool_idle_connections", "gauge", "Database connections open and idle.", idle as u64);
        let jobs = &self.jobs;
        gauge(
            "dateline_scheduler_runs_total",
            "counter",
            "Runs of the scheduled-publishing job.",
            jobs.scheduler_runs.load(Ordering::Relaxed),
        );
        gauge(
            "dateline_scheduler_failures_total",
            "counter",
            "Runs of the scheduled-publishing job that failed.",
            jobs.scheduler_failures.load(Ordering::Relaxed),
        );
        gauge(
            "dateline_scheduled_stories_published_total",
            "counter",
            "Stories this instance published at their scheduled time.",
            jobs.stories_published_on_schedule.load(Ordering::Relaxed),
        );
        gauge(
            "dateline_view_flushes_total",
            "counter",
            "Times counted views were saved.",
            jobs.view_flushes.load(Ordering::Relaxed),
        );
        gauge(
            "dateline_view_flush_failures_total",
            "counter",
            "Times saving counted views failed.",
            jobs.view_flush_failures.load(Ordering::Relaxed),
        );
        out
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
