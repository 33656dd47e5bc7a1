//! Full-text search in each database's own engine: FTS5 on SQLite; on PostgreSQL a weighted
//! tsvector in a narrow table of its own, indexed with RUM (which ranks inside the index) when
//! the server has the extension and GIN otherwise, beside the story's words as written, which
//! quoted phrases are checked against. Both engines rank the newest thousand matches (RUM the
//! whole archive's, for one word that is not common). The index, and the vocabulary that typo
//! correction draws on, are written in the same transaction as the story ([`index_story`]);
//! queries are built only from parsed terms, each bound as a parameter.

use crate::articles::{stored_status, SummaryRow};
use crate::db::{params, placeholders, Backend, Param, Planning, Tx};
use crate::search_snippets::{english_stems, stemmed_snippet, words_as_written};
use crate::SqlStore;
use dateline_newsroom::search::{SearchHit, SearchOrder, SearchQuery, SearchResults, Term, MATCH_END, MATCH_START};
use dateline_newsroom::spelling::vocabulary_words;
use dateline_newsroom::{ArticleContent, SearchStore, StoreError};
use jiff::Timestamp;
use std::collections::{BTreeSet, HashMap};

/// The columns of a hit; drafts have no publication time yet, so their last change stands in.
const HIT_COLUMNS: &str = "a.id, a.slug, a.headline, a.deck, a.section_id, a.label, a.lead_media_id, \
     COALESCE(a.first_published_at, a.modified_at) AS first_published_at, a.last_public_update_at, \
     substr(a.body, 1, 600) AS excerpt, a.status";

#[derive(sqlx::FromRow)]
struct HitRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    status: String,
}

/// Counting stops here: beyond it a reader is told "more than 1,000 stories", and paging stops.
const COUNT_LIMIT: i64 = 1_000;
/// When more stories than this match a query (and its filters), only this many of the newest
/// are ranked. Ranking every match of a common word costs time in proportion to the archive;
/// a newspaper's reader wants the best of the recent matches first anyway, and a rarer word
/// or a phrase narrows the matches below the limit, where every match is ranked. One more
/// than [`COUNT_LIMIT`], so the ranking also tells whether more than that many match.
const RANKED_CANDIDATES: i64 = COUNT_LIMIT + 1;
/// PostgreSQL reads the newest matches in windows of story ids: the first this wide, the next
/// this many times wider when a window found none ([`SqlStore::page_of_postgres_matches`]).
const FIRST_WINDOW: i64 = 2_000;
const WINDOW_GROWTH: i64 = 8;
/// With RUM, search ranks the whole archive's matches inside the index when the newest
/// stories say a query matches no more than this many; the index ranks all of them, about
/// half a microsecond each (a word in most of 100,000 stories took 60 ms), so beyond it the
/// newest matches are ranked instead, as without RUM.
const RUM_RANKS_UP_TO: i64 = 10_000;

/// Writes a story's entry in the search index; call it inside the story's own transaction.
pub(crate) async fn index_story(tx: &mut Tx, id: i64, content: &ArticleContent) -> Result<(), StoreError> {
    let mut names = Vec::new();
    for author in &content.bylines {
        let row: Option<(String,)> =
            tx.fetch_optional("SELECT name FROM authors WHERE id = $1", params![author.0]).await?;
        names.extend(row.map(|(name,)| name));
    }
    let deck = content.deck.clone().unwrap_or_default();
    write_entry(tx, id, &content.headline, &deck, &names.join(" "), &content.body).await
}

/// The words of a story the index and the vocabulary are made of.
#[derive(sqlx::FromRow)]
struct StoryText {
    id: i64,
    headline: String,
    deck: Option<String>,
    body: String,
}

/// Writes again the index entries of every story an author's byline is on, after the
/// author's name changed; call it inside the rename's transaction, so search never finds a
/// story under a name its byline no longer shows.
pub(crate) async fn reindex_bylines_of(tx: &mut Tx, author: i64) -> Result<u64, StoreError> {
    let stories: Vec<StoryText> = tx
        .fetch_all(
            "SELECT a.id, a.headline, a.deck, a.body FROM articles a \
             WHERE a.id IN (SELECT article_id FROM article_bylines WHERE author_id = $1)",
            params![author],
        )
        .await?;
    for story in &stories {
        let names: Vec<(String,)> = tx
            .fetch_all(
                "SELECT au.name FROM article_bylines b JOIN authors au ON au.id = b.author_id \
                 WHERE b.article_id = $1 ORDER BY b.position",
                params![story.id],
            )
            .await?;
        let bylines = names.into_iter().map(|(name,)| name).collect::<Vec<_>>().join(" ");
        write_entry(tx, story.id, &story.headline, story.deck.as_deref().unwrap_or(""), &bylines, &story.body).await?;
    }
    Ok(stories.len() as u64)
}

/// A story's words as its search entry holds them.
pub(crate) struct SearchEntry<'a> {
    pub id: i64,
    pub headline: &'a str,
    pub deck: &'a str,
    /// The names on its bylines, in order, joined by spaces.
    pub bylines: String,
    pub body: &'a str,
}

/// Writes the entries of many new stories at once (their rows must not be in the index yet
/// on SQLite; on PostgreSQL the story's trigger has made them), a statement for each
/// [`ROWS_PER_STATEMENT`](crate::articles_in_bulk::ROWS_PER_STATEMENT), and adds their words
/// to the vocabulary in one go.
pub(crate) async fn index_stories(tx: &mut Tx, entries: &[SearchEntry<'_>]) -> Result<(), StoreError> {
    for chunk in entries.chunks(crate::articles_in_bulk::ROWS_PER_STATEMENT) {
        let mut values = Vec::with_capacity(chunk.len() * 6);
        let sql = match tx {
            Tx::Sqlite(_) => {
                for e in chunk {
                    values.extend([
                        Param::from(e.id),
                        Param::from(e.headline),
                        Param::from(e.deck),
                        Param::from(e.bylines.as_str()),
                        Param::from(e.body),
                    ]);
                }
                let rows: Vec<String> =
                    (0..chunk.len()).map(|row| format!("({})", placeholders(row * 5 + 1, 5))).collect();
                format!("INSERT INTO article_search (rowid, headline, deck, bylines, body) VALUES {}", rows.join(", "))
            }
            Tx::Postgres(_) => {
                for e in chunk {
                    values.extend([
                        Param::from(e.id),
                        Param::from(e.headline),
                        Param::from(e.deck),
                        Param::from(e.bylines.as_str()),
                        Param::from(e.body),
                        Param::from(words_as_written(&[e.headline, e.deck, e.body, &e.bylines])),
                    ]);
                }
                let rows: Vec<String> =
                    (0..chunk.len()).map(|row| format!("({})", placeholders(row * 6 + 1, 6))).collect();
                format!(
                    "UPDATE article_search s SET document = {POSTGRES_DOCUMENT}, words = to_tsvector('simple', v.words) \
                     FROM (VALUES {}) AS v (id, headline, deck, bylines, body, words) WHERE s.article_id = v.id",
                    rows.join(", ")
                )
            }
        };
        tx.execute(&sql, values).await?;
    }
    let mut words = BTreeSet::new();
    for e in entries {
        words.extend(vocabulary_words(&[e.headline, e.deck, &e.bylines, e.body]));
    }
    add_to_vocabulary(tx, &words).await
}

/// The weighted vector of a story's words, from the columns `v.headline`, `v.deck`,
/// `v.bylines` and `v.body`: a headline match outranks a deck's or a byline's, and those a
/// body's.
const POSTGRES_DOCUMENT: &str = "setweight(to_tsvector('english', v.headline), 'A') \
     || setweight(to_tsvector('english', v.deck), 'B') || setweight(to_tsvector('simple', v.bylines), 'B') \
     || setweight(to_tsvector('english', v.body), 'D')";

async fn write_entry(
    tx: &mut Tx,
    id: i64,
    headline: &str,
    deck: &str,
    bylines: &str,
    body: &str,
) -> Result<(), StoreError> {
    match tx {
        Tx::Sqlite(_) => {
            tx.execute("DELETE FROM article_search WHERE rowid = $1", params![id]).await?;
            tx.execute(
                "INSERT INTO article_search (rowid, headline, deck, bylines, body) VALUES ($1, $2, $3, $4, $5)",
                params![id, headline, deck, bylines, body],
            )
            .await?;
        }
        Tx::Postgres(_) => {
            // The row itself is the story's (a trigger made it with the story).
            tx.execute(
                "UPDATE article_search SET document = setweight(to_tsvector('english', $2), 'A') \
                 || setweight(to_tsvector('english', $3), 'B') || setweight(to_tsvector('simple', $4), 'B') \
                 || setweight(to_tsvector('english', $5), 'D'), words = to_tsvector('simple', $6) WHERE article_id = $1",
                params![id, headline, deck, bylines, body, words_as_written(&[headline, deck, body, bylines])],
            )
            .await?;
        }
    }
    add_to_vocabulary(tx, &vocabulary_words(&[headline, deck, bylines, body])).await
}

/// Adds words to the vocabulary, in sorted order (so two stories saved at once take their
/// words in the same order) and without touching words already there (no row is locked, so
/// story saves never wait on each other for a common word).
async fn add_to_vocabulary(tx: &mut Tx, words: &BTreeSet<String>) -> Result<(), StoreError> {
    let words: Vec<&String> = words.iter().collect();
    for chunk in words.chunks(5_000) {
        let list = serde_json::to_string(chunk).map_err(|e| StoreError::Other(e.to_string()))?;
        let sql = match tx {
            Tx::Sqlite(_) => {
                "INSERT OR IGNORE INTO search_vocabulary (word) SELECT value FROM json_each($1) ORDER BY value"
            }
            Tx::Postgres(_) => {
                "INSERT INTO search_vocabulary (word) SELECT w FROM jsonb_array_elements_text($1::jsonb) AS w \
                 ORDER BY w ON CONFLICT (word) DO NOTHING"
            }
        };
        tx.execute(sql, params![list]).await?;
    }
    Ok(())
}

/// Fills the vocabulary from every story and author already stored (the migration that
/// makes the vocabulary runs it once), a thousand stories at a time.
pub(crate) async fn fill_vocabulary(tx: &mut Tx) -> Result<(), StoreError> {
    let names: Vec<(String,)> = tx.fetch_all("SELECT name FROM authors", vec![]).await?;
    let names: Vec<&str> = names.iter().map(|(name,)| name.as_str()).collect();
    add_to_vocabulary(tx, &vocabulary_words(&names)).await?;
    let mut after = 0_i64;
    loop {
        let stories: Vec<StoryText> = tx
            .fetch_all(
                "SELECT id, headline, deck, body FROM articles WHERE id > $1 ORDER BY id LIMIT 1000",
                params![after],
            )
            .await?;
        let Some(last) = stories.last() else { return Ok(()) };
        after = last.id;
        let mut words = BTreeSet::new();
        for story in &stories {
            words.extend(vocabulary_words(&[&story.headline, story.deck.as_deref().unwrap_or(""), &story.body]));
        }
        add_to_vocabulary(tx, &words).await?;
    }
}

/// Fills PostgreSQL's words as written ([`words_as_written`]) for every story stored: once, by
/// the migration that adds them, and after an import; a thousand stories at a time.
pub(crate) async fn fill_search_words(tx: &mut Tx) -> Result<(), StoreError> {
    #[derive(sqlx::FromRow)]
    struct Story {
        id: i64,
        headline: String,
        deck: Option<String>,
        body: String,
        bylines: Option<String>,
    }
    #[derive(serde::Serialize)]
    struct Words {
        id: i64,
        words: String,
    }
    let mut after = 0_i64;
    loop {
        let stories: Vec<Story> = tx
            .fetch_all(
                "SELECT a.id, a.headline, a.deck, a.body, \
                 (SELECT string_agg(au.name, ' ' ORDER BY b.position) FROM article_bylines b \
                  JOIN authors au ON au.id = b.author_id WHERE b.article_id = a.id) AS bylines \
                 FROM articles a WHERE a.id > $1 ORDER BY a.id LIMIT 1000",
                params![after],
            )
            .await?;
        let Some(last) = stories.last() else { return Ok(()) };
        after = last.id;
        let words: Vec<Words> = stories
            .iter()
            .map(|story| Words {
                id: story.id,
                words: words_as_written(&[
                    &story.headline,
                    story.deck.as_deref().unwrap_or(""),
                    &story.body,
                    story.bylines.as_deref().unwrap_or(""),
                ]),
            })
            .collect();
        let list = serde_json::to_string(&words).map_err(|e| StoreError::Other(e.to_string()))?;
        tx.execute(
            "UPDATE article_search s SET words = to_tsvector('simple', w.words) \
             FROM jsonb_to_recordset($1::jsonb) AS w(id BIGINT, words TEXT) WHERE s.article_id = w.id",
            params![list],
        )
        .await?;
    }
}

/// An FTS5 expression of quoted strings only: each word or phrase is literal text to FTS5.
fn fts5_expression(terms: &[Term]) -> String {
    terms
        .iter()
        .map(|term| match term {
            Term::Word(word) => format!("\"{word}\""),
            Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Parameters of one statement, bound in the order their placeholders are made.
#[derive(Default)]
struct Binder(Vec<Param>);

impl Binder {
    fn bind(&mut self, value: impl Into<Param>) -> String {
        self.0.push(value.into());
        format!("${}", self.0.len())
    }

    fn bind_all(&mut self, values: impl IntoIterator<Item = i64>) -> String {
        let first = self.0.len() + 1;
        self.0.extend(values.into_iter().map(Param::from));
        placeholders(first, self.0.len() + 1 - first)
    }
}

/// The match, in the engine's own terms, bound as parameters.
///
/// On PostgreSQL a quoted phrase is two conditions: its words, stemmed, in the weighted
/// vector the index finds stories by, and its words as written, side by side, in the story's
/// `words` ([`words_as_written`]). The English vector alone cannot say the second: it drops
/// stop words ("state of the art" would match "state of an art") and keeps a hyphenated name
/// whole as well as in parts, one position more ("Kim Hans-Georg"). The second condition is
/// read only on stories the first already found, and never reads a story's text.
fn match_condition(backend: Backend, terms: &[Term], binder: &mut Binder) -> String {
    match backend {
        Backend::Sqlite => format!("article_search MATCH {}", binder.bind(fts5_expression(terms))),
        Backend::Postgres => {
            let mut conditions = vec![format!("s.document @@ {}", tsquery(terms, binder))];
            for term in terms {
                if let Term::Phrase(words) = term {
                    let as_written = words_as_written(&words.iter().map(String::as_str).collect::<Vec<_>>());
                    conditions.push(format!("s.words @@ phraseto_tsquery('simple', {})", binder.bind(as_written)));
                }
            }
            conditions.join(" AND ")
        }
    }
}

/// The index's half of a query: every word and every phrase's words, stemmed, all required.
fn tsquery(terms: &[Term], binder: &mut Binder) -> String {
    let parts: Vec<String> = terms
        .iter()
        .map(|term| {
            let words = match term {
                Term::Word(word) => word.clone(),
                Term::Phrase(words) => words.join(" "),
            };
            format!("plainto_tsquery('english', {})", binder.bind(words))
        })
        .collect();
    format!("({})", parts.join(" && "))
}

/// What the reader (or the desk) asked to narrow the search to: conditions on the story `a`
/// on SQLite, on PostgreSQL's narrow search row `s`, which holds what they read.
fn filter_conditions(backend: Backend, query: &SearchQuery, now: Timestamp, binder: &mut Binder) -> Vec<String> {
    let (row, id, published) = match backend {
        Backend::Sqlite => ("a", "a.id", "a.first_published_at"),
        Backend::Postgres => ("s", "s.article_id", "s.first_published_at"),
    };
    let mut conditions = Vec::new();
    if !query.include_unpublished {
        let at = binder.bind(now);
        conditions.push(match backend {
            Backend::Sqlite => format!(
                "a.status = 'published' AND a.first_published_at <= {at} AND (a.embargo_until IS NULL OR a.embargo_until <= {at})"
            ),
            Backend::Postgres => format!("s.public_from <= {at}"),
        });
    }
    if let Some(sections) = &query.sections {
        if sections.is_empty() {
            conditions.push("1 = 0".into());
        } else {
            conditions.push(format!("{row}.section_id IN ({})", binder.bind_all(sections.iter().map(|s| s.0))));
        }
    }
    if let Some(author) = query.author {
        let p = binder.bind(author.0);
        conditions
            .push(format!("EXISTS (SELECT 1 FROM article_bylines b WHERE b.article_id = {id} AND b.author_id = {p})"));
    }
    if let Some(from_time) = query.published_from {
        conditions.push(format!("{published} >= {}", binder.bind(from_time)));
    }
    if let Some(until) = query.published_until {
        conditions.push(format!("{published} < {}", binder.bind(until)));
    }
    conditions
}

fn has_phrase(terms: &[Term]) -> bool {
    terms.iter().any(|term| matches!(term, Term::Phrase(_)))
}

/// A story PostgreSQL's search may rank: its rank for the query (0 when the newest come
/// first), and its publication time in seconds.
#[derive(sqlx::FromRow)]
struct Candidate {
    id: i64,
    score: f64,
    published: f64,
}

/// PostgreSQL's full-text index as migration 0021 made it: RUM when the server has the
/// extension, GIN otherwise. It is only made when missing.
const CREATE_FULL_TEXT_INDEX: &str = "DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS rum;
    CREATE INDEX IF NOT EXISTS article_search_document ON article_search USING rum (document rum_tsvector_ops);
EXCEPTION WHEN OTHERS THEN
    CREATE INDEX IF NOT EXISTS article_search_document ON article_search USING gin (document);
END
$$";

/// Drops PostgreSQL's full-text index before a bulk load. Adding one story's vector to a RUM
/// index costs about 2.5 ms (10,000 stories: 25 s), building the index over the same stories
/// 0.6 s; so a load of many stories writes them without it and builds it once at the end
/// ([`make_full_text_index`]). Searches meanwhile still answer, reading the table.
pub(crate) async fn set_full_text_index_aside(tx: &mut Tx) -> Result<(), StoreError> {
    if tx.is_postgres() {
        tx.execute("DROP INDEX IF EXISTS article_search_document", vec![]).await?;
    }
    Ok(())
}

/// Builds PostgreSQL's full-text index if it is missing: after a bulk load, or at start after
/// a load that was stopped before it could build it.
pub(crate) async fn make_full_text_index(tx: &mut Tx) -> Result<(), StoreError> {
    if tx.is_postgres() {
        tx.execute("SET LOCAL statement_timeout = 0", vec![]).await?;
        tx.execute_script(CREATE_FULL_TEXT_INDEX).await?;
    }
    Ok(())
}

/// Which index PostgreSQL's search has: RUM ranks inside the index, GIN only finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SearchIndex {
    Rum,
    Gin,
}

fn joined(conditions: &[String]) -> String {
    if conditions.is_empty() {
        "1 = 1".to_owned()
    } else {
        conditions.join(" AND ")
    }
}

impl SqlStore {
    /// How many stories match, counted up to `up_to`.
    async fn count_up_to(&self, query: &SearchQuery, now: Timestamp, up_to: i64) -> Result<i64, StoreError> {
        let backend = self.db.backend();
        let mut binder = Binder::default();
        let mut conditions = vec![match_condition(backend, &query.terms, &mut binder)];
        conditions.extend(filter_conditions(backend, query, now, &mut binder));
        let from = match backend {
            Backend::Sqlite => {
                "article_search CROSS JOIN articles a INDEXED BY articles_visibility ON a.id = article_search.rowid"
            }
            Backend::Postgres => "article_search s",
        };
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {from} WHERE {} LIMIT {up_to}) AS counted",
            joined(&conditions),
        );
        let counted: Vec<(i64,)> = self.db.fetch_all_planned(&sql, binder.0, Planning::ForTheseValues).await?;
        Ok(counted.first().map(|(count,)| *count).unwrap_or_default())
    }

    /// Whether search ranks inside its index (PostgreSQL with RUM) rather than ranking the
    /// newest matches (PostgreSQL with GIN, and SQLite's FTS5).
    pub async fn search_ranks_in_index(&self) -> Result<bool, StoreError> {
        Ok(self.db.backend() == Backend::Postgres && self.search_index().await? == SearchIndex::Rum)
    }

    /// Which index PostgreSQL's search has, asked of the database once.
    async fn search_index(&self) -> Result<SearchIndex, StoreError> {
        let kind = self
            .search_index
            .get_or_try_init(|| async {
                let access_method: Option<(String,)> = self
                    .db
                    .fetch_optional(
                        "SELECT am.amname::text FROM pg_class c JOIN pg_am am ON am.oid = c.relam \
                         WHERE c.relname = 'article_search_document' AND c.relkind = 'i' \
                         AND pg_table_is_visible(c.oid)",
                        Vec::new(),
                    )
                    .await?;
                Ok::<_, StoreError>(match access_method {
                    Some((name,)) if name == "rum" => SearchIndex::Rum,
                    _ => SearchIndex::Gin,
                })
            })
            .await?;
        Ok(*kind)
    }

    /// With RUM, one page of the best matches of the whole archive straight from the index
    /// (it keeps the words' positions and weights, so it ranks as `ts_rank` does without
    /// reading a story), and how many match, counted up to [`RANKED_CANDIDATES`]. Nothing but
    /// the rank orders it: a second key (newest first among equals) makes PostgreSQL sort
    /// every match instead of reading the index in order, ten times slower.
    async fn page_ranked_by_the_index(
        &self,
        query: &SearchQuery,
        now: Timestamp,
    ) -> Result<(Vec<i64>, i64), StoreError> {
        let mut binder = Binder::default();
        let mut conditions = vec![match_condition(Backend::Postgres, &query.terms, &mut binder)];
        conditions.extend(filter_conditions(Backend::Postgres, query, now, &mut binder));
        let rank = tsquery(&query.terms, &mut binder);
        let limit = binder.bind(i64::from(query.limit));
        let offset = binder.bind(i64::from(query.offset));
        let sql = format!(
            "SELECT s.article_id FROM article_search s WHERE {} \
             ORDER BY s.document <=> {rank} LIMIT {limit} OFFSET {offset}",
            joined(&conditions),
        );
        let rows: Vec<(i64,)> = self.db.fetch_all_planned(&sql, binder.0, Planning::ForTheseValues).await?;
        let counted = self.count_up_to(query, now, RANKED_CANDIDATES).await?;
        Ok((rows.into_iter().map(|(id,)| id).collect(), counted))
    }

    /// One page of hits, best first, and how many candidates were ranked (up to
    /// [`RANKED_CANDIDATES`]). Without an index that ranks (SQLite's FTS5, PostgreSQL's GIN),
    /// matches are taken newest first and filtered, and the first [`RANKED_CANDIDATES`] that
    /// pass are ranked: ranking every match of a common word would cost time in proportion to
    /// the archive.
    async fn page_of_matches(&self, query: &SearchQuery, now: Timestamp) -> Result<(Vec<i64>, i64), StoreError> {
        if self.db.backend() == Backend::Postgres {
            return self.page_of_postgres_matches(query, now).await;
        }
        let mut binder = Binder::default();
        let matches = match_condition(Backend::Sqlite, &query.terms, &mut binder);
        let filter = joined(&filter_conditions(Backend::Sqlite, query, now, &mut binder));
        // FTS5 streams the matches newest first; bm25 is worked out only for those read. It is
        // smaller for better matches: headline counts most, then deck and bylines.
        let candidates = format!(
            "SELECT m.id, m.score, a.first_published_at AS published FROM \
             (SELECT rowid AS id, bm25(article_search, 10.0, 4.0, 3.0, 1.0) AS score \
              FROM article_search WHERE {matches} ORDER BY rowid DESC) AS m \
             CROSS JOIN articles a INDEXED BY articles_visibility ON a.id = m.id WHERE {filter} LIMIT {RANKED_CANDIDATES}"
        );
        let order = match query.order {
            SearchOrder::Relevance => "c.score, c.published DESC, c.id DESC",
            SearchOrder::Newest => "c.published DESC, c.id DESC",
        };
        let limit = binder.bind(i64::from(query.limit));
        let offset = binder.bind(i64::from(query.offset));
        let sql = format!(
            "SELECT c.id, COUNT(*) OVER () AS ranked FROM ({candidates}) AS c \
             ORDER BY {order} LIMIT {limit} OFFSET {offset}"
        );
        let rows: Vec<(i64, i64)> = self.db.fetch_all(&sql, binder.0).await?;
        let ranked = rows.first().map(|(_, n)| *n).unwrap_or_default();
        Ok((rows.into_iter().map(|(id, _)| id).collect(), ranked))
    }

    /// PostgreSQL's newest [`RANKED_CANDIDATES`] matches, ranked, and one page of them; or,
    /// with RUM, the best of the whole archive when the newest stories show the query matches
    /// few enough for the index to rank them all ([`RUM_RANKS_UP_TO`]).
    ///
    /// Read in windows of story ids, newest first, each as wide as the share of matches in the
    /// last says is needed, until enough have passed the filters. In one statement PostgreSQL
    /// must guess how many stories a word matches before it reads any: walking the newest
    /// stories and checking each is right for a word in most stories and ruinous for a rare one
    /// (or a rare section), and gathering every match from the index first is the reverse. In
    /// a window either way costs at most the window, and the planner picks within it from the
    /// word's statistics. Every statement is planned for its own values ([`Planning`]).
    async fn page_of_postgres_matches(
        &self,
        query: &SearchQuery,
        now: Timestamp,
    ) -> Result<(Vec<i64>, i64), StoreError> {
        // The index's order pays when most of what it yields passes: a phrase or a section or
        // author filter (one in six, one in fifty) would have it read and drop far more than a
        // page, and the count beside it checks them all again.
        let narrowed = has_phrase(&query.terms) || query.sections.is_some() || query.author.is_some();
        // With more than one word, RUM reads every word's whole list to rank what they share,
        // in time in proportion to the commonest word: the newest matches cost less.
        let index_may_rank = query.order == SearchOrder::Relevance
            && query.terms.len() == 1
            && !narrowed
            && self.search_index().await? == SearchIndex::Rum;
        let (newest,): (Option<i64>,) =
            self.db.fetch_one("SELECT MAX(article_id) FROM article_search", Vec::new()).await?;
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut below = newest.unwrap_or_default() + 1;
        let mut window = FIRST_WINDOW;
        while below > 0 && (candidates.len() as i64) < RANKED_CANDIDATES {
            let from = below.saturating_sub(window).max(0);
            let wanted = RANKED_CANDIDATES - candidates.len() as i64;
            let found = self.newest_matches_between(query, now, from, below, wanted).await?;
            if index_may_rank && candidates.is_empty() && below > from {
                // RUM ranks every match, in time in proportion to how many there are.
                let share = found.len() as f64 / (below - from) as f64;
                if share * (below as f64) <= RUM_RANKS_UP_TO as f64 {
                    return self.page_ranked_by_the_index(query, now).await;
                }
            }
            // The next window is as wide as this one's share of matches says the rest needs
            // (a quarter more), at least twice this one.
            let still_wanted = wanted - found.len() as i64;
            window = if found.is_empty() {
                window.saturating_mul(WINDOW_GROWTH)
            } else {
                let needed = (below - from).saturating_mul(still_wanted) / found.len() as i64;
                needed.saturating_add(needed / 4).max(window.saturating_mul(2))
            };
            candidates.extend(found);
            below = from;
        }
        let newest_first = |a: &Candidate, b: &Candidate| b.published.total_cmp(&a.published).then(b.id.cmp(&a.id));
        match query.order {
            SearchOrder::Relevance => {
                candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| newest_first(a, b)))
            }
            SearchOrder::Newest => candidates.sort_by(newest_first),
        }
        let ranked = candidates.len() as i64;
        let page = candidates.into_iter().skip(query.offset as usize).take(query.limit as usize);
        Ok((page.map(|candidate| candidate.id).collect(), ranked))
    }

    /// Up to `wanted` of the newest matches among the stories with ids from `from` to before
    /// `below`, ranked when the query asks for relevance.
    async fn newest_matches_between(
        &self,
        query: &SearchQuery,
        now: Timestamp,
        from: i64,
        below: i64,
        wanted: i64,
    ) -> Result<Vec<Candidate>, StoreError> {
        let mut binder = Binder::default();
        let score = match query.order {
            SearchOrder::Relevance => format!("ts_rank_cd(s.document, {})::float8", tsquery(&query.terms, &mut binder)),
            SearchOrder::Newest => "0::float8".to_owned(),
        };
        // The window and the filters first: PostgreSQL checks conditions of equal cost in the
        // order written, and the match reads the story's vector, the rest its row.
        let mut conditions =
            vec![format!("s.article_id >= {}", binder.bind(from)), format!("s.article_id < {}", binder.bind(below))];
        conditions.extend(filter_conditions(Backend::Postgres, query, now, &mut binder));
        conditions.push(match_condition(Backend::Postgres, &query.terms, &mut binder));
        let limit = binder.bind(wanted);
        // A draft has no publication time: the desk sees it first, as the newest.
        let sql = format!(
            "SELECT s.article_id AS id, {score} AS score, \
             COALESCE(EXTRACT(EPOCH FROM s.first_published_at), 'Infinity')::float8 AS published \
             FROM article_search s WHERE {} ORDER BY s.article_id DESC LIMIT {limit}",
            joined(&conditions)
        );
        self.db.fetch_all_planned(&sql, binder.0, Planning::ForTheseValues).await
    }

    /// The text around the matched words of each of these stories.
    async fn snippets(&self, terms: &[Term], ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
        let mut binder = Binder::default();
        let sql = match self.db.backend() {
            Backend::Sqlite => {
                let matches = match_condition(Backend::Sqlite, terms, &mut binder);
                let start = binder.bind(MATCH_START.to_string());
                let end = binder.bind(MATCH_END.to_string());
                let ids = binder.bind_all(ids.iter().copied());
                format!(
                    "SELECT rowid, snippet(article_search, -1, {start}, {end}, '…', 24) FROM article_search \
                     WHERE {matches} AND rowid IN ({ids})"
                )
            }
            Backend::Postgres => {
                // Made here rather than by ts_headline, which parses each hit's whole text and
                // cost more than the search itself (50 to 80 ms for ten hits at 20,000 stories).
                let ids = binder.bind_all(ids.iter().copied());
                let sql = format!(
                    "SELECT a.id, a.headline, COALESCE(a.deck, ''), a.body FROM articles a WHERE a.id IN ({ids})"
                );
                let rows: Vec<(i64, String, String, String)> = self.db.fetch_all(&sql, binder.0).await?;
                let wanted = english_stems(terms);
                return Ok(rows
                    .into_iter()
                    .map(|(id, headline, deck, body)| (id, stemmed_snippet(&[&body, &deck, &headline], &wanted)))
                    .collect());
            }
        };
        let rows: Vec<(i64, String)> = self.db.fetch_all(&sql, binder.0).await?;
        Ok(rows.into_iter().collect())
    }
}

impl SearchStore for SqlStore {
    async fn count_matches(&self, query: &SearchQuery, now: Timestamp, up_to: u64) -> Result<u64, StoreError> {
        if query.terms.is_empty() || up_to == 0 {
            return Ok(0);
        }
        let up_to = i64::try_from(up_to).unwrap_or(i64::MAX).min(COUNT_LIMIT + 1);
        Ok(u64::try_from(self.count_up_to(query, now, up_to).await?).unwrap_or_default())
    }

    async fn known_words(&self, words: &[String]) -> Result<Vec<String>, StoreError> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(words).map_err(|e| StoreError::Other(e.to_string()))?;
        let sql = match self.db.backend() {
            Backend::Sqlite => "SELECT word FROM search_vocabulary WHERE word IN (SELECT value FROM json_each($1))",
            Backend::Postgres => {
                "SELECT word FROM search_vocabulary WHERE word IN (SELECT jsonb_array_elements_text($1::jsonb))"
            }
        };
        let rows: Vec<(String,)> = self.db.fetch_all(sql, params![list]).await?;
        Ok(rows.into_iter().map(|(word,)| word).collect())
    }

    async fn search(&self, query: &SearchQuery, now: Timestamp) -> Result<SearchResults, StoreError> {
        if query.terms.is_empty() {
            return Ok(SearchResults { hits: Vec::new(), total: 0, more_than_total: false });
        }
        let (ids, ranked) = self.page_of_matches(query, now).await?;
        // The ranking counts its candidates, all the matches when there are fewer than its
        // limit; only a page past the end needs a count of its own.
        let counted = if ids.is_empty() && query.offset > 0 {
            self.count_up_to(query, now, COUNT_LIMIT + 1).await?
        } else {
            ranked
        };
        let total = u64::try_from(counted.min(COUNT_LIMIT)).unwrap_or_default();
        let more_than_total = counted > COUNT_LIMIT;
        if ids.is_empty() {
            return Ok(SearchResults { hits: Vec::new(), total, more_than_total });
        }
        let mut snippets = self.snippets(&query.terms, &ids).await?;
        let mut binder = Binder::default();
        let list = binder.bind_all(ids.iter().copied());
        let sql = format!("SELECT {HIT_COLUMNS} FROM articles a WHERE a.id IN ({list})");
        let mut rows: Vec<HitRow> = self.db.fetch_all(&sql, binder.0).await?;
        rows.sort_by_key(|row| ids.iter().position(|id| *id == row.summary.id));
        let (summaries, statuses): (Vec<_>, Vec<_>) = rows.into_iter().map(|r| (r.summary, r.status)).unzip();
        let stories = self.summaries(summaries).await?;
        let hits = stories
            .into_iter()
            .zip(statuses)
            .map(|(story, status)| {
                let snippet = snippets.remove(&story.id.0).unwrap_or_default();
                Ok(SearchHit { story, status: stored_status(&status)?, snippet })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(SearchResults { hits, total, more_than_total })
    }
}
