//! `dateline import FILE`: a Dateline archive into an empty database of either kind.
//!
//! The archive is read twice: once to check every line (so a damaged archive is refused
//! before anything is written), then to write it, all rows in one transaction. Media files
//! are written while that transaction is open and removed again if anything fails, so a
//! failed import leaves the database and the media store as they were.

use super::GlobalArgs;
use crate::archive::{read_archive, Record};
use crate::server;
use anyhow::Context;
use clap::Args;
use std::io::BufReader;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The archive to read, as `dateline export` wrote it.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

fn open(file: &Path) -> anyhow::Result<BufReader<std::fs::File>> {
    let opened = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    Ok(BufReader::with_capacity(1 << 20, opened))
}

pub async fn run(global: &GlobalArgs, args: ImportArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let shown = args.file.display().to_string();

    // Every line is read and every row checked against the newsroom's rules before anything is
    // written: a damaged or impossible archive is refused with its line, the database untouched.
    let mut checking = super::Progress::new("checking");
    let mut checks = crate::archive_checks::RowChecks::default();
    let header = read_archive(open(&args.file)?, |line, record| {
        checking.tick(line, "lines");
        match &record {
            Record::Row { table, cells } => checks.row(line, table, cells),
            Record::File { .. } => Ok(()),
        }
    })
    .and_then(|checked| checked)
    .and_then(|header| checks.finish().map(|()| header))
    .with_context(|| format!("{shown} cannot be imported"))?;
    checking.done();

    let store = server::connect(&config).await?;
    let blobs = server::media_blobs(&config)?;
    let mut import = store.begin_import(jiff::Timestamp::now()).await.context("nothing was imported")?;
    let mut written_files: Vec<String> = Vec::new();
    let mut writing = super::Progress::new("importing");
    // The archive was checked a moment ago; reading it again streams it instead of holding
    // a paper's worth of photos in memory. The records come one at a time from a blocking
    // reader, so each one is written before the next is read.
    let (records_tx, mut records_rx) = tokio::sync::mpsc::channel::<(u64, Record)>(64);
    let file = args.file.clone();
    let reader = tokio::task::spawn_blocking(move || {
        read_archive(open(&file)?, |line, record| records_tx.blocking_send((line, record)))
            .map_err(anyhow::Error::from)?
            .map_err(|_| anyhow::anyhow!("the import stopped"))?;
        anyhow::Ok(())
    });
    let mut failure: Option<anyhow::Error> = None;
    let (mut rows, mut files) = (0u64, 0u64);
    while let Some((line, record)) = records_rx.recv().await {
        writing.tick(line, "lines");
        let step = match record {
            Record::Row { table, cells } => {
                import.insert(table, cells).await.map(|()| rows += 1).map_err(anyhow::Error::from)
            }
            Record::File { key, bytes } => {
                put_new_file(&blobs, &key, bytes, &mut written_files).await.map(|()| files += 1)
            }
        };
        if let Err(error) = step {
            failure = Some(error.context(format!("line {line}")));
            break;
        }
    }
    drop(records_rx);
    let read = reader.await.context("the archive reader stopped")?;
    let outcome = match (failure, read) {
        (Some(error), _) | (None, Err(error)) => Err(error),
        (None, Ok(())) => import.finish().await.map_err(anyhow::Error::from),
    };
    writing.done();
    if let Err(error) = outcome {
        for key in &written_files {
            blobs.delete(key).await;
        }
        return Err(error.context(format!("{shown} was not imported; the database is unchanged")));
    }
    println!(
        "imported {rows} rows and {files} media files from {shown} (exported {} from {})",
        header.exported_at, header.from
    );
    if !header.password_hashes {
        println!("the archive holds no passwords: give each desk user a new one with `dateline user reset-password`");
    }
    Ok(())
}

/// Writes a media file unless the very same file is there already; a different file under
/// the same name is never overwritten.
async fn put_new_file(
    blobs: &dateline_media::Blobs,
    key: &str,
    bytes: Vec<u8>,
    written: &mut Vec<String>,
) -> anyhow::Result<()> {
    match blobs.get(key).await? {
        Some(existing) if existing == bytes => Ok(()),
        Some(_) => anyhow::bail!("the media store already holds a different file named {key}"),
        None => {
            blobs.put(key, bytes).await.with_context(|| format!("cannot write the media file {key}"))?;
            written.push(key.to_owned());
            Ok(())
        }
    }
}
