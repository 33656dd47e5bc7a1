//! Taking a photo into the library: the one path for the desk's upload and the wire's
//! pictures. The file is checked (its kind against the claimed type, its size, its pixels
//! from the header, then a whole decode) through `ImageWork`, a bounded number at once; the
//! original is written durably; then the row. If the row cannot be written, the file is
//! removed again, so a refused or failed intake leaves nothing behind. The smaller sizes are
//! made afterwards, in the background ([`crate::photo_variants`]).

use crate::Intake;
use dateline_media::{new_key, InspectedImage, UploadError};
use dateline_newsroom::accounts::{Action, User};
use dateline_newsroom::{Media, MediaStore, NewMedia, StoreError};
use jiff::Timestamp;
use std::sync::Arc;

/// Why a photo was not taken in. Nothing is left behind in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// The actor's role may not add photos.
    #[error("your role may not add photos")]
    NotAllowed,
    /// The file is not a photo the paper can use; the text says why.
    #[error("{0}")]
    Unusable(#[from] UploadError),
    /// The files could not be written.
    #[error("storing a photo failed: {0}")]
    Storage(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What is said about a photo: the texts its row holds.
#[derive(Debug, Clone, Default)]
pub struct PhotoTexts {
    pub caption: String,
    pub credit: String,
    pub alt_text: String,
    pub photographer: String,
}

/// Fills what the desk left empty from what the file says of itself (its IPTC record and
/// XMP: caption, credit, alt text, photographer); what the desk typed always wins, and so do
/// an agency's own fields. Returns the names of the fields filled.
pub fn fill_from_file(
    details: &mut dateline_newsroom::MediaDetails,
    bytes: &[u8],
    found: &InspectedImage,
) -> Vec<&'static str> {
    use dateline_media::embedded::Field;
    let read = dateline_media::embedded::read(bytes, found.format);
    let value = |field| read.value(field).map(|fact| fact.value.clone());
    let mut filled = Vec::new();
    let candidates = [
        ("caption", &mut details.caption, value(Field::Caption).or_else(|| value(Field::Headline))),
        ("credit", &mut details.credit, value(Field::Credit).or_else(|| value(Field::Creator))),
        ("alt_text", &mut details.alt_text, value(Field::AltText)),
        ("photographer", &mut details.photographer, value(Field::Creator)),
    ];
    for (name, field, value) in candidates {
        if let (true, Some(value)) = (field.trim().is_empty(), value) {
            *field = value;
            filled.push(name);
        }
    }
    filled
}

/// Everything the file says of itself, with where each value was read, to keep beside its row.
/// What could not be read is kept too, as notes the photo screen shows.
pub fn file_facts(bytes: &[u8], found: &InspectedImage) -> Vec<dateline_newsroom::media::FileFact> {
    let read = dateline_media::embedded::read(bytes, found.format);
    let notes = read.notes.into_iter().map(|note| dateline_newsroom::media::FileFact {
        field: "Note".to_owned(),
        value: note,
        source: "Dateline, reading the file".to_owned(),
    });
    read.facts
        .into_iter()
        .map(|fact| dateline_newsroom::media::FileFact {
            field: fact.field.title().to_owned(),
            value: fact.value,
            source: fact.source.to_owned(),
        })
        .chain(notes)
        .collect()
}

/// What the row keeps of the Content Credentials read when the file was checked.
pub fn content_credentials(
    read: &dateline_media::credentials::Credentials,
) -> Option<dateline_newsroom::media::ContentCredentials> {
    use dateline_media::credentials::{Credentials, Verdict};
    use dateline_newsroom::media::{ContentCredentials, CredentialsVerdict};
    match read {
        Credentials::Absent => None,
        Credentials::Unreadable(why) => Some(ContentCredentials {
            signer: String::new(),
            organisation: String::new(),
            signed_at: None,
            made_with: String::new(),
            verdict: CredentialsVerdict::Unreadable,
            problems: vec![why.clone()],
        }),
        Credentials::Read(reading) => Some(ContentCredentials {
            signer: reading.signer.clone(),
            organisation: reading.organisation.clone(),
            signed_at: reading.signed_at.clone(),
            made_with: reading.made_with.clone(),
            verdict: match reading.verdict {
                Verdict::Trusted => CredentialsVerdict::Trusted,
                Verdict::UnknownSigner => CredentialsVerdict::UnknownSigner,
                Verdict::DoesNotMatch => CredentialsVerdict::DoesNotMatch,
            },
            problems: reading.problems.clone(),
        }),
    }
}

/// Checks a file as a photo the paper can use.
pub async fn check(intake: &Intake, bytes: Arc<[u8]>, claimed_mime: &str) -> Result<InspectedImage, UploadError> {
    intake.images().inspect(bytes, claimed_mime).await
}

/// A photo someone on the desk adds to the library: their role is checked first, then the
/// file, then it is stored as [`store`] does.
pub async fn add_to_library(
    intake: &Intake,
    actor: &User,
    bytes: Arc<[u8]>,
    found: &InspectedImage,
    texts: PhotoTexts,
    now: Timestamp,
) -> Result<Media, PhotoError> {
    if !actor.role.may(Action::UploadPhoto) {
        return Err(PhotoError::NotAllowed);
    }
    Ok(store(intake, bytes, found, texts, now).await?.0)
}

/// Stores a checked photo: its files, then its row. Returns the row and the files written,
/// which a caller that later gives up on the photo (a wire delivery that lost a race) removes.
pub async fn store(
    intake: &Intake,
    bytes: Arc<[u8]>,
    found: &InspectedImage,
    texts: PhotoTexts,
    now: Timestamp,
) -> Result<(Media, Vec<String>), PhotoError> {
    let (new, files) = write_files(intake, bytes, found, texts, now).await?;
    match intake.store().insert_media(&new, now).await {
        Ok(media) => Ok((media, files)),
        Err(error) => {
            for file in &files {
                intake.blobs().delete(file).await;
            }
            Err(PhotoError::Store(error))
        }
    }
}

/// Writes a checked photo's file (the original, its smaller sizes following in the background) and returns the row to
/// store for it, with the files written: for a caller that stores the row in a transaction of
/// its own (an archive moving in) and removes the files if that transaction fails.
pub async fn write_files(
    intake: &Intake,
    bytes: Arc<[u8]>,
    found: &InspectedImage,
    texts: PhotoTexts,
    now: Timestamp,
) -> Result<(NewMedia, Vec<String>), PhotoError> {
    // Read before the XMP goes: what the file said of itself is kept beside its row.
    let facts = file_facts(&bytes, found);
    // What readers may have of the file: no GPS position, serial numbers, maker notes or
    // thumbnails; the rights and the orientation stay (`dateline_media::metadata`).
    // The stripped file is the one copy kept from here on: the upload's bytes go with `bytes`.
    let stripped = dateline_media::metadata::strip_private(&bytes, found.format)
        .map_err(|e| PhotoError::Unusable(UploadError::Metadata(e.to_string())))?;
    drop(bytes);
    let sideways = dateline_media::metadata::turns_sideways(
        dateline_media::metadata::kept_facts(&stripped, found.format).orientation,
    );
    let (width, height) = if sideways { (found.height, found.width) } else { (found.width, found.height) };
    let month = now.strftime("%Y/%m").to_string();
    let key = new_key(&month, found.format.extension()).map_err(|e| PhotoError::Storage(e.to_string()))?;
    let byte_size = stripped.len() as u64;
    intake.blobs().put(&key, stripped).await.map_err(|e| PhotoError::Storage(e.to_string()))?;
    let files = vec![key.clone()];
    let new = NewMedia {
        storage_key: key,
        mime_type: found.format.mime_type().into(),
        width,
        height,
        byte_size,
        caption: texts.caption.trim().into(),
        credit: texts.credit.trim().into(),
        alt_text: texts.alt_text.trim().into(),
        photographer: texts.photographer.trim().into(),
        file_facts: facts,
        content_credentials: content_credentials(&found.credentials),
    };
    Ok((new, files))
}

/// Fetches a photo from a remote address, only from `hosts` (exact names) and within the
/// operator's size and time limits: the wire's rules, for any caller.
pub async fn fetch(intake: &Intake, address: &str, hosts: &[String]) -> Result<(Vec<u8>, String), String> {
    let limits = crate::IngestSettings { fetch_hosts: hosts.to_vec(), ..intake.limits().clone() };
    crate::wire::fetch_remote(&limits, address).await
}
