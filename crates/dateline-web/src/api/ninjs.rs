//! A story as an IPTC NinJS 2.2 item (`application/ninjs+json`), the format agencies and
//! partners exchange: the headline and deck, the body as HTML, the bylines, the section and
//! topics as subjects, the lead photo as an associated picture with every size as a
//! rendition, and the story's canonical address among its alternative ids. The item's `uri` is
//! the story's canonical address, which never changes for a story (its slug may; the id
//! decides), and `version` is the story's own version, so a receiver can tell a newer copy.
//! Tests check every item against IPTC's own 2.2 schema.

use super::shapes::Story;
use serde_json::{json, Value};

pub(crate) const MEDIA_TYPE: &str = "application/ninjs+json";

/// The NinJS 2.2 item of a public story.
pub(crate) fn item(story: &Story, paper: &str, language: &str) -> Value {
    let mut headlines = vec![json!({"role": "main", "value": story.headline})];
    if let Some(deck) = &story.deck {
        headlines.push(json!({"role": "sub", "value": deck}));
    }
    let by = story.bylines.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(", ");
    let mut subjects: Vec<Value> =
        story.section_trail.iter().map(|s| json!({"name": s.name, "uri": s.url, "rel": "section"})).collect();
    subjects.extend(story.topics.iter().map(|t| json!({"name": t.name, "uri": t.url, "rel": "topic"})));
    let words = story.body_markdown.split_whitespace().count();
    let mut item = json!({
        "uri": story.url,
        "type": "text",
        "version": story.version.to_string(),
        "firstcreated": story.published,
        "versioncreated": story.updated.as_deref().unwrap_or(&story.published),
        "pubstatus": "usable",
        "language": language,
        "headlines": headlines,
        "bodies": [{"role": "main", "contenttype": "text/html", "value": story.body_html, "wordcount": words}],
        "by": by,
        "people": story.bylines.iter().map(|b| json!({"name": b.name, "uri": b.url, "rel": b.kind})).collect::<Vec<_>>(),
        "subjects": subjects,
        "infosources": [{"name": paper, "role": "publisher"}],
        "altids": [{"role": "canonical-url", "value": story.url}, {"role": "dateline-id", "value": story.id.to_string()}],
    });
    if let Some(deck) = &story.deck {
        // Agencies carry the standfirst as the summary; readers of NinJS look for it there.
        item["descriptions"] = json!([{"role": "summary", "value": deck}]);
    }
    if let Some(label) = &story.label {
        item["genres"] = json!([{"name": label}]);
    }
    if !story.corrections.is_empty() {
        let notes: Vec<String> =
            story.corrections.iter().map(|c| format!("Correction ({}): {}", c.published, c.text)).collect();
        item["ednote"] = json!(notes.join("\n"));
    }
    if let Some(photo) = &story.lead_photo {
        let mut renditions = vec![json!({
            "name": "original", "href": photo.url, "width": photo.width, "height": photo.height,
        })];
        renditions.extend(
            photo.sizes.iter().map(|s| json!({"name": format!("w{}", s.width), "href": s.url, "width": s.width})),
        );
        let mut picture = json!({
            "name": "lead-photo",
            "uri": photo.url,
            "type": "picture",
            "headlines": [{"value": photo.caption}],
            "descriptions": [
                {"role": "caption", "value": photo.caption},
                {"role": "creditline", "value": photo.credit},
                {"role": "alt", "value": photo.alt},
            ],
            "copyrightnotice": photo.credit,
            "renditions": renditions,
        });
        if !photo.photographer.is_empty() {
            picture["by"] = json!(photo.photographer);
        }
        item["associations"] = json!([picture]);
    }
    item
}
