//! WordPress eXtended RSS (WXR 1.0 to 1.2, as Tools › Export writes it), read as a stream.
//!
//! The file is never held whole: [`read`] walks it once with quick-xml and hands each record
//! (the site, an author, a category, a tag, a term, an item) to a callback as soon as its
//! closing tag is read, so a file of any length is read in the memory of its largest post.
//! A `<!DOCTYPE>` refuses the file before anything else is read, so no entity is declared,
//! expanded or fetched (XXE, "billion laughs"); only XML's five entities and character
//! references are resolved. The version must be one WordPress writes.

use crate::ImportError;
use quick_xml::events::Event;
use std::io::BufRead;

/// The versions of WXR WordPress has written.
pub const KNOWN_VERSIONS: [&str; 3] = ["1.0", "1.1", "1.2"];

/// The largest text one element may hold (a post's body is one): past it the file is refused.
const MAX_FIELD_BYTES: usize = 16 * 1024 * 1024;
/// How deep elements may nest; WXR needs five levels.
const MAX_DEPTH: usize = 32;

/// The site the export comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Site {
    pub title: String,
    pub link: String,
    pub base_site_url: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    pub id: String,
    pub login: String,
    pub email: String,
    pub display_name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Category {
    pub nicename: String,
    /// The parent's nicename, empty at the top.
    pub parent: String,
    pub name: String,
}

/// A term of any taxonomy (`post_tag`, `category`, Co-Authors Plus's `author`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    pub taxonomy: String,
    pub slug: String,
    pub name: String,
    pub parent: String,
}

/// One `<item>`: a post, a page, an attachment, a guest author, or anything else a plugin
/// stores as a post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub title: String,
    pub link: String,
    pub guid: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub post_id: String,
    pub post_date_gmt: String,
    pub post_modified_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_type: String,
    pub post_parent: String,
    pub attachment_url: String,
    /// `(domain, nicename, name)` of each `<category>`: categories, tags, Co-Authors Plus's
    /// authors.
    pub terms: Vec<(String, String, String)>,
    pub meta: Vec<(String, String)>,
    pub comments: usize,
}

impl Item {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.trim().is_empty())
    }
}

/// One record of the file, in the order the file gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Site(Site),
    Author(Author),
    Category(Category),
    Tag(Term),
    Term(Term),
    Item(Box<Item>),
}

/// Where the reader is: which record is being filled.
enum Open {
    None,
    Author(Author),
    Category(Category),
    Tag(Term),
    Term(Term),
    Item(Box<Item>),
}

/// Reads the whole file, handing each record to `each`. An error names what is wrong and,
/// inside an item, which one.
pub fn read<R: BufRead>(
    input: R,
    mut each: impl FnMut(Record) -> Result<(), ImportError>,
) -> Result<Site, ImportError> {
    let mut reader = quick_xml::Reader::from_reader(input);
    reader.config_mut().trim_text(false);
    let mut buffer = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut site = Site::default();
    let mut open = Open::None;
    let mut meta_key = String::new();
    let mut term_attributes: (String, String) = (String::new(), String::new());
    let mut seen_root = false;
    let broken = |reader: &quick_xml::Reader<R>, open: &Open, what: String| {
        let at = reader.buffer_position();
        let item = match open {
            Open::Item(item) if !item.post_id.is_empty() => format!(" in the item with post id {}", item.post_id),
            Open::Item(item) if !item.title.is_empty() => format!(" in the item {:?}", item.title),
            _ => String::new(),
        };
        ImportError::Malformed(format!("{what}{item}, at byte {at}"))
    };
    loop {
        let event = match reader.read_event_into(&mut buffer) {
            Ok(event) => event,
            Err(error) => {
                let text = error.to_string();
                let what = if text.contains("end of input") || text.contains("unexpected end") {
                    format!("the file ends too soon; it is cut short ({text})")
                } else {
                    format!("not well-formed XML ({text})")
                };
                return Err(broken(&reader, &open, what));
            }
        };
        match event {
            Event::DocType(_) => {
                return Err(ImportError::Refused(
                    "the file declares a DTD (<!DOCTYPE>); an export never does, and DTDs are refused so that no \
                     entity is expanded or fetched"
                        .into(),
                ))
            }
            Event::Start(element) => {
                let name = String::from_utf8_lossy(element.name().as_ref()).into_owned();
                if !seen_root {
                    if name != "rss" {
                        return Err(ImportError::Malformed(format!(
                            "the file is a <{name}>, not a WordPress export (an <rss> with wp: elements)"
                        )));
                    }
                    seen_root = true;
                }
                if path.len() >= MAX_DEPTH {
                    return Err(broken(&reader, &open, "elements nest deeper than any export does".into()));
                }
                let parent = path.last().map(String::as_str).unwrap_or_default();
                match (parent, name.as_str()) {
                    ("channel", "item") => open = Open::Item(Box::default()),
                    ("channel", "wp:author") => open = Open::Author(Author::default()),
                    ("channel", "wp:category") => open = Open::Category(Category::default()),
                    ("channel", "wp:tag") => open = Open::Tag(Term { taxonomy: "post_tag".into(), ..Term::default() }),
                    ("channel", "wp:term") => open = Open::Term(Term::default()),
                    ("item", "category") => {
                        let attribute = |key: &[u8]| {
                            element
                                .try_get_attribute(key)
                                .ok()
                                .flatten()
                                .and_then(|a| {
                                    a.unescape_value()
                                        .ok()
                                        .map(|v| dateline_newsroom::text::without_control_characters(&v))
                                })
                                .unwrap_or_default()
                        };
                        term_attributes = (attribute(b"domain"), attribute(b"nicename"));
                    }
                    _ => {}
                }
                path.push(name);
                text.clear();
            }
            Event::Empty(element) => {
                // An empty element is a field with no text; only a category could matter, and
                // one without a name is nothing.
                let _ = element;
            }
            Event::Text(content) => {
                let decoded =
                    content.decode().map_err(|e| broken(&reader, &open, format!("text that is not UTF-8 ({e})")))?;
                text.push_str(&decoded);
            }
            Event::CData(content) => {
                text.push_str(&String::from_utf8_lossy(&content.into_inner()));
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = String::from_utf8_lossy(&reference).into_owned();
                        quick_xml::escape::resolve_xml_entity(&name)
                            .map(str::to_owned)
                            .ok_or_else(|| broken(&reader, &open, format!("the entity &{name}; is not XML's own")))?
                    }
                };
                text.push_str(&resolved);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let parent = path.last().map(String::as_str).unwrap_or_default();
                if text.len() > MAX_FIELD_BYTES {
                    return Err(broken(&reader, &open, format!("<{name}> holds more than {MAX_FIELD_BYTES} bytes")));
                }
                let mut value = std::mem::take(&mut text);
                // No field means a control character, and PostgreSQL refuses NUL in text.
                dateline_newsroom::text::strip_control_characters(&mut value);
                match (&mut open, parent, name.as_str()) {
                    (Open::None, "channel", "title") => site.title = value.trim().to_owned(),
                    (Open::None, "channel", "link") => site.link = value.trim().to_owned(),
                    (Open::None, "channel", "wp:base_site_url") => site.base_site_url = value.trim().to_owned(),
                    (Open::None, "channel", "wp:wxr_version") => {
                        let version = value.trim();
                        if !KNOWN_VERSIONS.contains(&version) {
                            return Err(ImportError::Refused(format!(
                                "the export is WXR version {version:?}; Dateline reads versions {} (what WordPress writes)",
                                KNOWN_VERSIONS.join(", ")
                            )));
                        }
                        site.version = version.to_owned();
                        each(Record::Site(site.clone()))?;
                    }
                    (Open::Author(author), "wp:author", field) => match field {
                        "wp:author_id" => author.id = value.trim().to_owned(),
                        "wp:author_login" => author.login = value.trim().to_owned(),
                        "wp:author_email" => author.email = value.trim().to_owned(),
                        "wp:author_display_name" => author.display_name = value.trim().to_owned(),
                        _ => {}
                    },
                    (Open::Category(category), "wp:category", field) => match field {
                        "wp:category_nicename" => category.nicename = value.trim().to_owned(),
                        "wp:category_parent" => category.parent = value.trim().to_owned(),
                        "wp:cat_name" => category.name = value.trim().to_owned(),
                        _ => {}
                    },
                    (Open::Tag(tag), "wp:tag", field) => match field {
                        "wp:tag_slug" => tag.slug = value.trim().to_owned(),
                        "wp:tag_name" => tag.name = value.trim().to_owned(),
                        _ => {}
                    },
                    (Open::Term(term), "wp:term", field) => match field {
                        "wp:term_taxonomy" => term.taxonomy = value.trim().to_owned(),
                        "wp:term_slug" => term.slug = value.trim().to_owned(),
                        "wp:term_name" => term.name = value.trim().to_owned(),
                        "wp:term_parent" => term.parent = value.trim().to_owned(),
                        _ => {}
                    },
                    (Open::Item(_), "wp:postmeta", "wp:meta_key") => meta_key = value.trim().to_owned(),
                    (Open::Item(item), "wp:postmeta", "wp:meta_value") => {
                        item.meta.push((std::mem::take(&mut meta_key), value));
                    }
                    (Open::Item(item), "item", field) => match field {
                        "title" => item.title = value.trim().to_owned(),
                        "link" => item.link = value.trim().to_owned(),
                        "guid" => item.guid = value.trim().to_owned(),
                        "dc:creator" => item.creator = value.trim().to_owned(),
                        "content:encoded" => item.content = value,
                        "excerpt:encoded" => item.excerpt = value,
                        "wp:post_id" => item.post_id = value.trim().to_owned(),
                        "wp:post_date_gmt" => item.post_date_gmt = value.trim().to_owned(),
                        "wp:post_modified_gmt" => item.post_modified_gmt = value.trim().to_owned(),
                        "wp:post_name" => item.post_name = value.trim().to_owned(),
                        "wp:status" => item.status = value.trim().to_owned(),
                        "wp:post_type" => item.post_type = value.trim().to_owned(),
                        "wp:post_parent" => item.post_parent = value.trim().to_owned(),
                        "wp:attachment_url" => item.attachment_url = value.trim().to_owned(),
                        "wp:comment" => item.comments += 1,
                        "category" => {
                            let (domain, nicename) = std::mem::take(&mut term_attributes);
                            item.terms.push((domain, nicename, value.trim().to_owned()));
                        }
                        _ => {}
                    },
                    _ => {}
                }
                if parent == "channel" {
                    let finished = std::mem::replace(&mut open, Open::None);
                    match (finished, name.as_str()) {
                        (Open::Item(item), "item") => {
                            if site.version.is_empty() {
                                return Err(ImportError::Refused(
                                    "the file has items before any wp:wxr_version; it is not a WordPress export".into(),
                                ));
                            }
                            each(Record::Item(item))?;
                        }
                        (Open::Author(author), "wp:author") => each(Record::Author(author))?,
                        (Open::Category(category), "wp:category") => each(Record::Category(category))?,
                        (Open::Tag(tag), "wp:tag") => each(Record::Tag(tag))?,
                        (Open::Term(term), "wp:term") => each(Record::Term(term))?,
                        (other, _) => open = other,
                    }
                }
            }
            Event::Eof => {
                if !path.is_empty() {
                    return Err(broken(
                        &reader,
                        &open,
                        format!(
                            "the file ends inside <{}>; it is cut short",
                            path.last().map(String::as_str).unwrap_or("?")
                        ),
                    ));
                }
                if !seen_root {
                    return Err(ImportError::Malformed("the file is empty".into()));
                }
                if site.version.is_empty() {
                    return Err(ImportError::Refused(
                        "the file has no wp:wxr_version; it is not a WordPress export".into(),
                    ));
                }
                return Ok(site);
            }
            _ => {}
        }
        buffer.clear();
    }
}
