//! A podcast's feed: RSS 2.0 with the `itunes:` tags Apple Podcasts requires and recommends,
//! and the Podcasting 2.0 `podcast:` namespace (`guid`, `locked`, `transcript`, `chapters`).
//! Every podcast app and directory reads this one file.

use crate::xml::{escape, rfc2822, text};
use jiff::Timestamp;
use std::fmt::Write;

pub const ITUNES_NAMESPACE: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
pub const PODCAST_NAMESPACE: &str = "https://podcastindex.org/namespace/1.0";

/// The show as its feed describes it; addresses are absolute.
#[derive(Debug, Clone)]
pub struct PodcastChannel {
    pub title: String,
    pub description: String,
    pub page_url: String,
    pub feed_url: String,
    pub artwork_url: String,
    pub language: String,
    /// Apple's category, and its subcategory if any.
    pub category: (String, Option<String>),
    pub explicit: bool,
    pub author: String,
    pub owner_name: String,
    pub owner_email: String,
    pub copyright: String,
    pub guid: String,
    pub locked: bool,
    pub updated: Timestamp,
}

#[derive(Debug, Clone)]
pub struct PodcastItem {
    pub title: String,
    pub description: String,
    pub page_url: String,
    /// Never changes once the episode exists.
    pub guid: String,
    pub published: Timestamp,
    pub audio_url: String,
    pub audio_bytes: u64,
    pub audio_type: String,
    pub duration_seconds: u64,
    pub episode: Option<u32>,
    pub season: Option<u32>,
    /// `full`, `trailer` or `bonus`.
    pub episode_type: String,
    pub authors: Vec<String>,
    /// The transcript's address and type (`text/vtt`, `application/x-subrip`).
    pub transcript: Option<(String, String)>,
    pub chapters_url: Option<String>,
    pub image_url: Option<String>,
}

/// `HH:MM:SS`, the duration form every app reads.
fn duration(seconds: u64) -> String {
    format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

pub fn podcast_rss(channel: &PodcastChannel, items: &[PodcastItem]) -> String {
    let mut out = String::with_capacity(2048 + items.len() * 1536);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<rss version=\"2.0\" xmlns:itunes=\"{ITUNES_NAMESPACE}\" xmlns:podcast=\"{PODCAST_NAMESPACE}\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>"
    );
    let _ = write!(
        out,
        "<title>{}</title>\n<link>{}</link>\n<description>{}</description>\n<itunes:summary>{}</itunes:summary>\n<language>{}</language>\n<copyright>{}</copyright>\n<lastBuildDate>{}</lastBuildDate>\n<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        text(&channel.title),
        escape(&channel.page_url),
        text(&channel.description),
        text(&channel.description),
        escape(&channel.language),
        text(&channel.copyright),
        rfc2822(channel.updated),
        escape(&channel.feed_url)
    );
    let _ = write!(
        out,
        "<image>\n<url>{}</url>\n<title>{}</title>\n<link>{}</link>\n</image>\n<itunes:image href=\"{}\"/>\n",
        escape(&channel.artwork_url),
        text(&channel.title),
        escape(&channel.page_url),
        escape(&channel.artwork_url)
    );
    match &channel.category.1 {
        Some(sub) => {
            let _ = writeln!(
                out,
                "<itunes:category text=\"{}\">\n<itunes:category text=\"{}\"/>\n</itunes:category>",
                escape(&channel.category.0),
                escape(sub)
            );
        }
        None => {
            let _ = writeln!(out, "<itunes:category text=\"{}\"/>", escape(&channel.category.0));
        }
    }
    let _ = write!(
        out,
        "<itunes:explicit>{}</itunes:explicit>\n<itunes:author>{}</itunes:author>\n<itunes:owner>\n<itunes:name>{}</itunes:name>\n<itunes:email>{}</itunes:email>\n</itunes:owner>\n<itunes:type>episodic</itunes:type>\n<podcast:guid>{}</podcast:guid>\n<podcast:locked owner=\"{}\">{}</podcast:locked>\n",
        channel.explicit,
        text(&channel.author),
        text(&channel.owner_name),
        escape(&channel.owner_email),
        escape(&channel.guid),
        escape(&channel.owner_email),
        if channel.locked { "yes" } else { "no" }
    );
    for item in items {
        let _ = write!(
            out,
            "<item>\n<title>{}</title>\n<itunes:title>{}</itunes:title>\n<link>{}</link>\n<guid isPermaLink=\"false\">{}</guid>\n<description>{}</description>\n<pubDate>{}</pubDate>\n<enclosure url=\"{}\" length=\"{}\" type=\"{}\"/>\n<itunes:duration>{}</itunes:duration>\n<itunes:episodeType>{}</itunes:episodeType>\n<itunes:explicit>{}</itunes:explicit>\n",
            text(&item.title),
            text(&item.title),
            escape(&item.page_url),
            escape(&item.guid),
            text(&item.description),
            rfc2822(item.published),
            escape(&item.audio_url),
            item.audio_bytes,
            escape(&item.audio_type),
            duration(item.duration_seconds),
            escape(&item.episode_type),
            channel.explicit
        );
        if let Some(episode) = item.episode {
            let _ = writeln!(out, "<itunes:episode>{episode}</itunes:episode>");
        }
        if let Some(season) = item.season {
            let _ = writeln!(out, "<itunes:season>{season}</itunes:season>");
        }
        if !item.authors.is_empty() {
            let _ = writeln!(out, "<itunes:author>{}</itunes:author>", text(&item.authors.join(", ")));
        }
        if let Some(image) = &item.image_url {
            let _ = writeln!(out, "<itunes:image href=\"{}\"/>", escape(image));
        }
        if let Some((url, mime)) = &item.transcript {
            let _ = writeln!(
                out,
                "<podcast:transcript url=\"{}\" type=\"{}\" language=\"{}\"/>",
                escape(url),
                escape(mime),
                escape(&channel.language)
            );
        }
        if let Some(url) = &item.chapters_url {
            let _ = writeln!(out, "<podcast:chapters url=\"{}\" type=\"application/json+chapters\"/>", escape(url));
        }
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// The JSON chapters file `podcast:chapters` points to (version 1.2.0 of the format).
pub fn chapters_json(chapters: &[(u64, String)]) -> String {
    let list: Vec<serde_json::Value> = chapters
        .iter()
        .map(|(start_ms, title)| serde_json::json!({ "startTime": *start_ms as f64 / 1000.0, "title": title }))
        .collect();
    serde_json::json!({ "version": "1.2.0", "chapters": list }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel() -> PodcastChannel {
        PodcastChannel {
            title: "English Eye".into(),
            description: "The week in <b>Korea</b> & beyond".into(),
            page_url: "https://paper.example/podcasts/english-eye/".into(),
            feed_url: "https://paper.example/podcasts/english-eye/feed.xml".into(),
            artwork_url: "https://paper.example/media/art.png".into(),
            language: "en".into(),
            category: ("News".into(), Some("Daily News".into())),
            explicit: false,
            author: "The Daily Example".into(),
            owner_name: "Audio desk".into(),
            owner_email: "audio@paper.example".into(),
            copyright: "© 2026 The Daily Example".into(),
            guid: "0b20eef2-824a-5f6a-bc6b-68f611056e0c".into(),
            locked: true,
            updated: Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_feed_is_well_formed_xml_with_the_tags_apple_requires() {
        let item = PodcastItem {
            title: "Episode <one>".into(),
            description: "A & B".into(),
            page_url: "https://paper.example/article/1/one".into(),
            guid: "c0ffee00-0000-4000-8000-000000000001".into(),
            published: Timestamp::UNIX_EPOCH,
            audio_url: "https://paper.example/audio/uploads/a.mp3".into(),
            audio_bytes: 12345,
            audio_type: "audio/mpeg".into(),
            duration_seconds: 3723,
            episode: Some(1),
            season: None,
            episode_type: "full".into(),
            authors: vec!["Kim".into()],
            transcript: Some(("https://paper.example/t.vtt".into(), "text/vtt".into())),
            chapters_url: None,
            image_url: None,
        };
        let xml = podcast_rss(&channel(), &[item]);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed");
        let channel = doc.descendants().find(|n| n.has_tag_name("channel")).expect("channel");
        for (namespace, name) in [
            ("", "title"),
            ("", "description"),
            ("", "language"),
            (ITUNES_NAMESPACE, "image"),
            (ITUNES_NAMESPACE, "category"),
            (ITUNES_NAMESPACE, "explicit"),
        ] {
            assert!(
                channel
                    .children()
                    .any(|n| n.tag_name().name() == name && n.tag_name().namespace().unwrap_or("") == namespace),
                "the channel has {namespace} {name}"
            );
        }
        let enclosure = doc.descendants().find(|n| n.has_tag_name("enclosure")).expect("enclosure");
        assert_eq!(enclosure.attribute("length"), Some("12345"));
        let duration = doc.descendants().find(|n| n.has_tag_name((ITUNES_NAMESPACE, "duration"))).expect("duration");
        assert_eq!(duration.text(), Some("01:02:03"));
        assert!(!xml.contains("<one>") && !xml.contains("<b>"), "markup in titles is dropped");
    }

    #[test]
    fn chapters_are_json_in_seconds() {
        let json: serde_json::Value =
            serde_json::from_str(&chapters_json(&[(0, "Open".into()), (90_500, "Markets".into())])).expect("JSON");
        assert_eq!(json["chapters"][1]["startTime"], 90.5);
        assert_eq!(json["version"], "1.2.0");
    }
}
