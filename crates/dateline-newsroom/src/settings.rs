//! Editorial settings: what the newsroom (not the operator) decides about the paper's face —
//! its name, language, time zone, date formats, outbound links and the legal masthead.
//! They live in the database and are edited on the desk; they never come from the config file.

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EditorialSettings {
    pub site_name: String,
    /// The company that owns the paper, shown as "… by …" in the masthead.
    pub owner: String,
    /// BCP 47 language tag for `<html lang>` and feeds.
    pub language: String,
    /// Media id of the logo, when one has been uploaded.
    pub logo_media_id: Option<i64>,
    /// The photo a story without one of its own is shared with (Open Graph, and the image of
    /// its structured data), so that every story can be shared and shown in rich results.
    pub share_image_media_id: Option<i64>,
    /// IANA time zone name in which every time is shown (`Asia/Seoul`).
    pub time_zone: String,
    /// strftime pattern for the date line at the top of every page.
    pub date_line_format: String,
    /// strftime pattern for Published / Updated times.
    pub timestamp_format: String,
    pub links: OutboundLinks,
    pub masthead: Masthead,
}

impl Default for EditorialSettings {
    fn default() -> Self {
        EditorialSettings {
            site_name: "Dateline".into(),
            owner: String::new(),
            language: "en".into(),
            logo_media_id: None,
            share_image_media_id: None,
            time_zone: "UTC".into(),
            date_line_format: "%Y-%m-%d".into(),
            timestamp_format: "%b %d, %Y - %H:%M".into(),
            links: OutboundLinks::default(),
            masthead: Masthead::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("the site name cannot be empty")]
    EmptySiteName,
    #[error("{0:?} is not a time zone name this program knows (for example Asia/Seoul or Europe/Paris)")]
    UnknownTimeZone(String),
    #[error("the language must be a language tag such as en or ko (got {0:?})")]
    BadLanguage(String),
    #[error(
        "{0:?} is not a date format this program can use; use strftime fields such as %Y-%m-%d or %b %d, %Y - %H:%M"
    )]
    BadFormat(String),
    #[error("{0:?} is not a web address; links must start with https://, http://, mailto: or / (a page of this site)")]
    BadLink(String),
}

impl EditorialSettings {
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.site_name.trim().is_empty() {
            return Err(SettingsError::EmptySiteName);
        }
        self.zone()?;
        let lang_ok = !self.language.is_empty()
            && self.language.len() <= 35
            && self.language.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !lang_ok {
            return Err(SettingsError::BadLanguage(self.language.clone()));
        }
        // Links are printed in every page's chrome: only web and mail addresses, never a
        // script (`javascript:`) or a data address.
        for link in [&self.links.podcast_url, &self.links.video_channel_url, &self.links.subscribe_url] {
            let lowered = link.trim().to_ascii_lowercase();
            let on_this_site = lowered.starts_with('/') && !lowered.starts_with("//");
            let web =
                on_this_site || ["https://", "http://", "mailto:"].iter().any(|scheme| lowered.starts_with(scheme));
            if !link.trim().is_empty() && (!web || link.chars().any(char::is_control)) {
                return Err(SettingsError::BadLink(link.clone()));
            }
        }
        let sample = jiff::Timestamp::UNIX_EPOCH.to_zoned(TimeZone::UTC);
        for pattern in [&self.date_line_format, &self.timestamp_format] {
            if pattern.trim().is_empty() || jiff::fmt::strtime::format(pattern.as_str(), &sample).is_err() {
                return Err(SettingsError::BadFormat(pattern.clone()));
            }
        }
        Ok(())
    }

    /// The paper's time zone, in which every instant is shown to readers.
    pub fn zone(&self) -> Result<TimeZone, SettingsError> {
        TimeZone::get(&self.time_zone).map_err(|_| SettingsError::UnknownTimeZone(self.time_zone.clone()))
    }
}

/// The paper's other channels, shown in the footer and the sidebar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutboundLinks {
    pub podcast_url: String,
    pub video_channel_url: String,
    pub subscribe_url: String,
}

/// The legal masthead. A Korean online newspaper must show each of these by law, so every
/// field is free text and may hold any script (`서울 아03711`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Masthead {
    pub copyright_line: String,
    pub postal_address: String,
    pub registration_number: String,
    pub registration_date: String,
    pub publisher: String,
    pub editor: String,
    pub juvenile_protection_manager: String,
    pub telephone: String,
}

/// The editors' choice for the home page: the lead story and the order of the top stories.
/// Stories that are not (or no longer) public are skipped; the newest fill the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HomeCuration {
    pub lead: Option<crate::ids::ArticleId>,
    pub top: Vec<crate::ids::ArticleId>,
    /// The photo an editor chose to show for a story in its place, instead of the story's
    /// own lead photo.
    pub photos: Vec<SlotPhoto>,
}

/// A photo shown for a story on the home page in place of its lead photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotPhoto {
    pub story: crate::ids::ArticleId,
    pub photo: crate::ids::MediaId,
}

impl HomeCuration {
    /// The photo chosen for `story`'s place, if one was.
    pub fn photo_for(&self, story: crate::ids::ArticleId) -> Option<crate::ids::MediaId> {
        self.photos.iter().find(|p| p.story == story).map(|p| p.photo)
    }

    /// The stories this curation asks for, lead first.
    pub fn chosen(&self) -> Vec<crate::ids::ArticleId> {
        self.lead.into_iter().chain(self.top.iter().copied()).collect()
    }

    /// The home page's lead and top stories, `places` in all: the editors' lead when it is
    /// public, then their other choices that are public, then the newest stories, each once.
    /// `public_chosen` are the chosen stories readers can see now (in any order); `newest` the
    /// newest public stories.
    pub fn front_page(
        &self,
        mut public_chosen: Vec<crate::ArticleSummary>,
        newest: Vec<crate::ArticleSummary>,
        places: usize,
    ) -> Vec<crate::ArticleSummary> {
        let mut front: Vec<crate::ArticleSummary> = Vec::new();
        if let Some(at) = self.lead.and_then(|lead| public_chosen.iter().position(|s| s.id == lead)) {
            front.push(public_chosen.remove(at));
        }
        public_chosen.sort_by_key(|s| self.top.iter().position(|id| *id == s.id));
        for story in public_chosen.into_iter().chain(newest) {
            if front.len() >= places {
                break;
            }
            if !front.iter().any(|s| s.id == story.id) {
                front.push(story);
            }
        }
        front
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_settings_are_valid() {
        assert_eq!(EditorialSettings::default().validate(), Ok(()));
    }

    #[test]
    fn a_date_format_that_cannot_be_used_is_refused() {
        let settings = EditorialSettings { timestamp_format: "%Y %!".into(), ..Default::default() };
        assert_eq!(settings.validate(), Err(SettingsError::BadFormat("%Y %!".into())));
    }

    #[test]
    fn an_unknown_time_zone_is_refused_by_name() {
        let settings = EditorialSettings { time_zone: "Mars/Olympus".into(), ..Default::default() };
        assert_eq!(settings.validate(), Err(SettingsError::UnknownTimeZone("Mars/Olympus".into())));
    }

    #[test]
    fn links_are_web_or_mail_addresses_never_scripts() {
        let with = |url: &str| EditorialSettings {
            links: OutboundLinks { podcast_url: url.into(), ..Default::default() },
            ..Default::default()
        };
        for good in [
            "",
            "https://podcasts.example/paper",
            "http://tv.example",
            "mailto:desk@paper.example",
            "/english-eye/podcast/",
        ] {
            assert_eq!(with(good).validate(), Ok(()), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,x",
            "paper.example",
            "//evil.example",
            "https://x\n.example",
        ] {
            assert!(matches!(with(bad).validate(), Err(SettingsError::BadLink(_))), "{bad}");
        }
    }

    fn summary(id: i64) -> crate::ArticleSummary {
        crate::ArticleSummary {
            id: crate::ids::ArticleId(id),
            slug: crate::ids::Slug::parse("story").expect("slug"),
            headline: format!("Story {id}"),
            deck: None,
            section_id: crate::ids::SectionId(1),
            label: None,
            lead_media_id: None,
            bylines: Vec::new(),
            first_published_at: jiff::Timestamp::UNIX_EPOCH,
            last_public_update_at: None,
            excerpt: String::new(),
        }
    }

    #[test]
    fn the_front_page_leads_with_the_editors_choice_then_their_picks_then_the_newest_each_once() {
        let ids = |front: Vec<crate::ArticleSummary>| front.iter().map(|s| s.id.0).collect::<Vec<_>>();
        let curation = HomeCuration {
            lead: Some(crate::ids::ArticleId(7)),
            top: vec![crate::ids::ArticleId(3), crate::ids::ArticleId(5)],
            photos: vec![SlotPhoto { story: crate::ids::ArticleId(3), photo: crate::ids::MediaId(40) }],
        };
        assert_eq!(curation.photo_for(crate::ids::ArticleId(3)), Some(crate::ids::MediaId(40)));
        assert_eq!(curation.photo_for(crate::ids::ArticleId(5)), None, "the story's own photo");
        let newest = || vec![summary(9), summary(7), summary(8), summary(3)];
        assert_eq!(ids(curation.front_page(vec![summary(5), summary(3), summary(7)], newest(), 5)), [7, 3, 5, 9, 8]);
        // A chosen story that is not public (withdrawn, embargoed) gives its place to the newest.
        assert_eq!(ids(curation.front_page(vec![summary(5)], newest(), 4)), [5, 9, 7, 8]);
        assert_eq!(ids(HomeCuration::default().front_page(Vec::new(), newest(), 2)), [9, 7]);
    }
}
