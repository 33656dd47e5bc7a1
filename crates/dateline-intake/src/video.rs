//! Video files for stories: checked (the real format is the declared one, the container is
//! whole, a video track is there, the length and picture size read from the file) and
//! written to the media store. As with sound files, the caller stores the row and removes
//! the file with [`discard`] if that fails.

use crate::Intake;
use dateline_media::video::{inspect_video, VideoFormat, VideoRefusal};
use dateline_newsroom::video::NewVideoFile;
use jiff::Timestamp;

#[derive(Debug, thiserror::Error)]
pub enum VideoError {
    #[error("this video file cannot be used: {0}")]
    Unusable(#[from] VideoRefusal),
    #[error("the video file could not be stored: {0}")]
    Storage(String),
}

pub async fn keep(
    intake: &Intake,
    bytes: Vec<u8>,
    content_type: &str,
    file_name: &str,
    now: Timestamp,
) -> Result<NewVideoFile, VideoError> {
    let declared = VideoFormat::declared(content_type, file_name);
    let limit = intake.limits().max_video_bytes;
    let (bytes, found) = tokio::task::spawn_blocking(move || {
        let found = inspect_video(&bytes, declared, limit);
        (bytes, found)
    })
    .await
    .map_err(|e| VideoError::Storage(e.to_string()))?;
    let found = found?;
    let byte_size = bytes.len() as u64;
    let key = intake.write_new_file(bytes, found.format.extension(), now).await.map_err(VideoError::Storage)?;
    Ok(NewVideoFile {
        storage_key: key,
        mime_type: found.format.mime_type().to_owned(),
        byte_size,
        duration_ms: found.duration_ms,
        width: found.width,
        height: found.height,
    })
}

/// Removes a video file whose row was not stored after all.
pub async fn discard(intake: &Intake, file: &NewVideoFile) {
    intake.blobs().delete(&file.storage_key).await;
}
