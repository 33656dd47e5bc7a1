//! A WordPress post's body into the Markdown the desk edits.
//!
//! Both editors are read: the block editor's HTML (its `<!-- wp:… -->` comments only frame
//! ordinary HTML, and are dropped) and the classic editor's text, whose paragraphs are blank
//! lines (`wpautop`). The common shortcodes are carried: `[caption]` becomes the photo's
//! caption, `[embed]` a link; others (`[gallery]`, a plugin's own) are kept as text and
//! reported. Images become library photos, placed where they stood; an iframe becomes a link
//! when its host is one the operator listed, and is reported otherwise. Whatever could run in
//! a browser (a script, an event handler, a `javascript:` link) is removed and reported:
//! never carried, never silently dropped.

use dateline_ingest::body::{parse_html, to_markdown, Markup};

/// An image of the body, to be taken into the library and put back at `marker`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyImage {
    /// A word in the Markdown (its own paragraph) that the image replaces.
    pub marker: String,
    pub src: String,
    pub alt: String,
    pub caption: String,
}

/// A body converted, with what it holds that needs more work or could not be carried.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConvertedBody {
    pub markdown: String,
    pub images: Vec<BodyImage>,
    /// One sentence per thing not carried as it was.
    pub lost: Vec<String>,
}

/// Hosts whose players an iframe may point at and still be carried (as a link).
pub const DEFAULT_EMBED_HOSTS: [&str; 6] = [
    "www.youtube.com",
    "youtube.com",
    "www.youtube-nocookie.com",
    "player.vimeo.com",
    "vimeo.com",
    "www.dailymotion.com",
];

const FORBIDDEN: [&str; 7] = ["script", "iframe", "object", "embed", "frame", "frameset", "applet"];

pub fn convert(content: &str, embed_hosts: &[String]) -> ConvertedBody {
    let mut lost = Vec::new();
    // Whether the author wrote paragraphs as HTML is a question about what they wrote, not
    // about what the shortcodes expand to.
    let html_paragraphs = looks_like_html_paragraphs(content);
    let html = shortcodes(content, &mut lost);
    let html = if html_paragraphs { html } else { autop(&html) };
    let nodes = match parse_html(&html, "the body") {
        Ok(nodes) => nodes,
        Err(rejection) => {
            lost.push(format!("the body could not be read as HTML ({rejection}); it is kept as plain text"));
            return ConvertedBody {
                markdown: dateline_ingest::body::text_to_markdown(&strip_tags(content)),
                images: Vec::new(),
                lost,
            };
        }
    };
    let mut images = Vec::new();
    let nodes = clean(nodes, embed_hosts, &mut images, &mut lost);
    ConvertedBody { markdown: to_markdown(&nodes), images, lost }
}

/// Whether the text already has its paragraphs as HTML (the block editor, or a classic post
/// written in the HTML tab).
fn looks_like_html_paragraphs(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.contains("<!-- wp:") || lower.contains("<p>") || lower.contains("<p ")
}

/// WordPress's `wpautop`, in short: a blank line ends a paragraph, a single line break is a
/// `<br>`, and a block element keeps its own lines.
fn autop(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(str::trim)
        .filter(|chunk| !chunk.is_empty())
        .map(|chunk| {
            let lower = chunk.to_ascii_lowercase();
            let block =
                ["<h", "<ul", "<ol", "<blockquote", "<figure", "<table", "<div", "<pre", "<hr", "<iframe", "<script"]
                    .iter()
                    .any(|tag| lower.starts_with(tag));
            if block {
                chunk.to_owned()
            } else {
                format!("<p>{}</p>", chunk.replace('\n', "<br>\n"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// One shortcode as written: `[name attributes]` and, for an enclosing one, its content.
struct Shortcode<'a> {
    name: &'a str,
    attributes: &'a str,
    content: Option<&'a str>,
    /// The whole shortcode as written, from `[` to its end.
    whole: &'a str,
}

/// The first shortcode in `text` at or after `from`: its start and itself.
fn next_shortcode(text: &str, from: usize) -> Option<(usize, Shortcode<'_>)> {
    let mut at = from;
    while let Some(offset) = text[at..].find('[') {
        let start = at + offset;
        let rest = &text[start + 1..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let after_name = &rest[name_len..];
        if name.is_empty()
            || !name.starts_with(|c: char| c.is_ascii_lowercase())
            || !(after_name.starts_with(']') || after_name.starts_with(' '))
        {
            at = start + 1;
            continue;
        }
        let Some(close) = after_name.find(']') else {
            at = start + 1;
            continue;
        };
        let attributes = after_name[..close].trim().trim_end_matches('/').trim();
        let open_end = start + 1 + name_len + close + 1;
        let closing = format!("[/{name}]");
        let (content, end) = match text[open_end..].find(&closing) {
            Some(offset) => (Some(&text[open_end..open_end + offset]), open_end + offset + closing.len()),
            None => (None, open_end),
        };
        return Some((start, Shortcode { name, attributes, content, whole: &text[start..end] }));
    }
    None
}

/// An attribute's value in a shortcode's attributes (`ids="1,2"`, `width=300`).
fn attribute<'a>(attributes: &'a str, key: &str) -> Option<&'a str> {
    let at = attributes.find(&format!("{key}="))?;
    let value = &attributes[at + key.len() + 1..];
    if let Some(quoted) = value.strip_prefix('"') {
        quoted.split('"').next()
    } else if let Some(quoted) = value.strip_prefix('\'') {
        quoted.split('\'').next()
    } else {
        value.split_whitespace().next()
    }
}

/// Carries the shortcodes Dateline knows, keeps the others as text, and reports both kinds
/// that are not carried whole.
fn shortcodes(content: &str, lost: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(content.len());
    let mut at = 0;
    while let Some((start, code)) = next_shortcode(content, at) {
        out.push_str(&content[at..start]);
        let end = start + code.whole.len();
        match (code.name, code.content) {
            ("caption" | "wp_caption", Some(inner)) => {
                // `[caption]<img …> The caption text[/caption]`: a figure with its caption.
                let (image, caption) = match inner.rfind('>') {
                    Some(end_of_image) => (&inner[..=end_of_image], inner[end_of_image + 1..].trim()),
                    None => ("", inner.trim()),
                };
                out.push_str(&format!("<figure>{image}<figcaption>{caption}</figcaption></figure>"));
            }
            ("embed", Some(url)) => {
                let url = url.trim();
                out.push_str(&format!("<p><a href=\"{url}\">{url}</a></p>"));
            }
            ("gallery", _) => {
                let ids = attribute(code.attributes, "ids").unwrap_or("its attached photos");
                lost.push(format!("a gallery ({ids}) is not carried as a gallery; its photos are in the library"));
            }
            (name, _) => {
                lost.push(format!("the shortcode [{name}] is not one Dateline knows; it is kept as text"));
                out.push_str(code.whole);
            }
        }
        at = end;
    }
    out.push_str(&content[at..]);
    out
}

fn attribute_of<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, rest)| rest).or_else(|| url.strip_prefix("//"))?;
    Some(rest.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase())
}

fn text_of(nodes: &[Markup]) -> String {
    nodes
        .iter()
        .map(|node| match node {
            Markup::Text(text) => text.clone(),
            Markup::Element { children, .. } => text_of(children),
        })
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A paragraph holding only a marker word, where an image or an embed goes.
fn marker_paragraph(marker: String) -> Markup {
    Markup::Element { name: "p".into(), attributes: Vec::new(), children: vec![Markup::Text(marker)] }
}

fn clean(
    nodes: Vec<Markup>,
    embed_hosts: &[String],
    images: &mut Vec<BodyImage>,
    lost: &mut Vec<String>,
) -> Vec<Markup> {
    let mut out = Vec::with_capacity(nodes.len());
    for node in nodes {
        let Markup::Element { name, attributes, children } = node else {
            out.push(node);
            continue;
        };
        match name.as_str() {
            "img" => {
                out.extend(image(&attributes, String::new(), images, lost));
            }
            "figure" => {
                // A figure with an image and its caption (the block editor's wp:image, or a
                // [caption]): one photo with that caption.
                let caption = children
                    .iter()
                    .find_map(|child| match child {
                        Markup::Element { name, children, .. } if name == "figcaption" => Some(text_of(children)),
                        _ => None,
                    })
                    .unwrap_or_default();
                let mut found_image = false;
                let mut rest = Vec::new();
                for child in children {
                    match child {
                        Markup::Element { name, .. } if name == "figcaption" => {}
                        Markup::Element { ref name, ref attributes, .. } if name == "img" && !found_image => {
                            found_image = true;
                            out.extend(image(attributes, caption.clone(), images, lost));
                        }
                        Markup::Element { name, attributes, children }
                            if !found_image && first_image(&children).is_some() =>
                        {
                            // `<figure><a href><img></a></figure>`: the image is what matters.
                            if let Some(inner) = first_image(&children) {
                                found_image = true;
                                out.extend(image(inner, caption.clone(), images, lost));
                            }
                            let _ = (name, attributes);
                        }
                        other => rest.push(other),
                    }
                }
                if !found_image && !caption.is_empty() {
                    rest.push(Markup::Element {
                        name: "p".into(),
                        attributes: Vec::new(),
                        children: vec![Markup::Text(caption)],
                    });
                }
                out.extend(clean(rest, embed_hosts, images, lost));
            }
            "iframe" => {
                let src = attribute_of(&attributes, "src").unwrap_or_default().to_owned();
                match host_of(&src) {
                    Some(host) if embed_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)) => {
                        out.push(Markup::Element {
                            name: "p".into(),
                            attributes: Vec::new(),
                            children: vec![Markup::Element {
                                name: "a".into(),
                                attributes: vec![("href".into(), src.clone())],
                                children: vec![Markup::Text(format!("Watch on {host}"))],
                            }],
                        });
                    }
                    host => lost.push(format!(
                        "an embedded frame from {} is not carried (not among the hosts allowed to embed)",
                        host.unwrap_or_else(|| "an unknown address".into())
                    )),
                }
            }
            forbidden if FORBIDDEN.contains(&forbidden) => {
                lost.push(format!("a <{forbidden}> element is not carried: it could run in a reader's browser"));
            }
            _ => {
                let mut kept = Vec::with_capacity(attributes.len());
                for (key, value) in attributes {
                    if key.starts_with("on") {
                        lost.push(format!("the event handler {key} on a <{name}> is not carried"));
                    } else if key == "href"
                        && !["http://", "https://", "mailto:", "/", "#"]
                            .iter()
                            .any(|scheme| value.trim_start().to_ascii_lowercase().starts_with(scheme))
                    {
                        lost.push(format!(
                            "a link to {:?} is not carried (only web and mail addresses are)",
                            value.chars().take(40).collect::<String>()
                        ));
                    } else {
                        kept.push((key, value));
                    }
                }
                let children = clean(children, embed_hosts, images, lost);
                // A web address alone on its line is what WordPress embeds (oEmbed): a link.
                if let (true, [Markup::Text(text)]) = (matches!(name.as_str(), "p" | "div"), children.as_slice()) {
                    let address = text.trim();
                    let lower = address.to_ascii_lowercase();
                    if (lower.starts_with("https://") || lower.starts_with("http://"))
                        && !address.contains(char::is_whitespace)
                    {
                        out.push(Markup::Element {
                            name: "p".into(),
                            attributes: Vec::new(),
                            children: vec![Markup::Element {
                                name: "a".into(),
                                attributes: vec![("href".into(), address.to_owned())],
                                children: vec![Markup::Text(address.to_owned())],
                            }],
                        });
                        continue;
                    }
                }
                out.push(Markup::Element { name, attributes: kept, children });
            }
        }
    }
    out
}

fn first_image(nodes: &[Markup]) -> Option<&[(String, String)]> {
    nodes.iter().find_map(|node| match node {
        Markup::Element { name, attributes, .. } if name == "img" => Some(attributes.as_slice()),
        Markup::Element { children, .. } => first_image(children),
        Markup::Text(_) => None,
    })
}

/// A marker paragraph for an image, and the image noted for the library.
fn image(
    attributes: &[(String, String)],
    caption: String,
    images: &mut Vec<BodyImage>,
    lost: &mut Vec<String>,
) -> Option<Markup> {
    let src = attribute_of(attributes, "src").unwrap_or_default().trim().to_owned();
    if src.is_empty() || src.to_ascii_lowercase().starts_with("data:") {
        lost.push("an image with no address (or an inline data: image) is not carried".into());
        return None;
    }
    let marker = format!("DATELINEIMAGE{}MARK", images.len());
    images.push(BodyImage {
        marker: marker.clone(),
        src,
        alt: attribute_of(attributes, "alt").unwrap_or_default().trim().to_owned(),
        caption,
    });
    Some(marker_paragraph(marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> Vec<String> {
        DEFAULT_EMBED_HOSTS.iter().map(|h| (*h).to_owned()).collect()
    }

    #[test]
    fn the_block_editor_s_blocks_become_paragraphs_headings_quotes_lists_and_photos() {
        let body = convert(
            "<!-- wp:paragraph -->\n<p>The council met on <strong>Monday</strong>.</p>\n<!-- /wp:paragraph -->\n\
             <!-- wp:heading -->\n<h2>What was decided</h2>\n<!-- /wp:heading -->\n\
             <!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><p>We will build it.</p></blockquote>\n<!-- /wp:quote -->\n\
             <!-- wp:list -->\n<ul><li>A bridge</li><li>A school</li></ul>\n<!-- /wp:list -->\n\
             <!-- wp:image {\"id\":41} -->\n<figure class=\"wp-block-image\"><img src=\"https://old.example/wp-content/uploads/2019/05/bridge.jpg\" alt=\"The old bridge\"/><figcaption>The bridge in May.</figcaption></figure>\n<!-- /wp:image -->",
            &hosts(),
        );
        assert_eq!(
            body.markdown,
            "The council met on **Monday**.\n\n## What was decided\n\n> We will build it.\n\n- A bridge\n\n- A school\n\nDATELINEIMAGE0MARK"
        );
        assert_eq!(body.images[0].alt, "The old bridge");
        assert_eq!(body.images[0].caption, "The bridge in May.");
        assert!(body.lost.is_empty(), "{:?}", body.lost);
    }

    #[test]
    fn classic_text_and_its_shortcodes_are_carried_or_reported() {
        let body = convert(
            "The ferry ran late.\nIt docked at noon.\n\n[caption id=\"attachment_7\" width=\"300\"]<img src=\"/wp-content/uploads/ferry.jpg\" alt=\"Ferry\"> The ferry at the pier.[/caption]\n\n\
             [embed]https://www.youtube.com/watch?v=abc[/embed]\n\n[gallery ids=\"7,8\"]\n\n[pullquote]Words[/pullquote] stay.",
            &hosts(),
        );
        assert!(body.markdown.starts_with("The ferry ran late.\\\nIt docked at noon."), "{}", body.markdown);
        assert_eq!(body.images[0].caption, "The ferry at the pier.");
        assert!(
            body.markdown.contains("[https://www.youtube.com/watch?v=abc](https://www.youtube.com/watch?v=abc)"),
            "{}",
            body.markdown
        );
        assert!(
            body.markdown.contains("\\[pullquote\\]Words\\[/pullquote\\] stay.")
                || body.markdown.contains("[pullquote]Words[/pullquote] stay."),
            "{}",
            body.markdown
        );
        assert_eq!(body.lost.len(), 2, "{:?}", body.lost);
        assert!(body.lost[0].contains("gallery (7,8)"));
        assert!(body.lost[1].contains("[pullquote]"));
    }

    #[test]
    fn what_could_run_in_a_browser_is_removed_and_reported() {
        let body = convert(
            "<p onclick=\"steal()\">Hello <a href=\"javascript:alert(1)\">there</a>.</p><script>alert(2)</script>\
             <iframe src=\"https://ads.example/frame\"></iframe><iframe src=\"https://player.vimeo.com/video/5\"></iframe>",
            &hosts(),
        );
        assert_eq!(body.markdown, "Hello there.\n\n[Watch on player.vimeo.com](https://player.vimeo.com/video/5)");
        assert_eq!(body.lost.len(), 4, "{:?}", body.lost);
        assert!(body.lost.iter().any(|l| l.contains("onclick")));
        assert!(body.lost.iter().any(|l| l.contains("<script>")));
        assert!(body.lost.iter().any(|l| l.contains("ads.example")));
        assert!(body.lost.iter().any(|l| l.contains("javascript")));
    }
}
