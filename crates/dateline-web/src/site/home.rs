//! The home page: the lead story, the top stories, a block for every top-level section, and
//! the latest news.

use super::chrome;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Html;
use dateline_newsroom::{ArticleStore, SectionId, Window};
use dateline_render::views::{Link, SiteView, StoryCard};
use serde::Serialize;

const TOP_STORIES: usize = 6;
const STORIES_PER_SECTION_BLOCK: u32 = 4;

#[derive(Serialize)]
struct SectionBlock {
    section: Link,
    stories: Vec<StoryCard>,
}

#[derive(Serialize)]
struct HomePage {
    site: SiteView,
    lead: Option<StoryCard>,
    top_stories: Vec<StoryCard>,
    section_blocks: Vec<SectionBlock>,
    latest: Vec<StoryCard>,
}

pub(crate) async fn show(State(state): State<AppState>) -> Result<Html<String>, WebError> {
    let now = state.now();
    let chrome = chrome::load(&state, now).await?;
    let store = state.store();
    let front = store.latest_public(now, None, Window { limit: 1 + TOP_STORIES as u32, offset: 0 }).await?;

    let mut blocks = Vec::new();
    for top in chrome.tree.top_level() {
        let ids: Vec<SectionId> = std::iter::once(top.id).chain(chrome.tree.children(top.id).map(|c| c.id)).collect();
        let stories =
            store.latest_public(now, Some(&ids), Window { limit: STORIES_PER_SECTION_BLOCK, offset: 0 }).await?;
        if !stories.is_empty() {
            blocks.push((top.clone(), stories));
        }
    }
    let everything: Vec<_> = front.iter().chain(blocks.iter().flat_map(|(_, s)| s.iter())).collect();
    let lookup = chrome::lookup_for(&state, chrome.tree.clone(), &everything, &[], &[]).await?;
    let cards: Vec<StoryCard> = front.iter().map(|s| lookup.card(s, &chrome.clock)).collect();
    let mut cards = cards.into_iter();
    let page = HomePage {
        lead: cards.next(),
        top_stories: cards.collect(),
        section_blocks: blocks
            .iter()
            .map(|(section, stories)| SectionBlock {
                section: Link { name: section.name.clone(), url: dateline_render::views::section_url(&section.path) },
                stories: stories.iter().map(|s| lookup.card(s, &chrome.clock)).collect(),
            })
            .collect(),
        latest: chrome::latest(&state, now, &chrome.clock, &lookup).await?,
        site: chrome.site,
    };
    Ok(Html(state.theme().render("home.html", page)?))
}
