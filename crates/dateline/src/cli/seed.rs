//! `dateline seed`: fill a database with generated stories for tests and benchmarks.

use super::GlobalArgs;
use crate::{content, server};
use anyhow::Context;
use clap::Args;
use std::io::IsTerminal;
use std::path::Path;

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many stories to generate.
    #[arg(long, value_name = "N")]
    pub stories: u32,
    /// The generator's seed: the same seed gives the same stories.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Lay publication times back from this instant (RFC 3339) instead of the current time,
    /// to make the times repeatable too.
    #[arg(long, value_name = "INSTANT")]
    pub now: Option<String>,
}

pub async fn run(global: &GlobalArgs, args: SeedArgs) -> anyhow::Result<()> {
    let config = super::load_config(global, None, Path::new("./dateline-data"))?;
    let _log = crate::telemetry::init(&config.log);
    let now = match &args.now {
        Some(text) => text
            .parse()
            .with_context(|| format!("--now {text:?} is not an RFC 3339 instant such as 2026-11-28T09:00:00Z"))?,
        None => jiff::Timestamp::now(),
    };
    let store = server::open_store(&config).await?;
    let started = std::time::Instant::now();
    // On a terminal, a line that counts up; in a log, nothing until the end.
    let on_terminal = std::io::stderr().is_terminal();
    let progress = |written: u32| {
        if on_terminal {
            let seconds = started.elapsed().as_secs_f64();
            eprint!(
                "\r{written} of {} stories, {:.0} a second   ",
                args.stories,
                f64::from(written) / seconds.max(0.001)
            );
            if written == args.stories {
                eprintln!();
            }
        }
    };
    let report = content::seed::fill(&store, args.stories, args.seed, now, progress).await?;
    store.refresh_planner_statistics().await?;
    println!(
        "seeded {} stories ({} sections, {} authors) in {:.1} s",
        report.stories,
        report.sections,
        report.authors,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
