//! Wire copy in: agency documents read, checked and mapped onto the newsroom's [`WireCopy`].
//!
//! Two IPTC standards, each in its own module: [`ninjs`] (JSON; every 1.x and 2.x version,
//! each item checked against the JSON Schema of its own version, embedded in the binary) and
//! [`newsml`] (NewsML-G2 news items in XML, with no DTD allowed, so neither entity expansion
//! nor external entities can happen). Agency bodies become Markdown in [`body`], which
//! refuses scripts and event handlers outright; a NITF body gives its head (headline, byline,
//! dateline, abstract) to the story's fields in [`nitf`].
//!
//! This crate reads and judges documents; it stores nothing. What a version does to a story
//! is the newsroom's rule (`dateline_newsroom::wire`), and where the documents come from
//! (HTTP, a watched folder) is the web and binary crates' business.

pub mod body;
pub mod newsml;
pub mod ninjs;
pub mod nitf;
mod shape;

pub use dateline_newsroom::wire::{WireCopy, WireKind, WirePhoto, WireStatus};

/// The largest document read unless the operator sets another limit.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 2 * 1024 * 1024;

/// A standard a wire source delivers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireFormat {
    NinJs(ninjs::Version),
    NewsMlG2,
}

impl WireFormat {
    /// The name the desk and the configuration use: `ninjs-1.4`, `ninjs-2.1`, `newsml-g2`.
    pub fn name(self) -> String {
        match self {
            WireFormat::NinJs(version) => format!("ninjs-{}", version.as_str()),
            WireFormat::NewsMlG2 => "newsml-g2".to_owned(),
        }
    }

    pub fn parse(name: &str) -> Option<WireFormat> {
        let name = name.trim().to_ascii_lowercase();
        if name == "newsml-g2" {
            return Some(WireFormat::NewsMlG2);
        }
        name.strip_prefix("ninjs-").and_then(ninjs::Version::parse).map(WireFormat::NinJs)
    }

    /// Every format a source may be set to.
    pub fn all() -> Vec<WireFormat> {
        ninjs::Version::ALL.iter().map(|v| WireFormat::NinJs(*v)).chain([WireFormat::NewsMlG2]).collect()
    }
}

/// Why a document was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectionKind {
    /// Not JSON or XML at all, cut short, or not the shape of the standard.
    Malformed,
    /// Valid JSON that its version's schema refuses.
    Schema,
    /// A body that could run in a browser.
    Unsafe,
    /// Over the size limit.
    TooLarge,
    /// A well-formed item Dateline does not publish (an event, a planning item, audio, video),
    /// or one that lacks what a story needs (a headline) or has a date it cannot read.
    Declined,
}

/// A document refused, with the reason the agency (or the desk) reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct Rejection {
    pub kind: RejectionKind,
    /// At most [`MAX_REASON_CHARS`] characters: a reason names what is wrong and quotes at most
    /// a short excerpt, never the document back.
    pub reason: String,
}

/// The longest reason a refusal gives.
pub const MAX_REASON_CHARS: usize = 400;

impl Rejection {
    fn new(kind: RejectionKind, reason: impl Into<String>) -> Self {
        let reason = reason.into();
        let reason = if reason.chars().count() > MAX_REASON_CHARS {
            let mut cut: String = reason.chars().take(MAX_REASON_CHARS - 1).collect();
            cut.push('…');
            cut
        } else {
            reason
        };
        Rejection { kind, reason }
    }
    pub fn malformed(reason: impl Into<String>) -> Self {
        Rejection::new(RejectionKind::Malformed, reason)
    }
    pub fn schema(reason: impl Into<String>) -> Self {
        Rejection::new(RejectionKind::Schema, reason)
    }
    pub fn unsafe_body(reason: impl Into<String>) -> Self {
        Rejection::new(RejectionKind::Unsafe, reason)
    }
    pub fn declined(reason: impl Into<String>) -> Self {
        Rejection::new(RejectionKind::Declined, reason)
    }
}

/// A value from the document as a reason quotes it: at most 40 characters.
pub(crate) fn excerpt(value: &str) -> String {
    const MAX: usize = 40;
    let value = value.trim();
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    }
}

/// Reads one delivered document in the source's format.
pub fn read_item(format: WireFormat, bytes: &[u8], max_bytes: usize) -> Result<WireCopy, Rejection> {
    if bytes.len() > max_bytes {
        return Err(Rejection::new(
            RejectionKind::TooLarge,
            format!("the document is {} bytes; this source takes at most {max_bytes}", bytes.len()),
        ));
    }
    let text =
        std::str::from_utf8(bytes).map_err(|e| Rejection::malformed(format!("the document is not UTF-8: {e}")))?;
    match format {
        WireFormat::NinJs(version) => ninjs::read(version, text),
        WireFormat::NewsMlG2 => newsml::read(text),
    }
}

/// Splits a byline into the names it holds: "By Kim Ji-won and Lee Min-ho" gives two.
pub fn byline_names(byline: &str) -> Vec<String> {
    let byline = byline.trim();
    // "By" in the languages agencies file in: English, German, the Nordic languages, French,
    // Spanish and Portuguese, Italian, Dutch.
    let byline = ["by ", "von ", "av ", "af ", "par ", "por ", "di ", "door "]
        .iter()
        .find(|prefix| {
            byline.len() > prefix.len()
                && byline.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
        })
        .map_or(byline, |prefix| &byline[prefix.len()..]);
    byline
        .split(" and ")
        .flat_map(|part| part.split([',', ';', '&']))
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .collect()
}

/// What a person named on an item did, from the role the agency gives (IPTC's creator and
/// contributor roles, NinJS's `rel`, or an agency's own word).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonRole {
    /// Wrote or reported the story: a byline.
    Writer,
    /// Took the picture: the photo's photographer.
    Photographer,
    /// Edited, translated, or is a subject of the story: no byline.
    Other,
}

impl PersonRole {
    /// Reads a role as agencies write it (`crol:reporter`, `ctrol:photographer`, `author`);
    /// a creator with no role wrote the item.
    pub fn of(role: &str) -> PersonRole {
        let role = role.rsplit([':', '/', '#']).next().unwrap_or(role).trim().to_ascii_lowercase();
        if role.contains("photo") || role.contains("camera") || role.contains("videographer") {
            PersonRole::Photographer
        } else if role.is_empty()
            || ["author", "writer", "reporter", "correspondent", "columnist", "byline", "creator", "journalist"]
                .iter()
                .any(|w| role.contains(w))
        {
            PersonRole::Writer
        } else {
            PersonRole::Other
        }
    }
}

/// The most photos one agency item may carry: each is fetched, checked and resized, so an
/// item listing thousands would hold the image workers for minutes.
pub const MAX_PHOTOS_PER_ITEM: usize = 50;

/// What every story or photo needs, whichever standard it came in: a headline (a photo
/// without one takes its caption's first words) and, for a story, a body. A kill needs
/// neither: it only names the item to take down.
pub(crate) fn complete(mut copy: WireCopy) -> Result<WireCopy, Rejection> {
    copy = without_control_characters(copy);
    use dateline_newsroom::editing::{MAX_BYLINES, MAX_TOPICS};
    if copy.byline_names.len() > MAX_BYLINES {
        return Err(Rejection::declined(format!(
            "the byline names {} authors; a story takes at most {MAX_BYLINES}",
            copy.byline_names.len()
        )));
    }
    if copy.subjects.len() > MAX_TOPICS {
        return Err(Rejection::declined(format!(
            "the item has {} subjects and keywords; a story takes at most {MAX_TOPICS}",
            copy.subjects.len()
        )));
    }
    if copy.photos.len() > MAX_PHOTOS_PER_ITEM {
        return Err(Rejection::declined(format!(
            "the item carries {} photos; an item takes at most {MAX_PHOTOS_PER_ITEM}",
            copy.photos.len()
        )));
    }
    if copy.headline.is_empty() && copy.kind == WireKind::Picture {
        let caption = copy.photos.first().map(|p| p.caption.as_str()).unwrap_or_default();
        copy.headline = caption.split_whitespace().take(12).collect::<Vec<_>>().join(" ");
    }
    if copy.status.is_kill() {
        return Ok(copy);
    }
    copy.body = without_repeated_headline(&copy.body, &copy.headline);
    if copy.headline.is_empty() {
        return Err(Rejection::declined("the item has no headline; a story needs one"));
    }
    if copy.kind == WireKind::Text && copy.body.trim().is_empty() {
        return Err(Rejection::declined("the item has no body text; a story needs one"));
    }
    Ok(copy)
}

/// The body without a first heading or paragraph that only repeats the headline (HTML bodies
/// often open with the headline as `<h1>`), so the story does not say it twice.
fn without_repeated_headline(body: &str, headline: &str) -> String {
    let headline = headline.split_whitespace().collect::<Vec<_>>().join(" ");
    if headline.is_empty() {
        return body.to_owned();
    }
    let (first, rest) = body.split_once("\n\n").unwrap_or((body, ""));
    let first_text: String =
        first.trim_start_matches('#').replace('\\', "").split_whitespace().collect::<Vec<_>>().join(" ");
    if first_text == headline {
        rest.to_owned()
    } else {
        body.to_owned()
    }
}

/// The copy with NUL and the other control characters dropped from every text (line breaks
/// and tabs stay): no field means to hold one, and PostgreSQL refuses NUL outright, so an
/// item carrying one would fail on one database and not the other, and the agency would be
/// asked to send it again forever.
fn without_control_characters(mut copy: WireCopy) -> WireCopy {
    use dateline_newsroom::text::strip_control_characters as clean;
    clean(&mut copy.guid);
    clean(&mut copy.headline);
    clean(&mut copy.body);
    copy.deck.iter_mut().chain(copy.located.iter_mut()).chain(copy.written_dateline.iter_mut()).for_each(clean);
    copy.byline_names.iter_mut().chain(copy.subjects.iter_mut()).for_each(clean);
    for photo in &mut copy.photos {
        for text in [&mut photo.reference, &mut photo.caption, &mut photo.credit, &mut photo.photographer] {
            clean(text);
        }
    }
    copy
}

/// An instant the way agencies write them (RFC 3339, with or without seconds' fractions).
pub(crate) fn read_instant(text: &str, field: &str) -> Result<jiff::Timestamp, Rejection> {
    text.trim().parse::<jiff::Timestamp>().map_err(|_| {
        Rejection::declined(format!(
            "{field} is \"{}\", which is not a date and time Dateline can read (RFC 3339)",
            excerpt(text)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byline_gives_each_name_it_holds() {
        assert_eq!(byline_names("Paulo Santalucia and Frances d'Emilio"), ["Paulo Santalucia", "Frances d'Emilio"]);
        assert_eq!(byline_names("By Kim Ji-won, Lee Min-ho"), ["Kim Ji-won", "Lee Min-ho"]);
        assert!(byline_names("  ").is_empty());
        assert_eq!(byline_names("Von Christian Hollmann, dpa"), ["Christian Hollmann", "dpa"]);
        assert_eq!(byline_names("Bystander Kim"), ["Bystander Kim"], "only a word of its own is a prefix");
    }

    #[test]
    fn formats_are_named_as_the_desk_names_them() {
        for format in WireFormat::all() {
            assert_eq!(WireFormat::parse(&format.name()), Some(format));
        }
        assert_eq!(WireFormat::parse("ninjs-9.9"), None);
        assert_eq!(WireFormat::parse("rss"), None);
    }

    #[test]
    fn a_document_over_the_limit_is_refused_before_it_is_read() {
        let error = read_item(WireFormat::NewsMlG2, &[b' '; 100], 10).expect_err("too large");
        assert_eq!(error.kind, RejectionKind::TooLarge);
    }
}
