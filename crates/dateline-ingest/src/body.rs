//! Agency bodies (HTML, XHTML or plain text) into the Markdown the desk edits, refusing
//! anything that could run in a reader's browser.
//!
//! Both formats hand their markup over as a small [`Markup`] tree (NinJS's HTML through
//! html5ever, NewsML-G2's inline XHTML through the XML parser), so one converter serves both.
//! Structure a story needs survives (paragraphs, subheads, quotations, lists, links, emphasis,
//! line breaks); presentation does not. A script, a frame, an embedded object, an event
//! handler or a `javascript:` link is not cleaned away silently: the item is refused, so the
//! agency hears that its copy carried something a newspaper will not publish.

use crate::Rejection;

/// Markup as both parsers hand it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Markup {
    Element { name: String, attributes: Vec<(String, String)>, children: Vec<Markup> },
    Text(String),
}

/// Elements whose presence refuses the item.
const FORBIDDEN_ELEMENTS: [&str; 7] = ["script", "iframe", "object", "embed", "frame", "frameset", "applet"];
/// Elements dropped with everything inside them.
const DROPPED_ELEMENTS: [&str; 6] = ["head", "style", "title", "meta", "link", "template"];

/// The event handler content attributes of the WHATWG HTML standard (global, window and
/// document handlers), with those Pointer Events, Touch Events, CSS animations and
/// transitions and SVG animation add. Matched exactly on any element: a custom element would
/// run them too.
#[rustfmt::skip]
const EVENT_HANDLERS: &[&str] = &[
    "onabort", "onafterprint", "onanimationcancel", "onanimationend", "onanimationiteration",
    "onanimationstart", "onauxclick", "onbeforecopy", "onbeforecut", "onbeforeinput", "onbeforematch",
    "onbeforepaste", "onbeforeprint", "onbeforetoggle", "onbeforeunload", "onbegin", "onblur", "oncancel",
    "oncanplay", "oncanplaythrough", "onchange", "onclick", "onclose", "oncommand", "oncontextlost",
    "oncontextmenu", "oncontextrestored", "oncopy", "oncuechange", "oncut", "ondblclick", "ondrag",
    "ondragend", "ondragenter", "ondragexit", "ondragleave", "ondragover", "ondragstart", "ondrop",
    "ondurationchange", "onemptied", "onend", "onended", "onerror", "onfocus", "onfocusin", "onfocusout",
    "onformdata", "onfullscreenchange", "onfullscreenerror", "ongotpointercapture", "onhashchange",
    "oninput", "oninvalid", "onkeydown", "onkeypress", "onkeyup", "onlanguagechange", "onload",
    "onloadeddata", "onloadedmetadata", "onloadend", "onloadstart", "onlostpointercapture", "onmessage",
    "onmessageerror", "onmousedown", "onmouseenter", "onmouseleave", "onmousemove", "onmouseout",
    "onmouseover", "onmouseup", "onmousewheel", "onoffline", "ononline", "onpagehide", "onpagereveal",
    "onpageshow", "onpageswap", "onpaste", "onpause", "onplay", "onplaying", "onpointercancel",
    "onpointerdown", "onpointerenter", "onpointerleave", "onpointermove", "onpointerout", "onpointerover",
    "onpointerrawupdate", "onpointerup", "onpopstate", "onprogress", "onratechange", "onreadystatechange",
    "onrejectionhandled", "onrepeat", "onreset", "onresize", "onscroll", "onscrollend", "onsearch",
    "onsecuritypolicyviolation", "onseeked", "onseeking", "onselect", "onselectionchange", "onselectstart",
    "onshow", "onslotchange", "onstalled", "onstorage", "onsubmit", "onsuspend", "ontimeupdate", "ontoggle",
    "ontouchcancel", "ontouchend", "ontouchmove", "ontouchstart", "ontransitioncancel", "ontransitionend",
    "ontransitionrun", "ontransitionstart", "onunhandledrejection", "onunload", "onvolumechange",
    "onwaiting", "onwebkitanimationend", "onwebkitanimationiteration", "onwebkitanimationstart",
    "onwebkittransitionend", "onwheel",
];

/// The elements a browser renders as HTML, SVG or MathML. On these, any attribute beginning
/// with "on" is taken for an event handler, so a handler a browser adds tomorrow is refused
/// today; on anything else (SportsML, an agency's own XML) only [`EVENT_HANDLERS`] are.
#[rustfmt::skip]
const RENDERED_ELEMENTS: &[&str] = &[
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base", "basefont",
    "bdi", "bdo", "bgsound", "big", "blink", "blockquote", "body", "br", "button", "canvas", "caption",
    "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog",
    "dir", "div", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form",
    "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i",
    "iframe", "image", "img", "input", "ins", "isindex", "kbd", "keygen", "label", "legend", "li", "link",
    "listing", "main", "map", "mark", "marquee", "menu", "menuitem", "meta", "meter", "nav", "nobr", "noembed",
    "noframes", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture",
    "plaintext", "pre", "progress", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "script", "search",
    "section", "select", "slot", "small", "source", "span", "strike", "strong", "style", "sub", "summary",
    "sup", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr",
    "track", "tt", "u", "ul", "var", "video", "wbr", "xmp", // SVG
    "svg", "animate", "animatemotion", "animatetransform", "circle", "clippath", "defs", "desc", "ellipse",
    "feimage", "filter", "foreignobject", "g", "line", "lineargradient", "marker", "mask", "path", "pattern",
    "polygon", "polyline", "radialgradient", "rect", "set", "stop", "switch", "symbol", "text", "textpath",
    "tspan", "use", "view", // MathML
    "math", "mi", "mn", "mo", "ms", "mtext", "mrow", "mfrac", "msqrt", "mroot", "mstyle", "merror", "mpadded",
    "mphantom", "msub", "msup", "msubsup", "munder", "mover", "munderover", "mtable", "mtr", "mtd",
    "semantics", "annotation", "annotation-xml",
];

/// Whether a browser would run `attribute` as script on `element`.
pub fn is_event_handler(element: &str, attribute: &str) -> bool {
    let attribute = attribute.to_ascii_lowercase();
    EVENT_HANDLERS.contains(&attribute.as_str())
        || (attribute.starts_with("on") && RENDERED_ELEMENTS.contains(&element.to_ascii_lowercase().as_str()))
}

/// Elements that are neither HTML nor a part of a news body Dateline reads (NITF's own
/// elements are read elsewhere): SportsML, an agency's own XML. Their text is kept as text and
/// the desk is told, by name, once per element name.
pub fn foreign_elements(nodes: &[Markup]) -> Vec<String> {
    fn walk(nodes: &[Markup], found: &mut Vec<String>) {
        for node in nodes {
            if let Markup::Element { name, children, .. } = node {
                let foreign = !RENDERED_ELEMENTS.contains(&name.as_str()) && !NEWS_ELEMENTS.contains(&name.as_str());
                if foreign && !found.contains(name) && found.len() < 10 {
                    found.push(name.clone());
                }
                walk(children, found);
            }
        }
    }
    let mut found = Vec::new();
    walk(nodes, &mut found);
    found
}

/// The note for the desk when a body held markup that is not HTML.
pub fn foreign_markup_note(field: &str, names: &[String]) -> Option<String> {
    (!names.is_empty()).then(|| {
        let listed: Vec<String> = names.iter().map(|n| format!("<{}>", crate::excerpt(n))).collect();
        format!("{field} held markup that is not HTML ({}); its text was kept as text", listed.join(", "))
    })
}

/// NITF's elements (and the XHTML wrapper's), which the converters read as news structure.
#[rustfmt::skip]
const NEWS_ELEMENTS: &[&str] = &[
    "nitf", "body.head", "body.content", "body.end", "block", "hedline", "hl1", "hl2", "byline", "byttl",
    "dateline", "location", "story.date", "abstract", "distributor", "tagline", "bibliography", "note",
    "media", "media-reference", "media-caption", "media-producer", "fn", "pronounce", "chron", "event",
    "money", "num", "frac", "org", "person", "func", "virtloc", "classifier", "copyrite", "copyrite.year",
    "copyrite.holder", "lang", "city", "state", "region", "country", "postcode", "sublocation", "alt-code",
    "key-list", "keyword", "docdata", "doc-id", "date.issue", "date.release", "urgency", "fixture",
    "ed-msg", "du-key", "doc.copyright", "doc.rights", "identified-content", "pubdata", "revision-history",
    "series", "evloc", "object.title", "denom", "numer", "sub", "sup",
];

/// How deep elements may nest in an agency body. Real copy nests a handful of levels (a list
/// in a quotation in a section); every walk over [`Markup`] is recursive, so a deeper document
/// is refused while it is converted, before any walk could exhaust a thread's stack.
pub const MAX_MARKUP_DEPTH: usize = 100;

/// The refusal for a body nested deeper than [`MAX_MARKUP_DEPTH`].
pub(crate) fn too_deep(field: &str) -> Rejection {
    Rejection::malformed(format!(
        "{field} nests elements more than {MAX_MARKUP_DEPTH} levels deep; no story needs that many"
    ))
}

/// Parses an HTML fragment or document (as NinJS carries it).
pub fn parse_html(html: &str, field: &str) -> Result<Vec<Markup>, Rejection> {
    // html5ever's cost grows with the square of nesting and of one element's attributes.
    crate::shape::check(html, crate::shape::Dialect::Html, MAX_MARKUP_DEPTH, field)?;
    let document = scraper::Html::parse_fragment(html);
    fn convert(node: ego_tree::NodeRef<'_, scraper::Node>, depth: usize) -> Result<Option<Markup>, ()> {
        match node.value() {
            scraper::Node::Text(text) => Ok(Some(Markup::Text(text.to_string()))),
            scraper::Node::Element(element) => {
                if depth >= MAX_MARKUP_DEPTH {
                    return Err(());
                }
                let mut children = Vec::new();
                for child in node.children() {
                    children.extend(convert(child, depth + 1)?);
                }
                Ok(Some(Markup::Element {
                    name: element.name().to_ascii_lowercase(),
                    attributes: element.attrs().map(|(k, v)| (k.to_ascii_lowercase(), v.to_owned())).collect(),
                    children,
                }))
            }
            _ => Ok(None),
        }
    }
    let root = document.root_element();
    // A fragment is wrapped in <html>; its children are the body's content.
    let mut nodes = Vec::new();
    for child in root.children() {
        nodes.extend(convert(child, 0).map_err(|()| too_deep(field))?);
    }
    Ok(nodes)
}

/// An XML element (a NewsML-G2 item's inline XHTML, a NITF document) as [`Markup`], refused past [`MAX_MARKUP_DEPTH`] levels so that no later
/// walk recurses deeper than that.
pub(crate) fn markup_of_xml(node: roxmltree::Node<'_, '_>, depth: usize) -> Result<Option<Markup>, Rejection> {
    if node.is_text() {
        return Ok(node.text().map(|t| Markup::Text(t.to_owned())));
    }
    if !node.is_element() {
        return Ok(None);
    }
    if depth >= MAX_MARKUP_DEPTH {
        return Err(too_deep("the body"));
    }
    let mut children = Vec::new();
    for child in node.children() {
        children.extend(markup_of_xml(child, depth + 1)?);
    }
    Ok(Some(Markup::Element {
        name: node.tag_name().name().to_ascii_lowercase(),
        attributes: node.attributes().map(|a| (a.name().to_ascii_lowercase(), a.value().to_owned())).collect(),
        children,
    }))
}

/// The tree written back as well-formed XHTML (elements in lower case, every one closed,
/// text and attribute values escaped), as a NewsML-G2 item's `inlineXML` carries a body. The
/// tree is at most [`MAX_MARKUP_DEPTH`] deep when it comes from [`parse_html`].
pub fn to_xhtml(nodes: &[Markup]) -> String {
    fn escape(text: &str, out: &mut String) {
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                c if matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}') => out.push(c),
                _ => {}
            }
        }
    }
    fn is_name(name: &str) -> bool {
        name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    }
    fn write(node: &Markup, out: &mut String) {
        match node {
            Markup::Text(text) => escape(text, out),
            Markup::Element { name, attributes, children } if is_name(name) => {
                out.push('<');
                out.push_str(name);
                for (key, value) in attributes.iter().filter(|(key, _)| is_name(key)) {
                    out.push(' ');
                    out.push_str(key);
                    out.push_str("=\"");
                    escape(value, out);
                    out.push('"');
                }
                if children.is_empty() {
                    out.push_str("/>");
                } else {
                    out.push('>');
                    children.iter().for_each(|child| write(child, out));
                    out.push_str("</");
                    out.push_str(name);
                    out.push('>');
                }
            }
            // A name XML cannot carry: its content stays, the element goes.
            Markup::Element { children, .. } => children.iter().for_each(|child| write(child, out)),
        }
    }
    let mut out = String::new();
    nodes.iter().for_each(|node| write(node, &mut out));
    out
}

/// Refuses markup that could run in a browser; the reason names what was found.
pub fn check_safe(nodes: &[Markup], field: &str) -> Result<(), Rejection> {
    for node in nodes {
        let Markup::Element { name, attributes, children } = node else { continue };
        if FORBIDDEN_ELEMENTS.contains(&name.as_str()) {
            return Err(Rejection::unsafe_body(format!(
                "{field} holds a <{name}> element, which a newspaper does not publish"
            )));
        }
        for (attribute, value) in attributes {
            if is_event_handler(name, attribute) {
                return Err(Rejection::unsafe_body(format!(
                    "{field} holds an event handler ({attribute}) on <{name}>"
                )));
            }
            let squeezed: String = value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            let scheme = squeezed.to_ascii_lowercase();
            if matches!(attribute.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href")
                && (scheme.starts_with("javascript:")
                    || scheme.starts_with("vbscript:")
                    || scheme.starts_with("data:text"))
            {
                return Err(Rejection::unsafe_body(format!(
                    "{field} holds a script address in {attribute} on <{name}>"
                )));
            }
        }
        check_safe(children, field)?;
    }
    Ok(())
}

/// Markdown for the markup: paragraphs separated by blank lines.
pub fn to_markdown(nodes: &[Markup]) -> String {
    let mut out = Writer::default();
    blocks(nodes, &mut out, "");
    out.finish()
}

/// Markdown for plain text: a blank line (or, where there are none, each line) is a paragraph.
pub fn text_to_markdown(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let paragraphs: Vec<&str> =
        if text.contains("\n\n") { text.split("\n\n").collect() } else { text.lines().collect() };
    paragraphs
        .iter()
        .map(|p| escape_line_start(&escape_inline(&squeeze(p))))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[derive(Default)]
struct Writer {
    blocks: Vec<String>,
    inline: String,
}

impl Writer {
    fn flush(&mut self, prefix: &str) {
        let text = self.inline.trim().to_owned();
        self.inline.clear();
        if !text.is_empty() {
            let text = escape_line_start(&text);
            let prefixed: Vec<String> = text.lines().map(|line| format!("{prefix}{}", line.trim_start())).collect();
            self.blocks.push(prefixed.join("\n"));
        }
    }

    fn finish(mut self) -> String {
        self.flush("");
        self.blocks.join("\n\n")
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "body"
            | "html"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "ul"
            | "ol"
            | "li"
            | "pre"
            | "table"
            | "tr"
            | "figure"
            | "figcaption"
            | "hr"
            | "dl"
            | "dt"
            | "dd"
            | "address"
            | "nitf"
            | "block"
            | "hedline"
            | "hl1"
            | "hl2"
            | "body.content"
            | "body.end"
            | "bq"
            | "credit"
            | "tagline"
            | "note"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "td"
            | "th"
    )
}

fn blocks(nodes: &[Markup], out: &mut Writer, prefix: &str) {
    for node in nodes {
        match node {
            Markup::Text(text) => out.inline.push_str(&escape_inline(&squeeze_keep_edges(text))),
            // A dropped element goes with everything inside it.
            Markup::Element { name, .. } if DROPPED_ELEMENTS.contains(&name.as_str()) => {}
            Markup::Element { name, children, attributes } => match name.as_str() {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "hl2" => {
                    out.flush(prefix);
                    let level = match name.as_str() {
                        "h1" | "h2" | "hl2" => "##",
                        "h3" => "###",
                        _ => "####",
                    };
                    let text = inline_text(children);
                    if !text.is_empty() {
                        out.blocks.push(format!("{prefix}{level} {text}"));
                    }
                }
                "blockquote" | "bq" => {
                    out.flush(prefix);
                    blocks(children, out, &format!("{prefix}> "));
                    out.flush(&format!("{prefix}> "));
                }
                "ul" | "ol" => {
                    out.flush(prefix);
                    let numbered = name == "ol";
                    let mut number = 0;
                    for item in children {
                        if let Markup::Element { name, children, .. } = item {
                            if name == "li" {
                                number += 1;
                                let marker = if numbered { format!("{number}. ") } else { "- ".to_owned() };
                                let text = inline_text(children);
                                if !text.is_empty() {
                                    out.blocks.push(format!("{prefix}{marker}{text}"));
                                }
                            }
                        }
                    }
                }
                "table" => {
                    out.flush(prefix);
                    if let Some(table) = table_markdown(children) {
                        let lines: Vec<String> = table.lines().map(|line| format!("{prefix}{line}")).collect();
                        out.blocks.push(lines.join("\n"));
                    }
                }
                "br" => out.inline.push_str("\\\n"),
                "hr" => {
                    out.flush(prefix);
                    out.blocks.push(format!("{prefix}---"));
                }
                other if is_block(other) => {
                    out.flush(prefix);
                    blocks(children, out, prefix);
                    out.flush(prefix);
                }
                _ => out.inline.push_str(&inline_element(name, attributes, children)),
            },
        }
    }
}

/// A table as a Markdown (GFM) table: its caption as a paragraph above, its first row as the
/// header, every row padded to the widest. `None` for a table with no text in it.
fn table_markdown(children: &[Markup]) -> Option<String> {
    fn rows<'a>(nodes: &'a [Markup], found: &mut Vec<&'a [Markup]>, caption: &mut Option<String>) {
        for node in nodes {
            if let Markup::Element { name, children, .. } = node {
                match name.as_str() {
                    "tr" => found.push(children),
                    "thead" | "tbody" | "tfoot" => rows(children, found, caption),
                    "caption" => *caption = Some(inline_text(children)).filter(|c| !c.is_empty()),
                    _ => {}
                }
            }
        }
    }
    let (mut found, mut caption) = (Vec::new(), None);
    rows(children, &mut found, &mut caption);
    let cells: Vec<Vec<String>> = found
        .iter()
        .map(|row| {
            row.iter()
                .filter_map(|cell| match cell {
                    Markup::Element { name, children, .. } if name == "td" || name == "th" => {
                        Some(inline_text(children).replace("\\\n", " ").replace('\n', " "))
                    }
                    _ => None,
                })
                .collect()
        })
        .filter(|row: &Vec<String>| !row.is_empty())
        .collect();
    let width = cells.iter().map(Vec::len).max()?;
    if cells.iter().all(|row| row.iter().all(String::is_empty)) {
        return caption;
    }
    let line = |row: &[String]| {
        let padded: Vec<&str> = (0..width)
            .map(|i| row.get(i).map_or("", String::as_str))
            .map(|c| if c.is_empty() { " " } else { c })
            .collect();
        format!("| {} |", padded.join(" | "))
    };
    let mut lines = Vec::new();
    if let Some(caption) = caption {
        lines.push(escape_line_start(&caption));
        lines.push(String::new());
    }
    lines.push(line(&cells[0]));
    lines.push(format!("|{}", " --- |".repeat(width)));
    lines.extend(cells[1..].iter().map(|row| line(row)));
    Some(lines.join("\n"))
}

/// The inline Markdown of some markup, on one line.
fn inline_text(nodes: &[Markup]) -> String {
    let mut text = String::new();
    for node in nodes {
        match node {
            Markup::Text(t) => text.push_str(&escape_inline(&squeeze_keep_edges(t))),
            // A dropped element goes with everything inside it.
            Markup::Element { name, .. } if DROPPED_ELEMENTS.contains(&name.as_str()) => {}
            Markup::Element { name, attributes, children } => {
                if is_block(name) && !text.ends_with(' ') && !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&inline_element(name, attributes, children));
            }
        }
    }
    squeeze(&text)
}

fn inline_element(name: &str, attributes: &[(String, String)], children: &[Markup]) -> String {
    let inner = inline_text(children);
    if inner.is_empty() {
        return if name == "br" { "\\\n".to_owned() } else { String::new() };
    }
    // Emphasis markers must touch the words they wrap.
    let wrap = |marker: &str| {
        let lead = if children_start_with_space(children) { " " } else { "" };
        let trail = if children_end_with_space(children) { " " } else { "" };
        format!("{lead}{marker}{inner}{marker}{trail}")
    };
    match name {
        "strong" | "b" => wrap("**"),
        "em" | "i" => wrap("*"),
        "a" => {
            let href = attributes.iter().find(|(k, _)| k == "href").map(|(_, v)| v.trim()).unwrap_or_default();
            let lower = href.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:") {
                let href = href.replace(' ', "%20").replace('(', "%28").replace(')', "%29");
                format!("[{inner}]({href})")
            } else {
                inner
            }
        }
        _ => {
            let lead = if children_start_with_space(children) { " " } else { "" };
            let trail = if children_end_with_space(children) { " " } else { "" };
            format!("{lead}{inner}{trail}")
        }
    }
}

fn children_start_with_space(children: &[Markup]) -> bool {
    match children.first() {
        Some(Markup::Text(t)) => t.starts_with(char::is_whitespace),
        Some(Markup::Element { children, .. }) => children_start_with_space(children),
        None => false,
    }
}

fn children_end_with_space(children: &[Markup]) -> bool {
    match children.last() {
        Some(Markup::Text(t)) => t.ends_with(char::is_whitespace),
        Some(Markup::Element { children, .. }) => children_end_with_space(children),
        None => false,
    }
}

/// Runs of whitespace become one space; the ends are trimmed.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// As [`squeeze`], but a space at either end stays one space, so words do not run together.
fn squeeze_keep_edges(text: &str) -> String {
    let inner = squeeze(text);
    if inner.is_empty() {
        return if text.is_empty() { String::new() } else { " ".to_owned() };
    }
    let lead = if text.starts_with(char::is_whitespace) { " " } else { "" };
    let trail = if text.ends_with(char::is_whitespace) { " " } else { "" };
    format!("{lead}{inner}{trail}")
}

/// Characters Markdown would read as syntax anywhere in a line.
fn escape_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '|' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Characters Markdown reads as syntax only at the start of a line (a heading, a list, a quote).
fn escape_line_start(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            let rest = &trimmed[digits..];
            if trimmed.starts_with(['#', '-', '+', '=']) {
                format!("\\{trimmed}")
            } else if digits > 0 && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")") {
                format!("{}\\{}", &trimmed[..digits], rest)
            } else {
                trimmed.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_written_back_as_well_formed_xhtml() {
        let nodes = parse_html(
            "<p>Prices &amp; <i>wages</i> &lt;rose&gt;&nbsp;again<br>Next</p><hr><p title='a \"b\"'>x</p>",
            "the body",
        )
        .expect("shallow");
        let xhtml = to_xhtml(&nodes);
        assert_eq!(
            xhtml,
            "<p>Prices &amp; <i>wages</i> &lt;rose&gt;\u{a0}again<br/>Next</p><hr/><p title=\"a &quot;b&quot;\">x</p>"
        );
        let wrapped = format!("<body>{xhtml}</body>");
        assert!(roxmltree::Document::parse(&wrapped).is_ok(), "{wrapped}");
    }

    #[test]
    fn paragraphs_subheads_quotes_lists_and_links_survive() {
        let markdown = to_markdown(&parse_html(
            "<p>SEOUL, Nov. 28 (Yonhap) -- The <b>assembly</b> met.</p><h2>Vote</h2><blockquote><p>We agree.</p></blockquote>\
             <ul><li>One</li><li>Two</li></ul><p>See <a href=\"https://example.org/a\">the bill</a>.<br>Next line.</p>",
            "the body",
        )
        .expect("shallow"));
        assert_eq!(
            markdown,
            "SEOUL, Nov. 28 (Yonhap) -- The **assembly** met.\n\n## Vote\n\n> We agree.\n\n- One\n\n- Two\n\nSee [the bill](https://example.org/a).\\\nNext line."
        );
    }

    #[test]
    fn text_that_looks_like_markdown_stays_text() {
        let markdown = text_to_markdown("1. Not a list\n\n# not a heading\n\n*stars* and [brackets]");
        let html = dateline_render_free_check(&markdown);
        assert_eq!(html, ["1. Not a list", "# not a heading", "*stars* and [brackets]"]);
    }

    /// The paragraphs a Markdown reader would see, unescaped, without a Markdown library.
    fn dateline_render_free_check(markdown: &str) -> Vec<String> {
        markdown
            .split("\n\n")
            .map(|p| {
                let mut out = String::new();
                let mut escaped = false;
                for c in p.chars() {
                    if c == '\\' && !escaped {
                        escaped = true;
                        continue;
                    }
                    escaped = false;
                    out.push(c);
                }
                out
            })
            .collect()
    }

    #[test]
    fn scripts_frames_handlers_and_script_links_refuse_the_item() {
        for (html, named) in [
            ("<p>Hi</p><script>alert(1)</script>", "<script>"),
            ("<p onclick=\"steal()\">Hi</p>", "onclick"),
            ("<p><a href=\" JaVaScript:alert(1)\">x</a></p>", "script address"),
            ("<iframe src=\"https://evil.example\"></iframe>", "<iframe>"),
            ("<p><img src=x onerror=alert(1)></p>", "onerror"),
        ] {
            let error = check_safe(&parse_html(html, "the body").expect("shallow"), "the body").expect_err(html);
            assert!(error.to_string().contains(named), "{html}: {error}");
        }
        assert!(check_safe(
            &parse_html("<p>A <em>fine</em> <a href=\"https://a.example\">story</a></p>", "the body").expect("shallow"),
            "the body"
        )
        .is_ok());
    }

    #[test]
    fn a_body_nested_past_the_limit_is_refused_and_one_within_it_is_read() {
        let nested = |depth: usize| format!("{}<p>deep</p>{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let error = parse_html(&nested(10_000), "the body").expect_err("too deep");
        assert_eq!(error.kind, crate::RejectionKind::Malformed);
        assert!(error.reason.contains("levels deep"), "{error}");
        let fine = parse_html(&nested(MAX_MARKUP_DEPTH - 2), "the body").expect("within the limit");
        assert_eq!(to_markdown(&fine), "deep");
    }
}
