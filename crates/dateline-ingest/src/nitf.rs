//! NITF (IPTC's News Industry Text Format) inside agency items: a whole `<nitf>` document as
//! a NinJS body (`text/vnd.IPTC.NITF`) or a NewsML-G2 `inlineXML`, or NITF's elements inside
//! an XHTML body.
//!
//! NITF puts the story's own fields in the body: `body.head` holds the headline (`hedline`
//! with `hl1` and `hl2`), the `byline`, the `dateline` and the `abstract`. They become the
//! story's headline, deck, byline and dateline, never paragraphs of the body. What remains
//! (`body.content`, `body.end`) is read as structure by [`crate::body::to_markdown`]: `block`
//! and `bq` as blocks, `hl2` as a subhead, tables as Markdown tables, `tagline` as the last
//! paragraph. `media` elements and HTML `figure`s (pictures the agency delivers on their own)
//! are left out, and the desk is told.

use crate::body::Markup;
use crate::Rejection;

/// The story's fields a NITF body carried in its head.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NitfHead {
    /// `hedline/hl1`.
    pub headline: Option<String>,
    /// `hedline/hl2`, else `abstract`: the deck.
    pub deck: Option<String>,
    /// The byline's text, its title (`byttl`) left out.
    pub byline: Option<String>,
    /// The `dateline` as written ("SEOUL, Nov. 29").
    pub dateline: Option<String>,
    /// The place of the dateline (`location`, its `city` first), for a dateline shaped by
    /// the paper's own rule.
    pub located: Option<String>,
    /// What was left out, for the desk.
    pub notes: Vec<String>,
}

/// Takes NITF's head fields out of `nodes` (wherever `body.head`, `hedline`, `byline`,
/// `dateline`, `abstract` or `media` appear) and returns them; `nodes` keeps only the body.
pub fn take_head(nodes: &mut Vec<Markup>) -> NitfHead {
    let mut head = NitfHead::default();
    let mut media = 0;
    take(nodes, &mut head, &mut media);
    if media > 0 {
        head.notes.push(format!(
            "the body held {media} picture{} or video{} (a media or figure element), left out with its caption: pictures come as their own items",
            if media == 1 { "" } else { "s" },
            if media == 1 { "" } else { "s" }
        ));
    }
    head
}

fn take(nodes: &mut Vec<Markup>, head: &mut NitfHead, media: &mut usize) {
    nodes.retain_mut(|node| {
        let Markup::Element { name, children, .. } = node else { return true };
        match name.as_str() {
            "hedline" => {
                for part in children.iter() {
                    if let Markup::Element { name, children, .. } = part {
                        let text = plain_text(children);
                        match name.as_str() {
                            "hl1" if head.headline.is_none() && !text.is_empty() => head.headline = Some(text),
                            "hl2" if head.deck.is_none() && !text.is_empty() => head.deck = Some(text),
                            _ => {}
                        }
                    }
                }
                false
            }
            "byline" => {
                let without_title: Vec<Markup> = children
                    .iter()
                    .filter(|c| !matches!(c, Markup::Element { name, .. } if name == "byttl"))
                    .cloned()
                    .collect();
                let text = plain_text(&without_title);
                if head.byline.is_none() && !text.is_empty() {
                    head.byline = Some(text);
                }
                false
            }
            "dateline" => {
                let text = plain_text(children);
                if head.dateline.is_none() && !text.is_empty() {
                    head.dateline = Some(text.trim_end_matches(['-', '—', '–', ' ']).to_owned());
                }
                if head.located.is_none() {
                    head.located = place_of(children);
                }
                false
            }
            "abstract" => {
                let text = plain_text(children);
                if !text.is_empty() {
                    // An hl2 is the deck; an abstract only when there is none.
                    head.deck.get_or_insert(text);
                }
                false
            }
            // A picture inside the body (NITF's media, HTML's figure): its image is not in the
            // copy, and its caption alone would read as a paragraph of the story.
            "media" | "figure" => {
                *media += 1;
                false
            }
            // The document's own head: metadata, never text.
            "head" | "docdata" | "pubdata" | "revision-history" | "distributor" => false,
            _ => {
                take(children, head, media);
                true
            }
        }
    });
}

/// The place a dateline names: its `location`'s `city`, else the location's text.
fn place_of(children: &[Markup]) -> Option<String> {
    for child in children {
        if let Markup::Element { name, children, .. } = child {
            if name == "location" {
                let city = children.iter().find_map(|c| match c {
                    Markup::Element { name, children, .. } if name == "city" => Some(plain_text(children)),
                    _ => None,
                });
                let place = city.filter(|c| !c.is_empty()).unwrap_or_else(|| plain_text(children));
                return (!place.is_empty()).then_some(place);
            }
            if let Some(place) = place_of(children) {
                return Some(place);
            }
        }
    }
    None
}

/// The text of some markup, whitespace squeezed.
pub(crate) fn plain_text(nodes: &[Markup]) -> String {
    fn collect(nodes: &[Markup], out: &mut String) {
        for node in nodes {
            match node {
                Markup::Text(text) => out.push_str(text),
                Markup::Element { children, .. } => {
                    out.push(' ');
                    collect(children, out);
                    out.push(' ');
                }
            }
        }
    }
    let mut out = String::new();
    collect(nodes, &mut out);
    let squeezed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // An element's edge is not a word's edge before punctuation: "SEOUL , Nov. 29" reads "SEOUL, Nov. 29".
    squeezed.replace(" ,", ",").replace(" .", ".").replace("( ", "(").replace(" )", ")")
}

/// Whether a content type names NITF.
pub fn is_nitf_type(content_type: &str) -> bool {
    content_type.to_ascii_lowercase().contains("nitf")
}

/// Parses a NITF (or any XML) document given as text into [`Markup`]. A document type
/// declaration without an internal subset (NITF's usual `<!DOCTYPE nitf PUBLIC …>`) is
/// skipped unread; one with an internal subset, where entities could be declared, refuses it.
pub fn parse_xml(text: &str, field: &str) -> Result<Vec<Markup>, Rejection> {
    let text = text.trim_start_matches('\u{feff}');
    let without_doctype = match text.find("<!DOCTYPE") {
        Some(start) => {
            let end = text[start..].find('>').map(|e| start + e + 1).unwrap_or(text.len());
            if text[start..end].contains('[') {
                return Err(Rejection::malformed(format!(
                    "{field} declares entities in its DOCTYPE; they are never read"
                )));
            }
            format!("{}{}", &text[..start], &text[end..])
        }
        None => text.to_owned(),
    };
    crate::shape::check(&without_doctype, crate::shape::Dialect::Xml, crate::body::MAX_MARKUP_DEPTH, field)?;
    let options = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: 200_000 };
    let document = roxmltree::Document::parse_with_options(&without_doctype, options)
        .map_err(|error| Rejection::malformed(format!("{field} is not well-formed XML: {error}")))?;
    Ok(crate::body::markup_of_xml(document.root_element(), 0)?.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_comes_out_of_the_body_and_the_paragraphs_stay() {
        let mut nodes = parse_xml(
            r#"<!DOCTYPE nitf PUBLIC "-//IPTC//DTD NITF 3.6//EN" "nitf-3-6.dtd"><nitf><head><title>T</title></head><body>
            <body.head><hedline><hl1>Ferries sail again</hl1><hl2>The port reopens</hl2></hedline>
            <byline>By <person>Kim Ji-won</person> <byttl>Staff reporter</byttl></byline>
            <dateline><location><city>MOKPO</city></location>, <story.date>Nov. 29</story.date></dateline>
            <abstract><p>A short summary.</p></abstract></body.head>
            <body.content><p>One.</p><media media-type="image"><media-reference source="a.jpg"/></media><p>Two.</p></body.content>
            </body></nitf>"#,
            "the body",
        )
        .expect("NITF");
        let head = take_head(&mut nodes);
        assert_eq!(head.headline.as_deref(), Some("Ferries sail again"));
        assert_eq!(head.deck.as_deref(), Some("The port reopens"), "hl2 before the abstract");
        assert_eq!(head.byline.as_deref(), Some("By Kim Ji-won"));
        assert_eq!(head.dateline.as_deref(), Some("MOKPO, Nov. 29"));
        assert_eq!(head.located.as_deref(), Some("MOKPO"));
        assert_eq!(head.notes.len(), 1, "{:?}", head.notes);
        assert_eq!(crate::body::to_markdown(&nodes), "One.\n\nTwo.");
    }

    #[test]
    fn entities_declared_in_a_doctype_refuse_the_body() {
        let error = parse_xml(r#"<!DOCTYPE nitf [<!ENTITY a "b">]><nitf/>"#, "the body").expect_err("entities");
        assert!(error.reason.contains("entities"), "{error}");
    }
}
