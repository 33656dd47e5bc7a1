//! IPTC's own NinJS validation suite and agency samples, copied from IPTC's repository
//! (iptc/newsinjson, MIT licence; see tests/fixtures/iptc/LICENSE) into tests/fixtures/iptc:
//! `test_suite/<version>/should_pass` and `should_fail` for every 1.x and 2.x version the
//! suite covers, and `examples/1.4` and `examples/2.1`.
//!
//! Every should_pass item is taken, or declined for a reason a newsroom would accept (no
//! headline, an item type the paper does not publish); the test prints which and why. Every
//! should_fail item is refused, its reason naming the property at fault. Every text and
//! picture sample becomes a story or a photo whose headline, byline, body, caption and
//! credit are the sample's own.

use dateline_ingest::ninjs::{self, Version};
use dateline_ingest::{RejectionKind, WireKind};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/iptc")
}

fn files_in(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

const SUITE_VERSIONS: [&str; 12] = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.0", "2.1", "2.2", "3.0", "3.1"];

#[test]
fn every_should_pass_item_is_taken_or_declined_for_a_stated_reason() {
    let (mut taken, mut declined) = (Vec::new(), Vec::new());
    for version_name in SUITE_VERSIONS {
        let version = Version::parse(version_name).expect("a supported version");
        for file in files_in(&fixtures().join("test_suite").join(version_name).join("should_pass")) {
            let name = format!("{version_name}/{}", file.file_name().expect("name").to_string_lossy());
            let text = std::fs::read_to_string(&file).expect("read");
            match ninjs::read(version, &text) {
                Ok(copy) => taken.push(format!("{name}: \"{}\"", copy.headline)),
                Err(rejection) => {
                    assert_eq!(rejection.kind, RejectionKind::Declined, "{name} is valid NinJS, yet: {rejection}");
                    assert!(rejection.reason.len() > 20, "{name}: a reason a person can read: {rejection}");
                    declined.push(format!("{name}: {}", rejection.reason));
                }
            }
        }
    }
    println!("taken ({}):\n  {}", taken.len(), taken.join("\n  "));
    println!("declined ({}):\n  {}", declined.len(), declined.join("\n  "));
    assert!(taken.len() + declined.len() >= 45, "the whole suite was read");
    assert!(!taken.is_empty());
}

#[test]
fn every_should_fail_item_is_refused_naming_the_property_at_fault() {
    let mut refused = Vec::new();
    for version_name in SUITE_VERSIONS {
        let version = Version::parse(version_name).expect("a supported version");
        for file in files_in(&fixtures().join("test_suite").join(version_name).join("should_fail")) {
            let name = format!("{version_name}/{}", file.file_name().expect("name").to_string_lossy());
            let text = std::fs::read_to_string(&file).expect("read");
            let rejection = ninjs::read(version, &text).expect_err(&name);
            match rejection.kind {
                RejectionKind::Schema => {
                    let item: Value = serde_json::from_str(&text).expect("JSON");
                    let names_a_property = rejection.reason.contains("property /")
                        || rejection.reason.contains("is a required property")
                        || item.as_object().expect("object").keys().any(|key| {
                            rejection.reason.contains(&format!("'{key}'"))
                                || rejection.reason.contains(&format!("\"{key}\""))
                        });
                    assert!(names_a_property, "{name}: the reason names the property: {rejection}");
                }
                // One item of the suite is not JSON at all; the reason gives line and column.
                RejectionKind::Malformed => assert!(rejection.reason.contains("line"), "{name}: {rejection}"),
                other => panic!("{name}: refused as {other:?}: {rejection}"),
            }
            refused.push(format!("{name}: {}", rejection.reason.chars().take(160).collect::<String>()));
        }
    }
    println!("refused ({}):\n  {}", refused.len(), refused.join("\n  "));
    assert!(refused.len() >= 20);
}

/// The text a reader sees of some HTML, whitespace squeezed.
fn visible_text(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    fragment.root_element().text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The characters without the whitespace: where markup ends a text node, HTML may put a
/// space or none, and the two renderings need not agree on it.
fn words(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn field<'a>(item: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut value = item;
    for key in path {
        value = value.get(*key)?;
    }
    value.as_str()
}

/// The value of a 2.x `[{role, value}]` list entry with `role`, if there is one.
fn only_role<'a>(item: &'a Value, list: &str, wanted: &str) -> Option<&'a str> {
    item.get(list)?
        .as_array()?
        .iter()
        .find(|e| e.get("role").and_then(Value::as_str) == Some(wanted))
        .and_then(|e| e.get("value"))
        .and_then(Value::as_str)
}

/// The text of an HTML body a story should carry: without its figures (a picture's caption
/// is not the story's text) and without a first heading that repeats the headline.
fn story_text(html: &str, headline: &str) -> String {
    let document = scraper::Html::parse_fragment(html);
    let selector = |css: &str| scraper::Selector::parse(css).expect("selector");
    let mut skipped: Vec<&str> = document.select(&selector("figure, figure *, title")).flat_map(|e| e.text()).collect();
    if let Some(heading) = document.select(&selector("h1")).next() {
        if squeeze(&heading.text().collect::<String>()) == headline {
            skipped.extend(heading.text());
        }
    }
    let kept: Vec<&str> =
        document.root_element().text().filter(|piece| !skipped.iter().any(|s| std::ptr::eq(*s, *piece))).collect();
    squeeze(&kept.join(" "))
}

/// The text of a NITF document's story: `body.content` and `body.end`, not the head, which
/// holds the headline, byline and dateline.
fn nitf_story_text(nitf: &str) -> String {
    let xml = nitf.trim_start().trim_start_matches(|c| c != '>').trim_start_matches('>');
    let document = roxmltree::Document::parse(xml.trim_start()).expect("the sample's NITF is XML");
    let story: Vec<&str> = document
        .descendants()
        .filter(|n| matches!(n.tag_name().name(), "body.content" | "body.end"))
        .flat_map(|n| n.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()))
        .collect();
    squeeze(&story.join(" "))
}

/// A NITF document's `hl1`, the headline an item without its own carries in its body.
fn nitf_headline(nitf: &str) -> Option<String> {
    let xml = nitf.trim_start().trim_start_matches(|c| c != '>').trim_start_matches('>');
    let document = roxmltree::Document::parse(xml.trim_start()).expect("the sample's NITF is XML");
    let hl1 = document.descendants().find(|n| n.tag_name().name() == "hl1")?;
    Some(squeeze(&hl1.descendants().filter(|t| t.is_text()).filter_map(|t| t.text()).collect::<String>()))
}

/// The value of a 2.x `[{role, value}]` list entry with `role`, or the first.
fn role<'a>(item: &'a Value, list: &str, wanted: &str) -> Option<&'a str> {
    let entries = item.get(list)?.as_array()?;
    entries
        .iter()
        .find(|e| e.get("role").and_then(Value::as_str) == Some(wanted))
        .or_else(|| entries.first())
        .and_then(|e| e.get("value"))
        .and_then(Value::as_str)
}

fn lowercase_names(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k.to_ascii_lowercase(), lowercase_names(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(lowercase_names).collect()),
        other => other,
    }
}

#[test]
fn a_headline_is_read_in_the_form_each_version_defines() {
    let taken = |version: Version, item: Value| {
        ninjs::read(version, &item.to_string()).unwrap_or_else(|e| panic!("{}: {e}", version.as_str())).headline
    };
    let body = "Ferries sail again from Mokpo.";
    for version in [Version::V1_0, Version::V1_2, Version::V1_4] {
        let item = serde_json::json!({"uri": "urn:x:1", "headline": "Ferries resume", "body_text": body});
        assert_eq!(taken(version, item), "Ferries resume");
    }
    for version in [Version::V1_3, Version::V1_5, Version::V1_6] {
        let item = serde_json::json!({"uri": "urn:x:1", "headline_main": "Ferries resume", "body_text": body});
        assert_eq!(taken(version, item), "Ferries resume", "{}", version.as_str());
    }
    for version in [Version::V2_0, Version::V2_2] {
        let item = serde_json::json!({"uri": "urn:x:1", "headlines": [{"role": "main", "value": "Ferries resume"}],
                                      "bodies": [{"role": "text", "value": body}]});
        assert_eq!(taken(version, item), "Ferries resume");
    }
    for version in [Version::V3_0, Version::V3_1] {
        let item = serde_json::json!({"uri": "urn:x:1", "type": "text", "versionCreated": "2026-11-29T01:00:00Z",
                                      "embargoedUntil": "2026-11-29T03:00:00Z", "pubStatus": "usable",
                                      "headlines": [{"role": "main", "value": "Ferries resume"}],
                                      "bodies": [{"role": "html", "contentType": "text/html", "value": "<p>Ferries sail.</p>"}]});
        let copy = ninjs::read(version, &item.to_string()).expect("3.x");
        assert_eq!((copy.headline.as_str(), copy.body.as_str()), ("Ferries resume", "Ferries sail."));
        assert_eq!(copy.embargo_until.map(|t| t.to_string()).as_deref(), Some("2026-11-29T03:00:00Z"));
        assert!(copy.version_created.is_some());
        let lower_case = serde_json::json!({"uri": "urn:x:1", "pubstatus": "usable"});
        let refused = ninjs::read(version, &lower_case.to_string()).expect_err("3.x is camelCase");
        assert_eq!(refused.kind, RejectionKind::Schema, "{refused}");
    }
    // IPTC's own 1.5 item: a picture whose headline is `headline_main`, sent without renditions.
    let suite_item = std::fs::read_to_string(fixtures().join("test_suite/1.5/should_pass/001_contactinfo.json"))
        .expect("IPTC's own 1.5 item");
    let refused = ninjs::read(Version::V1_5, &suite_item).expect_err("no rendition to take");
    assert!(refused.reason.contains("rendition") && !refused.reason.contains("headline"), "{refused}");
}

#[test]
fn every_text_and_picture_sample_becomes_a_story_or_a_photo_true_to_its_source() {
    let mut checked = 0;
    for (folder, version) in [("1.4", Version::V1_4), ("2.1", Version::V2_1), ("3.0", Version::V3_0)] {
        for file in files_in(&fixtures().join("examples").join(folder)) {
            let name = format!("{folder}/{}", file.file_name().expect("name").to_string_lossy());
            let text = std::fs::read_to_string(&file).expect("read");
            let item: Value = serde_json::from_str(&text).expect("JSON");
            // 3.x names in camelCase what 2.x names in lower case; the checks below read 2.x names.
            let item = if folder == "3.0" { lowercase_names(item) } else { item };
            let kind = item.get("type").and_then(Value::as_str).unwrap_or("text");
            let result = ninjs::read(version, &text);
            if !matches!(kind, "text" | "composite" | "picture" | "graphic") {
                let rejection = result.expect_err(&name);
                assert_eq!(rejection.kind, RejectionKind::Declined, "{name}");
                assert!(rejection.reason.contains(kind), "{name}: {rejection}");
                continue;
            }
            let generation_2 = folder != "1.4";
            let nitf_headline = only_role(&item, "bodies", "nitf").and_then(nitf_headline);
            let headline = if generation_2 { role(&item, "headlines", "main") } else { field(&item, &["headline"]) }
                .map(str::to_owned)
                .or(nitf_headline);
            if headline.is_none() {
                // A 3.0 sample is an event's page with only a title: no headline, no story.
                let rejection = result.expect_err(&name);
                assert!(rejection.reason.contains("no headline"), "{name}: {rejection}");
                continue;
            }
            let copy = result.unwrap_or_else(|e| panic!("{name} must be taken: {e}"));
            checked += 1;
            assert_eq!(Some(copy.headline.as_str()), headline.as_deref().map(squeeze).as_deref(), "{name}: headline");

            let byline = if generation_2 { field(&item, &["by"]) } else { field(&item, &["byline"]) };
            if let Some(byline) = byline {
                for name_in_copy in &copy.byline_names {
                    assert!(
                        byline.contains(name_in_copy.as_str()),
                        "{name}: byline {name_in_copy:?} is from {byline:?}"
                    );
                }
                assert!(!copy.byline_names.is_empty(), "{name}: the byline {byline:?} gave names");
            }

            let rendered = visible_text(&dateline_render::markdown::render_markdown(&copy.body));
            if copy.kind == WireKind::Text {
                let source_body = if generation_2 {
                    ["html", "xhtml", "html5", "richhtml5"]
                        .iter()
                        .find_map(|wanted| only_role(&item, "bodies", wanted))
                        .map(|html| story_text(html, &copy.headline))
                        .or_else(|| only_role(&item, "bodies", "nitf").map(nitf_story_text))
                        .or_else(|| role(&item, "bodies", "html").map(|html| story_text(html, &copy.headline)))
                        .or_else(|| role(&item, "descriptions", "text").map(squeeze))
                } else {
                    field(&item, &["body_xhtml"])
                        .or_else(|| field(&item, &["body_html"]))
                        .map(visible_text)
                        .or_else(|| field(&item, &["body_text"]).map(squeeze))
                        .or_else(|| field(&item, &["description_caption_xhtml"]).map(visible_text))
                };
                let source_body = source_body.unwrap_or_else(|| panic!("{name}: a text sample has a body"));
                assert_eq!(words(&rendered), words(&source_body), "{name}: body");
            }

            if kind == "picture" {
                let photo = copy.photos.first().unwrap_or_else(|| panic!("{name}: a picture becomes a photo"));
                let caption = if generation_2 {
                    role(&item, "descriptions", "caption").map(squeeze)
                } else {
                    field(&item, &["description_text"]).map(squeeze)
                };
                assert_eq!(Some(photo.caption.clone()), caption, "{name}: caption");
                let credit = role(&item, "descriptions", "creditline")
                    .filter(|_| {
                        item.get("descriptions").and_then(Value::as_array).is_some_and(|d| {
                            d.iter().any(|e| e.get("role").and_then(Value::as_str) == Some("creditline"))
                        })
                    })
                    .or_else(|| field(&item, &["copyrightholder"]))
                    .or_else(|| item.get("infosources").and_then(|s| s[0].get("name")).and_then(Value::as_str))
                    .or(byline);
                assert_eq!(Some(photo.credit.as_str()), credit, "{name}: credit");
                assert!(photo.reference.starts_with("http"), "{name}: the rendition's address");
            }
            for photo in &copy.photos {
                assert!(!photo.reference.is_empty(), "{name}: every photo says where it is");
            }
        }
    }
    assert!(checked >= 18, "{checked} samples checked");
}
