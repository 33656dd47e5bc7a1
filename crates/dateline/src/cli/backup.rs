//! `dateline backup FILE`: a consistent copy of the live SQLite database, taken while the
//! paper keeps running.

use super::GlobalArgs;
use crate::server;
use anyhow::Context;
use clap::Args;
use dateline_newsroom::ArticleStore;
use dateline_storage::{ConnectOptions, SqlStore};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub async fn run(global: &GlobalArgs, args: BackupArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::connect(&config).await?;
    store.backup_to(&args.file).await?;
    // Read the copy back: a backup nobody can open is no backup.
    let copy = SqlStore::connect(&ConnectOptions::new(format!("sqlite:{}", args.file.display())))
        .await
        .with_context(|| format!("the backup {} was written but cannot be opened", args.file.display()))?;
    let stories = copy.count_articles().await?;
    copy.close().await;
    println!("backed up {stories} stories to {}", args.file.display());
    Ok(())
}
