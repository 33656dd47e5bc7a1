//! `dateline export FILE`: the whole paper as one Dateline archive (see `crate::archive`).

use super::GlobalArgs;
use crate::archive::{ArchiveWriter, Header};
use crate::server;
use anyhow::Context;
use clap::Args;
use dateline_storage::{Backend, Cell};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The archive to write; it must not exist yet.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Include the desk users' password hashes, so they can sign in on the new server as
    /// before. Without it they are left out, and each user needs `dateline user reset-password`.
    #[arg(long)]
    pub with_password_hashes: bool,
}

pub async fn run(global: &GlobalArgs, args: ExportArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let shown = args.file.display().to_string();
    if args.file.exists() {
        anyhow::bail!("{shown} exists already; choose a new file name, so that no archive is ever overwritten");
    }
    let store = server::connect(&config).await?;
    let blobs = server::media_blobs(&config)?;
    // Written under a temporary name and renamed when whole, so a failed export never leaves
    // a file that looks like an archive.
    let partial = args.file.with_extension("partial");
    let out = std::fs::File::create(&partial).with_context(|| format!("cannot write {}", partial.display()))?;
    let written = write_archive(&store, &blobs, BufWriter::new(out), args.with_password_hashes).await;
    let (rows, files) = match written {
        Ok(counts) => counts,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    std::fs::rename(&partial, &args.file).with_context(|| format!("cannot name the archive {shown}"))?;
    println!("exported {rows} rows and {files} media files to {shown}");
    Ok(())
}

async fn write_archive(
    store: &dateline_storage::SqlStore,
    blobs: &dateline_media::Blobs,
    out: BufWriter<std::fs::File>,
    with_password_hashes: bool,
) -> anyhow::Result<(u64, u64)> {
    let header = Header {
        exported_at: jiff::Timestamp::now(),
        from: match store.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
        .to_owned(),
        password_hashes: with_password_hashes,
    };
    let mut writer = ArchiveWriter::start(out, &header)?;
    let mut progress = super::Progress::new("exporting");
    // Each photo's original and the files made from it.
    let mut photos: Vec<(String, Vec<String>)> = Vec::new();
    let mut audio_and_video: Vec<String> = Vec::new();
    let mut rows = 0u64;
    store
        .export_rows(|table, mut cells| {
            if table.name == "users" && !with_password_hashes {
                if let Some(hash) = table.column_index("password_hash") {
                    cells[hash] = Cell::Text(None);
                }
            }
            if table.name == "media" {
                if let Some(photo) = photo_files(table, &cells) {
                    photos.push(photo);
                }
            }
            if table.name == "audio_files" || table.name == "video_files" {
                if let Some(Cell::Text(Some(key))) = table.column_index("storage_key").map(|i| &cells[i]) {
                    audio_and_video.push(key.clone());
                }
            }
            rows += 1;
            progress.tick(rows, table.name);
            writer.row(table, &cells)
        })
        .await?;
    let mut files = 0u64;
    for (key, copies) in photos {
        for (index, file_key) in std::iter::once(key).chain(copies).enumerate() {
            match blobs.get(&file_key).await.with_context(|| format!("cannot read the media file {file_key}"))? {
                Some(bytes) => {
                    writer.file(&file_key, &bytes)?;
                    files += 1;
                    progress.tick(rows + files, "media files");
                }
                // A missing smaller copy is made again on demand; a missing original is a loss
                // the operator must hear about, but it is not this export's to hide.
                None if index == 0 => eprintln!("warning: the media file {file_key} is missing; exported without it"),
                None => {}
            }
        }
    }
    for key in audio_and_video {
        match blobs.get(&key).await.with_context(|| format!("cannot read the sound or video file {key}"))? {
            Some(bytes) => {
                writer.file(&key, &bytes)?;
                files += 1;
                progress.tick(rows + files, "media files");
            }
            None => eprintln!("warning: the sound or video file {key} is missing; exported without it"),
        }
    }
    writer.finish()?;
    progress.done();
    Ok((rows, files))
}

/// A photo's original and the files made from it, from its archive row.
fn photo_files(table: &dateline_storage::ArchiveTable, cells: &[Cell]) -> Option<(String, Vec<String>)> {
    let text = |column: &str| match table.column_index(column).map(|i| &cells[i]) {
        Some(Cell::Text(Some(text))) => Some(text.as_str()),
        _ => None,
    };
    let int = |column: &str| match table.column_index(column).map(|i| &cells[i]) {
        Some(Cell::Int(Some(value))) => Some(*value),
        _ => None,
    };
    let key = text("storage_key")?;
    let side = |column: &str| int(column).and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
    let recorded: Vec<String> =
        text("variant_formats").unwrap_or_default().split_whitespace().map(str::to_owned).collect();
    let point = dateline_newsroom::FocalPoint::from_stored(int("focal_x").unwrap_or(50), int("focal_y").unwrap_or(50))
        .unwrap_or_default();
    let focus = dateline_media::Focus { x: point.x, y: point.y };
    Some((key.to_owned(), dateline_media::copy_keys(key, (side("width"), side("height")), focus, &recorded)))
}
