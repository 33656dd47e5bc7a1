//! `POST /api/v1/ingest/{source}`: an agency delivers an item over HTTP.
//!
//! The source's token comes as `Authorization: Bearer TOKEN`; the paper keeps only its
//! SHA-256 and compares digests in constant time. The body is the document itself (NinJS
//! JSON or NewsML-G2 XML, as the source is set up), or a `multipart/form-data` request whose
//! part named `item` is the document and whose other parts are its photos, each named as the
//! item's rendition names it (the part's file name, or the part's name). Every answer is
//! JSON: what became of the item, or the API's one error shape
//! (`{"errors":[{"code","detail"}]}`, see docs/API.md) with a 4xx or 5xx status.

use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_ingest::RejectionKind;
use dateline_intake::wire::{record_refusal, take_delivery};

/// How a delivery through this endpoint is named in the desk's list of refused ones.
const OVER_HTTP: &str = "a delivery over HTTP";
use dateline_intake::{Attachment, DeliveryError};
use dateline_newsroom::accounts::{constant_time_eq, token_digest};
use dateline_newsroom::prelude::*;
use dateline_newsroom::wire::Receipt;
use dateline_newsroom::StoreError;
use std::collections::HashMap;

/// A refusal in the API's one error shape (drawn by `layers::render_error_pages`).
fn refuse(status: StatusCode, code: &'static str, reason: impl Into<String>) -> Response {
    WebError::refused(status, code, reason).into_response()
}

#[utoipa::path(
    post,
    path = "/api/v1/ingest/{source}",
    tag = "wire",
    params(("source" = String, Path, description = "The wire source's slug")),
    request_body(description = "The agency's document (NinJS JSON or NewsML-G2 XML, as the source is set up), or multipart/form-data with the document in the part named `item` and its photos in further parts",
        content(("application/json"), ("application/xml"), ("multipart/form-data"))),
    responses(
        (status = 201, description = "A new story or photo", body = DeliveryAnswer),
        (status = 200, description = "Updated, killed or ignored", body = DeliveryAnswer),
        (status = 202, description = "Held for the desk", body = DeliveryAnswer),
        (status = 400, description = "Malformed", body = crate::error::ApiErrors),
        (status = 401, description = "Unknown source or wrong token", body = crate::error::ApiErrors),
        (status = 404, description = "An address that cannot name a source (control characters)", body = crate::error::ApiErrors),
        (status = 413, description = "Too large", body = crate::error::ApiErrors),
        (status = 415, description = "Not the source's format", body = crate::error::ApiErrors),
        (status = 422, description = "Refused by its schema or as unsafe", body = crate::error::ApiErrors),
        (status = 503, description = "The database is unavailable", body = crate::error::ApiErrors),
    ),
    security(("wire_token" = []))
)]
pub(crate) async fn deliver(State(state): State<AppState>, Path(slug): Path<String>, request: Request) -> Response {
    // An unknown source, a source that takes nothing over HTTP and a wrong token all get the
    // same answer, so that nobody can learn from outside which sources exist.
    let unauthorized = || {
        let mut response =
            refuse(StatusCode::UNAUTHORIZED, "bad_token", "the source or its token is wrong, or the token is missing");
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        response
    };
    let source = match state.store().wire_source_by_slug(&slug).await {
        Ok(source) => source,
        Err(StoreError::NotFound) => return unauthorized(),
        Err(error) => return store_failure(&error),
    };
    let Some(expected) = source.token_digest.as_deref() else { return unauthorized() };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    if given.is_empty() || !constant_time_eq(&token_digest(given), expected) {
        return unauthorized();
    }

    let (document, attachments) = match read_delivery(&state, &source, request).await {
        Ok(read) => read,
        Err(Refused(status, code, reason)) => {
            record_refusal(state.intake(), &source, OVER_HTTP, &reason, state.now()).await;
            return refuse(status, code, reason);
        }
    };
    match take_delivery(state.intake(), &source, OVER_HTTP, &document, &attachments, state.now()).await {
        Ok(receipt) => receipt_answer(&receipt),
        Err(DeliveryError::Refused(rejection)) => {
            let (status, kind) = match rejection.kind {
                RejectionKind::Malformed => (StatusCode::BAD_REQUEST, "malformed"),
                RejectionKind::Schema => (StatusCode::UNPROCESSABLE_ENTITY, "schema"),
                RejectionKind::Unsafe => (StatusCode::UNPROCESSABLE_ENTITY, "unsafe"),
                RejectionKind::Declined => (StatusCode::UNPROCESSABLE_ENTITY, "declined"),
                RejectionKind::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            };
            refuse(status, kind, rejection.reason)
        }
        Err(DeliveryError::UnknownFormat(format)) => refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_format",
            format!("the source's format {format:?} is not one Dateline reads"),
        ),
        Err(DeliveryError::Store(error)) => store_failure(&error),
    }
}

/// A delivery refused before its document is read: the answer's status, code and reason.
struct Refused(StatusCode, &'static str, String);

fn too_large_or_bad(status: StatusCode, text: String) -> Refused {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        Refused(status, "too_large", "the delivery is larger than this paper takes".into())
    } else {
        Refused(StatusCode::BAD_REQUEST, "malformed", text)
    }
}

/// The document and the photos of a delivery: the body itself, or the parts of a multipart
/// one; a body of a type the source does not take is refused.
async fn read_delivery(
    state: &AppState,
    source: &dateline_newsroom::wire::WireSource,
    request: Request,
) -> Result<(Vec<u8>, HashMap<String, Attachment>), Refused> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        return read_parts(state, request).await;
    }
    let wants_json = source.format.starts_with("ninjs");
    let plausible = content_type.is_empty()
        || content_type.starts_with("application/octet-stream")
        || (wants_json && content_type.contains("json"))
        || (!wants_json && content_type.contains("xml"));
    if !plausible {
        let expected = if wants_json { "NinJS (application/json)" } else { "NewsML-G2 (application/xml)" };
        let reason = format!("the source {} takes {expected}, not {content_type}", source.slug);
        return Err(Refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unknown_format", reason));
    }
    match axum::body::Bytes::from_request(request, state).await {
        Ok(bytes) => Ok((bytes.to_vec(), HashMap::new())),
        Err(rejection) => Err(too_large_or_bad(rejection.status(), rejection.body_text())),
    }
}

fn store_failure(error: &StoreError) -> Response {
    match error {
        StoreError::Conflict(what) => refuse(StatusCode::CONFLICT, "conflict", format!("{what}; send the item again")),
        StoreError::Unavailable(_) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the paper's database is unavailable; send the item again later",
        ),
        other => {
            tracing::error!(error = %other, "a wire delivery failed");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the delivery could not be stored")
        }
    }
}

/// The document and the photos of a multipart delivery.
async fn read_parts(state: &AppState, request: Request) -> Result<(Vec<u8>, HashMap<String, Attachment>), Refused> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|rejection| Refused(StatusCode::BAD_REQUEST, "malformed", rejection.body_text()))?;
    let (mut document, mut attachments) = (None, HashMap::new());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => return Err(too_large_or_bad(error.status(), error.body_text())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().unwrap_or_default().to_owned();
        let bytes = field.bytes().await.map_err(|error| too_large_or_bad(error.status(), error.body_text()))?;
        if name == "item" {
            document = Some(bytes.to_vec());
        } else {
            let key = file_name.filter(|f| !f.is_empty()).unwrap_or(name);
            attachments.insert(
                dateline_intake::file_name_of(&key).to_owned(),
                Attachment { bytes: bytes.to_vec(), content_type },
            );
        }
    }
    let document = document.ok_or_else(|| {
        Refused(StatusCode::BAD_REQUEST, "malformed", "the multipart delivery has no part named \"item\"".into())
    })?;
    Ok((document, attachments))
}

/// What became of a delivered item (docs/API.md lists every outcome).
#[derive(Debug, Default, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct DeliveryAnswer {
    /// `created`, `updated`, `held_for_desk`, `killed`, `photo`, `waiting_for_rendition` or
    /// `ignored`.
    outcome: &'static str,
    /// The story the item made or changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    story: Option<i64>,
    /// The story's status now (`draft`, `published`, `scheduled`).
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    /// The story's screen on the desk.
    #[serde(skip_serializing_if = "Option::is_none")]
    desk: Option<String>,
    /// The photo a picture item became.
    #[serde(skip_serializing_if = "Option::is_none")]
    photo: Option<i64>,
    /// Why nothing changed, or why an editor decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// `no-store`: an answer about one delivery is never for a cache.
fn receipt_answer(receipt: &Receipt) -> Response {
    let desk = |article: &dateline_newsroom::ArticleId| Some(format!("/desk/stories/{article}"));
    let (status, body) = match receipt {
        Receipt::Created { article, status } => (
            StatusCode::CREATED,
            DeliveryAnswer {
                outcome: "created",
                story: Some(article.0),
                status: Some(status.as_str()),
                desk: desk(article),
                ..Default::default()
            },
        ),
        Receipt::Updated { article, status } => (
            StatusCode::OK,
            DeliveryAnswer {
                outcome: "updated",
                story: Some(article.0),
                status: Some(status.as_str()),
                desk: desk(article),
                ..Default::default()
            },
        ),
        Receipt::HeldForDesk { article } => (
            StatusCode::ACCEPTED,
            DeliveryAnswer {
                outcome: "held_for_desk",
                story: Some(article.0),
                reason: Some("the desk has changed the story; an editor decides on this version".into()),
                ..Default::default()
            },
        ),
        Receipt::Killed { article } => {
            (StatusCode::OK, DeliveryAnswer { outcome: "killed", story: article.map(|a| a.0), ..Default::default() })
        }
        Receipt::Photo { media } => {
            (StatusCode::CREATED, DeliveryAnswer { outcome: "photo", photo: Some(media.0), ..Default::default() })
        }
        Receipt::AwaitingRendition { reason } => (
            StatusCode::ACCEPTED,
            DeliveryAnswer { outcome: "waiting_for_rendition", reason: Some(reason.clone()), ..Default::default() },
        ),
        Receipt::Ignored { reason } => {
            (StatusCode::OK, DeliveryAnswer { outcome: "ignored", reason: Some(reason.clone()), ..Default::default() })
        }
    };
    (status, [(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}
