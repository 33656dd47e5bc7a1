//! Sitemaps (sitemaps.org 0.9), the sitemap index, the Google News sitemap and robots.txt.

use crate::xml::{escape, rfc3339, text};
use jiff::Timestamp;
use std::fmt::Write;

#[derive(Debug, Clone)]
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<Timestamp>,
}

#[derive(Debug, Clone)]
pub struct NewsEntry {
    pub loc: String,
    pub title: String,
    pub published: Timestamp,
}

const HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn entries(out: &mut String, tag: &str, list: &[SitemapEntry]) {
    for entry in list {
        let _ = write!(out, "<{tag}><loc>{}</loc>", escape(&entry.loc));
        if let Some(lastmod) = entry.lastmod {
            let _ = write!(out, "<lastmod>{}</lastmod>", rfc3339(lastmod));
        }
        let _ = writeln!(out, "</{tag}>");
    }
}

pub fn sitemap_index(sitemaps: &[SitemapEntry]) -> String {
    let mut out = String::from(HEADER);
    out.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    entries(&mut out, "sitemap", sitemaps);
    out.push_str("</sitemapindex>\n");
    out
}

pub fn urlset(urls: &[SitemapEntry]) -> String {
    let mut out = String::from(HEADER);
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    entries(&mut out, "url", urls);
    out.push_str("</urlset>\n");
    out
}

/// A Google News sitemap: the stories of the last 48 hours, at most 1,000 (the caller
/// chooses them; Google ignores older ones and refuses larger files).
pub fn news_sitemap(publication: &str, language: &str, stories: &[NewsEntry]) -> String {
    let mut out = String::from(HEADER);
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n");
    for story in stories {
        let _ = writeln!(
            out,
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name><news:language>{}</news:language></news:publication><news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>",
            escape(&story.loc),
            text(publication),
            escape(language),
            rfc3339(story.published),
            text(&story.title)
        );
    }
    out.push_str("</urlset>\n");
    out
}

/// Crawlers are welcome everywhere but the desk, and are told where the sitemaps are.
pub fn robots_txt(site_url: &str) -> String {
    format!("User-agent: *\nDisallow: /desk/\nDisallow: /_v/\n\nSitemap: {site_url}/sitemap.xml\n")
}
