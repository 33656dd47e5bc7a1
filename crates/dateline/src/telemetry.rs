//! Logging: structured `tracing` events to standard error, as text or JSON. Standard output
//! is kept for what the program says to its caller (`listening on …`).
//!
//! Lines are handed to a writer thread, so a request never waits on the terminal or the log
//! file (an access-log line per request would otherwise cost a system call on the request's
//! own thread). Keep the returned guard for as long as the program runs: dropping it writes
//! out what is still queued.

use crate::config::{LogConfig, LogFormat};
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;

pub fn init(config: &LogConfig) -> Option<WorkerGuard> {
    let filter = EnvFilter::try_new(&config.level).unwrap_or_else(|_| EnvFilter::new("info"));
    // Under a flood of requests, the queue holds this many lines before new ones are dropped
    // (and counted) rather than slowing readers down.
    let (writer, guard) = NonBlockingBuilder::default().buffered_lines_limit(64 * 1024).finish(std::io::stderr());
    // Colours only for a person at a terminal, never into a log file.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(writer);
    // A second init (in tests that run several commands) is harmless: its guard is dropped.
    let installed = match config.format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
    installed.ok().map(|()| guard)
}
