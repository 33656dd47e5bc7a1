//! Wire sources: the agency feeds a paper takes in (set up on the desk or from the command
//! line), each with its format, section, token digest and watched folder.

use crate::author::{AuthorKind, NewAuthor};
use crate::ids::{AuthorId, SectionId, Slug, WireSourceId};
use crate::store::{Store, StoreError};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// An agency feed the paper takes in: configured on the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireSource {
    pub id: WireSourceId,
    /// In the ingest address: `/api/v1/ingest/{slug}`.
    pub slug: Slug,
    /// The agency's name as bylines show it ("Hanbit News").
    pub name: String,
    /// `ninjs-2.1`, `newsml-g2`, …
    pub format: String,
    /// SHA-256 of the token the agency sends (hex); the token itself is shown once.
    pub token_digest: Option<String>,
    /// A folder under the operator's `ingest_root`, watched for files.
    pub folder: Option<String>,
    pub section_id: SectionId,
    /// Publish on arrival (after any embargo) instead of waiting in the wire queue.
    pub publish_at_once: bool,
    /// The agency as an author: every story from this source carries it in its byline.
    pub agency_id: AuthorId,
    /// How its stories' datelines are shaped ([`super::datelines`]); empty for none.
    pub dateline_format: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWireSource {
    pub slug: Slug,
    pub name: String,
    pub format: String,
    pub token_digest: Option<String>,
    pub folder: Option<String>,
    pub section_id: SectionId,
    pub publish_at_once: bool,
    pub agency_id: AuthorId,
    pub dateline_format: String,
    pub created_at: Timestamp,
}

/// A new wire source as the desk or the command line describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSetUp {
    pub slug: Slug,
    pub name: String,
    /// Already known to be a format the ingest crate reads.
    pub format: String,
    pub section_id: SectionId,
    pub publish_at_once: bool,
    pub folder: Option<String>,
    /// Whether it takes deliveries over HTTP (then a token is made).
    pub over_http: bool,
    /// `None`: [`super::datelines::DEFAULT_DATELINE_FORMAT`].
    pub dateline_format: Option<String>,
}

/// Sets up a wire source: the agency becomes an author of kind agency under the source's slug
/// (or the existing agency author of that slug is used), and a token is made when it takes
/// deliveries over HTTP. Returns the source and the token, which is not kept anywhere.
pub async fn set_up_source(
    store: &impl Store,
    set_up: &SourceSetUp,
    now: Timestamp,
) -> Result<(WireSource, Option<String>), String> {
    let failed = |e: StoreError| match e {
        StoreError::Conflict(what) => what,
        other => format!("it could not be stored ({other})"),
    };
    if set_up.name.trim().is_empty() || set_up.name.chars().count() > 100 {
        return Err("a source needs a name of at most 100 characters (the agency's, as bylines show it)".into());
    }
    if let Some(folder) = &set_up.folder {
        check_folder_name(folder)?;
    }
    let dateline_format = match &set_up.dateline_format {
        Some(format) => {
            super::datelines::check_dateline_format(format)?;
            format.trim().to_owned()
        }
        None => super::datelines::DEFAULT_DATELINE_FORMAT.to_owned(),
    };
    let agency_id = match store.author_by_slug(&set_up.slug).await {
        Ok(author) if author.kind == AuthorKind::Agency => author.id,
        Ok(_) => return Err(format!("the author {} is a person, not an agency; choose another slug", set_up.slug)),
        Err(StoreError::NotFound) => {
            let new = NewAuthor {
                slug: set_up.slug.clone(),
                name: set_up.name.trim().to_owned(),
                kind: AuthorKind::Agency,
                bio: String::new(),
                photo_id: None,
            };
            store.insert_author(&new).await.map_err(failed)?.id
        }
        Err(other) => return Err(failed(other)),
    };
    let token = if set_up.over_http { Some(crate::accounts::random_token().map_err(|e| e.to_string())?) } else { None };
    let new = NewWireSource {
        slug: set_up.slug.clone(),
        name: set_up.name.trim().to_owned(),
        format: set_up.format.clone(),
        token_digest: token.as_deref().map(crate::accounts::token_digest),
        folder: set_up.folder.clone(),
        section_id: set_up.section_id,
        publish_at_once: set_up.publish_at_once,
        agency_id,
        dateline_format,
        created_at: now,
    };
    let source = store.insert_wire_source(&new).await.map_err(failed)?;
    Ok((source, token))
}

/// Checks the name of a wire source's watched folder: one plain folder name under the
/// operator's `ingest_root`, so the desk can never point the server elsewhere.
pub fn check_folder_name(name: &str) -> Result<(), String> {
    let well_formed = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !name.starts_with(['-', '_']);
    if well_formed && !matches!(name, "done" | "rejected") {
        Ok(())
    } else {
        Err(format!(
            "the folder {name:?} must be one plain folder name: lowercase letters, digits, - and _ (no slashes or dots)"
        ))
    }
}

#[cfg(test)]
mod folder_tests {
    use super::check_folder_name;

    #[test]
    fn a_watched_folder_is_one_plain_name_under_the_root() {
        assert!(check_folder_name("hanbit").is_ok());
        assert!(check_folder_name("afp_korea-2").is_ok());
        for bad in ["", "../etc", "/etc", "a/b", ".", "..", "Hanbit", "a b", "-x", "done"] {
            assert!(check_folder_name(bad).is_err(), "{bad:?}");
        }
    }
}
