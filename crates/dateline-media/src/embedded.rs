//! What a photo file says of itself that a photo desk would otherwise type: its IPTC record
//! (IIM) and its XMP packet (Dublin Core, Photoshop, IPTC Core). Each value is kept with
//! where it was read ([`Fact::source`]), so the desk can see where a caption came from.
//!
//! IIM text is UTF-8 when the record's `1:90` says so (`ESC % G`), Korean (KS X 1001, as
//! EUC-KR) when `1:90` designates it; without `1:90`, UTF-8 when the bytes are valid UTF-8,
//! else Korean when they read cleanly as such (Korean desks' software wrote the system's code
//! page), else Windows-1252 (the Western one). XMP is UTF-8 XML, read without a DTD (so no
//! entity tricks) and at most 1 MB. Where both speak of the same field, XMP wins: it is the
//! newer of the two, and what photo software updates first.

use crate::inspect::ImageFormat;
use crate::metadata::{iptc_only, jpeg_segments, u32_at};

/// A field of a photo's description that a file may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Caption,
    Headline,
    Creator,
    Credit,
    Copyright,
    Source,
    DateCreated,
    City,
    Country,
    Keywords,
    AltText,
}

impl Field {
    pub const ALL: [Field; 11] = [
        Field::Caption,
        Field::Headline,
        Field::Creator,
        Field::Credit,
        Field::Copyright,
        Field::Source,
        Field::DateCreated,
        Field::City,
        Field::Country,
        Field::Keywords,
        Field::AltText,
    ];

    /// The field's name for people.
    pub fn title(self) -> &'static str {
        match self {
            Field::Caption => "Caption",
            Field::Headline => "Headline",
            Field::Creator => "Creator",
            Field::Credit => "Credit line",
            Field::Copyright => "Copyright notice",
            Field::Source => "Source",
            Field::DateCreated => "Date created",
            Field::City => "City",
            Field::Country => "Country",
            Field::Keywords => "Keywords",
            Field::AltText => "Alt text (accessibility)",
        }
    }
}

/// One value read from the file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub field: Field,
    pub value: String,
    /// The standard and the property, as a photo desk names them: `IPTC IIM 2:120`,
    /// `XMP dc:description`.
    pub source: &'static str,
}

/// Everything read from one file, IIM facts first, then XMP's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Embedded {
    pub facts: Vec<Fact>,
    /// What could not be read, in a sentence each (a record that breaks off, an XMP block
    /// that is not XML): the photo is taken, and the desk is told what was skipped.
    pub notes: Vec<String>,
}

impl Embedded {
    /// The value of `field`: XMP's where it has one, else the IPTC record's.
    pub fn value(&self, field: Field) -> Option<&Fact> {
        let mut found = None;
        for fact in self.facts.iter().filter(|f| f.field == field) {
            if found.is_none() || fact.source.starts_with("XMP") {
                found = Some(fact);
            }
        }
        found
    }
}

/// What a file says of itself; JPEG only (other formats carry none that Dateline reads yet).
pub fn read(bytes: &[u8], format: ImageFormat) -> Embedded {
    let mut embedded = Embedded::default();
    if format != ImageFormat::Jpeg {
        return embedded;
    }
    let Ok((segments, _)) = jpeg_segments(bytes) else { return embedded };
    for (marker, payload) in &segments {
        if *marker == 0xED {
            if let Some(record) = iptc_only(payload) {
                embedded.notes.extend(iptc_facts(&record, &mut embedded.facts));
            }
        }
    }
    for (marker, payload) in &segments {
        if *marker == 0xE1 {
            if let Some(packet) = payload.strip_prefix(b"http://ns.adobe.com/xap/1.0/\0") {
                embedded.notes.extend(xmp_facts(packet, &mut embedded.facts).map(str::to_owned));
            }
        }
    }
    embedded
}

fn cleaned(text: &str) -> Option<String> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!text.is_empty()).then(|| text.chars().take(1_000).collect())
}

/// How the record's text is written, as its `1:90` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    Unsaid,
    Utf8,
    Korean,
}

fn charset_of(designation: &[u8]) -> Charset {
    let has = |sequence: &[u8]| designation.windows(sequence.len()).any(|w| w == sequence);
    if has(b"\x1b%G") {
        Charset::Utf8
    } else if has(b"\x1b$)C") || has(b"\x1b$(C") || has(b"\x1b$C") {
        Charset::Korean
    } else {
        Charset::Unsaid
    }
}

fn decode(value: &[u8], charset: Charset) -> String {
    let korean = || {
        let (text, had_errors) = encoding_rs::EUC_KR.decode_without_bom_handling(value);
        (!had_errors).then(|| text.into_owned())
    };
    match charset {
        Charset::Utf8 => String::from_utf8_lossy(value).into_owned(),
        Charset::Korean => korean().unwrap_or_else(|| String::from_utf8_lossy(value).into_owned()),
        Charset::Unsaid => match std::str::from_utf8(value) {
            Ok(text) => text.to_owned(),
            Err(_) => korean()
                .filter(|text| text.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)))
                .unwrap_or_else(|| encoding_rs::WINDOWS_1252.decode_without_bom_handling(value).0.into_owned()),
        },
    }
}

/// `CCYYMMDD` (and `HHMMSS±HHMM`) as `YYYY-MM-DD` (`HH:MM`).
fn iim_date(date: &str, time: Option<&str>) -> Option<String> {
    let digits = |s: &str| s.len() >= 8 && s[..8].bytes().all(|b| b.is_ascii_digit());
    if !digits(date) {
        return None;
    }
    let mut text = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..8]);
    if let Some(time) = time.filter(|t| t.len() >= 4 && t[..4].bytes().all(|b| b.is_ascii_digit())) {
        text.push_str(&format!(" {}:{}", &time[..2], &time[2..4]));
    }
    Some(text)
}

/// IIM datasets of an APP13 record kept by [`iptc_only`] (its 8BIM 0x0404 resource); a note
/// when the record could not be read whole.
fn iptc_facts(record: &[u8], facts: &mut Vec<Fact>) -> Option<String> {
    const UNREADABLE: &str = "The IPTC record's size does not match its block; it was skipped.";
    // Past "Photoshop 3.0\0", "8BIM", the id and the (padded) name: the size, then the data.
    let Some(&name_length) = record.get(14 + 6) else { return Some(UNREADABLE.into()) };
    let size_at = 14 + 6 + ((1 + usize::from(name_length) + 1) & !1);
    let Some(size) = u32_at(record, size_at, true) else { return Some(UNREADABLE.into()) };
    let Some(data) = record.get(size_at + 4..(size_at + 4).saturating_add(size as usize)) else {
        return Some(UNREADABLE.into());
    };
    let mut charset = Charset::Unsaid;
    let mut keywords = Vec::new();
    let (mut date, mut time) = (None, None);
    let mut at = 0;
    while at + 5 <= data.len() && data[at] == 0x1C {
        let (record_number, dataset) = (data[at + 1], data[at + 2]);
        let length = usize::from(u16::from_be_bytes([data[at + 3], data[at + 4]]));
        if length & 0x8000 != 0 {
            break; // an extended length: no text field needs one
        }
        let Some(value) = data.get(at + 5..at + 5 + length) else { break };
        at += 5 + length;
        if (record_number, dataset) == (1, 90) {
            charset = charset_of(value);
            continue;
        }
        if record_number != 2 {
            continue;
        }
        let Some(text) = cleaned(&decode(value, charset)) else { continue };
        let (field, source) = match dataset {
            120 => (Field::Caption, "IPTC IIM 2:120 Caption/Abstract"),
            105 => (Field::Headline, "IPTC IIM 2:105 Headline"),
            80 => (Field::Creator, "IPTC IIM 2:80 By-line"),
            110 => (Field::Credit, "IPTC IIM 2:110 Credit"),
            116 => (Field::Copyright, "IPTC IIM 2:116 Copyright Notice"),
            115 => (Field::Source, "IPTC IIM 2:115 Source"),
            90 => (Field::City, "IPTC IIM 2:90 City"),
            101 => (Field::Country, "IPTC IIM 2:101 Country/Primary Location Name"),
            25 => {
                keywords.push(text);
                continue;
            }
            55 => {
                date = Some(text);
                continue;
            }
            60 => {
                time = Some(text);
                continue;
            }
            _ => continue,
        };
        if !facts.iter().any(|f| f.field == field && f.source == source) {
            facts.push(Fact { field, value: text, source });
        }
    }
    if !keywords.is_empty() {
        facts.push(Fact { field: Field::Keywords, value: keywords.join(", "), source: "IPTC IIM 2:25 Keywords" });
    }
    if let Some(value) = date.as_deref().and_then(|d| iim_date(d, time.as_deref())) {
        facts.push(Fact { field: Field::DateCreated, value, source: "IPTC IIM 2:55 Date Created" });
    }
    (at < data.len()).then(|| {
        format!("The IPTC record breaks off after {at} of its {} bytes; what came before was read.", data.len())
    })
}

/// The XMP packet's fields.
fn xmp_facts(packet: &[u8], facts: &mut Vec<Fact>) -> Option<&'static str> {
    if packet.len() > 1 << 20 {
        return Some("The XMP block is larger than 1 MB; it was skipped.");
    }
    let Ok(text) = std::str::from_utf8(packet) else {
        return Some("The XMP block is not UTF-8 text; it was skipped.");
    };
    let start = text.find("<x:xmpmeta").or_else(|| text.find("<rdf:RDF")).unwrap_or(0);
    let end = text
        .rfind("</x:xmpmeta>")
        .map(|e| e + "</x:xmpmeta>".len())
        .or_else(|| text.rfind("</rdf:RDF>").map(|e| e + 10));
    let Some(end) = end.filter(|e| *e > start) else {
        return Some("The XMP block is not whole; it was skipped.");
    };
    let options = roxmltree::ParsingOptions { allow_dtd: false, nodes_limit: 20_000 };
    let Ok(document) = roxmltree::Document::parse_with_options(&text[start..end], options) else {
        return Some("The XMP block is not well-formed XML, or declares entities; it was skipped.");
    };
    let value_of = |local: &str, namespace_hint: &str| -> Option<String> {
        for node in document.descendants().filter(|n| n.is_element()) {
            for attribute in node.attributes() {
                if attribute.name() == local && attribute.namespace().is_some_and(|ns| ns.contains(namespace_hint)) {
                    return cleaned(attribute.value());
                }
            }
            let tag = node.tag_name();
            if tag.name() == local && tag.namespace().is_some_and(|ns| ns.contains(namespace_hint)) {
                let items: Vec<String> = node
                    .descendants()
                    .filter(|n| n.is_element() && n.tag_name().name() == "li")
                    .filter_map(|li| cleaned(li.text().unwrap_or_default()))
                    .collect();
                return if items.is_empty() {
                    cleaned(node.text().unwrap_or_default())
                } else {
                    Some(items.join(", "))
                };
            }
        }
        None
    };
    let fields = [
        (Field::Caption, "description", "purl.org/dc", "XMP dc:description"),
        (Field::Headline, "Headline", "photoshop", "XMP photoshop:Headline"),
        (Field::Creator, "creator", "purl.org/dc", "XMP dc:creator"),
        (Field::Credit, "Credit", "photoshop", "XMP photoshop:Credit"),
        (Field::Copyright, "rights", "purl.org/dc", "XMP dc:rights"),
        (Field::Source, "Source", "photoshop", "XMP photoshop:Source"),
        (Field::DateCreated, "DateCreated", "photoshop", "XMP photoshop:DateCreated"),
        (Field::City, "City", "photoshop", "XMP photoshop:City"),
        (Field::Country, "Country", "photoshop", "XMP photoshop:Country"),
        (Field::Keywords, "subject", "purl.org/dc", "XMP dc:subject"),
        (Field::AltText, "AltTextAccessibility", "iptc.org/std/Iptc4xmpCore", "XMP Iptc4xmpCore:AltTextAccessibility"),
    ];
    for (field, local, namespace, source) in fields {
        if let Some(value) = value_of(local, namespace) {
            facts.push(Fact { field, value, source });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG whose APP13 holds these IIM datasets, each `(record, dataset, bytes)`.
    fn jpeg_with_iim(datasets: &[(u8, u8, &[u8])]) -> Vec<u8> {
        let mut iim = Vec::new();
        for (record, dataset, value) in datasets {
            iim.extend([0x1C, *record, *dataset]);
            iim.extend(u16::try_from(value.len()).expect("short").to_be_bytes());
            iim.extend(*value);
        }
        let mut app13 = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
        app13.extend(u32::try_from(iim.len()).expect("short").to_be_bytes());
        app13.extend(&iim);
        if iim.len() % 2 == 1 {
            app13.push(0);
        }
        let picture = image::RgbImage::from_pixel(8, 8, image::Rgb([10, 120, 200]));
        let mut plain = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut std::io::Cursor::new(&mut plain), image::ImageFormat::Jpeg)
            .expect("encode");
        let mut out = plain[..2].to_vec();
        out.extend([0xFF, 0xED]);
        out.extend(u16::try_from(app13.len() + 2).expect("short").to_be_bytes());
        out.extend(app13);
        out.extend(&plain[2..]);
        out
    }

    fn value(embedded: &Embedded, field: Field) -> Option<String> {
        embedded.value(field).map(|f| f.value.clone())
    }

    #[test]
    fn a_korean_caption_reads_right_whether_its_record_says_utf8_euc_kr_or_nothing() {
        let caption = "태풍이 남해안에 상륙했다";
        let (euc_kr, _, _) = encoding_rs::EUC_KR.encode(caption);
        for datasets in [
            vec![(1, 90, b"\x1b%G".as_slice()), (2, 120, caption.as_bytes())],
            vec![(1, 90, b"\x1b$)C".as_slice()), (2, 120, &euc_kr)],
            vec![(2, 120, &euc_kr[..])],
            vec![(2, 120, caption.as_bytes())],
        ] {
            let read = read(&jpeg_with_iim(&datasets), ImageFormat::Jpeg);
            assert_eq!(value(&read, Field::Caption).as_deref(), Some(caption), "{datasets:?}");
        }
        // Western text without a designation is Windows-1252.
        let read = read(&jpeg_with_iim(&[(2, 80, b"Jos\xe9 Mu\xf1oz")]), ImageFormat::Jpeg);
        assert_eq!(value(&read, Field::Creator).as_deref(), Some("José Muñoz"));
    }

    #[test]
    fn every_field_a_photo_desk_reads_is_read_with_where_it_came_from() {
        let read = read(
            &jpeg_with_iim(&[
                (1, 90, b"\x1b%G"),
                (2, 120, b"Ferries wait in Haeseong harbour."),
                (2, 105, b"Typhoon nears"),
                (2, 80, b"Park Ji-hoon"),
                (2, 110, b"Hanbit News"),
                (2, 116, b"(c) Hanbit News 2026"),
                (2, 115, b"Hanbit"),
                (2, 90, b"Haeseong"),
                (2, 101, b"South Korea"),
                (2, 25, b"typhoon"),
                (2, 25, b"ferries"),
                (2, 55, b"20261129"),
                (2, 60, b"143000+0900"),
            ]),
            ImageFormat::Jpeg,
        );
        let expected = [
            (Field::Caption, "Ferries wait in Haeseong harbour.", "IPTC IIM 2:120 Caption/Abstract"),
            (Field::Headline, "Typhoon nears", "IPTC IIM 2:105 Headline"),
            (Field::Creator, "Park Ji-hoon", "IPTC IIM 2:80 By-line"),
            (Field::Credit, "Hanbit News", "IPTC IIM 2:110 Credit"),
            (Field::Copyright, "(c) Hanbit News 2026", "IPTC IIM 2:116 Copyright Notice"),
            (Field::Source, "Hanbit", "IPTC IIM 2:115 Source"),
            (Field::City, "Haeseong", "IPTC IIM 2:90 City"),
            (Field::Country, "South Korea", "IPTC IIM 2:101 Country/Primary Location Name"),
            (Field::Keywords, "typhoon, ferries", "IPTC IIM 2:25 Keywords"),
            (Field::DateCreated, "2026-11-29 14:30", "IPTC IIM 2:55 Date Created"),
        ];
        for (field, text, source) in expected {
            let fact = read.value(field).unwrap_or_else(|| panic!("{field:?} read"));
            assert_eq!((fact.value.as_str(), fact.source), (text, source));
        }
    }

    #[test]
    fn a_broken_record_is_read_up_to_where_it_breaks() {
        // The second dataset claims more bytes than there are.
        let mut broken = jpeg_with_iim(&[(2, 120, b"Kept caption"), (2, 80, b"Lost")]);
        let at = broken.windows(5).position(|w| w == [0x1C, 2, 80, 0, 4]).expect("dataset");
        broken[at + 3] = 0x7F;
        let read = read(&broken, ImageFormat::Jpeg);
        assert_eq!(value(&read, Field::Caption).as_deref(), Some("Kept caption"));
        assert_eq!(value(&read, Field::Creator), None);
    }
}
