//! `dateline webhook`: register and list webhook endpoints from the command line, through the
//! same use case as the desk (`webhooks::add_webhook`).

use super::GlobalArgs;
use crate::server;
use anyhow::anyhow;
use clap::{Args, Subcommand};
use dateline_newsroom::prelude::*;
use dateline_newsroom::webhooks::{add_webhook, WebhookEvent};
use std::path::Path;

#[derive(Debug, Args)]
pub struct WebhookArgs {
    #[command(subcommand)]
    pub action: WebhookAction,
}

#[derive(Debug, Subcommand)]
pub enum WebhookAction {
    /// Register an endpoint; prints its signing secret (whsec_…).
    Add {
        /// Where events are POSTed (https:// or http://).
        #[arg(long)]
        url: String,
        /// Events, separated by commas: story.published, story.updated, story.corrected,
        /// story.unpublished, story.removed, story.scheduled (all of them by default).
        #[arg(long)]
        events: Option<String>,
    },
    /// List the endpoints and the events each takes.
    List,
    /// Stop an endpoint (by the number `list` shows): nothing more is sent to it.
    Disable {
        #[arg(long)]
        id: i64,
    },
}

pub async fn run(global: &GlobalArgs, args: WebhookArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::open_store(&config).await?;
    match args.action {
        WebhookAction::Add { url, events } => {
            let events: Vec<String> = match events {
                Some(list) => list.split(',').map(|e| e.trim().to_owned()).collect(),
                None => WebhookEvent::ALL.iter().map(|e| e.as_str().to_owned()).collect(),
            };
            let endpoint = add_webhook(&store, None, &url, &events, jiff::Timestamp::now())
                .await
                .map_err(|why| anyhow!("not registered: {why}"))?;
            println!("webhook {} registered for {}", endpoint.url, events.join(", "));
            println!("secret: {}", endpoint.secret);
        }
        WebhookAction::List => {
            for endpoint in store.webhooks().await? {
                let events: Vec<&str> = endpoint.events.iter().map(|e| e.as_str()).collect();
                let state = endpoint.disabled_at.map_or_else(|| "active".to_owned(), |at| format!("disabled {at}"));
                println!("{}\t{}\t{}\t{state}", endpoint.id, endpoint.url, events.join(","));
            }
        }
        WebhookAction::Disable { id } => {
            dateline_newsroom::webhooks::disable_webhook(&store, None, id, jiff::Timestamp::now())
                .await
                .map_err(|why| anyhow!("not disabled: {why}"))?;
            println!("webhook {id} is disabled");
        }
    }
    store.close().await;
    Ok(())
}
