//! Query strings read into typed structs: [`Query<T>`] decodes `?a=1&b=2` (percent-decoding
//! included) into any `Deserialize` struct, and refuses what it cannot read (a value of the
//! wrong kind, a parameter given twice) with a 400 in the one error shape. Parameters a
//! handler does not ask for (`utm_source`, `fbclid`) are ignored. The small structs every
//! listing and desk screen shares live here too.

use crate::error::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dateline_newsroom::text::{is_unwanted_control, without_control_characters};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The query string of the request, read as `T`.
pub(crate) struct Query<T>(pub T);

impl<T: DeserializeOwned> Query<T> {
    /// Reads a raw query string (without the `?`) as `T`.
    /// A control character in a parameter is dropped, as from a form: PostgreSQL refuses NUL
    /// in text, and no search or filter means one.
    pub(crate) fn read(raw: Option<&str>) -> Result<T, WebError> {
        let raw = raw.unwrap_or("");
        let pairs = || form_urlencoded::parse(raw.as_bytes());
        let cleaned;
        let raw = if pairs().any(|(k, v)| k.chars().chain(v.chars()).any(is_unwanted_control)) {
            cleaned = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs().map(|(k, v)| (without_control_characters(&k), without_control_characters(&v))))
                .finish();
            cleaned.as_str()
        } else {
            raw
        };
        serde_urlencoded::from_str(raw)
            .map_err(|e| WebError::BadRequest(format!("The address's parameters cannot be read: {e}.")))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, WebError> {
        Self::read(parts.uri.query()).map(Query)
    }
}

/// `?page=N` of a listing; the number is checked by the listing (`site::paging`), which knows
/// its own bounds.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct PageAsked {
    pub page: Option<String>,
}

/// `?saved=1`, which a desk screen gets back after a form on it worked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SavedNotice {
    saved: Option<String>,
}

impl SavedNotice {
    pub(crate) fn is_saved(&self) -> bool {
        self.saved.as_deref() == Some("1")
    }
}

/// `?q=…` of a desk search or picker.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct TextAsked {
    pub q: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_decoded_unknown_ones_ignored_and_a_repeated_one_refused() {
        let asked: PageAsked = Query::read(Some("utm_source=x&%70age=3")).expect("read");
        assert_eq!(asked.page.as_deref(), Some("3"));
        let nothing: PageAsked = Query::read(None).expect("read");
        assert_eq!(nothing.page, None);
        assert!(matches!(Query::<PageAsked>::read(Some("page=1&page=2")), Err(WebError::BadRequest(_))));
        let text: TextAsked = Query::read(Some("q=harbour+cranes%21")).expect("read");
        assert_eq!(text.q, "harbour cranes!");
        assert!(Query::<SavedNotice>::read(Some("saved=1")).expect("read").is_saved());
        assert!(!Query::<SavedNotice>::read(Some("unsaved=1")).expect("read").is_saved());
    }
}
