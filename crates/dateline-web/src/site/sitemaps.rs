//! Sitemaps for search engines: an index (`/sitemap.xml`) pointing to one sitemap per month of
//! stories, one for the paper's other pages, and a Google News sitemap of the last 48 hours;
//! and `robots.txt`, which names the index and keeps crawlers out of the desk.

use super::chrome;
use super::feeds::absolute;
use crate::documents::document;
use crate::error::WebError;
use crate::page_cache::{tag, Shows};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use dateline_feeds::{news_sitemap, robots_txt, sitemap_index, urlset, NewsEntry, SitemapEntry};
use dateline_newsroom::prelude::*;
use dateline_newsroom::{Listing, Window};
use dateline_render::views::{article_url, author_url, page_url, section_url, topic_url};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

const XML: &str = "application/xml; charset=utf-8";
/// Google News reads only the last two days, and at most this many stories.
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);
const NEWS_LIMIT: u32 = 1_000;
/// The sitemaps.org limit for one file.
const URLS_PER_SITEMAP: u32 = 50_000;

pub(crate) async fn index(State(state): State<AppState>) -> Result<Response, WebError> {
    let now = state.now();
    let months = state.store().published_months(now).await?;
    let newest = months.first().map(|m| m.last_change);
    let mut entries = vec![
        SitemapEntry { loc: absolute(&state, "/sitemaps/news.xml"), lastmod: newest },
        SitemapEntry { loc: absolute(&state, "/sitemaps/pages.xml"), lastmod: None },
    ];
    entries.extend(months.iter().map(|m| SitemapEntry {
        loc: absolute(&state, &format!("/sitemaps/articles-{:04}-{:02}.xml", m.year, m.month)),
        lastmod: Some(m.last_change),
    }));
    Ok(document(sitemap_index(&entries), newest, XML, "public, max-age=600", archive()))
}

/// `articles-2026-11.xml` as the instants that bound that month (UTC).
fn month_bounds(file: &str) -> Option<(Timestamp, Timestamp)> {
    let name = file.strip_prefix("articles-")?.strip_suffix(".xml")?;
    let (year, month) = name.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let (year, month): (i16, i8) = (year.parse().ok()?, month.parse().ok()?);
    let start = Date::new(year, month, 1).ok()?;
    let next = start.checked_add(jiff::Span::new().months(1)).ok()?;
    let utc = |d: Date| d.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp());
    Some((utc(start)?, utc(next)?))
}

pub(crate) async fn sitemap(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, WebError> {
    let now = state.now();
    let store = state.store();
    match file.as_str() {
        "news.xml" => {
            let window = Window { limit: NEWS_LIMIT, offset: 0 };
            let mut stories =
                store.latest_public(now, Listing::PublishedBetween(now - NEWS_WINDOW, now), window).await?;
            // A live story is news for as long as its coverage runs, however long ago it began.
            let running = dateline_newsroom::live::LiveStore::running_coverage(store).await?;
            let older_live: Vec<_> = running.into_iter().filter(|id| !stories.iter().any(|s| s.id == *id)).collect();
            let older_live = store.public_by_ids(now, &older_live).await?;
            stories.truncate((NEWS_LIMIT as usize).saturating_sub(older_live.len()));
            stories.extend(older_live);
            let settings = store.settings().await?;
            let entries: Vec<NewsEntry> = stories
                .iter()
                .map(|s| NewsEntry {
                    loc: absolute(&state, &article_url(s.id, &s.slug)),
                    title: s.headline.clone(),
                    published: s.first_published_at,
                })
                .collect();
            let newest = stories.first().map(|s| s.first_published_at);
            let body = news_sitemap(&settings.site_name, &settings.language, &entries);
            Ok(document(body, newest, XML, "public, max-age=300", archive()))
        }
        "pages.xml" => {
            let chrome = chrome::load(&state, now).await?;
            let mut paths = vec!["/".to_owned(), "/topics/".to_owned(), "/corrections".to_owned()];
            paths.extend(chrome.tree.iter().map(|s| section_url(&s.path)));
            paths.extend(store.authors().await?.iter().map(|a| author_url(&a.slug)));
            paths.extend(store.topics().await?.iter().map(|t| topic_url(&t.slug)));
            paths.extend(store.pages().await?.iter().map(|p| page_url(&p.slug)));
            let entries: Vec<SitemapEntry> =
                paths.iter().map(|p| SitemapEntry { loc: absolute(&state, p), lastmod: None }).collect();
            let mut shows = archive();
            shows.add(tag::TOPICS.to_owned());
            Ok(document(urlset(&entries), None, XML, "public, max-age=600", shows))
        }
        other => {
            let (from, until) = month_bounds(other).ok_or(WebError::NotFound)?;
            let window = Window { limit: URLS_PER_SITEMAP, offset: 0 };
            let stories = store.latest_public(now, Listing::PublishedBetween(from, until), window).await?;
            if stories.is_empty() {
                return Err(WebError::NotFound);
            }
            let entries: Vec<SitemapEntry> = stories
                .iter()
                .map(|s| SitemapEntry {
                    loc: absolute(&state, &article_url(s.id, &s.slug)),
                    lastmod: Some(s.last_public_change()),
                })
                .collect();
            let newest = stories.iter().map(|s| s.last_public_change()).max();
            Ok(document(urlset(&entries), newest, XML, "public, max-age=600", archive()))
        }
    }
}

/// Sitemaps list every public story: any change to one changes them.
fn archive() -> Shows {
    let mut shows = Shows::default();
    shows.add(tag::ARCHIVE.to_owned());
    shows
}

pub(crate) async fn robots(State(state): State<AppState>) -> Response {
    let body = robots_txt(state.settings().public_url.trim_end_matches('/'));
    document(body, None, "text/plain; charset=utf-8", "public, max-age=3600", Shows::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_month_names_are_sitemaps() {
        let (from, until) = month_bounds("articles-2026-12.xml").expect("december");
        assert_eq!(
            (from.to_string(), until.to_string()),
            ("2026-12-01T00:00:00Z".into(), "2027-01-01T00:00:00Z".into())
        );
        for bad in
            ["articles-2026-13.xml", "articles-26-1.xml", "articles-2026-1.xml", "other.xml", "articles-2026-11.xml.gz"]
        {
            assert!(month_bounds(bad).is_none(), "{bad}");
        }
    }
}
