//! `dateline import-ghost FILE.json`: a Ghost paper moves in, with its whole archive and every
//! old address (docs/MOVING-IN.md). The work is `dateline_import::import_ghost`; this command
//! opens the paper, shows progress and prints (or writes) the report.

use super::GlobalArgs;
use crate::server;
use anyhow::{anyhow, Context};
use clap::Args;
use dateline_import::{import_ghost, GhostOptions};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ImportGhostArgs {
    /// The export, as Ghost's Settings › Labs › Export writes it (Ghost 4 or 5).
    #[arg(value_name = "FILE.json")]
    pub file: PathBuf,
    /// A local copy of the old site's content/images folder.
    #[arg(long, value_name = "DIR")]
    pub images: Option<PathBuf>,
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

pub async fn run(global: &GlobalArgs, args: ImportGhostArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::open_store(&config).await?;
    let intake = super::import_wordpress::intake_for(&config, &store)?;
    let mut options = GhostOptions { images: args.images.clone(), dry_run: args.dry_run, ..GhostOptions::default() };
    options.embed_hosts.extend(args.embed_hosts.iter().cloned());
    if let Some(images) = &options.images {
        anyhow::ensure!(images.is_dir(), "the images folder {} does not exist", images.display());
    }
    let mut progress = super::Progress::new("importing");
    let outcome = import_ghost(&intake, &args.file, &options, jiff::Timestamp::now(), |done, total| {
        progress.tick(done, &format!("of {total} posts and pages"));
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
