//! What every reader page shows besides its own content: the date line, menu, footer and
//! masthead (`SiteView`), and the "Latest News" and "Most Popular" lists. Pages render
//! through [`render`], which puts the two together for the theme.

use crate::error::WebError;
use crate::page_cache::{shown, tag, Shows};
use crate::remembered::{self, Lists};
use crate::state::AppState;
use axum::response::{Html, IntoResponse, Response};
use dateline_newsroom::{
    ArticleStore, ArticleSummary, AuthorId, AuthorStore, Listing, MediaId, MediaStore, PageStore, SectionStore,
    SectionTree, SettingsStore, StoreError, Window,
};
use dateline_render::views::{Lookup, SiteView, StoryCard};
use dateline_render::{PaperClock, Prepared};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use crate::remembered::{LATEST_NEWS, MOST_POPULAR, POPULAR_WINDOW};

pub(crate) struct Chrome {
    pub site: SiteView,
    pub clock: PaperClock,
    pub tree: SectionTree,
    pub now: Timestamp,
    /// The paper's default share image, for a story without a photo of its own.
    pub share_image: Option<dateline_newsroom::MediaId>,
    /// What the page drawn with this chrome shows, for the page cache.
    shows: Mutex<Shows>,
    /// The stored frame the site view was made from: the drawn frame's key.
    frame: Arc<remembered::FrameParts>,
}

/// The parts of a page that the theme's `base.html` draws.
#[derive(Serialize)]
struct FrameContext<'a> {
    site: &'a SiteView,
    latest: Vec<StoryCard>,
    popular: Vec<StoryCard>,
}

pub(crate) async fn load(state: &AppState, now: Timestamp) -> Result<Chrome, WebError> {
    state.catch_up();
    let remembered = state.remembered();
    let frame = match remembered.frame() {
        Some(frame) => frame,
        None => {
            let read_in = remembered.generation();
            let store = state.store();
            let frame = Arc::new(remembered::FrameParts {
                settings: store.settings().await?,
                sections: store.sections().await?,
                pages: store.pages().await?,
            });
            remembered.remember_frame(frame.clone(), read_in);
            frame
        }
    };
    let (settings, pages) = (&frame.settings, &frame.pages);
    let tree = SectionTree::new(frame.sections.clone());
    let clock = PaperClock {
        zone: settings.zone().map_err(|e| WebError::Internal(e.to_string()))?,
        date_line_format: settings.date_line_format.clone(),
        timestamp_format: settings.timestamp_format.clone(),
    };
    let site = SiteView::new(settings, &clock, &tree, pages, now);
    let share_image = settings.share_image_media_id.map(dateline_newsroom::MediaId);
    Ok(Chrome { site, clock, tree, now, share_image, shows: Mutex::default(), frame })
}

impl Chrome {
    /// Notes that the page shows `tag` (see `page_cache::tag`).
    pub fn shows(&self, tag: String) {
        if let Ok(mut shows) = self.shows.lock() {
            shows.add(tag);
        }
    }

    /// Notes that the page draws this list of stories, so a story entering it changes the page.
    pub fn shows_listing(&self, listing: &Listing<'_>) {
        match listing {
            Listing::Everything => self.shows(tag::LATEST.to_owned()),
            Listing::Sections(ids) => ids.iter().for_each(|id| self.shows(tag::in_section(*id))),
            Listing::Author(id) => self.shows(tag::byline(*id)),
            Listing::Topic(id) => self.shows(tag::tagged(*id)),
            Listing::PublishedBetween(..) => self.shows(tag::ARCHIVE.to_owned()),
        }
    }

    pub fn take_shows(&self) -> Shows {
        self.shows.lock().map(|mut shows| std::mem::take(&mut *shows)).unwrap_or_default()
    }

    /// "Latest News" and "Most Popular", noted as shown on the page.
    async fn lists(&self, state: &AppState) -> Result<Arc<Lists>, WebError> {
        let remembered = state.remembered();
        let lists = match remembered.lists() {
            Some(lists) => lists,
            None => {
                let read_in = remembered.generation();
                let store = state.store();
                let window = Window { limit: LATEST_NEWS, offset: 0 };
                let lists = Arc::new(Lists {
                    latest: store.latest_public(self.now, Listing::Everything, window).await?,
                    popular: store.most_viewed(self.now, self.now - POPULAR_WINDOW, MOST_POPULAR).await?,
                });
                remembered.remember_lists(lists.clone(), read_in);
                lists
            }
        };
        self.shows(tag::SIDE_LISTS.to_owned());
        for story in lists.latest.iter().chain(&lists.popular) {
            self.shows(tag::story(story.id));
        }
        Ok(lists)
    }

    /// The frame's template values (the site, "Latest News", "Most Popular"), drawn once for
    /// each state of the frame, the lists and the date line, and shared by every page until
    /// one of them changes.
    async fn drawn_frame(&self, state: &AppState) -> Result<Prepared, WebError> {
        let lists = self.lists(state).await?;
        let remembered = state.remembered();
        let date_line = (self.site.date_line.as_str(), self.site.date_line_iso.as_str());
        if let Some(drawn) = remembered.drawn_frame(&self.frame, &lists, date_line) {
            return Ok(drawn);
        }
        let lookup = Lookup { sections: self.tree.clone(), ..Lookup::default() };
        let cards = |list: &[ArticleSummary]| list.iter().map(|s| lookup.card(s, &self.clock)).collect();
        let drawn = Prepared::new(FrameContext {
            site: &self.site,
            latest: cards(&lists.latest),
            popular: cards(&lists.popular),
        });
        remembered.remember_drawn_frame(remembered::DrawnFrame {
            frame: self.frame.clone(),
            lists,
            date_line: self.site.date_line.clone(),
            date_line_iso: self.site.date_line_iso.clone(),
            drawn: drawn.clone(),
        });
        Ok(drawn)
    }

    /// Renders `template` with this chrome around `content`, as a response that carries what
    /// the page shows.
    pub async fn render(
        &self,
        state: &AppState,
        template: &str,
        content: impl Serialize,
    ) -> Result<Response, WebError> {
        let frame = self.drawn_frame(state).await?;
        let html = state.theme().render_in(template, &frame, content)?;
        Ok(shown(Html(html).into_response(), self.take_shows()))
    }
}

/// The authors and photos a set of stories refers to, fetched once for the whole page; the
/// page then shows each of them.
pub(crate) async fn lookup_for(
    state: &AppState,
    chrome: &Chrome,
    stories: &[&ArticleSummary],
    extra_authors: &[AuthorId],
    extra_media: &[MediaId],
) -> Result<Lookup, WebError> {
    let store = state.store();
    for story in stories {
        chrome.shows(tag::story(story.id));
    }
    let mut author_ids: Vec<AuthorId> = extra_authors.to_vec();
    let mut seen: HashSet<AuthorId> = author_ids.iter().copied().collect();
    for id in stories.iter().flat_map(|s| s.bylines.iter()) {
        if seen.insert(*id) {
            author_ids.push(*id);
        }
    }
    let remembered = state.remembered();
    let read_in = remembered.generation();
    let (mut found_authors, missing) = remembered.authors(&author_ids);
    if !missing.is_empty() {
        let read = store.authors_by_ids(&missing).await?;
        remembered.remember_authors(&read, read_in);
        found_authors.extend(read);
    }
    let authors: HashMap<_, _> = found_authors.into_iter().map(|a| (a.id, a)).collect();
    let mut media_ids: Vec<MediaId> = Vec::new();
    for id in stories.iter().filter_map(|s| s.lead_media_id).chain(extra_media.iter().copied()) {
        if !media_ids.contains(&id) {
            media_ids.push(id);
        }
    }
    let (found_media, missing) = remembered.media(&media_ids);
    let mut media: HashMap<_, _> = found_media.into_iter().map(|m| (m.id, m)).collect();
    let mut read = Vec::new();
    for id in missing {
        match store.media_by_id(id).await {
            Ok(found) => read.push(found),
            Err(StoreError::NotFound) => {}
            Err(other) => return Err(other.into()),
        }
    }
    remembered.remember_media(&read, read_in);
    media.extend(read.into_iter().map(|m| (m.id, m)));
    for id in authors.keys() {
        chrome.shows(tag::author(*id));
    }
    for id in media.keys() {
        chrome.shows(tag::media(*id));
    }
    // Which of the stories are live now, so their cards say so; a story's card is dropped
    // with its pages when its coverage starts or ends.
    let running_live = if stories.is_empty() {
        Default::default()
    } else {
        dateline_newsroom::live::LiveStore::running_coverage(store).await?.into_iter().collect()
    };
    Ok(Lookup { sections: chrome.tree.clone(), authors, media, running_live })
}

/// Cards for a list of stories, with their bylines and photos.
pub(crate) async fn cards(
    state: &AppState,
    chrome: &Chrome,
    stories: &[ArticleSummary],
) -> Result<Vec<StoryCard>, WebError> {
    let refs: Vec<&ArticleSummary> = stories.iter().collect();
    let lookup = lookup_for(state, chrome, &refs, &[], &[]).await?;
    Ok(stories.iter().map(|s| lookup.card(s, &chrome.clock)).collect())
}
