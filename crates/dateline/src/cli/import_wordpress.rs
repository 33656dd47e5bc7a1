//! `dateline import-wordpress FILE.xml`: a WordPress paper moves in, with its whole archive
//! and every old address (docs/MOVING-IN.md). The work is `dateline_import::import_wordpress`;
//! this command opens the paper, shows progress and prints (or writes) the report.

use super::GlobalArgs;
use crate::server;
use anyhow::{anyhow, Context};
use clap::Args;
use dateline_import::{import_wordpress, WordPressOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Debug, Args)]
pub struct ImportWordPressArgs {
    /// The export, as WordPress's Tools › Export writes it (WXR 1.0 to 1.2).
    #[arg(value_name = "FILE.xml")]
    pub file: PathBuf,
    /// A local copy of the old site's wp-content/uploads folder.
    #[arg(long, value_name = "DIR")]
    pub uploads: Option<PathBuf>,
    /// A host photos may be fetched from when not in --uploads (repeat for several).
    #[arg(long = "media-host", value_name = "HOST")]
    pub media_hosts: Vec<String>,
    /// A host whose embedded players are kept as links (YouTube and Vimeo are by default).
    #[arg(long = "embed-host", value_name = "HOST")]
    pub embed_hosts: Vec<String>,
    /// Read the export and print the report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// What an importer takes photos in through: the paper's media store and image limits.
pub(super) fn intake_for(
    config: &crate::config::Config,
    store: &dateline_storage::SqlStore,
) -> anyhow::Result<dateline_intake::Intake> {
    Ok(dateline_intake::Intake::new(
        store.clone(),
        server::media_blobs(config)?,
        dateline_media::ImageWork::new(
            dateline_media::UploadLimits {
                max_bytes: config.uploads.max_image_bytes,
                max_pixels: config.uploads.max_image_pixels,
            },
            config.uploads.image_workers,
        )
        .with_trust_anchors(config.content_credentials_trust()?),
        dateline_intake::IngestSettings::default(),
    ))
}

pub async fn run(global: &GlobalArgs, args: ImportWordPressArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::open_store(&config).await?;
    let intake = intake_for(&config, &store)?;
    let mut options = WordPressOptions {
        uploads: args.uploads.clone(),
        media_hosts: args.media_hosts.clone(),
        dry_run: args.dry_run,
        ..WordPressOptions::default()
    };
    options.embed_hosts.extend(args.embed_hosts.iter().cloned());
    if let Some(uploads) = &options.uploads {
        anyhow::ensure!(uploads.is_dir(), "the uploads folder {} does not exist", uploads.display());
    }
    let started = Instant::now();
    let mut progress = super::Progress::new("importing");
    let outcome = import_wordpress(&intake, &args.file, &options, jiff::Timestamp::now(), |done, total| {
        let elapsed = started.elapsed().as_secs_f64();
        let left = if done > 0 { elapsed / done as f64 * total.saturating_sub(done) as f64 } else { 0.0 };
        progress.tick(done, &format!("of {total} posts and pages, about {left:.0} s left"));
    })
    .await;
    progress.done();
    store.close().await;
    let report = outcome.map_err(|why| anyhow!("{}: nothing was imported: {why}", args.file.display()))?;
    print!("{report}");
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json).with_context(|| format!("cannot write the report to {}", path.display()))?;
    }
    Ok(())
}
