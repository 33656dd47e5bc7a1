//! IPTC NewsML-G2 news items (XML).
//!
//! A document is one `newsItem`, or a `newsMessage` whose `itemSet` holds several: then the
//! first text item is the story and the picture items are its photos (an agency's usual way
//! of sending a story with its pictures). Text comes from `contentSet/inlineXML` (XHTML) or
//! `inlineData`; a picture's bytes from `remoteContent/@href` (or `@residref`), a file beside
//! the item or a part of the same request, or a remote address.
//!
//! No DTD is read: a `<!DOCTYPE>` refuses the document, so an entity can neither expand (the
//! "billion laughs") nor reach outside (an external entity). NewsML-G2 needs no DTD.

use crate::body::{
    check_safe, foreign_elements, foreign_markup_note, text_to_markdown, to_markdown, Markup, MAX_MARKUP_DEPTH,
};
use crate::nitf;
use crate::shape::{self, Dialect};
use crate::{byline_names, excerpt, read_instant, PersonRole, Rejection, WireCopy, WireKind, WirePhoto, WireStatus};
use roxmltree::{Document, Node, ParsingOptions};

/// More elements than a news item could need: a document past it is refused, not parsed on.
const MAX_NODES: u32 = 200_000;

/// How deep the whole document may nest: the item's own structure is about ten levels and its
/// body at most [`MAX_MARKUP_DEPTH`]. roxmltree's tokenizer recurses once per level, so a
/// deeper document is refused by [`shape::check`] before roxmltree sees it.
const MAX_DOCUMENT_DEPTH: usize = MAX_MARKUP_DEPTH + 50;

pub fn read(text: &str) -> Result<WireCopy, Rejection> {
    shape::check(text, Dialect::Xml, MAX_DOCUMENT_DEPTH, "the document")?;
    let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES };
    let document = Document::parse_with_options(text, options).map_err(|error| match error {
        roxmltree::Error::DtdDetected => Rejection::malformed(
            "the document declares a DTD (<!DOCTYPE>); DTDs are refused, so no entity is expanded or fetched",
        ),
        roxmltree::Error::NodesLimitReached => {
            Rejection::malformed("the document has too many elements to be a news item")
        }
        roxmltree::Error::UnexpectedEndOfStream => {
            Rejection::malformed("the XML ends too soon; the document is cut short")
        }
        other => Rejection::malformed(format!("not well-formed XML: {other}")),
    })?;
    let root = document.root_element();
    match root.tag_name().name() {
        "newsItem" => {
            let (copy, _) = read_news_item(root)?;
            Ok(copy)
        }
        "newsMessage" => read_news_message(root),
        "packageItem" => {
            Err(Rejection::declined("a NewsML-G2 packageItem is not read; send its newsItems in a newsMessage"))
        }
        "planningItem" | "conceptItem" | "knowledgeItem" => Err(Rejection::declined(format!(
            "a NewsML-G2 {} is not something Dateline publishes",
            root.tag_name().name()
        ))),
        other => Err(Rejection::malformed(format!(
            "the document is a <{}>, not a NewsML-G2 newsItem or newsMessage",
            excerpt(other)
        ))),
    }
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// An element's text, whitespace squeezed.
fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn qcode_suffix(node: Option<Node<'_, '_>>) -> Option<String> {
    let qcode = node?.attribute("qcode")?;
    Some(qcode.rsplit(':').next().unwrap_or(qcode).to_ascii_lowercase())
}

fn role_of(node: Node<'_, '_>) -> String {
    node.attribute("role").map(|r| r.rsplit(':').next().unwrap_or(r).to_ascii_lowercase()).unwrap_or_default()
}

fn read_news_message(root: Node<'_, '_>) -> Result<WireCopy, Rejection> {
    let items: Vec<Node<'_, '_>> =
        child(root, "itemSet").map(|set| children(set, "newsItem").collect()).unwrap_or_default();
    if items.is_empty() {
        return Err(Rejection::malformed("the newsMessage has no newsItem in its itemSet"));
    }
    let mut read = Vec::new();
    for item in items {
        read.push(read_news_item(item)?);
    }
    let story = read.iter().position(|(copy, _)| copy.kind == WireKind::Text).unwrap_or(0);
    let (mut copy, _) = read.remove(story);
    if copy.kind == WireKind::Text {
        for (picture, _) in read {
            if picture.kind == WireKind::Picture {
                copy.photos.extend(picture.photos);
            }
        }
    }
    Ok(copy)
}

/// Reads one newsItem; also returns its item class for a message's sorting.
fn read_news_item(item: Node<'_, '_>) -> Result<(WireCopy, String), Rejection> {
    let guid = item
        .attribute("guid")
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .ok_or_else(|| Rejection::malformed("the newsItem has no guid attribute"))?
        .to_owned();
    let version = match item.attribute("version") {
        Some(v) => v.trim().parse::<i64>().map_err(|_| {
            Rejection::malformed(format!("the newsItem's version \"{}\" is not a whole number", excerpt(v)))
        })?,
        None => 1,
    };
    let item_meta = child(item, "itemMeta").ok_or_else(|| Rejection::malformed("the newsItem has no itemMeta"))?;
    let class = qcode_suffix(child(item_meta, "itemClass")).unwrap_or_else(|| "text".into());
    let kind = match class.as_str() {
        "text" | "composite" => WireKind::Text,
        "picture" | "graphic" => WireKind::Picture,
        other => {
            return Err(Rejection::declined(format!(
                "a NewsML-G2 item of class ninat:{} is not something Dateline publishes",
                excerpt(other)
            )))
        }
    };
    let status = match qcode_suffix(child(item_meta, "pubStatus")).as_deref().unwrap_or("usable") {
        "usable" => WireStatus::Usable,
        "withheld" => WireStatus::Withheld,
        "canceled" | "cancelled" => WireStatus::Canceled,
        other => {
            return Err(Rejection::declined(format!("pubStatus stat:{} is not one Dateline knows", excerpt(other))))
        }
    };
    let version_created =
        child(item_meta, "versionCreated").map(|n| read_instant(&text_of(n), "versionCreated")).transpose()?;
    let embargo_until = child(item_meta, "embargoed").map(|n| read_instant(&text_of(n), "embargoed")).transpose()?;

    let content_meta = child(item, "contentMeta");
    let meta_text = |name: &str| content_meta.and_then(|m| child(m, name)).map(text_of).filter(|t| !t.is_empty());
    let headlines: Vec<Node<'_, '_>> = content_meta.map(|m| children(m, "headline").collect()).unwrap_or_default();
    let mut headline =
        headlines.iter().find(|h| !role_of(**h).contains("sub")).map(|h| text_of(*h)).unwrap_or_default();
    let descriptions: Vec<Node<'_, '_>> =
        content_meta.map(|m| children(m, "description").collect()).unwrap_or_default();
    let description = |roles: &[&str]| {
        descriptions
            .iter()
            .find(|d| roles.contains(&role_of(**d).as_str()))
            .map(|d| text_of(*d))
            .filter(|t| !t.is_empty())
    };
    let mut deck = headlines
        .iter()
        .find(|h| role_of(**h).contains("sub"))
        .map(|h| text_of(*h))
        .or_else(|| description(&["summary", "abstract"]));
    let mut byline = meta_text("by");
    let (mut writers, mut photographers) = (Vec::new(), Vec::new());
    for person in content_meta
        .map(|m| children(m, "creator").chain(children(m, "contributor")).collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let name = child(person, "name").map(text_of).filter(|n| !n.is_empty()).or_else(|| {
            person
                .attribute("literal")
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|l| !l.is_empty())
        });
        let Some(name) = name else { continue };
        // A contributor without a role helped; only a creator without one wrote the item.
        let role =
            person.attribute("role").unwrap_or(if person.tag_name().name() == "creator" { "" } else { "contributor" });
        match PersonRole::of(role) {
            PersonRole::Writer => writers.push(name),
            PersonRole::Photographer => photographers.push(name),
            PersonRole::Other => {}
        }
    }
    let mut located = content_meta
        .and_then(|m| child(m, "located"))
        .and_then(|l| child(l, "name"))
        .map(text_of)
        .filter(|t| !t.is_empty());
    let mut written_dateline = meta_text("dateline");
    let mut subjects: Vec<String> = content_meta
        .map(|m| {
            children(m, "subject")
                .filter_map(|s| child(s, "name").map(text_of))
                .chain(children(m, "keyword").map(text_of))
                .filter(|t| !t.is_empty())
                .collect()
        })
        .unwrap_or_default();
    subjects.dedup();

    let content_set = child(item, "contentSet");
    let mut body = String::new();
    let mut photos = Vec::new();
    let mut notes = Vec::new();
    if let Some(set) = content_set {
        if let Some(inline) = child(set, "inlineXML") {
            let mut markup: Vec<Markup> = Vec::new();
            for node in inline.children() {
                markup.extend(crate::body::markup_of_xml(node, 0)?);
            }
            check_safe(&markup, "the body")?;
            let head = nitf::take_head(&mut markup);
            notes.extend(foreign_markup_note("the body", &foreign_elements(&markup)));
            notes.extend(head.notes);
            // The item's own metadata wins; NITF's head fills what it leaves empty.
            if headline.is_empty() {
                headline = head.headline.unwrap_or_default();
            }
            deck = deck.or(head.deck);
            byline = byline.or(head.byline);
            located = located.or(head.located);
            written_dateline = written_dateline.or(head.dateline);
            body = to_markdown(&markup);
        } else if let Some(data) = child(set, "inlineData") {
            body = text_to_markdown(data.text().unwrap_or_default());
        }
        if kind == WireKind::Picture {
            let renditions: Vec<Node<'_, '_>> = children(set, "remoteContent").collect();
            let preferred = renditions
                .iter()
                .find(|r| r.attribute("rendition").is_some_and(|n| n.to_ascii_lowercase().contains("highres")))
                .or_else(|| renditions.first());
            if let Some(rendition) = preferred {
                let reference =
                    rendition.attribute("href").or_else(|| rendition.attribute("residref")).unwrap_or_default();
                if !reference.trim().is_empty() {
                    photos.push(WirePhoto {
                        reference: reference.trim().to_owned(),
                        caption: description(&["caption", "summary"]).unwrap_or_default(),
                        credit: meta_text("creditline").unwrap_or_default(),
                        photographer: photographers
                            .first()
                            .or(writers.first())
                            .cloned()
                            .or_else(|| byline.clone())
                            .unwrap_or_default(),
                        mime_type: rendition.attribute("contenttype").map(str::to_owned),
                    });
                }
            }
            if photos.is_empty() {
                return Err(Rejection::declined(
                    "the picture item has no remoteContent with an href to take the photo from",
                ));
            }
        }
    }
    let copy = crate::complete(WireCopy {
        guid,
        version,
        version_created,
        status,
        kind,
        embargo_until,
        headline,
        deck,
        body,
        // Named writers are the byline; the free-text `by` only when none is named.
        byline_names: if writers.is_empty() {
            byline.as_deref().map(byline_names).unwrap_or_default()
        } else {
            writers
        },
        located,
        written_dateline,
        subjects,
        photos,
        notes,
    })?;
    Ok((copy, class))
}
