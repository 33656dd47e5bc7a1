//! Making photos' smaller copies and crops in the background, after the upload has answered.
//!
//! An upload (the desk's, the wire's, an import's) stores the original and its row and
//! answers: the photo is usable at once, shown at its original size. This work then goes
//! through the photos whose row does not yet record copies in every format the paper makes
//! (`uploads.photo_formats`: AVIF, WebP and JPEG by default), newest first, makes them on the
//! same bounded image workers as uploads (so a burst of photos waits its turn rather than
//! taking every core from readers), writes the files durably, and records the formats; the
//! pages showing the photo are dropped from the cache then, and offer the copies. The crops
//! around its focal point (`dateline_media::crops`) are made in the same round; when an
//! editor moves the point, only the crops are made again.
//!
//! Of several instances sharing a database, the one holding the `photo-variants` lease does
//! the work. A photo whose stored original no longer decodes is recorded as unmakeable and
//! shown at its original size, never tried again.

use crate::Intake;
use dateline_media::{recorded_formats, CopyPlan, Focus, VariantFormat};
use dateline_newsroom::media::VARIANTS_UNMAKEABLE;
use dateline_newsroom::prelude::*;
use dateline_newsroom::{Media, StoreError};
use jiff::{SignedDuration, Timestamp};

const LEASE_JOB: &str = "photo-variants";
const LEASE: SignedDuration = SignedDuration::from_secs(120);
/// Photos taken from the queue at a time.
const BATCH: u32 = 8;

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Made {
    /// Photos whose copies were made.
    pub photos: usize,
    /// Photos whose copies could not be made (recorded, not tried again).
    pub unmakeable: usize,
}

/// Makes the copies of every photo waiting for them, while `holder` holds the lease; returns
/// what was done. Callers run it in a loop (`dateline serve`) or once (tests, `dateline demo`).
pub async fn make_waiting(intake: &Intake, holder: &str, now: impl Fn() -> Timestamp) -> Result<Made, StoreError> {
    let store = intake.store();
    let formats = intake.limits().photo_formats.clone();
    let recorded = recorded_formats(&formats);
    let mut made = Made::default();
    loop {
        let at = now();
        if !store.take_lease(LEASE_JOB, holder, at, at + LEASE).await? {
            return Ok(made);
        }
        let waiting = store.media_waiting_for_variants(&recorded, BATCH).await?;
        if waiting.is_empty() {
            return Ok(made);
        }
        for media in waiting {
            match make_copies(intake, &media, &formats).await {
                Ok(()) => {
                    store.set_media_variants(media.id, media.focal_point, &recorded).await?;
                    made.photos += 1;
                }
                Err(Unmade::Unmakeable(reason)) => {
                    tracing::warn!(media = media.id.0, key = %media.storage_key, %reason, "a photo's copies cannot be made");
                    store.set_media_variants(media.id, media.focal_point, VARIANTS_UNMAKEABLE).await?;
                    made.unmakeable += 1;
                }
                // The store could not be written or read now: the photo stays in the queue.
                Err(Unmade::Storage(reason)) => {
                    tracing::warn!(media = media.id.0, %reason, "a photo's copies could not be stored; trying later");
                    return Ok(made);
                }
            }
        }
    }
}

enum Unmade {
    Unmakeable(String),
    Storage(String),
}

async fn make_copies(intake: &Intake, media: &Media, formats: &[VariantFormat]) -> Result<(), Unmade> {
    let blobs = intake.blobs();
    let original = match blobs.get(&media.storage_key).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(Unmade::Unmakeable("the original is missing from the media store".into())),
        Err(error) => return Err(Unmade::Storage(error.to_string())),
    };
    // Only the crops are missing when an editor moved the focal point of a photo whose copies
    // were all made: the copies of the whole picture stay as they are.
    let whole = !formats.iter().all(|format| media.has_variants_in(format.name()));
    let focus = Focus { x: media.focal_point.x, y: media.focal_point.y };
    let plan = CopyPlan { whole, crops: Some(focus) };
    let copies = intake.images().variants(original, formats.to_vec(), plan).await.map_err(Unmade::Unmakeable)?;
    for copy in copies {
        let key = copy.key(&media.storage_key, focus);
        blobs.put(&key, copy.bytes).await.map_err(|e| Unmade::Storage(e.to_string()))?;
    }
    Ok(())
}

/// Runs [`make_waiting`] every `interval` for as long as the server runs.
pub async fn run(intake: Intake, holder: String, interval: std::time::Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if let Err(error) = make_waiting(&intake, &holder, Timestamp::now).await {
            tracing::warn!(%error, "photos' smaller copies could not be made this round");
        }
    }
}

/// The formats the paper's settings could name, for the operator's configuration.
pub fn parse_formats(names: &[String]) -> Result<Vec<VariantFormat>, String> {
    let mut formats = Vec::new();
    for name in names {
        let format = VariantFormat::parse(name)
            .ok_or_else(|| format!("{name:?} is not a photo format Dateline makes (avif, webp, jpeg)"))?;
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if !formats.contains(&VariantFormat::Jpeg) {
        return Err("photo formats must include jpeg, which every browser and e-mail reader shows".into());
    }
    Ok(formats)
}
