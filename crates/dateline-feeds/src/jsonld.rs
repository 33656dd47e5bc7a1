//! schema.org JSON-LD for article pages: the `NewsArticle` (or its opinion and analysis
//! kinds) with its bylines, publisher and corrections, and the breadcrumb trail. The output
//! is safe to place inside `<script type="application/ld+json">`: `<`, `>` and `&` are
//! written as JSON escapes, so no text can close the element.

use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub url: String,
    /// An agency is an Organization; a reporter a Person.
    pub is_organization: bool,
}

#[derive(Debug, Clone)]
pub struct Image {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone)]
pub struct Publisher {
    pub name: String,
    pub url: String,
    pub logo: Image,
    pub corrections_url: String,
    pub ethics_url: Option<String>,
    pub principles_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ArticleData {
    /// `NewsArticle`, `OpinionNewsArticle` or `AnalysisNewsArticle`.
    pub kind: &'static str,
    pub headline: String,
    pub description: String,
    pub url: String,
    /// The story's pictures (its crops at 16:9, 4:3 and 1:1 where they exist); none for a
    /// story without a photo on a paper without a default share image.
    pub images: Vec<Image>,
    /// ISO 8601 with the zone offset.
    pub published: String,
    pub modified: String,
    pub authors: Vec<Person>,
    pub section: String,
    pub language: String,
    pub publisher: Publisher,
    /// `(text, ISO 8601 date)`, oldest first.
    pub corrections: Vec<(String, String)>,
    /// `(name, absolute url)` from the top of the tree.
    pub breadcrumb: Vec<(String, String)>,
    /// Set for a live story: the document becomes a `LiveBlogPosting`.
    pub live: Option<LiveData>,
    /// Set for a podcast episode: the page also describes a `PodcastEpisode`.
    pub episode: Option<EpisodeData>,
    /// Set for a story with a video: the page also describes a `VideoObject`.
    pub video: Option<VideoData>,
}

/// What a story's video is, for search engines; addresses are absolute.
#[derive(Debug, Clone)]
pub struct VideoData {
    pub name: String,
    pub description: String,
    pub thumbnail: Option<String>,
    /// ISO 8601.
    pub upload_date: String,
    /// ISO 8601 (`PT0H2M5S`), when known.
    pub duration: Option<String>,
    /// The file itself, for a video the paper keeps.
    pub content_url: Option<String>,
    /// The platform's player, for a linked video.
    pub embed_url: Option<String>,
}

/// What a podcast episode's page says of the episode; addresses are absolute.
#[derive(Debug, Clone)]
pub struct EpisodeData {
    pub name: String,
    pub url: String,
    /// ISO 8601 (`PT0H12M5S`).
    pub duration: String,
    pub audio_url: String,
    pub audio_type: String,
    pub audio_bytes: u64,
    pub episode_number: Option<u32>,
    pub series_name: String,
    pub series_url: String,
    pub series_feed: String,
    /// The transcript's words, when there is one.
    pub transcript: Option<String>,
}

/// What a live story adds: when its coverage began and ended, and its newest posts.
#[derive(Debug, Clone)]
pub struct LiveData {
    /// ISO 8601.
    pub coverage_start: String,
    pub coverage_end: Option<String>,
    /// The newest posts first.
    pub updates: Vec<LiveUpdate>,
}

#[derive(Debug, Clone)]
pub struct LiveUpdate {
    pub headline: String,
    /// The post's text without its marks.
    pub body: String,
    pub published: String,
    pub modified: String,
    /// The post's address on the page (with its `#post-{id}`).
    pub url: String,
    /// Who wrote the post.
    pub author: String,
}

fn image(image: &Image) -> Value {
    json!({ "@type": "ImageObject", "url": image.url, "width": image.width, "height": image.height })
}

/// The JSON-LD document of an article page.
pub fn article(data: &ArticleData) -> String {
    let p = &data.publisher;
    let mut publisher = json!({
        "@type": "NewsMediaOrganization",
        "name": p.name,
        "url": p.url,
        "logo": image(&p.logo),
        "correctionsPolicy": p.corrections_url,
    });
    if let Some(ethics) = &p.ethics_url {
        publisher["ethicsPolicy"] = json!(ethics);
    }
    if let Some(principles) = &p.principles_url {
        publisher["publishingPrinciples"] = json!(principles);
    }
    let authors: Vec<Value> = data
        .authors
        .iter()
        .map(|a| json!({ "@type": if a.is_organization { "Organization" } else { "Person" }, "name": a.name, "url": a.url }))
        .collect();
    let mut article = json!({
        "@type": data.kind,
        "headline": data.headline,
        "description": data.description,
        "mainEntityOfPage": { "@type": "WebPage", "@id": data.url },
        "url": data.url,
        "datePublished": data.published,
        "dateModified": data.modified,
        "author": authors,
        "publisher": publisher,
        "articleSection": data.section,
        "inLanguage": data.language,
    });
    if !data.images.is_empty() {
        article["image"] = data.images.iter().map(image).collect::<Value>();
    }
    if !data.corrections.is_empty() {
        let corrections: Vec<Value> = data
            .corrections
            .iter()
            .map(|(text, date)| json!({ "@type": "CorrectionComment", "text": text, "datePublished": date }))
            .collect();
        article["correction"] = json!(corrections);
    }
    if let Some(live) = &data.live {
        article["@type"] = json!("LiveBlogPosting");
        article["coverageStartTime"] = json!(live.coverage_start);
        if let Some(end) = &live.coverage_end {
            article["coverageEndTime"] = json!(end);
        }
        let updates: Vec<Value> = live
            .updates
            .iter()
            .map(|u| {
                json!({
                    "@type": "BlogPosting",
                    "headline": u.headline,
                    "articleBody": u.body,
                    "datePublished": u.published,
                    "dateModified": u.modified,
                    "url": u.url,
                    "mainEntityOfPage": u.url,
                    "author": { "@type": "Person", "name": u.author },
                    "publisher": { "@type": "NewsMediaOrganization", "name": p.name, "logo": image(&p.logo) },
                })
            })
            .collect();
        article["liveBlogUpdate"] = json!(updates);
    }
    let crumbs: Vec<Value> = data
        .breadcrumb
        .iter()
        .enumerate()
        .map(|(i, (name, url))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url }))
        .collect();
    let mut graph = vec![article, json!({ "@type": "BreadcrumbList", "itemListElement": crumbs })];
    if let Some(episode) = &data.episode {
        let mut audio = json!({
            "@type": "AudioObject",
            "contentUrl": episode.audio_url,
            "encodingFormat": episode.audio_type,
            "contentSize": episode.audio_bytes.to_string(),
            "duration": episode.duration,
        });
        if let Some(transcript) = &episode.transcript {
            audio["transcript"] = json!(transcript);
        }
        let mut node = json!({
            "@type": "PodcastEpisode",
            "name": episode.name,
            "url": episode.url,
            "datePublished": data.published,
            "description": data.description,
            "timeRequired": episode.duration,
            "inLanguage": data.language,
            "associatedMedia": audio,
            "partOfSeries": { "@type": "PodcastSeries", "name": episode.series_name, "url": episode.series_url, "webFeed": episode.series_feed },
        });
        if let Some(number) = episode.episode_number {
            node["episodeNumber"] = json!(number);
        }
        graph.push(node);
    }
    if let Some(video) = &data.video {
        let mut node = json!({
            "@type": "VideoObject",
            "name": video.name,
            "description": video.description,
            "uploadDate": video.upload_date,
            "inLanguage": data.language,
        });
        if let Some(thumbnail) = &video.thumbnail {
            node["thumbnailUrl"] = json!([thumbnail]);
        }
        for (key, value) in
            [("duration", &video.duration), ("contentUrl", &video.content_url), ("embedUrl", &video.embed_url)]
        {
            if let Some(value) = value {
                node[key] = json!(value);
            }
        }
        graph.push(node);
    }
    let document = json!({ "@context": "https://schema.org", "@graph": graph });
    script_safe(&document.to_string())
}

/// JSON that cannot end its `<script>` element early.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_cannot_close_the_script_element() {
        let safe = script_safe(&json!({ "headline": "</script><script>alert(1)</script> & more" }).to_string());
        assert!(!safe.contains("</script>") && !safe.contains('&'));
        let back: Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back["headline"], "</script><script>alert(1)</script> & more");
    }
}
