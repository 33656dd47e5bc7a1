//! PostgreSQL's search snippets, made in Rust: about thirty words around the first word of a
//! hit that the query's words stem to, each such word marked. `ts_headline` parses each hit's
//! whole text and cost more than the search itself; the stems here are Snowball's English, the
//! stemmer of PostgreSQL's `english` configuration, so what is marked is what matched.

use dateline_newsroom::search::{Term, MATCH_END, MATCH_START};
use std::collections::BTreeSet;

/// Words too common to mark in a snippet (PostgreSQL's English configuration drops them from
/// a query, so they never decide a match).
#[rustfmt::skip]
pub(crate) const UNMARKED_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "in", "into", "is", "it", "its",
    "of", "on", "or", "that", "the", "their", "this", "to", "was", "were", "will", "with",
];

/// How many words a snippet shows, and how many of them come before the first match.
const SNIPPET_WORDS: usize = 30;
const SNIPPET_LEAD: usize = 8;

/// The query's words as PostgreSQL's English configuration stems them (Snowball's English
/// stemmer, the one `english_stem` uses), lower-cased, without the words too common to mark.
pub(crate) fn english_stems(terms: &[Term]) -> BTreeSet<String> {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let words = terms.iter().flat_map(|term| match term {
        Term::Word(word) => std::slice::from_ref(word),
        Term::Phrase(words) => words.as_slice(),
    });
    words
        .flat_map(|word| word_spans(word).map(|(start, end)| word[start..end].to_lowercase()).collect::<Vec<_>>())
        .filter(|word| !UNMARKED_WORDS.contains(&word.as_str()))
        .map(|word| stemmer.stem(&word).into_owned())
        .collect()
}

/// The words of these texts as written, lower case, one space between each: what PostgreSQL
/// reads a quoted phrase against. Everything that is not a letter or a digit (a hyphen, an
/// apostrophe, punctuation) only parts words, as it does in the phrase typed: "Kim's office"
/// is `kim s office`, and "Hans-Georg" is `hans georg`, so "met Hans" is found in "met
/// Hans-Georg Brandt". Made here, not by PostgreSQL's parser, so the text and the phrase are
/// parted by one rule.
pub(crate) fn words_as_written(texts: &[&str]) -> String {
    let mut words = String::new();
    for text in texts {
        for (start, end) in word_spans(text) {
            if !words.is_empty() {
                words.push(' ');
            }
            words.extend(text[start..end].chars().flat_map(char::to_lowercase));
        }
    }
    words
}

/// The byte ranges of the words of a text: runs of letters and digits.
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(at, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                end = at;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

/// About [`SNIPPET_WORDS`] words around the first word of the first text that matches a
/// wanted stem, each such word between [`MATCH_START`] and [`MATCH_END`], with "…" where the
/// text goes on; the start of the first text when none matches (a match on a byline).
pub(crate) fn stemmed_snippet(texts: &[&str], wanted: &BTreeSet<String>) -> String {
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let matches = |word: &str| {
        let lower = word.to_lowercase();
        !UNMARKED_WORDS.contains(&lower.as_str()) && wanted.contains(stemmer.stem(&lower).as_ref())
    };
    let found = texts.iter().find_map(|text| {
        let spans: Vec<(usize, usize)> = word_spans(text).collect();
        let first = spans.iter().position(|&(start, end)| matches(&text[start..end]))?;
        Some((*text, spans, first))
    });
    let (text, spans, first) = match found {
        Some(found) => found,
        None => {
            let text = texts.first().copied().unwrap_or_default();
            (text, word_spans(text).collect(), 0)
        }
    };
    if spans.is_empty() {
        return String::new();
    }
    let from = first.saturating_sub(SNIPPET_LEAD);
    let to = (from + SNIPPET_WORDS).min(spans.len());
    let mut snippet = String::new();
    if from > 0 {
        snippet.push('…');
    }
    let mut previous_end = None;
    for &(start, end) in &spans[from..to] {
        if let Some(previous) = previous_end {
            // What stood between two words, each run of spaces and line breaks made one space.
            let mut in_space = false;
            for c in text[previous..start].chars() {
                if !(c.is_whitespace() && in_space) {
                    snippet.push(if c.is_whitespace() { ' ' } else { c });
                }
                in_space = c.is_whitespace();
            }
        }
        let word = &text[start..end];
        if matches(word) {
            snippet.push(MATCH_START);
            snippet.push_str(word);
            snippet.push(MATCH_END);
        } else {
            snippet.push_str(word);
        }
        previous_end = Some(end);
    }
    if to < spans.len() {
        snippet.push('…');
    }
    snippet
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(snippet: &str) -> Vec<String> {
        snippet
            .split(MATCH_START)
            .skip(1)
            .map(|rest| rest.split(MATCH_END).next().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn words_as_written_are_parted_where_a_letter_or_digit_stops_in_a_text_and_in_a_phrase_alike() {
        assert_eq!(
            words_as_written(&["The envoy met Hans-Georg Brandt.", "", "Kim's office, 2026"]),
            "the envoy met hans georg brandt kim s office 2026"
        );
        assert_eq!(words_as_written(&["광화문 광장에서!"]), "광화문 광장에서");
        assert_eq!(words_as_written(&["ÉCOLE  Über"]), "école über", "lower case beyond ASCII");
        assert_eq!(words_as_written(&["— … —", ""]), "", "nothing but punctuation is no words");
        let text = words_as_written(&["A state of the art laboratory"]);
        assert!(text.contains(&words_as_written(&["state of the art"])));
        assert!(!text.contains(&words_as_written(&["state of an art"])));
    }

    #[test]
    fn a_snippet_marks_every_form_of_the_searched_words_as_postgresql_stems_them() {
        let wanted = english_stems(&[
            Term::Word("housing".into()),
            Term::Phrase(vec!["state".into(), "of".into(), "the".into(), "art".into()]),
        ]);
        assert_eq!(wanted, ["art", "hous", "state"].into_iter().map(String::from).collect());
        let body = "The council met.\n\nIts new **housing** plan builds houses near the art school, state-run.";
        let snippet = stemmed_snippet(&[body, "", "Headline"], &wanted);
        assert_eq!(marked(&snippet), ["housing", "houses", "art", "state"]);
        assert!(snippet.starts_with("The council met. Its new **"), "{snippet}");
        assert!(!snippet.contains('\n'));
    }

    #[test]
    fn a_long_text_is_cut_around_the_first_match_and_says_so() {
        let words: Vec<String> = (0..200).map(|n| format!("w{n}")).collect();
        let mut text = words.join(" ");
        text.push_str(" ferry ");
        text.push_str(&words.join(" "));
        let snippet = stemmed_snippet(&[&text], &english_stems(&[Term::Word("ferries".into())]));
        assert!(snippet.starts_with('…') && snippet.ends_with('…'), "{snippet}");
        assert_eq!(marked(&snippet), ["ferry"]);
        assert_eq!(snippet.split_whitespace().count(), SNIPPET_WORDS);
    }

    #[test]
    fn with_no_match_in_the_text_the_snippet_is_its_start_and_korean_is_matched_whole() {
        let wanted = english_stems(&[Term::Word("Kim".into())]);
        assert_eq!(stemmed_snippet(&["A short body."], &wanted), "A short body");
        let korean = english_stems(&[Term::Word("서울".into())]);
        assert_eq!(marked(&stemmed_snippet(&["오늘 서울 시장이"], &korean)), ["서울"]);
    }
}
