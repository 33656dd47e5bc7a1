//! Article bodies: Markdown in, safe HTML out. Whatever the source holds (script tags, event
//! handlers, `javascript:` links), only the allow-listed tags and attributes survive.
//!
//! A library photo placed in a body (`![what it shows](photo:123)`, a paragraph of its own)
//! leaves the sanitizer as a mark, and [`place_body_photos`] turns each mark into a figure
//! drawn from the library's record of the photo (its copies, size, caption and credit), so
//! the sanitizer never has to let `<picture>` or `srcset` through from a writer's text.

use crate::views::ImageView;
use dateline_newsroom::body::PHOTO_SCHEME;
use dateline_newsroom::MediaId;
use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// Around a placed photo's mark: `\u{E000}123\u{E001}alt text\u{E000}`. Private-use
/// characters no writer's text keeps (they are taken out of the source first).
const PHOTO_MARK: char = '\u{E000}';
const ALT_MARK: char = '\u{E001}';

/// The events of a body with each placed photo made a mark (a photo placed inside a
/// sentence reads as its description: a figure cannot sit in a line of text).
fn mark_photos<'a>(events: Vec<Event<'a>>) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut index = 0;
    while index < events.len() {
        let photo_id = match &events[index] {
            Event::Start(Tag::Image { dest_url, .. }) => {
                dest_url.strip_prefix(PHOTO_SCHEME).and_then(|id| id.parse::<i64>().ok())
            }
            _ => None,
        };
        let Some(id) = photo_id else {
            out.push(events[index].clone());
            index += 1;
            continue;
        };
        let mut alt = String::new();
        let mut end = index + 1;
        while end < events.len() && !matches!(events[end], Event::End(TagEnd::Image)) {
            if let Event::Text(text) | Event::Code(text) = &events[end] {
                alt.push_str(text);
            }
            end += 1;
        }
        let alone = matches!(out.last(), Some(Event::Start(Tag::Paragraph)))
            && matches!(events.get(end + 1), Some(Event::End(TagEnd::Paragraph)));
        if alone {
            out.push(Event::Text(format!("{PHOTO_MARK}{id}{ALT_MARK}{alt}{PHOTO_MARK}").into()));
        } else {
            out.push(Event::Text(alt.into()));
        }
        index = end + 1;
    }
    out
}

/// Renders Markdown to HTML and sanitizes the result.
pub fn render_markdown(source: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    // A body nested past the newsroom's limit (saved before the limit, or arrived another way)
    // is flattened first: the parser's time grows with the square of nesting.
    let source = dateline_newsroom::body::flatten_nesting(source, dateline_newsroom::body::MAX_BODY_NESTING);
    let source: std::borrow::Cow<'_, str> = if source.contains([PHOTO_MARK, ALT_MARK]) {
        source.replace([PHOTO_MARK, ALT_MARK], "").into()
    } else {
        source
    };
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    let events: Vec<Event<'_>> = Parser::new_ext(&source, options).collect();
    html::push_html(&mut unsafe_html, mark_photos(events).into_iter());
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

/// The sizes a body photo is drawn at: the text column's width.
const BODY_PHOTO_SIZES: &str = "(min-width: 60em) 42rem, 100vw";

/// A placed photo as a figure: a `<picture>` with the photo's copies, its size (so nothing
/// moves as it loads), the writer's description as its alt text (the library's when the
/// writer gave none), and the library's caption with the credit.
fn body_figure(image: &ImageView, escaped_alt: &str) -> String {
    // The mark's alt text left the sanitizer escaped for text; unescape it once so the
    // attribute is escaped exactly once.
    let alt = escaped_alt.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    let alt = if alt.trim().is_empty() { image.alt.clone() } else { alt };
    let mut html = String::from("<figure class=\"story__figure story__figure--body\"><picture>");
    for source in &image.sources {
        html.push_str(&format!(
            "<source type=\"{}\" srcset=\"{}\" sizes=\"{BODY_PHOTO_SIZES}\">",
            source.mime_type,
            crate::theme::escape_html(&source.srcset)
        ));
    }
    html.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{BODY_PHOTO_SIZES}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\"></picture>",
        crate::theme::escape_html(&image.src),
        crate::theme::escape_html(&image.srcset),
        image.width,
        image.height,
        crate::theme::escape_html(&alt)
    ));
    if !image.caption.is_empty() || image.credentials_note.is_some() {
        html.push_str(&format!("<figcaption>{}", crate::theme::escape_html(&image.caption)));
        if let Some(note) = &image.credentials_note {
            html.push_str(&format!(
                " <small class=\"content-credentials\">{}</small>",
                crate::theme::escape_html(note)
            ));
        }
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>");
    html
}

/// Draws each photo a rendered body places, with `image` giving the library's view of a
/// photo; a photo the library no longer has leaves nothing behind.
pub fn place_body_photos(body_html: &str, image: impl Fn(MediaId) -> Option<ImageView>) -> String {
    if !body_html.contains(PHOTO_MARK) {
        return body_html.to_owned();
    }
    let mut out = String::with_capacity(body_html.len() + 1_024);
    let mut rest = body_html;
    let opening = format!("<p>{PHOTO_MARK}");
    while let Some(start) = rest.find(&opening) {
        out.push_str(&rest[..start]);
        let inside = &rest[start + opening.len()..];
        let closing = format!("{PHOTO_MARK}</p>");
        let Some(end) = inside.find(&closing) else {
            rest = inside;
            continue;
        };
        let mark = &inside[..end];
        if let Some((id, alt)) = mark.split_once(ALT_MARK) {
            if let Some(view) = id.parse::<i64>().ok().and_then(|id| image(MediaId(id))) {
                out.push_str(&body_figure(&view, alt));
            }
        }
        rest = &inside[end + closing.len()..];
    }
    out.push_str(rest);
    // A mark that is not a paragraph of its own (none is made so) never reaches a reader.
    out.replace([PHOTO_MARK, ALT_MARK], "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library_photo(id: i64) -> ImageView {
        let media = dateline_newsroom::Media {
            id: MediaId(id),
            storage_key: "2026/11/pier.jpg".into(),
            mime_type: "image/jpeg".into(),
            width: 800,
            height: 600,
            byte_size: 1,
            caption: "The pier".into(),
            credit: "Hanbit News".into(),
            alt_text: "A pier".into(),
            photographer: String::new(),
            redistributable: false,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            variant_formats: Vec::new(),
            focal_point: Default::default(),
            content_credentials: None,
        };
        ImageView::new(&media)
    }

    #[test]
    fn a_placed_photo_becomes_a_figure_and_a_writer_cannot_forge_or_break_one() {
        let source = "![Say \"cheese\" & 5 > 4](photo:7)\n\n\u{E000}7\u{E001}forged\u{E000}\n\n![x](photo:8)";
        let html = place_body_photos(&render_markdown(source), |id| (id == MediaId(7)).then(|| library_photo(7)));
        assert_eq!(html.matches("<figure").count(), 1, "{html}");
        assert!(html.contains(r#"alt="Say &quot;cheese&quot; &amp; 5 &gt; 4""#), "{html}");
        assert!(html.contains(r#"width="800" height="600""#), "{html}");
        assert!(html.contains("<figcaption>The pier"), "{html}");
        assert!(html.contains("<p>7forged</p>"), "the marks a writer typed are only text: {html}");
        assert!(!html.contains('\u{E000}') && !html.contains("photo:"), "{html}");
    }

    #[test]
    fn paragraphs_and_quotations_become_html() {
        let html = render_markdown("First.\n\n> A quote.\n\nLast. (Yonhap)");
        assert!(html.contains("<p>First.</p>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<p>Last. (Yonhap)</p>"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_do_not_survive() {
        let html = render_markdown(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<a href=\"data:text/html,hi\">d</a>",
        );
        for bad in ["<script", "onerror", "javascript:", "data:text"] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn a_body_nested_thirty_thousand_quotations_deep_renders_flattened_with_its_text() {
        let html = render_markdown(&format!("{} the words", ">".repeat(30_000)));
        assert_eq!(html.matches("<blockquote>").count(), dateline_newsroom::body::MAX_BODY_NESTING);
        assert!(html.contains("the words"), "{html}");
    }
}
