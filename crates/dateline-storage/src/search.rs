//! Full-text search in each database's own engine: FTS5 on SQLite, a weighted tsvector with a
//! GIN index on PostgreSQL. The index is written in the same transaction as the story
//! ([`index_story`]); queries are built only from parsed terms, each bound as a parameter.

use crate::articles::{stored_status, SummaryRow};
use crate::db::{params, placeholders, Backend, Param, Tx};
use crate::SqlStore;
use dateline_newsroom::search::{SearchHit, SearchOrder, SearchQuery, SearchResults, Term, MATCH_END, MATCH_START};
use dateline_newsroom::{ArticleContent, SearchStore, StoreError};
use jiff::Timestamp;

/// The columns of a hit; drafts have no publication time yet, so their last change stands in.
const HIT_COLUMNS: &str = "a.id, a.slug, a.headline, a.deck, a.section_id, a.label, a.lead_media_id, \
     COALESCE(a.first_published_at, a.modified_at) AS first_published_at, a.last_public_update_at, \
     substr(a.body, 1, 600) AS excerpt, a.status";

#[derive(sqlx::FromRow)]
struct HitRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    status: String,
    snippet: String,
}

/// Writes a story's entry in the search index; call it inside the story's own transaction.
pub(crate) async fn index_story(tx: &mut Tx, id: i64, content: &ArticleContent) -> Result<(), StoreError> {
    let mut names = Vec::new();
    for author in &content.bylines {
        let row: Option<(String,)> =
            tx.fetch_optional("SELECT name FROM authors WHERE id = $1", params![author.0]).await?;
        names.extend(row.map(|(name,)| name));
    }
    let bylines = names.join(" ");
    let deck = content.deck.clone().unwrap_or_default();
    match tx {
        Tx::Sqlite(_) => {
            tx.execute("DELETE FROM article_search WHERE rowid = $1", params![id]).await?;
            tx.execute(
                "INSERT INTO article_search (rowid, headline, deck, bylines, body) VALUES ($1, $2, $3, $4, $5)",
                params![id, &content.headline, deck, bylines, &content.body],
            )
            .await?;
        }
        Tx::Postgres(_) => {
            tx.execute(
                "UPDATE articles SET search_vector = setweight(to_tsvector('english', $2), 'A') \
                 || setweight(to_tsvector('english', $3), 'B') || setweight(to_tsvector('simple', $4), 'B') \
                 || setweight(to_tsvector('english', $5), 'D') WHERE id = $1",
                params![id, &content.headline, deck, bylines, &content.body],
            )
            .await?;
        }
    }
    Ok(())
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

impl SearchStore for SqlStore {
    async fn search(&self, query: &SearchQuery, now: Timestamp) -> Result<SearchResults, StoreError> {
        if query.terms.is_empty() {
            return Ok(SearchResults { hits: Vec::new(), total: 0 });
        }
        let backend = self.db.backend();
        let mut bound: Vec<Param> = Vec::new();
        let next = |value: Param, bound: &mut Vec<Param>| {
            bound.push(value);
            format!("${}", bound.len())
        };
        // Parameters the count needs come first (the match, then the filters); those only the
        // page of hits needs (snippet markers, limit, offset) after, so the count can bind a
        // prefix of the list.
        let (from, matches, rank, tsquery) = match backend {
            Backend::Sqlite => {
                let expression = next(fts5_expression(&query.terms).into(), &mut bound);
                (
                    // CROSS JOIN keeps SQLite from scanning articles and probing the index per row:
                    // the full-text match runs first, then each hit finds its story by id.
                    "article_search CROSS JOIN articles a ON a.id = article_search.rowid".to_owned(),
                    format!("article_search MATCH {expression}"),
                    // bm25 is smaller for better matches; headline counts most, then deck and bylines.
                    "bm25(article_search, 10.0, 4.0, 3.0, 1.0)".to_owned(),
                    String::new(),
                )
            }
            Backend::Postgres => {
                let parts: Vec<String> = query
                    .terms
                    .iter()
                    .map(|term| match term {
                        Term::Word(word) => {
                            format!("plainto_tsquery('english', {})", next(word.clone().into(), &mut bound))
                        }
                        Term::Phrase(words) => {
                            format!("phraseto_tsquery('english', {})", next(words.join(" ").into(), &mut bound))
                        }
                    })
                    .collect();
                let tsquery = format!("({})", parts.join(" && "));
                (
                    "articles a".to_owned(),
                    format!("a.search_vector @@ {tsquery}"),
                    format!("-ts_rank_cd(a.search_vector, {tsquery})"),
                    tsquery,
                )
            }
        };
        let mut conditions = vec![matches];
        if !query.include_unpublished {
            let at = next(now.into(), &mut bound);
            conditions.push(format!(
                "a.status = 'published' AND a.first_published_at <= {at} AND (a.embargo_until IS NULL OR a.embargo_until <= {at})"
            ));
        }
        if let Some(sections) = &query.sections {
            if sections.is_empty() {
                conditions.push("1 = 0".into());
            } else {
                let first = bound.len() + 1;
                bound.extend(sections.iter().map(|s| Param::from(s.0)));
                conditions.push(format!("a.section_id IN ({})", placeholders(first, sections.len())));
            }
        }
        if let Some(author) = query.author {
            let p = next(author.0.into(), &mut bound);
            conditions.push(format!(
                "EXISTS (SELECT 1 FROM article_bylines b WHERE b.article_id = a.id AND b.author_id = {p})"
            ));
        }
        if let Some(from_time) = query.published_from {
            let p = next(from_time.into(), &mut bound);
            conditions.push(format!("a.first_published_at >= {p}"));
        }
        if let Some(until) = query.published_until {
            let p = next(until.into(), &mut bound);
            conditions.push(format!("a.first_published_at < {p}"));
        }
        let filter = conditions.join(" AND ");
        let count_params = bound.clone();
        let snippet = match backend {
            Backend::Sqlite => {
                let start = next(MATCH_START.to_string().into(), &mut bound);
                let end = next(MATCH_END.to_string().into(), &mut bound);
                format!("snippet(article_search, -1, {start}, {end}, '…', 24)")
            }
            Backend::Postgres => {
                let options =
                    format!("StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=35, MinWords=15, MaxFragments=1");
                let options = next(options.into(), &mut bound);
                format!("ts_headline('english', concat_ws(' ', a.headline, a.deck, a.body), {tsquery}, {options})")
            }
        };
        let order = match query.order {
            SearchOrder::Relevance => format!("{rank}, a.first_published_at DESC, a.id DESC"),
            SearchOrder::Newest => "a.first_published_at DESC, a.id DESC".to_owned(),
        };
        let limit = next(i64::from(query.limit).into(), &mut bound);
        let offset = next(i64::from(query.offset).into(), &mut bound);
        let sql = format!("SELECT {HIT_COLUMNS}, {snippet} AS snippet FROM {from} WHERE {filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}");
        let rows: Vec<HitRow> = self.db.fetch_all(&sql, bound).await?;
        let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {filter}");
        let (total,): (i64,) = self.db.fetch_one(&count_sql, count_params).await?;
        let (summaries, statuses_snippets): (Vec<_>, Vec<_>) =
            rows.into_iter().map(|r| (r.summary, (r.status, r.snippet))).unzip();
        let stories = self.summaries(summaries).await?;
        let hits = stories
            .into_iter()
            .zip(statuses_snippets)
            .map(|(story, (status, snippet))| Ok(SearchHit { story, status: stored_status(&status)?, snippet }))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(SearchResults { hits, total: u64::try_from(total).unwrap_or_default() })
    }
}
