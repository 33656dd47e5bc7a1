//! Article bodies: Markdown in, safe HTML out. Whatever the source holds (script tags, event
//! handlers, `javascript:` links), only the allow-listed tags and attributes survive. A body
//! of plain prose and ordinary links skips the sanitizer, because what the Markdown writer
//! makes of it is already all allowed ([`writes_only_safe_html`]).
//!
//! A library photo placed in a body (`![what it shows](photo:123)`, a paragraph of its own)
//! leaves the sanitizer as a mark, and [`place_body_photos`] turns each mark into a figure
//! drawn from the library's record of the photo (its copies, size, caption and credit), so
//! the sanitizer never has to let `<picture>` or `srcset` through from a writer's text.

use crate::views::ImageView;
use dateline_newsroom::body::PHOTO_SCHEME;
use dateline_newsroom::MediaId;
use pulldown_cmark::{html, Event, LinkType, Options, Parser, Tag, TagEnd};

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
    render(source, Sanitizer::WhenNeeded)
}

/// Whether a body's HTML goes through the sanitizer always, or only when it holds more than
/// prose (see [`writes_only_safe_html`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sanitizer {
    WhenNeeded,
    #[cfg(test)]
    Always,
}

fn markdown_options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

fn render(source: &str, sanitizer: Sanitizer) -> String {
    // A body nested past the newsroom's limit (saved before the limit, or arrived another way)
    // is flattened first: the parser's time grows with the square of nesting.
    let source = dateline_newsroom::body::flatten_nesting(source, dateline_newsroom::body::MAX_BODY_NESTING);
    let source: std::borrow::Cow<'_, str> = if source.contains([PHOTO_MARK, ALT_MARK]) {
        source.replace([PHOTO_MARK, ALT_MARK], "").into()
    } else {
        source
    };
    let mut html = String::with_capacity(source.len() * 3 / 2);
    let events = mark_photos(Parser::new_ext(&source, markdown_options()).collect());
    if sanitizer == Sanitizer::WhenNeeded && writes_only_safe_html(&events) {
        html::push_html(&mut html, links_without_opener(events));
        return html;
    }
    html::push_html(&mut html, events.into_iter());
    sanitize(&html)
}

/// Only the allow-listed tags and attributes, links to the web and to mail, and every link
/// `rel="noopener noreferrer"`.
fn sanitize(unsafe_html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .clean(unsafe_html)
        .to_string()
}

/// Whether pulldown-cmark's own HTML for these events is already what the sanitizer would
/// let through: prose (paragraphs, headings, quotations, lists, emphasis, inline code, breaks)
/// and links to the web, to mail or within the paper, with every text escaped by the writer.
/// Anything else (raw HTML, images, code blocks, tables, a link to any other scheme) goes
/// through the sanitizer. Most stories are prose, and parsing the whole body again as HTML to
/// sanitize it was a tenth of an uncached article page (issue 20).
fn writes_only_safe_html(events: &[Event<'_>]) -> bool {
    events.iter().all(|event| match event {
        Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::Rule => true,
        Event::Start(tag) => match tag {
            Tag::Paragraph
            | Tag::BlockQuote(None)
            | Tag::List(_)
            | Tag::Item
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough => true,
            Tag::Heading { id, classes, attrs, .. } => id.is_none() && classes.is_empty() && attrs.is_empty(),
            Tag::Link { link_type, dest_url, .. } => *link_type == LinkType::Email || goes_somewhere_safe(dest_url),
            _ => false,
        },
        Event::End(end) => matches!(
            end,
            TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(None)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
        ),
        _ => false,
    })
}

/// A link the sanitizer keeps as it is: to the web or to mail, or to an address on this site
/// (a path, a query, a fragment). Anything that could be read as another scheme is left to
/// the sanitizer to judge.
fn goes_somewhere_safe(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let web_or_mail = ["http://", "https://", "mailto:"].iter().any(|scheme| lower.starts_with(scheme));
    let on_this_site = url.starts_with(['/', '?', '#']) || !url.contains(':');
    (web_or_mail || on_this_site) && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// The events with each link opened as the sanitizer would leave it: `rel="noopener
/// noreferrer"`, so a linked page cannot reach back into ours.
fn links_without_opener<'a>(events: Vec<Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    events.into_iter().map(|event| match event {
        Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
            let mut opening = String::from("<a href=\"");
            if link_type == LinkType::Email {
                opening.push_str("mailto:");
            }
            pulldown_cmark_escape::escape_href(&mut opening, &dest_url).unwrap_or_default();
            opening.push('"');
            if !title.is_empty() {
                opening.push_str(" title=\"");
                pulldown_cmark_escape::escape_html(&mut opening, &title).unwrap_or_default();
                opening.push('"');
            }
            opening.push_str(" rel=\"noopener noreferrer\">");
            Event::InlineHtml(opening.into())
        }
        other => other,
    })
}

/// The sizes a body photo is drawn at: the text column's width.
const BODY_PHOTO_SIZES: &str = "(min-width: 60em) 42rem, 100vw";

/// A placed photo as a figure: a `<picture>` with the photo's copies, its size (so nothing
/// moves as it loads), the writer's description as its alt text (the library's when the
/// writer gave none), and the library's caption with the credit.
fn body_figure(image: &ImageView, escaped_alt: &str) -> String {
    // The mark's alt text left the writer (or the sanitizer) escaped for text; unescape it
    // once so the attribute is escaped exactly once.
    let alt = escaped_alt
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
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

    /// Bodies a newsroom writes, from plain prose to the odd corners of Markdown.
    const BODIES: [&str; 12] = [
        "First paragraph, with *emphasis*, **strength** and ~~a retraction~~.\n\nSecond one. (Yonhap)",
        "## A heading\n\n> A quotation\n> over two lines\n\n1. one\n2. two\n\n3) three starts at three\n\n- a\n- b",
        "Read [the report](https://example.org/report?id=1&kind=full \"The 'full' report\") and [ours](/national/).",
        "Mail <desk@example.org>, see <https://example.org/a_b>, or [jump](#corrections) and [page](?page=2).",
        "Tom & Jerry <3 \"quotes\" and 'apostrophes' and `code <here>` and a line  \nbreak",
        "![The pier at dawn](photo:7)\n\nA photo, then text.\n\n***\n\nAfter a rule.",
        "[x](javascript:alert(1)) and [y](JaVaScRiPt:alert(1)) and [z](data:text/html,hi)",
        "<script>alert(1)</script>\n\n<b onclick=\"x()\">bold</b>",
        "```rust\nfn main() {}\n```",
        "| a | b |\n|:--|--:|\n| 1 | 2 |",
        "![elsewhere](https://example.org/p.jpg)",
        "[spaced](<a b>) and [colon](weird:thing) and [Ünï](https://example.org/ü)",
    ];

    #[test]
    fn prose_skips_the_sanitizer_and_is_already_what_the_sanitizer_would_leave() {
        let mut skipped = 0;
        for body in BODIES {
            let written = render(body, Sanitizer::WhenNeeded);
            let sanitized = render(body, Sanitizer::Always);
            // The same document either way, as the sanitizer writes it out.
            assert_eq!(sanitize(&written), sanitized, "{body}");
            if writes_only_safe_html(&mark_photos(Parser::new_ext(body, markdown_options()).collect())) {
                skipped += 1;
                // Nothing for the sanitizer to take out: the two differ only in how they spell
                // empty elements and an apostrophe inside an attribute.
                let respelled = written.replace("<br />", "<br>").replace("<hr />", "<hr>").replace("&#39;", "'");
                assert_eq!(respelled, sanitized, "{body}");
            }
        }
        assert_eq!(skipped, 6, "the six bodies of prose and plain links skip the sanitizer");
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
