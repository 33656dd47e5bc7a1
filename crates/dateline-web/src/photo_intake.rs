//! Taking a photo into the library: the one path for the desk's upload and the wire's
//! pictures. The file is checked (its kind against the claimed type, its size, its pixels
//! from the header, then a whole decode) through `ImageWork`, a bounded number at once; the
//! original and its smaller sizes are written durably; then the row. If the row cannot be
//! written, the files are removed again, so a refused or failed intake leaves nothing behind.

use crate::error::WebError;
use crate::state::AppState;
use dateline_media::{new_key, variant_key, Blobs, InspectedImage, UploadError};
use dateline_newsroom::{Media, MediaStore, NewMedia};
use std::sync::Arc;

/// What is said about a photo: the texts its row holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct PhotoTexts {
    pub caption: String,
    pub credit: String,
    pub alt_text: String,
    pub photographer: String,
}

/// Checks a file as a photo the paper can use.
pub(crate) async fn check(
    state: &AppState,
    bytes: Arc<[u8]>,
    claimed_mime: &str,
) -> Result<InspectedImage, UploadError> {
    state.image_work().inspect(bytes, claimed_mime).await
}

/// Stores a checked photo: its files, then its row. Returns the row and the files written,
/// which a caller that later gives up on the photo (a wire delivery that lost a race) removes.
pub(crate) async fn store(
    state: &AppState,
    bytes: Arc<[u8]>,
    found: &InspectedImage,
    texts: PhotoTexts,
) -> Result<(Media, Vec<String>), WebError> {
    let blobs = state.blobs();
    let month = state.now().strftime("%Y/%m").to_string();
    let key = new_key(&month, found.format.extension()).map_err(|e| WebError::Internal(e.to_string()))?;
    let files = write_with_variants(state, &blobs, &key, bytes.clone()).await?;
    let new = NewMedia {
        storage_key: key,
        mime_type: found.format.mime_type().into(),
        width: found.width,
        height: found.height,
        byte_size: bytes.len() as u64,
        caption: texts.caption.trim().into(),
        credit: texts.credit.trim().into(),
        alt_text: texts.alt_text.trim().into(),
        photographer: texts.photographer.trim().into(),
    };
    match state.store().insert_media(&new, state.now()).await {
        Ok(media) => Ok((media, files)),
        Err(error) => {
            for file in &files {
                blobs.delete(file).await;
            }
            Err(WebError::from(error))
        }
    }
}

/// Writes the original and its smaller sizes; on failure, removes whatever was written.
async fn write_with_variants(
    state: &AppState,
    blobs: &Blobs,
    key: &str,
    bytes: Arc<[u8]>,
) -> Result<Vec<String>, WebError> {
    // Resizing is work for a blocking thread, a bounded number at once, never for the threads
    // that answer readers.
    let variants = state
        .image_work()
        .variants(bytes.clone())
        .await
        .map_err(|reason| WebError::Internal(format!("storing a photo failed: {reason}")))?;
    let files = std::iter::once((key.to_owned(), bytes.to_vec()))
        .chain(variants.into_iter().map(|(width, smaller)| (variant_key(key, width), smaller)));
    let mut written: Vec<String> = Vec::new();
    for (file, content) in files {
        if let Err(error) = blobs.put(&file, content).await {
            for done in &written {
                blobs.delete(done).await;
            }
            return Err(WebError::Internal(format!("storing a photo failed: {error}")));
        }
        written.push(file);
    }
    Ok(written)
}
