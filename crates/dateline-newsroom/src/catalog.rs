//! Catalog edits: the paper's authors, topics, static pages, sections, settings, home page
//! curation and desk accounts, each changed through one use case here.
//!
//! A use case takes the actor, the editor's text as typed ([`AuthorFields`] and its kin, so
//! the desk, the API and the CLI read requests the same way) and, for a change, what it
//! changes. It checks the actor's role against the permission table first (a refusal stores
//! nothing and reads nothing), then the text into the model's types, then hands one write to
//! the store. Problems come back as one [`CatalogError`]: a sentence naming the field at
//! fault, a clash with what is already stored, or a missing entry, never a bare string.

use crate::accounts::{hash_password, normalize_email, Action, Role, User};
use crate::author::{Author, AuthorKind, NewAuthor};
use crate::ids::{ArticleId, AuthorId, PageId, SectionId, Slug, TopicId};
use crate::page::{NewPage, StaticPage};
use crate::section::{change_section, create_section, CreateSectionError, NewSection, Section, SectionChange};
use crate::settings::{EditorialSettings, HomeCuration};
use crate::store::{
    ArticleStore, AuthorStore, PageStore, SectionStore, SettingsStore, StoreError, TopicStore, UserStore,
};
use crate::topic::{NewTopic, Topic};
use crate::NewUser;
use jiff::Timestamp;

/// Why a catalog edit was not made. Nothing is stored in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The actor's role may not make this change.
    #[error("your role may not make this change")]
    NotAllowed,
    /// What was typed cannot be used; `problem` is a sentence an editor can act on.
    #[error("{problem}")]
    Invalid { field: &'static str, problem: String },
    /// It clashes with what is stored (a slug or an e-mail address already in use).
    #[error("{0}")]
    Taken(String),
    /// The entry to change does not exist.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for CatalogError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(what) => CatalogError::Taken(what),
            StoreError::NotFound => CatalogError::NotFound,
            other => CatalogError::Store(other),
        }
    }
}

impl CatalogError {
    /// The field at fault, when one is.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CatalogError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

fn invalid(field: &'static str, problem: impl Into<String>) -> CatalogError {
    CatalogError::Invalid { field, problem: problem.into() }
}

fn allow(actor: &User, action: Action) -> Result<(), CatalogError> {
    if actor.role.may(action) {
        Ok(())
    } else {
        Err(CatalogError::NotAllowed)
    }
}

fn slug(text: &str) -> Result<Slug, CatalogError> {
    Slug::parse(text.trim()).map_err(|e| invalid("slug", format!("the slug is not usable: {e}")))
}

fn required(field: &'static str, text: &str, problem: &str) -> Result<String, CatalogError> {
    let text = text.trim();
    if text.is_empty() {
        Err(invalid(field, problem))
    } else {
        Ok(text.to_owned())
    }
}

/// An author as typed on the desk or sent to the API.
#[derive(Debug, Clone, Default)]
pub struct AuthorFields {
    pub slug: String,
    pub name: String,
    /// `person` or `agency`.
    pub kind: String,
    pub bio: String,
}

impl AuthorFields {
    fn check(&self) -> Result<NewAuthor, CatalogError> {
        let slug = slug(&self.slug)?;
        let name = required("name", &self.name, "an author needs a name")?;
        let kind = AuthorKind::parse(self.kind.trim()).ok_or_else(|| invalid("kind", "choose person or agency"))?;
        Ok(NewAuthor { slug, name, kind, bio: self.bio.trim().to_owned(), photo_id: None })
    }
}

pub async fn add_author(store: &impl AuthorStore, actor: &User, fields: &AuthorFields) -> Result<Author, CatalogError> {
    allow(actor, Action::ManageAuthors)?;
    let new = fields.check()?;
    Ok(store.insert_author(&new).await?)
}

/// Changes an author's slug, name, kind or biography; their photo stays. A new name reaches
/// the search index of every story they wrote, in the same write.
pub async fn change_author(
    store: &impl AuthorStore,
    actor: &User,
    id: AuthorId,
    fields: &AuthorFields,
) -> Result<Author, CatalogError> {
    allow(actor, Action::ManageAuthors)?;
    let mut changed = fields.check()?;
    let current = store.authors_by_ids(&[id]).await?.into_iter().next().ok_or(CatalogError::NotFound)?;
    changed.photo_id = current.photo_id;
    Ok(store.update_author(id, &changed).await?)
}

/// A topic as typed.
#[derive(Debug, Clone, Default)]
pub struct TopicFields {
    pub slug: String,
    pub name: String,
    pub description: String,
}

impl TopicFields {
    fn check(&self) -> Result<NewTopic, CatalogError> {
        Ok(NewTopic {
            slug: slug(&self.slug)?,
            name: required("name", &self.name, "a topic needs a name")?,
            description: self.description.trim().to_owned(),
        })
    }
}

pub async fn add_topic(store: &impl TopicStore, actor: &User, fields: &TopicFields) -> Result<Topic, CatalogError> {
    allow(actor, Action::ManageTopics)?;
    let new = fields.check()?;
    Ok(store.insert_topic(&new).await?)
}

pub async fn change_topic(
    store: &impl TopicStore,
    actor: &User,
    id: TopicId,
    fields: &TopicFields,
) -> Result<Topic, CatalogError> {
    allow(actor, Action::ManageTopics)?;
    let changed = fields.check()?;
    Ok(store.update_topic(id, &changed).await?)
}

/// A static page (about us, contact, terms) as typed; the body is Markdown.
#[derive(Debug, Clone, Default)]
pub struct PageFields {
    pub slug: String,
    pub title: String,
    pub body: String,
}

impl PageFields {
    fn check(&self) -> Result<NewPage, CatalogError> {
        Ok(NewPage {
            slug: slug(&self.slug)?,
            title: required("title", &self.title, "a page needs a title")?,
            body: self.body.replace("\r\n", "\n").trim().to_owned(),
        })
    }
}

pub async fn add_page(
    store: &impl PageStore,
    actor: &User,
    fields: &PageFields,
    now: Timestamp,
) -> Result<StaticPage, CatalogError> {
    allow(actor, Action::ManagePages)?;
    let new = fields.check()?;
    Ok(store.insert_page(&new, now).await?)
}

pub async fn change_page(
    store: &impl PageStore,
    actor: &User,
    id: PageId,
    fields: &PageFields,
    now: Timestamp,
) -> Result<StaticPage, CatalogError> {
    allow(actor, Action::ManagePages)?;
    let changed = fields.check()?;
    Ok(store.update_page(id, &changed, now).await?)
}

/// A section as typed: its parent (empty for a top-level section) and its place in the menu.
#[derive(Debug, Clone, Default)]
pub struct SectionFields {
    pub slug: String,
    pub name: String,
    pub parent: String,
    pub position: String,
}

impl SectionFields {
    fn check(&self) -> Result<SectionChange, CatalogError> {
        let parent_id = match self.parent.trim() {
            "" => None,
            text => Some(SectionId(text.parse().map_err(|_| invalid("parent", "the parent section is not valid"))?)),
        };
        let position = match self.position.trim() {
            "" => 0,
            text => text.parse().map_err(|_| invalid("position", "the position must be a whole number"))?,
        };
        Ok(SectionChange { slug: slug(&self.slug)?, name: self.name.trim().to_owned(), parent_id, position })
    }
}

impl From<CreateSectionError> for CatalogError {
    fn from(error: CreateSectionError) -> Self {
        match error {
            CreateSectionError::Invalid(problem) => invalid("slug", problem.to_string()),
            CreateSectionError::Store(store) => store.into(),
        }
    }
}

/// Adds a section under the tree's rules (no reserved slug, at most two levels).
pub async fn add_section(
    store: &impl SectionStore,
    actor: &User,
    fields: &SectionFields,
) -> Result<Section, CatalogError> {
    allow(actor, Action::ManageSections)?;
    let SectionChange { slug, name, parent_id, position } = fields.check()?;
    Ok(create_section(store, NewSection { slug, name, parent_id, position }).await?)
}

/// Renames, moves or reorders a section; its old addresses keep working as redirects.
pub async fn change_section_as(
    store: &impl SectionStore,
    actor: &User,
    id: SectionId,
    fields: &SectionFields,
) -> Result<Section, CatalogError> {
    allow(actor, Action::ManageSections)?;
    let change = fields.check()?;
    Ok(change_section(store, id, change).await?)
}

/// Replaces the paper's settings after checking them (zone, language, formats, links).
pub async fn change_settings(
    store: &impl SettingsStore,
    actor: &User,
    settings: &EditorialSettings,
) -> Result<(), CatalogError> {
    allow(actor, Action::ManageSettings)?;
    settings.validate().map_err(|problem| invalid("settings", problem.to_string()))?;
    Ok(store.save_settings(settings).await?)
}

/// Sets the home page's lead story and the picks after it. Each story appears once (the lead
/// is not repeated among the picks), and only stories readers can see now may be chosen.
pub async fn curate_home<S: SettingsStore + ArticleStore + crate::store::MediaStore>(
    store: &S,
    actor: &User,
    lead: Option<ArticleId>,
    picks: &[ArticleId],
    photos: &[crate::settings::SlotPhoto],
    now: Timestamp,
) -> Result<HomeCuration, CatalogError> {
    let curation = check_home_curation(store, actor, lead, picks, photos, now).await?;
    store.save_home_curation(&curation).await?;
    Ok(curation)
}

/// The curation an editor's form asks for, checked as [`curate_home`] checks it but not
/// saved: what the desk's preview of the home page shows.
pub async fn check_home_curation<S: SettingsStore + ArticleStore + crate::store::MediaStore>(
    store: &S,
    actor: &User,
    lead: Option<ArticleId>,
    picks: &[ArticleId],
    photos: &[crate::settings::SlotPhoto],
    now: Timestamp,
) -> Result<HomeCuration, CatalogError> {
    allow(actor, Action::CurateHome)?;
    let mut top: Vec<ArticleId> = Vec::new();
    for id in picks {
        if Some(*id) != lead && !top.contains(id) {
            top.push(*id);
        }
    }
    let chosen: Vec<ArticleId> = lead.into_iter().chain(top.iter().copied()).collect();
    if store.public_by_ids(now, &chosen).await?.len() != chosen.len() {
        return Err(invalid("top", "only stories readers can see may go on the home page"));
    }
    // A photo is kept only for a story that has a place, and must be in the library.
    let mut kept: Vec<crate::settings::SlotPhoto> = Vec::new();
    for choice in photos.iter().filter(|p| chosen.contains(&p.story)) {
        match store.media_by_id(choice.photo).await {
            Ok(_) => {}
            Err(crate::StoreError::NotFound) => return Err(invalid("photo", "a chosen photo is not in the library")),
            Err(other) => return Err(other.into()),
        }
        if !kept.iter().any(|p| p.story == choice.story) {
            kept.push(*choice);
        }
    }
    Ok(HomeCuration { lead, top, photos: kept })
}

/// A desk account as typed by the admin who makes it.
#[derive(Debug, Clone, Default)]
pub struct UserFields {
    pub email: String,
    pub name: String,
    pub role: String,
    pub password: String,
}

pub async fn add_user(
    store: &impl UserStore,
    actor: &User,
    fields: &UserFields,
    now: Timestamp,
) -> Result<User, CatalogError> {
    allow(actor, Action::ManageUsers)?;
    let email = normalize_email(&fields.email).map_err(|e| invalid("email", e.to_string()))?;
    let name = required("name", &fields.name, "a user needs a name")?;
    let role = Role::parse(fields.role.trim()).ok_or_else(|| invalid("role", "choose a role"))?;
    let password_hash = hash_password(&fields.password).map_err(|e| invalid("password", e.to_string()))?;
    Ok(store.insert_user(&NewUser { email, name, role, password_hash }, now).await?)
}

/// Says which author a desk account writes as (none: under no byline), so that a reporter
/// bylined on a live story may post to it.
pub async fn set_user_byline<S: UserStore + crate::store::AuthorStore>(
    store: &S,
    actor: &User,
    user: crate::ids::UserId,
    author: Option<crate::ids::AuthorId>,
) -> Result<User, CatalogError> {
    allow(actor, Action::ManageUsers)?;
    if let Some(author) = author {
        if store.authors_by_ids(&[author]).await?.is_empty() {
            return Err(invalid("author", "choose an author who exists"));
        }
    }
    Ok(store.set_user_author(user, author).await?)
}

/// A write API key as an admin (or the operator's CLI) asks for it.
#[derive(Debug, Clone, Default)]
pub struct ApiKeyFields {
    pub name: String,
    /// The role the key acts in (`editor`, `reporter`, …).
    pub role: String,
    /// The last day it works, `2027-06-30`, in UTC; empty for a key that does not expire.
    pub expires: String,
}

/// Makes a key: checks the name, the role and the date, stores the key's digest, and returns
/// the key with its token, which is shown this once and never kept. `actor` is the admin on
/// the desk, or `None` for the operator at the command line.
pub async fn add_api_key(
    store: &impl crate::store::ApiKeyStore,
    actor: Option<&User>,
    fields: &ApiKeyFields,
    now: Timestamp,
) -> Result<(crate::accounts::ApiKey, String), CatalogError> {
    if let Some(actor) = actor {
        allow(actor, Action::ManageUsers)?;
    }
    let name = required("name", &fields.name, "a key needs a name, such as the app or partner it is for")?;
    if name.chars().count() > 80 {
        return Err(invalid("name", "a key's name can be at most 80 characters"));
    }
    let role = Role::parse(fields.role.trim())
        .ok_or_else(|| invalid("role", "choose a role: admin, editor, photo_editor, reporter or contributor"))?;
    let expires_at = match fields.expires.trim() {
        "" => None,
        text => {
            let day: jiff::civil::Date =
                text.parse().map_err(|_| invalid("expires", "the expiry must be a day such as 2027-06-30"))?;
            let end = day
                .tomorrow()
                .ok()
                .and_then(|next| next.to_zoned(jiff::tz::TimeZone::UTC).ok())
                .map(|z| z.timestamp())
                .ok_or_else(|| invalid("expires", "the expiry is out of range"))?;
            if end <= now {
                return Err(invalid("expires", "the expiry is in the past"));
            }
            Some(end)
        }
    };
    let token =
        crate::accounts::new_api_key_token().map_err(|e| CatalogError::Store(StoreError::Other(e.to_string())))?;
    let key = store.insert_api_key(&name, role, &crate::accounts::token_digest(&token), expires_at, now).await?;
    Ok((key, token))
}

/// Revokes a key by name: it stops working at once, on every instance.
pub async fn revoke_api_key(
    store: &impl crate::store::ApiKeyStore,
    actor: Option<&User>,
    name: &str,
    now: Timestamp,
) -> Result<crate::accounts::ApiKey, CatalogError> {
    if let Some(actor) = actor {
        allow(actor, Action::ManageUsers)?;
    }
    Ok(store.revoke_api_key(name.trim(), now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{MediaId, UserId};
    use crate::store::StoreResult;
    use std::sync::Mutex;

    /// Authors kept in memory: enough of a store to show what the use cases ask of one.
    #[derive(Default)]
    struct Authors(Mutex<Vec<Author>>);

    impl AuthorStore for Authors {
        async fn insert_author(&self, new: &NewAuthor) -> StoreResult<Author> {
            let mut all = self.0.lock().expect("lock");
            if all.iter().any(|a| a.slug == new.slug) {
                return Err(StoreError::Conflict(format!("an author already has the slug {:?}", new.slug.as_str())));
            }
            let author = Author {
                id: AuthorId(all.len() as i64 + 1),
                slug: new.slug.clone(),
                name: new.name.clone(),
                kind: new.kind,
                bio: new.bio.clone(),
                photo_id: new.photo_id,
            };
            all.push(author.clone());
            Ok(author)
        }
        async fn author_by_slug(&self, slug: &Slug) -> StoreResult<Author> {
            self.0.lock().expect("lock").iter().find(|a| &a.slug == slug).cloned().ok_or(StoreError::NotFound)
        }
        async fn authors_by_ids(&self, ids: &[AuthorId]) -> StoreResult<Vec<Author>> {
            Ok(self.0.lock().expect("lock").iter().filter(|a| ids.contains(&a.id)).cloned().collect())
        }
        async fn authors(&self) -> StoreResult<Vec<Author>> {
            Ok(self.0.lock().expect("lock").clone())
        }
        async fn update_author(&self, id: AuthorId, changed: &NewAuthor) -> StoreResult<Author> {
            let mut all = self.0.lock().expect("lock");
            let author = all.iter_mut().find(|a| a.id == id).ok_or(StoreError::NotFound)?;
            *author = Author {
                id,
                slug: changed.slug.clone(),
                name: changed.name.clone(),
                kind: changed.kind,
                bio: changed.bio.clone(),
                photo_id: changed.photo_id,
            };
            Ok(author.clone())
        }
    }

    fn someone(role: Role) -> User {
        User {
            id: UserId(1),
            email: "desk@example.com".into(),
            name: "Desk".into(),
            role,
            created_at: Timestamp::UNIX_EPOCH,
            author_id: None,
        }
    }

    fn kim() -> AuthorFields {
        AuthorFields {
            slug: "kim-min-ji".into(),
            name: " Kim Min-ji ".into(),
            kind: "person".into(),
            bio: String::new(),
        }
    }

    #[tokio::test]
    async fn a_reporter_may_not_add_an_author_and_nothing_is_stored() {
        let store = Authors::default();
        let refused = add_author(&store, &someone(Role::Reporter), &kim()).await;
        assert!(matches!(refused, Err(CatalogError::NotAllowed)), "{refused:?}");
        assert!(store.authors().await.expect("authors").is_empty());
    }

    #[tokio::test]
    async fn an_editor_adds_an_author_and_a_second_with_the_same_slug_is_taken() {
        let store = Authors::default();
        let editor = someone(Role::Editor);
        let added = add_author(&store, &editor, &kim()).await.expect("added");
        assert_eq!(added.name, "Kim Min-ji", "the name is trimmed");
        let again = add_author(&store, &editor, &kim()).await;
        assert!(matches!(&again, Err(CatalogError::Taken(what)) if what.contains("kim-min-ji")), "{again:?}");
    }

    #[tokio::test]
    async fn what_cannot_be_used_names_its_field() {
        let store = Authors::default();
        let editor = someone(Role::Editor);
        let cases = [
            (AuthorFields { slug: "Kim Min Ji".into(), ..kim() }, "slug"),
            (AuthorFields { name: "  ".into(), ..kim() }, "name"),
            (AuthorFields { kind: "robot".into(), ..kim() }, "kind"),
        ];
        for (fields, field) in cases {
            let refused = add_author(&store, &editor, &fields).await.expect_err("refused");
            assert_eq!(refused.field(), Some(field), "{refused}");
        }
        assert!(store.authors().await.expect("authors").is_empty());
    }

    #[tokio::test]
    async fn renaming_an_author_keeps_their_photo_and_a_missing_one_is_not_found() {
        let store = Authors::default();
        let editor = someone(Role::Editor);
        let added = add_author(&store, &editor, &kim()).await.expect("added");
        store.0.lock().expect("lock")[0].photo_id = Some(MediaId(9));
        let renamed =
            change_author(&store, &editor, added.id, &AuthorFields { name: "Kim Min-ji (Seoul)".into(), ..kim() })
                .await
                .expect("renamed");
        assert_eq!((renamed.name.as_str(), renamed.photo_id), ("Kim Min-ji (Seoul)", Some(MediaId(9))));
        let missing = change_author(&store, &editor, AuthorId(99), &kim()).await;
        assert!(matches!(missing, Err(CatalogError::NotFound)), "{missing:?}");
    }

    #[test]
    fn section_fields_are_read_with_a_sentence_for_each_mistake() {
        let fields =
            SectionFields { slug: "politics".into(), name: "Politics".into(), parent: "x".into(), position: "".into() };
        assert_eq!(fields.check().expect_err("bad parent").field(), Some("parent"));
        let fields = SectionFields { parent: "".into(), position: "first".into(), ..fields };
        assert_eq!(fields.check().expect_err("bad position").field(), Some("position"));
        let fields = SectionFields { position: " 3 ".into(), ..fields };
        assert_eq!(fields.check().expect("usable").position, 3);
    }
}
