//! Identifiers and slugs: newtypes so an article id is never taken for a section id, and a
//! slug is always valid once it exists.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The stable numeric id in an article's URL; it never changes, whatever happens to the slug.
    ArticleId
);
id_type!(SectionId);
id_type!(AuthorId);
id_type!(MediaId);
id_type!(PageId);
id_type!(TopicId);
id_type!(UserId);
id_type!(WireSourceId);

/// A URL segment: lowercase ASCII letters, digits and single hyphens, 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug can be at most 100 characters long")]
    TooLong,
    #[error("a slug may only hold lowercase letters a-z, digits and single hyphens between them (got {0:?})")]
    InvalidCharacters(String),
}

impl Slug {
    pub const MAX_LEN: usize = 100;

    pub fn parse(text: &str) -> Result<Self, SlugError> {
        if text.is_empty() {
            return Err(SlugError::Empty);
        }
        if text.len() > Self::MAX_LEN {
            return Err(SlugError::TooLong);
        }
        let well_formed = text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !text.starts_with('-')
            && !text.ends_with('-')
            && !text.contains("--");
        if !well_formed {
            return Err(SlugError::InvalidCharacters(text.to_owned()));
        }
        Ok(Slug(text.to_owned()))
    }

    /// Suggests a slug from a headline: ASCII words joined by hyphens, other scripts dropped.
    /// Returns `None` when nothing usable remains (a headline entirely in Korean, say).
    pub fn suggest(headline: &str) -> Option<Self> {
        let mut out = String::new();
        for word in headline.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
            if out.len() + word.len() + 1 > 80 {
                break;
            }
            if !out.is_empty() {
                out.push('-');
            }
            out.push_str(&word.to_ascii_lowercase());
        }
        Slug::parse(&out).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slug_accepts_lowercase_words_joined_by_hyphens() {
        assert_eq!(Slug::parse("north-korea").map(|s| s.to_string()), Ok("north-korea".into()));
    }

    #[test]
    fn a_slug_refuses_capitals_spaces_and_stray_hyphens() {
        for bad in ["North", "a b", "-a", "a-", "a--b", "é", ""] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn a_slug_is_suggested_from_a_headline() {
        let slug = Slug::suggest("S. Korean, US leaders hold 'candid' phone talks").map(|s| s.to_string());
        assert_eq!(slug.as_deref(), Some("s-korean-us-leaders-hold-candid-phone-talks"));
        assert_eq!(Slug::suggest("광화문"), None);
    }
}
