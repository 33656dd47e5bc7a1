//! Video files: checking that an upload is the MP4 or WebM it claims to be, with a video
//! track, its length and picture size read from the file's own structure.
//!
//! Decoding video is beyond what the paper needs to do on arrival (and no decoder for these
//! codecs builds from the crates registry); the container is walked instead, every box or
//! element checked to lie inside its parent and the file, so a truncated or crafted file is
//! refused with a reason, never read past its end. An MP4 must hold its index (`moov`) and
//! its media (`mdat`); a WebM its header, segment information, a video track and a cluster.

pub const MAX_VIDEO_SECONDS: u64 = 12 * 60 * 60;
pub const DEFAULT_MAX_VIDEO_BYTES: usize = 1024 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VideoFormat {
    Mp4,
    WebM,
}

impl VideoFormat {
    pub fn mime_type(self) -> &'static str {
        match self {
            VideoFormat::Mp4 => "video/mp4",
            VideoFormat::WebM => "video/webm",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            VideoFormat::Mp4 => "mp4",
            VideoFormat::WebM => "webm",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            VideoFormat::Mp4 => "MP4",
            VideoFormat::WebM => "WebM",
        }
    }

    pub fn declared(content_type: &str, file_name: &str) -> Option<VideoFormat> {
        match content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase().as_str() {
            "video/mp4" | "video/quicktime" => return Some(VideoFormat::Mp4),
            "video/webm" => return Some(VideoFormat::WebM),
            _ => {}
        }
        match file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
            Some("mp4" | "m4v" | "mov") => Some(VideoFormat::Mp4),
            Some("webm") => Some(VideoFormat::WebM),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectedVideo {
    pub format: VideoFormat,
    pub duration_ms: u64,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VideoRefusal {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {limit_mb} MB")]
    TooLarge { limit_mb: usize },
    #[error("this is not an MP4 or WebM file")]
    NotVideo,
    #[error("the file was sent as {declared} but is {found}")]
    Mismatch { declared: &'static str, found: &'static str },
    #[error("the file is damaged: {0}")]
    Damaged(String),
    #[error("the file has no video track")]
    NoVideoTrack,
    #[error("the file does not say how long it is")]
    NoDuration,
    #[error("the file lasts more than {} hours", MAX_VIDEO_SECONDS / 3600)]
    TooLong,
}

fn damaged(why: &str) -> VideoRefusal {
    VideoRefusal::Damaged(why.to_owned())
}

pub fn inspect_video(
    bytes: &[u8],
    declared: Option<VideoFormat>,
    max_bytes: usize,
) -> Result<InspectedVideo, VideoRefusal> {
    if bytes.is_empty() {
        return Err(VideoRefusal::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(VideoRefusal::TooLarge { limit_mb: max_bytes / (1024 * 1024) });
    }
    let found = if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        VideoFormat::Mp4
    } else if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        VideoFormat::WebM
    } else {
        return Err(VideoRefusal::NotVideo);
    };
    if let Some(declared) = declared.filter(|d| *d != found) {
        return Err(VideoRefusal::Mismatch { declared: declared.name(), found: found.name() });
    }
    let inspected = match found {
        VideoFormat::Mp4 => mp4::inspect(bytes)?,
        VideoFormat::WebM => webm::inspect(bytes)?,
    };
    if inspected.duration_ms == 0 {
        return Err(VideoRefusal::NoDuration);
    }
    if inspected.duration_ms > MAX_VIDEO_SECONDS * 1000 {
        return Err(VideoRefusal::TooLong);
    }
    Ok(inspected)
}

mod mp4 {
    use super::{damaged, InspectedVideo, VideoFormat, VideoRefusal};

    fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    }

    fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
        Some(u64::from_be_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
    }

    /// A box: its four-letter type and its contents.
    type Mp4Box<'a> = ([u8; 4], &'a [u8]);

    /// The boxes directly inside `bytes`, each checked to fit.
    fn boxes(bytes: &[u8]) -> Result<Vec<Mp4Box<'_>>, VideoRefusal> {
        let mut found = Vec::new();
        let mut at = 0usize;
        while at < bytes.len() {
            let size = u32_at(bytes, at).ok_or_else(|| damaged("a box is cut short"))?;
            let kind: [u8; 4] =
                bytes.get(at + 4..at + 8).ok_or_else(|| damaged("a box is cut short"))?.try_into().expect("four bytes");
            let (header, total) = match size {
                0 => (8usize, bytes.len() - at),
                1 => {
                    let large = u64_at(bytes, at + 8).ok_or_else(|| damaged("a box is cut short"))?;
                    (16usize, usize::try_from(large).map_err(|_| damaged("a box is larger than the file"))?)
                }
                n => (8usize, n as usize),
            };
            if total < header || at + total > bytes.len() {
                return Err(damaged("a box is larger than the file: it is cut short"));
            }
            found.push((kind, &bytes[at + header..at + total]));
            at += total;
        }
        Ok(found)
    }

    fn child<'a>(bytes: &'a [u8], kind: &[u8; 4]) -> Result<Option<&'a [u8]>, VideoRefusal> {
        Ok(boxes(bytes)?.into_iter().find(|(k, _)| k == kind).map(|(_, body)| body))
    }

    pub(super) fn inspect(bytes: &[u8]) -> Result<InspectedVideo, VideoRefusal> {
        let top = boxes(bytes)?;
        let moov =
            top.iter().find(|(k, _)| k == b"moov").map(|(_, b)| *b).ok_or_else(|| damaged("it has no index (moov)"))?;
        if !top.iter().any(|(k, body)| k == b"mdat" && !body.is_empty()) {
            return Err(damaged("it holds no media (mdat)"));
        }
        let mvhd = child(moov, b"mvhd")?.ok_or_else(|| damaged("its index has no header (mvhd)"))?;
        let (timescale, duration) = match mvhd.first() {
            Some(0) => (u32_at(mvhd, 12), u32_at(mvhd, 16).map(u64::from)),
            Some(1) => (u32_at(mvhd, 20), u64_at(mvhd, 24)),
            _ => (None, None),
        };
        let (Some(timescale), Some(duration)) = (timescale.filter(|t| *t > 0), duration) else {
            return Err(VideoRefusal::NoDuration);
        };
        let duration_ms = duration.saturating_mul(1000) / u64::from(timescale);
        let mut picture = None;
        for (kind, trak) in boxes(moov)? {
            if &kind != b"trak" {
                continue;
            }
            let handler = child(trak, b"mdia")?
                .map(|mdia| child(mdia, b"hdlr"))
                .transpose()?
                .flatten()
                .and_then(|hdlr| hdlr.get(8..12));
            if handler != Some(b"vide") {
                continue;
            }
            let tkhd = child(trak, b"tkhd")?.ok_or_else(|| damaged("a track has no header (tkhd)"))?;
            // Width and height are the header's last eight bytes, 16.16 fixed point.
            let end = tkhd.len();
            let (width, height) = match (
                end.checked_sub(8).and_then(|at| u32_at(tkhd, at)),
                end.checked_sub(4).and_then(|at| u32_at(tkhd, at)),
            ) {
                (Some(w), Some(h)) => (w >> 16, h >> 16),
                _ => return Err(damaged("a track header is cut short")),
            };
            picture = Some((width, height));
            break;
        }
        let (width, height) = picture.ok_or(VideoRefusal::NoVideoTrack)?;
        Ok(InspectedVideo { format: VideoFormat::Mp4, duration_ms, width, height })
    }
}

mod webm {
    use super::{damaged, InspectedVideo, VideoFormat, VideoRefusal};

    /// A variable-length integer: its value (with the length marker kept for ids, removed for
    /// sizes) and its length; `None` for all-ones sizes ("unknown").
    fn vint(bytes: &[u8], at: usize, keep_marker: bool) -> Result<(Option<u64>, usize), VideoRefusal> {
        let first = *bytes.get(at).ok_or_else(|| damaged("an element is cut short"))?;
        let length = first.leading_zeros() as usize + 1;
        if length > 8 {
            return Err(damaged("an element's length is malformed"));
        }
        let raw = bytes.get(at..at + length).ok_or_else(|| damaged("an element is cut short"))?;
        let mut value = if keep_marker { u64::from(first) } else { u64::from(first) & (0xFF >> length) };
        for byte in &raw[1..] {
            value = (value << 8) | u64::from(*byte);
        }
        let all_ones = !keep_marker && value == (1u64 << (7 * length)) - 1;
        Ok((if all_ones { None } else { Some(value) }, length))
    }

    struct Element<'a> {
        id: u64,
        body: &'a [u8],
    }

    /// The elements directly inside `bytes`; an element of unknown size runs to the end.
    fn elements(bytes: &[u8], stop_at_cluster: bool) -> Result<Vec<Element<'_>>, VideoRefusal> {
        let mut found = Vec::new();
        let mut at = 0usize;
        while at < bytes.len() {
            let (id, id_len) = vint(bytes, at, true)?;
            let (size, size_len) = vint(bytes, at + id_len, false)?;
            let start = at + id_len + size_len;
            let end = match size {
                Some(size) => start
                    .checked_add(usize::try_from(size).map_err(|_| damaged("an element is larger than the file"))?)
                    .filter(|end| *end <= bytes.len())
                    .ok_or_else(|| damaged("an element is larger than the file: it is cut short"))?,
                None => bytes.len(),
            };
            let id = id.ok_or_else(|| damaged("an element's id is malformed"))?;
            found.push(Element { id, body: &bytes[start..end] });
            if stop_at_cluster && id == CLUSTER {
                break;
            }
            at = end;
        }
        Ok(found)
    }

    const EBML: u64 = 0x1A45_DFA3;
    const DOC_TYPE: u64 = 0x4282;
    const SEGMENT: u64 = 0x1853_8067;
    const INFO: u64 = 0x1549_A966;
    const TIMECODE_SCALE: u64 = 0x2A_D7B1;
    const DURATION: u64 = 0x4489;
    const TRACKS: u64 = 0x1654_AE6B;
    const TRACK_ENTRY: u64 = 0xAE;
    const TRACK_TYPE: u64 = 0x83;
    const VIDEO: u64 = 0xE0;
    const PIXEL_WIDTH: u64 = 0xB0;
    const PIXEL_HEIGHT: u64 = 0xBA;
    const CLUSTER: u64 = 0x1F43_B675;

    fn uint(body: &[u8]) -> Option<u64> {
        (body.len() <= 8).then(|| body.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
    }

    fn find<'a>(list: &'a [Element<'a>], id: u64) -> Option<&'a [u8]> {
        list.iter().find(|e| e.id == id).map(|e| e.body)
    }

    pub(super) fn inspect(bytes: &[u8]) -> Result<InspectedVideo, VideoRefusal> {
        let top = elements(bytes, false)?;
        let header = find(&top, EBML).ok_or(VideoRefusal::NotVideo)?;
        let doc_type = find(&elements(header, false)?, DOC_TYPE).unwrap_or_default().to_vec();
        if doc_type != b"webm" {
            return Err(VideoRefusal::Mismatch { declared: "WebM", found: "another Matroska file" });
        }
        let segment = find(&top, SEGMENT).ok_or_else(|| damaged("it has no segment"))?;
        let parts = elements(segment, true)?;
        let info = elements(find(&parts, INFO).ok_or_else(|| damaged("it has no segment information"))?, false)?;
        let scale = find(&info, TIMECODE_SCALE).and_then(uint).unwrap_or(1_000_000);
        let duration = match find(&info, DURATION) {
            Some(b) if b.len() == 8 => f64::from_be_bytes(b.try_into().expect("eight bytes")),
            Some(b) if b.len() == 4 => f64::from(f32::from_be_bytes(b.try_into().expect("four bytes"))),
            _ => return Err(VideoRefusal::NoDuration),
        };
        if !duration.is_finite() || duration < 0.0 {
            return Err(VideoRefusal::NoDuration);
        }
        let duration_ms = (duration * scale as f64 / 1_000_000.0) as u64;
        let tracks = elements(find(&parts, TRACKS).ok_or(VideoRefusal::NoVideoTrack)?, false)?;
        let mut picture = None;
        for entry in tracks.iter().filter(|e| e.id == TRACK_ENTRY) {
            let fields = elements(entry.body, false)?;
            if find(&fields, TRACK_TYPE).and_then(uint) != Some(1) {
                continue;
            }
            let video =
                elements(find(&fields, VIDEO).ok_or_else(|| damaged("a video track has no picture size"))?, false)?;
            let width = find(&video, PIXEL_WIDTH).and_then(uint).unwrap_or(0);
            let height = find(&video, PIXEL_HEIGHT).and_then(uint).unwrap_or(0);
            picture = Some((u32::try_from(width).unwrap_or(0), u32::try_from(height).unwrap_or(0)));
            break;
        }
        let (width, height) = picture.ok_or(VideoRefusal::NoVideoTrack)?;
        if !parts.iter().any(|e| e.id == CLUSTER) {
            return Err(damaged("it holds no media (no cluster)"));
        }
        Ok(InspectedVideo { format: VideoFormat::WebM, duration_ms, width, height })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MP4: &[u8] = include_bytes!("../testdata/clip.mp4");
    const WEBM: &[u8] = include_bytes!("../testdata/clip.webm");
    const LIMIT: usize = DEFAULT_MAX_VIDEO_BYTES;

    #[test]
    fn an_mp4_and_a_webm_are_read_to_their_length_and_size() {
        let mp4 = inspect_video(MP4, Some(VideoFormat::Mp4), LIMIT).expect("mp4");
        assert_eq!((mp4.width, mp4.height), (320, 180));
        assert!((1900..=2100).contains(&mp4.duration_ms), "{}", mp4.duration_ms);
        let webm = inspect_video(WEBM, None, LIMIT).expect("webm");
        assert_eq!((webm.format, webm.width, webm.height), (VideoFormat::WebM, 320, 180));
        assert!((1900..=2100).contains(&webm.duration_ms), "{}", webm.duration_ms);
    }

    #[test]
    fn a_cut_or_mislabelled_file_is_refused() {
        for (whole, format) in [(MP4, VideoFormat::Mp4), (WEBM, VideoFormat::WebM)] {
            for cut in [20, whole.len() / 3, whole.len() - 1] {
                assert!(inspect_video(&whole[..cut], Some(format), LIMIT).is_err(), "{format:?} cut at {cut}");
            }
        }
        assert_eq!(
            inspect_video(MP4, Some(VideoFormat::WebM), LIMIT),
            Err(VideoRefusal::Mismatch { declared: "WebM", found: "MP4" })
        );
        assert_eq!(inspect_video(b"<html>", None, LIMIT), Err(VideoRefusal::NotVideo));
    }

    #[test]
    fn a_box_claiming_more_than_the_file_is_refused() {
        let mut crafted = MP4.to_vec();
        // The first box (ftyp) claims four gigabytes.
        crafted[..4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(matches!(inspect_video(&crafted, None, LIMIT), Err(VideoRefusal::Damaged(_))));
    }
}
