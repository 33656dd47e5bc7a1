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

const SUITE_VERSIONS: [&str; 7] = ["1.1", "1.2", "1.3", "1.6", "2.0", "2.1", "2.2"];

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
                        || item
                            .as_object()
                            .expect("object")
                            .keys()
                            .any(|key| rejection.reason.contains(&format!("'{key}'")));
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

#[test]
fn every_text_and_picture_sample_becomes_a_story_or_a_photo_true_to_its_source() {
    let mut checked = 0;
    for (folder, version) in [("1.4", Version::V1_4), ("2.1", Version::V2_1)] {
        for file in files_in(&fixtures().join("examples").join(folder)) {
            let name = format!("{folder}/{}", file.file_name().expect("name").to_string_lossy());
            let text = std::fs::read_to_string(&file).expect("read");
            let item: Value = serde_json::from_str(&text).expect("JSON");
            let kind = item.get("type").and_then(Value::as_str).unwrap_or("text");
            let result = ninjs::read(version, &text);
            if !matches!(kind, "text" | "composite" | "picture" | "graphic") {
                let rejection = result.expect_err(&name);
                assert_eq!(rejection.kind, RejectionKind::Declined, "{name}");
                assert!(rejection.reason.contains(kind), "{name}: {rejection}");
                continue;
            }
            let copy = result.unwrap_or_else(|e| panic!("{name} must be taken: {e}"));
            checked += 1;
            let generation_2 = folder == "2.1";

            let headline = if generation_2 { role(&item, "headlines", "main") } else { field(&item, &["headline"]) };
            assert_eq!(Some(copy.headline.as_str()), headline.map(squeeze).as_deref(), "{name}: headline");

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
                    role(&item, "bodies", "html")
                        .map(visible_text)
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
