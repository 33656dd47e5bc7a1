//! The rows of a paper, read out of one database and written into another: the storage half
//! of `dateline export` and `dateline import` (the file format lives in the binary's
//! `archive` module, and is documented in docs/ARCHIVE.md).
//!
//! [`ARCHIVE_TABLES`] names every table that holds the paper and each column with its kind;
//! that list, not the schema of whichever database is on hand, is the archive's contract, so
//! a SQLite paper and a PostgreSQL paper export the same lines. Tables that only describe a
//! running system are left out: sign-in sessions, job leases, the migration ledger, the
//! search index and its vocabulary (which the import rebuilds from the stories), the outbox, the server's
//! secrets, the write API's keys, the webhooks and the syndication partners (credentials of
//! one installation: after a move, make new keys, register the endpoints and partners again;
//! the accounts keys acted as stay, so the history still names them), and the newsletter
//! deliveries (what one installation sent; the editions and subscribers travel). A story's `offered_at`
//! (the syndication feed's order) is worked out again from the story on import.
//!
//! Export reads every table in one read-only transaction, so the archive is one moment of the
//! paper even while it keeps publishing. Import writes every row in one transaction with the
//! ids the archive gives, resets PostgreSQL's id sequences past them, rebuilds the search
//! index, and commits only when all of it worked; dropped before [`ArchiveImport::finish`],
//! nothing is left behind.

use crate::db::{map_error, DbTime, Param, Tx};
use crate::SqlStore;
use dateline_newsroom::StoreError;
use futures_util::TryStreamExt;
use jiff::Timestamp;

/// What one column holds. Every value may also be null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Int,
    Text,
    Time,
    /// A yes/no (0 or 1) added after the archive format was first written: an older archive
    /// that lacks it reads as 0, the column's default.
    Flag,
    /// Text added after the archive format was first written: an older archive that lacks it
    /// reads as the value given (the column's default; `None` for null).
    AddedText(Option<&'static str>),
    /// A whole number added after the archive format was first written: an older archive
    /// that lacks it reads as the value given (the column's default).
    AddedInt(i64),
}

/// One value of a row, of its column's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Int(Option<i64>),
    Text(Option<String>),
    Time(Option<Timestamp>),
}

impl From<Cell> for Param {
    fn from(cell: Cell) -> Self {
        match cell {
            Cell::Int(v) => Param::Int(v),
            Cell::Text(v) => Param::Text(v),
            Cell::Time(v) => Param::Time(v),
        }
    }
}

/// A table as the archive carries it.
#[derive(Debug, PartialEq, Eq)]
pub struct ArchiveTable {
    pub name: &'static str,
    pub columns: &'static [(&'static str, ColumnKind)],
    /// The order rows are written in: by key, and parents before the rows that refer to them.
    order_by: &'static str,
    /// Whether the table numbers its rows itself (an `id` from a sequence on PostgreSQL).
    numbered: bool,
}

impl ArchiveTable {
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|(column, _)| *column == name)
    }
}

use ColumnKind::{AddedInt, AddedText, Flag, Int, Text, Time};

/// Every table of the paper, in an order where each row comes after the rows it refers to.
pub const ARCHIVE_TABLES: &[ArchiveTable] = &[
    ArchiveTable {
        name: "users",
        columns: &[
            ("id", Int),
            ("email", Text),
            ("name", Text),
            ("role", Text),
            ("password_hash", Text),
            ("created_at", Time),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "media",
        columns: &[
            ("id", Int),
            ("storage_key", Text),
            ("mime_type", Text),
            ("width", Int),
            ("height", Int),
            ("byte_size", Int),
            ("caption", Text),
            ("credit", Text),
            ("alt_text", Text),
            ("photographer", Text),
            ("created_at", Time),
            ("redistributable", Flag),
            // An archive from before copies were made in the background: they are made again.
            ("variant_formats", AddedText(Some(""))),
            ("focal_x", AddedInt(50)),
            ("focal_y", AddedInt(50)),
            ("content_credentials", AddedText(Some(""))),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "sections",
        columns: &[("id", Int), ("slug", Text), ("name", Text), ("parent_id", Int), ("position", Int), ("path", Text)],
        // A section can be moved under one made after it: its path's depth puts parents first.
        order_by: "length(path) - length(replace(path, '/', '')), id",
        numbered: true,
    },
    ArchiveTable {
        name: "authors",
        columns: &[("id", Int), ("slug", Text), ("name", Text), ("kind", Text), ("bio", Text), ("photo_id", Int)],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "topics",
        columns: &[("id", Int), ("slug", Text), ("name", Text), ("description", Text)],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "articles",
        columns: &[
            ("id", Int),
            ("slug", Text),
            ("headline", Text),
            ("deck", Text),
            ("section_id", Int),
            ("label", Text),
            ("lead_media_id", Int),
            ("body", Text),
            ("seo_title", Text),
            ("seo_description", Text),
            ("status", Text),
            ("embargo_until", Time),
            ("publish_at", Time),
            ("first_published_at", Time),
            ("last_public_update_at", Time),
            ("created_at", Time),
            ("modified_at", Time),
            ("version", Int),
            ("created_by_user_id", Int),
            ("dateline", AddedText(None)),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "article_bylines",
        columns: &[("article_id", Int), ("position", Int), ("author_id", Int)],
        order_by: "article_id, position",
        numbered: false,
    },
    ArchiveTable {
        name: "article_topics",
        columns: &[("article_id", Int), ("position", Int), ("topic_id", Int)],
        order_by: "article_id, position",
        numbered: false,
    },
    ArchiveTable {
        name: "story_plans",
        columns: &[("article_id", Int), ("summary", Text), ("assignee_user_id", Int), ("planned_for", Time)],
        order_by: "article_id",
        numbered: false,
    },
    ArchiveTable {
        name: "article_revisions",
        columns: &[
            ("article_id", Int),
            ("number", Int),
            ("kind", Text),
            ("made_by_user_id", Int),
            ("made_by_name", Text),
            ("made_at", Time),
            ("note", Text),
            ("content", Text),
        ],
        order_by: "article_id, number",
        numbered: false,
    },
    ArchiveTable {
        name: "corrections",
        columns: &[("id", Int), ("article_id", Int), ("text", Text), ("published_at", Time), ("made_by_name", Text)],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "article_views",
        columns: &[("article_id", Int), ("hour", Time), ("views", Int)],
        order_by: "article_id, hour",
        numbered: false,
    },
    ArchiveTable {
        name: "wire_sources",
        columns: &[
            ("id", Int),
            ("slug", Text),
            ("name", Text),
            ("format", Text),
            ("token_digest", Text),
            ("folder", Text),
            ("section_id", Int),
            ("publish_at_once", Int),
            ("agency_id", Int),
            ("created_at", Time),
            ("dateline_format", AddedText(Some(dateline_newsroom::wire::datelines::DEFAULT_DATELINE_FORMAT))),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "wire_items",
        columns: &[
            ("source_id", Int),
            ("guid", Text),
            ("version", Int),
            ("version_created", Time),
            ("status", Text),
            ("embargo_until", Time),
            ("article_id", Int),
            ("media_id", Int),
            ("taken_digest", Text),
            ("pending_copy", Text),
            ("note", Text),
            ("received_at", Time),
        ],
        order_by: "source_id, guid",
        numbered: false,
    },
    ArchiveTable {
        name: "pages",
        columns: &[("id", Int), ("slug", Text), ("title", Text), ("body", Text), ("updated_at", Time)],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable { name: "settings", columns: &[("name", Text), ("value", Text)], order_by: "name", numbered: false },
    ArchiveTable {
        name: "section_redirects",
        columns: &[("old_path", Text), ("section_id", Int)],
        order_by: "old_path",
        numbered: false,
    },
    ArchiveTable {
        name: "legacy_paths",
        columns: &[("path", Text), ("kind", Text), ("target_id", Int), ("source", Text)],
        order_by: "path",
        numbered: false,
    },
    ArchiveTable {
        name: "imported_items",
        columns: &[
            ("id", Int),
            ("source", Text),
            ("kind", Text),
            ("source_key", Text),
            ("target_id", Int),
            ("source_digest", Text),
            ("written_digest", Text),
            ("imported_at", Time),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "media_file_facts",
        columns: &[("media_id", Int), ("facts", Text)],
        order_by: "media_id",
        numbered: false,
    },
    ArchiveTable {
        name: "user_bylines",
        columns: &[("user_id", Int), ("author_id", Int)],
        order_by: "user_id",
        numbered: false,
    },
    ArchiveTable {
        name: "live_coverage",
        columns: &[("article_id", Int), ("started_at", Time), ("ended_at", Time)],
        order_by: "article_id",
        numbered: false,
    },
    ArchiveTable {
        name: "live_posts",
        columns: &[
            ("id", Int),
            ("article_id", Int),
            ("author_id", Int),
            ("author_name", Text),
            ("title", Text),
            ("body", Text),
            ("media_id", Int),
            ("pinned", Int),
            ("posted_at", Time),
            ("modified_at", Time),
            ("deleted_at", Time),
            ("posted_by", Int),
            ("version", Int),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "live_post_revisions",
        columns: &[
            ("id", Int),
            ("post_id", Int),
            ("kind", Text),
            ("made_at", Time),
            ("made_by_user_id", Int),
            ("made_by_name", Text),
            ("title", Text),
            ("body", Text),
            ("pinned", Int),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "newsletters",
        columns: &[
            ("id", Int),
            ("slug", Text),
            ("name", Text),
            ("description", Text),
            ("sender_name", Text),
            ("sender_address", Text),
            ("schedule", Text),
            ("source", Text),
            ("created_at", Time),
            ("retired_at", Time),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "newsletter_subscribers",
        columns: &[
            ("id", Int),
            ("email", Text),
            ("confirmed_at", Time),
            ("permanent_failures", Int),
            ("suppressed_at", Time),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "newsletter_subscriptions",
        columns: &[("subscriber_id", Int), ("newsletter_id", Int), ("subscribed_at", Time)],
        order_by: "subscriber_id, newsletter_id",
        numbered: false,
    },
    ArchiveTable {
        name: "newsletter_editions",
        columns: &[
            ("id", Int),
            ("newsletter_id", Int),
            ("subject", Text),
            ("note", Text),
            ("story_ids", Text),
            ("state", Text),
            ("send_at", Time),
            ("created_at", Time),
            ("created_by", Int),
            ("started_at", Time),
            ("finished_at", Time),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "podcast_shows",
        columns: &[
            ("id", Int),
            ("slug", Text),
            ("title", Text),
            ("description", Text),
            ("artwork_media_id", Int),
            ("category", Text),
            ("language", Text),
            ("explicit", Int),
            ("owner_name", Text),
            ("owner_email", Text),
            ("author", Text),
            ("section_id", Int),
            ("locked", Int),
            ("guid", Text),
            ("created_at", Time),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "audio_files",
        columns: &[
            ("id", Int),
            ("article_id", Int),
            ("storage_key", Text),
            ("mime_type", Text),
            ("byte_size", Int),
            ("duration_ms", Int),
            ("created_at", Time),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "podcast_episodes",
        columns: &[
            ("article_id", Int),
            ("show_id", Int),
            ("audio_id", Int),
            ("guid", Text),
            ("episode_number", Int),
            ("season_number", Int),
            ("episode_type", Text),
            ("transcript_format", Text),
            ("transcript", Text),
            ("chapters", Text),
        ],
        order_by: "article_id",
        numbered: false,
    },
    ArchiveTable {
        name: "video_files",
        columns: &[
            ("id", Int),
            ("article_id", Int),
            ("storage_key", Text),
            ("mime_type", Text),
            ("byte_size", Int),
            ("duration_ms", Int),
            ("width", Int),
            ("height", Int),
            ("created_at", Time),
        ],
        order_by: "id",
        numbered: true,
    },
    ArchiveTable {
        name: "story_videos",
        columns: &[
            ("article_id", Int),
            ("title", Text),
            ("description", Text),
            ("provider", Text),
            ("external_id", Text),
            ("video_file_id", Int),
            ("poster_media_id", Int),
            ("captions_format", Text),
            ("captions", Text),
            ("added_at", Time),
        ],
        order_by: "article_id",
        numbered: false,
    },
    ArchiveTable {
        name: "podcast_downloads",
        columns: &[("article_id", Int), ("day", Text), ("listener", Text)],
        order_by: "article_id, day, listener",
        numbered: false,
    },
];

/// The archive's description of a table, by name.
pub fn archive_table(name: &str) -> Option<&'static ArchiveTable> {
    ARCHIVE_TABLES.iter().find(|table| table.name == name)
}

/// Why an export stopped: the database, or whoever was writing the rows out.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the archive: {0}")]
    Write(#[from] std::io::Error),
}

fn select_sql(table: &ArchiveTable) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    format!("SELECT {} FROM {} ORDER BY {}", columns.join(", "), table.name, table.order_by)
}

fn cells_of<'r, R>(row: &'r R, columns: &[(&str, ColumnKind)]) -> Result<Vec<Cell>, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    Option<DbTime>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                ColumnKind::Int | ColumnKind::Flag | ColumnKind::AddedInt(_) => Cell::Int(row.try_get(i)?),
                ColumnKind::Text | ColumnKind::AddedText(_) => Cell::Text(row.try_get(i)?),
                ColumnKind::Time => Cell::Time(row.try_get::<Option<DbTime>, _>(i)?.map(|t| t.0)),
            })
        })
        .collect()
}

impl SqlStore {
    /// Hands every row of every table in [`ARCHIVE_TABLES`] to `each`, table by table, all
    /// read from one snapshot of the database. `each` may stop the export with an I/O error.
    pub async fn export_rows(
        &self,
        mut each: impl FnMut(&'static ArchiveTable, Vec<Cell>) -> std::io::Result<()>,
    ) -> Result<(), ExportError> {
        let mut tx = self.db.begin().await?;
        if let Tx::Postgres(_) = tx {
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", vec![]).await?;
        }
        for table in ARCHIVE_TABLES {
            let sql = select_sql(table);
            // The rows stream through: a paper's archive need not fit in memory.
            match &mut tx {
                Tx::Sqlite(conn) => {
                    let mut rows = sqlx::query(&sql).fetch(&mut **conn);
                    while let Some(row) = rows.try_next().await.map_err(map_error)? {
                        each(table, cells_of(&row, table.columns).map_err(map_error)?)?;
                    }
                }
                Tx::Postgres(conn) => {
                    let mut rows = sqlx::query(&sql).fetch(&mut **conn);
                    while let Some(row) = rows.try_next().await.map_err(map_error)? {
                        each(table, cells_of(&row, table.columns).map_err(map_error)?)?;
                    }
                }
            }
        }
        // A read-only transaction has nothing to keep; ending it either way releases the snapshot.
        tx.commit().await?;
        Ok(())
    }

    /// Starts an import into this database, which must hold no paper yet (the schema is
    /// brought up to date first). Nothing is visible to anyone until `finish`.
    pub async fn begin_import(&self, now: Timestamp) -> Result<ArchiveImport, StoreError> {
        self.migrate(now).await?;
        let mut tx = self.db.begin().await?;
        for table in ARCHIVE_TABLES {
            let (count,): (i64,) = tx.fetch_one(&format!("SELECT COUNT(*) FROM {}", table.name), vec![]).await?;
            if count > 0 {
                return Err(StoreError::Conflict(format!(
                    "the database already holds a paper ({count} rows in {}); import only into an empty database",
                    table.name
                )));
            }
        }
        Ok(ArchiveImport { tx, rows: 0 })
    }
}

/// An import under way: one open transaction.
pub struct ArchiveImport {
    tx: Tx,
    rows: u64,
}

impl ArchiveImport {
    /// Writes one row, with the cells in the order of `table.columns`.
    pub async fn insert(&mut self, table: &ArchiveTable, cells: Vec<Cell>) -> Result<(), StoreError> {
        if cells.len() != table.columns.len() {
            return Err(StoreError::Other(format!(
                "a row of {} needs {} values, not {}",
                table.name,
                table.columns.len(),
                cells.len()
            )));
        }
        let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            table.name,
            columns.join(", "),
            crate::db::placeholders(1, columns.len())
        );
        self.tx.execute(&sql, cells.into_iter().map(Param::from).collect()).await?;
        self.rows += 1;
        Ok(())
    }

    /// Rebuilds the search index, moves PostgreSQL's id sequences past the imported ids, and
    /// commits. Returns how many rows were written.
    pub async fn finish(mut self) -> Result<u64, StoreError> {
        self.tx.execute(crate::articles::RECOMPUTE_OFFERED_AT, vec![]).await?;
        crate::search::fill_vocabulary(&mut self.tx).await?;
        match self.tx {
            Tx::Sqlite(_) => {
                self.tx.execute("DELETE FROM article_search", vec![]).await?;
                self.tx.execute(REBUILD_SEARCH_SQLITE, vec![]).await?;
            }
            Tx::Postgres(_) => {
                crate::search::set_full_text_index_aside(&mut self.tx).await?;
                self.tx.execute(REBUILD_SEARCH_POSTGRES, vec![]).await?;
                crate::search::fill_search_words(&mut self.tx).await?;
                crate::search::make_full_text_index(&mut self.tx).await?;
                for table in ARCHIVE_TABLES.iter().filter(|table| table.numbered) {
                    let sql = format!(
                        "SELECT setval(pg_get_serial_sequence('{0}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {0}",
                        table.name
                    );
                    self.tx.fetch_one::<(i64,)>(&sql, vec![]).await?;
                }
            }
        }
        self.tx.commit().await?;
        Ok(self.rows)
    }
}

/// The search index from the stories themselves, as the search migrations first built it.
const REBUILD_SEARCH_SQLITE: &str = "INSERT INTO article_search (rowid, headline, deck, bylines, body) \
     SELECT a.id, a.headline, COALESCE(a.deck, ''), \
     COALESCE((SELECT group_concat(au.name, ' ') FROM article_bylines b JOIN authors au ON au.id = b.author_id \
               WHERE b.article_id = a.id), ''), a.body FROM articles a";

const REBUILD_SEARCH_POSTGRES: &str = "UPDATE article_search s SET document = \
     setweight(to_tsvector('english', a.headline), 'A') \
     || setweight(to_tsvector('english', COALESCE(a.deck, '')), 'B') \
     || setweight(to_tsvector('simple', COALESCE((SELECT string_agg(au.name, ' ') FROM article_bylines b \
        JOIN authors au ON au.id = b.author_id WHERE b.article_id = a.id), '')), 'B') \
     || setweight(to_tsvector('english', a.body), 'D') FROM articles a WHERE a.id = s.article_id";
