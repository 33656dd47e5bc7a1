//! The home page: the lead story, the top stories, a block for every top-level section, and
//! the lists. No story shows twice: a section's block leaves out the stories already at the
//! top, and each block shows one photo (its newest story that has one).

use super::chrome;
use crate::error::WebError;
use crate::page_cache::tag;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use dateline_newsroom::{ArticleStore, ArticleSummary, HomeCuration, Listing, SectionId, SettingsStore, Window};
use dateline_render::views::{section_url, Link, StoryCard};
use serde::Serialize;

const TOP_STORIES: u32 = 6;
const STORIES_PER_SECTION_BLOCK: u32 = 4;

#[derive(Serialize)]
struct SectionBlock {
    section: Link,
    stories: Vec<StoryCard>,
}

#[derive(Serialize)]
struct HomePage {
    lead: Option<StoryCard>,
    top_stories: Vec<StoryCard>,
    section_blocks: Vec<SectionBlock>,
    /// Set on the desk's preview of an unsaved curation only.
    preview: Option<HomePreview>,
}

/// What the desk's preview of the home page says above it.
#[derive(Serialize)]
struct HomePreview {
    desk_url: &'static str,
}

/// The lead story and the top stories: the editors' choice where they made one (and the
/// story is public), the newest stories for the rest.
async fn front_page_stories(
    state: &AppState,
    curation: &HomeCuration,
    now: jiff::Timestamp,
) -> Result<Vec<ArticleSummary>, WebError> {
    let store = state.store();
    let chosen = store.public_by_ids(now, &curation.chosen()).await?;
    let newest =
        store.latest_public(now, Listing::Everything, Window { limit: 1 + 2 * TOP_STORIES, offset: 0 }).await?;
    Ok(curation.front_page(chosen, newest, 1 + TOP_STORIES as usize))
}

pub(crate) async fn show(State(state): State<AppState>) -> Result<Response, WebError> {
    let curation = state.store().home_curation().await?;
    render(&state, &curation, false).await
}

/// The home page as `curation` makes it; with `preview`, the desk's look at a curation not yet
/// saved (never kept in the page cache, with a banner saying so).
pub(crate) async fn render(state: &AppState, curation: &HomeCuration, preview: bool) -> Result<Response, WebError> {
    let state = state.clone();
    let chrome = chrome::load(&state, state.now()).await?;
    let store = state.store();
    chrome.shows(tag::HOME.to_owned());
    chrome.shows_listing(&Listing::Everything);
    // The paper's front shows its side lists as fresh as they are: one page, rendered again
    // when Most Popular changes order (Latest News is its main list already).
    chrome.shows(tag::POPULAR.to_owned());
    let front = front_page_stories(&state, curation, chrome.now).await?;

    let at_the_top: std::collections::HashSet<_> = front.iter().map(|s| s.id).collect();
    let mut blocks: Vec<(Link, Vec<ArticleSummary>)> = Vec::new();
    for top in chrome.tree.top_level() {
        let ids: Vec<SectionId> = std::iter::once(top.id).chain(chrome.tree.children(top.id).map(|c| c.id)).collect();
        // Enough to fill the block after leaving out every story shown at the top.
        let window = Window { limit: STORIES_PER_SECTION_BLOCK + at_the_top.len() as u32, offset: 0 };
        chrome.shows_listing(&Listing::Sections(&ids));
        let mut stories = store.latest_public(chrome.now, Listing::Sections(&ids), window).await?;
        stories.retain(|s| !at_the_top.contains(&s.id));
        stories.truncate(STORIES_PER_SECTION_BLOCK as usize);
        if !stories.is_empty() {
            blocks.push((Link { name: top.name.clone(), url: section_url(&top.path) }, stories));
        }
    }
    let everything: Vec<&ArticleSummary> = front.iter().chain(blocks.iter().flat_map(|(_, s)| s.iter())).collect();
    let slot_photos: Vec<_> = front.iter().filter_map(|s| curation.photo_for(s.id)).collect();
    let lookup = chrome::lookup_for(&state, &chrome, &everything, &[], &slot_photos).await?;
    // A place shows the photo the editors chose for it, else the story's own.
    let mut cards = front.iter().map(|s| {
        let mut card = lookup.card(s, &chrome.clock);
        if let Some(chosen) = curation.photo_for(s.id).and_then(|photo| lookup.image(Some(photo))) {
            card.image = Some(chosen);
        }
        card
    });
    let page = HomePage {
        lead: cards.next(),
        top_stories: cards.collect(),
        section_blocks: blocks
            .into_iter()
            .map(|(section, stories)| SectionBlock {
                section,
                stories: one_photo(stories.iter().map(|s| lookup.card(s, &chrome.clock)).collect()),
            })
            .collect(),
        preview: preview.then_some(HomePreview { desk_url: "/desk/home-page" }),
    };
    let mut response = chrome.render(&state, "home.html", page).await?;
    if preview {
        response.extensions_mut().remove::<crate::page_cache::Shows>();
        response
            .headers_mut()
            .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

/// A section's block shows one picture: its newest story with a photo leads the block with
/// it, and the rest follow as headlines, newest first.
fn one_photo(mut cards: Vec<StoryCard>) -> Vec<StoryCard> {
    if let Some(pictured) = cards.iter().position(|card| card.image.is_some()) {
        let lead = cards.remove(pictured);
        cards.insert(0, lead);
    }
    for card in cards.iter_mut().skip(1) {
        card.image = None;
    }
    cards
}
