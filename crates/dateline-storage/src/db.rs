//! One connection pool over either database, and the few types that let one SQL text with
//! `$1` placeholders run on both: SQLite accepts `$N` parameters as well as PostgreSQL does.
//!
//! Queries bind a list of [`Param`]s and decode rows into structs that derive `FromRow`; both
//! work for either backend, so each statement is written once. Where the dialects really
//! differ (full-text search, upserts of some shapes) a caller asks [`Db::backend`].

use dateline_newsroom::StoreError;
use jiff::Timestamp;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::types::Oid;
use sqlx::postgres::{PgArgumentBuffer, PgPool, PgRow, PgTypeInfo, PgValueFormat, PgValueRef, Postgres};
use sqlx::sqlite::{SqliteArgumentValue, SqlitePool, SqliteRow, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, FromRow, Sqlite, Type};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A value bound to a `$N` placeholder.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Int(Option<i64>),
    Text(Option<String>),
    Time(Option<Timestamp>),
}

impl From<i64> for Param {
    fn from(v: i64) -> Self {
        Param::Int(Some(v))
    }
}
impl From<Option<i64>> for Param {
    fn from(v: Option<i64>) -> Self {
        Param::Int(v)
    }
}
impl From<&str> for Param {
    fn from(v: &str) -> Self {
        Param::Text(Some(v.to_owned()))
    }
}
impl From<String> for Param {
    fn from(v: String) -> Self {
        Param::Text(Some(v))
    }
}
impl From<&String> for Param {
    fn from(v: &String) -> Self {
        Param::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Param {
    fn from(v: Option<String>) -> Self {
        Param::Text(v)
    }
}
impl From<Option<&str>> for Param {
    fn from(v: Option<&str>) -> Self {
        Param::Text(v.map(str::to_owned))
    }
}
impl From<Timestamp> for Param {
    fn from(v: Timestamp) -> Self {
        Param::Time(Some(v))
    }
}
impl From<Option<Timestamp>> for Param {
    fn from(v: Option<Timestamp>) -> Self {
        Param::Time(v)
    }
}

/// Builds a `Vec<Param>` from values of mixed types.
macro_rules! params {
    ($($value:expr),* $(,)?) => { vec![$($crate::db::Param::from($value)),*] };
}
pub(crate) use params;

/// `$start, $start+1, …` for `n` values: an `IN (…)` list that both dialects read.
pub(crate) fn placeholders(start: usize, n: usize) -> String {
    (start..start + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// An instant as a column: TIMESTAMPTZ on PostgreSQL, fixed-width RFC 3339 text in UTC on
/// SQLite (`2021-01-24T02:27:00.000000Z`), which sorts correctly as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DbTime(pub Timestamp);

/// Microseconds between the Unix epoch and PostgreSQL's epoch, 2000-01-01.
const PG_EPOCH_OFFSET_MICROS: i64 = 946_684_800_000_000;
const PG_TIMESTAMPTZ: PgTypeInfo = PgTypeInfo::with_oid(Oid(1184));
const PG_INT8: PgTypeInfo = PgTypeInfo::with_oid(Oid(20));
const PG_TEXT: PgTypeInfo = PgTypeInfo::with_oid(Oid(25));

pub(crate) fn sqlite_time_text(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%S.%6fZ").to_string()
}

impl Type<Postgres> for DbTime {
    fn type_info() -> PgTypeInfo {
        PG_TIMESTAMPTZ
    }
    fn compatible(ty: &PgTypeInfo) -> bool {
        *ty == PG_TIMESTAMPTZ
    }
}

impl<'r> Decode<'r, Postgres> for DbTime {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        match value.format() {
            PgValueFormat::Binary => {
                let micros = <i64 as Decode<Postgres>>::decode(value)?;
                Ok(DbTime(Timestamp::from_microsecond(micros + PG_EPOCH_OFFSET_MICROS)?))
            }
            PgValueFormat::Text => {
                let text = value.as_str()?.replacen(' ', "T", 1);
                // PostgreSQL writes whole-hour offsets as `+00`; RFC 3339 wants `+00:00`.
                let text =
                    if text.len() > 3 && text.as_bytes()[text.len() - 3] == b'+' { format!("{text}:00") } else { text };
                Ok(DbTime(text.parse()?))
            }
        }
    }
}

impl Type<Sqlite> for DbTime {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for DbTime {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Sqlite>>::decode(value)?;
        Ok(DbTime(text.parse()?))
    }
}

impl Type<Postgres> for Param {
    fn type_info() -> PgTypeInfo {
        PG_TEXT
    }
}

impl Encode<'_, Postgres> for Param {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        match self {
            Param::Int(v) => <Option<i64> as Encode<Postgres>>::encode_by_ref(v, buf),
            Param::Text(v) => <Option<String> as Encode<Postgres>>::encode_by_ref(v, buf),
            Param::Time(v) => {
                let micros = v.map(|t| t.as_microsecond() - PG_EPOCH_OFFSET_MICROS);
                <Option<i64> as Encode<Postgres>>::encode_by_ref(&micros, buf)
            }
        }
    }

    fn produces(&self) -> Option<PgTypeInfo> {
        Some(match self {
            Param::Int(_) => PG_INT8,
            Param::Text(_) => PG_TEXT,
            Param::Time(_) => PG_TIMESTAMPTZ,
        })
    }
}

impl Type<Sqlite> for Param {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl<'q> Encode<'q, Sqlite> for Param {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        match self {
            Param::Int(v) => <Option<i64> as Encode<Sqlite>>::encode_by_ref(v, buf),
            Param::Text(v) => <Option<String> as Encode<Sqlite>>::encode_by_ref(v, buf),
            Param::Time(v) => {
                let text = v.map(sqlite_time_text);
                <Option<String> as Encode<Sqlite>>::encode_by_ref(&text, buf)
            }
        }
    }
}

/// A row type both backends can decode.
pub(crate) trait AnyRow: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}
impl<T> AnyRow for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// Runs `$body` with `$exec` bound to the backend's own executor and `$Db` to its database type.
macro_rules! on_backend {
    ($target:expr, |$exec:ident, $Db:ident| $body:expr) => {
        match $target {
            Target::Sqlite($exec) => {
                #[allow(dead_code)]
                type $Db = sqlx::Sqlite;
                $body
            }
            Target::Postgres($exec) => {
                #[allow(dead_code)]
                type $Db = sqlx::Postgres;
                $body
            }
        }
    };
}

/// What a statement runs on: a pool or an open transaction.
enum Target<'a> {
    Sqlite(&'a mut sqlx::SqliteConnection),
    Postgres(&'a mut sqlx::PgConnection),
}

async fn fetch_all<T: AnyRow>(target: Target<'_>, sql: &str, params: Vec<Param>) -> Result<Vec<T>, StoreError> {
    fetch_all_planned(target, sql, params, Planning::Kept).await
}

/// How PostgreSQL plans a statement. A statement kept prepared on the connection is planned
/// for its values only for its first five runs; after that PostgreSQL may keep one generic
/// plan for any values, which is right for a lookup by key and badly wrong where the best
/// plan depends on the values (how many stories a word matches decides whether to read its
/// index or walk the newest stories). SQLite has no generic plans, and keeps every statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Planning {
    Kept,
    ForTheseValues,
}

async fn fetch_all_planned<T: AnyRow>(
    target: Target<'_>,
    sql: &str,
    params: Vec<Param>,
    planning: Planning,
) -> Result<Vec<T>, StoreError> {
    let keep = planning == Planning::Kept || matches!(target, Target::Sqlite(_));
    on_backend!(target, |conn, DB| {
        let mut query = sqlx::query_as::<DB, T>(sql).persistent(keep);
        for p in params {
            query = query.bind(p);
        }
        query.fetch_all(conn).await.map_err(map_error)
    })
}

async fn fetch_optional<T: AnyRow>(target: Target<'_>, sql: &str, params: Vec<Param>) -> Result<Option<T>, StoreError> {
    on_backend!(target, |conn, DB| {
        let mut query = sqlx::query_as::<DB, T>(sql);
        for p in params {
            query = query.bind(p);
        }
        query.fetch_optional(conn).await.map_err(map_error)
    })
}

async fn execute(target: Target<'_>, sql: &str, params: Vec<Param>) -> Result<u64, StoreError> {
    on_backend!(target, |conn, DB| {
        let mut query = sqlx::query::<DB>(sql);
        for p in params {
            query = query.bind(p);
        }
        query.execute(conn).await.map(|done| done.rows_affected()).map_err(map_error)
    })
}

/// A connection checked out of the pool (or the transaction's own) for one statement.
enum Held<'a> {
    SqlitePooled(sqlx::pool::PoolConnection<Sqlite>),
    PostgresPooled(sqlx::pool::PoolConnection<Postgres>),
    SqliteBorrowed(&'a mut sqlx::SqliteConnection),
    PostgresBorrowed(&'a mut sqlx::PgConnection),
}

impl Held<'_> {
    fn as_target(&mut self) -> Target<'_> {
        match self {
            Held::SqlitePooled(c) => Target::Sqlite(c),
            Held::PostgresPooled(c) => Target::Postgres(c),
            Held::SqliteBorrowed(c) => Target::Sqlite(c),
            Held::PostgresBorrowed(c) => Target::Postgres(c),
        }
    }
}

impl Db {
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    async fn target(&self) -> Result<Held<'static>, StoreError> {
        Ok(match self {
            Db::Sqlite(pool) => Held::SqlitePooled(pool.acquire().await.map_err(map_error)?),
            Db::Postgres(pool) => Held::PostgresPooled(pool.acquire().await.map_err(map_error)?),
        })
    }

    pub(crate) async fn fetch_all<T: AnyRow>(&self, sql: &str, params: Vec<Param>) -> Result<Vec<T>, StoreError> {
        fetch_all(self.target().await?.as_target(), sql, params).await
    }

    /// [`Db::fetch_all`], planned as [`Planning`] says.
    pub(crate) async fn fetch_all_planned<T: AnyRow>(
        &self,
        sql: &str,
        params: Vec<Param>,
        planning: Planning,
    ) -> Result<Vec<T>, StoreError> {
        fetch_all_planned(self.target().await?.as_target(), sql, params, planning).await
    }

    pub(crate) async fn fetch_optional<T: AnyRow>(
        &self,
        sql: &str,
        params: Vec<Param>,
    ) -> Result<Option<T>, StoreError> {
        fetch_optional(self.target().await?.as_target(), sql, params).await
    }

    /// One row, or `StoreError::NotFound`.
    pub(crate) async fn fetch_one<T: AnyRow>(&self, sql: &str, params: Vec<Param>) -> Result<T, StoreError> {
        self.fetch_optional(sql, params).await?.ok_or(StoreError::NotFound)
    }

    /// Runs a statement and returns how many rows it touched.
    pub(crate) async fn execute(&self, sql: &str, params: Vec<Param>) -> Result<u64, StoreError> {
        execute(self.target().await?.as_target(), sql, params).await
    }

    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await.map_err(map_error)?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await.map_err(map_error)?),
        })
    }

    pub(crate) async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// An open transaction; dropped without `commit`, it rolls back.
pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }

    async fn target(&mut self) -> Result<Held<'_>, StoreError> {
        Ok(match self {
            Tx::Sqlite(tx) => Held::SqliteBorrowed(tx),
            Tx::Postgres(tx) => Held::PostgresBorrowed(tx),
        })
    }

    pub(crate) async fn fetch_all<T: AnyRow>(&mut self, sql: &str, params: Vec<Param>) -> Result<Vec<T>, StoreError> {
        fetch_all(self.target().await?.as_target(), sql, params).await
    }

    pub(crate) async fn fetch_optional<T: AnyRow>(
        &mut self,
        sql: &str,
        params: Vec<Param>,
    ) -> Result<Option<T>, StoreError> {
        fetch_optional(self.target().await?.as_target(), sql, params).await
    }

    /// One row, or `StoreError::NotFound`.
    pub(crate) async fn fetch_one<T: AnyRow>(&mut self, sql: &str, params: Vec<Param>) -> Result<T, StoreError> {
        self.fetch_optional(sql, params).await?.ok_or(StoreError::NotFound)
    }

    /// Runs a statement and returns how many rows it touched.
    pub(crate) async fn execute(&mut self, sql: &str, params: Vec<Param>) -> Result<u64, StoreError> {
        execute(self.target().await?.as_target(), sql, params).await
    }

    /// Runs several `;`-separated statements, as a migration file holds.
    pub(crate) async fn execute_script(&mut self, script: &str) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => sqlx::raw_sql(script).execute(&mut **tx).await.map(drop).map_err(map_error),
            Tx::Postgres(tx) => sqlx::raw_sql(script).execute(&mut **tx).await.map(drop).map_err(map_error),
        }
    }

    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await.map_err(map_error),
            Tx::Postgres(tx) => tx.commit().await.map_err(map_error),
        }
    }
}

/// The one place where `sqlx::Error` becomes the domain's vocabulary.
pub(crate) fn map_error(error: sqlx::Error) -> StoreError {
    match &error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            StoreError::Conflict(format!("already exists ({})", db.constraint().unwrap_or("unique")))
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            StoreError::Conflict("refers to something that does not exist".into())
        }
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
            StoreError::Unavailable(error.to_string())
        }
        sqlx::Error::Database(db)
            if db.code().as_deref().is_some_and(|c| c.starts_with("08") || c == "57P01" || c == "57P03") =>
        {
            StoreError::Unavailable(error.to_string())
        }
        // Busy rather than broken: a lock held elsewhere past the lock timeout (PostgreSQL's
        // lock_not_available and query_canceled by statement_timeout; SQLite's BUSY and
        // LOCKED). The request answers 503 with Retry-After and the next one may pass.
        sqlx::Error::Database(db)
            if db.code().as_deref().is_some_and(|c| matches!(c, "55P03" | "57014" | "5" | "6" | "517" | "261"))
                || db.message().contains("database is locked") =>
        {
            StoreError::Unavailable(error.to_string())
        }
        _ => StoreError::Other(error.to_string()),
    }
}
