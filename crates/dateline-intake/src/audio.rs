//! Sound files for podcast episodes: checked (the real format is the declared one, every
//! packet decodes, the length is read from the file) and written to the media store. The
//! caller stores the row in its own transaction and removes the file with [`discard`] if
//! that transaction fails, so nothing is half-stored.

use crate::Intake;
use dateline_media::audio::{AudioFormat, AudioRefusal};
use dateline_newsroom::podcasts::NewAudioFile;
use jiff::Timestamp;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("this sound file cannot be used: {0}")]
    Unusable(#[from] AudioRefusal),
    #[error("the sound file could not be stored: {0}")]
    Storage(String),
}

/// Checks an uploaded sound file and writes it; the row to store for it.
pub async fn keep(
    intake: &Intake,
    bytes: Vec<u8>,
    content_type: &str,
    file_name: &str,
    now: Timestamp,
) -> Result<NewAudioFile, AudioError> {
    let declared = AudioFormat::declared(content_type, file_name);
    let bytes: Arc<[u8]> = Arc::from(bytes);
    let found = intake.images().inspect_audio(bytes.clone(), declared, intake.limits().max_audio_bytes).await?;
    let byte_size = bytes.len() as u64;
    let key =
        intake.write_new_file(bytes.to_vec(), found.format.extension(), now).await.map_err(AudioError::Storage)?;
    Ok(NewAudioFile {
        storage_key: key,
        mime_type: found.format.mime_type().to_owned(),
        byte_size,
        duration_ms: found.duration_ms,
    })
}

/// Removes a sound file whose row was not stored after all.
pub async fn discard(intake: &Intake, file: &NewAudioFile) {
    intake.blobs().delete(&file.storage_key).await;
}
