//! `dateline demo`: the paper with demo content, loaded on first start.

use super::GlobalArgs;
use crate::{content, server};
use clap::Args;
use std::path::Path;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Address to listen on, such as 127.0.0.1:8080 (127.0.0.1:0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Load the demo content (and the demo users) into the database, then exit without serving.
    #[arg(long)]
    pub load_only: bool,
}

pub async fn run(global: &GlobalArgs, args: DemoArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, args.listen, Path::new("./dateline-demo"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::open_store_for_serving(&config).await?;
    let blobs = crate::server::media_blobs(&config)?;
    let loaded = content::demo::load_if_empty(&store, &blobs, jiff::Timestamp::now()).await?;
    if loaded {
        tracing::info!(folder = %config.data_dir.display(), "demo content loaded");
    }
    let accounts = content::demo::ensure_demo_users(&store, jiff::Timestamp::now()).await?;
    if loaded {
        content::demo::plan_todays_budget(&store, jiff::Timestamp::now()).await?;
    }
    if args.load_only {
        println!("the demo paper is in {}", dateline_storage::redact_url(&config.database_url()));
        return Ok(());
    }
    server::serve(&config, store, &accounts).await
}
