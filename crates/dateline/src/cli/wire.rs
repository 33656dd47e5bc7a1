//! `dateline wire`: set up agency feeds from the command line (the desk does the same under
//! Wire sources), for scripted deployments and benchmarks.

use super::GlobalArgs;
use crate::server;
use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use dateline_ingest::WireFormat;
use dateline_newsroom::prelude::*;
use dateline_newsroom::wire::{set_up_source, SourceSetUp};
use dateline_newsroom::Slug;
use std::path::Path;

#[derive(Debug, Args)]
pub struct WireArgs {
    #[command(subcommand)]
    pub action: WireAction,
}

#[derive(Debug, Subcommand)]
pub enum WireAction {
    /// Set up a wire source; prints the token the agency sends (shown this once).
    AddSource {
        /// The agency's name as bylines show it.
        #[arg(long)]
        name: String,
        /// Its address segment: /api/v1/ingest/SLUG.
        #[arg(long)]
        slug: String,
        /// ninjs-1.0 … ninjs-3.1, or newsml-g2.
        #[arg(long)]
        format: String,
        /// The section its stories go to, by path (national/politics).
        #[arg(long)]
        section: String,
        /// Publish stories on arrival (after any embargo) instead of queueing drafts.
        #[arg(long)]
        publish_at_once: bool,
        /// A folder under ingest.root to watch for this source's files.
        #[arg(long)]
        folder: Option<String>,
        /// Take no deliveries over HTTP (no token is made).
        #[arg(long)]
        no_http: bool,
        /// How its stories' datelines are shaped: {PLACE}, {place}, {date} and {agency};
        /// "" for none. Default: "{PLACE}, {date} ({agency}) --".
        #[arg(long)]
        dateline_format: Option<String>,
    },
}

pub async fn run(global: &GlobalArgs, args: WireArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    match args.action {
        WireAction::AddSource { name, slug, format, section, publish_at_once, folder, no_http, dateline_format } => {
            let Some(format) = WireFormat::parse(&format) else {
                let known: Vec<String> = WireFormat::all().into_iter().map(WireFormat::name).collect();
                bail!("{format:?} is not a format Dateline reads; choose one of {}", known.join(", "));
            };
            let slug = Slug::parse(&slug).map_err(|e| anyhow!("the slug is not usable: {e}"))?;
            let store = server::open_store(&config).await?;
            let path = section.trim_matches('/');
            let section_id = store
                .sections()
                .await?
                .into_iter()
                .find(|s| s.path == path)
                .map(|s| s.id)
                .ok_or_else(|| anyhow!("there is no section {path:?}; give its path, such as national/politics"))?;
            let set_up = SourceSetUp {
                slug,
                name,
                format: format.name(),
                section_id,
                publish_at_once,
                folder,
                over_http: !no_http,
                dateline_format,
            };
            let (source, token) = set_up_source(&store, &set_up, jiff::Timestamp::now())
                .await
                .map_err(|why| anyhow!("not set up: {why}"))?;
            println!("wire source {} is set up", source.slug);
            if let Some(token) = token {
                println!("token: {token}");
                println!(
                    "the agency sends items with POST /api/v1/ingest/{} and Authorization: Bearer TOKEN",
                    source.slug
                );
            }
            Ok(())
        }
    }
}
