//! Known-item search on real news text: about 3,700 articles from the News Articles corpus
//! (`NEWS_CORPUS_CSV`, fetched at test time, never committed). For 200 articles sampled with a
//! fixed seed, searching the headline must return the article first in at least 95% of cases,
//! and searching its three rarest body words must return it in the top 5 in at least 80%.
//! On both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::search::{parse_query, SearchQuery};
use dateline_newsroom::{ArticleId, ArticleStatus};
use dateline_testkit::checkers::news_corpus;
use dateline_testkit::on_both_databases;
use dateline_testkit::paper::{SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use jiff::{SignedDuration, Timestamp};
use std::collections::{HashMap, HashSet};

const SAMPLE: usize = 200;

struct Article {
    headline: String,
    body: String,
}

fn load(path: &std::path::Path) -> Vec<Article> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(path).expect("the corpus opens");
    let mut articles = Vec::new();
    for record in reader.records().flatten() {
        let headline = record.get(3).unwrap_or("").trim().to_owned();
        let body = record.get(5).unwrap_or("").trim().to_owned();
        if !headline.is_empty() && !body.is_empty() && headline.chars().count() <= 200 {
            articles.push(Article { headline, body });
        }
    }
    articles
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect()
}

/// A fixed-seed shuffle (SplitMix64), the same on every run.
fn sample(count: usize, of: usize) -> Vec<usize> {
    let mut state = 2026_u64;
    let mut order: Vec<usize> = (0..of).collect();
    for i in (1..order.len()).rev() {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        order.swap(i, ((z ^ (z >> 31)) % (i as u64 + 1)) as usize);
    }
    order.truncate(count);
    order
}

async fn first_ids(store: &impl Store, text: &str, limit: u32, now: Timestamp) -> Vec<ArticleId> {
    let mut query = SearchQuery::new(parse_query(text));
    query.limit = limit;
    store.search(&query, now).await.expect("search").hits.into_iter().map(|h| h.story.id).collect()
}

async fn real_articles_are_found_by_their_headline_and_by_their_rarest_words(db: TestDatabase) {
    let Some(path) = news_corpus() else { return };
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let articles = load(&path);
    assert!(articles.len() > 3_000, "the corpus holds {} usable articles", articles.len());
    let now: Timestamp = "2026-11-28T00:00:00Z".parse().expect("now");
    let started = std::time::Instant::now();
    let mut ids = Vec::with_capacity(articles.len());
    for (i, article) in articles.iter().enumerate() {
        let id = StoryBuilder::new("x", paper.national.id, now)
            .published_at(now - SignedDuration::from_mins(i as i64 + 1))
            .status(ArticleStatus::Published)
            .build();
        let mut new = id;
        new.content.headline = article.headline.clone();
        new.content.body = article.body.clone();
        new.content.slug = dateline_newsroom::Slug::suggest(&article.headline)
            .unwrap_or_else(|| dateline_newsroom::Slug::parse("story").expect("slug"));
        new.first_published_at = Some(now - SignedDuration::from_mins(i as i64 + 1));
        ids.push(store.insert_article(&new).await.expect("insert"));
    }
    let stored_in = started.elapsed();

    let mut headline_count: HashMap<String, usize> = HashMap::new();
    for article in &articles {
        *headline_count.entry(article.headline.to_lowercase()).or_default() += 1;
    }
    let mut document_frequency: HashMap<String, usize> = HashMap::new();
    for article in &articles {
        for word in words(&article.body).into_iter().collect::<HashSet<_>>() {
            *document_frequency.entry(word).or_default() += 1;
        }
    }
    let unique: Vec<usize> =
        (0..articles.len()).filter(|&i| headline_count[&articles[i].headline.to_lowercase()] == 1).collect();
    let chosen: Vec<usize> = sample(SAMPLE, unique.len()).into_iter().map(|k| unique[k]).collect();

    let (mut headline_first, mut words_top_five) = (0, 0);
    let searching = std::time::Instant::now();
    for &i in &chosen {
        if first_ids(&store, &articles[i].headline, 1, now).await.first() == Some(&ids[i]) {
            headline_first += 1;
        }
        let mut rare: Vec<String> = words(&articles[i].body).into_iter().collect::<HashSet<_>>().into_iter().collect();
        rare.sort_by(|a, b| document_frequency[a].cmp(&document_frequency[b]).then_with(|| a.cmp(b)));
        let query = rare.iter().take(3).cloned().collect::<Vec<_>>().join(" ");
        if first_ids(&store, &query, 5, now).await.contains(&ids[i]) {
            words_top_five += 1;
        }
    }
    println!(
        "known-item search on {} real articles (stored in {stored_in:.1?}, {} searches in {:.1?}): headline first {headline_first}/{SAMPLE}, rarest three words in the top 5 {words_top_five}/{SAMPLE}",
        articles.len(),
        2 * SAMPLE,
        searching.elapsed()
    );
    assert!(headline_first * 100 >= SAMPLE * 95, "headline first in {headline_first} of {SAMPLE}");
    assert!(words_top_five * 100 >= SAMPLE * 80, "rare words in the top 5 in {words_top_five} of {SAMPLE}");
}

on_both_databases!(real_articles_are_found_by_their_headline_and_by_their_rarest_words);
