//! Secrets every instance of the paper shares (the key that signs sign-in forms), kept in the
//! database so that a form issued by one instance is good on another. Part of the running
//! system, not of the paper: never exported.

use crate::db::params;
use crate::SqlStore;
use dateline_newsroom::StoreError;

impl SqlStore {
    /// The secret named `name` that every instance shares, made at random the first time it
    /// is asked for (two instances asking at once agree: the first insert wins).
    pub async fn server_secret(&self, name: &str) -> Result<String, StoreError> {
        if let Some((value,)) = self
            .db
            .fetch_optional::<(String,)>("SELECT value FROM server_secrets WHERE name = $1", params![name])
            .await?
        {
            return Ok(value);
        }
        let mut random = [0u8; 32];
        getrandom::getrandom(&mut random).map_err(|e| StoreError::Other(format!("no randomness for a secret: {e}")))?;
        let fresh: String = random.iter().map(|b| format!("{b:02x}")).collect();
        self.db
            .execute(
                "INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                params![name, fresh],
            )
            .await?;
        let (value,): (String,) =
            self.db.fetch_one("SELECT value FROM server_secrets WHERE name = $1", params![name]).await?;
        Ok(value)
    }
}
