//! `dateline serve`: the paper as configured.

use super::GlobalArgs;
use crate::server;
use clap::Args;
use std::path::Path;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, such as 127.0.0.1:8080 (127.0.0.1:0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, args.listen, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::open_store_for_serving(&config).await?;
    server::serve(&config, store, &[]).await
}
