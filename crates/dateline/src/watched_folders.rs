//! Watched wire folders: agencies (or a transfer program) drop items into a folder per wire
//! source under the operator's `ingest.root`, and the paper takes them in.
//!
//! A file counts once it is complete, that is renamed into the folder: names ending `.part`
//! or `.tmp`, and hidden files, are left alone. Items are the files of the source's format
//! (`.json` for NinJS, `.xml` for NewsML-G2); the photos an item names lie beside it. Each
//! item is then moved to `done/`, or to `rejected/` with a `NAME.reason` file saying why,
//! its photos with it. When the database cannot be reached the item stays where it is and
//! is tried again at the next look. With several instances, the one holding the
//! `wire-folders` lease watches.

use dateline_ingest::{read_item, WireFormat};
use dateline_intake::wire::{record_refusal, take_delivery};
use dateline_intake::{file_name_of, Attachment, DeliveryError, Intake};
use dateline_newsroom::prelude::*;
use dateline_newsroom::wire::{Receipt, WireSource};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the lease lasts; the holder renews it at every look.
const LEASE: jiff::SignedDuration = jiff::SignedDuration::from_secs(30);

/// Looks at every source's folder every `interval`, for as long as the server runs.
pub async fn watch(intake: Intake, root: PathBuf, interval: Duration, holder: String) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let now = jiff::Timestamp::now();
        match intake.store().take_lease("wire-folders", &holder, now, now + LEASE).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(error) => {
                tracing::warn!(%error, "the wire folders could not take their lease");
                continue;
            }
        }
        let sources = match intake.store().wire_sources().await {
            Ok(sources) => sources,
            Err(error) => {
                tracing::warn!(%error, "cannot read the wire sources");
                continue;
            }
        };
        for source in sources {
            let Some(folder) = source.folder.as_deref() else { continue };
            // The desk checks the name; checked again here, so no stored value leads elsewhere.
            if dateline_newsroom::wire::check_folder_name(folder).is_err() {
                tracing::warn!(source = %source.slug, folder, "a wire source's folder name is not usable; skipped");
                continue;
            }
            if let Err(error) = look_at(&intake, &source, &root.join(folder)).await {
                tracing::warn!(source = %source.slug, %error, "could not look at the wire folder");
            }
        }
    }
}

fn is_item(name: &str, format: WireFormat) -> bool {
    let lower = name.to_ascii_lowercase();
    match format {
        WireFormat::NinJs(_) => lower.ends_with(".json"),
        WireFormat::NewsMlG2 => lower.ends_with(".xml"),
    }
}

fn is_incomplete(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.') || lower.ends_with(".part") || lower.ends_with(".tmp")
}

/// Takes every complete item in one source's folder.
async fn look_at(intake: &Intake, source: &WireSource, folder: &Path) -> std::io::Result<()> {
    let Some(format) = WireFormat::parse(&source.format) else { return Ok(()) };
    for sub in ["done", "rejected"] {
        tokio::fs::create_dir_all(folder.join(sub)).await?;
    }
    let mut items = Vec::new();
    let mut entries = tokio::fs::read_dir(folder).await?;
    while let Some(entry) = entries.next_entry().await? {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().await?.is_file() && !is_incomplete(&name) && is_item(&name, format) {
            items.push(entry.path());
        }
    }
    // Oldest name first: agencies number their files, and versions should arrive in order.
    items.sort();
    for item in items {
        take_file(intake, source, format, folder, &item).await?;
    }
    Ok(())
}

async fn take_file(
    intake: &Intake,
    source: &WireSource,
    format: WireFormat,
    folder: &Path,
    item: &Path,
) -> std::io::Result<()> {
    let limit = intake.limits().max_document_bytes;
    let size = tokio::fs::metadata(item).await?.len();
    let file_name = item.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    if size > limit as u64 {
        let reason = format!("the file is {size} bytes; this source takes at most {limit}");
        record_refusal(intake, source, &file_name, &reason, jiff::Timestamp::now()).await;
        return file_away(folder, item, &[], "rejected", Some(&reason)).await;
    }
    let document = tokio::fs::read(item).await?;
    // The photos it names, if they lie beside it.
    let mut photos = Vec::new();
    let mut attachments = HashMap::new();
    if let Ok(copy) = read_item(format, &document, limit) {
        for photo in &copy.photos {
            let name = file_name_of(&photo.reference);
            let beside = folder.join(name);
            if !name.is_empty() && !is_incomplete(name) && beside.is_file() {
                let bytes = tokio::fs::read(&beside).await?;
                attachments.insert(name.to_owned(), Attachment { bytes, content_type: String::new() });
                photos.push(beside);
            }
        }
    }
    match take_delivery(intake, source, &file_name, &document, &attachments, jiff::Timestamp::now()).await {
        Ok(receipt) => {
            let what = match &receipt {
                Receipt::Created { article, .. } => format!("story {article} created"),
                Receipt::Updated { article, .. } => format!("story {article} updated"),
                Receipt::HeldForDesk { article } => format!("update of story {article} held for the desk"),
                Receipt::Killed { .. } => "killed".to_owned(),
                Receipt::Photo { .. } => "photo stored".to_owned(),
                Receipt::AwaitingRendition { reason } => format!("picture waiting for its image: {reason}"),
                Receipt::Ignored { reason } => format!("ignored: {reason}"),
            };
            tracing::info!(source = %source.slug, file = %item.display(), outcome = %what, "wire file taken");
            file_away(folder, item, &photos, "done", None).await
        }
        Err(DeliveryError::Store(error)) => {
            // The paper could not store it now; the file waits for the next look.
            tracing::warn!(source = %source.slug, file = %item.display(), %error, "wire file left for the next try");
            Ok(())
        }
        Err(refusal) => file_away(folder, item, &photos, "rejected", Some(&refusal.to_string())).await,
    }
}

/// Moves an item (and its photos) into `done/` or `rejected/`, never over an earlier file of
/// the same name, with a `.reason` file beside a rejected one.
async fn file_away(
    folder: &Path,
    item: &Path,
    photos: &[PathBuf],
    into: &str,
    reason: Option<&str>,
) -> std::io::Result<()> {
    let target = folder.join(into);
    // The photos go first, so whoever sees the item in `done/` also finds what came with it.
    for photo in photos {
        if photo.is_file() {
            move_into(photo, &target).await?;
        }
    }
    let moved = move_into(item, &target).await?;
    if let Some(reason) = reason {
        let mut reason_file = moved.clone().into_os_string();
        reason_file.push(".reason");
        tokio::fs::write(PathBuf::from(reason_file), format!("{reason}\n")).await?;
        tracing::warn!(file = %moved.display(), reason, "wire file rejected");
    }
    Ok(())
}

async fn move_into(file: &Path, folder: &Path) -> std::io::Result<PathBuf> {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut target = folder.join(&name);
    let mut n = 1;
    while tokio::fs::try_exists(&target).await? {
        target = folder.join(format!("{n}-{name}"));
        n += 1;
    }
    tokio::fs::rename(file, &target).await?;
    Ok(target)
}
