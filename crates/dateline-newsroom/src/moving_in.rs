//! Moving in: the newsroom's rules for an archive brought over from another system (WordPress
//! today), whatever reads the export (`dateline-import`).
//!
//! - Every moved-in item remembers the addresses it had, and the paper answers each with a 301
//!   to where the item lives now ([`LegacyTarget`]). Old addresses are consulted only when
//!   Dateline itself has nothing at an address, so they can never shadow its own pages; an old
//!   address that falls on one of Dateline's own ([`is_datelines_own`]) is not recorded.
//! - An address is kept in one normal form ([`normal_path`]): its path without the trailing
//!   slash, and of the query only what WordPress addressed posts by (`?p=`, `?page_id=`,
//!   `?cat=`, `?tag=`, `?author=`).
//! - Each item is keyed by its old system's own key ([`ImportedItem`]): a second run of the
//!   same export changes nothing, and a later export updates only what changed there, never
//!   over an edit the desk has made since ([`verdict`]).

use crate::store::StoreResult;
use std::future::Future;

/// What an old address leads to now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegacyTarget {
    Story(i64),
    Page(i64),
    Section(i64),
    Topic(i64),
    Author(i64),
    /// The whole paper's feed.
    Feed,
    SectionFeed(i64),
}

impl LegacyTarget {
    pub fn kind(self) -> &'static str {
        match self {
            LegacyTarget::Story(_) => "story",
            LegacyTarget::Page(_) => "page",
            LegacyTarget::Section(_) => "section",
            LegacyTarget::Topic(_) => "topic",
            LegacyTarget::Author(_) => "author",
            LegacyTarget::Feed => "feed",
            LegacyTarget::SectionFeed(_) => "section_feed",
        }
    }

    pub fn id(self) -> Option<i64> {
        match self {
            LegacyTarget::Story(id)
            | LegacyTarget::Page(id)
            | LegacyTarget::Section(id)
            | LegacyTarget::Topic(id)
            | LegacyTarget::Author(id)
            | LegacyTarget::SectionFeed(id) => Some(id),
            LegacyTarget::Feed => None,
        }
    }

    pub fn from_parts(kind: &str, id: Option<i64>) -> Option<Self> {
        Some(match (kind, id) {
            ("story", Some(id)) => LegacyTarget::Story(id),
            ("page", Some(id)) => LegacyTarget::Page(id),
            ("section", Some(id)) => LegacyTarget::Section(id),
            ("topic", Some(id)) => LegacyTarget::Topic(id),
            ("author", Some(id)) => LegacyTarget::Author(id),
            ("feed", _) => LegacyTarget::Feed,
            ("section_feed", Some(id)) => LegacyTarget::SectionFeed(id),
            _ => return None,
        })
    }
}

/// The query parameters WordPress addressed items by; every other one is dropped.
const ADDRESSING_PARAMETERS: [&str; 5] = ["p", "page_id", "cat", "tag", "author"];

/// An address (absolute, or a path with its query) in the one form old addresses are kept and
/// looked up in: `/2019/05/01/budget-vote`, `/?p=123`. `None` for what cannot be an address
/// of the old site (another scheme, an empty path with no addressing query).
pub fn normal_path(address: &str) -> Option<String> {
    let address = address.trim();
    let rest = match address.find("://") {
        Some(at) => {
            let scheme = &address[..at];
            if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
                return None;
            }
            let after = &address[at + 3..];
            match after.find(['/', '?']) {
                Some(slash) => &after[slash..],
                None => "/",
            }
        }
        None if address.starts_with('/') || address.starts_with('?') => address,
        None => return None,
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut path = path.trim_end_matches('/').to_owned();
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if path.chars().any(|c| c.is_control() || c.is_whitespace()) || path.len() > 1_000 {
        return None;
    }
    let kept: Vec<String> = form_urlencoded::parse(query.as_bytes())
        .filter(|(key, value)| ADDRESSING_PARAMETERS.contains(&key.as_ref()) && !value.is_empty())
        .map(|(key, value)| format!("{key}={}", form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()))
        .collect();
    if kept.is_empty() {
        Some(path)
    } else {
        Some(format!("{path}?{}", kept.join("&")))
    }
}

/// Dateline's addresses that always answer something of their own (the desk, the API, files,
/// search, the machine-readable lists), so an old address there could never be reached.
const ALWAYS_ANSWERED: [&str; 12] = [
    "desk",
    "api",
    "static",
    "media",
    "_v",
    "healthz",
    "metrics",
    "sitemaps",
    "sitemap.xml",
    "robots.txt",
    "search",
    "topics",
];

/// Whether an address is one Dateline always answers itself: old addresses there are not
/// recorded. Others (`/author/…`, `/feed`) may be: they are consulted only when Dateline has
/// nothing at the address, so one of its own pages always wins.
pub fn is_datelines_own(path: &str) -> bool {
    let first = path.trim_start_matches('/').split(['/', '?']).next().unwrap_or_default();
    path == "/" || ALWAYS_ANSWERED.contains(&first)
}

/// What a moved-in item became, and digests of what it was and what Dateline wrote from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedItem {
    pub target_id: i64,
    pub source_digest: String,
    pub written_digest: String,
}

/// What a later run does with an item it has seen before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Never seen: import it.
    New,
    /// The export has it as it was: nothing to do.
    Unchanged,
    /// Changed in the export, untouched on the desk: update it.
    Update,
    /// Changed in the export, but edited on the desk since: keep the desk's edit and say so.
    KeepDeskEdit,
}

/// The verdict for an item: `seen` is what an earlier run recorded, `source_digest` the item in
/// this export, `current_digest` what the paper holds now (digested as it was when written).
pub fn verdict(seen: Option<&ImportedItem>, source_digest: &str, current_digest: Option<&str>) -> Verdict {
    match seen {
        None => Verdict::New,
        Some(seen) if seen.source_digest == source_digest => Verdict::Unchanged,
        Some(seen) if current_digest.is_some_and(|now| now != seen.written_digest) => Verdict::KeepDeskEdit,
        Some(_) => Verdict::Update,
    }
}

/// Where the reader site looks an old address up.
pub trait LegacyPathStore {
    fn legacy_target(&self, path: &str) -> impl Future<Output = StoreResult<Option<LegacyTarget>>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::section::RESERVED_SECTION_SLUGS;

    #[test]
    fn old_addresses_are_kept_in_one_form() {
        for (given, kept) in [
            ("https://old.example/2019/05/01/budget-vote/", Some("/2019/05/01/budget-vote")),
            ("http://old.example/2019/05/budget-vote", Some("/2019/05/budget-vote")),
            ("https://old.example/?p=123", Some("/?p=123")),
            ("https://old.example/?p=123&utm_source=x", Some("/?p=123")),
            ("https://old.example/category/world/asia/?utm=1#top", Some("/category/world/asia")),
            ("/tag/typhoons/", Some("/tag/typhoons")),
            ("https://old.example", Some("/")),
            ("https://old.example/news/?page_id=7", Some("/news?page_id=7")),
            ("mailto:desk@old.example", None),
            ("budget-vote", None),
            ("https://old.example/a b", None),
        ] {
            assert_eq!(normal_path(given).as_deref(), kept, "{given}");
        }
    }

    #[test]
    fn datelines_own_addresses_are_never_taken_by_old_ones() {
        for own in ["/", "/desk", "/api/v1/stories", "/search", "/media/a.jpg", "/static/x.css", "/sitemap.xml"] {
            assert!(is_datelines_own(own), "{own}");
        }
        assert!(ALWAYS_ANSWERED.iter().all(|own| RESERVED_SECTION_SLUGS.contains(own)), "no section takes them either");
        // Consulted only where Dateline has nothing: its own pages there still win.
        for old in
            ["/2019/05/01/budget-vote", "/category/world", "/tag/typhoons", "/?p=12", "/news", "/feed", "/author/mara"]
        {
            assert!(!is_datelines_own(old), "{old}");
        }
    }

    #[test]
    fn a_later_export_updates_only_what_changed_and_never_over_the_desk() {
        let seen = ImportedItem { target_id: 1, source_digest: "a".into(), written_digest: "w".into() };
        assert_eq!(verdict(None, "a", None), Verdict::New);
        assert_eq!(verdict(Some(&seen), "a", Some("w")), Verdict::Unchanged);
        assert_eq!(verdict(Some(&seen), "b", Some("w")), Verdict::Update);
        assert_eq!(verdict(Some(&seen), "b", Some("edited")), Verdict::KeepDeskEdit);
        assert_eq!(
            verdict(Some(&seen), "a", Some("edited")),
            Verdict::Unchanged,
            "an unchanged export leaves the edit"
        );
    }
}
