//! Searching the archive. A reader's query is text, never engine syntax: [`parse_query`] turns
//! it into plain terms and quoted phrases, dropping operators, control characters and
//! anything past a length limit, so no input can reach the engine as a command. The engine
//! itself sits behind `SearchStore` (the database's own full-text search today).

use crate::article::{ArticleStatus, ArticleSummary};
use crate::ids::{AuthorId, SectionId};
use jiff::Timestamp;

/// The longest query kept; the rest is cut.
pub const MAX_QUERY_CHARS: usize = 200;
/// The most terms a query may hold.
pub const MAX_TERMS: usize = 12;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word: stemmed, so "elections" finds "election".
    Word(String),
    /// Words that must stand together, in this order.
    Phrase(Vec<String>),
}

/// Letters and digits of any script; everything else separates words.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// Reads what a reader typed. Quoted stretches are phrases (an unclosed quote runs to the
/// end); `AND`, `OR`, `NEAR`, `*`, parentheses and the like are only punctuation here.
pub fn parse_query(text: &str) -> Vec<Term> {
    let clean: String = text.chars().filter(|c| !c.is_control()).take(MAX_QUERY_CHARS).collect();
    let mut terms = Vec::new();
    for (i, part) in clean.split('"').enumerate() {
        let found = words(part);
        if i % 2 == 1 {
            match found.len() {
                0 => {}
                1 => terms.push(Term::Word(found[0].clone())),
                _ => terms.push(Term::Phrase(found)),
            }
        } else {
            terms.extend(found.into_iter().map(Term::Word));
        }
    }
    terms.dedup();
    terms.truncate(MAX_TERMS);
    terms
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchOrder {
    /// Best matches first; among equally good ones, the newest.
    Relevance,
    Newest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub terms: Vec<Term>,
    /// Stories whose home section is one of these (a section with its subsections).
    pub sections: Option<Vec<SectionId>>,
    pub author: Option<AuthorId>,
    pub published_from: Option<Timestamp>,
    pub published_until: Option<Timestamp>,
    pub order: SearchOrder,
    pub limit: u32,
    pub offset: u32,
    /// The desk sees drafts, scheduled, unpublished and removed stories too; readers never.
    pub include_unpublished: bool,
}

impl SearchQuery {
    pub fn new(terms: Vec<Term>) -> Self {
        SearchQuery {
            terms,
            sections: None,
            author: None,
            published_from: None,
            published_until: None,
            order: SearchOrder::Relevance,
            limit: 20,
            offset: 0,
            include_unpublished: false,
        }
    }
}

/// Marks around matched words in a snippet; characters from Unicode's private use area, so
/// they cannot come from a story and can be turned into `<mark>` after escaping.
pub const MATCH_START: char = '\u{E000}';
pub const MATCH_END: char = '\u{E001}';

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    pub story: ArticleSummary,
    pub status: ArticleStatus,
    /// Plain text around the matches, with [`MATCH_START`] and [`MATCH_END`] around each.
    pub snippet: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// How many stories match, counted up to a limit (1,000).
    pub total: u64,
    /// More stories match than `total`; only the first `total` can be paged through.
    pub more_than_total: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Term {
        Term::Word(w.into())
    }

    #[test]
    fn operators_and_punctuation_are_only_text() {
        assert_eq!(
            parse_query("chips AND (exports OR *) NEAR/3"),
            [word("chips"), word("and"), word("exports"), word("or"), word("near"), word("3")]
        );
        assert_eq!(parse_query("  \u{0}\u{7} "), Vec::<Term>::new());
        assert_eq!(parse_query("\"\"\"\""), Vec::<Term>::new());
    }

    #[test]
    fn quotes_make_phrases_and_an_unclosed_quote_runs_to_the_end() {
        assert_eq!(
            parse_query("\"housing bill\" vote"),
            [Term::Phrase(vec!["housing".into(), "bill".into()]), word("vote")]
        );
        assert_eq!(
            parse_query("vote \"housing bill"),
            [word("vote"), Term::Phrase(vec!["housing".into(), "bill".into()])]
        );
    }

    #[test]
    fn korean_words_are_words_and_long_queries_are_cut() {
        assert_eq!(parse_query("광화문 광장"), [word("광화문"), word("광장")]);
        let long = "word ".repeat(500);
        assert_eq!(parse_query(&long), [word("word")]);
        let many: String = (0..50).map(|i| format!("w{i} ")).collect();
        assert_eq!(parse_query(&many).len(), MAX_TERMS);
    }
}
