//! Timed text: a podcast episode's transcript and a video's captions, as uploaded in WebVTT
//! or SRT. The file is kept whole (podcast apps and players read it as it is) and its cues
//! are read out as plain text for the page, with the speaker a WebVTT `<v>` tag names and
//! never any markup.

use serde::{Deserialize, Serialize};

/// The largest transcript accepted (a three-hour conversation is well under this).
pub const MAX_TRANSCRIPT_BYTES: usize = 2 * 1024 * 1024;

/// Text on one line, its runs of whitespace made single spaces.
pub(crate) fn single_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a transcript was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TranscriptFormat {
    WebVtt,
    Srt,
}

impl TranscriptFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TranscriptFormat::WebVtt => "vtt",
            TranscriptFormat::Srt => "srt",
        }
    }

    pub fn parse(text: &str) -> Option<TranscriptFormat> {
        match text {
            "vtt" => Some(TranscriptFormat::WebVtt),
            "srt" => Some(TranscriptFormat::Srt),
            _ => None,
        }
    }

    /// The type the transcript file is served as (and named in `podcast:transcript`).
    pub fn mime_type(self) -> &'static str {
        match self {
            TranscriptFormat::WebVtt => "text/vtt",
            TranscriptFormat::Srt => "application/x-subrip",
        }
    }
}

/// A transcript as uploaded, kept whole (it is served as the file podcast apps read), with
/// its cues read out for the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub format: TranscriptFormat,
    pub text: String,
}

/// One timed piece of a transcript, as plain text (markup removed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cue {
    pub start_ms: u64,
    pub speaker: Option<String>,
    pub text: String,
}

/// `HH:MM:SS.mmm`, `MM:SS.mmm`, or SRT's `HH:MM:SS,mmm`.
fn cue_time(text: &str) -> Option<u64> {
    let text = text.trim().replace(',', ".");
    let (clock, millis) = text.split_once('.')?;
    if millis.len() != 3 || !millis.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let numbers: Option<Vec<u64>> = parts.iter().map(|p| (p.len() >= 2).then(|| p.parse().ok()).flatten()).collect();
    let numbers = numbers?;
    let (h, m, s) = match numbers.as_slice() {
        [m, s] => (0, *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if m > 59 || s > 59 {
        return None;
    }
    Some(((h * 60 + m) * 60 + s) * 1000 + millis.parse::<u64>().ok()?)
}

/// The text of a cue without its markup (`<v Speaker>`, `<b>`, `<i>`, timestamps), and the
/// speaker a `<v>` tag names.
fn cue_text(lines: &[&str]) -> (Option<String>, String) {
    let joined = lines.join(" ");
    let mut speaker = None;
    let mut text = String::new();
    let mut rest = joined.as_str();
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = &rest[open + 1..];
            continue;
        };
        let tag = &rest[open + 1..open + close];
        if let Some(name) =
            tag.strip_prefix("v ").or_else(|| tag.strip_prefix("v.").and_then(|t| t.split_once(' ').map(|(_, n)| n)))
        {
            speaker = Some(name.trim().to_owned()).filter(|n| !n.is_empty());
        }
        rest = &rest[open + close + 1..];
    }
    text.push_str(rest);
    let text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ");
    (speaker, single_line(&text))
}

impl Transcript {
    /// Reads an uploaded transcript: WebVTT when it begins with `WEBVTT`, else SRT. Refuses
    /// one with no cues, a malformed time, or a cue that ends before it starts.
    pub fn read(bytes: &[u8]) -> Result<Transcript, String> {
        if bytes.len() > MAX_TRANSCRIPT_BYTES {
            return Err(format!("A transcript is at most {} MB.", MAX_TRANSCRIPT_BYTES / (1024 * 1024)));
        }
        let text = std::str::from_utf8(bytes).map_err(|_| "The transcript is not UTF-8 text.".to_owned())?;
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n").replace('\r', "\n").replace('\0', "");
        let format = if text.starts_with("WEBVTT") { TranscriptFormat::WebVtt } else { TranscriptFormat::Srt };
        let transcript = Transcript { format, text };
        transcript.parsed_cues()?;
        Ok(transcript)
    }

    fn parsed_cues(&self) -> Result<Vec<Cue>, String> {
        let mut cues = Vec::new();
        for block in self.text.split("\n\n") {
            let lines: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
            let Some(timing_at) = lines.iter().position(|l| l.contains("-->")) else { continue };
            let timing = lines[timing_at];
            let (start, end) = timing.split_once("-->").expect("the line has an arrow");
            let end = end.split_whitespace().next().unwrap_or("");
            let (Some(start_ms), Some(end_ms)) = (cue_time(start), cue_time(end)) else {
                return Err(format!("This cue time is not a time: {:?}.", timing.chars().take(60).collect::<String>()));
            };
            if end_ms < start_ms {
                return Err(format!("A cue ends before it starts: {:?}.", timing.chars().take(60).collect::<String>()));
            }
            let (speaker, text) = cue_text(&lines[timing_at + 1..]);
            if !text.is_empty() {
                cues.push(Cue { start_ms, speaker, text });
            }
        }
        if cues.is_empty() {
            return Err("The transcript has no timed text (WebVTT or SRT cues).".into());
        }
        Ok(cues)
    }

    /// The cues, read again from the stored text (which was checked when it was saved).
    pub fn cues(&self) -> Vec<Cue> {
        self.parsed_cues().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_webvtt_transcript_gives_its_cues_as_plain_text_with_speakers() {
        let vtt = "WEBVTT\n\n00:00.000 --> 00:04.000\n<v Kim Min-ji>Good morning from <b>Seoul</b>.\n\n\
                   00:04.500 --> 00:09.000\n<script>alert(1)</script>The markets &amp; the weather.\n";
        let transcript = Transcript::read(vtt.as_bytes()).expect("read");
        assert_eq!(transcript.format, TranscriptFormat::WebVtt);
        let cues = transcript.cues();
        assert_eq!(cues.len(), 2);
        assert_eq!(cues[0].speaker.as_deref(), Some("Kim Min-ji"));
        assert_eq!(cues[0].text, "Good morning from Seoul.");
        assert_eq!(cues[1].start_ms, 4500);
        assert_eq!(cues[1].text, "alert(1)The markets & the weather.");
    }

    #[test]
    fn an_srt_transcript_is_read_and_a_broken_one_refused() {
        let srt =
            "1\r\n00:00:01,000 --> 00:00:03,500\r\nHello.\r\n\r\n2\r\n00:00:04,000 --> 00:00:06,000\r\nAgain.\r\n";
        let transcript = Transcript::read(srt.as_bytes()).expect("read");
        assert_eq!(transcript.format, TranscriptFormat::Srt);
        assert_eq!(transcript.cues().len(), 2);
        assert!(Transcript::read(b"just some words").is_err());
        assert!(Transcript::read(b"WEBVTT\n\n00:05.000 --> 00:01.000\nbackwards").is_err());
        assert!(Transcript::read(b"WEBVTT\n\n99:99.000 --> 00:01.000\nnonsense").is_err());
        assert!(Transcript::read(&[0xFF, 0xFE, 0x00]).is_err());
    }
}
