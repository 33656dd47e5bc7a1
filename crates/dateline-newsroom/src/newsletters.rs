//! Newsletters: the paper's briefings sent to readers' inboxes (issue 17).
//!
//! A *newsletter* is a list readers subscribe to (the morning briefing, a section's weekly
//! letter), with its sender, an optional schedule in the paper's zone ("weekdays 07:00") and
//! where its editions take their stories from (the home page's choice, a section's newest, or
//! an editor's picks). An *edition* is one issue of it: a subject, an editor's note and the
//! stories, previewed on the desk, then scheduled or sent. When it goes out, one *delivery*
//! row is written per confirmed subscriber in one transaction, unique per (edition,
//! subscriber), and the sending worker marks each row sent at the moment the SMTP relay holds
//! the whole message but has not been told it is complete (`dateline_mail::smtp`), so a crash
//! or a second instance never sends one reader the same edition twice (a crash can lose the
//! one message per connection caught between that mark and the final `.`, see
//! `dateline_mail`).
//!
//! Subscribing is double opt-in without storing an unconfirmed address: the confirmation
//! e-mail carries a signed, expiring token holding the address and the lists chosen
//! ([`Token::Confirm`]); only following it stores the address. Every message carries a signed
//! token for one-click unsubscribing from its list ([`Token::Unsubscribe`]) and one for
//! managing all of a reader's subscriptions ([`Token::Manage`]); neither expires, neither
//! names the address, and none can be made without the server's key.
//!
//! Rules live here (who may manage newsletters, what a valid address or schedule is, when a
//! scheduled newsletter is next due); SQL in the storage crate; sending in the web crate.

use crate::accounts::{Action, User};
use crate::catalog::CatalogError;
use crate::ids::{ArticleId, SectionId, Slug, UserId};
use crate::store::StoreResult;
use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use std::future::Future;

pub const MAX_NAME_CHARS: usize = 120;
pub const MAX_DESCRIPTION_CHARS: usize = 1_000;
pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_NOTE_CHARS: usize = 10_000;
pub const MAX_STORIES: usize = 30;
/// How long a confirmation link works.
pub const CONFIRMATION_LIFETIME: SignedDuration = SignedDuration::from_hours(48);

/// Where an edition's stories come from when it is assembled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditionSource {
    /// The home page's lead and top stories, as the editors arranged them.
    Home,
    /// A section's newest stories (with its subsections').
    Section(SectionId),
    /// Only what an editor picks.
    ByHand,
}

impl EditionSource {
    pub fn as_text(&self) -> String {
        match self {
            EditionSource::Home => "home".into(),
            EditionSource::Section(id) => format!("section:{}", id.0),
            EditionSource::ByHand => "by-hand".into(),
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "home" => Some(EditionSource::Home),
            "by-hand" => Some(EditionSource::ByHand),
            other => other.strip_prefix("section:")?.parse().ok().map(|id| EditionSource::Section(SectionId(id))),
        }
    }
}

/// When a newsletter goes out by itself: on some days of the week, at one time of day, in the
/// paper's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Monday first.
    pub days: [bool; 7],
    pub at: Time,
}

const DAY_NAMES: [(&str, Weekday); 7] = [
    ("mon", Weekday::Monday),
    ("tue", Weekday::Tuesday),
    ("wed", Weekday::Wednesday),
    ("thu", Weekday::Thursday),
    ("fri", Weekday::Friday),
    ("sat", Weekday::Saturday),
    ("sun", Weekday::Sunday),
];

impl Schedule {
    /// Reads "weekdays 07:00", "daily 06:30", "weekends 09:00", "sundays 08:00" or
    /// "mon,wed,fri 07:15".
    pub fn parse(text: &str) -> Result<Schedule, String> {
        let text = text.trim().to_ascii_lowercase();
        let (days_text, time_text) = text
            .rsplit_once(' ')
            .ok_or_else(|| "write the days and a time, such as \"weekdays 07:00\" or \"mon,thu 18:30\"".to_owned())?;
        let at = parse_time(time_text.trim())
            .ok_or_else(|| format!("\"{time_text}\" is not a time of day such as 07:00"))?;
        let mut days = [false; 7];
        match days_text.trim() {
            "daily" | "every day" => days = [true; 7],
            "weekdays" => days[..5].iter_mut().for_each(|d| *d = true),
            "weekends" => days[5..].iter_mut().for_each(|d| *d = true),
            list => {
                for word in list.split([',', ' ']).map(str::trim).filter(|w| !w.is_empty()) {
                    let stem = word.get(..3).unwrap_or(word);
                    let index = DAY_NAMES
                        .iter()
                        .position(|(name, _)| *name == stem)
                        .ok_or_else(|| format!("\"{word}\" is not a day; write mon, tue, … or weekdays or daily"))?;
                    days[index] = true;
                }
            }
        }
        if !days.contains(&true) {
            return Err("name at least one day".into());
        }
        Ok(Schedule { days, at })
    }

    /// The schedule as [`Schedule::parse`] reads it back.
    pub fn as_text(&self) -> String {
        let days = if self.days == [true; 7] {
            "daily".to_owned()
        } else if self.days == [true, true, true, true, true, false, false] {
            "weekdays".to_owned()
        } else if self.days == [false, false, false, false, false, true, true] {
            "weekends".to_owned()
        } else {
            DAY_NAMES.iter().zip(self.days).filter(|(_, on)| *on).map(|((n, _), _)| *n).collect::<Vec<_>>().join(",")
        };
        format!("{days} {}", self.at.strftime("%H:%M"))
    }

    /// The first moment of the schedule strictly after `after`, in `zone`. A time that does
    /// not exist on a day (a clock change) is taken as the zone's compatible moment.
    pub fn next_after(&self, after: Timestamp, zone: &TimeZone) -> Option<Timestamp> {
        let today = after.to_zoned(zone.clone()).date();
        for offset in 0..8 {
            let day = today.checked_add(offset.days()).ok()?;
            let index = DAY_NAMES.iter().position(|(_, w)| *w == day.weekday())?;
            if !self.days[index] {
                continue;
            }
            let moment = day.to_datetime(self.at).to_zoned(zone.clone()).ok()?.timestamp();
            if moment > after {
                return Some(moment);
            }
        }
        None
    }
}

fn parse_time(text: &str) -> Option<Time> {
    let (hour, minute) = text.split_once(':')?;
    let (hour, minute): (i8, i8) = (hour.parse().ok()?, minute.parse().ok()?);
    Time::new(hour, minute, 0, 0).ok()
}

/// A newsletter readers subscribe to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newsletter {
    pub id: i64,
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub sender_name: String,
    pub sender_address: String,
    pub schedule: Option<Schedule>,
    pub source: EditionSource,
    pub created_at: Timestamp,
    /// Set when the newsletter no longer takes subscribers or sends (its archive stays).
    pub retired_at: Option<Timestamp>,
}

/// A newsletter's fields as the desk form sends them, before they are checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsletterDraft {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub sender_name: String,
    pub sender_address: String,
    /// Empty for "sent by hand".
    pub schedule: String,
    pub source: String,
}

/// A newsletter's fields once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsletterFields {
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub sender_name: String,
    pub sender_address: String,
    pub schedule: Option<Schedule>,
    pub source: EditionSource,
}

/// Where an edition is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditionState {
    Draft,
    Scheduled,
    Sending,
    Sent,
}

impl EditionState {
    pub fn as_str(self) -> &'static str {
        match self {
            EditionState::Draft => "draft",
            EditionState::Scheduled => "scheduled",
            EditionState::Sending => "sending",
            EditionState::Sent => "sent",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [EditionState::Draft, EditionState::Scheduled, EditionState::Sending, EditionState::Sent]
            .into_iter()
            .find(|s| s.as_str() == text)
    }
}

/// One issue of a newsletter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    pub id: i64,
    pub newsletter_id: i64,
    pub subject: String,
    /// The editor's note at the top, in Markdown.
    pub note: String,
    pub story_ids: Vec<ArticleId>,
    pub state: EditionState,
    /// When a scheduled edition goes out.
    pub send_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub created_by: Option<UserId>,
    /// When sending began (its deliveries were written) and when the last was settled.
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// What the edition form sends, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditionDraft {
    pub subject: String,
    pub note: String,
    /// Story numbers, in order, separated by commas, spaces or lines.
    pub stories: String,
}

/// An edition's content once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionContent {
    pub subject: String,
    pub note: String,
    pub story_ids: Vec<ArticleId>,
}

/// How far an edition's sending has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendingProgress {
    pub pending: i64,
    pub sent: i64,
    pub failed: i64,
    /// Not sent because the reader unsubscribed while the edition was going out.
    pub skipped: i64,
}

/// A message waiting to go: one edition to one subscriber.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: i64,
    pub edition_id: i64,
    pub subscriber_id: i64,
    pub email: String,
    pub attempts: i64,
}

/// Why a delivery attempt failed. (A message the relay took needs no record beyond the claim
/// that marked it sent.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The relay said "later" (4xx) or could not be reached: tried again at `retry_at`, or
    /// given up when none.
    Deferred { error: String, retry_at: Option<Timestamp> },
    /// The relay refused it for good (5xx): recorded against the address, which is
    /// suppressed once it has failed for good `suppress_after` times.
    Refused { error: String, suppress_after: i64 },
}

/// A reader on the newsletters' lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    pub confirmed_at: Timestamp,
    /// Set when mail to the address kept failing for good: nothing more is sent to it.
    pub suppressed_at: Option<Timestamp>,
    pub newsletters: Vec<i64>,
}

/// How long to wait before the `attempts`-th retry of a delivery the relay deferred: 1, 5,
/// 15, 60 minutes, then 3 hours; given up after a day of trying.
pub fn retry_pause(attempts: i64) -> Option<SignedDuration> {
    const MINUTES: [i64; 8] = [1, 5, 15, 60, 180, 360, 360, 360];
    usize::try_from(attempts - 1).ok().and_then(|i| MINUTES.get(i)).map(|m| SignedDuration::from_mins(*m))
}

/// An e-mail address as it is kept and compared: trimmed, the domain in lower case, the
/// local part as typed (RFC 5321 lets it be case-sensitive). Refused when it is not one plain
/// address a relay would take: no display name, no spaces or line breaks, no comments or
/// quoted local parts, a domain with a dot and well-formed labels, 254 characters at most.
pub fn normalize_email(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("write an e-mail address");
    }
    if text.chars().count() > 254 {
        return Err("that address is too long");
    }
    let (local, domain) = text.rsplit_once('@').ok_or("an e-mail address has an @")?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    if !local_ok {
        return Err("that is not an e-mail address");
    }
    let domain = domain.to_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if !domain_ok {
        return Err("that address's domain is not a domain");
    }
    Ok(format!("{local}@{domain}"))
}

/// A text that goes into a message header (a name, a subject): one line, bounded.
fn header_text(field: &'static str, text: &str, most: usize) -> Result<String, CatalogError> {
    let invalid = |problem: &str| CatalogError::Invalid { field, problem: problem.to_owned() };
    if text.contains(['\r', '\n', '\0']) {
        return Err(invalid("it must be one line"));
    }
    let text = text.trim();
    if text.chars().any(char::is_control) {
        return Err(invalid("it holds control characters"));
    }
    if text.chars().count() > most {
        return Err(invalid(&format!("it is longer than {most} characters")));
    }
    Ok(text.to_owned())
}

/// Checks the desk's newsletter form.
pub fn check_newsletter(draft: &NewsletterDraft) -> Result<NewsletterFields, CatalogError> {
    let invalid = |field, problem: &str| CatalogError::Invalid { field, problem: problem.to_owned() };
    let name = header_text("name", &draft.name, MAX_NAME_CHARS)?;
    if name.is_empty() {
        return Err(invalid("name", "a newsletter needs a name"));
    }
    let slug = if draft.slug.trim().is_empty() {
        Slug::suggest(&name)
            .ok_or_else(|| invalid("slug", "give the newsletter's address part in lower-case Latin letters"))?
    } else {
        Slug::parse(draft.slug.trim())
            .map_err(|_| invalid("slug", "the address part may hold lower-case letters, digits and single hyphens"))?
    };
    let description = draft.description.trim().to_owned();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(invalid(
            "description",
            &format!("the description is longer than {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    let sender_name = header_text("sender_name", &draft.sender_name, MAX_NAME_CHARS)?;
    if sender_name.is_empty() {
        return Err(invalid("sender_name", "readers see who it is from: give a sender's name"));
    }
    let sender_address = normalize_email(&draft.sender_address).map_err(|why| invalid("sender_address", why))?;
    let schedule = match draft.schedule.trim() {
        "" => None,
        text => Some(Schedule::parse(text).map_err(|why| invalid("schedule", &why))?),
    };
    let source = EditionSource::parse(&draft.source)
        .ok_or_else(|| invalid("source", "choose where editions take their stories from"))?;
    if schedule.is_some() && source == EditionSource::ByHand {
        return Err(invalid(
            "schedule",
            "a newsletter that goes out by itself takes its stories from the home page or a section",
        ));
    }
    Ok(NewsletterFields { slug, name, description, sender_name, sender_address, schedule, source })
}

/// Checks the desk's edition form.
pub fn check_edition(draft: &EditionDraft) -> Result<EditionContent, CatalogError> {
    let invalid = |field, problem: &str| CatalogError::Invalid { field, problem: problem.to_owned() };
    let subject = header_text("subject", &draft.subject, MAX_SUBJECT_CHARS)?;
    if subject.is_empty() {
        return Err(invalid("subject", "an edition needs a subject line"));
    }
    let note = draft.note.replace("\r\n", "\n").trim().to_owned();
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(invalid("note", &format!("the note is longer than {MAX_NOTE_CHARS} characters")));
    }
    let mut story_ids = Vec::new();
    for word in draft.stories.split([',', ' ', '\n', '\r', '\t']).filter(|w| !w.is_empty()) {
        let id: i64 = word.parse().ok().filter(|id| *id > 0).ok_or_else(|| {
            invalid("stories", &format!("\"{}\" is not a story number", word.chars().take(40).collect::<String>()))
        })?;
        if !story_ids.contains(&ArticleId(id)) {
            story_ids.push(ArticleId(id));
        }
    }
    if story_ids.len() > MAX_STORIES {
        return Err(invalid("stories", &format!("an edition holds at most {MAX_STORIES} stories")));
    }
    Ok(EditionContent { subject, note, story_ids })
}

/// Whether `actor` may create newsletters, prepare and send editions: the editors who curate
/// the home page.
pub fn may_manage(actor: &User) -> bool {
    actor.role.may(Action::CurateHome)
}

/// What a signed token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// Confirms a subscription: the address and the lists chosen, good until `expires`.
    Confirm { email: String, newsletters: Vec<i64>, expires: Timestamp },
    /// Ends one subscription (the one-click link of every message).
    Unsubscribe { subscriber: i64, newsletter: i64 },
    /// Opens a subscriber's choices.
    Manage { subscriber: i64 },
}

fn base64url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn mac(key: &str, payload: &[u8]) -> Vec<u8> {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(b"dateline-newsletters\0");
    mac.update(payload);
    mac.finalize().into_bytes().to_vec()
}

impl Token {
    fn payload(&self) -> String {
        match self {
            Token::Confirm { email, newsletters, expires } => {
                let ids: Vec<String> = newsletters.iter().map(i64::to_string).collect();
                format!("c|{}|{}|{email}", expires.as_second(), ids.join(","))
            }
            Token::Unsubscribe { subscriber, newsletter } => format!("u|{subscriber}|{newsletter}"),
            Token::Manage { subscriber } => format!("m|{subscriber}"),
        }
    }

    /// The token as it goes in a link: its payload and an HMAC-SHA256 under the server's key.
    pub fn sign(&self, key: &str) -> String {
        let payload = self.payload();
        format!("{}.{}", base64url(payload.as_bytes()), base64url(&mac(key, payload.as_bytes())))
    }

    /// What a link's token says, if the server signed it (and, for a confirmation, it has not
    /// expired at `now`).
    pub fn verify(text: &str, key: &str, now: Timestamp) -> Result<Token, &'static str> {
        use base64::Engine;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let (payload, signature) = text.trim().split_once('.').ok_or("this link is incomplete")?;
        let payload = engine.decode(payload).map_err(|_| "this link is incomplete")?;
        let signature = engine.decode(signature).map_err(|_| "this link is incomplete")?;
        {
            use hmac::Mac;
            let mut check = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).map_err(|_| "no key")?;
            check.update(b"dateline-newsletters\0");
            check.update(&payload);
            check.verify_slice(&signature).map_err(|_| "this link was not made by this paper")?;
        }
        let payload = String::from_utf8(payload).map_err(|_| "this link is incomplete")?;
        let mut parts = payload.splitn(4, '|');
        let number = |part: Option<&str>| part.and_then(|p| p.parse::<i64>().ok()).ok_or("this link is incomplete");
        match parts.next() {
            Some("c") => {
                let expires = Timestamp::from_second(number(parts.next())?).map_err(|_| "this link is incomplete")?;
                let ids = parts.next().ok_or("this link is incomplete")?;
                let newsletters = ids.split(',').filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
                let email = parts.next().ok_or("this link is incomplete")?.to_owned();
                if now > expires {
                    return Err("this confirmation link has expired; subscribe again for a new one");
                }
                Ok(Token::Confirm { email, newsletters, expires })
            }
            Some("u") => {
                Ok(Token::Unsubscribe { subscriber: number(parts.next())?, newsletter: number(parts.next())? })
            }
            Some("m") => Ok(Token::Manage { subscriber: number(parts.next())? }),
            _ => Err("this link is incomplete"),
        }
    }
}

/// What the newsletters need of the database.
pub trait NewsletterStore {
    fn insert_newsletter(
        &self,
        fields: &NewsletterFields,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Newsletter>> + Send;
    fn update_newsletter(
        &self,
        id: i64,
        fields: &NewsletterFields,
    ) -> impl Future<Output = StoreResult<Newsletter>> + Send;
    /// Every newsletter, retired ones too, by name.
    fn newsletters(&self) -> impl Future<Output = StoreResult<Vec<Newsletter>>> + Send;
    fn newsletter_by_id(&self, id: i64) -> impl Future<Output = StoreResult<Newsletter>> + Send;
    fn newsletter_by_slug(&self, slug: &str) -> impl Future<Output = StoreResult<Newsletter>> + Send;
    /// Confirmed subscribers of each newsletter (not suppressed), by newsletter id.
    fn subscriber_counts(&self) -> impl Future<Output = StoreResult<Vec<(i64, i64)>>> + Send;

    fn insert_edition(
        &self,
        newsletter_id: i64,
        content: &EditionContent,
        by: Option<UserId>,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Edition>> + Send;
    fn edition_by_id(&self, id: i64) -> impl Future<Output = StoreResult<Edition>> + Send;
    /// Changes a draft or scheduled edition's content; `Conflict` once it is sending or sent.
    fn update_edition(&self, id: i64, content: &EditionContent) -> impl Future<Output = StoreResult<Edition>> + Send;
    /// A newsletter's editions, newest first; `sent_only` for the public archive.
    fn editions_of(
        &self,
        newsletter_id: i64,
        sent_only: bool,
        limit: i64,
        offset: i64,
    ) -> impl Future<Output = StoreResult<Vec<Edition>>> + Send;
    /// Schedules a draft edition (or moves a scheduled one) to `send_at`, or back to draft
    /// with none; `Conflict` once it is sending or sent.
    fn schedule_edition(
        &self,
        id: i64,
        send_at: Option<Timestamp>,
    ) -> impl Future<Output = StoreResult<Edition>> + Send;
    /// Starts every scheduled edition due at `now`: in one transaction per edition, marks it
    /// sending and writes one delivery per confirmed, unsuppressed subscriber. Returns the
    /// editions started.
    fn start_due_editions(&self, now: Timestamp) -> impl Future<Output = StoreResult<Vec<i64>>> + Send;
    /// The newest edition of a newsletter created for its schedule at or after `since`.
    fn latest_edition_since(
        &self,
        newsletter_id: i64,
        since: Timestamp,
    ) -> impl Future<Output = StoreResult<Option<Edition>>> + Send;
    fn sending_progress(&self, edition_id: i64) -> impl Future<Output = StoreResult<SendingProgress>> + Send;

    /// Deliveries due at `now`, in order, at most `limit`.
    fn deliveries_due(&self, now: Timestamp, limit: i64) -> impl Future<Output = StoreResult<Vec<Delivery>>> + Send;
    /// Marks a delivery sent if it is still waiting: false when it was sent (or settled)
    /// already, and the message must then be abandoned.
    fn claim_delivery_sent(&self, id: i64, now: Timestamp) -> impl Future<Output = StoreResult<bool>> + Send;
    /// Records a failed attempt (see [`DeliveryOutcome`]). `claimed` says this sender had
    /// claimed the row sent before the relay refused (the claim is then undone); a row in any
    /// other state than the one this sender left it in is not touched, so a failure here never
    /// undoes another sender's success.
    fn delivery_failed(
        &self,
        delivery: &Delivery,
        outcome: &DeliveryOutcome,
        claimed: bool,
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Marks editions whose deliveries are all settled as sent.
    fn finish_editions(&self, now: Timestamp) -> impl Future<Output = StoreResult<()>> + Send;

    /// Stores a confirmed address with its lists (adding to those it had); returns the
    /// subscriber.
    fn confirm_subscriber(
        &self,
        email: &str,
        newsletters: &[i64],
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<Subscriber>> + Send;
    fn subscriber_by_id(&self, id: i64) -> impl Future<Output = StoreResult<Subscriber>> + Send;
    /// Sets the lists a subscriber takes; none leaves no subscription (the address is then
    /// forgotten).
    fn set_subscriptions(
        &self,
        subscriber: i64,
        newsletters: &[i64],
        now: Timestamp,
    ) -> impl Future<Output = StoreResult<()>> + Send;
    /// Ends one subscription; ending one that is not there is no error.
    fn unsubscribe(&self, subscriber: i64, newsletter: i64) -> impl Future<Output = StoreResult<()>> + Send;
}

/// Creates a newsletter from the desk's form.
pub async fn create_newsletter(
    store: &impl NewsletterStore,
    actor: &User,
    draft: &NewsletterDraft,
    now: Timestamp,
) -> Result<Newsletter, CatalogError> {
    if !may_manage(actor) {
        return Err(CatalogError::NotAllowed);
    }
    let fields = check_newsletter(draft)?;
    Ok(store.insert_newsletter(&fields, now).await?)
}

/// Changes a newsletter's fields.
pub async fn change_newsletter(
    store: &impl NewsletterStore,
    actor: &User,
    id: i64,
    draft: &NewsletterDraft,
) -> Result<Newsletter, CatalogError> {
    if !may_manage(actor) {
        return Err(CatalogError::NotAllowed);
    }
    let fields = check_newsletter(draft)?;
    Ok(store.update_newsletter(id, &fields).await?)
}

/// Starts a new edition of a newsletter.
pub async fn create_edition(
    store: &impl NewsletterStore,
    actor: &User,
    newsletter_id: i64,
    draft: &EditionDraft,
    now: Timestamp,
) -> Result<Edition, CatalogError> {
    if !may_manage(actor) {
        return Err(CatalogError::NotAllowed);
    }
    let newsletter = store.newsletter_by_id(newsletter_id).await?;
    if newsletter.retired_at.is_some() {
        return Err(CatalogError::Invalid { field: "newsletter", problem: "this newsletter is retired".into() });
    }
    let content = check_edition(draft)?;
    Ok(store.insert_edition(newsletter_id, &content, Some(actor.id), now).await?)
}

/// Changes an edition that has not gone out.
pub async fn change_edition(
    store: &impl NewsletterStore,
    actor: &User,
    id: i64,
    draft: &EditionDraft,
) -> Result<Edition, CatalogError> {
    if !may_manage(actor) {
        return Err(CatalogError::NotAllowed);
    }
    let content = check_edition(draft)?;
    Ok(store.update_edition(id, &content).await?)
}

/// Schedules an edition for `send_at` (now or later), or takes it back to draft with none.
/// An edition with no subject or no stories and no note is not sent.
pub async fn schedule_edition(
    store: &impl NewsletterStore,
    actor: &User,
    id: i64,
    send_at: Option<Timestamp>,
) -> Result<Edition, CatalogError> {
    if !may_manage(actor) {
        return Err(CatalogError::NotAllowed);
    }
    let edition = store.edition_by_id(id).await?;
    if send_at.is_some() && edition.story_ids.is_empty() && edition.note.is_empty() {
        return Err(CatalogError::Invalid {
            field: "stories",
            problem: "an edition with no stories and no note is empty".into(),
        });
    }
    Ok(store.schedule_edition(id, send_at).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_kept_plain_and_anything_else_is_refused() {
        assert_eq!(normalize_email("  Reader.One+news@Example.COM "), Ok("Reader.One+news@example.com".to_owned()));
        assert_eq!(normalize_email("독자@example.kr"), Ok("독자@example.kr".to_owned()));
        for bad in [
            "",
            "reader",
            "reader@localhost",
            "a b@example.com",
            "reader@example.com\r\nBcc: x@y.z",
            "Reader <reader@example.com>",
            "reader@@example.com",
            ".reader@example.com",
            "reader@exa_mple.com",
            "reader@-example.com",
            &format!("{}@example.com", "a".repeat(300)),
        ] {
            assert!(normalize_email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn schedules_read_as_an_editor_writes_them_and_find_the_next_slot_in_the_papers_zone() {
        let weekdays = Schedule::parse("Weekdays 07:00").expect("weekdays");
        assert_eq!(weekdays.as_text(), "weekdays 07:00");
        assert_eq!(Schedule::parse("mon,thu 18:30").expect("two days").as_text(), "mon,thu 18:30");
        assert_eq!(Schedule::parse("sundays 08:00").expect("sundays").as_text(), "sun 08:00");
        for bad in ["", "07:00", "weekdays", "weekdays 25:00", "someday 07:00", "mon 7"] {
            assert!(Schedule::parse(bad).is_err(), "{bad:?}");
        }
        let seoul = TimeZone::get("Asia/Seoul").expect("zone");
        // 23:00 UTC on Sunday 29 November 2026 is 08:00 on Monday the 30th in Seoul.
        let sunday_night_utc: Timestamp = "2026-11-29T23:00:00Z".parse().expect("time");
        assert_eq!(
            weekdays.next_after(sunday_night_utc, &seoul).expect("next").to_string(),
            "2026-11-30T22:00:00Z",
            "08:00 Monday in Seoul is past 07:00, so Tuesday 07:00 (22:00 UTC Monday)"
        );
        let saturday: Timestamp = "2026-11-28T00:00:00Z".parse().expect("time");
        assert_eq!(weekdays.next_after(saturday, &seoul).expect("next").to_string(), "2026-11-29T22:00:00Z");
    }

    #[test]
    fn tokens_say_what_they_were_signed_with_and_nothing_else_passes() {
        let now: Timestamp = "2026-11-29T10:00:00Z".parse().expect("time");
        let confirm = Token::Confirm {
            email: "reader@example.com".into(),
            newsletters: vec![1, 3],
            expires: now + CONFIRMATION_LIFETIME,
        };
        let signed = confirm.sign("key");
        assert_eq!(Token::verify(&signed, "key", now), Ok(confirm.clone()));
        assert!(Token::verify(&signed, "another key", now).is_err());
        assert!(Token::verify(&signed, "key", now + SignedDuration::from_hours(49)).is_err(), "expired");
        let (payload, signature) = signed.split_once('.').expect("two parts");
        let forged = format!("{}.{signature}", base64url(b"c|9999999999|1|victim@example.com"));
        assert!(Token::verify(&forged, "key", now).is_err());
        assert!(Token::verify(payload, "key", now).is_err());
        let unsubscribe = Token::Unsubscribe { subscriber: 7, newsletter: 2 };
        assert_eq!(Token::verify(&unsubscribe.sign("key"), "key", now), Ok(unsubscribe));
    }

    #[test]
    fn an_edition_refuses_header_injection_and_reads_its_stories_in_order() {
        let injected = EditionDraft { subject: "Hi\r\nBcc: x@y.z".into(), ..EditionDraft::default() };
        assert!(matches!(check_edition(&injected), Err(CatalogError::Invalid { field: "subject", .. })));
        let fine = EditionDraft { subject: "Morning".into(), note: "Hello".into(), stories: "12, 5\n12 7".into() };
        let content = check_edition(&fine).expect("fine");
        assert_eq!(content.story_ids, vec![ArticleId(12), ArticleId(5), ArticleId(7)]);
        let bad = EditionDraft { stories: "12, x".into(), ..fine };
        assert!(check_edition(&bad).is_err());
    }
}
