//! Image work (the full decode that proves an upload whole, the smaller sizes for `srcset`)
//! and the decode that proves an episode's sound whole, on blocking threads, a bounded number
//! at once.
//!
//! Decoding costs four bytes a pixel and a resize as much again, so memory for images is at
//! most `concurrent × max_pixels × 8` bytes whatever arrives: with the defaults (two at once,
//! 50 megapixels) about 800 MB, and 16 MB for an ordinary 2-megapixel news photo. Uploads
//! beyond that wait their turn instead of adding up, and readers' threads never decode.

use crate::{inspect, make_variants, CopyPlan, InspectedImage, UploadError, UploadLimits, Variant, VariantFormat};
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Debug, Clone)]
pub struct ImageWork {
    limits: UploadLimits,
    permits: Arc<Semaphore>,
    /// Uploads whose files are read into memory at once: twice the workers, so the next ones
    /// are ready when a worker frees, and the rest wait unread (their bytes stay with the
    /// client and the network) instead of adding up in memory.
    arrivals: Arc<Semaphore>,
}

/// Leave for one upload to read its files into memory; held until its answer.
pub type Admitted = tokio::sync::OwnedSemaphorePermit;

impl ImageWork {
    /// `concurrent` images are worked on at once (at least one).
    pub fn new(limits: UploadLimits, concurrent: usize) -> Self {
        let concurrent = concurrent.max(1);
        ImageWork {
            limits,
            permits: Arc::new(Semaphore::new(concurrent)),
            arrivals: Arc::new(Semaphore::new(concurrent * 2)),
        }
    }

    /// Waits until an upload may read its files into memory.
    pub async fn admit(&self) -> Result<Admitted, String> {
        self.arrivals.clone().acquire_owned().await.map_err(|e| e.to_string())
    }

    pub fn limits(&self) -> UploadLimits {
        self.limits
    }

    /// Runs `work` on a blocking thread once a permit is free.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
        // The permit goes with the work onto its thread: a request that is abandoned (a
        // timeout, a closed connection) does not free it while the decode still runs.
        let permit = self.permits.clone().acquire_owned().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| format!("image work stopped: {e}"))
    }

    /// [`inspect`] within the limits, its decode bounded with every other image's.
    pub async fn inspect(&self, bytes: Arc<[u8]>, claimed_mime: &str) -> Result<InspectedImage, UploadError> {
        let limits = self.limits;
        let claimed = claimed_mime.to_owned();
        self.run(move || inspect(&bytes, &claimed, limits)).await.map_err(|_| UploadError::Damaged)?
    }

    /// [`crate::audio::inspect_audio`], bounded with the images: decoding an hour of sound
    /// takes a core for a while, and uploads must not take every core from readers.
    pub async fn inspect_audio(
        &self,
        bytes: Arc<[u8]>,
        declared: Option<crate::audio::AudioFormat>,
        max_bytes: usize,
    ) -> Result<crate::audio::InspectedAudio, crate::audio::AudioRefusal> {
        self.run(move || crate::audio::inspect_audio(&bytes, declared, max_bytes))
            .await
            .map_err(crate::audio::AudioRefusal::DoesNotDecode)?
    }

    /// The smaller sizes and crops of a stored original, in `formats`.
    pub async fn variants(
        &self,
        bytes: Vec<u8>,
        formats: Vec<VariantFormat>,
        plan: CopyPlan,
    ) -> Result<Vec<Variant>, String> {
        self.run(move || make_variants(&bytes, &formats, plan).map_err(|e| e.to_string())).await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_the_permitted_number_of_images_is_worked_on_at_once() {
        let work = ImageWork::new(UploadLimits { max_bytes: 1, max_pixels: 1 }, 2);
        let busy = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let tasks: Vec<_> = (0..6)
            .map(|_| {
                let (work, busy, most) = (work.clone(), busy.clone(), most.clone());
                tokio::spawn(async move {
                    work.run(move || {
                        let now = busy.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(30));
                        busy.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("task").expect("work");
        }
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
