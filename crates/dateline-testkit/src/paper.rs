//! Builders for test content, in the newsroom's words: a small paper with a section tree, a
//! reporter and an agency, and stories made with `StoryBuilder`.

use dateline_newsroom::{
    ArticleContent, ArticleId, ArticleStatus, Author, AuthorId, AuthorKind, EditorialSettings, Label, Media, MediaId,
    NewArticle, NewAuthor, NewMedia, NewSection, RevisionAuthor, Section, SectionId, Slug, Store,
};
use jiff::{SignedDuration, Timestamp};

pub fn slug(text: &str) -> Slug {
    Slug::parse(text).expect("a valid slug")
}

/// National › Politics, Business, a reporter, a second reporter and an agency, in Seoul's zone.
pub struct SmallPaper {
    pub national: Section,
    pub politics: Section,
    pub business: Section,
    pub reporter: Author,
    pub colleague: Author,
    pub agency: Author,
}

impl SmallPaper {
    pub async fn create(store: &impl Store) -> SmallPaper {
        let settings = EditorialSettings {
            site_name: "The Test Dateline".into(),
            owner: "Test Media Corporation".into(),
            time_zone: "Asia/Seoul".into(),
            ..EditorialSettings::default()
        };
        store.save_settings(&settings).await.expect("settings");
        let section = |slug_text: &str, name: &str, parent: Option<SectionId>, position| NewSection {
            slug: slug(slug_text),
            name: name.into(),
            parent_id: parent,
            position,
        };
        let national =
            store.insert_section(&section("national", "National", None, 0), "national").await.expect("national");
        let politics = store
            .insert_section(&section("politics", "Politics", Some(national.id), 0), "national/politics")
            .await
            .expect("politics");
        let business =
            store.insert_section(&section("business", "Business", None, 1), "business").await.expect("business");
        let person = |slug_text: &str, name: &str, kind| NewAuthor {
            slug: slug(slug_text),
            name: name.into(),
            kind,
            bio: format!("{name} writes for us."),
            photo_id: None,
        };
        let reporter =
            store.insert_author(&person("kim-min-ji", "Kim Min-ji", AuthorKind::Person)).await.expect("reporter");
        let colleague =
            store.insert_author(&person("lee-jae-won", "Lee Jae-won", AuthorKind::Person)).await.expect("colleague");
        let agency = store.insert_author(&person("yonhap", "Yonhap", AuthorKind::Agency)).await.expect("agency");
        SmallPaper { national, politics, business, reporter, colleague, agency }
    }
}

/// A library of `count` photos whose oldest, taken ten years before `now`, is returned: for
/// tests that a form keeps a photo older than any list it offers.
pub async fn library_with_an_old_photo(store: &impl Store, count: usize, now: Timestamp) -> Media {
    let oldest = photo(
        store,
        "2016/harbour.jpg",
        "The old harbour",
        "Archive",
        now - jiff::SignedDuration::from_hours(24 * 3650),
    )
    .await;
    for n in 1..count {
        photo(store, &format!("2026/p{n}.jpg"), &format!("Photo {n}"), "Desk", now).await;
    }
    oldest
}

pub async fn photo(store: &impl Store, key: &str, caption: &str, credit: &str, now: Timestamp) -> Media {
    store
        .insert_media(
            &NewMedia {
                storage_key: key.into(),
                mime_type: "image/jpeg".into(),
                width: 1200,
                height: 675,
                byte_size: 1000,
                caption: caption.into(),
                credit: credit.into(),
                alt_text: "A test picture".into(),
                photographer: "Test Photographer".into(),
                file_facts: Vec::new(),
                content_credentials: None,
            },
            now,
        )
        .await
        .expect("media")
}

/// A story to store: published an hour before `now` unless told otherwise.
pub struct StoryBuilder {
    new: NewArticle,
}

impl StoryBuilder {
    pub fn new(headline: &str, section: SectionId, now: Timestamp) -> Self {
        let published = now - SignedDuration::from_hours(1);
        StoryBuilder {
            new: NewArticle {
                content: ArticleContent {
                    slug: Slug::suggest(headline).expect("a headline with ASCII words"),
                    headline: headline.into(),
                    deck: None,
                    section_id: section,
                    bylines: vec![],
                    label: None,
                    topics: vec![],
                    lead_media_id: None,
                    body: format!("{headline}, the first paragraph says.\n\nA second paragraph follows."),
                    seo_title: None,
                    seo_description: None,
                    dateline: None,
                },
                status: ArticleStatus::Published,
                embargo_until: None,
                publish_at: None,
                first_published_at: Some(published),
                last_public_update_at: None,
                created_at: published,
                made_by: RevisionAuthor::system("test"),
            },
        }
    }

    pub fn by(mut self, authors: &[AuthorId]) -> Self {
        self.new.content.bylines = authors.to_vec();
        self
    }

    /// A story that never went out has no publication time.
    pub fn status(mut self, status: ArticleStatus) -> Self {
        self.new.status = status;
        if matches!(status, ArticleStatus::Draft | ArticleStatus::InReview | ArticleStatus::Scheduled) {
            self.new.first_published_at = None;
        }
        self
    }

    pub fn published_at(mut self, at: Timestamp) -> Self {
        self.new.first_published_at = Some(at);
        self.new.created_at = at;
        self
    }

    pub fn updated_at(mut self, at: Timestamp) -> Self {
        self.new.last_public_update_at = Some(at);
        self
    }

    pub fn embargoed_until(mut self, until: Timestamp) -> Self {
        self.new.embargo_until = Some(until);
        self
    }

    pub fn deck(mut self, deck: &str) -> Self {
        self.new.content.deck = Some(deck.into());
        self
    }

    pub fn label(mut self, label: Label) -> Self {
        self.new.content.label = Some(label);
        self
    }

    pub fn body(mut self, body: &str) -> Self {
        self.new.content.body = body.into();
        self
    }

    /// Started on the desk by `user` (else by the system, as an import is).
    pub fn started_by(mut self, user: &dateline_newsroom::User) -> Self {
        self.new.made_by = RevisionAuthor { user_id: Some(user.id), name: user.name.clone() };
        self
    }

    pub fn topics(mut self, topics: &[dateline_newsroom::TopicId]) -> Self {
        self.new.content.topics = topics.to_vec();
        self
    }

    pub fn lead_photo(mut self, media: MediaId) -> Self {
        self.new.content.lead_media_id = Some(media);
        self
    }

    pub fn build(self) -> NewArticle {
        self.new
    }

    pub async fn store(self, store: &impl Store) -> ArticleId {
        store.insert_article(&self.new).await.expect("store the story")
    }
}

/// A desk user with this role and a known password.
pub async fn desk_user(
    store: &impl Store,
    role: dateline_newsroom::Role,
    name: &str,
) -> (dateline_newsroom::User, String) {
    let password = format!("{name}-password-2026").to_lowercase().replace(' ', "-");
    let email = format!("{}@dateline.test", name.to_lowercase().replace(' ', "."));
    let hash = dateline_newsroom::accounts::hash_password(&password).expect("hash");
    let user = store
        .insert_user(
            &dateline_newsroom::NewUser { email, name: name.into(), role, password_hash: hash },
            Timestamp::now(),
        )
        .await
        .expect("desk user");
    (user, password)
}

/// A wire source named `name` delivering `format` (`ninjs-1.4`, `newsml-g2`, …) into
/// `section`, with the agency as an author of its own; returns it and its HTTP token.
pub async fn wire_source(
    store: &impl Store,
    name: &str,
    format: &str,
    section: SectionId,
    publish_at_once: bool,
) -> (dateline_newsroom::wire::WireSource, String) {
    let set_up = dateline_newsroom::wire::SourceSetUp {
        slug: Slug::suggest(name).expect("an ASCII agency name"),
        name: name.to_owned(),
        format: format.to_owned(),
        section_id: section,
        publish_at_once,
        folder: None,
        over_http: true,
        dateline_format: None,
    };
    let (source, token) =
        dateline_newsroom::wire::set_up_source(store, &set_up, Timestamp::now()).await.expect("the wire source");
    (source, token.expect("a token"))
}

/// A whole GIF of a few dozen bytes whose logical screen is `side` × `side`: one 1×1 frame. A
/// decompression bomb when `side` is large, since decoding it allocates the whole screen.
pub fn gif_declaring_a_screen_of(side: u16) -> Vec<u8> {
    let mut gif = b"GIF89a".to_vec();
    gif.extend(side.to_le_bytes());
    gif.extend(side.to_le_bytes());
    gif.extend([0x80, 0, 0, 0, 0, 0, 255, 255, 255]);
    gif.extend([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0, 0x3B]);
    gif
}
