//! The `dateline` binary: the command line, operator configuration, logging, and the wiring
//! that puts the storage, render and web crates together. Demo content and the story
//! generator behind `dateline seed` live here too, in `content/`.

mod archive;
mod archive_checks;
mod cli;
mod config;
mod content;
mod server;
mod telemetry;
mod watched_folders;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc rather than glibc's allocator: an uncached page allocates and frees thousands of
/// small strings and values, and glibc's `malloc`, `free` and their consolidation were a fifth
/// of its time (issue 20's profile); mimalloc's thread-local free lists make them cheap.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("dateline: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One sentence that says what to change; the details are in the chain.
            eprintln!("dateline: {error:#}");
            ExitCode::FAILURE
        }
    }
}
