//! The reader site: one file per page.

pub(crate) mod article;
pub(crate) mod assets;
pub(crate) mod chrome;
pub(crate) mod home;

use crate::error::WebError;

/// Any address no route claims.
pub(crate) async fn not_found() -> WebError {
    WebError::NotFound
}
