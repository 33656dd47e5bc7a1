//! Articles: the story itself, its life from draft to publication and beyond, and the
//! revisions that record every save.

use crate::ids::{ArticleId, AuthorId, MediaId, SectionId, Slug, TopicId, UserId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleStatus {
    Draft,
    InReview,
    Scheduled,
    Published,
    Unpublished,
    /// Taken down for legal reasons: the URL answers 410 and the story leaves every list.
    Removed,
}

impl ArticleStatus {
    pub const ALL: [ArticleStatus; 6] = [
        ArticleStatus::Draft,
        ArticleStatus::InReview,
        ArticleStatus::Scheduled,
        ArticleStatus::Published,
        ArticleStatus::Unpublished,
        ArticleStatus::Removed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ArticleStatus::Draft => "draft",
            ArticleStatus::InReview => "in_review",
            ArticleStatus::Scheduled => "scheduled",
            ArticleStatus::Published => "published",
            ArticleStatus::Unpublished => "unpublished",
            ArticleStatus::Removed => "removed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A label shown above the headline that tells readers what kind of piece this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Label {
    Opinion,
    Editorial,
    Analysis,
    Review,
    Interview,
    Obituary,
}

impl Label {
    pub const ALL: [Label; 6] =
        [Label::Opinion, Label::Editorial, Label::Analysis, Label::Review, Label::Interview, Label::Obituary];

    pub fn as_str(self) -> &'static str {
        match self {
            Label::Opinion => "Opinion",
            Label::Editorial => "Editorial",
            Label::Analysis => "Analysis",
            Label::Review => "Review",
            Label::Interview => "Interview",
            Label::Obituary => "Obituary",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str().eq_ignore_ascii_case(text))
    }
}

/// Everything an editor edits on one screen. A revision keeps a copy of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleContent {
    pub slug: Slug,
    pub headline: String,
    pub deck: Option<String>,
    pub section_id: SectionId,
    /// Ordered: the first author is named first.
    pub bylines: Vec<AuthorId>,
    pub label: Option<Label>,
    pub topics: Vec<TopicId>,
    pub lead_media_id: Option<MediaId>,
    /// Markdown source.
    pub body: String,
    pub seo_title: Option<String>,
    pub seo_description: Option<String>,
    /// Where and when the story was filed, as the start of its body reads it ("SEOUL, Nov. 29
    /// (Hanbit News) --"). Revisions kept before datelines existed read as none.
    #[serde(default)]
    pub dateline: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: ArticleId,
    pub content: ArticleContent,
    pub status: ArticleStatus,
    /// Not to be published before this instant, whoever asks.
    pub embargo_until: Option<Timestamp>,
    /// When a scheduled story goes live.
    pub publish_at: Option<Timestamp>,
    pub first_published_at: Option<Timestamp>,
    /// Set only by a public update; readers see it as "Updated".
    pub last_public_update_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub modified_at: Timestamp,
    /// Grows by one with every save, so two editors cannot silently overwrite each other.
    pub version: i64,
    /// The desk user who created the story; reporters and contributors may edit their own.
    pub created_by: Option<UserId>,
    /// Whom the story budget assigns it to: they may edit it as its writer may
    /// ([`crate::planning`]).
    pub assignee: Option<UserId>,
}

impl Article {
    /// Whether `user` wrote the story or has been assigned it: either may work on it as its
    /// writer.
    pub fn is_written_by(&self, user: UserId) -> bool {
        self.created_by == Some(user) || self.assignee == Some(user)
    }
}

impl Article {
    /// Whether a reader may see the story at `now`: published, past any embargo, and with a
    /// publication time that has come.
    pub fn is_public(&self, now: Timestamp) -> bool {
        self.status == ArticleStatus::Published
            && self.embargo_until.is_none_or(|until| until <= now)
            && self.first_published_at.is_some_and(|at| at <= now)
    }
}

/// What lists and fronts need of a story, without its body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub slug: Slug,
    pub headline: String,
    pub deck: Option<String>,
    pub section_id: SectionId,
    pub label: Option<Label>,
    pub lead_media_id: Option<MediaId>,
    pub bylines: Vec<AuthorId>,
    pub first_published_at: Timestamp,
    pub last_public_update_at: Option<Timestamp>,
    /// The opening of the body (Markdown, at most a few hundred characters) for summaries.
    pub excerpt: String,
}

impl ArticleSummary {
    /// When readers last saw it change: the last public update, or the first publication.
    pub fn last_public_change(&self) -> Timestamp {
        self.last_public_update_at.unwrap_or(self.first_published_at)
    }
}

/// A story as it is first stored, with the revision that records who created it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArticle {
    pub content: ArticleContent,
    pub status: ArticleStatus,
    pub embargo_until: Option<Timestamp>,
    pub publish_at: Option<Timestamp>,
    pub first_published_at: Option<Timestamp>,
    pub last_public_update_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub made_by: RevisionAuthor,
}

/// Who made a change: a desk user, or the system acting for someone (the demo loader, a
/// wire feed, the scheduler).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionAuthor {
    pub user_id: Option<UserId>,
    pub name: String,
}

impl RevisionAuthor {
    pub fn system(name: &str) -> Self {
        RevisionAuthor { user_id: None, name: name.to_owned() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionKind {
    Created,
    Saved,
    Published,
    MinorFix,
    PublicUpdate,
    Correction,
    Unpublished,
    Removed,
    Restored,
    /// What the editor screen sent by itself while someone typed: kept in the history, never
    /// written to the story (so never published) until someone saves it.
    Autosave,
}

impl RevisionKind {
    pub const ALL: [RevisionKind; 10] = [
        RevisionKind::Created,
        RevisionKind::Saved,
        RevisionKind::Published,
        RevisionKind::MinorFix,
        RevisionKind::PublicUpdate,
        RevisionKind::Correction,
        RevisionKind::Unpublished,
        RevisionKind::Removed,
        RevisionKind::Restored,
        RevisionKind::Autosave,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RevisionKind::Created => "created",
            RevisionKind::Saved => "saved",
            RevisionKind::Published => "published",
            RevisionKind::MinorFix => "minor_fix",
            RevisionKind::PublicUpdate => "public_update",
            RevisionKind::Correction => "correction",
            RevisionKind::Unpublished => "unpublished",
            RevisionKind::Removed => "removed",
            RevisionKind::Restored => "restored",
            RevisionKind::Autosave => "autosave",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// A change to a stored story, computed by a use case and written by the store in one
/// transaction, only if the story is still at `expected_version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleUpdate {
    pub id: ArticleId,
    pub expected_version: i64,
    pub content: ArticleContent,
    pub status: ArticleStatus,
    pub embargo_until: Option<Timestamp>,
    pub publish_at: Option<Timestamp>,
    pub first_published_at: Option<Timestamp>,
    pub last_public_update_at: Option<Timestamp>,
    pub modified_at: Timestamp,
    pub revision_kind: RevisionKind,
    pub made_by: RevisionAuthor,
    pub note: Option<String>,
    /// A correction to publish with this change, shown to readers at the end of the story.
    pub correction: Option<String>,
    /// Where readers saw the story when it was loaded for this update (its lists), so that
    /// the change the write announces is known without reading the story again. The version
    /// check guarantees nothing came between.
    pub shown_before: Option<crate::changes::Placement>,
}

impl ArticleUpdate {
    /// An update that keeps everything of `article` as it is, for a use case to change.
    pub fn of(article: &Article, kind: RevisionKind, by: RevisionAuthor, now: Timestamp) -> Self {
        ArticleUpdate {
            id: article.id,
            expected_version: article.version,
            content: article.content.clone(),
            status: article.status,
            embargo_until: article.embargo_until,
            publish_at: article.publish_at,
            first_published_at: article.first_published_at,
            last_public_update_at: article.last_public_update_at,
            modified_at: now,
            revision_kind: kind,
            made_by: by,
            note: None,
            correction: None,
            shown_before: crate::changes::Placement::of(article, now),
        }
    }
}

/// A correction as readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub article_id: ArticleId,
    pub text: String,
    pub published_at: Timestamp,
}

/// A story as its reader page reads it: the story, and which of the parts kept beside it the
/// story has. The store finds both in one round trip, so an ordinary story's page asks the
/// database once and a part a story lacks costs nothing (issue 20: six queries a page, each a
/// hand-off to the database's thread and back, were most of an uncached page's time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryForReaders {
    pub article: Article,
    pub has: StoryHas,
}

/// Which of the parts kept beside a story it has. A caller that has not asked the store says
/// [`StoryHas::UNKNOWN`], and each part is then looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryHas {
    pub corrections: bool,
    pub video: bool,
    pub live_coverage: bool,
    pub podcast_episode: bool,
}

impl StoryHas {
    /// Not known: every part may be there, so each is looked for.
    pub const UNKNOWN: StoryHas =
        StoryHas { corrections: true, video: true, live_coverage: true, podcast_episode: true };
}

/// A story as the desk lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeskStory {
    pub id: ArticleId,
    pub headline: String,
    pub status: ArticleStatus,
    pub section_id: SectionId,
    pub publish_at: Option<Timestamp>,
    pub first_published_at: Option<Timestamp>,
    pub modified_at: Timestamp,
    pub created_by: Option<UserId>,
    /// Whom the story budget assigns it to.
    pub assignee: Option<UserId>,
    pub version: i64,
    /// Its bylines, in order.
    pub bylines: Vec<AuthorId>,
    /// Who made its last change (an autosave is not one).
    pub last_changed_by: String,
}

/// One save of a story: who, when, what kind of change, and the full content as it then was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub article_id: ArticleId,
    pub number: i64,
    pub kind: RevisionKind,
    pub made_by: RevisionAuthor,
    pub made_at: Timestamp,
    pub note: Option<String>,
    pub content: ArticleContent,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(status: ArticleStatus, published: Option<i64>, embargo: Option<i64>) -> Article {
        Article {
            id: ArticleId(1),
            content: ArticleContent {
                slug: Slug::parse("a").expect("slug"),
                headline: "A".into(),
                deck: None,
                section_id: SectionId(1),
                bylines: vec![],
                label: None,
                topics: vec![],
                lead_media_id: None,
                body: String::new(),
                seo_title: None,
                seo_description: None,
                dateline: None,
            },
            status,
            embargo_until: embargo.map(|s| Timestamp::from_second(s).expect("ts")),
            publish_at: None,
            first_published_at: published.map(|s| Timestamp::from_second(s).expect("ts")),
            last_public_update_at: None,
            created_at: Timestamp::UNIX_EPOCH,
            modified_at: Timestamp::UNIX_EPOCH,
            version: 1,
            created_by: None,
            assignee: None,
        }
    }

    #[test]
    fn only_a_published_story_past_its_embargo_is_public() {
        let now = Timestamp::from_second(1_000).expect("ts");
        assert!(article(ArticleStatus::Published, Some(10), None).is_public(now));
        assert!(!article(ArticleStatus::Published, Some(10), Some(2_000)).is_public(now));
        assert!(!article(ArticleStatus::Published, Some(2_000), None).is_public(now));
        for hidden in [
            ArticleStatus::Draft,
            ArticleStatus::InReview,
            ArticleStatus::Scheduled,
            ArticleStatus::Unpublished,
            ArticleStatus::Removed,
        ] {
            assert!(!article(hidden, Some(10), None).is_public(now), "{hidden:?}");
        }
    }

    #[test]
    fn statuses_and_labels_read_back_what_they_write() {
        for status in ArticleStatus::ALL {
            assert_eq!(ArticleStatus::parse(status.as_str()), Some(status));
        }
        for label in Label::ALL {
            assert_eq!(Label::parse(label.as_str()), Some(label));
        }
        for kind in RevisionKind::ALL {
            assert_eq!(RevisionKind::parse(kind.as_str()), Some(kind));
        }
    }
}
