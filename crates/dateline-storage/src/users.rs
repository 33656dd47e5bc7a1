//! SQL for desk users and their sessions.

use crate::db::{params, DbTime};
use crate::SqlStore;
use dateline_newsroom::accounts::{ApiKey, NewUser, Role, Session, User};
use dateline_newsroom::{ApiKeyStore, SessionStore, StoreError, UserId, UserStore};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    created_at: DbTime,
    author_id: Option<i64>,
}

impl UserRow {
    fn into_user(self) -> Result<User, StoreError> {
        Ok(User {
            id: UserId(self.id),
            role: Role::parse(&self.role)
                .ok_or_else(|| StoreError::Other(format!("unknown stored role {:?}", self.role)))?,
            email: self.email,
            name: self.name,
            created_at: self.created_at.0,
            author_id: self.author_id.map(dateline_newsroom::AuthorId),
        })
    }
}

#[derive(sqlx::FromRow)]
struct UserWithHashRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
    expires_at: DbTime,
}

const COLUMNS: &str = "id, email, name, role, created_at, \
     (SELECT b.author_id FROM user_bylines b WHERE b.user_id = users.id) AS author_id";

impl UserStore for SqlStore {
    async fn insert_user(&self, new: &NewUser, now: Timestamp) -> Result<User, StoreError> {
        let row: UserRow = self
            .db
            .fetch_one(
                &format!(
                    "INSERT INTO users (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {COLUMNS}"
                ),
                params![&new.email, &new.name, new.role.as_str(), &new.password_hash, now],
            )
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => StoreError::Conflict(format!("a user with the e-mail {} already exists", new.email)),
                other => other,
            })?;
        row.into_user()
    }

    async fn user_with_password_hash(&self, email: &str) -> Result<(User, Option<String>), StoreError> {
        let row: UserWithHashRow = self
            .db
            .fetch_one(&format!("SELECT {COLUMNS}, password_hash FROM users WHERE email = $1"), params![email])
            .await?;
        Ok((row.user.into_user()?, row.password_hash))
    }

    async fn user_by_id(&self, id: UserId) -> Result<User, StoreError> {
        let row: UserRow =
            self.db.fetch_one(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"), params![id.0]).await?;
        row.into_user()
    }

    async fn set_password_hash(&self, id: UserId, hash: &str) -> Result<(), StoreError> {
        let changed = self.db.execute("UPDATE users SET password_hash = $2 WHERE id = $1", params![id.0, hash]).await?;
        // A new password ends every session the old one opened.
        self.db.execute("DELETE FROM sessions WHERE user_id = $1", params![id.0]).await?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> =
            // The accounts API keys act as are not people on the desk.
            self.db
                .fetch_all(
                    &format!("SELECT {COLUMNS} FROM users WHERE id NOT IN (SELECT user_id FROM api_keys) ORDER BY name, id"),
                    vec![],
                )
                .await?;
        rows.into_iter().map(UserRow::into_user).collect()
    }

    async fn set_user_author(
        &self,
        id: UserId,
        author: Option<dateline_newsroom::AuthorId>,
    ) -> Result<User, StoreError> {
        let user = self.user_by_id(id).await?;
        let mut tx = self.db.begin().await?;
        tx.execute("DELETE FROM user_bylines WHERE user_id = $1", params![user.id.0]).await?;
        if let Some(author) = author {
            tx.execute("INSERT INTO user_bylines (user_id, author_id) VALUES ($1, $2)", params![user.id.0, author.0])
                .await?;
        }
        tx.commit().await?;
        self.user_by_id(id).await
    }
}

impl SessionStore for SqlStore {
    async fn insert_session(
        &self,
        token_digest: &str,
        user: UserId,
        csrf_token: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .execute(
                "INSERT INTO sessions (token_digest, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                params![token_digest, user.0, csrf_token, now, expires_at],
            )
            .await
            .map(drop)
    }

    async fn session(&self, token_digest: &str, now: Timestamp) -> Result<Session, StoreError> {
        let row: SessionRow = self
            .db
            .fetch_one(
                "SELECT u.id, u.email, u.name, u.role, u.created_at, \
                 (SELECT b.author_id FROM user_bylines b WHERE b.user_id = u.id) AS author_id, s.csrf_token, s.expires_at \
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_digest = $1 AND s.expires_at > $2",
                params![token_digest, now],
            )
            .await?;
        Ok(Session { user: row.user.into_user()?, csrf_token: row.csrf_token, expires_at: row.expires_at.0 })
    }

    async fn delete_session(&self, token_digest: &str) -> Result<(), StoreError> {
        self.db.execute("DELETE FROM sessions WHERE token_digest = $1", params![token_digest]).await.map(drop)
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> Result<u64, StoreError> {
        self.db.execute("DELETE FROM sessions WHERE expires_at <= $1", params![now]).await
    }
}

#[derive(sqlx::FromRow)]
struct ApiKeyRow {
    key_id: i64,
    key_name: String,
    key_created_at: DbTime,
    expires_at: Option<DbTime>,
    revoked_at: Option<DbTime>,
    last_used_at: Option<DbTime>,
    #[sqlx(flatten)]
    user: UserRow,
}

impl ApiKeyRow {
    fn into_key(self) -> Result<ApiKey, StoreError> {
        Ok(ApiKey {
            id: self.key_id,
            name: self.key_name,
            user: self.user.into_user()?,
            created_at: self.key_created_at.0,
            expires_at: self.expires_at.map(|t| t.0),
            revoked_at: self.revoked_at.map(|t| t.0),
            last_used_at: self.last_used_at.map(|t| t.0),
        })
    }
}

const KEY_COLUMNS: &str = "k.id AS key_id, k.name AS key_name, k.created_at AS key_created_at, k.expires_at, \
     k.revoked_at, k.last_used_at, u.id, u.email, u.name, u.role, u.created_at, \
     (SELECT b.author_id FROM user_bylines b WHERE b.user_id = u.id) AS author_id";

impl ApiKeyStore for SqlStore {
    async fn insert_api_key(
        &self,
        name: &str,
        role: Role,
        token_digest: &str,
        expires_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<ApiKey, StoreError> {
        let taken = || StoreError::Conflict(format!("a key named {name:?} exists already"));
        let mut tx = self.db.begin().await?;
        // The account the key acts as: no password, an address that cannot receive mail.
        let (user_id,): (i64,) = tx
            .fetch_one(
                "INSERT INTO users (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, NULL, $4) RETURNING id",
                params![format!("api-key-{}@keys.invalid", &token_digest[..16]), format!("API key: {name}"), role.as_str(), now],
            )
            .await
            .map_err(|e| if matches!(e, StoreError::Conflict(_)) { taken() } else { e })?;
        let (key_id,): (i64,) = tx
            .fetch_one(
                "INSERT INTO api_keys (user_id, name, token_digest, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                params![user_id, name, token_digest, now, expires_at],
            )
            .await
            .map_err(|e| if matches!(e, StoreError::Conflict(_)) { taken() } else { e })?;
        let row: ApiKeyRow = tx
            .fetch_one(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = $1"),
                params![key_id],
            )
            .await?;
        tx.commit().await?;
        row.into_key()
    }

    async fn api_key_by_digest(&self, token_digest: &str) -> Result<ApiKey, StoreError> {
        let row: ApiKeyRow = self
            .db
            .fetch_one(
                &format!(
                    "SELECT {KEY_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.token_digest = $1"
                ),
                params![token_digest],
            )
            .await?;
        row.into_key()
    }

    async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let rows: Vec<ApiKeyRow> = self
            .db
            .fetch_all(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id ORDER BY k.id DESC"),
                vec![],
            )
            .await?;
        rows.into_iter().map(ApiKeyRow::into_key).collect()
    }

    async fn revoke_api_key(&self, name: &str, now: Timestamp) -> Result<ApiKey, StoreError> {
        self.db
            .execute("UPDATE api_keys SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL", params![name, now])
            .await?;
        let row: ApiKeyRow = self
            .db
            .fetch_one(
                &format!("SELECT {KEY_COLUMNS} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.name = $1"),
                params![name],
            )
            .await?;
        // No such key: the read answers NotFound.
        row.into_key()
    }

    async fn note_api_key_use(&self, id: i64, now: Timestamp) -> Result<(), StoreError> {
        let a_minute_ago = now - jiff::SignedDuration::from_secs(60);
        self.db
            .execute(
                "UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
                params![id, now, a_minute_ago],
            )
            .await
            .map(drop)
    }
}
