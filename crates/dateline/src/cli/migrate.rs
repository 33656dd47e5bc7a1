//! `dateline migrate`: apply pending schema migrations and exit.

use super::GlobalArgs;
use crate::server;
use clap::Args;
use std::path::Path;

#[derive(Debug, Args)]
pub struct MigrateArgs {}

pub async fn run(global: &GlobalArgs, _args: MigrateArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::connect(&config).await?;
    let applied = store.migrate(jiff::Timestamp::now()).await?;
    if applied.is_empty() {
        println!("the database schema is up to date");
    } else {
        println!("applied migrations {applied:?}");
    }
    Ok(())
}
