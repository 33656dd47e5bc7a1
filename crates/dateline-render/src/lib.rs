//! Rendering: the theme (templates embedded in the binary, overridable file by file from a
//! folder), the view models that form the theme contract, and Markdown to sanitized HTML.
//!
//! This crate turns domain values into HTML. It does no I/O beyond reading an override
//! folder's templates, knows nothing of HTTP or SQL, and never reads the clock: callers
//! pass `now`.

pub mod markdown;
pub mod theme;
pub mod time;
pub mod views;

pub use markdown::{place_body_photos, render_markdown};
pub use theme::{Prepared, Theme, ThemeError};
pub use time::PaperClock;
