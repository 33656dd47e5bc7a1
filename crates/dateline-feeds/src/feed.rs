//! RSS 2.0 and Atom 1.0 (RFC 4287) feeds of stories.

use crate::xml::{escape, rfc2822, rfc3339, text};
use jiff::Timestamp;
use std::fmt::Write;

/// The feed as a whole: what it lists and where.
#[derive(Debug, Clone)]
pub struct FeedInfo {
    pub title: String,
    pub description: String,
    /// The page the feed belongs to, absolute.
    pub page_url: String,
    /// The feed's own address, absolute.
    pub feed_url: String,
    pub language: String,
    /// The newest change of any entry (or now, for an empty feed).
    pub updated: Timestamp,
}

#[derive(Debug, Clone)]
pub struct FeedImage {
    pub url: String,
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: String,
}

#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub title: String,
    pub summary: String,
    /// The story's canonical address, absolute.
    pub url: String,
    /// A stable identifier: the story's id-only address, which survives slug changes.
    pub guid: String,
    pub published: Timestamp,
    pub updated: Timestamp,
    pub authors: Vec<String>,
    pub category: Option<String>,
    pub image: Option<FeedImage>,
    /// A podcast episode's sound, as RSS's `enclosure` and Atom's `rel="enclosure"` link.
    pub enclosure: Option<FeedEnclosure>,
}

#[derive(Debug, Clone)]
pub struct FeedEnclosure {
    pub url: String,
    pub length: u64,
    pub mime_type: String,
}

/// The lead photo as Media RSS, which both RSS and Atom readers understand.
fn media_content(out: &mut String, image: &FeedImage) {
    let _ = write!(
        out,
        "<media:content url=\"{}\" type=\"{}\" medium=\"image\" width=\"{}\" height=\"{}\">\n<media:description>{}</media:description>\n<media:credit>{}</media:credit>\n</media:content>\n",
        escape(&image.url),
        escape(&image.mime_type),
        image.width,
        image.height,
        text(&image.caption),
        text(&image.credit)
    );
}

pub fn rss(feed: &FeedInfo, entries: &[FeedEntry]) -> String {
    let mut out = String::with_capacity(1024 + entries.len() * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n");
    let _ = write!(
        out,
        "<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<language>{}</language>\n<lastBuildDate>{}</lastBuildDate>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        text(&feed.title),
        escape(&feed.page_url),
        text(&feed.description),
        escape(&feed.language),
        rfc2822(feed.updated),
        escape(&feed.feed_url)
    );
    for entry in entries {
        let _ = write!(
            out,
            "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"true\">{}</guid>\n<description>{}</description>\n<pubDate>{}</pubDate>\n",
            text(&entry.title),
            escape(&entry.url),
            escape(&entry.guid),
            text(&entry.summary),
            rfc2822(entry.published)
        );
        for author in &entry.authors {
            let _ = writeln!(out, "<dc:creator>{}</dc:creator>", text(author));
        }
        if let Some(category) = &entry.category {
            let _ = writeln!(out, "<category>{}</category>", text(category));
        }
        if let Some(image) = &entry.image {
            media_content(&mut out, image);
        }
        if let Some(sound) = &entry.enclosure {
            let _ = writeln!(
                out,
                "<enclosure url=\"{}\" length=\"{}\" type=\"{}\"/>",
                escape(&sound.url),
                sound.length,
                escape(&sound.mime_type)
            );
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

pub fn atom(feed: &FeedInfo, entries: &[FeedEntry]) -> String {
    let mut out = String::with_capacity(1024 + entries.len() * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = write!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\" xml:lang=\"{}\">\n<id>{}</id>\n<title>{}</title>\n<subtitle>{}</subtitle>\n<updated>{}</updated>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<author><name>{}</name></author>\n",
        escape(&feed.language),
        escape(&feed.feed_url),
        text(&feed.title),
        text(&feed.description),
        rfc3339(feed.updated),
        escape(&feed.page_url),
        escape(&feed.feed_url),
        text(&feed.title)
    );
    for entry in entries {
        let _ = write!(
            out,
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<summary>{}</summary>\n",
            escape(&entry.guid),
            text(&entry.title),
            escape(&entry.url),
            rfc3339(entry.published),
            rfc3339(entry.updated),
            text(&entry.summary)
        );
        for author in &entry.authors {
            let _ = writeln!(out, "<author><name>{}</name></author>", text(author));
        }
        if let Some(category) = &entry.category {
            let _ = writeln!(out, "<category term=\"{}\"/>", text(category));
        }
        if let Some(image) = &entry.image {
            media_content(&mut out, image);
        }
        if let Some(sound) = &entry.enclosure {
            let _ = writeln!(
                out,
                "<link rel=\"enclosure\" href=\"{}\" length=\"{}\" type=\"{}\"/>",
                escape(&sound.url),
                sound.length,
                escape(&sound.mime_type)
            );
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
