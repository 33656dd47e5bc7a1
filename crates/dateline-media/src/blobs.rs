//! Blob storage: where media files live, a local folder ([`LocalBlobs`]) or S3-compatible
//! object storage ([`ObjectBlobs`], through the `object_store` crate) that several instances
//! share. Keys are relative paths of plain names (`uploads/2026/11/8f3a….jpg`); nothing can
//! be read or written outside the folder or the bucket's prefix.

use object_store::aws::AmazonS3Builder;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, PutPayload, RetryConfig};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("{0:?} is not a storage key")]
    BadKey(String),
    #[error("cannot write {key}: {reason}")]
    Write { key: String, reason: String },
    #[error("cannot read {key}: {reason}")]
    Read { key: String, reason: String },
    #[error("the object storage settings are not usable: {0}")]
    Settings(String),
}

#[derive(Debug, Clone)]
pub struct LocalBlobs {
    root: PathBuf,
}

/// Whether `key` is a plain relative name that stays inside the media store (no `..`, no
/// leading `/`, no control characters).
pub fn is_plain_key(key: &str) -> bool {
    checked(key).is_ok() && !key.chars().any(char::is_control)
}

fn checked(key: &str) -> Result<&Path, BlobError> {
    let path = Path::new(key);
    let plain = !key.is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)));
    plain.then_some(path).ok_or_else(|| BlobError::BadKey(key.to_owned()))
}

impl LocalBlobs {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        LocalBlobs { root: root.into() }
    }

    /// Writes a file completely or not at all, and durably: it is written aside and flushed
    /// to the disk, renamed into place, and the folder flushed too, so that once this returns
    /// (and before the database row that names the file commits) a power cut cannot leave the
    /// row pointing at a missing or empty file.
    pub fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        use std::io::Write;
        let path = self.root.join(checked(key)?);
        let failed = |e: std::io::Error| BlobError::Write { key: key.to_owned(), reason: e.to_string() };
        if let Some(parent) = path.parent() {
            create_folders_durably(parent).map_err(failed)?;
        }
        let partial = path.with_extension("partial");
        let mut file = std::fs::File::create(&partial).map_err(failed)?;
        file.write_all(bytes).map_err(failed)?;
        file.sync_all().map_err(failed)?;
        drop(file);
        std::fs::rename(&partial, &path).map_err(failed)?;
        if let Some(parent) = path.parent() {
            // The rename is an entry in the folder: flushing the folder makes it last.
            std::fs::File::open(parent).and_then(|folder| folder.sync_all()).map_err(failed)?;
        }
        Ok(())
    }

    /// Removes files written for an upload that was then refused; missing files are fine.
    pub fn delete(&self, key: &str) {
        if let Ok(path) = checked(key) {
            let _ = std::fs::remove_file(self.root.join(path));
        }
    }

    pub fn path_of(&self, key: &str) -> Result<PathBuf, BlobError> {
        Ok(self.root.join(checked(key)?))
    }
}

/// Makes `folder` and any missing folders above it, each one's entry flushed in its parent,
/// so a new month's folder (and the file about to go in it) survives a power cut.
fn create_folders_durably(folder: &Path) -> std::io::Result<()> {
    if folder.is_dir() {
        return Ok(());
    }
    if let Some(parent) = folder.parent() {
        create_folders_durably(parent)?;
    }
    match std::fs::create_dir(folder) {
        Ok(()) => {}
        // Another upload made it meanwhile; it flushes it too.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(e) => return Err(e),
    }
    match folder.parent() {
        Some(parent) => std::fs::File::open(parent)?.sync_all(),
        None => Ok(()),
    }
}

/// A fresh key for an upload of this extension, under the year and month.
pub fn new_key(year_month: &str, extension: &str) -> Result<String, BlobError> {
    let mut random = [0u8; 12];
    getrandom::getrandom(&mut random).map_err(|e| BlobError::Write { key: String::new(), reason: e.to_string() })?;
    let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("uploads/{year_month}/{name}.{extension}"))
}

/// Where an S3-compatible bucket is and how to sign in to it: `[media.s3]` in the operator's
/// configuration, read as it is.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Settings {
    pub bucket: String,
    pub region: String,
    /// For S3-compatible services other than AWS (MinIO, Ceph, R2, …): their address.
    pub endpoint: Option<String>,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Keys are stored under this prefix in the bucket (`dateline/` for example).
    pub prefix: String,
    /// Plain http to the endpoint (a service on a private network, or a test server).
    pub allow_http: bool,
}

impl Default for S3Settings {
    fn default() -> Self {
        S3Settings {
            bucket: String::new(),
            region: "us-east-1".into(),
            endpoint: None,
            access_key_id: String::new(),
            secret_access_key: String::new(),
            prefix: String::new(),
            allow_http: false,
        }
    }
}

/// Media in an S3-compatible bucket.
#[derive(Clone)]
pub struct ObjectBlobs {
    store: Arc<dyn ObjectStore>,
    prefix: String,
    bucket: String,
}

impl std::fmt::Debug for ObjectBlobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ObjectBlobs(s3://{}/{})", self.bucket, self.prefix)
    }
}

impl ObjectBlobs {
    pub fn s3(settings: &S3Settings) -> Result<Self, BlobError> {
        if settings.bucket.trim().is_empty() {
            return Err(BlobError::Settings("media.s3.bucket is empty".into()));
        }
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_access_key_id(&settings.access_key_id)
            .with_secret_access_key(&settings.secret_access_key)
            // A reader waiting for a photo should not wait for minutes of retries.
            .with_retry(RetryConfig {
                max_retries: 2,
                retry_timeout: Duration::from_secs(10),
                backoff: BackoffConfig::default(),
            })
            .with_client_options(
                // Client options replace the builder's own, so plain http is allowed here.
                ClientOptions::new()
                    .with_allow_http(settings.allow_http)
                    .with_timeout(Duration::from_secs(20))
                    .with_connect_timeout(Duration::from_secs(3)),
            );
        if let Some(endpoint) = settings.endpoint.as_deref().filter(|e| !e.is_empty()) {
            // Other services address buckets by path, not by host name.
            builder = builder.with_endpoint(endpoint).with_virtual_hosted_style_request(false);
        }
        let store = builder.build().map_err(|e| BlobError::Settings(e.to_string()))?;
        let prefix = settings.prefix.trim_matches('/').to_owned();
        Ok(ObjectBlobs { store: Arc::new(store), prefix, bucket: settings.bucket.clone() })
    }

    fn location(&self, key: &str) -> Result<object_store::path::Path, BlobError> {
        checked(key)?;
        let full = if self.prefix.is_empty() { key.to_owned() } else { format!("{}/{key}", self.prefix) };
        object_store::path::Path::parse(&full).map_err(|_| BlobError::BadKey(key.to_owned()))
    }
}

/// Where this paper keeps its media.
#[derive(Debug, Clone)]
pub enum Blobs {
    Local(LocalBlobs),
    Object(ObjectBlobs),
}

impl Blobs {
    /// Stores a file whole, or not at all.
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), BlobError> {
        match self {
            Blobs::Local(local) => {
                let (local, key) = (local.clone(), key.to_owned());
                tokio::task::spawn_blocking(move || local.put(&key, &bytes))
                    .await
                    .map_err(|e| BlobError::Write { key: String::new(), reason: e.to_string() })?
            }
            Blobs::Object(object) => {
                let location = object.location(key)?;
                object
                    .store
                    .put(&location, PutPayload::from(bytes))
                    .await
                    .map(drop)
                    .map_err(|e| BlobError::Write { key: key.to_owned(), reason: e.to_string() })
            }
        }
    }

    /// A file's bytes, or `None` when there is no such file.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, BlobError> {
        match self {
            Blobs::Local(local) => {
                let path = local.path_of(key)?;
                match tokio::fs::read(&path).await {
                    Ok(bytes) => Ok(Some(bytes)),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(BlobError::Read { key: key.to_owned(), reason: e.to_string() }),
                }
            }
            Blobs::Object(object) => {
                let location = object.location(key)?;
                let read = |e: object_store::Error| BlobError::Read { key: key.to_owned(), reason: e.to_string() };
                match object.store.get(&location).await {
                    Ok(found) => Ok(Some(found.bytes().await.map_err(read)?.to_vec())),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(other) => Err(read(other)),
                }
            }
        }
    }

    /// The bytes `range` of a file (a range past its end is cut at the end), or `None` when
    /// there is no such file: a listener seeking in a long episode is sent the part asked
    /// for, without the whole file passing through memory.
    pub async fn get_range(&self, key: &str, range: std::ops::Range<u64>) -> Result<Option<Vec<u8>>, BlobError> {
        let read_error = |reason: String| BlobError::Read { key: key.to_owned(), reason };
        match self {
            Blobs::Local(local) => {
                use tokio::io::{AsyncReadExt, AsyncSeekExt};
                let path = local.path_of(key)?;
                let mut file = match tokio::fs::File::open(&path).await {
                    Ok(file) => file,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(read_error(e.to_string())),
                };
                file.seek(std::io::SeekFrom::Start(range.start)).await.map_err(|e| read_error(e.to_string()))?;
                let wanted = range.end.saturating_sub(range.start);
                let mut bytes = Vec::with_capacity(usize::try_from(wanted.min(64 << 20)).unwrap_or(0));
                file.take(wanted).read_to_end(&mut bytes).await.map_err(|e| read_error(e.to_string()))?;
                Ok(Some(bytes))
            }
            Blobs::Object(object) => {
                let location = object.location(key)?;
                match object.store.get_range(&location, range).await {
                    Ok(bytes) => Ok(Some(bytes.to_vec())),
                    Err(object_store::Error::NotFound { .. }) => Ok(None),
                    Err(other) => Err(read_error(other.to_string())),
                }
            }
        }
    }

    /// Removes a file written for an upload that was then refused; a missing file is fine.
    pub async fn delete(&self, key: &str) {
        match self {
            Blobs::Local(local) => local.delete(key),
            Blobs::Object(object) => {
                if let Ok(location) = object.location(key) {
                    let _ = object.store.delete(&location).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_stay_inside_the_root() {
        let dir = tempfile::tempdir().expect("dir");
        let blobs = LocalBlobs::new(dir.path());
        let key = new_key("2026/11", "jpg").expect("key");
        assert!(key.starts_with("uploads/2026/11/") && key.ends_with(".jpg"));
        blobs.put(&key, b"bytes").expect("put");
        assert_eq!(std::fs::read(blobs.path_of(&key).expect("path")).expect("read"), b"bytes");
        for bad in ["../x", "/etc/passwd", "a/../../b", ""] {
            assert!(blobs.put(bad, b"x").is_err(), "{bad}");
        }
        blobs.delete(&key);
        assert!(!blobs.path_of(&key).expect("path").exists());
    }

    #[tokio::test]
    async fn a_range_of_a_local_file_is_read_without_the_rest() {
        let dir = tempfile::tempdir().expect("dir");
        let blobs = Blobs::Local(LocalBlobs::new(dir.path()));
        blobs.put("sound/a.mp3", b"0123456789".to_vec()).await.expect("put");
        assert_eq!(blobs.get_range("sound/a.mp3", 2..5).await.expect("read"), Some(b"234".to_vec()));
        assert_eq!(blobs.get_range("sound/a.mp3", 8..50).await.expect("read"), Some(b"89".to_vec()));
        assert_eq!(blobs.get_range("sound/none.mp3", 0..1).await.expect("read"), None);
    }
}
