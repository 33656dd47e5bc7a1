//! The program's integration tests, one binary: the real `dateline` binary started as users and operators start it, checked by outside tools.
//!
//! One binary per crate keeps build and link time down (docs/TESTING.md).

mod cli;
mod demo_paper;
mod durability;
mod hangul_font;
mod html_checker;
mod image_memory;
mod live_streams;
mod many_servers;
mod narrow_screen;
mod newsletter_sending;
mod newsroom_browser;
mod page_quality;
mod support;
mod watched_folders;
