//! Known-item search on real news text: about 3,700 articles from the News Articles corpus
//! (`NEWS_CORPUS_CSV`, fetched at test time, never committed). For 200 articles sampled with a
//! fixed seed, searching the headline must return the article first in at least 95% of cases,
//! and searching its three rarest body words must return it in the top 5 in at least 80%.
//! A query made of one headline word misspelled by one edit and one correct headline word
//! must find the article in the top 10 in at least 80%, and a phrase copied from its body (a
//! hyphenated word's first part at its end, or stop words and apostrophes in it) in 95%.
//! On both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::search::{parse_query, SearchQuery};
use dateline_newsroom::spelling::search_forgiving;
use dateline_newsroom::{ArticleId, ArticleStatus};
use dateline_testkit::checkers::news_corpus;
use dateline_testkit::on_every_search_index;
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

    // A reader's typo: one headline word misspelled by one edit, and another headline word.
    let (mut typo_queries, mut typo_found) = (0, 0);
    for (n, &i) in chosen.iter().enumerate() {
        let mut candidates: Vec<String> =
            words(&articles[i].headline).into_iter().filter(|w| w.chars().count() >= 5).collect();
        candidates.dedup();
        let (Some(misspelled), Some(correct)) = (candidates.first(), candidates.get(1)) else { continue };
        typo_queries += 1;
        let query = format!("{} {correct}", one_edit(misspelled, n));
        let mut search = SearchQuery::new(parse_query(&query));
        search.limit = 10;
        let found = search_forgiving(&store, &search, now, false).await.expect("search");
        if found.results.hits.iter().any(|h| h.story.id == ids[i]) {
            typo_found += 1;
        }
    }
    // Phrases copied word for word: ending on part of a hyphenated name or word, or holding
    // stop words and apostrophes.
    let (mut phrase_queries, mut phrase_found) = (0, 0);
    for &i in &chosen {
        let Some(phrase) = copied_phrase(&articles[i].body) else { continue };
        phrase_queries += 1;
        if first_ids(&store, &format!("\"{phrase}\""), 10, now).await.contains(&ids[i]) {
            phrase_found += 1;
        } else {
            println!("phrase not found: {phrase:?}");
        }
    }
    println!(
        "one typo and one right word: {typo_found}/{typo_queries} in the top 10; copied phrases: {phrase_found}/{phrase_queries} in the top 10"
    );
    assert!(typo_queries >= 100 && phrase_queries >= 100, "{typo_queries} typo queries, {phrase_queries} phrases");
    assert!(typo_found * 100 >= typo_queries * 80, "a typo forgiven in {typo_found} of {typo_queries}");
    assert!(phrase_found * 100 >= phrase_queries * 95, "phrases found in {phrase_found} of {phrase_queries}");
}

/// `word` with one edit, of a kind that changes with `n`: two letters swapped, one left out,
/// one changed, one added.
fn one_edit(word: &str, n: usize) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    let at = chars.len() / 2;
    match n % 4 {
        0 => chars.swap(at - 1, at),
        1 => {
            chars.remove(at);
        }
        2 => chars[at] = if chars[at] == 'e' { 'a' } else { 'e' },
        _ => chars.insert(at, chars[at]),
    }
    chars.into_iter().collect()
}

/// A stretch of a story's text a reader would copy: the words before a hyphenated word and its
/// first part ("held talks with Hans" of "held talks with Hans-Georg"), else six words holding a stop
/// word or an apostrophe, as written. Long enough to be the story's own words.
fn copied_phrase(body: &str) -> Option<String> {
    let tokens: Vec<&str> = body.split_whitespace().collect();
    let clean = |t: &str| t.trim_matches(|c: char| !c.is_alphanumeric()).to_owned();
    let plain = |t: &str| {
        let c = clean(t);
        !c.is_empty() && c == t && c.chars().all(char::is_alphabetic)
    };
    for k in 3..tokens.len() {
        let token = clean(tokens[k]);
        if let Some((first, rest)) = token.split_once('-') {
            if first.chars().count() >= 3
                && first.chars().all(char::is_alphabetic)
                && rest.chars().all(|c| c.is_alphabetic() || c == '-')
                && (1..=3).all(|back| plain(tokens[k - back]))
            {
                return Some(format!("{} {} {} {first}", tokens[k - 3], tokens[k - 2], tokens[k - 1]));
            }
        }
    }
    const STOP: [&str; 6] = ["of", "the", "to", "in", "and", "a"];
    tokens.windows(6).find_map(|w| {
        let words: Vec<String> = w.iter().map(|t| clean(t)).collect();
        let as_written = w.iter().zip(&words).all(|(t, c)| *t == c.as_str() && !c.is_empty());
        let stop_or_apostrophe = words.iter().any(|c| STOP.contains(&c.to_lowercase().as_str()) || c.contains('\''));
        (as_written && stop_or_apostrophe).then(|| words.join(" "))
    })
}

on_every_search_index!(real_articles_are_found_by_their_headline_and_by_their_rarest_words);
