//! Wire deliveries: an agency's document (and the photos that came with it) turned into a
//! story, whichever way it arrived. The HTTP endpoint (in the web crate) and the watched
//! folders (run by the binary) both hand a delivery to [`take_delivery`], which reads the document
//! (`dateline-ingest`), stores the photos it can have, and applies the newsroom's rules for
//! versions, embargoes and kills (`dateline_newsroom::wire::receive`).
//!
//! Nothing is stored for a document that is refused. Photos are stored before the story, so
//! the story can name its lead photo; a photo that cannot be had (missing, damaged, or at a
//! remote address whose host the operator does not allow) leaves the story without it and a
//! note for the desk saying why.

use crate::{IngestSettings, Intake};
use dateline_ingest::{read_item, Rejection, WireFormat};
use dateline_newsroom::prelude::*;
use dateline_newsroom::wire::{already_has, receive, Receipt, WireSource};
use dateline_newsroom::{MediaId, StoreError};
use jiff::Timestamp;
use std::collections::HashMap;

/// A file that came with the document: a multipart part, or a file beside it in the folder.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub bytes: Vec<u8>,
    pub content_type: String,
}

/// Why a delivery was not taken.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error("{0}")]
    Refused(#[from] Rejection),
    #[error("the source's format {0:?} is not one Dateline reads")]
    UnknownFormat(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The last segment of a rendition's reference, as a file beside the item is named.
pub fn file_name_of(reference: &str) -> &str {
    let path = reference.split(['?', '#']).next().unwrap_or(reference);
    path.rsplit('/').next().unwrap_or(path)
}

/// Takes one delivered document for `source`; `delivery` says how it came (`a delivery over
/// HTTP`, or the file's name), for the record the desk sees of a refused one.
pub async fn take_delivery(
    intake: &Intake,
    source: &WireSource,
    delivery: &str,
    document: &[u8],
    attachments: &HashMap<String, Attachment>,
    now: Timestamp,
) -> Result<Receipt, DeliveryError> {
    let taken = take_document(intake, source, document, attachments, now).await;
    if let Err(refusal @ (DeliveryError::Refused(_) | DeliveryError::UnknownFormat(_))) = &taken {
        record_refusal(intake, source, delivery, &refusal.to_string(), now).await;
    }
    taken
}

/// Keeps a refused delivery for the wire desk. A failure to keep it is logged, not passed on:
/// the agency's answer (or the rejected folder) says why already.
pub async fn record_refusal(intake: &Intake, source: &WireSource, delivery: &str, reason: &str, now: Timestamp) {
    let refusal = dateline_newsroom::wire::WireRefusal {
        source_id: source.id,
        source_name: source.name.clone(),
        refused_at: now,
        delivery: dateline_newsroom::text::without_control_characters(delivery).chars().take(200).collect(),
        reason: reason.chars().take(1_000).collect(),
    };
    if let Err(error) = intake.store().record_wire_refusal(&refusal).await {
        tracing::warn!(source = %source.slug, %error, "a refused delivery could not be recorded");
    }
}

async fn take_document(
    intake: &Intake,
    source: &WireSource,
    document: &[u8],
    attachments: &HashMap<String, Attachment>,
    now: Timestamp,
) -> Result<Receipt, DeliveryError> {
    let format =
        WireFormat::parse(&source.format).ok_or_else(|| DeliveryError::UnknownFormat(source.format.clone()))?;
    let copy = read_item(format, document, intake.limits().max_document_bytes)?;
    // A version the paper has (the same file twice, or an older one) changes nothing: not
    // even its photos are stored again.
    let known = intake.store().wire_item(source.id, &copy.guid).await?;
    if let Some(reason) = already_has(known.as_ref(), &copy) {
        return Ok(Receipt::Ignored { reason });
    }
    let mut photos: Vec<MediaId> = Vec::new();
    let mut stored_files: Vec<Vec<String>> = Vec::new();
    let mut problems: Vec<String> = copy.notes.clone();
    if !copy.status.is_kill() {
        for photo in &copy.photos {
            match photo_bytes(intake, &photo.reference, attachments).await {
                Ok((bytes, content_type)) => match store_photo(intake, &bytes, &content_type, photo, source, now).await
                {
                    Ok((id, files)) => {
                        photos.push(id);
                        stored_files.push(files);
                    }
                    Err(why) => problems.push(format!("photo {}: {why}", file_name_of(&photo.reference))),
                },
                Err(why) => problems.push(format!("photo {}: {why}", file_name_of(&photo.reference))),
            }
        }
    }
    let note = (!problems.is_empty()).then(|| problems.join("; "));
    let outcome = receive(intake.store(), source, &copy, &photos, note, now).await;
    // Photos stored for a delivery that was not taken (another delivery of the item won, or
    // the story could not be written) do not stay behind in the library.
    if matches!(outcome, Err(_) | Ok(Receipt::Ignored { .. })) && !photos.is_empty() {
        for (id, files) in photos.iter().zip(&stored_files) {
            match intake.store().delete_unused_media(*id).await {
                Ok(()) => {
                    for file in files {
                        intake.blobs().delete(file).await;
                    }
                }
                Err(error) => {
                    tracing::warn!(media = %id, %error, "a photo of a delivery not taken stays in the library")
                }
            }
        }
    }
    Ok(outcome?)
}

/// A photo's bytes: from the delivery itself, or from an allowed remote host.
async fn photo_bytes(
    intake: &Intake,
    reference: &str,
    attachments: &HashMap<String, Attachment>,
) -> Result<(Vec<u8>, String), String> {
    let name = file_name_of(reference);
    if let Some(found) = attachments.get(reference).or_else(|| attachments.get(name)) {
        return Ok((found.bytes.clone(), found.content_type.clone()));
    }
    let lower = reference.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err("it was not delivered with the item".into());
    }
    fetch_remote(intake.limits(), reference).await
}

/// Fetches a remote rendition from an allowed host, within the size and time limits.
pub(crate) async fn fetch_remote(settings: &IngestSettings, address: &str) -> Result<(Vec<u8>, String), String> {
    let url = reqwest::Url::parse(address).map_err(|_| "its address cannot be read".to_owned())?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    if !settings.fetch_hosts.iter().any(|allowed| allowed.eq_ignore_ascii_case(&host)) {
        return Err(format!("{host} is not among the hosts photos may be fetched from (ingest.fetch_hosts)"));
    }
    let client = reqwest::Client::builder()
        .timeout(settings.fetch_timeout)
        // A redirect could lead anywhere; the allow-list is about where the bytes come from.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let mut response = client.get(url).send().await.map_err(|e| {
        if e.is_timeout() {
            format!("{host} did not answer within {} s", settings.fetch_timeout.as_secs())
        } else {
            format!("{host} could not be reached")
        }
    })?;
    if !response.status().is_success() {
        return Err(format!("{host} answered {}", response.status().as_u16()));
    }
    if response.content_length().is_some_and(|length| length > settings.fetch_max_bytes) {
        return Err(format!("it is larger than the limit of {} bytes", settings.fetch_max_bytes));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut bytes = Vec::new();
    loop {
        match tokio::time::timeout(settings.fetch_timeout, response.chunk()).await {
            Ok(Ok(Some(chunk))) => {
                bytes.extend_from_slice(&chunk);
                if bytes.len() as u64 > settings.fetch_max_bytes {
                    return Err(format!("it is larger than the limit of {} bytes", settings.fetch_max_bytes));
                }
            }
            Ok(Ok(None)) => break,
            Ok(Err(_)) => return Err(format!("{host} broke off the transfer")),
            Err(_) => return Err(format!("{host} did not finish within {} s", settings.fetch_timeout.as_secs())),
        }
    }
    Ok((bytes, content_type))
}

/// Stores a wire photo in the library, with the agency's caption and credit; returns it and
/// the files written for it.
async fn store_photo(
    intake: &Intake,
    bytes: &[u8],
    content_type: &str,
    photo: &dateline_newsroom::wire::WirePhoto,
    source: &WireSource,
    now: Timestamp,
) -> Result<(MediaId, Vec<String>), String> {
    let claimed = content_type.split(';').next().unwrap_or_default().trim();
    let bytes: std::sync::Arc<[u8]> = std::sync::Arc::from(bytes);
    let found = crate::photos::check(intake, bytes.clone(), claimed).await.map_err(|e| e.to_string())?;
    let clip = |text: &str| text.trim().chars().take(1_000).collect::<String>();
    let texts = crate::photos::PhotoTexts {
        credit: if photo.credit.trim().is_empty() { source.name.clone() } else { clip(&photo.credit) },
        alt_text: if photo.caption.trim().is_empty() {
            format!("Photo from {}", source.name)
        } else {
            clip(&photo.caption)
        },
        caption: clip(&photo.caption),
        photographer: clip(&photo.photographer),
    };
    let (media, files) =
        crate::photos::store(intake, bytes, &found, texts, now).await.map_err(|error| error.to_string())?;
    Ok((media.id, files))
}
