//! SQL for editorial settings, kept as one JSON document so a new setting needs no migration.

use crate::db::params;
use crate::SqlStore;
use dateline_newsroom::{EditorialSettings, SettingsStore, StoreError};

const EDITORIAL: &str = "editorial";

impl SettingsStore for SqlStore {
    async fn settings(&self) -> Result<EditorialSettings, StoreError> {
        let row: Option<(String,)> =
            self.db.fetch_optional("SELECT value FROM settings WHERE name = $1", params![EDITORIAL]).await?;
        match row {
            None => Ok(EditorialSettings::default()),
            Some((json,)) => serde_json::from_str(&json)
                .map_err(|e| StoreError::Other(format!("the stored editorial settings cannot be read: {e}"))),
        }
    }

    async fn save_settings(&self, settings: &EditorialSettings) -> Result<(), StoreError> {
        let json = serde_json::to_string(settings).map_err(|e| StoreError::Other(e.to_string()))?;
        self.db
            .execute(
                "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![EDITORIAL, json],
            )
            .await
            .map(drop)
    }
}
