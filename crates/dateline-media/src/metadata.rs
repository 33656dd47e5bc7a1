//! What a photo file says about itself, and what of it may reach readers.
//!
//! Cameras and phones write much into a file that must not leave the newsroom: the GPS
//! position where it was taken (a source's house), camera and lens serial numbers, maker
//! notes, a thumbnail of the uncropped original, editing software's XMP history. Every
//! original is stored without them ([`strip_private`]); what travels with the picture's rights
//! is kept (the IPTC block's creator, credit and copyright notice, EXIF's artist and copyright)
//! with the orientation, so the photo still stands the right way up. The smaller sizes are
//! made upright from the orientation and carry the rights alone ([`Rights`]).
//!
//! JPEG, PNG and WebP are handled (what the paper takes); a GIF has no such blocks.

use crate::inspect::ImageFormat;

/// What an original's EXIF says that Dateline keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeptFacts {
    /// EXIF orientation, 1 to 8.
    pub orientation: Option<u16>,
    pub artist: Option<String>,
    pub copyright: Option<String>,
}

/// Why a file's metadata could not be read: its blocks do not add up.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the file's {0} is malformed")]
pub struct MetadataError(&'static str);

pub(crate) fn u16_at(data: &[u8], at: usize, big: bool) -> Option<u16> {
    let bytes: [u8; 2] = data.get(at..at + 2)?.try_into().ok()?;
    Some(if big { u16::from_be_bytes(bytes) } else { u16::from_le_bytes(bytes) })
}

pub(crate) fn u32_at(data: &[u8], at: usize, big: bool) -> Option<u32> {
    let bytes: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    Some(if big { u32::from_be_bytes(bytes) } else { u32::from_le_bytes(bytes) })
}

/// The facts kept from a TIFF structure (EXIF's body): IFD0's orientation, artist, copyright.
fn tiff_facts(tiff: &[u8]) -> KeptFacts {
    let mut facts = KeptFacts::default();
    let big = match tiff.get(..2) {
        Some(b"MM") => true,
        Some(b"II") => false,
        _ => return facts,
    };
    let Some(ifd) = u32_at(tiff, 4, big).map(|o| o as usize) else { return facts };
    let Some(count) = u16_at(tiff, ifd, big) else { return facts };
    for n in 0..usize::from(count.min(512)) {
        let entry = ifd + 2 + n * 12;
        let (Some(tag), Some(kind), Some(length)) =
            (u16_at(tiff, entry, big), u16_at(tiff, entry + 2, big), u32_at(tiff, entry + 4, big))
        else {
            break;
        };
        let ascii = || {
            let length = length as usize;
            let at = if length <= 4 { entry + 8 } else { u32_at(tiff, entry + 8, big)? as usize };
            let raw = tiff.get(at..at.checked_add(length)?)?;
            let text = String::from_utf8_lossy(raw).trim_end_matches('\0').trim().to_owned();
            (!text.is_empty() && text.len() <= 1_000).then_some(text)
        };
        match (tag, kind) {
            (0x0112, 3) => facts.orientation = u16_at(tiff, entry + 8, big).filter(|o| (1..=8).contains(o)),
            (0x013B, 2) => facts.artist = ascii(),
            (0x8298, 2) => facts.copyright = ascii(),
            _ => {}
        }
    }
    facts
}

/// A minimal EXIF block (`Exif\0\0` and a big-endian TIFF structure) holding only the kept facts.
pub(crate) fn minimal_exif(facts: &KeptFacts) -> Option<Vec<u8>> {
    let mut entries: Vec<(u16, u16, Vec<u8>)> = Vec::new();
    if let Some(orientation) = facts.orientation {
        entries.push((0x0112, 3, orientation.to_be_bytes().to_vec()));
    }
    for (tag, text) in [(0x013B, &facts.artist), (0x8298, &facts.copyright)] {
        if let Some(text) = text {
            let mut bytes = text.as_bytes().to_vec();
            bytes.push(0);
            entries.push((tag, 2, bytes));
        }
    }
    if entries.is_empty() {
        return None;
    }
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entries_end = 8 + 2 + entries.len() * 12 + 4;
    let mut data: Vec<u8> = Vec::new();
    tiff.extend((entries.len() as u16).to_be_bytes());
    for (tag, kind, value) in &entries {
        tiff.extend(tag.to_be_bytes());
        tiff.extend(kind.to_be_bytes());
        let count = if *kind == 3 { 1u32 } else { value.len() as u32 };
        tiff.extend(count.to_be_bytes());
        if value.len() <= 4 {
            let mut inline = value.clone();
            inline.resize(4, 0);
            tiff.extend(inline);
        } else {
            tiff.extend(((entries_end + data.len()) as u32).to_be_bytes());
            data.extend(value);
        }
    }
    tiff.extend([0, 0, 0, 0]);
    tiff.extend(data);
    let mut block = b"Exif\0\0".to_vec();
    block.extend(tiff);
    Some(block)
}

/// A JPEG segment: its marker and payload.
type Segment<'a> = (u8, &'a [u8]);

/// A PNG or WebP chunk: its type, its data, and the whole chunk as written.
type Chunk<'a> = ([u8; 4], &'a [u8], &'a [u8]);

/// JPEG segments, from after SOI up to SOS; and where the scan starts.
pub(crate) fn jpeg_segments(bytes: &[u8]) -> Result<(Vec<Segment<'_>>, usize), MetadataError> {
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return Err(MetadataError("JPEG structure"));
    }
    let mut at = 2;
    let mut segments = Vec::new();
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while bytes.get(at) == Some(&0xFF) && bytes.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return Err(MetadataError("JPEG structure"));
        };
        if marker == 0xDA {
            return Ok((segments, at));
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            at += 2;
            continue;
        }
        let length = usize::from(u16_at(bytes, at + 2, true).ok_or(MetadataError("JPEG structure"))?);
        let payload =
            bytes.get(at + 4..at + 2 + length).filter(|_| length >= 2).ok_or(MetadataError("JPEG structure"))?;
        segments.push((marker, payload));
        at += 2 + length;
    }
}

/// Of a Photoshop APP13 block, only the IPTC record (resource 0x0404): its other resources
/// include a thumbnail of the original.
pub(crate) fn iptc_only(payload: &[u8]) -> Option<Vec<u8>> {
    const HEADER: &[u8] = b"Photoshop 3.0\0";
    let mut at = HEADER.len();
    if payload.get(..at) != Some(HEADER) {
        return None;
    }
    while payload.get(at..at + 4) == Some(b"8BIM") {
        let id = u16_at(payload, at + 4, true)?;
        let name_length = usize::from(*payload.get(at + 6)?);
        let name_total = (1 + name_length + 1) & !1;
        let size_at = at + 6 + name_total;
        let size = u32_at(payload, size_at, true)? as usize;
        let data_at = size_at + 4;
        let end = data_at.checked_add(size)?;
        let padded = end + (size & 1);
        if id == 0x0404 {
            let mut kept = HEADER.to_vec();
            kept.extend(payload.get(at..padded.min(payload.len()))?);
            return Some(kept);
        }
        at = padded;
    }
    None
}

pub(crate) fn segment(marker: u8, payload: &[u8]) -> Option<Vec<u8>> {
    let length = u16::try_from(payload.len() + 2).ok()?;
    let mut out = vec![0xFF, marker];
    out.extend(length.to_be_bytes());
    out.extend(payload);
    Some(out)
}

/// What of an original's metadata its smaller copies carry: the rights (EXIF artist and
/// copyright; for a JPEG original, its IPTC record with the creator, credit and copyright
/// notice) and nothing else. The copies are drawn upright from decoded pixels, so they need no
/// orientation, and nothing private can ride along.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rights {
    /// EXIF as a TIFF structure (without JPEG's `Exif\0\0` header).
    pub exif_tiff: Option<Vec<u8>>,
    /// A Photoshop APP13 payload holding only the IPTC record.
    pub iptc_app13: Option<Vec<u8>>,
}

impl Rights {
    /// The rights of a stored original (already stripped of anything private).
    pub fn of(original: &[u8], format: ImageFormat) -> Rights {
        let facts = KeptFacts { orientation: None, ..kept_facts(original, format) };
        let exif_tiff = minimal_exif(&facts).map(|block| block[6..].to_vec());
        let iptc_app13 = match format {
            ImageFormat::Jpeg => jpeg_segments(original).ok().and_then(|(segments, _)| {
                segments.into_iter().find(|(marker, _)| *marker == 0xED).and_then(|(_, payload)| iptc_only(payload))
            }),
            _ => None,
        };
        Rights { exif_tiff, iptc_app13 }
    }

    /// A JPEG encoded from pixels, with the rights written in after its start.
    pub fn into_jpeg(&self, encoded: Vec<u8>) -> Vec<u8> {
        let mut blocks = Vec::new();
        if let Some(tiff) = &self.exif_tiff {
            let mut payload = b"Exif\0\0".to_vec();
            payload.extend(tiff);
            blocks.extend(segment(0xE1, &payload).unwrap_or_default());
        }
        if let Some(iptc) = &self.iptc_app13 {
            blocks.extend(segment(0xED, iptc).unwrap_or_default());
        }
        if blocks.is_empty() || encoded.get(..2) != Some(&[0xFF, 0xD8]) {
            return encoded;
        }
        let mut out = Vec::with_capacity(encoded.len() + blocks.len());
        out.extend(&encoded[..2]);
        out.extend(blocks);
        out.extend(&encoded[2..]);
        out
    }

    /// A simple (VP8) WebP file, rewritten in the extended form with the EXIF rights beside
    /// the picture (WebP has no place for an IPTC record).
    pub fn into_webp(&self, encoded: Vec<u8>, width: u32, height: u32) -> Vec<u8> {
        let Some(tiff) = &self.exif_tiff else { return encoded };
        if encoded.get(..4) != Some(b"RIFF") || encoded.get(8..12) != Some(b"WEBP") || width == 0 || height == 0 {
            return encoded;
        }
        let picture = &encoded[12..];
        if picture.get(..4) != Some(b"VP8 ") && picture.get(..4) != Some(b"VP8L") {
            return encoded;
        }
        let mut header = vec![0x08, 0, 0, 0];
        header.extend(&(width - 1).to_le_bytes()[..3]);
        header.extend(&(height - 1).to_le_bytes()[..3]);
        let mut body = b"WEBP".to_vec();
        body.extend(riff_chunk(b"VP8X", &header));
        body.extend(picture);
        body.extend(riff_chunk(b"EXIF", tiff));
        let mut out = b"RIFF".to_vec();
        out.extend((body.len() as u32).to_le_bytes());
        out.extend(body);
        out
    }
}

/// A RIFF chunk (as WebP is made of): its kind, its size, its data, padded to an even length.
pub(crate) fn riff_chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_vec();
    out.extend((data.len() as u32).to_le_bytes());
    out.extend(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    out
}

/// The kept facts of a file (its EXIF's orientation, artist and copyright).
pub fn kept_facts(bytes: &[u8], format: ImageFormat) -> KeptFacts {
    match format {
        ImageFormat::Jpeg => jpeg_segments(bytes)
            .ok()
            .and_then(|(segments, _)| {
                segments
                    .into_iter()
                    .find(|(marker, payload)| *marker == 0xE1 && payload.starts_with(b"Exif\0\0"))
                    .map(|(_, payload)| tiff_facts(&payload[6..]))
            })
            .unwrap_or_default(),
        ImageFormat::Png => png_chunks(bytes)
            .ok()
            .and_then(|chunks| chunks.into_iter().find(|c| &c.0 == b"eXIf").map(|c| tiff_facts(c.1)))
            .unwrap_or_default(),
        ImageFormat::WebP => webp_chunks(bytes)
            .ok()
            .and_then(|(chunks, _)| {
                chunks.into_iter().find(|c| &c.0 == b"EXIF").map(|c| tiff_facts(strip_exif_header(c.1)))
            })
            .unwrap_or_default(),
        ImageFormat::Gif => KeptFacts::default(),
    }
}

fn strip_exif_header(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"Exif\0\0").unwrap_or(data)
}

fn png_chunks(bytes: &[u8]) -> Result<Vec<Chunk<'_>>, MetadataError> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.get(..8) != Some(SIGNATURE) {
        return Err(MetadataError("PNG structure"));
    }
    let mut at = 8;
    let mut chunks = Vec::new();
    while at < bytes.len() {
        let length = u32_at(bytes, at, true).ok_or(MetadataError("PNG structure"))? as usize;
        let kind: [u8; 4] =
            bytes.get(at + 4..at + 8).and_then(|k| k.try_into().ok()).ok_or(MetadataError("PNG structure"))?;
        let end =
            (at + 12).checked_add(length).filter(|end| *end <= bytes.len()).ok_or(MetadataError("PNG structure"))?;
        chunks.push((kind, &bytes[at + 8..at + 8 + length], &bytes[at..end]));
        at = end;
        if &kind == b"IEND" {
            break;
        }
    }
    Ok(chunks)
}

/// WebP's chunks after the RIFF header, and the file's end (RIFF size).
fn webp_chunks(bytes: &[u8]) -> Result<(Vec<Chunk<'_>>, usize), MetadataError> {
    if bytes.get(..4) != Some(b"RIFF") || bytes.get(8..12) != Some(b"WEBP") {
        return Err(MetadataError("WebP structure"));
    }
    let end = (u32_at(bytes, 4, false).ok_or(MetadataError("WebP structure"))? as usize + 8).min(bytes.len());
    let mut at = 12;
    let mut chunks = Vec::new();
    while at + 8 <= end {
        let kind: [u8; 4] = bytes[at..at + 4].try_into().map_err(|_| MetadataError("WebP structure"))?;
        let size = u32_at(bytes, at + 4, false).ok_or(MetadataError("WebP structure"))? as usize;
        let padded = (size + 1) & !1;
        let chunk_end = (at + 8).checked_add(padded).ok_or(MetadataError("WebP structure"))?.min(end);
        let data_end = (at + 8 + size).min(end);
        chunks.push((kind, &bytes[at + 8..data_end], &bytes[at..chunk_end]));
        at = chunk_end;
    }
    Ok((chunks, end))
}

/// The file as readers may have it: without GPS, serial numbers, maker notes, thumbnails,
/// XMP and comments; with the rights (IPTC, EXIF artist and copyright) and the orientation.
pub fn strip_private(bytes: &[u8], format: ImageFormat) -> Result<Vec<u8>, MetadataError> {
    match format {
        ImageFormat::Jpeg => {
            let (segments, scan) = jpeg_segments(bytes)?;
            let facts = kept_facts(bytes, format);
            let mut out = Vec::with_capacity(bytes.len());
            out.extend([0xFF, 0xD8]);
            let mut exif_written = false;
            let mut write_exif = |out: &mut Vec<u8>| {
                if !exif_written {
                    exif_written = true;
                    if let Some(block) = minimal_exif(&facts).and_then(|b| segment(0xE1, &b)) {
                        out.extend(block);
                    }
                }
            };
            for (marker, payload) in segments {
                match marker {
                    // JFIF first, then the kept EXIF.
                    0xE0 => {
                        out.extend(segment(marker, payload).ok_or(MetadataError("JPEG structure"))?);
                        write_exif(&mut out);
                    }
                    0xE2 if payload.starts_with(b"ICC_PROFILE\0") => {
                        write_exif(&mut out);
                        out.extend(segment(marker, payload).ok_or(MetadataError("JPEG structure"))?);
                    }
                    0xED => {
                        if let Some(iptc) = iptc_only(payload).and_then(|kept| segment(0xED, &kept)) {
                            write_exif(&mut out);
                            out.extend(iptc);
                        }
                    }
                    0xEE if payload.starts_with(b"Adobe") => {
                        write_exif(&mut out);
                        out.extend(segment(marker, payload).ok_or(MetadataError("JPEG structure"))?);
                    }
                    // Every other application block (EXIF, XMP, maker data) and comments go.
                    0xE0..=0xEF | 0xFE => {}
                    _ => {
                        write_exif(&mut out);
                        out.extend(segment(marker, payload).ok_or(MetadataError("JPEG structure"))?);
                    }
                }
            }
            out.extend(&bytes[scan..]);
            Ok(out)
        }
        ImageFormat::Png => {
            let chunks = png_chunks(bytes)?;
            let facts = kept_facts(bytes, format);
            let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
            for (kind, _, whole) in chunks {
                match &kind {
                    b"eXIf" => {
                        if let Some(block) = minimal_exif(&facts) {
                            let tiff = &block[6..];
                            out.extend((tiff.len() as u32).to_be_bytes());
                            let mut crc_input = b"eXIf".to_vec();
                            crc_input.extend(tiff);
                            out.extend(&crc_input);
                            out.extend(crc32(&crc_input).to_be_bytes());
                        }
                    }
                    b"tEXt" | b"zTXt" | b"iTXt" | b"tIME" => {}
                    _ => out.extend(whole),
                }
            }
            Ok(out)
        }
        ImageFormat::WebP => {
            let (chunks, _) = webp_chunks(bytes)?;
            let mut body = Vec::with_capacity(bytes.len());
            for (kind, _, whole) in chunks {
                match &kind {
                    b"EXIF" | b"XMP " => {}
                    b"VP8X" => {
                        // The flags say which chunks follow; EXIF and XMP no longer do.
                        let mut chunk = whole.to_vec();
                        if let Some(flags) = chunk.get_mut(8) {
                            *flags &= !(0x08 | 0x04);
                        }
                        body.extend(chunk);
                    }
                    _ => body.extend(whole),
                }
            }
            let mut out = b"RIFF".to_vec();
            out.extend(((body.len() + 4) as u32).to_le_bytes());
            out.extend(b"WEBP");
            out.extend(body);
            Ok(out)
        }
        ImageFormat::Gif => Ok(bytes.to_vec()),
    }
}

/// CRC-32 as PNG computes it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A decoded picture turned as its EXIF orientation says, so that it stands upright.
pub fn upright(picture: image::DynamicImage, orientation: Option<u16>) -> image::DynamicImage {
    match orientation {
        Some(2) => picture.fliph(),
        Some(3) => picture.rotate180(),
        Some(4) => picture.flipv(),
        Some(5) => picture.rotate90().fliph(),
        Some(6) => picture.rotate90(),
        Some(7) => picture.rotate270().fliph(),
        Some(8) => picture.rotate270(),
        _ => picture,
    }
}

/// Whether an orientation turns the picture on its side (its width and height swap).
pub fn turns_sideways(orientation: Option<u16>) -> bool {
    matches!(orientation, Some(5..=8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with(app_segments: &[(u8, Vec<u8>)]) -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(40, 20, image::Rgb([200, 10, 10]));
        let mut plain = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut std::io::Cursor::new(&mut plain), image::ImageFormat::Jpeg)
            .expect("jpeg");
        let mut out = vec![0xFF, 0xD8];
        for (marker, payload) in app_segments {
            out.extend(segment(*marker, payload).expect("a segment"));
        }
        out.extend(&plain[2..]);
        out
    }

    fn exif(orientation: u16, with_gps: bool) -> Vec<u8> {
        // Big-endian TIFF: IFD0 with orientation, artist and (to be dropped with the block) a
        // GPS pointer.
        let mut facts = KeptFacts {
            orientation: Some(orientation),
            artist: Some("Kim Min-ji".into()),
            copyright: Some("(c) The Test Dateline".into()),
        };
        let mut block = minimal_exif(&facts).expect("a block");
        if with_gps {
            block.extend(b"GPS 37.56N 126.97E serial 0042");
        }
        facts.orientation = None;
        block
    }

    #[test]
    fn a_jpeg_loses_its_private_blocks_and_keeps_its_rights_and_orientation() {
        let xmp =
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>37.56</exif:GPSLatitude></x:xmpmeta>".to_vec();
        let mut photoshop = b"Photoshop 3.0\0".to_vec();
        // A thumbnail resource (0x040C), then the IPTC record (0x0404).
        for (id, data) in [(0x040Cu16, vec![1u8; 10]), (0x0404, b"\x1c\x02\x74\x00\x05Kim M".to_vec())] {
            photoshop.extend(b"8BIM");
            photoshop.extend(id.to_be_bytes());
            photoshop.extend([0, 0]);
            photoshop.extend((data.len() as u32).to_be_bytes());
            photoshop.extend(&data);
            if data.len() % 2 == 1 {
                photoshop.push(0);
            }
        }
        let original =
            jpeg_with(&[(0xE1, exif(6, true)), (0xE1, xmp), (0xED, photoshop), (0xFE, b"shot at home".to_vec())]);
        let stripped = strip_private(&original, ImageFormat::Jpeg).expect("stripped");
        for private in [&b"GPS"[..], b"serial", b"shot at home", b"xmpmeta", &[1u8; 10][..]] {
            assert!(
                !stripped.windows(private.len()).any(|w| w == private),
                "{:?} is gone",
                String::from_utf8_lossy(private)
            );
        }
        let facts = kept_facts(&stripped, ImageFormat::Jpeg);
        assert_eq!(facts.orientation, Some(6));
        assert_eq!(facts.artist.as_deref(), Some("Kim Min-ji"));
        assert_eq!(facts.copyright.as_deref(), Some("(c) The Test Dateline"));
        assert!(stripped.windows(5).any(|w| w == b"Kim M"), "the IPTC record stays");
        let decoded = image::load_from_memory(&stripped).expect("still a JPEG");
        assert_eq!((decoded.width(), decoded.height()), (40, 20));
        assert!(turns_sideways(facts.orientation));
        assert_eq!(upright(decoded, facts.orientation).width(), 20, "made upright");
    }

    #[test]
    fn a_webp_and_a_png_lose_their_exif_and_xmp() {
        let picture = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(30, 20, image::Rgb([5, 90, 5])));
        let mut plain = Vec::new();
        picture.write_to(&mut std::io::Cursor::new(&mut plain), image::ImageFormat::WebP).expect("webp");
        // The same picture as an extended WebP (VP8X) that declares and carries EXIF and XMP.
        let mut vp8x = vec![0x08 | 0x04, 0, 0, 0];
        vp8x.extend(&29u32.to_le_bytes()[..3]);
        vp8x.extend(&19u32.to_le_bytes()[..3]);
        let mut body = b"WEBP".to_vec();
        body.extend(riff_chunk(b"VP8X", &vp8x));
        body.extend(&plain[12..]);
        body.extend(riff_chunk(b"EXIF", &exif(1, true)));
        body.extend(riff_chunk(b"XMP ", b"<x:xmpmeta>GPS home</x:xmpmeta>"));
        let mut webp = b"RIFF".to_vec();
        webp.extend((body.len() as u32).to_le_bytes());
        webp.extend(body);
        assert_eq!(kept_facts(&webp, ImageFormat::WebP).artist.as_deref(), Some("Kim Min-ji"));
        let stripped = strip_private(&webp, ImageFormat::WebP).expect("stripped");
        assert!(!stripped.windows(3).any(|w| w == b"GPS"), "EXIF and XMP are gone");
        assert_eq!(stripped[20] & 0x0C, 0, "and the header no longer declares them");
        assert_eq!(u32_at(&stripped, 4, false).map(|n| n as usize + 8), Some(stripped.len()));
        assert_eq!(image::load_from_memory(&stripped).expect("still a WebP").width(), 30);

        let mut png = Vec::new();
        picture.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).expect("png");
        let mut with_text = png[..png.len() - 12].to_vec();
        for (kind, data) in [(&b"tEXt"[..], &b"Comment\0shot at home"[..]), (b"eXIf", &exif(3, true)[6..])] {
            with_text.extend((data.len() as u32).to_be_bytes());
            let mut typed = kind.to_vec();
            typed.extend(data);
            with_text.extend(&typed);
            with_text.extend(crc32(&typed).to_be_bytes());
        }
        with_text.extend(&png[png.len() - 12..]);
        let stripped = strip_private(&with_text, ImageFormat::Png).expect("stripped");
        assert!(!stripped.windows(4).any(|w| w == b"home" || w == b"GPS "), "the text and the GPS are gone");
        assert_eq!(kept_facts(&stripped, ImageFormat::Png).orientation, Some(3), "the orientation stays");
        assert_eq!(image::load_from_memory(&stripped).expect("still a PNG").height(), 20);
    }

    #[test]
    fn broken_blocks_are_refused_not_followed() {
        let mut broken = jpeg_with(&[(0xE1, exif(1, false))]);
        broken[5] = 0xFF; // the EXIF segment's length now runs past the file
        broken.truncate(40);
        assert!(strip_private(&broken, ImageFormat::Jpeg).is_err());
        assert!(strip_private(b"\x89PNG\r\n\x1a\n\xff\xff\xff\xff", ImageFormat::Png).is_err());
        assert_eq!(kept_facts(b"not an image", ImageFormat::Jpeg), KeptFacts::default());
    }
}
