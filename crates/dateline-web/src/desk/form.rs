//! Reading desk forms: `application/x-www-form-urlencoded` bodies with repeated fields
//! (several bylines, several topics), which serde's flat form reader cannot hold, and the
//! local date-time inputs, read in the paper's zone.

use crate::error::WebError;
use axum::body::Bytes;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

pub(crate) use dateline_newsroom::text::without_control_characters;

/// The largest form the desk accepts; a story body is at most 200,000 characters.
pub(crate) const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

pub(crate) struct FormData {
    pairs: Vec<(String, String)>,
}

impl FormData {
    pub(crate) fn parse(body: &Bytes) -> Result<FormData, WebError> {
        if body.len() > MAX_FORM_BYTES {
            return Err(WebError::BadRequest("The form is too large.".into()));
        }
        Ok(FormData {
            pairs: form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), without_control_characters(&v)))
                .collect(),
        })
    }

    /// Every field as sent, in order.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The first value of a field, or "" when it is absent.
    pub(crate) fn get(&self, name: &str) -> &str {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Every non-empty value of a repeated field, in form order.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_str()).collect()
    }

    /// A whole number field, or `None` when empty; anything else is a bad request.
    pub(crate) fn id(&self, name: &str) -> Result<Option<i64>, WebError> {
        let text = self.get(name).trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| WebError::BadRequest(format!("The field {name} must be a number.")))
    }

    pub(crate) fn ids(&self, name: &str) -> Result<Vec<i64>, WebError> {
        self.all(name)
            .into_iter()
            .map(|v| v.trim().parse().map_err(|_| WebError::BadRequest(format!("The field {name} must hold numbers."))))
            .collect()
    }
}

/// A `datetime-local` value (`2026-11-28T09:30`) in the paper's zone, or `None` when empty.
pub(crate) fn local_time(text: &str, zone: &TimeZone) -> Result<Option<Timestamp>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let civil: DateTime =
        text.parse().map_err(|_| format!("{text:?} is not a date and time such as 2026-11-28T09:30"))?;
    civil.to_zoned(zone.clone()).map(|z| Some(z.timestamp())).map_err(|e| e.to_string())
}

/// An instant as a `datetime-local` value in the paper's zone.
pub(crate) fn local_input(instant: Option<Timestamp>, zone: &TimeZone) -> String {
    instant.map(|t| t.to_zoned(zone.clone()).strftime("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_keep_their_order() {
        let form = FormData::parse(&Bytes::from_static(b"byline=3&byline=&byline=1&headline=A+%26+B")).expect("form");
        assert_eq!(form.all("byline"), ["3", "1"]);
        assert_eq!(form.get("headline"), "A & B");
        assert_eq!(form.ids("byline").ok(), Some(vec![3, 1]));
        assert!(form.id("headline").is_err());
    }

    #[test]
    fn local_times_are_read_in_the_papers_zone() {
        let seoul = TimeZone::get("Asia/Seoul").expect("zone");
        let at = local_time("2021-01-24T11:27", &seoul).expect("time").expect("some");
        assert_eq!(at.to_string(), "2021-01-24T02:27:00Z");
        assert_eq!(local_input(Some(at), &seoul), "2021-01-24T11:27");
        assert!(local_time("tomorrow", &seoul).is_err());
        assert_eq!(local_time("", &seoul), Ok(None));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3_000, ..Default::default() })]

        /// Any form body is read without a panic, and no value keeps a control character
        /// other than a line break or a tab.
        #[test]
        fn any_form_body_reads_and_holds_no_control_characters(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2_000)) {
            let form = FormData::parse(&axum::body::Bytes::from(body)).expect("under the limit");
            for (_, value) in &form.pairs {
                proptest::prop_assert!(!value.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
            }
        }
    }
}
