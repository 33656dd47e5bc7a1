//! Taking things into the paper from outside: photos (the desk's upload, an agency's
//! pictures, an archive being moved in), episodes' sound files, stories' video files, and
//! agency copy (deliveries over HTTP, files dropped
//! in a watched folder).
//!
//! This is the application layer between the domain and its callers. The rules stay in
//! `dateline-newsroom` (who may add a photo, what an agency's new version does to a story);
//! what lives here needs input and output the domain must not have: decoding and resizing
//! images (`dateline-media`'s `ImageWork`), writing files to the media store, fetching a
//! rendition from an agency's server, reading agency formats (`dateline-ingest`). The web
//! crate's handlers, the binary's watched folders and the CLI importers all call the same
//! [`Intake`], so a photo or a wire item taken in by any of them is checked and stored the
//! same way.

pub mod audio;
pub mod photo_variants;
pub mod photos;
pub mod video;
pub mod wire;

pub use photos::{PhotoError, PhotoTexts};
pub use wire::{file_name_of, Attachment, DeliveryError};

use dateline_media::{Blobs, ImageWork};
use dateline_storage::SqlStore;
use std::time::Duration;

/// The operator's limits on wire deliveries.
#[derive(Debug, Clone)]
pub struct IngestSettings {
    /// The largest document taken, in bytes.
    pub max_document_bytes: usize,
    /// Hosts a rendition given only as a remote address may be fetched from (exact names).
    pub fetch_hosts: Vec<String>,
    pub fetch_timeout: Duration,
    pub fetch_max_bytes: u64,
    /// The largest podcast sound file taken, in bytes.
    pub max_audio_bytes: usize,
    /// The largest video file taken, in bytes.
    pub max_video_bytes: usize,
    /// The formats photos' smaller copies are made in (JPEG always among them).
    pub photo_formats: Vec<dateline_media::VariantFormat>,
}

impl Default for IngestSettings {
    fn default() -> Self {
        IngestSettings {
            max_document_bytes: dateline_ingest::DEFAULT_MAX_DOCUMENT_BYTES,
            fetch_hosts: Vec::new(),
            fetch_timeout: Duration::from_secs(10),
            fetch_max_bytes: 20 * 1024 * 1024,
            max_audio_bytes: dateline_media::audio::DEFAULT_MAX_AUDIO_BYTES,
            max_video_bytes: dateline_media::video::DEFAULT_MAX_VIDEO_BYTES,
            photo_formats: dateline_media::VariantFormat::ALL.to_vec(),
        }
    }
}

/// What taking things in needs: the store, where media files go, the bounded image work and
/// the limits on deliveries. Cheap to clone; one per process, shared by every caller.
#[derive(Clone)]
pub struct Intake {
    store: SqlStore,
    blobs: Blobs,
    images: ImageWork,
    limits: IngestSettings,
}

impl Intake {
    pub fn new(store: SqlStore, blobs: Blobs, images: ImageWork, limits: IngestSettings) -> Self {
        Intake { store, blobs, images, limits }
    }

    pub fn store(&self) -> &SqlStore {
        &self.store
    }

    /// Where media files are kept (a local folder or a bucket).
    pub fn blobs(&self) -> &Blobs {
        &self.blobs
    }

    /// Where every image is checked and resized, a bounded number at once.
    pub fn images(&self) -> &ImageWork {
        &self.images
    }

    pub fn limits(&self) -> &IngestSettings {
        &self.limits
    }

    /// Writes a checked upload (a sound or video file) to the media store under a fresh key
    /// of this month; the key.
    pub(crate) async fn write_new_file(
        &self,
        bytes: Vec<u8>,
        extension: &str,
        now: jiff::Timestamp,
    ) -> Result<String, String> {
        let key = dateline_media::new_key(&now.strftime("%Y/%m").to_string(), extension).map_err(|e| e.to_string())?;
        self.blobs.put(&key, bytes).await.map_err(|e| e.to_string())?;
        Ok(key)
    }
}
