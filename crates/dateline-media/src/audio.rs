//! Audio: checking that an uploaded episode file is the MP3, AAC (M4A) or Opus (in Ogg) it
//! claims to be, and reading its length from the file itself.
//!
//! A podcast app trusts the feed's enclosure: a wrong type or a file that stops decoding
//! half-way is a broken episode on every listener's phone, so every packet is read before
//! the file is accepted. MP3 and AAC are decoded (Symphonia); Opus packets are checked
//! against their table of contents (RFC 6716, section 3.1), which is what gives their
//! length, with every Ogg page's checksum verified. A length the file declares (an MP3's
//! Xing or Info header, an MP4 track's duration) must agree with what was decoded, so a file
//! cut short in a copy or claiming an absurd duration is refused rather than shown with a
//! length it does not have. An ID3 tag is skipped by its own size before anything else reads
//! the file, so a tag claiming more bytes than the file has is refused outright.

use std::io::ErrorKind;

/// The longest episode accepted: longer files are almost surely a mistake (a whole day's
/// recording), and a podcast app cannot sensibly offer them.
pub const MAX_AUDIO_SECONDS: u64 = 12 * 60 * 60;
/// The largest audio file accepted by default (a three-hour episode at 256 kbit/s fits).
pub const DEFAULT_MAX_AUDIO_BYTES: usize = 400 * 1024 * 1024;

/// The audio formats podcast apps play everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AudioFormat {
    Mp3,
    M4a,
    Opus,
}

impl AudioFormat {
    pub const ALL: [AudioFormat; 3] = [AudioFormat::Mp3, AudioFormat::M4a, AudioFormat::Opus];

    /// The type served and put in the feed's enclosure (the ones Apple's podcast guide lists).
    pub fn mime_type(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::M4a => "audio/x-m4a",
            AudioFormat::Opus => "audio/ogg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "mp3",
            AudioFormat::M4a => "m4a",
            AudioFormat::Opus => "opus",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            AudioFormat::Mp3 => "MP3",
            AudioFormat::M4a => "AAC (M4A)",
            AudioFormat::Opus => "Opus",
        }
    }

    /// The format a browser's declared type or a file name's extension names, if any.
    pub fn declared(content_type: &str, file_name: &str) -> Option<AudioFormat> {
        let content_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        let by_type = match content_type.as_str() {
            "audio/mpeg" | "audio/mp3" | "audio/mpeg3" | "audio/x-mpeg" | "audio/x-mp3" => Some(AudioFormat::Mp3),
            "audio/mp4" | "audio/x-m4a" | "audio/m4a" | "audio/aac" | "audio/mp4a-latm" => Some(AudioFormat::M4a),
            "audio/ogg" | "audio/opus" | "application/ogg" => Some(AudioFormat::Opus),
            _ => None,
        };
        by_type.or_else(|| {
            let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
            match extension.as_str() {
                "mp3" => Some(AudioFormat::Mp3),
                "m4a" | "mp4" | "aac" => Some(AudioFormat::M4a),
                "opus" | "ogg" | "oga" => Some(AudioFormat::Opus),
                _ => None,
            }
        })
    }

    /// The format the bytes themselves begin as.
    pub fn sniff(bytes: &[u8]) -> Option<AudioFormat> {
        if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
            return Some(AudioFormat::M4a);
        }
        if bytes.starts_with(b"OggS") {
            return Some(AudioFormat::Opus);
        }
        let audio = skip_id3(bytes).ok()?;
        is_mp3_frame_header(audio).then_some(AudioFormat::Mp3)
    }
}

/// What was read from an accepted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectedAudio {
    pub format: AudioFormat,
    pub duration_ms: u64,
    pub sample_rate: u32,
    pub channels: u16,
}

/// Why a file was refused, in words an audio producer understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AudioRefusal {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {limit_mb} MB")]
    TooLarge { limit_mb: usize },
    #[error("this is not an MP3, AAC (M4A) or Opus file")]
    NotAudio,
    #[error("the file was sent as {declared} but is {found}")]
    Mismatch { declared: &'static str, found: &'static str },
    #[error("the file does not decode: {0}")]
    DoesNotDecode(String),
    #[error("the file holds no sound")]
    Silent,
    #[error("the file says it lasts {declared_s} s but its sound lasts {decoded_s} s: it is cut short or damaged")]
    LengthDisagrees { declared_s: u64, decoded_s: u64 },
    #[error("the file lasts more than {} hours", MAX_AUDIO_SECONDS / 3600)]
    TooLong,
}

/// Checks an uploaded file and reads its length. `declared` is what the uploader said it is
/// (type or extension); the file must be that, whatever it says.
pub fn inspect_audio(
    bytes: &[u8],
    declared: Option<AudioFormat>,
    max_bytes: usize,
) -> Result<InspectedAudio, AudioRefusal> {
    if bytes.is_empty() {
        return Err(AudioRefusal::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(AudioRefusal::TooLarge { limit_mb: max_bytes / (1024 * 1024) });
    }
    let found = match AudioFormat::sniff(bytes) {
        Some(found) => found,
        None if bytes.starts_with(b"ID3") => {
            // A tag that cannot be skipped is the clearer reason than "not audio".
            skip_id3(bytes)?;
            return Err(AudioRefusal::NotAudio);
        }
        None => return Err(AudioRefusal::NotAudio),
    };
    if let Some(declared) = declared.filter(|d| *d != found) {
        return Err(AudioRefusal::Mismatch { declared: declared.name(), found: found.name() });
    }
    let inspected = match found {
        AudioFormat::Mp3 => decode_with_symphonia(skip_id3(bytes)?, AudioFormat::Mp3, "mp3")?,
        AudioFormat::M4a => decode_with_symphonia(bytes, AudioFormat::M4a, "m4a")?,
        AudioFormat::Opus => ogg_opus::inspect(bytes)?,
    };
    if inspected.duration_ms == 0 {
        return Err(AudioRefusal::Silent);
    }
    if inspected.duration_ms > MAX_AUDIO_SECONDS * 1000 {
        return Err(AudioRefusal::TooLong);
    }
    Ok(inspected)
}

/// The bytes after a leading ID3v2 tag (and its footer), checked against the file's length.
fn skip_id3(bytes: &[u8]) -> Result<&[u8], AudioRefusal> {
    if !bytes.starts_with(b"ID3") {
        return Ok(bytes);
    }
    let header = bytes.get(..10).ok_or(AudioRefusal::DoesNotDecode("the ID3 tag is cut short".into()))?;
    let size_bytes = &header[6..10];
    if size_bytes.iter().any(|b| b & 0x80 != 0) {
        return Err(AudioRefusal::DoesNotDecode("the ID3 tag's size is malformed".into()));
    }
    let size = size_bytes.iter().fold(0usize, |size, b| (size << 7) | usize::from(*b));
    let footer = if header[5] & 0x10 != 0 { 10 } else { 0 };
    let end = 10 + size + footer;
    if end >= bytes.len() {
        return Err(AudioRefusal::DoesNotDecode(format!(
            "the ID3 tag claims {size} bytes, more than the file holds after it"
        )));
    }
    Ok(&bytes[end..])
}

/// An MPEG audio layer III frame header: sync, a known version, layer III, a usable bitrate
/// and sample rate.
fn is_mp3_frame_header(bytes: &[u8]) -> bool {
    let [a, b, c, ..] = bytes else { return false };
    let sync = *a == 0xFF && b & 0xE0 == 0xE0;
    let version_known = (b >> 3) & 0b11 != 0b01;
    let layer_three = (b >> 1) & 0b11 == 0b01;
    let bitrate = c >> 4;
    let sample_rate = (c >> 2) & 0b11;
    sync && version_known && layer_three && bitrate != 0 && bitrate != 0b1111 && sample_rate != 0b11
}

fn decode_with_symphonia(bytes: &[u8], format: AudioFormat, extension: &str) -> Result<InspectedAudio, AudioRefusal> {
    use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_AAC, CODEC_TYPE_MP3};
    use symphonia::core::errors::Error;
    use symphonia::core::formats::FormatOptions;
    use symphonia::core::io::{MediaSourceStream, MediaSourceStreamOptions};
    use symphonia::core::meta::{Limit, MetadataOptions};
    use symphonia::core::probe::Hint;

    let broken = |e: Error| AudioRefusal::DoesNotDecode(e.to_string());
    let source =
        MediaSourceStream::new(Box::new(std::io::Cursor::new(bytes.to_vec())), MediaSourceStreamOptions::default());
    let mut hint = Hint::new();
    hint.with_extension(extension);
    // Tags and cover art are not what is asked of the file here: read none of them.
    let metadata =
        MetadataOptions { limit_metadata_bytes: Limit::Maximum(64 * 1024), limit_visual_bytes: Limit::Maximum(0) };
    let options = FormatOptions { enable_gapless: true, ..FormatOptions::default() };
    let probed = symphonia::default::get_probe().format(&hint, source, &options, &metadata).map_err(|e| match e {
        Error::Unsupported(_) => AudioRefusal::NotAudio,
        other => broken(other),
    })?;
    let mut reader = probed.format;
    let track = reader.default_track().ok_or(AudioRefusal::NotAudio)?.clone();
    let expected_codec = if format == AudioFormat::Mp3 { CODEC_TYPE_MP3 } else { CODEC_TYPE_AAC };
    if track.codec_params.codec != expected_codec {
        return Err(AudioRefusal::Mismatch {
            declared: format.name(),
            found: if format == AudioFormat::M4a {
                "an MP4 file without AAC sound"
            } else {
                "another kind of MPEG audio"
            },
        });
    }
    let sample_rate = track.codec_params.sample_rate.filter(|r| *r > 0).ok_or(AudioRefusal::NotAudio)?;
    let channels = track.codec_params.channels.map_or(0, |c| c.count() as u16);
    let declared_frames = track.codec_params.n_frames;
    let mut decoder =
        symphonia::default::get_codecs().make(&track.codec_params, &DecoderOptions::default()).map_err(broken)?;
    let mut frames = 0u64;
    let limit_frames = (MAX_AUDIO_SECONDS + 60) * u64::from(sample_rate);
    loop {
        let packet = match reader.next_packet() {
            Ok(packet) => packet,
            Err(Error::IoError(e)) if e.kind() == ErrorKind::UnexpectedEof => break,
            Err(other) => return Err(broken(other)),
        };
        if packet.track_id() != track.id {
            continue;
        }
        let decoded = decoder.decode(&packet).map_err(broken)?;
        frames += decoded.frames() as u64;
        if frames > limit_frames {
            return Err(AudioRefusal::TooLong);
        }
    }
    let to_ms = |frames: u64| frames.saturating_mul(1000) / u64::from(sample_rate);
    if let Some(declared) = declared_frames {
        // Decoders add or trim a frame's worth at either end (encoder delay, padding): a
        // tenth of a second or one part in fifty either way is the same file.
        let tolerance = (u64::from(sample_rate) / 10).max(declared / 50);
        if declared.abs_diff(frames) > tolerance {
            return Err(AudioRefusal::LengthDisagrees {
                declared_s: to_ms(declared) / 1000,
                decoded_s: to_ms(frames) / 1000,
            });
        }
    }
    Ok(InspectedAudio { format, duration_ms: to_ms(frames), sample_rate, channels })
}

/// Opus in Ogg, read page by page.
mod ogg_opus {
    use super::{AudioFormat, AudioRefusal, InspectedAudio};

    fn broken(why: impl Into<String>) -> AudioRefusal {
        AudioRefusal::DoesNotDecode(why.into())
    }

    /// Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, no final xor).
    fn crc(bytes: &[u8]) -> u32 {
        let mut crc = 0u32;
        for byte in bytes {
            crc ^= u32::from(*byte) << 24;
            for _ in 0..8 {
                crc = if crc & 0x8000_0000 != 0 { (crc << 1) ^ 0x04C1_1DB7 } else { crc << 1 };
            }
        }
        crc
    }

    /// How many 48 kHz samples one Opus packet holds, from its table of contents; `None` for
    /// a packet no decoder would accept.
    pub(super) fn packet_samples(packet: &[u8]) -> Option<u64> {
        let toc = *packet.first()?;
        let config = toc >> 3;
        let frame_samples: u64 = match config {
            0..=11 => [480, 960, 1920, 2880][usize::from(config % 4)],
            12..=15 => [480, 960][usize::from(config % 2)],
            _ => [120, 240, 480, 960][usize::from(config % 4)],
        };
        let frames = match toc & 0b11 {
            0 => 1,
            1 | 2 => 2,
            _ => {
                let count = u64::from(packet.get(1)? & 0x3F);
                if count == 0 {
                    return None;
                }
                count
            }
        };
        let samples = frame_samples * frames;
        // A packet holds at most 120 ms of sound.
        (samples <= 5760).then_some(samples)
    }

    pub(super) fn inspect(bytes: &[u8]) -> Result<InspectedAudio, AudioRefusal> {
        let mut at = 0usize;
        let mut serial: Option<u32> = None;
        let mut packet: Vec<u8> = Vec::new();
        let mut packets = 0u64;
        let mut samples = 0u64;
        let mut channels = 0u16;
        let mut pre_skip = 0u64;
        let mut ended = false;
        let mut last_granule = 0u64;
        while at < bytes.len() {
            if ended {
                return Err(broken("there is data after the end of the stream"));
            }
            let header = bytes.get(at..at + 27).ok_or_else(|| broken("the last page is cut short"))?;
            if &header[..4] != b"OggS" || header[4] != 0 {
                return Err(broken("a page does not begin where the previous one ended"));
            }
            let flags = header[5];
            let granule = u64::from_le_bytes(header[6..14].try_into().expect("eight bytes"));
            let page_serial = u32::from_le_bytes(header[14..18].try_into().expect("four bytes"));
            let segments = usize::from(header[26]);
            let table = bytes.get(at + 27..at + 27 + segments).ok_or_else(|| broken("the last page is cut short"))?;
            let body_len: usize = table.iter().map(|s| usize::from(*s)).sum();
            let page_end = at + 27 + segments + body_len;
            let page = bytes.get(at..page_end).ok_or_else(|| broken("the last page is cut short"))?;
            let mut zeroed = page.to_vec();
            zeroed[22..26].fill(0);
            if crc(&zeroed) != u32::from_le_bytes(page[22..26].try_into().expect("four bytes")) {
                return Err(broken("a page's checksum does not match its contents"));
            }
            match serial {
                None => serial = Some(page_serial),
                Some(first) if first != page_serial => return Err(broken("the file holds more than one stream")),
                Some(_) => {}
            }
            let mut body = &page[27 + segments..];
            for lace in table {
                let (part, rest) = body.split_at(usize::from(*lace));
                packet.extend_from_slice(part);
                body = rest;
                if *lace < 255 {
                    let whole = std::mem::take(&mut packet);
                    match packets {
                        0 => {
                            if whole.len() < 19 || &whole[..8] != b"OpusHead" {
                                return Err(AudioRefusal::Mismatch {
                                    declared: AudioFormat::Opus.name(),
                                    found: "an Ogg file without Opus sound",
                                });
                            }
                            channels = u16::from(whole[9]);
                            pre_skip = u64::from(u16::from_le_bytes([whole[10], whole[11]]));
                            if channels == 0 {
                                return Err(broken("the Opus header names no channels"));
                            }
                        }
                        1 => {
                            if !whole.starts_with(b"OpusTags") {
                                return Err(broken("the Opus comment header is missing"));
                            }
                        }
                        _ => {
                            samples += packet_samples(&whole).ok_or_else(|| broken("a sound packet is malformed"))?;
                        }
                    }
                    packets += 1;
                }
            }
            if granule != u64::MAX {
                last_granule = granule;
            }
            ended = flags & 0x04 != 0;
            at = page_end;
        }
        if !ended {
            return Err(broken("the stream has no end: the file is cut short"));
        }
        if packets < 3 {
            return Err(AudioRefusal::Silent);
        }
        // The last page's position says where the sound ends (the encoder's padding trimmed);
        // it can be less than the packets hold, never more.
        if last_granule > samples {
            return Err(AudioRefusal::LengthDisagrees {
                declared_s: last_granule / 48_000,
                decoded_s: samples / 48_000,
            });
        }
        let sound = last_granule.saturating_sub(pre_skip);
        Ok(InspectedAudio { format: AudioFormat::Opus, duration_ms: sound / 48, sample_rate: 48_000, channels })
    }
}

/// A tone as an MP3 (mono, 22.05 kHz, 64 kbit/s): the demo paper's episodes and the tests'
/// files are made with it, so nothing is downloaded. `pitches` are played in turn, each for
/// an equal share of `seconds`, softly fading in and out so the start and end do not click.
pub fn tone_mp3(seconds: f32, pitches: &[f32]) -> Vec<u8> {
    use mp3lame_encoder::{Bitrate, Builder, FlushNoGap, MonoPcm, Quality};
    const RATE: u32 = 22_050;
    let total = (seconds.max(0.1) * RATE as f32) as usize;
    let pitches = if pitches.is_empty() { &[440.0][..] } else { pitches };
    let share = total.div_ceil(pitches.len());
    let pcm: Vec<i16> = (0..total)
        .map(|i| {
            let pitch = pitches[(i / share).min(pitches.len() - 1)];
            let t = i as f32 / RATE as f32;
            let edge = (i.min(total - i) as f32 / (RATE as f32 * 0.05)).min(1.0);
            ((t * pitch * std::f32::consts::TAU).sin() * 6000.0 * edge) as i16
        })
        .collect();
    let mut builder = Builder::new().expect("the MP3 encoder starts");
    builder.set_num_channels(1).expect("one channel");
    builder.set_sample_rate(RATE).expect("a sample rate LAME knows");
    builder.set_brate(Bitrate::Kbps64).expect("a bitrate LAME knows");
    builder.set_quality(Quality::Good).expect("a quality LAME knows");
    let mut encoder = builder.build().expect("the MP3 encoder is set up");
    // The encoder writes into spare capacity it does not grow itself: room for all of it first.
    let mut out = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(pcm.len()) + 7200);
    encoder.encode_to_vec(MonoPcm(&pcm), &mut out).expect("the tone encodes");
    encoder.flush_to_vec::<FlushNoGap>(&mut out).expect("the tone's last frames encode");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: usize = DEFAULT_MAX_AUDIO_BYTES;

    #[test]
    fn a_tone_made_here_is_an_mp3_of_the_length_it_was_made_with() {
        let file = tone_mp3(3.0, &[440.0, 660.0]);
        let inspected = inspect_audio(&file, Some(AudioFormat::Mp3), LIMIT).expect("accepted");
        assert_eq!(inspected.format, AudioFormat::Mp3);
        assert!((2900..=3150).contains(&inspected.duration_ms), "{}", inspected.duration_ms);
        assert_eq!(inspected.sample_rate, 22_050);
        assert_eq!(inspected.channels, 1);
    }

    #[test]
    fn a_file_sent_as_another_format_is_refused_with_both_names() {
        let file = tone_mp3(1.0, &[440.0]);
        let refusal = inspect_audio(&file, Some(AudioFormat::M4a), LIMIT).expect_err("refused");
        assert_eq!(refusal, AudioRefusal::Mismatch { declared: "AAC (M4A)", found: "MP3" });
    }

    #[test]
    fn text_claiming_to_be_mp3_is_not_audio() {
        for bytes in [&b"<script>alert(1)</script>"[..], b"\xFF\xFB", b"OggS", b"\0\0\0\x18ftypM4A "] {
            assert!(inspect_audio(bytes, Some(AudioFormat::Mp3), LIMIT).is_err(), "{bytes:?}");
        }
        assert_eq!(inspect_audio(b"", None, LIMIT), Err(AudioRefusal::Empty));
    }

    #[test]
    fn an_id3_tag_claiming_more_than_the_file_is_refused_before_decoding() {
        let mut file = b"ID3\x04\x00\x00\x7F\x7F\x7F\x7F".to_vec();
        file.extend(tone_mp3(0.5, &[440.0]));
        let refusal = inspect_audio(&file, Some(AudioFormat::Mp3), LIMIT).expect_err("refused");
        assert!(refusal.to_string().contains("ID3 tag claims"), "{refusal}");
    }

    #[test]
    fn an_id3_tag_of_honest_size_is_skipped() {
        let mut file = b"ID3\x04\x00\x00\x00\x00\x01\x00".to_vec();
        file.extend([0u8; 128]);
        file.extend(tone_mp3(1.0, &[440.0]));
        let inspected = inspect_audio(&file, None, LIMIT).expect("accepted");
        assert!((900..=1150).contains(&inspected.duration_ms), "{}", inspected.duration_ms);
    }

    /// A Xing header frame (MPEG-2 layer III, mono: nine bytes of side information) claiming
    /// `frames` frames, shaped like the tone's own frames so a decoder takes it as the file's.
    fn xing_frame(tone: &[u8], frames: u32) -> Vec<u8> {
        let mut header = tone[..4].to_vec();
        header[2] &= !0x02; // no padding: 72 × 64,000 / 22,050 = 208 bytes
        let mut frame = header;
        frame.extend([0u8; 9]);
        frame.extend(b"Xing");
        frame.extend(1u32.to_be_bytes()); // the frame count is given
        frame.extend(frames.to_be_bytes());
        frame.resize(208, 0);
        frame
    }

    #[test]
    fn an_mp3_claiming_an_absurd_length_is_refused() {
        let tone = tone_mp3(2.0, &[440.0]);
        let mut claiming_a_day = xing_frame(&tone, 24 * 3600 * 22_050 / 576);
        claiming_a_day.extend(&tone);
        let refusal = inspect_audio(&claiming_a_day, Some(AudioFormat::Mp3), LIMIT).expect_err("refused");
        assert!(matches!(refusal, AudioRefusal::LengthDisagrees { .. }), "{refusal}");
        // The same header telling the truth is an ordinary file.
        let frames = u32::try_from(tone.len() / 208).expect("a few frames");
        let mut honest = xing_frame(&tone, frames);
        honest.extend(&tone);
        let read = inspect_audio(&honest, Some(AudioFormat::Mp3), LIMIT);
        assert!(read.is_ok(), "{read:?}");
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
        let file = tone_mp3(1.0, &[440.0]);
        assert_eq!(inspect_audio(&file, None, 1024), Err(AudioRefusal::TooLarge { limit_mb: 0 }));
    }

    #[test]
    fn garbage_after_a_valid_frame_header_does_not_decode() {
        let mut file = tone_mp3(0.3, &[440.0])[..4].to_vec();
        file.extend(std::iter::repeat_n(0xA5u8, 20_000));
        assert!(inspect_audio(&file, None, LIMIT).is_err());
    }

    #[test]
    fn opus_packet_lengths_come_from_their_table_of_contents() {
        // Configuration 31 (CELT, 20 ms), one frame: 960 samples at 48 kHz.
        assert_eq!(ogg_opus::packet_samples(&[31 << 3]), Some(960));
        // Two frames of 20 ms.
        assert_eq!(ogg_opus::packet_samples(&[(31 << 3) | 1]), Some(1920));
        // Code 3 with 48 frames of 20 ms is more than 120 ms: no decoder takes it.
        assert_eq!(ogg_opus::packet_samples(&[(31 << 3) | 3, 48]), None);
        assert_eq!(ogg_opus::packet_samples(&[(31 << 3) | 3, 0]), None);
        assert_eq!(ogg_opus::packet_samples(&[]), None);
    }

    #[test]
    fn the_declared_format_comes_from_the_type_or_else_the_name() {
        assert_eq!(AudioFormat::declared("audio/mpeg", "x.bin"), Some(AudioFormat::Mp3));
        assert_eq!(AudioFormat::declared("application/octet-stream", "episode.M4A"), Some(AudioFormat::M4a));
        assert_eq!(AudioFormat::declared("", "episode.opus"), Some(AudioFormat::Opus));
        assert_eq!(AudioFormat::declared("text/plain", "notes.txt"), None);
    }
}

#[cfg(test)]
mod made_elsewhere {
    use super::*;

    const M4A: &[u8] = include_bytes!("../testdata/tone.m4a");
    const OPUS: &[u8] = include_bytes!("../testdata/tone.opus");

    #[test]
    fn an_aac_file_in_m4a_is_read_to_its_length() {
        let inspected = inspect_audio(M4A, Some(AudioFormat::M4a), DEFAULT_MAX_AUDIO_BYTES).expect("accepted");
        assert_eq!(inspected.format, AudioFormat::M4a);
        assert!((1900..=2150).contains(&inspected.duration_ms), "{}", inspected.duration_ms);
    }

    #[test]
    fn an_opus_file_is_read_to_its_length() {
        let inspected = inspect_audio(OPUS, None, DEFAULT_MAX_AUDIO_BYTES).expect("accepted");
        assert_eq!(inspected.format, AudioFormat::Opus);
        assert!((1950..=2050).contains(&inspected.duration_ms), "{}", inspected.duration_ms);
        assert_eq!(inspected.channels, 1);
    }

    #[test]
    fn every_cut_of_a_file_is_refused_or_read_no_longer_than_it_is() {
        for (whole, format) in [(M4A, AudioFormat::M4a), (OPUS, AudioFormat::Opus)] {
            for cut in [whole.len() / 4, whole.len() / 2, whole.len() - 100, whole.len() - 1] {
                assert!(
                    inspect_audio(&whole[..cut], Some(format), DEFAULT_MAX_AUDIO_BYTES).is_err(),
                    "{format:?} cut at {cut} was accepted"
                );
            }
        }
    }

    #[test]
    fn a_flipped_byte_in_an_opus_page_fails_its_checksum() {
        let mut damaged = OPUS.to_vec();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x55;
        let refusal = inspect_audio(&damaged, None, DEFAULT_MAX_AUDIO_BYTES).expect_err("refused");
        assert!(refusal.to_string().contains("checksum"), "{refusal}");
    }
}
