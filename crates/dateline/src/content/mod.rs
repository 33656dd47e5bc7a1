//! Content the program makes itself: the demo paper (`dateline demo`), the pictures it
//! draws for it, and the deterministic story generator behind `dateline seed`.

pub mod demo;
mod images;
mod sections;
pub mod seed;
