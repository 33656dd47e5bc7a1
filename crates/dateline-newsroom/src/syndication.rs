//! Syndication: partners (other papers, aggregators, a group's sister titles) who take the
//! paper's stories, as papers have always exchanged copy.
//!
//! A partner takes some sections (each with its subsections) or topics, or the whole paper;
//! pulls its feed with a token of its own (`/api/v1/syndication/{partner}`), and may also be
//! pushed every change through a webhook endpoint tied to it, in NinJS 2.2 or NewsML-G2. What
//! a partner is offered of a story is decided here, once, for the pull and the push alike
//! ([`Partner::offer`]): the copy while it is public; before its release only to a partner
//! allowed embargoed copy, with the embargo in the item; a withhold notice when the paper
//! unpublishes it and a kill notice when it is removed for legal reasons. Photos travel only
//! when the desk has marked them as cleared for others to republish (`Media::redistributable`).
//!
//! The pull feed runs in the order stories changed, with a cursor a partner keeps. A partner
//! without embargoed copy reads it in `offered_at` order (the later of the change and the
//! release), so a story whose embargo lifts after its last save still reaches it when it lifts.

use crate::accounts::{Action, User};
use crate::article::{Article, ArticleStatus};
use crate::catalog::CatalogError;
use crate::ids::{ArticleId, SectionId, Slug, TopicId};
use crate::section::SectionTree;
use crate::store::{Store, StoreError, StoreResult};
use jiff::Timestamp;
use std::future::Future;

/// What a partner's pushes carry; a pull asks for either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartnerFormat {
    /// IPTC NinJS 2.2 (JSON).
    NinJs,
    /// IPTC NewsML-G2 news items (XML).
    NewsMlG2,
}

impl PartnerFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            PartnerFormat::NinJs => "ninjs-2.2",
            PartnerFormat::NewsMlG2 => "newsml-g2",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ninjs" | "ninjs-2.2" => Some(PartnerFormat::NinJs),
            "newsml" | "newsml-g2" => Some(PartnerFormat::NewsMlG2),
            _ => None,
        }
    }
}

/// A partner the paper syndicates to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub id: i64,
    /// In the pull address: `/api/v1/syndication/{slug}`.
    pub slug: Slug,
    pub name: String,
    /// SHA-256 of the pull token (hex).
    pub token_digest: String,
    /// The sections it takes, each with its subsections; none (and no topics) is everything.
    pub sections: Vec<SectionId>,
    pub topics: Vec<TopicId>,
    /// Whether it may receive copy before its release, with the embargo time in the item.
    pub embargoed_copy: bool,
    pub format: PartnerFormat,
    /// Where its pushes go, when it takes pushes.
    pub push_url: Option<String>,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// What a partner is offered of one story at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// The story itself; `embargoed_until` set when it is not yet released.
    Copy { embargoed_until: Option<Timestamp> },
    /// Unpublished by the paper: the partner must take it down (NinJS `withheld`).
    Withhold,
    /// Removed for legal reasons: the partner must take it down and not use it again
    /// (NinJS `canceled`, a kill).
    Kill,
    /// Nothing: not the partner's sections or topics, not yet released, or never was.
    Nothing,
}

impl Partner {
    /// Whether the story is in the sections (with their subsections) or topics the partner
    /// takes.
    pub fn takes(&self, article: &Article, tree: &SectionTree) -> bool {
        if self.sections.is_empty() && self.topics.is_empty() {
            return true;
        }
        let in_section = tree.trail(article.content.section_id).iter().any(|s| self.sections.contains(&s.id));
        in_section || article.content.topics.iter().any(|t| self.topics.contains(t))
    }

    /// What this partner is offered of `article` at `now`.
    pub fn offer(&self, article: &Article, tree: &SectionTree, now: Timestamp) -> Offer {
        if !self.takes(article, tree) {
            return Offer::Nothing;
        }
        // A notice about a story the partner can never have had would only tell it that the
        // story existed.
        let partner_may_hold_it = article.first_published_at.is_some() || self.embargoed_copy;
        match article.status {
            ArticleStatus::Removed if partner_may_hold_it => Offer::Kill,
            ArticleStatus::Unpublished if partner_may_hold_it => Offer::Withhold,
            ArticleStatus::Published | ArticleStatus::Scheduled if article.is_public(now) => {
                Offer::Copy { embargoed_until: None }
            }
            ArticleStatus::Published | ArticleStatus::Scheduled if self.embargoed_copy => {
                let release = [
                    article.embargo_until,
                    article.publish_at.filter(|_| article.status == ArticleStatus::Scheduled),
                    article.first_published_at,
                ]
                .into_iter()
                .flatten()
                .max();
                match release {
                    Some(at) if at > now => Offer::Copy { embargoed_until: Some(at) },
                    _ => Offer::Nothing,
                }
            }
            _ => Offer::Nothing,
        }
    }
}

/// Where a partner's pull feed stopped: the instant of the last story it was shown (in the
/// feed's order) and that story's id, written `MICROSECONDS-ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedCursor {
    pub at: Timestamp,
    pub id: ArticleId,
}

impl FeedCursor {
    pub fn encode(&self) -> String {
        format!("{}-{}", self.at.as_microsecond(), self.id.0)
    }

    pub fn decode(text: &str) -> Option<FeedCursor> {
        let (at, id) = text.split_once('-')?;
        if at.len() > 17 || id.len() > 18 {
            return None;
        }
        let at = Timestamp::from_microsecond(at.parse().ok()?).ok()?;
        let id = id.parse::<i64>().ok().filter(|id| *id >= 0)?;
        Some(FeedCursor { at, id: ArticleId(id) })
    }
}

/// Which order a pull feed reads stories in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedOrder {
    /// As they were saved: for a partner allowed embargoed copy.
    Changed,
    /// As they became offerable to everyone (the later of the save and the release).
    Offered,
}

pub struct NewPartner {
    pub slug: Slug,
    pub name: String,
    pub token_digest: String,
    pub sections: Vec<SectionId>,
    pub topics: Vec<TopicId>,
    pub embargoed_copy: bool,
    pub format: PartnerFormat,
}

/// A partner's push endpoint, registered with it as a webhook endpoint of every event.
pub struct PartnerPush {
    pub url: String,
    /// Sent as `Authorization: Bearer …` (what a Dateline wire source, and most ingest
    /// services, expect).
    pub bearer_token: Option<String>,
    pub secret: String,
}

pub trait PartnerStore {
    /// Stores the partner and, when it takes pushes, its endpoint, in one transaction.
    fn insert_partner(
        &self,
        new: &NewPartner,
        push: Option<&PartnerPush>,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Partner>> + Send;
    fn partners(&self) -> impl Future<Output = StoreResult<Vec<Partner>>> + Send;
    fn partner_by_slug(&self, slug: &str) -> impl Future<Output = StoreResult<Partner>> + Send;
    fn partner_by_id(&self, id: i64) -> impl Future<Output = StoreResult<Partner>> + Send;
    /// Ends a partnership: its token stops working and its endpoint is disabled.
    fn revoke_partner(&self, id: i64, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;
    /// Stories that may concern a partner (every status but draft and in review), after
    /// `after` in `order`, up to `until`: their ids and their place in the order.
    fn syndication_changes(
        &self,
        order: FeedOrder,
        after: Option<FeedCursor>,
        until: Timestamp,
        limit: u32,
    ) -> impl Future<Output = StoreResult<Vec<FeedCursor>>> + Send;
}

/// A new partner as the desk or the command line describes it.
#[derive(Debug, Clone, Default)]
pub struct PartnerFields {
    pub slug: String,
    pub name: String,
    /// Section paths (`world`, `world/asia`).
    pub sections: Vec<String>,
    /// Topic slugs.
    pub topics: Vec<String>,
    pub embargoed_copy: bool,
    /// `ninjs-2.2` (the default) or `newsml-g2`.
    pub format: String,
    /// Where to push, if anywhere.
    pub push_url: String,
    /// The token the partner's ingest expects, if any.
    pub push_token: String,
}

fn invalid(field: &'static str, problem: impl Into<String>) -> CatalogError {
    CatalogError::Invalid { field, problem: problem.into() }
}

/// Sets up a partner: an admin on the desk, or the operator (`None`) at the command line.
/// Returns it with its pull token, which is not kept anywhere.
pub async fn add_partner(
    store: &impl Store,
    actor: Option<&User>,
    fields: &PartnerFields,
    now: Timestamp,
) -> Result<(Partner, String), CatalogError> {
    if actor.is_some_and(|a| !a.role.may(Action::ManageUsers)) {
        return Err(CatalogError::NotAllowed);
    }
    let name = fields.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(invalid("name", "a partner needs a name of at most 100 characters"));
    }
    let bad_slug = || invalid("slug", "the short name is lowercase letters, digits and hyphens, such as asia-news");
    let slug = if fields.slug.trim().is_empty() {
        Slug::suggest(name).ok_or_else(bad_slug)?
    } else {
        Slug::parse(fields.slug.trim()).map_err(|_| bad_slug())?
    };
    let tree = SectionTree::new(store.sections().await?);
    let mut sections = Vec::new();
    for path in fields.sections.iter().map(|p| p.trim().trim_matches('/')).filter(|p| !p.is_empty()) {
        let section = tree.by_path(path).ok_or_else(|| invalid("sections", format!("there is no section {path}")))?;
        if !sections.contains(&section.id) {
            sections.push(section.id);
        }
    }
    let all_topics = store.topics().await?;
    let mut topics = Vec::new();
    for wanted in fields.topics.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let topic = all_topics
            .iter()
            .find(|t| t.slug.as_str() == wanted)
            .ok_or_else(|| invalid("topics", format!("there is no topic {wanted}")))?;
        if !topics.contains(&topic.id) {
            topics.push(topic.id);
        }
    }
    let format = if fields.format.trim().is_empty() {
        PartnerFormat::NinJs
    } else {
        PartnerFormat::parse(&fields.format).ok_or_else(|| invalid("format", "the format is ninjs-2.2 or newsml-g2"))?
    };
    let push = match fields.push_url.trim() {
        "" if !fields.push_token.trim().is_empty() => {
            return Err(invalid("push_url", "a push token needs the address to push to"));
        }
        "" => None,
        url => {
            let url = crate::webhooks::check_endpoint_url(url).map_err(|error| match error {
                CatalogError::Invalid { problem, .. } => invalid("push_url", problem),
                other => other,
            })?;
            let token = fields.push_token.trim();
            if token.chars().any(|c| c.is_control() || c.is_whitespace()) || token.len() > 500 {
                return Err(invalid("push_token", "the push token is one word of at most 500 characters"));
            }
            let secret = crate::webhooks::new_secret()
                .ok_or_else(|| invalid("push_url", "the system gave no random numbers"))?;
            Some(PartnerPush { url, bearer_token: (!token.is_empty()).then(|| token.to_owned()), secret })
        }
    };
    let token = crate::accounts::random_token().map_err(|e| CatalogError::Store(StoreError::Other(e.to_string())))?;
    let new = NewPartner {
        slug,
        name: name.to_owned(),
        token_digest: crate::accounts::token_digest(&token),
        sections,
        topics,
        embargoed_copy: fields.embargoed_copy,
        format,
    };
    let partner = store.insert_partner(&new, push.as_ref(), now).await?;
    Ok((partner, token))
}

/// Ends a partnership by its short name.
pub async fn revoke_partner(
    store: &impl PartnerStore,
    actor: Option<&User>,
    slug: &str,
    now: Timestamp,
) -> Result<(), CatalogError> {
    if actor.is_some_and(|a| !a.role.may(Action::ManageUsers)) {
        return Err(CatalogError::NotAllowed);
    }
    let partner = store.partner_by_slug(slug.trim()).await?;
    Ok(store.revoke_partner(partner.id, now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::ArticleContent;
    use crate::section::Section;

    fn at(second: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + second).expect("an instant")
    }

    fn tree() -> SectionTree {
        let section = |id, slug: &str, parent, path: &str| Section {
            id: SectionId(id),
            slug: Slug::parse(slug).expect("slug"),
            name: slug.to_owned(),
            parent_id: parent,
            position: 0,
            path: path.to_owned(),
        };
        SectionTree::new(vec![
            section(1, "world", None, "world"),
            section(2, "asia", Some(SectionId(1)), "world/asia"),
            section(3, "sports", None, "sports"),
        ])
    }

    fn story(section: i64, status: ArticleStatus) -> Article {
        Article {
            id: ArticleId(7),
            content: ArticleContent {
                slug: Slug::parse("a-story").expect("slug"),
                headline: "A story".into(),
                deck: None,
                section_id: SectionId(section),
                bylines: vec![],
                label: None,
                topics: vec![TopicId(9)],
                lead_media_id: None,
                body: "Text.".into(),
                seo_title: None,
                seo_description: None,
                dateline: None,
            },
            status,
            embargo_until: None,
            publish_at: None,
            first_published_at: (status == ArticleStatus::Published).then(|| at(0)),
            last_public_update_at: None,
            created_at: at(-100),
            modified_at: at(0),
            version: 2,
            created_by: None,
            assignee: None,
        }
    }

    fn partner(sections: &[i64], topics: &[i64], embargoed_copy: bool) -> Partner {
        Partner {
            id: 1,
            slug: Slug::parse("asia-news").expect("slug"),
            name: "Asia News".into(),
            token_digest: String::new(),
            sections: sections.iter().map(|s| SectionId(*s)).collect(),
            topics: topics.iter().map(|t| TopicId(*t)).collect(),
            embargoed_copy,
            format: PartnerFormat::NinJs,
            push_url: None,
            created_at: at(0),
            revoked_at: None,
        }
    }

    #[test]
    fn a_partner_takes_its_sections_with_their_subsections_or_its_topics() {
        let tree = tree();
        let world = partner(&[1], &[], false);
        assert!(world.takes(&story(2, ArticleStatus::Published), &tree), "Asia is under World");
        assert!(!world.takes(&story(3, ArticleStatus::Published), &tree));
        assert!(partner(&[3], &[9], false).takes(&story(2, ArticleStatus::Published), &tree), "by its topic");
        assert!(partner(&[], &[], false).takes(&story(3, ArticleStatus::Published), &tree), "everything");
    }

    #[test]
    fn embargoed_copy_reaches_only_partners_allowed_it_with_the_release_time() {
        let tree = tree();
        let mut scheduled = story(1, ArticleStatus::Scheduled);
        scheduled.publish_at = Some(at(600));
        assert_eq!(partner(&[], &[], false).offer(&scheduled, &tree, at(10)), Offer::Nothing);
        assert_eq!(
            partner(&[], &[], true).offer(&scheduled, &tree, at(10)),
            Offer::Copy { embargoed_until: Some(at(600)) }
        );
        let mut embargoed = story(1, ArticleStatus::Published);
        embargoed.embargo_until = Some(at(900));
        assert_eq!(partner(&[], &[], false).offer(&embargoed, &tree, at(10)), Offer::Nothing);
        assert_eq!(
            partner(&[], &[], true).offer(&embargoed, &tree, at(10)),
            Offer::Copy { embargoed_until: Some(at(900)) }
        );
        assert_eq!(partner(&[], &[], false).offer(&embargoed, &tree, at(900)), Offer::Copy { embargoed_until: None });
    }

    #[test]
    fn unpublishing_withholds_and_a_legal_removal_kills() {
        let tree = tree();
        let mut gone = story(1, ArticleStatus::Unpublished);
        gone.first_published_at = Some(at(0));
        assert_eq!(partner(&[], &[], false).offer(&gone, &tree, at(10)), Offer::Withhold);
        gone.status = ArticleStatus::Removed;
        assert_eq!(partner(&[], &[], false).offer(&gone, &tree, at(10)), Offer::Kill);
        // Never released: only a partner that may have had it early hears of it.
        let mut never = story(1, ArticleStatus::Removed);
        never.first_published_at = None;
        assert_eq!(partner(&[], &[], false).offer(&never, &tree, at(10)), Offer::Nothing);
        assert_eq!(partner(&[], &[], true).offer(&never, &tree, at(10)), Offer::Kill);
        assert_eq!(partner(&[3], &[], false).offer(&gone, &tree, at(10)), Offer::Nothing, "not its section");
    }

    #[test]
    fn a_feed_cursor_reads_back_and_refuses_junk() {
        let cursor = FeedCursor { at: at(5), id: ArticleId(42) };
        assert_eq!(FeedCursor::decode(&cursor.encode()), Some(cursor));
        assert!(FeedCursor::decode("0-0").is_some(), "the start of the feed");
        for junk in ["", "12", "x-1", "1--4", "-1-4", "99999999999999999999-1", "1-9999999999999999999"] {
            assert_eq!(FeedCursor::decode(junk), None, "{junk}");
        }
    }
}
