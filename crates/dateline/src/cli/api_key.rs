//! `dateline api-key`: make, list and revoke write-API keys from the command line (admins do
//! the same on the desk), through the same use cases (`catalog::add_api_key`).

use super::GlobalArgs;
use crate::server;
use anyhow::anyhow;
use clap::{Args, Subcommand};
use dateline_newsroom::catalog::{add_api_key, revoke_api_key, ApiKeyFields};
use dateline_newsroom::prelude::*;
use std::path::Path;

#[derive(Debug, Args)]
pub struct ApiKeyArgs {
    #[command(subcommand)]
    pub action: ApiKeyAction,
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyAction {
    /// Make a key; prints its token, shown this once.
    Add {
        /// What the key is for (the app, partner or script); revisions name it.
        #[arg(long)]
        name: String,
        /// The role it acts in: admin, editor, photo_editor, reporter or contributor.
        #[arg(long)]
        role: String,
        /// The last day it works (2027-06-30, UTC); without it the key works until revoked.
        #[arg(long)]
        expires: Option<String>,
    },
    /// List the keys: name, role, made, expires, last used, revoked.
    List,
    /// Revoke a key by name; it stops working at once.
    Revoke {
        #[arg(long)]
        name: String,
    },
}

pub async fn run(global: &GlobalArgs, args: ApiKeyArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::open_store(&config).await?;
    let now = jiff::Timestamp::now();
    match args.action {
        ApiKeyAction::Add { name, role, expires } => {
            let fields = ApiKeyFields { name, role, expires: expires.unwrap_or_default() };
            let (key, token) =
                add_api_key(&store, None, &fields, now).await.map_err(|why| anyhow!("not made: {why}"))?;
            println!("api key {:?} is made, acting as {}", key.name, key.user.role.as_str());
            println!("token: {token}");
            println!("send it as Authorization: Bearer TOKEN; it is shown this once");
        }
        ApiKeyAction::List => {
            let show = |t: Option<jiff::Timestamp>| t.map_or_else(|| "-".to_owned(), |t| t.to_string());
            println!("name\trole\tmade\texpires\tlast used\trevoked");
            for key in store.api_keys().await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    key.name,
                    key.user.role.as_str(),
                    key.created_at,
                    show(key.expires_at),
                    show(key.last_used_at),
                    show(key.revoked_at)
                );
            }
        }
        ApiKeyAction::Revoke { name } => {
            let key = revoke_api_key(&store, None, &name, now).await.map_err(|why| anyhow!("not revoked: {why}"))?;
            println!("api key {:?} is revoked", key.name);
        }
    }
    store.close().await;
    Ok(())
}
