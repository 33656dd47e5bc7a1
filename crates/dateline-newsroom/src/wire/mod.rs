//! Wire copy: what an agency's item says, in the newsroom's words, whichever standard it came
//! in (the `dateline-ingest` crate reads IPTC NinJS and NewsML-G2 into a [`WireCopy`]), and
//! the rules an agency's versions follow.
//!
//! - this file: the copy itself, and which of two versions is newer;
//! - [`sources`]: the agency feeds a paper takes in, and setting one up;
//! - [`records`]: what the paper keeps of each item, and the store it keeps it in;
//! - [`datelines`]: the dateline a source's rule shapes for its stories;
//! - [`arrival`]: what a new version, an embargo or a kill does to the story, and an editor's
//!   decision on an agency update the desk's changes held back.

mod arrival;
pub mod datelines;
mod records;
mod sources;

pub use arrival::{
    agency_hold, already_has, content_digest, decide_pending, receive, story_content, AgencyHold, PendingDecision,
    Receipt,
};
pub use records::{StoryWrite, WireArrival, WireItem, WireQueueEntry, WireRefusal, WireStore, REFUSALS_KEPT_DAYS};
pub use sources::{check_folder_name, set_up_source, NewWireSource, SourceSetUp, WireSource};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What the agency says of the item's use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireStatus {
    /// May be published.
    Usable,
    /// Withdrawn for now (NinJS `withheld`, NewsML-G2 `stat:withheld`): must come down.
    Withheld,
    /// Killed (NinJS `canceled`, NewsML-G2 `stat:canceled`): must come down.
    Canceled,
}

impl WireStatus {
    pub fn is_kill(self) -> bool {
        matches!(self, WireStatus::Withheld | WireStatus::Canceled)
    }
}

/// Whether the item is a story or a photo on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireKind {
    Text,
    Picture,
}

/// Where a photo's bytes are: a part of the same delivery (a multipart part or a file beside
/// the item, by name), or a remote address to fetch from an allowed host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WirePhoto {
    /// The rendition's reference as the item gives it (`href`, `residref` or file name).
    pub reference: String,
    pub caption: String,
    pub credit: String,
    pub photographer: String,
    pub mime_type: Option<String>,
}

/// One version of one agency item, mapped onto the story model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WireCopy {
    /// The agency's identifier, the same for every version of the item.
    pub guid: String,
    /// The agency's version number; 0 where it gives none (then `version_created` orders).
    pub version: i64,
    pub version_created: Option<Timestamp>,
    pub status: WireStatus,
    pub kind: WireKind,
    /// Not to be published before this instant.
    pub embargo_until: Option<Timestamp>,
    pub headline: String,
    pub deck: Option<String>,
    /// Markdown, made from the agency's HTML, XHTML or text.
    pub body: String,
    /// Named reporters, in order, as the byline gives them.
    pub byline_names: Vec<String>,
    /// Where the story was filed ("SEOUL"), if the item says.
    #[serde(alias = "dateline")]
    pub located: Option<String>,
    /// The dateline as the agency wrote it ("SEOUL, Nov. 29"), when it gave one whole
    /// (NITF's `dateline`, NewsML-G2's `dateline`).
    #[serde(default)]
    pub written_dateline: Option<String>,
    /// Subjects and keywords, as names: they become topics.
    pub subjects: Vec<String>,
    /// The lead photo first.
    pub photos: Vec<WirePhoto>,
    /// What reading the item left out or changed that the desk should know (markup that is
    /// not HTML kept as text, say).
    #[serde(default)]
    pub notes: Vec<String>,
}

impl WireCopy {
    /// The order of an item's versions: the version number, then the time it was made.
    pub fn version_key(&self) -> (i64, Option<Timestamp>) {
        (self.version, self.version_created)
    }
}

/// A version weighed against the last one the paper took of the same item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionVerdict {
    /// First time the paper sees this guid.
    New,
    /// Later than the last taken.
    Newer,
    /// The same version again, or an older one: nothing changes.
    Stale,
}

pub fn weigh_version(
    last_taken: Option<(i64, Option<Timestamp>)>,
    incoming: (i64, Option<Timestamp>),
) -> VersionVerdict {
    match last_taken {
        None => VersionVerdict::New,
        Some(last) if incoming > last => VersionVerdict::Newer,
        Some(_) => VersionVerdict::Stale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_counts_as_newer_only_when_it_is() {
        let at = |s: &str| Some(s.parse::<Timestamp>().expect("instant"));
        assert_eq!(weigh_version(None, (1, None)), VersionVerdict::New);
        assert_eq!(weigh_version(Some((1, None)), (2, None)), VersionVerdict::Newer);
        assert_eq!(weigh_version(Some((2, None)), (2, None)), VersionVerdict::Stale);
        assert_eq!(weigh_version(Some((3, None)), (2, None)), VersionVerdict::Stale);
        // Without numbers, the time each version was made decides.
        let (early, late) = (at("2026-11-28T01:00:00Z"), at("2026-11-28T02:00:00Z"));
        assert_eq!(weigh_version(Some((0, early)), (0, late)), VersionVerdict::Newer);
        assert_eq!(weigh_version(Some((0, late)), (0, early)), VersionVerdict::Stale);
    }
}
