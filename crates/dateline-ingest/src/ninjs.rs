//! IPTC NinJS ("News in JSON"), versions 1.0 to 3.1.
//!
//! A NinJS item does not say which version it follows, so the wire source does (`ninjs-1.4`),
//! and every item is checked against that version's JSON Schema, IPTC's own files embedded
//! from `schemas/` (MIT licence, `schemas/LICENSE-IPTC`). The 2.x schemas refer to GeoJSON by
//! its web address; the local copy answers instead, so nothing is fetched. Version 1.0 is
//! written in JSON Schema draft 3, which the validator does not read: its one draft-3 idiom
//! (`"required": true` on a property) is rewritten as draft 4 before use. Formats (`date-time`,
//! `uri`) are not asserted, as in IPTC's own test suite; a date Dateline needs and cannot read
//! declines the item instead.
//!
//! The generations name things differently (1.x `headline` or `headline_main`, `body_html`,
//! `byline`, `associations` as an object; 2.x `headlines[]`, `bodies[]`, `by`,
//! `associations[]`; 3.x as 2.x in camelCase, `versionCreated`, `embargoedUntil`); the mapping
//! reads any of them into one [`WireCopy`]. A 3.x item is checked against its own schema
//! (JSON Schema 2020-12) as sent, then its property names are lowercased and read as 2.x.

use crate::body::{check_safe, foreign_elements, foreign_markup_note, parse_html, text_to_markdown, to_markdown};
use crate::nitf;
use crate::{byline_names, excerpt, read_instant, PersonRole, Rejection, WireCopy, WireKind, WirePhoto, WireStatus};
use serde_json::{Map, Value};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    V1_0,
    V1_1,
    V1_2,
    V1_3,
    V1_4,
    V1_5,
    V1_6,
    V2_0,
    V2_1,
    V2_2,
    V3_0,
    V3_1,
}

impl Version {
    pub const ALL: [Version; 12] = [
        Version::V1_0,
        Version::V1_1,
        Version::V1_2,
        Version::V1_3,
        Version::V1_4,
        Version::V1_5,
        Version::V1_6,
        Version::V2_0,
        Version::V2_1,
        Version::V2_2,
        Version::V3_0,
        Version::V3_1,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
            Version::V1_2 => "1.2",
            Version::V1_3 => "1.3",
            Version::V1_4 => "1.4",
            Version::V1_5 => "1.5",
            Version::V1_6 => "1.6",
            Version::V2_0 => "2.0",
            Version::V2_1 => "2.1",
            Version::V2_2 => "2.2",
            Version::V3_0 => "3.0",
            Version::V3_1 => "3.1",
        }
    }

    pub fn parse(text: &str) -> Option<Version> {
        Version::ALL.into_iter().find(|v| v.as_str() == text)
    }

    /// 2.x and 3.x: lists of `{role, value}` for headlines, bodies and descriptions.
    fn is_generation_2(self) -> bool {
        !matches!(
            self,
            Version::V1_0
                | Version::V1_1
                | Version::V1_2
                | Version::V1_3
                | Version::V1_4
                | Version::V1_5
                | Version::V1_6
        )
    }

    /// 3.x: the 2.x model with camelCase property names.
    fn is_camel_case(self) -> bool {
        matches!(self, Version::V3_0 | Version::V3_1)
    }

    fn schema_text(self) -> &'static str {
        match self {
            Version::V1_0 => include_str!("../schemas/ninjs-schema_1.0.json"),
            Version::V1_1 => include_str!("../schemas/ninjs-schema_1.1.json"),
            Version::V1_2 => include_str!("../schemas/ninjs-schema_1.2.json"),
            Version::V1_3 => include_str!("../schemas/ninjs-schema_1.3.json"),
            Version::V1_4 => include_str!("../schemas/ninjs-schema_1.4.json"),
            Version::V1_5 => include_str!("../schemas/ninjs-schema_1.5.json"),
            Version::V1_6 => include_str!("../schemas/ninjs-schema_1.6.json"),
            Version::V2_0 => include_str!("../schemas/ninjs-schema_2.0.json"),
            Version::V2_1 => include_str!("../schemas/ninjs-schema_2.1.json"),
            Version::V2_2 => include_str!("../schemas/ninjs-schema_2.2.json"),
            Version::V3_0 => include_str!("../schemas/ninjs-schema_3.0.json"),
            Version::V3_1 => include_str!("../schemas/ninjs-schema_3.1.json"),
        }
    }
}

const GEOJSON_SCHEMA: &str = include_str!("../schemas/GeoJSON-schema.json");
const GEOJSON_ADDRESS: &str = "https://geojson.org/schema/GeoJSON.json";

/// Rewrites draft 3's `"required": true` on properties as draft 4's `required` lists.
fn draft3_to_draft4(schema: &mut Value) {
    let Value::Object(object) = schema else {
        if let Value::Array(items) = schema {
            items.iter_mut().for_each(draft3_to_draft4);
        }
        return;
    };
    let mut required = Vec::new();
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if let Value::Object(p) = property {
                if let Some(Value::Bool(flag)) = p.remove("required") {
                    if flag {
                        required.push(Value::from(name.clone()));
                    }
                }
            }
        }
    }
    for value in object.values_mut() {
        draft3_to_draft4(value);
    }
    if !required.is_empty() {
        object.insert("required".into(), Value::Array(required));
    }
    if object.get("$schema").and_then(Value::as_str).is_some_and(|s| s.contains("draft-03")) {
        object.insert("$schema".into(), Value::from("http://json-schema.org/draft-04/schema#"));
    }
}

fn validator(version: Version) -> &'static jsonschema::Validator {
    static VALIDATORS: OnceLock<Vec<jsonschema::Validator>> = OnceLock::new();
    let all = VALIDATORS.get_or_init(|| {
        Version::ALL
            .iter()
            .map(|version| {
                #[expect(clippy::expect_used, reason = "the schemas are IPTC's files, embedded and tested")]
                let mut schema: Value =
                    serde_json::from_str(version.schema_text()).expect("an embedded schema is JSON");
                if *version == Version::V1_0 {
                    draft3_to_draft4(&mut schema);
                }
                #[expect(clippy::expect_used, reason = "the schemas are IPTC's files, embedded and tested")]
                let geojson = jsonschema::Resource::from_contents(
                    serde_json::from_str(GEOJSON_SCHEMA).expect("the embedded GeoJSON schema is JSON"),
                )
                .expect("the GeoJSON schema is a schema");
                #[expect(clippy::expect_used, reason = "the schemas are IPTC's files, embedded and tested")]
                jsonschema::options()
                    .should_validate_formats(false)
                    .with_resource(GEOJSON_ADDRESS, geojson)
                    .build(&schema)
                    .expect("every embedded NinJS schema compiles")
            })
            .collect()
    });
    &all[Version::ALL.iter().position(|v| *v == version).unwrap_or(0)]
}

/// Checks an item against its version's schema; the reason names the offending property.
pub fn check_schema(version: Version, item: &Value) -> Result<(), Rejection> {
    let errors: Vec<String> = validator(version)
        .iter_errors(item)
        .take(3)
        .map(|error| {
            let path = error.instance_path.to_string();
            let at = if path.is_empty() { "the item".to_owned() } else { format!("property {path}") };
            // The validator's message quotes the offending value whole; a reason quotes a little.
            let message = error.to_string();
            let message = if message.chars().count() > 120 {
                format!("{}…", message.chars().take(120).collect::<String>())
            } else {
                message
            };
            format!("{at}: {message}")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Rejection::schema(format!("not valid NinJS {}: {}", version.as_str(), errors.join("; "))))
    }
}

/// Reads one NinJS item of `version`.
pub fn read(version: Version, text: &str) -> Result<WireCopy, Rejection> {
    let item: Value = serde_json::from_str(text).map_err(|e| {
        let cut = e.is_eof();
        Rejection::malformed(if cut {
            format!("the JSON ends too soon (line {}, column {}); the document is cut short", e.line(), e.column())
        } else {
            format!("not valid JSON: {e}")
        })
    })?;
    check_schema(version, &item)?;
    let item = if version.is_camel_case() { lowercase_names(item) } else { item };
    let Value::Object(item) = item else { return Err(Rejection::malformed("a NinJS item is a JSON object")) };
    map_item(version, &item)
}

/// Every property name in lower case, at every level: 3.x's `versionCreated`, `pubStatus`,
/// `contentType` and `copyrightHolder` become the names 2.x gives the same things.
fn lowercase_names(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter().map(|(key, value)| (key.to_ascii_lowercase(), lowercase_names(value))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(lowercase_names).collect()),
        other => other,
    }
}

fn text<'a>(item: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    item.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// The value of a 2.x list of `{role, value}` (`headlines`, `descriptions`, `bodies`) with
/// one of `roles`, else the first without a role the mapping uses elsewhere.
fn role_value<'a>(
    item: &'a Map<String, Value>,
    list: &str,
    roles: &[&str],
    avoid: &[&str],
) -> Option<&'a Map<String, Value>> {
    let entries: Vec<&Map<String, Value>> = item
        .get(list)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();
    let role = |e: &Map<String, Value>| e.get("role").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
    for wanted in roles {
        if let Some(found) = entries.iter().find(|e| role(e) == *wanted) {
            return Some(found);
        }
    }
    entries.into_iter().find(|e| !avoid.contains(&role(e).as_str()))
}

fn is_html_type(content_type: &str) -> bool {
    let t = content_type.to_ascii_lowercase();
    t.contains("html") || t.contains("xml")
}

/// How a body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    Html,
    /// A whole NITF document (`text/vnd.IPTC.NITF`, `application/nitf+xml`).
    Nitf,
    Text,
}

impl Written {
    /// From a 2.x body's content type and role, else from its first characters.
    fn of(content_type: Option<&str>, role: &str, value: &str) -> Written {
        let start = value.trim_start();
        if content_type.is_some_and(nitf::is_nitf_type)
            || role.contains("nitf")
            || start.starts_with("<nitf")
            || (start.starts_with("<?xml") && start.contains("<nitf"))
        {
            Written::Nitf
        } else if content_type.map_or(start.starts_with('<'), is_html_type) {
            Written::Html
        } else {
            Written::Text
        }
    }
}

/// Markdown of a body, and the story fields a NITF head in it carried; what the desk should
/// know of its reading goes into `notes`.
fn markdown_of(
    value: Option<&str>,
    written: Written,
    field: &str,
    notes: &mut Vec<String>,
) -> Result<(String, nitf::NitfHead), Rejection> {
    let Some(value) = value else { return Ok((String::new(), nitf::NitfHead::default())) };
    let mut markup = match written {
        Written::Text => return Ok((text_to_markdown(value), nitf::NitfHead::default())),
        Written::Html => parse_html(value, field)?,
        Written::Nitf => nitf::parse_xml(value, field)?,
    };
    check_safe(&markup, field)?;
    let mut head = nitf::take_head(&mut markup);
    notes.extend(foreign_markup_note(field, &foreign_elements(&markup)));
    notes.append(&mut head.notes);
    Ok((to_markdown(&markup), head))
}

/// Plain text of a description given as HTML or as text (captions are text).
fn plain_of(html: Option<&str>, plain: Option<&str>, field: &str) -> Result<String, Rejection> {
    if let Some(plain) = plain {
        return Ok(plain.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    if let Some(html) = html {
        let markup = parse_html(html, field)?;
        check_safe(&markup, field)?;
        return Ok(scraper::Html::parse_fragment(html)
            .root_element()
            .text()
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "));
    }
    Ok(String::new())
}

/// A `key_<format>` field of 1.x (`body_html`, `description_text`), by preference.
fn variant_field<'a>(item: &'a Map<String, Value>, stem: &str) -> (Option<&'a str>, Option<&'a str>) {
    let prefix = format!("{stem}_");
    let any = |markup: bool| {
        item.iter()
            .filter(|(k, _)| k.starts_with(&prefix) && k.ends_with("html") == markup)
            .find_map(|(_, v)| v.as_str().map(str::trim).filter(|s| !s.is_empty()))
    };
    let html =
        text(item, &format!("{stem}_html")).or_else(|| text(item, &format!("{stem}_xhtml"))).or_else(|| any(true));
    let plain = text(item, &format!("{stem}_text")).or_else(|| any(false));
    (html, plain)
}

fn kind_of(item: &Map<String, Value>) -> Result<WireKind, Rejection> {
    match text(item, "type").unwrap_or("text") {
        "text" | "composite" => Ok(WireKind::Text),
        "picture" | "graphic" => Ok(WireKind::Picture),
        other => Err(Rejection::declined(format!(
            "a NinJS item of type \"{}\" is not something Dateline publishes",
            excerpt(other)
        ))),
    }
}

fn status_of(item: &Map<String, Value>) -> Result<WireStatus, Rejection> {
    match text(item, "pubstatus").unwrap_or("usable") {
        "usable" => Ok(WireStatus::Usable),
        "withheld" => Ok(WireStatus::Withheld),
        "canceled" | "cancelled" => Ok(WireStatus::Canceled),
        other => Err(Rejection::declined(format!("pubstatus \"{}\" is not one Dateline knows", excerpt(other)))),
    }
}

fn names_in(item: &Map<String, Value>, key: &str) -> Vec<String> {
    item.get(key)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|entry| match entry {
                    Value::String(s) => Some(s.trim().to_owned()),
                    Value::Object(o) => o.get("name").and_then(Value::as_str).map(|s| s.trim().to_owned()),
                    _ => None,
                })
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The people (`people` in 2.x and 3.x, `person` in 1.x) whose relation to the item (`rel`)
/// is `role`. A person with no relation is someone the story is about, never a byline.
fn people_in(item: &Map<String, Value>, role: PersonRole) -> Vec<String> {
    ["people", "person"]
        .iter()
        .filter_map(|key| item.get(*key).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_object)
        .filter(|person| {
            let rel = person.get("rel").and_then(Value::as_str).unwrap_or_default();
            !rel.trim().is_empty() && PersonRole::of(rel) == role
        })
        .filter_map(|person| person.get("name").and_then(Value::as_str))
        .map(|name| name.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|name| !name.is_empty())
        .collect()
}

/// The photo a picture item (or a picture association) gives.
fn photo_of(version: Version, item: &Map<String, Value>, field: &str) -> Result<Option<WirePhoto>, Rejection> {
    let renditions: Vec<(String, &Map<String, Value>)> = match item.get("renditions") {
        Some(Value::Object(map)) => map.iter().filter_map(|(name, r)| Some((name.clone(), r.as_object()?))).collect(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_object)
            .map(|r| (r.get("name").and_then(Value::as_str).unwrap_or_default().to_owned(), r))
            .collect(),
        _ => Vec::new(),
    };
    let usable = |r: &&(String, &Map<String, Value>)| r.1.get("href").and_then(Value::as_str).is_some();
    let preferred = ["original", "main", "baseimage", "highres", "master", "full"];
    let chosen = preferred
        .iter()
        .find_map(|want| renditions.iter().filter(usable).find(|(name, _)| name.to_ascii_lowercase() == *want))
        .or_else(|| renditions.iter().find(usable));
    let Some((_, rendition)) = chosen else { return Ok(None) };
    let reference = rendition.get("href").and_then(Value::as_str).unwrap_or_default().trim().to_owned();
    let mime_type = text(rendition, "mimetype").or_else(|| text(rendition, "contenttype")).map(str::to_owned);
    let caption = if version.is_generation_2() {
        let entry = role_value(item, "descriptions", &["caption", "summary"], &["creditline", "credit"]);
        let value = entry.and_then(|e| e.get("value")).and_then(Value::as_str);
        let html = entry.and_then(|e| e.get("contenttype")).and_then(Value::as_str).is_some_and(is_html_type);
        if html {
            plain_of(value, None, field)?
        } else {
            plain_of(None, value, field)?
        }
    } else {
        let (html, plain) = variant_field(item, "description");
        plain_of(html, plain, field)?
    };
    let credit_line = if version.is_generation_2() {
        role_value(item, "descriptions", &["creditline", "credit"], &[])
            .filter(|e| {
                let role = e.get("role").and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
                role == "creditline" || role == "credit"
            })
            .and_then(|e| e.get("value"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    } else {
        None
    };
    let credit = credit_line
        .or_else(|| text(item, "copyrightholder").map(str::to_owned))
        .or_else(|| {
            let sources = names_in(item, "infosources");
            (!sources.is_empty()).then(|| sources.join("/"))
        })
        .or_else(|| text(item, if version.is_generation_2() { "by" } else { "byline" }).map(str::to_owned))
        .unwrap_or_default();
    let photographer = text(item, if version.is_generation_2() { "by" } else { "byline" })
        .map(str::to_owned)
        .or_else(|| people_in(item, PersonRole::Photographer).into_iter().next())
        .unwrap_or_default();
    Ok(Some(WirePhoto { reference, caption, credit, photographer, mime_type }))
}

fn map_item(version: Version, item: &Map<String, Value>) -> Result<WireCopy, Rejection> {
    let kind = kind_of(item)?;
    let guid = text(item, "uri")
        .ok_or_else(|| Rejection::declined("the item has no uri, so its versions cannot be told apart"))?;
    let status = status_of(item)?;
    let version_number = match item.get("version") {
        Some(Value::String(s)) => s.trim().parse::<i64>().unwrap_or(0),
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        _ => 0,
    };
    let version_created = text(item, "versioncreated").map(|t| read_instant(t, "versioncreated")).transpose()?;
    let embargo_until = match text(item, "embargoed") {
        Some(t) => Some(read_instant(t, "embargoed")?),
        None => text(item, "embargoeduntil").map(|t| read_instant(t, "embargoedUntil")).transpose()?,
    };
    let generation_2 = version.is_generation_2();
    let mut notes = Vec::new();

    let headline = if generation_2 {
        role_value(item, "headlines", &["main", "headline"], &[]).and_then(|e| e.get("value")).and_then(Value::as_str)
    } else {
        // 1.3 and later allow `headline_<role>` beside `headline`: the main one, else any but a
        // subheadline.
        text(item, "headline").or_else(|| text(item, "headline_main")).or_else(|| {
            item.iter()
                .filter(|(key, _)| key.starts_with("headline_") && !key.contains("sub"))
                .find_map(|(_, value)| value.as_str().map(str::trim).filter(|s| !s.is_empty()))
        })
    }
    .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
    .filter(|h| !h.is_empty());
    let byline = text(item, if generation_2 { "by" } else { "byline" });
    let located = text(item, "located").map(str::to_owned);

    let (body, deck, head) = if generation_2 {
        // Structure first: HTML, then NITF, then whatever the item has.
        let entry = role_value(
            item,
            "bodies",
            &["html", "xhtml", "html5", "richhtml5", "main", "body", "nitf", "ttnitf", "text"],
            &[],
        );
        let value = entry.and_then(|e| e.get("value")).and_then(Value::as_str);
        let role = entry.and_then(|e| e.get("role")).and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
        let content_type = entry.and_then(|e| e.get("contenttype")).and_then(Value::as_str);
        let written = Written::of(content_type, &role, value.unwrap_or_default());
        let (body, head) = markdown_of(value, written, "the body", &mut notes)?;
        let summary = role_value(item, "descriptions", &["summary", "abstract"], &["caption", "creditline", "credit"]);
        let deck = match kind {
            WireKind::Text => summary
                .and_then(|e| e.get("value"))
                .and_then(Value::as_str)
                .map(|v| plain_of(None, Some(v), "the summary"))
                .transpose()?,
            WireKind::Picture => None,
        };
        (body, deck, head)
    } else {
        let (html, plain) = variant_field(item, "body");
        let (body, head) = match (html, plain) {
            (Some(html), _) => markdown_of(Some(html), Written::Html, "the body", &mut notes)?,
            (None, plain) => markdown_of(plain, Written::Text, "the body", &mut notes)?,
        };
        let deck = match kind {
            WireKind::Text => {
                let (html, plain) = variant_field(item, "description");
                Some(plain_of(html, plain, "the description")?)
            }
            WireKind::Picture => None,
        };
        (body, deck, head)
    };
    let deck = deck.filter(|d| !d.is_empty()).or(if kind == WireKind::Text { head.deck } else { None });
    let headline = headline.or(head.headline);
    // A brief comes as a description alone (NTB sends its text so): it is the body then.
    let (body, deck) = match (body.trim().is_empty(), kind, deck) {
        (true, WireKind::Text, Some(deck)) => (crate::body::text_to_markdown(&deck), None),
        (_, _, deck) => (body, deck),
    };

    let mut photos = Vec::new();
    match kind {
        WireKind::Picture => {
            let photo = photo_of(version, item, "the caption")?.ok_or_else(|| {
                Rejection::declined("the picture item has no rendition with an href to take the photo from")
            })?;
            photos.push(photo);
        }
        WireKind::Text => {
            let associations: Vec<&Map<String, Value>> = match item.get("associations") {
                Some(Value::Object(map)) => map.values().filter_map(Value::as_object).collect(),
                Some(Value::Array(list)) => list.iter().filter_map(Value::as_object).collect(),
                _ => Vec::new(),
            };
            for association in associations {
                if matches!(text(association, "type"), Some("picture" | "graphic")) {
                    photos.extend(photo_of(version, association, "a photo's caption")?);
                }
            }
        }
    }

    let mut subjects = names_in(item, if generation_2 { "subjects" } else { "subject" });
    subjects.extend(names_in(item, "keywords"));
    subjects.dedup();

    crate::complete(WireCopy {
        guid: guid.to_owned(),
        version: version_number,
        version_created,
        status,
        kind,
        embargo_until,
        headline: headline.unwrap_or_default(),
        deck,
        body,
        // The free-text byline, else the people the item says wrote it.
        byline_names: match byline.or(head.byline.as_deref()) {
            Some(byline) => byline_names(byline),
            None => people_in(item, PersonRole::Writer),
        },
        located: located.or(head.located),
        written_dateline: head.dateline,
        subjects,
        photos,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_schema_compiles() {
        for version in Version::ALL {
            let _ = validator(version);
        }
    }

    #[test]
    fn a_minimal_item_of_each_generation_reads() {
        let one =
            read(Version::V1_4, r#"{"uri":"urn:x:1","headline":"Ferry resumes","body_text":"SEOUL -- It sails."}"#)
                .expect("1.4");
        assert_eq!((one.headline.as_str(), one.body.as_str()), ("Ferry resumes", "SEOUL -- It sails."));
        let two = read(
            Version::V2_1,
            r#"{"uri":"urn:x:2","headlines":[{"role":"main","value":"Ferry resumes"}],"bodies":[{"role":"main","contenttype":"text/html","value":"<p>It sails.</p>"}],"by":"Kim Ji-won"}"#,
        )
        .expect("2.1");
        assert_eq!(two.body, "It sails.");
        assert_eq!(two.byline_names, ["Kim Ji-won"]);
    }

    #[test]
    fn people_who_wrote_or_photographed_are_named_and_the_people_a_story_is_about_are_not() {
        let story = read(
            Version::V2_2,
            r#"{"uri":"urn:x:3","headlines":[{"role":"main","value":"Port reopens"}],
                "bodies":[{"role":"text","value":"It reopens."}],"located":"MOKPO",
                "people":[{"name":"Choi Yu-na","rel":"author"},{"name":"Mayor Lim","rel":"subject"},{"name":"Kim Bo-ra"}]}"#,
        )
        .expect("2.2");
        assert_eq!(story.byline_names, ["Choi Yu-na"]);
        assert_eq!(story.located.as_deref(), Some("MOKPO"));
        let picture = read(
            Version::V2_2,
            r#"{"uri":"urn:x:4","type":"picture","headlines":[{"role":"main","value":"Ferry"}],
                "people":[{"name":"Yoon Ha-eun","rel":"photographer"}],
                "renditions":[{"name":"original","href":"https://photos.example/f.jpg"}]}"#,
        )
        .expect("picture");
        assert_eq!(picture.photos[0].photographer, "Yoon Ha-eun");
    }

    #[test]
    fn a_property_of_the_wrong_type_is_named() {
        let error = read(Version::V1_4, r#"{"uri":"urn:x:1","headline":7}"#).expect_err("headline must be text");
        assert_eq!(error.kind, crate::RejectionKind::Schema);
        assert!(error.reason.contains("/headline"), "{error}");
    }
}
