//! Blob storage: where media files live. Keys are relative paths of plain names
//! (`uploads/2026/11/8f3a….jpg`); nothing can be read or written outside the root.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("{0:?} is not a storage key")]
    BadKey(String),
    #[error("cannot write {key}: {reason}")]
    Write { key: String, reason: String },
}

#[derive(Debug, Clone)]
pub struct LocalBlobs {
    root: PathBuf,
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

    /// A fresh key for an upload of this extension, under the year and month.
    pub fn new_key(&self, year_month: &str, extension: &str) -> Result<String, BlobError> {
        let mut random = [0u8; 12];
        getrandom::getrandom(&mut random)
            .map_err(|e| BlobError::Write { key: String::new(), reason: e.to_string() })?;
        let name: String = random.iter().map(|b| format!("{b:02x}")).collect();
        Ok(format!("uploads/{year_month}/{name}.{extension}"))
    }

    /// Writes a file completely or not at all: it is written aside, then renamed into place.
    pub fn put(&self, key: &str, bytes: &[u8]) -> Result<(), BlobError> {
        let path = self.root.join(checked(key)?);
        let failed = |e: std::io::Error| BlobError::Write { key: key.to_owned(), reason: e.to_string() };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(failed)?;
        }
        let partial = path.with_extension("partial");
        std::fs::write(&partial, bytes).map_err(failed)?;
        std::fs::rename(&partial, &path).map_err(failed)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_stay_inside_the_root() {
        let dir = tempfile::tempdir().expect("dir");
        let blobs = LocalBlobs::new(dir.path());
        let key = blobs.new_key("2026/11", "jpg").expect("key");
        assert!(key.starts_with("uploads/2026/11/") && key.ends_with(".jpg"));
        blobs.put(&key, b"bytes").expect("put");
        assert_eq!(std::fs::read(blobs.path_of(&key).expect("path")).expect("read"), b"bytes");
        for bad in ["../x", "/etc/passwd", "a/../../b", ""] {
            assert!(blobs.put(bad, b"x").is_err(), "{bad}");
        }
        blobs.delete(&key);
        assert!(!blobs.path_of(&key).expect("path").exists());
    }
}
