//! A consistent copy of a live SQLite database, taken while the paper keeps serving and
//! writing: SQLite's `VACUUM INTO` reads one snapshot of the database (WAL mode lets writers
//! go on) and writes a compact, self-contained file. PostgreSQL has its own tools
//! (`pg_dump`), which Dateline does not replace.

use crate::db::{params, Db};
use crate::SqlStore;
use dateline_newsroom::StoreError;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already; choose a new file name, so that no backup is ever overwritten")]
    Exists(String),
    #[error("backups of PostgreSQL are made with its own tools: pg_dump --format=custom DATABASE > FILE")]
    Postgres,
    #[error("the folder of {0} does not exist")]
    NoFolder(String),
    #[error("the backup failed: {0}")]
    Store(#[from] StoreError),
}

impl SqlStore {
    /// Writes a consistent copy of the database to `target`, a file that must not exist yet.
    /// The copy is written beside it under a temporary name and renamed when complete, so a
    /// failed backup never leaves a file that looks whole.
    pub async fn backup_to(&self, target: &Path) -> Result<(), BackupError> {
        if matches!(self.db, Db::Postgres(_)) {
            return Err(BackupError::Postgres);
        }
        let shown = target.display().to_string();
        if target.exists() {
            return Err(BackupError::Exists(shown));
        }
        let folder = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !folder.is_dir() {
            return Err(BackupError::NoFolder(shown));
        }
        let partial = target.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let written = self.db.execute("VACUUM INTO $1", params![partial.display().to_string()]).await;
        if let Err(error) = written {
            let _ = std::fs::remove_file(&partial);
            return Err(error.into());
        }
        std::fs::rename(&partial, target).map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            StoreError::Unavailable(format!("cannot name the backup {shown}: {e}"))
        })?;
        Ok(())
    }
}
