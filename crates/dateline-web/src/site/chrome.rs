//! What every reader page needs besides its own content: the settings, the section tree, the
//! static pages for the footer, and the "Latest News" list.

use crate::error::WebError;
use crate::state::AppState;
use dateline_newsroom::{
    ArticleStore, ArticleSummary, AuthorStore, MediaStore, PageStore, SectionStore, SettingsStore, Window,
};
use dateline_newsroom::{AuthorId, MediaId, SectionTree};
use dateline_render::views::{Lookup, SiteView, StoryCard};
use dateline_render::PaperClock;
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};

pub(crate) struct Chrome {
    pub site: SiteView,
    pub clock: PaperClock,
    pub tree: SectionTree,
}

pub(crate) async fn load(state: &AppState, now: Timestamp) -> Result<Chrome, WebError> {
    let store = state.store();
    let settings = store.settings().await?;
    let tree = SectionTree::new(store.sections().await?);
    let pages = store.pages().await?;
    let clock = PaperClock {
        zone: settings.zone().map_err(|e| WebError::Internal(e.to_string()))?,
        date_line_format: settings.date_line_format.clone(),
        timestamp_format: settings.timestamp_format.clone(),
    };
    let site = SiteView::new(&settings, &clock, &tree, &pages, now);
    Ok(Chrome { site, clock, tree })
}

/// The authors and photos a set of stories refers to, fetched once for the whole page.
pub(crate) async fn lookup_for(
    state: &AppState,
    tree: SectionTree,
    stories: &[&ArticleSummary],
    extra_authors: &[AuthorId],
    extra_media: &[MediaId],
) -> Result<Lookup, WebError> {
    let store = state.store();
    let mut author_ids: Vec<AuthorId> = extra_authors.to_vec();
    let mut seen: HashSet<AuthorId> = author_ids.iter().copied().collect();
    for id in stories.iter().flat_map(|s| s.bylines.iter()) {
        if seen.insert(*id) {
            author_ids.push(*id);
        }
    }
    let authors = store.authors_by_ids(&author_ids).await?.into_iter().map(|a| (a.id, a)).collect();
    let mut media = HashMap::new();
    for id in stories.iter().filter_map(|s| s.lead_media_id).chain(extra_media.iter().copied()) {
        if let std::collections::hash_map::Entry::Vacant(slot) = media.entry(id) {
            match store.media_by_id(id).await {
                Ok(found) => {
                    slot.insert(found);
                }
                Err(dateline_newsroom::StoreError::NotFound) => {}
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(Lookup { sections: tree, authors, media })
}

/// The newest stories for the "Latest News" list.
pub(crate) async fn latest(
    state: &AppState,
    now: Timestamp,
    clock: &PaperClock,
    lookup: &Lookup,
) -> Result<Vec<StoryCard>, WebError> {
    let stories = state.store().latest_public(now, None, Window { limit: 10, offset: 0 }).await?;
    Ok(stories.iter().map(|s| lookup.card(s, clock)).collect())
}
