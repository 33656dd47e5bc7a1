//! `dateline partner`: set up, list and end syndication partners from the command line,
//! through the same use case as the desk (`syndication::add_partner`).

use super::GlobalArgs;
use crate::server;
use anyhow::anyhow;
use clap::{Args, Subcommand};
use dateline_newsroom::prelude::*;
use dateline_newsroom::syndication::{add_partner, revoke_partner, PartnerFields};
use std::path::Path;

#[derive(Debug, Args)]
pub struct PartnerArgs {
    #[command(subcommand)]
    pub action: PartnerAction,
}

#[derive(Debug, Subcommand)]
pub enum PartnerAction {
    /// Set up a partner; prints the token it pulls /api/v1/syndication/{slug} with.
    Add {
        /// The partner's name ("Asia News Network").
        #[arg(long)]
        name: String,
        /// Its short name in the feed's address (made from the name if not given).
        #[arg(long, default_value = "")]
        slug: String,
        /// Section paths it takes, separated by commas (`world,business/markets`); each with
        /// its subsections. With no sections and no topics it takes the whole paper.
        #[arg(long, default_value = "")]
        sections: String,
        /// Topic slugs it takes, separated by commas.
        #[arg(long, default_value = "")]
        topics: String,
        /// It may receive copy before its embargo lifts (with the embargo time in the item).
        #[arg(long)]
        embargoed: bool,
        /// What pushes carry: ninjs-2.2 (the default) or newsml-g2.
        #[arg(long, default_value = "ninjs-2.2")]
        format: String,
        /// Push every change to this address too (the partner's ingest endpoint).
        #[arg(long, default_value = "")]
        push_url: String,
        /// The bearer token the partner's ingest expects with a push.
        #[arg(long, default_value = "")]
        push_token: String,
    },
    /// List the partners.
    List,
    /// End a partnership: its token stops working and nothing more is pushed to it.
    Revoke {
        #[arg(long)]
        slug: String,
    },
}

fn list(text: &str) -> Vec<String> {
    text.split(',').map(|part| part.trim().to_owned()).filter(|part| !part.is_empty()).collect()
}

pub async fn run(global: &GlobalArgs, args: PartnerArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let store = server::open_store(&config).await?;
    match args.action {
        PartnerAction::Add { name, slug, sections, topics, embargoed, format, push_url, push_token } => {
            let fields = PartnerFields {
                slug,
                name,
                sections: list(&sections),
                topics: list(&topics),
                embargoed_copy: embargoed,
                format,
                push_url,
                push_token,
            };
            let (partner, token) = add_partner(&store, None, &fields, jiff::Timestamp::now())
                .await
                .map_err(|why| anyhow!("not set up: {why}"))?;
            println!("partner {} set up; its feed is /api/v1/syndication/{}", partner.name, partner.slug);
            println!("token: {token}");
        }
        PartnerAction::List => {
            for partner in store.partners().await? {
                let state = partner.revoked_at.map_or_else(|| "active".to_owned(), |at| format!("ended {at}"));
                let push = partner.push_url.as_deref().unwrap_or("-");
                let embargo = if partner.embargoed_copy { "embargoed copy" } else { "released copy" };
                println!(
                    "{}\t{}\t{}\t{embargo}\tpush {push}\t{state}",
                    partner.slug,
                    partner.name,
                    partner.format.as_str()
                );
            }
        }
        PartnerAction::Revoke { slug } => {
            revoke_partner(&store, None, &slug, jiff::Timestamp::now())
                .await
                .map_err(|why| anyhow!("not ended: {why}"))?;
            println!("partner {slug} is ended");
        }
    }
    store.close().await;
    Ok(())
}
