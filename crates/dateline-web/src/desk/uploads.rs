//! Desk forms that carry files (`multipart/form-data`): an episode's sound and transcript, a
//! story's video, poster and captions. Each file field has its own limit, and a file over
//! it is named rather than read to the end; the caller checks the form's CSRF token, which
//! comes in the form itself.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::Multipart;
use dateline_newsroom::prelude::*;
use std::collections::HashMap;

/// A file sent with a form: its bytes, declared type and name.
pub(super) struct SentFile {
    pub bytes: Vec<u8>,
    pub content_type: String,
    pub name: String,
}

/// The fields and files of a multipart form, each file at most `limits[name]` bytes; a
/// field over its limit is reported by name rather than read to the end.
pub(super) struct SentForm {
    fields: HashMap<String, String>,
    files: HashMap<String, SentFile>,
    /// The file field that went over its limit, if one did (the rest is not read).
    pub too_large: Option<&'static str>,
}

impl SentForm {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    pub fn file(&mut self, name: &str) -> Option<SentFile> {
        self.files.remove(name).filter(|f| !f.bytes.is_empty())
    }
}

pub(super) async fn read_sent_form(
    mut multipart: Multipart,
    file_limits: &[(&'static str, usize)],
) -> Result<SentForm, WebError> {
    let mut sent = SentForm { fields: HashMap::new(), files: HashMap::new(), too_large: None };
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err(WebError::BadRequest("The upload was cut short or is larger than allowed.".into())),
        };
        let name = field.name().unwrap_or("").to_owned();
        if let Some((file_field, limit)) = file_limits.iter().find(|(n, _)| *n == name) {
            let content_type = field.content_type().unwrap_or("").to_owned();
            let file_name = field.file_name().unwrap_or("").to_owned();
            let mut bytes = Vec::new();
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) if bytes.len() + chunk.len() > *limit => {
                        sent.too_large = Some(file_field);
                        break;
                    }
                    Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                    Ok(None) => break,
                    Err(_) => return Err(WebError::BadRequest("The upload was cut short.".into())),
                }
            }
            if sent.too_large.is_some() {
                break;
            }
            sent.files.insert(name, SentFile { bytes, content_type, name: file_name });
            continue;
        }
        let value = field.text().await.map_err(|_| WebError::BadRequest("A form field could not be read.".into()))?;
        sent.fields.insert(name, super::without_control_characters(&value));
    }
    Ok(sent)
}

/// A multipart form posted about story `id` (its episode, its video): read within
/// `file_limits`, its token checked, and the story loaded for a user who may edit it.
pub(super) async fn story_form(
    state: &AppState,
    desk: &super::session::Desk,
    id: &str,
    multipart: Multipart,
    file_limits: &[(&'static str, usize)],
) -> Result<(SentForm, dateline_newsroom::Article), WebError> {
    let id = super::stories::parse_story_id(id)?;
    let sent = read_sent_form(multipart, file_limits).await?;
    desk.check_csrf(sent.get("csrf"))?;
    let story = state.store().article_by_id(id).await?;
    if !dateline_newsroom::editing::may_edit(&desk.session.user, &story) {
        return Err(WebError::Forbidden);
    }
    Ok((sent, story))
}
