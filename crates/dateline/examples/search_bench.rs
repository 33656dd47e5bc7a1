//! Times a mixed set of search queries against a database filled by `dateline seed`, and
//! prints the median and 95th percentile; then, apart, queries with a typo (one word
//! misspelled by swapping two letters, one word right) through the reader's forgiving search,
//! which looks for a correction when a query finds too little. Run by `benches/search.sh`,
//! which documents it.
//!
//! Usage: search_bench DATABASE_URL QUERIES

use dateline_newsroom::search::{parse_query, SearchOrder, SearchQuery};
use dateline_newsroom::{SearchStore, SectionStore, SectionTree};
use dateline_storage::{ConnectOptions, SqlStore};
use std::time::{Duration, Instant};

const WORDS: &[&str] = &[
    "housing",
    "budget",
    "election",
    "elections",
    "chips",
    "exports",
    "typhoon",
    "ferry",
    "council",
    "ministry",
    "teachers",
    "hospital",
    "court",
    "ruling",
    "festival",
    "stadium",
    "inflation",
    "bank",
    "pension",
    "carbon",
    "tariff",
    "port",
    "서울",
    "선거",
    "airlines",
    "startups",
    "unions",
    "museum",
    "prosecutors",
    "investigation",
];
const PHRASES: &[&str] = &["\"housing plan\"", "\"wage talks\"", "\"rail link\"", "\"export rules\"", "\"bond sale\""];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("give the database URL")?;
    let count: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1_000);
    let store = SqlStore::connect(&ConnectOptions::new(url)).await?;
    let tree = SectionTree::new(store.sections().await?);
    let sections: Vec<_> = tree.top_level().map(|s| s.id).collect();
    let now = jiff::Timestamp::now();
    let mut times = Vec::with_capacity(count);
    let mut by_kind: [Vec<Duration>; 5] = Default::default();
    let mut found = 0u64;
    for n in 0..count {
        // A mix: one word, two words, a phrase, a filtered search, a search by date.
        let text = match n % 5 {
            0 | 3 => WORDS[n % WORDS.len()].to_owned(),
            1 | 4 => format!("{} {}", WORDS[n % WORDS.len()], WORDS[(n * 7 + 3) % WORDS.len()]),
            _ => PHRASES[n % PHRASES.len()].to_owned(),
        };
        let mut query = SearchQuery::new(parse_query(&text));
        if n % 5 == 3 && !sections.is_empty() {
            let top = sections[n % sections.len()];
            query.sections = Some(std::iter::once(top).chain(tree.children(top).map(|c| c.id)).collect());
        }
        if n % 5 == 4 {
            query.order = SearchOrder::Newest;
        }
        let started = Instant::now();
        let results = store.search(&query, now).await?;
        times.push(started.elapsed());
        by_kind[n % 5].push(started.elapsed());
        found += results.total;
    }
    times.sort();
    println!(
        "{} queries: median {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} hits in all)",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        found
    );
    let mut typo_times = Vec::new();
    let mut corrected = 0;
    let latin: Vec<&str> = WORDS.iter().copied().filter(|w| w.len() >= 5 && w.is_ascii()).collect();
    for n in 0..count / 5 {
        let word = latin[n % latin.len()];
        let mut typo: Vec<char> = word.chars().collect();
        let middle = typo.len() / 2;
        typo.swap(middle - 1, middle);
        let text = format!("{} {}", typo.into_iter().collect::<String>(), latin[(n * 7 + 3) % latin.len()]);
        let query = SearchQuery::new(parse_query(&text));
        let started = Instant::now();
        let answer = dateline_newsroom::spelling::search_forgiving(&store, &query, now, false).await?;
        typo_times.push(started.elapsed());
        corrected += u64::from(answer.spelling != dateline_newsroom::spelling::Spelling::AsTyped);
    }
    typo_times.sort();
    if !typo_times.is_empty() {
        println!(
            "  a typo and a word, forgiving search ({} queries, {corrected} corrected): median {:.2} ms, p95 {:.2} ms",
            typo_times.len(),
            percentile(&typo_times, 0.5).as_secs_f64() * 1e3,
            percentile(&typo_times, 0.95).as_secs_f64() * 1e3
        );
    }
    let kinds = ["one word", "two words", "a phrase", "one word in a section", "two words, newest first"];
    for (kind, mut times) in kinds.iter().zip(by_kind) {
        if times.is_empty() {
            continue;
        }
        times.sort();
        println!(
            "  {kind}: median {:.2} ms, p95 {:.2} ms",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3
        );
    }
    Ok(())
}
