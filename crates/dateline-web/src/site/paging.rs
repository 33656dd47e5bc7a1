//! `?page=N` on fronts and listings: read strictly, so a bad value gets a clear 400 and a
//! page past the end a 404, never a 500 or an empty page.

use crate::error::WebError;
use crate::query::PageAsked;
#[cfg(test)]
use crate::query::Query;
use serde::Serialize;

pub(crate) const PER_PAGE: u32 = 20;
const MAX_PAGE: u32 = 10_000;

/// The page number asked for (`?page=N`, read by [`crate::query::Query`]); 1 when none is.
pub(crate) fn requested_page(asked: &PageAsked) -> Result<u32, WebError> {
    let Some(value) = &asked.page else { return Ok(1) };
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_PAGE).contains(n))
        .ok_or_else(|| WebError::BadRequest(format!("The page number must be a whole number from 1 to {MAX_PAGE}.")))
}

/// Links to the neighbouring pages of a listing at `base` (which ends without a query).
#[derive(Debug, Serialize)]
pub(crate) struct Pagination {
    pub page: u32,
    pub pages: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pagination {
    /// Fails with 404 when `page` lies past the last page (an empty listing has one page).
    pub(crate) fn new(base: &str, page: u32, total: u64) -> Result<Pagination, WebError> {
        let pages = u32::try_from(total.div_ceil(u64::from(PER_PAGE))).unwrap_or(u32::MAX).max(1);
        if page > pages {
            return Err(WebError::NotFound);
        }
        let link = |n: u32| if n == 1 { base.to_owned() } else { format!("{base}?page={n}") };
        Ok(Pagination {
            page,
            pages,
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        })
    }

    pub(crate) fn offset(page: u32) -> u32 {
        (page - 1) * PER_PAGE
    }
}

/// The page a raw query string asks for, read as a handler reads it.
#[cfg(test)]
fn page_of(raw: Option<&str>) -> Result<u32, WebError> {
    requested_page(&Query::<PageAsked>::read(raw)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_page_numbers_in_range_are_accepted() {
        assert_eq!(page_of(None).ok(), Some(1));
        assert_eq!(page_of(Some("page=3")).ok(), Some(3));
        assert_eq!(page_of(Some("utm=x&page=2")).ok(), Some(2));
        for bad in ["page=abc", "page=-1", "page=0", "page=99999999999", "page=", "page=1&page=2", "page=2.5"] {
            assert!(matches!(page_of(Some(bad)), Err(WebError::BadRequest(_))), "{bad}");
        }
    }

    #[test]
    fn pages_past_the_end_are_not_found() {
        assert!(Pagination::new("/x/", 1, 0).is_ok());
        let third = Pagination::new("/x/", 3, 45).expect("page 3 of 3");
        assert_eq!((third.previous.as_deref(), third.next.as_deref()), (Some("/x/?page=2"), None));
        assert_eq!(Pagination::new("/x/", 2, 21).expect("page 2").previous.as_deref(), Some("/x/"));
        assert!(matches!(Pagination::new("/x/", 4, 45), Err(WebError::NotFound)));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3_000, ..Default::default() })]

        /// Any query string at all gets a page in range or a clear refusal, never a panic.
        #[test]
        fn any_query_string_gets_a_page_in_range_or_a_bad_request(query in "[a-z=&%0-9.+\\-]{0,60}|page=[0-9]{0,25}(&page=[0-9]{0,3})?") {
            match page_of(Some(&query)) {
                Ok(page) => proptest::prop_assert!((1..=MAX_PAGE).contains(&page)),
                Err(error) => proptest::prop_assert!(matches!(error, WebError::BadRequest(_))),
            }
        }
    }
}
