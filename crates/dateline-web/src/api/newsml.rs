//! A story as IPTC NewsML-G2 news items (XML), for partners whose systems read G2 rather than
//! NinJS: a text item (headline, deck, bylines, topics as subjects, the body as XHTML in
//! `inlineXML`), a picture item for a lead photo that may travel, and the withhold and kill
//! notices, which carry only the item's guid and status. The guid is the story's canonical
//! address and the version the story's own, as in the NinJS items, so a receiver can tell a
//! newer copy. Several items travel together in a `newsMessage`.
//!
//! Elements follow the order the G2 schema gives them; Dateline's own wire ingest reads these
//! items back (a test sends one paper's items into another).

use super::shapes::{Photo, Story};
use dateline_feeds::xml::{escape, rfc3339};
use jiff::Timestamp;

pub(crate) const ITEM_MEDIA_TYPE: &str = "application/vnd.iptc.g2.newsitem+xml";
pub(crate) const MESSAGE_MEDIA_TYPE: &str = "application/vnd.iptc.g2.newsmessage+xml";

const NAMESPACE: &str = "http://iptc.org/std/nar/2006-10-01/";
const CATALOG: &str = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml";

/// What every item of the paper says of itself.
pub(crate) struct Issuer<'a> {
    pub paper: &'a str,
    pub language: &'a str,
    pub usage_terms: &'a str,
}

fn open_item(out: &mut String, guid: &str, version: i64, issuer: &Issuer<'_>) {
    out.push_str(&format!(
        "<newsItem xmlns=\"{NAMESPACE}\" guid=\"{}\" version=\"{version}\" standard=\"NewsML-G2\" standardversion=\"2.33\" \
         conformance=\"power\" xml:lang=\"{}\"><catalogRef href=\"{CATALOG}\"/>\
         <rightsInfo><copyrightHolder literal=\"{paper}\"><name>{paper}</name></copyrightHolder>\
         <usageTerms>{}</usageTerms></rightsInfo>",
        escape(guid),
        escape(issuer.language),
        escape(issuer.usage_terms),
        paper = escape(issuer.paper),
    ));
}

fn item_meta(out: &mut String, class: &str, issuer: &Issuer<'_>, times: (&str, &str), embargoed: Option<Timestamp>) {
    out.push_str(&format!(
        "<itemMeta><itemClass qcode=\"ninat:{class}\"/><provider literal=\"{}\"/><versionCreated>{}</versionCreated>\
         <firstCreated>{}</firstCreated>",
        escape(issuer.paper),
        escape(times.1),
        escape(times.0),
    ));
    if let Some(at) = embargoed {
        out.push_str(&format!("<embargoed>{}</embargoed>", rfc3339(at)));
    }
    out.push_str("<pubStatus qcode=\"stat:usable\"/></itemMeta>");
}

/// The story's text item, then (when `photo` is given) its lead photo's picture item.
pub(crate) fn story_items(
    story: &Story,
    issuer: &Issuer<'_>,
    times: (&str, &str),
    embargoed: Option<Timestamp>,
    photo: Option<&Photo>,
) -> Vec<String> {
    let mut text = String::with_capacity(story.body_html.len() + 2_048);
    open_item(&mut text, &story.url, story.version, issuer);
    item_meta(&mut text, "text", issuer, times, embargoed);
    text.push_str("<contentMeta>");
    text.push_str(&format!("<contentCreated>{}</contentCreated>", escape(times.0)));
    for byline in &story.bylines {
        text.push_str(&format!(
            "<creator uri=\"{}\"><name>{}</name></creator>",
            escape(&byline.url),
            escape(&byline.name)
        ));
    }
    text.push_str(&format!("<language tag=\"{}\"/>", escape(issuer.language)));
    for topic in &story.topics {
        text.push_str(&format!(
            "<subject type=\"cpnat:abstract\" uri=\"{}\"><name>{}</name></subject>",
            escape(&topic.url),
            escape(&topic.name)
        ));
    }
    if let Some(label) = &story.label {
        text.push_str(&format!("<genre literal=\"{0}\"><name>{0}</name></genre>", escape(label)));
    }
    text.push_str(&format!("<headline>{}</headline>", escape(&story.headline)));
    if let Some(deck) = &story.deck {
        text.push_str(&format!("<headline role=\"hlrole:sub\">{}</headline>", escape(deck)));
    }
    let by = story.bylines.iter().map(|b| b.name.as_str()).collect::<Vec<_>>().join(", ");
    if !by.is_empty() {
        text.push_str(&format!("<by>{}</by>", escape(&by)));
    }
    if let Some(deck) = &story.deck {
        text.push_str(&format!("<description role=\"drol:summary\">{}</description>", escape(deck)));
    }
    text.push_str("</contentMeta>");
    // The paper's sanitized HTML, re-read and written as XHTML: HTML's void elements and
    // named entities are not XML.
    let body = dateline_ingest::body::parse_html(&story.body_html, "the body")
        .map(|nodes| dateline_ingest::body::to_xhtml(&nodes))
        .unwrap_or_else(|_| format!("<p>{}</p>", escape(&story.body_markdown)));
    text.push_str(&format!(
        "<contentSet><inlineXML contenttype=\"application/xhtml+xml\"><html xmlns=\"http://www.w3.org/1999/xhtml\">\
         <head><title>{}</title></head><body>{body}</body></html></inlineXML></contentSet></newsItem>",
        escape(&story.headline)
    ));
    let mut items = vec![text];
    if let Some(photo) = photo {
        let mut picture = String::with_capacity(2_048);
        open_item(&mut picture, &photo.url, 1, issuer);
        item_meta(&mut picture, "picture", issuer, times, embargoed);
        picture.push_str(&format!("<contentMeta><headline>{}</headline>", escape(&photo.caption)));
        if !photo.photographer.is_empty() {
            picture.push_str(&format!("<by>{}</by>", escape(&photo.photographer)));
        }
        picture.push_str(&format!(
            "<creditline>{}</creditline><description role=\"drol:caption\">{}</description>\
             <description role=\"drol:alternativeText\">{}</description></contentMeta><contentSet>",
            escape(&photo.credit),
            escape(&photo.caption),
            escape(&photo.alt)
        ));
        picture.push_str(&format!(
            "<remoteContent rendition=\"rnd:highRes\" href=\"{}\" width=\"{}\" height=\"{}\"/>",
            escape(&photo.url),
            photo.width,
            photo.height
        ));
        for size in &photo.sizes {
            picture.push_str(&format!(
                "<remoteContent rendition=\"rnd:w{0}\" href=\"{1}\" width=\"{0}\"/>",
                size.width,
                escape(&size.url)
            ));
        }
        picture.push_str("</contentSet></newsItem>");
        items.push(picture);
    }
    items
}

/// A withhold (`withheld`) or kill (`canceled`) notice for the item `guid`.
pub(crate) fn notice_item(
    guid: &str,
    version: i64,
    at: Timestamp,
    status: &str,
    note: &str,
    issuer: &Issuer<'_>,
) -> String {
    let mut item = String::with_capacity(1_024);
    open_item(&mut item, guid, version, issuer);
    item.push_str(&format!(
        "<itemMeta><itemClass qcode=\"ninat:text\"/><provider literal=\"{}\"/><versionCreated>{}</versionCreated>\
         <pubStatus qcode=\"stat:{status}\"/><edNote>{}</edNote></itemMeta></newsItem>",
        escape(issuer.paper),
        rfc3339(at),
        escape(note)
    ));
    item
}

/// Items sent together, as one `newsMessage`.
pub(crate) fn message(items: &[String], sent: Timestamp, paper: &str) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<newsMessage xmlns=\"{NAMESPACE}\"><header><sent>{}</sent>\
         <sender>{}</sender></header><itemSet>",
        rfc3339(sent),
        escape(paper)
    );
    items.iter().for_each(|item| out.push_str(item));
    out.push_str("</itemSet></newsMessage>");
    out
}

/// One item as a document of its own.
pub(crate) fn document(item: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{item}")
}
