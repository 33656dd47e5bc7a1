//! Media: an image file with what a newspaper keeps beside it (caption, credit, alt text,
//! photographer). The bytes live in blob storage under `storage_key`; this is the record.

use crate::ids::MediaId;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    pub id: MediaId,
    /// Where the file lies in blob storage, relative to its root (`2026/11/abc123.png`).
    pub storage_key: String,
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    /// What the picture shows, ending with the credit in parentheses on the reader page.
    pub caption: String,
    pub credit: String,
    pub alt_text: String,
    pub photographer: String,
    /// Cleared for others to republish (the paper's own photo, or an agency's whose terms
    /// allow it): only such photos travel to syndication partners.
    pub redistributable: bool,
    pub created_at: Timestamp,
    /// The formats its smaller copies exist in (`avif`, `webp`, `jpeg`), and `crops` once its
    /// crops around the focal point exist: none until they are made, in the background after
    /// the upload; pages offer the original alone until then.
    pub variant_formats: Vec<String>,
    /// Where crops of it centre (a face, the ball): the centre until an editor chooses.
    pub focal_point: FocalPoint,
    /// The Content Credentials (C2PA) the uploaded file carried, as checked when it came in;
    /// none for most photos.
    pub content_credentials: Option<ContentCredentials>,
}

/// What a photo's Content Credentials said when the file came in: who signed it, and whether
/// the file still agreed with the signature. The stored and served files no longer carry the
/// manifest (private metadata is stripped, and every copy is resized), so this record is what
/// remains of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContentCredentials {
    /// Who signed: the signing certificate's name.
    pub signer: String,
    /// The organisation the signing certificate names.
    pub organisation: String,
    /// When it was signed, as the signature says (RFC 3339).
    pub signed_at: Option<String>,
    /// What made the signed file: a camera, an agency's system, an editing program.
    pub made_with: String,
    pub verdict: CredentialsVerdict,
    /// Each check that failed, in the standard's words.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialsVerdict {
    /// Signed by a signer the paper trusts, and the file was as signed.
    Trusted,
    /// The file was as signed, but the signer is not one the paper trusts.
    UnknownSigner,
    /// The file was changed after signing, or the signature does not check out.
    DoesNotMatch,
    /// The file carried something that claimed to be Content Credentials and could not be read.
    Unreadable,
}

impl ContentCredentials {
    /// What the photo desk is told, in a sentence.
    pub fn verdict_for_the_desk(&self) -> String {
        match self.verdict {
            CredentialsVerdict::Trusted => {
                format!("Signed by {}, a signer this paper trusts; the file was as signed when it arrived.", self.signer)
            }
            CredentialsVerdict::UnknownSigner => format!(
                "Signed by {}, which is not among this paper's trusted signers; the file was as signed when it arrived. Readers are not shown these credentials.",
                self.signer
            ),
            CredentialsVerdict::DoesNotMatch => format!(
                "Signed by {}, but the file does not match its signature: it was changed after signing, or the signature is broken. Readers are not shown these credentials.",
                self.signer
            ),
            CredentialsVerdict::Unreadable => {
                "The file carried Content Credentials that could not be read. Readers are not shown them.".to_owned()
            }
        }
    }
}

/// A point of the upright photo, in whole percent of its width from the left (`x`) and of its
/// height from the top (`y`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FocalPoint {
    pub x: u8,
    pub y: u8,
}

impl Default for FocalPoint {
    fn default() -> Self {
        FocalPoint { x: 50, y: 50 }
    }
}

impl FocalPoint {
    /// A point from what an editor typed or clicked: two whole or decimal percentages, each
    /// from 0 to 100 (decimals are rounded).
    pub fn parse(x: &str, y: &str) -> Result<FocalPoint, &'static str> {
        let percent = |text: &str, missing: &'static str| -> Result<u8, &'static str> {
            let text = text.trim().trim_end_matches('%').trim();
            if text.is_empty() {
                return Err(missing);
            }
            match text.parse::<f64>() {
                Ok(value) if (0.0..=100.0).contains(&value) => Ok(value.round() as u8),
                _ => Err("A focal point is given in percent, from 0 to 100."),
            }
        };
        Ok(FocalPoint {
            x: percent(x, "Give how far across the photo the focal point is, in percent.")?,
            y: percent(y, "Give how far down the photo the focal point is, in percent.")?,
        })
    }

    /// Whether a stored or archived value is a point inside the photo.
    pub fn from_stored(x: i64, y: i64) -> Option<FocalPoint> {
        let percent = |v: i64| u8::try_from(v).ok().filter(|v| *v <= 100);
        Some(FocalPoint { x: percent(x)?, y: percent(y)? })
    }
}

/// Moves where a photo's crops centre. The copies of the whole picture stay; its crops are
/// made again around the new point in the background, and pages show the uncropped copies
/// until they exist.
pub async fn move_focal_point(
    store: &impl crate::store::MediaStore,
    actor: &crate::accounts::User,
    id: MediaId,
    point: FocalPoint,
) -> Result<Media, crate::editing::EditError> {
    if !actor.role.may(crate::accounts::Action::EditPhotoDetails) {
        return Err(crate::editing::EditError::NotAllowed);
    }
    let media = store.media_by_id(id).await?;
    if media.focal_point == point {
        return Ok(media);
    }
    Ok(store.set_media_focal_point(id, point, &formats_without_crops(&media.variant_formats)).await?)
}

/// What a photo's row records once its copies exist in `formats` but not its crops: what a
/// row keeps when its focal point moves (the copies of the whole picture stay good).
pub fn formats_without_crops(recorded: &[String]) -> String {
    if recorded.iter().any(|f| f == VARIANTS_UNMAKEABLE) {
        return VARIANTS_UNMAKEABLE.to_owned();
    }
    recorded.iter().filter(|f| f.as_str() != "crops").cloned().collect::<Vec<_>>().join(" ")
}

/// What a photo's row records when its smaller copies cannot be made (its stored original no
/// longer decodes): it is shown at its original size and not tried again.
pub const VARIANTS_UNMAKEABLE: &str = "unmakeable";

impl Media {
    /// The note readers see under the photo: only for credentials a trusted signer signed and
    /// the file matched, and saying honestly that what is shown is a resized copy.
    pub fn credentials_note_for_readers(&self) -> Option<String> {
        let credentials = self.content_credentials.as_ref()?;
        if credentials.verdict != CredentialsVerdict::Trusted {
            return None;
        }
        let day = credentials.signed_at.as_deref().and_then(|at| at.get(..10)).filter(|d| d.len() == 10);
        let when = day.map(|d| format!(" on {d}")).unwrap_or_default();
        Some(format!(
            "Content Credentials: the original was signed by {}{when}; this is a resized copy of it.",
            credentials.signer
        ))
    }

    /// Whether its smaller copies exist in `format` (`avif`, `webp`, `jpeg`).
    pub fn has_variants_in(&self, format: &str) -> bool {
        self.variant_formats.iter().any(|f| f == format)
    }

    /// The caption as readers see it: the caption text ending with `(credit)`, added only when
    /// the caption does not already end with it.
    pub fn caption_with_credit(&self) -> String {
        let caption = self.caption.trim();
        let credit = self.credit.trim();
        if credit.is_empty() {
            return caption.to_owned();
        }
        let sign_off = format!("({credit})");
        if caption.ends_with(&sign_off) {
            caption.to_owned()
        } else if caption.is_empty() {
            sign_off
        } else {
            format!("{caption} {sign_off}")
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMedia {
    pub storage_key: String,
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
    pub byte_size: u64,
    pub caption: String,
    pub credit: String,
    pub alt_text: String,
    pub photographer: String,
    /// What the file said of itself when it came in (its IPTC record and XMP), kept because
    /// the stored file no longer carries all of it.
    pub file_facts: Vec<FileFact>,
    pub content_credentials: Option<ContentCredentials>,
}

/// What the photo desk looks for in the library: every word must be found in the caption,
/// credit, alt text, photographer or what the file said of itself (keywords, city, source…);
/// optionally only photos nothing uses yet, or added within a span of days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaQuery {
    pub words: Vec<String>,
    /// Only photos no story, live post or author shows.
    pub unused_only: bool,
    pub added_from: Option<Timestamp>,
    /// Exclusive.
    pub added_until: Option<Timestamp>,
    pub limit: u32,
    /// Photos to pass over first (the pages before this one).
    pub offset: u32,
}

impl MediaQuery {
    /// The words of what was typed, lower-cased, at most ten of them.
    pub fn words_of(text: &str) -> Vec<String> {
        text.split_whitespace().take(10).map(str::to_lowercase).collect()
    }
}

/// One value a photo file carried, and where in the file it was read: the photo screen shows
/// them, so the desk sees where a caption or a credit came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFact {
    /// The field for people: "Caption", "Credit line", "Keywords".
    pub field: String,
    pub value: String,
    /// The standard and property: "IPTC IIM 2:120 Caption/Abstract", "XMP dc:description".
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo(caption: &str, credit: &str) -> Media {
        Media {
            id: MediaId(1),
            storage_key: "a.png".into(),
            mime_type: "image/png".into(),
            width: 10,
            height: 10,
            byte_size: 1,
            caption: caption.into(),
            credit: credit.into(),
            alt_text: String::new(),
            photographer: String::new(),
            redistributable: false,
            created_at: Timestamp::UNIX_EPOCH,
            variant_formats: Vec::new(),
            focal_point: FocalPoint::default(),
            content_credentials: None,
        }
    }

    #[test]
    fn a_focal_point_is_two_percentages_inside_the_photo() {
        assert_eq!(FocalPoint::parse("72.6", " 30% "), Ok(FocalPoint { x: 73, y: 30 }));
        assert_eq!(FocalPoint::parse("0", "100"), Ok(FocalPoint { x: 0, y: 100 }));
        assert!(FocalPoint::parse("101", "5").is_err());
        assert!(FocalPoint::parse("-1", "5").is_err());
        assert!(FocalPoint::parse("NaN", "5").is_err());
        assert!(FocalPoint::parse("", "5").is_err());
        assert_eq!(FocalPoint::from_stored(100, 0), Some(FocalPoint { x: 100, y: 0 }));
        assert_eq!(FocalPoint::from_stored(101, 0), None);
        let recorded = |text: &str| text.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(formats_without_crops(&recorded("avif webp jpeg crops")), "avif webp jpeg");
        assert_eq!(formats_without_crops(&recorded("unmakeable")), "unmakeable");
    }

    #[test]
    fn the_caption_ends_with_the_credit_once() {
        assert_eq!(photo("Leaders meet.", "AFP-Yonhap").caption_with_credit(), "Leaders meet. (AFP-Yonhap)");
        assert_eq!(photo("Leaders meet. (Yonhap)", "Yonhap").caption_with_credit(), "Leaders meet. (Yonhap)");
    }
}

/// What an editor writes beside a photo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaDetails {
    pub caption: String,
    pub credit: String,
    pub alt_text: String,
    pub photographer: String,
    pub redistributable: bool,
}

impl MediaDetails {
    /// Readers who cannot see the photo need its alt text, and every photo needs its credit.
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut problems = Vec::new();
        if self.alt_text.trim().is_empty() {
            problems.push(("alt_text", "Describe the photo for readers who cannot see it."));
        }
        if self.credit.trim().is_empty() {
            problems.push(("credit", "Give the photo's credit, such as the photographer or agency."));
        }
        for (field, text) in [
            ("caption", &self.caption),
            ("credit", &self.credit),
            ("alt_text", &self.alt_text),
            ("photographer", &self.photographer),
        ] {
            if text.chars().count() > 1_000 {
                problems.push((field, "Keep it under 1,000 characters."));
            }
        }
        problems
    }
}
