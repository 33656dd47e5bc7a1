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
    pub image: Option<Image>,
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
    if let Some(picture) = &data.image {
        article["image"] = json!([image(picture)]);
    }
    if !data.corrections.is_empty() {
        let corrections: Vec<Value> = data
            .corrections
            .iter()
            .map(|(text, date)| json!({ "@type": "CorrectionComment", "text": text, "datePublished": date }))
            .collect();
        article["correction"] = json!(corrections);
    }
    let crumbs: Vec<Value> = data
        .breadcrumb
        .iter()
        .enumerate()
        .map(|(i, (name, url))| json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": url }))
        .collect();
    let document = json!({
        "@context": "https://schema.org",
        "@graph": [article, { "@type": "BreadcrumbList", "itemListElement": crumbs }],
    });
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
