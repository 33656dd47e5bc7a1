//! The command line: global flags shared by every subcommand, and one file per subcommand.

mod api_key;
mod backup;
mod demo;
mod export;
mod import;
mod import_ghost;
mod import_wordpress;
mod migrate;
mod partner;
mod seed;
mod serve;
mod user;
mod webhook;
mod wire;

use crate::config::{Config, Overrides};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};

/// Dateline: the newsroom and the reader site of an online newspaper, in one program.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Read operator settings from this TOML file (see dateline.example.toml).
    #[arg(long, global = true, env = "DATELINE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder for the SQLite database and local media.
    #[arg(long, global = true, env = "DATELINE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database to use: sqlite:PATH or postgres://USER@HOST/DATABASE.
    #[arg(long, global = true, env = "DATELINE_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the paper: the reader site and the newsroom desk.
    Serve(serve::ServeArgs),
    /// Serve a paper filled with demo content, in ./dateline-demo unless --data-dir says otherwise.
    Demo(demo::DemoArgs),
    /// Bring the database schema up to date, then exit (a release step on PostgreSQL).
    Migrate(migrate::MigrateArgs),
    /// Fill the database with generated stories, the same ones for the same seed (for tests and benchmarks).
    Seed(seed::SeedArgs),
    /// Manage desk users: add one, or reset a password.
    User(user::UserArgs),
    /// Copy the live SQLite database to FILE, consistently, while the paper keeps running.
    Backup(backup::BackupArgs),
    /// Write the whole paper (rows and media files) to FILE, a versioned JSON Lines archive.
    Export(export::ExportArgs),
    /// Read an archive written by `dateline export` into an empty database of either kind.
    Import(import::ImportArgs),
    /// Set up agency wire sources (NinJS or NewsML-G2 over HTTP or from a watched folder).
    Wire(wire::WireArgs),
    /// Make, list and revoke keys for the write API.
    ApiKey(api_key::ApiKeyArgs),
    /// Register and list webhook endpoints (signed as Standard Webhooks says).
    Webhook(webhook::WebhookArgs),
    /// Set up, list and end syndication partners.
    Partner(partner::PartnerArgs),
    /// Move a WordPress paper in: its export's stories, pages, sections, authors, photos and
    /// every old address (docs/MOVING-IN.md).
    ImportWordpress(import_wordpress::ImportWordPressArgs),
    /// Move a Ghost paper in: its export's posts, pages, tags, authors, photos and every old
    /// address (docs/MOVING-IN.md).
    ImportGhost(import_ghost::ImportGhostArgs),
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.global, args).await,
        Command::Demo(args) => demo::run(&cli.global, args).await,
        Command::Migrate(args) => migrate::run(&cli.global, args).await,
        Command::Seed(args) => seed::run(&cli.global, args).await,
        Command::User(args) => user::run(&cli.global, args).await,
        Command::Backup(args) => backup::run(&cli.global, args).await,
        Command::Export(args) => export::run(&cli.global, args).await,
        Command::Import(args) => import::run(&cli.global, args).await,
        Command::Wire(args) => wire::run(&cli.global, args).await,
        Command::ApiKey(args) => api_key::run(&cli.global, args).await,
        Command::Webhook(args) => webhook::run(&cli.global, args).await,
        Command::Partner(args) => partner::run(&cli.global, args).await,
        Command::ImportWordpress(args) => import_wordpress::run(&cli.global, args).await,
        Command::ImportGhost(args) => import_ghost::run(&cli.global, args).await,
    }
}

/// The process environment, read here and nowhere else in the program.
fn environment() -> Vec<(String, String)> {
    std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| k.starts_with("DATELINE_"))
        .collect()
}

/// Loads the configuration for a subcommand whose data folder defaults to `default_data_dir`.
pub(crate) fn load_config(
    global: &GlobalArgs,
    listen: Option<String>,
    default_data_dir: &Path,
) -> anyhow::Result<Config> {
    let overrides = Overrides {
        config_file: global.config.clone(),
        data_dir: global.data_dir.clone(),
        database_url: global.database_url.clone(),
        listen,
    };
    Ok(Config::load(&overrides, &environment(), default_data_dir)?)
}

/// A count on one line of the terminal, for commands that run a long time; quiet when the
/// output goes to a file or another program.
pub(crate) struct Progress {
    verb: &'static str,
    shown: bool,
    on_terminal: bool,
    last: std::time::Instant,
}

impl Progress {
    pub(crate) fn new(verb: &'static str) -> Self {
        use std::io::IsTerminal;
        Progress { verb, shown: false, on_terminal: std::io::stderr().is_terminal(), last: std::time::Instant::now() }
    }

    pub(crate) fn tick(&mut self, count: u64, what: &str) {
        if self.on_terminal && self.last.elapsed() >= std::time::Duration::from_millis(200) {
            self.last = std::time::Instant::now();
            self.shown = true;
            eprint!("\r\x1b[K{} {count} ({what})", self.verb);
        }
    }

    pub(crate) fn done(&mut self) {
        if self.shown {
            eprint!("\r\x1b[K");
            self.shown = false;
        }
    }
}
