//! Reader pages served from memory, and the HTTP caching headers a CDN can use.
//!
//! Every reader page (home, fronts, articles, author and topic pages, feeds, sitemaps) is
//! kept rendered, up to a size bound, as the bytes readers get, each entry tagged with what it
//! shows ([`Shows`]): the stories on it, the lists it draws (a section's stories, an author's,
//! a topic's, the newest of the whole paper, the most read), the names it prints. The store
//! announces every change ([`Change`]) the moment it commits; the cache turns a change into
//! the tags it touches ([`tags_touched`]) and drops exactly the entries carrying one of them
//! (`AppState::follow_changes`, and again before each request as a backstop, see
//! [`serve_through`]). The same tags
//! go out as `Surrogate-Key` and `Cache-Tag` headers, and through the outbox to the operator's
//! purge hook, so a CDN can drop the same pages.
//!
//! Compressed copies (brotli, gzip) are made once, the first time a reader asks for one,
//! and kept beside the plain bytes. Strong ETags name each copy, and `If-None-Match` gets a
//! 304 only when the copy's bytes are the same.
//!
//! Nothing under `/desk`, no search, no response that sets a cookie and nothing a handler did
//! not mark with [`Shows`] is ever kept. With the cache switched off (a size of 0), pages are
//! rendered for every request but get the same headers.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dateline_newsroom::{Change, Placement};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

/// Readers' browsers keep a page briefly; shared caches longer, since Dateline purges them
/// (through the purge hook) when the page changes, and may serve a stale copy while they fetch
/// a fresh one.
pub(crate) const READER_CACHE_CONTROL: &str = "public, max-age=30, s-maxage=300, stale-while-revalidate=60";
/// A kept page is rendered again after this long even if no change touched it: a safety net
/// for a notice that never arrived, not the way pages normally change.
const LONGEST_KEPT: Duration = Duration::from_secs(600);
/// How long a kept page may go on showing "Latest News" and "Most Popular" as they were,
/// after they changed, unless the operator says otherwise (`cache.side_lists_lag_secs`). Every reader page shows both lists; dropping every page whenever a
/// story is published (every few minutes on a news day, every few seconds in a crisis) would
/// leave the cache nearly empty. So a page is tagged with what it is about (its story, its
/// section's list, the home page's choice), and those are dropped at once; the side lists
/// only mark the page to be rendered again within this lag. The home page and the paper's
/// feeds, whose main list *is* the newest stories, carry [`tag::LATEST`] and change at once.
pub const SIDE_LISTS_LAG: Duration = Duration::from_secs(60);
/// Bodies smaller than this are not worth compressing.
const SMALLEST_COMPRESSED: usize = 512;

/// What a rendered page shows, as cache tags (which double as `Surrogate-Key` values).
#[derive(Debug, Clone, Default)]
pub struct Shows(BTreeSet<String>);

impl Shows {
    pub(crate) fn add(&mut self, tag: String) {
        self.0.insert(tag);
    }

    fn tags(&self) -> impl Iterator<Item = &String> {
        self.0.iter()
    }
}

/// The names of the things a page can show. A page that shows a story (as itself, a card or
/// a list item) carries `story-ID`; a page that lists a section's stories `in-section-ID`
/// (a front, its parent's front, the home page's block, the section's feed); and so on.
pub(crate) mod tag {
    use dateline_newsroom::{ArticleId, AuthorId, MediaId, SectionId, TopicId};

    pub fn story(id: ArticleId) -> String {
        format!("story-{}", id.0)
    }
    pub fn author(id: AuthorId) -> String {
        format!("author-{}", id.0)
    }
    pub fn topic(id: TopicId) -> String {
        format!("topic-{}", id.0)
    }
    pub fn media(id: MediaId) -> String {
        format!("media-{}", id.0)
    }
    /// A podcast show's page and feed (its details, its episodes' sound and transcripts).
    pub fn podcast(id: i64) -> String {
        format!("podcast-{id}")
    }
    /// The list of a section's stories.
    pub fn in_section(id: SectionId) -> String {
        format!("in-section-{}", id.0)
    }
    /// The list of an author's stories.
    pub fn byline(id: AuthorId) -> String {
        format!("byline-{}", id.0)
    }
    /// The list of a topic's stories.
    pub fn tagged(id: TopicId) -> String {
        format!("tagged-{}", id.0)
    }
    /// The newest stories of the whole paper as a page's main list: the home page, the
    /// paper's feeds.
    pub const LATEST: &str = "latest";
    /// "Most Popular" changed its stories or their order; the home page carries it, to
    /// show the list as it is, while other pages age within the lag ([`SIDE_LISTS`]).
    pub const POPULAR: &str = "popular";
    /// The boxes "Latest News" and "Most Popular" beside every reader page. A change to
    /// either list makes such pages stale within [`super::SIDE_LISTS_LAG`], not at once.
    pub const SIDE_LISTS: &str = "side-lists";
    /// The home page's own choice of lead and top stories.
    pub const HOME: &str = "home";
    /// Every public story at once: sitemaps, the corrections page.
    pub const ARCHIVE: &str = "archive";
    /// The list of topics.
    pub const TOPICS: &str = "topics";
    /// The list of podcast shows.
    pub const PODCASTS: &str = "podcasts";
    /// The list of authors (the API's).
    pub const AUTHORS: &str = "authors";
}

/// What a change touches: `None` means everything (the menu, footer or settings that every
/// page shows).
pub(crate) fn tags_touched(change: &Change) -> Option<Vec<String>> {
    let tags = match change {
        Change::Story { id, before, after } => {
            let mut tags = vec![tag::story(*id), tag::ARCHIVE.to_owned()];
            // A story edited in place shows where it showed; pages that show it carry its
            // tag. One that enters, leaves or moves within lists changes those lists, on
            // every page of them.
            if before != after {
                tags.push(tag::LATEST.to_owned());
                tags.push(tag::HOME.to_owned());
                for placement in [before, after].into_iter().flatten() {
                    tags.extend(listing_tags(placement));
                }
            }
            tags
        }
        Change::Author(id) => vec![tag::author(*id), tag::byline(*id), tag::AUTHORS.to_owned()],
        Change::Topic(id) => vec![tag::topic(*id), tag::tagged(*id), tag::TOPICS.to_owned()],
        Change::Media(id) => vec![tag::media(*id)],
        Change::HomeCuration => vec![tag::HOME.to_owned()],
        Change::Podcast(id) => vec![tag::podcast(*id), tag::PODCASTS.to_owned()],
        // Its page (every page of its stream), the feeds that date its entry by its newest
        // post, and the News sitemap that lists it while it runs.
        Change::Live { story, .. } => vec![tag::story(*story), tag::ARCHIVE.to_owned()],
        Change::Sections | Change::Pages | Change::Settings | Change::Everything => return None,
    };
    Some(tags)
}

fn listing_tags(placement: &Placement) -> Vec<String> {
    std::iter::once(tag::in_section(placement.section))
        .chain(placement.authors.iter().map(|a| tag::byline(*a)))
        .chain(placement.topics.iter().map(|t| tag::tagged(*t)))
        .collect()
}

/// Attaches what a page shows to its response, so the cache may keep it.
pub(crate) fn shown(mut response: Response, shows: Shows) -> Response {
    response.extensions_mut().insert(shows);
    response
}

/// One kept page.
struct Entry {
    content_type: HeaderValue,
    last_modified: Option<HeaderValue>,
    cache_control: HeaderValue,
    surrogate_keys: Option<HeaderValue>,
    cache_tags: Option<HeaderValue>,
    tags: Vec<String>,
    /// Strong validator of the plain bytes; each compressed copy adds its coding's name.
    digest: String,
    plain: Bytes,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
    stored_at: Instant,
    /// Set when read; the eviction gives such an entry a second chance.
    recently_used: AtomicBool,
    /// When the side lists it shows changed, the moment it is to be rendered again
    /// (see [`SIDE_LISTS_LAG`]); set once, by the first such change.
    stale_from: OnceLock<Instant>,
    /// `Vary`: the API's answers differ by `Accept` too (JSON or NinJS).
    vary: HeaderValue,
    /// The route pattern that rendered it, which `/metrics` counts its answers under.
    route: String,
}

impl Entry {
    fn size(&self) -> usize {
        self.plain.len()
            + self.brotli.get().map_or(0, Bytes::len)
            + self.gzip.get().map_or(0, Bytes::len)
            + self.tags.iter().map(|t| t.len() + 24).sum::<usize>()
            + 256
    }
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, Arc<Entry>>,
    /// How many entries of each path have a query (see [`MOST_VARIANTS_PER_PATH`]).
    variants: HashMap<String, usize>,
    by_tag: HashMap<String, HashSet<String>>,
    /// Keys in the order they were stored, for eviction.
    order: VecDeque<String>,
    bytes: usize,
}

impl Entries {
    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.by_key.remove(key) {
            self.bytes = self.bytes.saturating_sub(entry.size());
            let path = path_of(key);
            if path.len() < key.len() {
                if let Some(count) = self.variants.get_mut(path) {
                    *count -= 1;
                    if *count == 0 {
                        self.variants.remove(path);
                    }
                }
            }
            for tag in &entry.tags {
                if let Some(keys) = self.by_tag.get_mut(tag) {
                    keys.remove(key);
                    if keys.is_empty() {
                        self.by_tag.remove(tag);
                    }
                }
            }
        }
    }

    /// Drops entries, oldest first but sparing once those read since they were last looked
    /// at, until the whole fits in `budget`.
    fn shrink_to(&mut self, budget: usize) {
        while self.bytes > budget {
            let Some(key) = self.order.pop_front() else { break };
            match self.by_key.get(&key) {
                Some(entry) if entry.recently_used.swap(false, Ordering::Relaxed) => self.order.push_back(key),
                Some(_) => self.remove(&key),
                None => {}
            }
        }
    }
}

/// Counters for the operator.
#[derive(Debug, Default)]
pub struct CacheCounters {
    pub hits: AtomicU64,
    pub misses: AtomicU64,
    pub purged: AtomicU64,
}

pub struct PageCache {
    budget: usize,
    side_lists_lag: Duration,
    entries: RwLock<Entries>,
    /// Bumped by every purge: a page rendered across a purge is not kept, since it may show
    /// what the purge removed.
    generation: AtomicU64,
    pub counters: CacheCounters,
}

impl PageCache {
    pub fn new(budget_bytes: usize, side_lists_lag: Duration) -> Self {
        PageCache {
            budget: budget_bytes,
            side_lists_lag,
            entries: RwLock::default(),
            generation: AtomicU64::new(0),
            counters: CacheCounters::default(),
        }
    }

    fn enabled(&self) -> bool {
        self.budget > 0
    }

    /// Drops the pages a change touches.
    pub(crate) fn apply(&self, change: &Change) {
        match tags_touched(change) {
            Some(tags) => self.purge(&tags),
            None => self.purge_everything(),
        }
    }

    /// Drops every page carrying one of `tags` from this instance's memory; when the tags
    /// say the newest or the most read stories changed, pages showing the side lists are
    /// marked to be rendered again within the side lists' lag ([`SIDE_LISTS_LAG`] by
    /// default; none at all drops them at once). (The CDN hears of changes from
    /// the outbox, once for all instances.)
    pub fn purge(&self, tags: &[String]) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let lists_changed = tags.iter().any(|t| t == tag::LATEST || t == tag::POPULAR);
        if let Ok(mut entries) = self.entries.write() {
            let keys: HashSet<String> =
                tags.iter().filter_map(|t| entries.by_tag.get(t)).flat_map(|keys| keys.iter().cloned()).collect();
            for key in &keys {
                entries.remove(key);
            }
            self.counters.purged.fetch_add(keys.len() as u64, Ordering::Relaxed);
            if lists_changed && self.side_lists_lag.is_zero() {
                let keys: Vec<String> = entries.by_tag.get(tag::SIDE_LISTS).into_iter().flatten().cloned().collect();
                self.counters.purged.fetch_add(keys.len() as u64, Ordering::Relaxed);
                for key in &keys {
                    entries.remove(key);
                }
            } else if lists_changed {
                let stale_from = Instant::now() + self.side_lists_lag;
                for key in entries.by_tag.get(tag::SIDE_LISTS).into_iter().flatten() {
                    if let Some(entry) = entries.by_key.get(key) {
                        // The first change sets the time; later ones cannot push it back.
                        let _ = entry.stale_from.set(stale_from);
                    }
                }
            }
        }
    }

    pub fn purge_everything(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut entries) = self.entries.write() {
            self.counters.purged.fetch_add(entries.by_key.len() as u64, Ordering::Relaxed);
            *entries = Entries::default();
        }
    }

    fn lookup(&self, key: &str) -> Option<Arc<Entry>> {
        let entries = self.entries.read().ok()?;
        let entry = entries.by_key.get(key)?;
        if entry.stored_at.elapsed() > LONGEST_KEPT || entry.stale_from.get().is_some_and(|at| Instant::now() >= *at) {
            return None;
        }
        entry.recently_used.store(true, Ordering::Relaxed);
        Some(entry.clone())
    }

    /// Keeps a page, unless a purge came between the start of its rendering and now (the
    /// caller has applied the changes announced meanwhile).
    fn store(&self, key: String, entry: Arc<Entry>, rendered_in_generation: u64) {
        if self.generation.load(Ordering::SeqCst) != rendered_in_generation {
            return;
        }
        let Ok(mut entries) = self.entries.write() else { return };
        entries.remove(&key);
        let path = path_of(&key);
        if path.len() < key.len() {
            let count = entries.variants.entry(path.to_owned()).or_default();
            if *count >= MOST_VARIANTS_PER_PATH {
                return;
            }
            *count += 1;
        }
        entries.bytes += entry.size();
        for tag in &entry.tags {
            entries.by_tag.entry(tag.clone()).or_default().insert(key.clone());
        }
        entries.order.push_back(key.clone());
        entries.by_key.insert(key, entry);
        let budget = self.budget;
        entries.shrink_to(budget);
        // Keys of entries replaced or purged linger in the queue; keep it from growing without end.
        if entries.order.len() > 4 * entries.by_key.len() + 1024 {
            let live: Vec<String> = entries.order.iter().filter(|k| entries.by_key.contains_key(*k)).cloned().collect();
            entries.order = live.into();
        }
    }

    /// A compressed copy of a kept entry was made: count its bytes against the bound.
    fn grew(&self, key: &str, entry: &Arc<Entry>, added: usize) {
        if let Ok(mut entries) = self.entries.write() {
            if !entries.by_key.get(key).is_some_and(|kept| Arc::ptr_eq(kept, entry)) {
                return;
            }
            entries.bytes += added;
            let budget = self.budget;
            entries.shrink_to(budget);
        }
    }

    /// Pages kept, and their bytes.
    pub fn usage(&self) -> (usize, usize) {
        self.entries.read().map(|e| (e.by_key.len(), e.bytes)).unwrap_or_default()
    }
}

/// The key a page is kept under: its path and the query parameters reader pages read (only
/// `page`), in one spelling. Anything else in the query (`?utm_source=…`, a cache-buster)
/// changes nothing on the page, so it must not make a new entry: otherwise each unique junk
/// value would be a full render and a new entry, and a flood of them would push the home page
/// out of memory. For the same reason `?page=02`, `?page=+2` and `?page=2` are one entry, and
/// `?page=1` is the page without it, as the pages read them (`site::paging`).
fn cache_key(path: &str, query: Option<&str>) -> String {
    // Read exactly as the pages read it (`query::PageAsked`: percent-decoded pairs), so the key
    // can never name another page than the one rendered: `?%70age=2` is `?page=2` to both.
    let pages: Vec<String> = query
        .map(|q| {
            form_urlencoded::parse(q.as_bytes()).filter(|(k, _)| k == "page").map(|(_, v)| v.into_owned()).collect()
        })
        .unwrap_or_default();
    let numbers: Vec<u32> = pages.iter().filter_map(|page| page.parse::<u32>().ok()).collect();
    match (pages.as_slice(), numbers.as_slice()) {
        ([], _) => path.to_owned(),
        ([_], [1]) => path.to_owned(),
        ([_], [number]) => format!("{path}?page={number}"),
        // Given twice or not a number: the page answers 400, which is never kept.
        _ => {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for page in &pages {
                query.append_pair("page", page);
            }
            format!("{path}?{}", query.finish())
        }
    }
}

/// How many answers one path may be kept in, told apart by their queries (pages of a front,
/// an API list's filters and cursors). The API reads every cursor and date it is given, so
/// without a bound one client could fill the cache with answers nobody else asks for; past it,
/// answers are served and not kept.
const MOST_VARIANTS_PER_PATH: usize = 64;

/// The path of a key: what comes before its query or its `#ninjs`.
fn path_of(key: &str) -> &str {
    key.split(['?', '#']).next().unwrap_or(key)
}

/// The key an API answer is kept under: its path, its whole query (the API refuses a
/// parameter it does not know, and nothing but a 200 is kept, so junk cannot make entries),
/// and whether NinJS was asked for in `Accept`.
fn api_cache_key(path: &str, query: Option<&str>, headers: &HeaderMap) -> String {
    let mut key = path.to_owned();
    if let Some(query) = query.filter(|q| !q.is_empty()) {
        key.push('?');
        key.push_str(query);
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    if accept.contains("application/ninjs+json") {
        key.push_str("#ninjs");
    }
    key
}

/// The longest `Surrogate-Key` or `Cache-Tag` value sent; CDNs refuse longer headers (Fastly
/// takes 16 KB, Cloudflare 16 KB of tags), and no proxy should be handed an unbounded one.
const LONGEST_TAG_HEADER: usize = 8 * 1024;

/// The page's tags as one header value, or none when there are none or too many to send: a
/// CDN then keeps the page for its `s-maxage` only, which is always safe.
fn bounded_header(tags: &[String], separator: &str) -> Option<HeaderValue> {
    let joined = tags.join(separator);
    (!tags.is_empty() && joined.len() <= LONGEST_TAG_HEADER).then(|| HeaderValue::from_str(&joined).ok()).flatten()
}

/// Whether a path is a reader page the cache may keep.
fn cacheable_path(path: &str) -> bool {
    if path.starts_with("/api/") {
        // The content API is kept like pages; search and the wire endpoint are not.
        return path.starts_with("/api/v1/")
            && !path.starts_with("/api/v1/search")
            && !path.starts_with("/api/v1/ingest");
    }
    !(path.starts_with("/desk")
        || path.starts_with("/search")
        || path.starts_with("/_v/")
        || path.starts_with("/static/")
        || path.starts_with("/media/")
        || path == "/healthz"
        || path == "/metrics")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Coding {
    Brotli,
    Gzip,
    Identity,
}

impl Coding {
    /// The best coding the client accepts: brotli, then gzip, else none.
    fn negotiate(headers: &HeaderMap) -> Coding {
        let Some(accepted) = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
            return Coding::Identity;
        };
        let accepts = |name: &str| {
            accepted.split(',').any(|item| {
                let mut parts = item.split(';');
                let coding = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| {
                    let p = p.trim();
                    p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
                });
                coding.eq_ignore_ascii_case(name) && !refused
            })
        };
        if accepts("br") {
            Coding::Brotli
        } else if accepts("gzip") {
            Coding::Gzip
        } else {
            Coding::Identity
        }
    }
}

fn brotli(bytes: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        // Quality 6: most of brotli's gain at a fraction of the time of its best.
        let mut writer = brotli::CompressorWriter::new(&mut out, 16 * 1024, 6, 22);
        let _ = writer.write_all(bytes);
    }
    out.into()
}

fn gzip(bytes: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::new(6));
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default().into()
}

/// A 64-bit hash of the body, eight bytes at a time: a validator for identical bytes, the same
/// on every instance and build, and cheap next to rendering the page.
fn digest(body: &[u8]) -> String {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunks = body.chunks_exact(8);
    let mut hash = (body.len() as u64).wrapping_mul(K);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        hash = (hash ^ word).wrapping_mul(K).rotate_left(29);
    }
    for &byte in chunks.remainder() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(K).rotate_left(29);
    }
    hash ^= hash >> 32;
    format!("{hash:016x}-{:x}", body.len())
}

/// Where an entry is kept, so that a compressed copy made later counts against the bound.
type KeptAt<'a> = Option<(&'a PageCache, &'a str)>;

/// The copy of `entry` in `coding`, made now if it was not yet.
fn copy_in(kept: KeptAt<'_>, entry: &Arc<Entry>, coding: Coding) -> (Bytes, Coding) {
    if entry.plain.len() < SMALLEST_COMPRESSED {
        return (entry.plain.clone(), Coding::Identity);
    }
    type Compress = fn(&[u8]) -> Bytes;
    let (slot, make): (&OnceLock<Bytes>, Compress) = match coding {
        Coding::Identity => return (entry.plain.clone(), Coding::Identity),
        Coding::Brotli => (&entry.brotli, brotli),
        Coding::Gzip => (&entry.gzip, gzip),
    };
    let mut made = false;
    let bytes = slot
        .get_or_init(|| {
            made = true;
            make(&entry.plain)
        })
        .clone();
    if made {
        if let Some((cache, key)) = kept {
            cache.grew(key, entry, bytes.len());
        }
    }
    (bytes, coding)
}

fn if_none_match_holds(request: &HeaderMap, etag: &str) -> bool {
    request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|wanted| wanted.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn not_modified_since(request: &HeaderMap, last_modified: Option<&HeaderValue>) -> bool {
    let (Some(since), Some(modified)) = (
        request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok()),
        last_modified.and_then(|v| v.to_str().ok()),
    ) else {
        return false;
    };
    match (jiff::fmt::rfc2822::parse(since), jiff::fmt::rfc2822::parse(modified)) {
        (Ok(since), Ok(modified)) => modified.timestamp() <= since.timestamp(),
        _ => false,
    }
}

// Named once: a name given as text is parsed and hashed again on every answer.
const SURROGATE_KEY: header::HeaderName = header::HeaderName::from_static("surrogate-key");
const CACHE_TAG: header::HeaderName = header::HeaderName::from_static("cache-tag");

/// The response for `entry`, in the best coding the request accepts, or a 304.
fn answer(kept: KeptAt<'_>, request: &HeaderMap, entry: &Arc<Entry>) -> Response {
    let (bytes, coding) = copy_in(kept, entry, Coding::negotiate(request));
    let etag = match coding {
        Coding::Identity => format!("\"{}\"", entry.digest),
        Coding::Brotli => format!("\"{}-br\"", entry.digest),
        Coding::Gzip => format!("\"{}-gz\"", entry.digest),
    };
    // If-None-Match wins over If-Modified-Since, as RFC 9110 says.
    let fresh = if request.contains_key(header::IF_NONE_MATCH) {
        if_none_match_holds(request, &etag)
    } else {
        not_modified_since(request, entry.last_modified.as_ref())
    };
    let mut response = if fresh { StatusCode::NOT_MODIFIED.into_response() } else { Body::from(bytes).into_response() };
    let headers = response.headers_mut();
    if !fresh {
        headers.insert(header::CONTENT_TYPE, entry.content_type.clone());
        match coding {
            Coding::Brotli => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
            }
            Coding::Gzip => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
            Coding::Identity => {}
        }
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::VARY, entry.vary.clone());
    headers.insert(header::CACHE_CONTROL, entry.cache_control.clone());
    if let Some(value) = &entry.last_modified {
        headers.insert(header::LAST_MODIFIED, value.clone());
    }
    if let Some(value) = &entry.surrogate_keys {
        headers.insert(SURROGATE_KEY, value.clone());
    }
    if let Some(value) = &entry.cache_tags {
        headers.insert(CACHE_TAG, value.clone());
    }
    response
}

/// The route pattern a request matched, as `/metrics` counts it (and a kept page keeps it, so
/// that its answers from the front are counted under the same name).
pub(crate) fn route_label(request: &Request) -> String {
    request.extensions().get::<axum::extract::MatchedPath>().map_or("(no route)", |m| m.as_str()).to_owned()
}

/// The key a request's page is kept under.
fn key_of(uri: &axum::http::Uri, headers: &HeaderMap) -> String {
    let path = uri.path();
    if path.starts_with("/api/") {
        api_cache_key(path, uri.query(), headers)
    } else {
        cache_key(path, uri.query())
    }
}

/// A kept page answered before the router sees the request: what [`serve_through`] answers
/// for a kept page, without the work of routing and the middleware around it (the cached
/// article page is asked for tens of thousands of times a second, and that work was most of
/// its cost). The caller adds what the layers outside the cache add (the protective headers,
/// the count in `/metrics`, the access log); the route it was kept under comes with it.
///
/// `None` leaves the request to the full stack: not a reader page, not kept, an address
/// another layer answers first (an escaped control character, a WordPress query on the home
/// page), or a page too small to be kept compressed (the compression layer would compress it).
pub(crate) fn answer_before_routing(
    cache: &PageCache,
    catch_up: impl Fn(),
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
) -> Option<(Response, String)> {
    let path = uri.path();
    if !matches!(*method, Method::GET | Method::HEAD) || !cacheable_path(path) || !cache.enabled() {
        return None;
    }
    if crate::security::has_escaped_control_character(path) || (path == "/" && uri.query().is_some()) {
        return None;
    }
    let key = key_of(uri, headers);
    catch_up();
    let entry = cache.lookup(&key)?;
    if entry.plain.len() < SMALLEST_COMPRESSED {
        return None;
    }
    cache.counters.hits.fetch_add(1, Ordering::Relaxed);
    Some((answer(Some((cache, &key)), headers, &entry), entry.route.clone()))
}

/// The middleware's work: answers reader pages from memory, keeps what handlers render, and
/// gives every reader page its caching headers. `catch_up` applies the changes announced so
/// far, before the lookup and again before a rendered page is stored.
pub(crate) async fn serve_through(
    cache: Option<&PageCache>,
    catch_up: impl Fn(),
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !matches!(*request.method(), Method::GET | Method::HEAD) || !cacheable_path(path) {
        return next.run(request).await;
    }
    let is_api = path.starts_with("/api/");
    let key = key_of(request.uri(), request.headers());
    let cache = cache.filter(|c| c.enabled());
    let mut generation = 0;
    catch_up();
    if let Some(cache) = cache {
        if let Some(entry) = cache.lookup(&key) {
            cache.counters.hits.fetch_add(1, Ordering::Relaxed);
            return answer(Some((cache, &key)), request.headers(), &entry);
        }
        cache.counters.misses.fetch_add(1, Ordering::Relaxed);
        generation = cache.generation.load(Ordering::SeqCst);
    }
    let route = route_label(&request);
    // The handler renders the whole page; validation happens here, against the bytes.
    let conditions = request.headers().clone();
    request.headers_mut().remove(header::IF_NONE_MATCH);
    request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    let response = next.run(request).await;
    let keepable = response.status() == StatusCode::OK
        && response.extensions().get::<Shows>().is_some()
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING);
    if !keepable {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(plain) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let shows = parts.extensions.get::<Shows>().cloned().unwrap_or_default();
    let tags: Vec<String> = shows.tags().cloned().collect();
    let entry = Arc::new(Entry {
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8")),
        last_modified: parts.headers.get(header::LAST_MODIFIED).cloned(),
        cache_control: parts
            .headers
            .get(header::CACHE_CONTROL)
            .cloned()
            .unwrap_or(HeaderValue::from_static(READER_CACHE_CONTROL)),
        surrogate_keys: bounded_header(&tags, " "),
        cache_tags: bounded_header(&tags, ","),
        tags,
        digest: digest(&plain),
        plain,
        brotli: OnceLock::new(),
        gzip: OnceLock::new(),
        stored_at: Instant::now(),
        recently_used: AtomicBool::new(false),
        stale_from: OnceLock::new(),
        vary: HeaderValue::from_static(if is_api { "accept, accept-encoding" } else { "accept-encoding" }),
        route,
    });
    // Not kept yet: the copy made now is counted when the entry is stored.
    let mut answered = answer(None, &conditions, &entry);
    // Anything else the handler set still applies.
    for (name, value) in parts.headers.iter() {
        if !answered.headers().contains_key(name) && name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
            answered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    if let Some(cache) = cache {
        catch_up();
        cache.store(key, entry, generation);
    }
    answered
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_newsroom::{ArticleId, AuthorId, SectionId};

    fn entry(bytes: usize, tags: &[&str]) -> Arc<Entry> {
        Arc::new(Entry {
            content_type: HeaderValue::from_static("text/html"),
            last_modified: None,
            cache_control: HeaderValue::from_static(READER_CACHE_CONTROL),
            surrogate_keys: None,
            cache_tags: None,
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            digest: String::new(),
            plain: Bytes::from(vec![b'x'; bytes]),
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
            stored_at: Instant::now(),
            recently_used: AtomicBool::new(false),
            stale_from: OnceLock::new(),
            vary: HeaderValue::from_static("accept-encoding"),
            route: "/article/{id}/{slug}".into(),
        })
    }

    fn cache(budget: usize) -> PageCache {
        PageCache::new(budget, SIDE_LISTS_LAG)
    }

    #[test]
    fn the_cache_stays_within_its_bound_and_spares_pages_being_read() {
        let cache = cache(20_000);
        for n in 0..10 {
            cache.store(format!("/page/{n}"), entry(4_000, &["latest"]), 0);
            // Page 0 is read all the time.
            assert!(cache.lookup("/page/0").is_some(), "the busy page survives storing page {n}");
        }
        let (count, bytes) = cache.usage();
        assert!(bytes <= 20_000 && count <= 5, "{count} pages, {bytes} bytes");
        assert!(cache.lookup("/page/9").is_some(), "the newest page is kept");
        assert!(cache.lookup("/page/1").is_none(), "an old page nobody read went first");
    }

    #[test]
    fn a_change_drops_exactly_the_pages_that_show_it() {
        let cache = cache(1_000_000);
        cache.store("/article/1/a".into(), entry(100, &["story-1", "side-lists"]), 0);
        cache.store("/article/2/b".into(), entry(100, &["story-2", "side-lists"]), 0);
        cache.store("/author/kim".into(), entry(100, &["byline-7", "story-2", "side-lists"]), 0);
        cache.store("/".into(), entry(100, &["latest", "home", "side-lists"]), 0);
        let placement = Placement {
            section: SectionId(3),
            authors: vec![AuthorId(7)],
            topics: vec![],
            published_at: jiff::Timestamp::UNIX_EPOCH,
        };
        let fixed = Change::Story { id: ArticleId(1), before: Some(placement.clone()), after: Some(placement.clone()) };
        cache.apply(&fixed);
        assert!(cache.lookup("/article/1/a").is_none());
        assert!(cache.lookup("/article/2/b").is_some() && cache.lookup("/author/kim").is_some());
        let unpublished = Change::Story { id: ArticleId(5), before: Some(placement), after: None };
        cache.apply(&unpublished);
        assert!(cache.lookup("/author/kim").is_none(), "the byline's list changed");
        assert!(cache.lookup("/").is_none(), "so did the home page's list of the newest");
        let kept = cache.lookup("/article/2/b").expect("an article page stays, for now");
        let due = kept.stale_from.get().expect("marked to be rendered again");
        assert!(*due > Instant::now() + SIDE_LISTS_LAG - Duration::from_secs(5), "within the lag, not at once");
    }

    #[test]
    fn pages_showing_changed_side_lists_are_rendered_again_after_the_lag_and_at_once_without_one() {
        let placement = Placement {
            section: SectionId(3),
            authors: vec![],
            topics: vec![],
            published_at: jiff::Timestamp::UNIX_EPOCH,
        };
        let published = Change::Story { id: ArticleId(9), before: None, after: Some(placement) };
        let lagging = PageCache::new(1_000_000, Duration::from_millis(30));
        lagging.store("/article/2/b".into(), entry(100, &["story-2", "side-lists"]), 0);
        lagging.apply(&published);
        assert!(lagging.lookup("/article/2/b").is_some(), "served as kept within the lag");
        std::thread::sleep(Duration::from_millis(40));
        assert!(lagging.lookup("/article/2/b").is_none(), "rendered again once the lag is over");
        let strict = PageCache::new(1_000_000, Duration::ZERO);
        strict.store("/article/2/b".into(), entry(100, &["story-2", "side-lists"]), 0);
        strict.apply(&published);
        assert!(strict.lookup("/article/2/b").is_none(), "no lag: dropped with the change");
    }

    #[test]
    fn a_page_rendered_across_a_change_is_not_kept() {
        let cache = cache(1_000_000);
        let started = cache.generation.load(Ordering::SeqCst);
        cache.apply(&Change::HomeCuration);
        cache.store("/".into(), entry(100, &["home"]), started);
        assert!(cache.lookup("/").is_none());
    }

    #[test]
    fn a_page_is_kept_under_what_it_reads_and_junk_in_the_query_adds_no_entry() {
        assert_eq!(cache_key("/national/", None), "/national/");
        assert_eq!(cache_key("/national/", Some("utm_source=x&fbclid=y")), "/national/");
        assert_eq!(cache_key("/national/", Some("utm=1&page=2")), "/national/?page=2");
        assert_eq!(cache_key("/national/", Some("page=2&utm=9")), cache_key("/national/", Some("page=2")));
        assert_eq!(cache_key("/national/", Some("page=1&page=2")), "/national/?page=1&page=2");
        assert_eq!(cache_key("/national/", Some("%70age=2")), "/national/?page=2", "read as the page reads it");
        assert_eq!(cache_key("/national/", Some("page=%32")), cache_key("/national/", Some("page=2")));
        assert_eq!(cache_key("/national/", Some("page=02")), "/national/?page=2", "one spelling of a number");
        assert_eq!(cache_key("/national/", Some("page=%2B2")), "/national/?page=2");
        assert_eq!(cache_key("/national/", Some("page=1")), "/national/", "page 1 is the front");
        assert_eq!(cache_key("/national/", Some("page=x")), "/national/?page=x", "a 400, never kept");
    }

    #[test]
    fn one_path_is_kept_in_a_bounded_number_of_variants_and_its_plain_page_always_fits() {
        let cache = cache(100_000_000);
        let started = cache.generation.load(Ordering::SeqCst);
        for n in 0..(MOST_VARIANTS_PER_PATH + 50) {
            cache.store(format!("/api/v1/stories?cursor={n}-1"), entry(100, &["latest"]), started);
        }
        assert_eq!(cache.usage().0, MOST_VARIANTS_PER_PATH, "variants past the bound are not kept");
        cache.store("/api/v1/stories".into(), entry(100, &["latest"]), started);
        assert!(cache.lookup("/api/v1/stories").is_some(), "the path without a query is kept");
        cache.store("/api/v1/stories/7".into(), entry(100, &["story:7"]), started);
        assert!(cache.lookup("/api/v1/stories/7").is_some(), "another path is not held back");
        cache.purge(&["latest".to_owned()]);
        cache.store("/api/v1/stories?cursor=new-1".into(), entry(100, &["latest"]), started + 1);
        assert!(cache.lookup("/api/v1/stories?cursor=new-1").is_some(), "purged variants free their places");
    }

    #[test]
    fn the_validator_tells_bytes_apart() {
        let page = "<p>The port reopened on Monday.</p>".repeat(30);
        assert_eq!(digest(page.as_bytes()), digest(page.clone().as_bytes()));
        assert_ne!(digest(page.as_bytes()), digest(page.replace("Monday", "Sunday").as_bytes()));
        assert_ne!(digest(b"abc"), digest(b"abd"));
    }

    #[test]
    fn the_best_accepted_coding_is_chosen() {
        let headers = |value: &str| {
            let mut map = HeaderMap::new();
            map.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(value).expect("value"));
            map
        };
        assert!(Coding::negotiate(&headers("gzip, deflate, br")) == Coding::Brotli);
        assert!(Coding::negotiate(&headers("gzip, br;q=0")) == Coding::Gzip);
        assert!(Coding::negotiate(&headers("identity")) == Coding::Identity);
        assert!(Coding::negotiate(&HeaderMap::new()) == Coding::Identity);
    }
}
