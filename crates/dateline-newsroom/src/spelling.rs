//! A search that forgives a typo. When a reader's query finds nothing or very little, each
//! word that finds (almost) nothing on its own is checked against the archive's vocabulary
//! (every word any story has used, kept by the store as stories are written) for words one
//! edit away: a letter left out, added, changed, or two letters swapped. Of those, the one
//! that makes the whole query find the most published stories wins: how common a word is
//! counts, but only in the company of the reader's other words, and only in what readers may
//! see (so a word found only in a draft or under embargo is never suggested).
//!
//! With nothing found, the corrected search is shown and the page says so ("Showing results
//! for …; search instead for …"); with a few found, those stay and the correction is offered
//! as a link. A reader who asks for the words as typed gets exactly those.

use crate::search::{SearchQuery, SearchResults, Term};
use crate::store::{Store, StoreResult};
use jiff::Timestamp;

/// Fewer results than this, and the search looks for a correction.
pub const FEW_RESULTS: u64 = 3;
/// Words shorter than this are too easily another word to correct.
const MIN_WORD_CHARS: usize = 4;
/// The most words of one query corrected.
const MAX_CORRECTED_WORDS: usize = 3;
/// The most known candidates tried for one word.
const MAX_CANDIDATES: usize = 12;

/// What became of the reader's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spelling {
    /// The query as typed (it found enough, or nothing better was found).
    AsTyped,
    /// Nothing matched as typed: these are the results of the corrected query.
    Corrected { corrected: String, typed: String },
    /// A few matched as typed; the corrected query finds more.
    Suggested { suggestion: String },
}

/// Results with what was done to the reader's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgivingResults {
    pub results: SearchResults,
    pub spelling: Spelling,
}

/// Every word one edit away from `word`: deletions, swaps of neighbours, and replacements and
/// insertions of letters from the Latin alphabet, digits, and the word's own letters (so
/// "é" or Hangul can stand in for each other where the word has them).
pub fn one_edit_away(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut alphabet: Vec<char> = ('a'..='z').chain('0'..='9').collect();
    for c in &chars {
        if !alphabet.contains(c) {
            alphabet.push(*c);
        }
    }
    let mut variants = Vec::with_capacity(chars.len() * (2 * alphabet.len() + 2) + alphabet.len());
    let text = |cs: &[char]| cs.iter().collect::<String>();
    for i in 0..chars.len() {
        let mut deleted = chars.clone();
        deleted.remove(i);
        variants.push(text(&deleted));
        if i + 1 < chars.len() {
            let mut swapped = chars.clone();
            swapped.swap(i, i + 1);
            variants.push(text(&swapped));
        }
        for &letter in &alphabet {
            if letter != chars[i] {
                let mut replaced = chars.clone();
                replaced[i] = letter;
                variants.push(text(&replaced));
            }
        }
    }
    for i in 0..=chars.len() {
        for &letter in &alphabet {
            let mut inserted = chars.clone();
            inserted.insert(i, letter);
            variants.push(text(&inserted));
        }
    }
    variants.sort();
    variants.dedup();
    variants.retain(|v| v != word && !v.is_empty());
    variants
}

/// Whether a word is one a reader may have misspelled: long enough, and letters rather than
/// a number or a code.
fn correctable(word: &str) -> bool {
    word.chars().count() >= MIN_WORD_CHARS && word.chars().all(char::is_alphabetic)
}

/// The query's text as a reader would type it again: words, and phrases in quotes.
pub fn query_text(terms: &[Term]) -> String {
    terms
        .iter()
        .map(|term| match term {
            Term::Word(word) => word.clone(),
            Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many stories readers may see (within the query's filters) match `terms`, counted up to
/// `up_to`.
async fn matches(
    store: &impl Store,
    query: &SearchQuery,
    terms: Vec<Term>,
    now: Timestamp,
    up_to: u64,
) -> StoreResult<u64> {
    let mut probe = query.clone();
    probe.terms = terms;
    store.count_matches(&probe, now, up_to).await
}

/// How far candidates are counted: past it, two corrections are as good as each other.
const COUNT_CANDIDATES_UP_TO: u64 = 200;

/// Searches, and when the query finds fewer than [`FEW_RESULTS`] stories, tries to correct
/// its words; `as_typed` asks for the reader's words exactly.
pub async fn search_forgiving(
    store: &impl Store,
    query: &SearchQuery,
    now: Timestamp,
    as_typed: bool,
) -> StoreResult<ForgivingResults> {
    let results = store.search(query, now).await?;
    if as_typed || results.total >= FEW_RESULTS || query.terms.is_empty() {
        return Ok(ForgivingResults { results, spelling: Spelling::AsTyped });
    }
    let mut terms = query.terms.clone();
    let mut best_total = results.total;
    let mut corrected_any = false;
    let mut corrected_words = 0;
    for at in 0..terms.len() {
        let Term::Word(word) = &terms[at] else { continue };
        let word = word.clone();
        if !correctable(&word) || corrected_words >= MAX_CORRECTED_WORDS {
            continue;
        }
        // A word that finds enough stories on its own is the reader's, not a typo.
        if matches(store, query, vec![Term::Word(word.clone())], now, FEW_RESULTS).await? >= FEW_RESULTS {
            continue;
        }
        let mut known = store.known_words(&one_edit_away(&word)).await?;
        known.sort();
        known.truncate(MAX_CANDIDATES);
        let mut chosen: Option<(String, u64)> = None;
        for candidate in known {
            let mut trial = terms.clone();
            trial[at] = Term::Word(candidate.clone());
            let total = matches(store, query, trial, now, COUNT_CANDIDATES_UP_TO).await?;
            if total > best_total && chosen.as_ref().is_none_or(|(_, best)| total > *best) {
                chosen = Some((candidate, total));
            }
        }
        if let Some((candidate, total)) = chosen {
            terms[at] = Term::Word(candidate);
            best_total = total;
            corrected_any = true;
            corrected_words += 1;
        }
    }
    if !corrected_any {
        return Ok(ForgivingResults { results, spelling: Spelling::AsTyped });
    }
    if results.total > 0 {
        return Ok(ForgivingResults { results, spelling: Spelling::Suggested { suggestion: query_text(&terms) } });
    }
    let typed = query_text(&query.terms);
    let mut corrected_query = query.clone();
    corrected_query.terms = terms;
    let corrected = store.search(&corrected_query, now).await?;
    Ok(ForgivingResults {
        results: corrected,
        spelling: Spelling::Corrected { corrected: query_text(&corrected_query.terms), typed },
    })
}

/// The words a story adds to the archive's vocabulary: lower-case, as search splits them,
/// from three to forty characters, with at least one letter.
pub fn vocabulary_words(texts: &[&str]) -> std::collections::BTreeSet<String> {
    texts
        .iter()
        .flat_map(|text| crate::search::words(text))
        .filter(|w| (3..=40).contains(&w.chars().count()) && w.chars().any(char::is_alphabetic))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_single_edit_is_among_the_variants() {
        let variants = one_edit_away("ferry");
        for typo_fixed in ["fery", "feryr", "berry", "ferrys", "eferry"] {
            assert!(variants.contains(&typo_fixed.to_owned()), "{typo_fixed}");
        }
        assert!(!variants.contains(&"ferry".to_owned()));
        assert!(!variants.contains(&"fe".to_owned()), "two edits away");
        let korean = one_edit_away("광화문");
        assert!(korean.contains(&"광문".to_owned()) && korean.contains(&"화광문".to_owned()));
    }

    #[test]
    fn only_words_of_letters_long_enough_are_corrected() {
        assert!(correctable("ferry"));
        assert!(!correctable("bus"));
        assert!(!correctable("2026"));
        assert!(!correctable("k2x9"));
    }

    #[test]
    fn the_vocabulary_is_lower_case_words_with_letters() {
        let words = vocabulary_words(&["The Ferry to Heuksan", "sails at 07:50 — 34,000 won"]);
        assert_eq!(words.into_iter().collect::<Vec<_>>(), ["ferry", "heuksan", "sails", "the", "won"]);
    }
}
