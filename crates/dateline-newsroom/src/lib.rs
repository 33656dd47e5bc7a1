//! The newsroom's domain: what a newspaper is made of and the rules it follows.
//!
//! This crate owns the content model (sections, authors, articles with their bylines and
//! revisions, media, static pages, editorial settings) and the `Store` traits through which
//! the rest of the program reads and writes it. It knows nothing of HTTP, SQL or templates:
//! the storage crate implements the traits, the web crate calls them. Domain code never
//! reads the clock; callers pass `now`.

pub mod accounts;
pub mod article;
pub mod author;
pub mod body;
pub mod catalog;
pub mod changes;
pub mod editing;
pub mod ids;
pub mod live;
pub mod media;
pub mod moving_in;
pub mod newsletters;
pub mod page;
pub mod planning;
pub mod podcasts;
pub mod search;
pub mod section;
pub mod settings;
pub mod spelling;
pub mod store;
pub mod syndication;
pub mod text;
pub mod timed_text;
pub mod topic;
pub mod video;
pub mod webhooks;
pub mod wire;

pub use accounts::{Action, ApiKey, NewUser, Role, Session, User};
pub use article::{
    Article, ArticleContent, ArticleStatus, ArticleSummary, ArticleUpdate, Correction, DeskStory, Label, NewArticle,
    Revision, RevisionAuthor, RevisionKind, StoryForReaders, StoryHas,
};
pub use author::{Author, AuthorKind, NewAuthor};
pub use changes::{Change, Placement};
pub use ids::{ArticleId, AuthorId, MediaId, PageId, SectionId, Slug, SlugError, TopicId, UserId, WireSourceId};
pub use media::{FocalPoint, Media, MediaDetails, NewMedia};
pub use page::{NewPage, StaticPage};
pub use section::{
    change_section, create_section, CreateSectionError, NewSection, Section, SectionChange, SectionError, SectionTree,
    RESERVED_SECTION_SLUGS,
};
pub use settings::{EditorialSettings, HomeCuration, Masthead, OutboundLinks, SettingsError, SlotPhoto};
pub use store::{
    ApiKeyStore, ArticleStore, AuthorStore, DeskCounts, HourlyViews, Listing, MediaStore, PageStore, PublishedMonth,
    SearchStore, SectionStore, SessionStore, SettingsStore, Store, StoreError, StoreResult, StoryCursor, StoryFilter,
    TopicStore, UserStore, Window,
};
pub use topic::{NewTopic, Topic};

/// The store traits, for `use dateline_newsroom::prelude::*` where a concrete store's methods
/// are called.
pub mod prelude {
    pub use crate::live::LiveStore;
    pub use crate::moving_in::LegacyPathStore;
    pub use crate::newsletters::NewsletterStore;
    pub use crate::planning::PlanStore;
    pub use crate::podcasts::PodcastStore;
    pub use crate::store::{
        ApiKeyStore, ArticleStore, AuthorStore, MediaStore, PageStore, SearchStore, SectionStore, SessionStore,
        SettingsStore, Store, TopicStore, UserStore,
    };
    pub use crate::syndication::PartnerStore;
    pub use crate::video::VideoStore;
    pub use crate::webhooks::WebhookStore;
    pub use crate::wire::WireStore;
}
