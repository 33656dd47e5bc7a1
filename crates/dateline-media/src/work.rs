//! Image work (the full decode that proves an upload whole, the smaller sizes for `srcset`)
//! and the decode that proves an episode's sound whole, on blocking threads, a bounded number
//! at once.
//!
//! Decoding costs four bytes a pixel and a resize as much again, so memory for images is at
//! most `concurrent × max_pixels × 8` bytes whatever arrives: with the defaults (two at once,
//! 50 megapixels) about 800 MB, and 16 MB for an ordinary 2-megapixel news photo. Uploads
//! beyond that wait their turn instead of adding up, and readers' threads never decode.
//!
//! The copies of a photo are made after its upload has been answered, so nobody waits on them
//! but the pages that will show them. They are made on threads of their own at a lower CPU
//! priority (niceness 10) than the threads that answer readers: the bound on
//! concurrent work keeps memory in hand, and the priority keeps a burst of uploads from
//! taking the cores from readers (on two cores, two copies at normal priority cost the article
//! page a third to a half of its rate). The check of an upload, which the desk waits on,
//! keeps normal priority.

use crate::credentials::{read_credentials, TrustAnchors};
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
    /// The roots whose Content Credentials signers the paper believes.
    trust: Arc<TrustAnchors>,
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
            trust: Arc::default(),
        }
    }

    /// The same, believing Content Credentials signed under `trust`.
    pub fn with_trust_anchors(self, trust: TrustAnchors) -> Self {
        ImageWork { trust: Arc::new(trust), ..self }
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

    /// Runs `work` on a thread of its own at background priority once a permit is free.
    async fn run_in_background<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let permit = self.permits.clone().acquire_owned().await.map_err(|e| e.to_string())?;
        let (answer, answered) = tokio::sync::oneshot::channel();
        // A thread for each job rather than a pool: a job takes seconds and starting a thread
        // microseconds, and a thread whose priority was lowered cannot raise it again without
        // privileges, so tokio's shared blocking threads must never be lowered.
        std::thread::Builder::new()
            .name("image-copies".into())
            .spawn(move || {
                let _permit = permit;
                lower_this_threads_priority();
                let _ = answer.send(work());
            })
            .map_err(|e| format!("image work could not start: {e}"))?;
        answered.await.map_err(|_| "image work stopped before it finished".to_owned())
    }

    /// [`inspect`] within the limits, its decode bounded with every other image's, and its
    /// Content Credentials read and checked on the same thread.
    pub async fn inspect(&self, bytes: Arc<[u8]>, claimed_mime: &str) -> Result<InspectedImage, UploadError> {
        let limits = self.limits;
        let claimed = claimed_mime.to_owned();
        let trust = self.trust.clone();
        self.run(move || {
            let mut found = inspect(&bytes, &claimed, limits)?;
            found.credentials = read_credentials(&bytes, found.format.mime_type(), &trust);
            Ok(found)
        })
        .await
        .map_err(|_| UploadError::Damaged)?
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
        self.run_in_background(move || make_variants(&bytes, &formats, plan).map_err(|e| e.to_string())).await?
    }
}

/// The priority of the threads that make copies in the background, on the crate's scale of 0
/// to 99 (niceness 19 to -20): 22 is niceness 10, where the scheduler gives such a thread about
/// a tenth of a reader's thread's share when both want a core, and all of it when readers
/// leave the core idle, so copies still finish during a busy evening.
const BACKGROUND_PRIORITY: u8 = 22;

/// Gives the calling thread [`BACKGROUND_PRIORITY`]. Where the system refuses (or has no
/// niceness), the work still runs, at normal priority: copies late are worse than copies slow.
fn lower_this_threads_priority() {
    use thread_priority::{ThreadPriority, ThreadPriorityValue};
    let Ok(value) = ThreadPriorityValue::try_from(BACKGROUND_PRIORITY) else { return };
    let _ = thread_priority::set_current_thread_priority(ThreadPriority::Crossplatform(value));
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

    /// The niceness the kernel reports for the calling thread (field 19 of its `stat`).
    #[cfg(target_os = "linux")]
    fn this_threads_niceness() -> i32 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("the thread's stat");
        // The command name may hold spaces; the fields after it are plain numbers.
        let after_name = &stat[stat.rfind(')').expect("a name in parentheses") + 2..];
        after_name.split(' ').nth(16).expect("the nice field").parse().expect("a number")
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn copies_are_made_below_the_priority_of_readers_and_the_upload_check_is_not() {
        let work = ImageWork::new(UploadLimits { max_bytes: 1, max_pixels: 1 }, 1);
        let readers = this_threads_niceness();
        let copies = work.run_in_background(this_threads_niceness).await.expect("copies");
        assert_eq!(copies, 10.max(readers), "copies at niceness 10");
        let check = work.run(this_threads_niceness).await.expect("check");
        assert_eq!(check, readers, "the desk's upload check keeps the readers' priority");
        assert_eq!(this_threads_niceness(), readers, "the caller's own thread is untouched");
    }
}
