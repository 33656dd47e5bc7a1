//! SQL for editorial settings, kept as one JSON document so a new setting needs no migration.

use crate::db::params;
use crate::SqlStore;
use dateline_newsroom::Change;
use dateline_newsroom::{EditorialSettings, HomeCuration, SettingsStore, StoreError};
use serde::{de::DeserializeOwned, Serialize};

const EDITORIAL: &str = "editorial";
const HOME: &str = "home";

impl SqlStore {
    async fn document<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T, StoreError> {
        let row: Option<(String,)> =
            self.db.fetch_optional("SELECT value FROM settings WHERE name = $1", params![name]).await?;
        match row {
            None => Ok(T::default()),
            Some((json,)) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Other(format!("the stored {name} settings cannot be read: {e}"))),
        }
    }

    /// Saves a settings document and tells of `change`, in one transaction.
    async fn save_document<T: Serialize>(&self, name: &str, value: &T, change: Change) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).map_err(|e| StoreError::Other(e.to_string()))?;
        let mut tx = self.db.begin().await?;
        tx.execute(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![name, json],
        )
        .await?;
        self.commit_with_change(tx, Some(change)).await
    }
}

impl SettingsStore for SqlStore {
    async fn settings(&self) -> Result<EditorialSettings, StoreError> {
        self.document(EDITORIAL).await
    }

    async fn save_settings(&self, settings: &EditorialSettings) -> Result<(), StoreError> {
        self.save_document(EDITORIAL, settings, Change::Settings).await
    }

    async fn home_curation(&self) -> Result<HomeCuration, StoreError> {
        self.document(HOME).await
    }

    async fn save_home_curation(&self, curation: &HomeCuration) -> Result<(), StoreError> {
        self.save_document(HOME, curation, Change::HomeCuration).await
    }
}
