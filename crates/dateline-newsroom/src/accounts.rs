//! The newsroom's people: desk users with a role, and what each role may do. Passwords are
//! hashed with Argon2id; session tokens are random and stored only as a SHA-256 digest, so a
//! copy of the database signs nobody in.

use crate::ids::UserId;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Contributor,
    Reporter,
    PhotoEditor,
    Editor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Editor, Role::PhotoEditor, Role::Reporter, Role::Contributor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::PhotoEditor => "photo_editor",
            Role::Reporter => "reporter",
            Role::Contributor => "contributor",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        let text = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Role::ALL.into_iter().find(|r| r.as_str() == text)
    }

    pub fn title(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Editor => "Editor",
            Role::PhotoEditor => "Photo editor",
            Role::Reporter => "Reporter",
            Role::Contributor => "Contributor",
        }
    }
}

/// Everything a desk user may try to do; [`Role::may`] decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Open the desk at all.
    UseDesk,
    WriteDraft,
    SubmitForReview,
    /// Edit a story the user wrote (is the creator of).
    EditOwnStory,
    EditAnyStory,
    Publish,
    Schedule,
    Unpublish,
    /// Take a story down for legal reasons.
    Remove,
    Correct,
    UploadPhoto,
    EditPhotoDetails,
    ChooseLeadPhoto,
    CurateHome,
    ManageSections,
    ManageAuthors,
    ManageTopics,
    ManagePages,
    ManageUsers,
    ManageSettings,
    /// Set up agency feeds and their tokens.
    ManageWireSources,
    /// Create and change podcast shows.
    ManagePodcasts,
}

impl Role {
    /// Whether this role may take `action`. Contributors write drafts; reporters also submit
    /// and edit their own stories; photo editors handle photos but never publish; editors run
    /// the paper; admins also manage users and settings.
    pub fn may(self, action: Action) -> bool {
        use Action::*;
        match self {
            Role::Admin => true,
            Role::Editor => !matches!(action, ManageUsers | ManageSettings | ManageWireSources),
            Role::PhotoEditor => {
                matches!(action, UseDesk | WriteDraft | EditOwnStory | UploadPhoto | EditPhotoDetails | ChooseLeadPhoto)
            }
            Role::Reporter => matches!(action, UseDesk | WriteDraft | SubmitForReview | EditOwnStory | UploadPhoto),
            Role::Contributor => matches!(action, UseDesk | WriteDraft | EditOwnStory),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: Timestamp,
    /// The author this account writes as: a reporter bylined on a live story may post to it.
    pub author_id: Option<crate::ids::AuthorId>,
}

/// A key for the write API. It acts as a desk account of its own (`user`, which has no
/// password and can never sign in) in the role it was made with: a key can never do more
/// than that role, and the revision history names it. Only the token's digest is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub user: User,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

impl ApiKey {
    /// Whether the key may be used at `now`: not revoked, not expired.
    pub fn usable_at(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|expires| now < expires)
    }
}

/// The token of a new API key: a prefix that says what it is (so a leaked one is easy to
/// find in a log or a repository), then 256 random bits.
pub fn new_api_key_token() -> Result<String, AccountError> {
    Ok(format!("dtl_{}", random_token()?))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("{0:?} is not an e-mail address")]
    BadEmail(String),
    #[error("a user needs a name")]
    EmptyName,
    #[error("a password needs at least {min} characters", min = MIN_PASSWORD_CHARS)]
    PasswordTooShort,
    #[error("a password can be at most {max} characters", max = MAX_PASSWORD_CHARS)]
    PasswordTooLong,
    #[error("{0:?} is not a role; use admin, editor, photo_editor, reporter or contributor")]
    UnknownRole(String),
    #[error("the password could not be hashed")]
    Hashing,
    #[error("the operating system gave no random numbers")]
    Randomness,
}

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase, short enough that hashing cannot be made a burden.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// An e-mail address, trimmed and lowercased, with the shape `local@domain.tld`.
pub fn normalize_email(email: &str) -> Result<String, AccountError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(email)
    } else {
        Err(AccountError::BadEmail(email))
    }
}

/// Hashes a new password with Argon2id and a random salt, after checking its length.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooShort);
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooLong);
    }
    let mut salt_bytes = [0u8; 16];
    getrandom::getrandom(&mut salt_bytes).map_err(|_| AccountError::Hashing)?;
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|_| AccountError::Hashing)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AccountError::Hashing)
}

/// Whether `password` matches a stored hash; a malformed hash matches nothing.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    if password.chars().count() > MAX_PASSWORD_CHARS {
        return false;
    }
    PasswordHash::new(stored_hash)
        .is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A hash of a password nobody has, checked when the e-mail is unknown so that a wrong
/// address takes as long to refuse as a wrong password.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$ZGF0ZWxpbmUtZGVjb3k$0Oa3Wv3jzX8I8m7mJ5L6cQ6qk7bq0S3+3qg8t7mYx9k"
}

/// A random token for a session or a form, as 43 URL-safe characters (256 bits).
pub fn random_token() -> Result<String, AccountError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|_| AccountError::Randomness)?;
    Ok(base64_url(&bytes))
}

/// How long a sign-in form stays good.
pub const SIGN_IN_FORM_LIFETIME_SECS: i64 = 3600;

fn form_signature(key: &str, body: &str) -> String {
    use hmac::Mac;
    // HMAC takes a key of any length, so building it cannot fail.
    let Ok(mut mac) = hmac::Hmac::<Sha256>::new_from_slice(key.as_bytes()) else { return String::new() };
    mac.update(body.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The token of a sign-in form issued at `now`: when, a random part, and the server's
/// signature over both. Signed by a key every instance shares (kept in the database), so an
/// attacker cannot choose a token and cookie pair of their own and sign a victim in to the
/// attacker's account (login CSRF).
pub fn issue_sign_in_token(key: &str, now: jiff::Timestamp) -> Result<String, AccountError> {
    let body = format!("{}.{}", now.as_second(), random_token()?);
    let signature = form_signature(key, &body);
    Ok(format!("{body}.{signature}"))
}

/// Whether `token` is one this paper issued, less than an hour before `now`.
pub fn sign_in_token_is_ours(key: &str, token: &str, now: jiff::Timestamp) -> bool {
    let Some((body, signature)) = token.rsplit_once('.') else { return false };
    let Some(issued) = body.split_once('.').and_then(|(secs, _)| secs.parse::<i64>().ok()) else { return false };
    let age = now.as_second() - issued;
    (0..=SIGN_IN_FORM_LIFETIME_SECS).contains(&age) && constant_time_eq(signature, &form_signature(key, body))
}

/// What the database keeps of a token: its SHA-256, in hex.
pub fn token_digest(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 2);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A signed-in desk session as the database keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    /// The token every state-changing form must carry.
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a hash"));
        assert_eq!(hash_password("short"), Err(AccountError::PasswordTooShort));
    }

    #[test]
    fn roles_follow_the_newsroom() {
        assert!(Role::Contributor.may(Action::WriteDraft) && !Role::Contributor.may(Action::SubmitForReview));
        assert!(Role::Reporter.may(Action::SubmitForReview) && !Role::Reporter.may(Action::Publish));
        assert!(Role::PhotoEditor.may(Action::ChooseLeadPhoto) && !Role::PhotoEditor.may(Action::Publish));
        assert!(Role::Editor.may(Action::Publish) && Role::Editor.may(Action::ManageSections));
        assert!(!Role::Editor.may(Action::ManageUsers) && Role::Admin.may(Action::ManageUsers));
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Photo editor"), Some(Role::PhotoEditor));
    }

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(normalize_email(" Editor@Dateline.Example "), Ok("editor@dateline.example".into()));
        for bad in ["", "no-at-sign", "a@b", "@x.org", "a b@x.org"] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_are_long_random_and_stored_as_digests() {
        let (a, b) = (random_token().expect("token"), random_token().expect("token"));
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(token_digest(&a).len(), 64);
        assert!(constant_time_eq(&a, &a.clone()) && !constant_time_eq(&a, &b));
    }

    #[test]
    fn the_decoy_hash_is_well_formed_and_matches_nothing_likely() {
        assert!(PasswordHash::new(decoy_hash()).is_ok());
        assert!(!verify_password("password123", decoy_hash()));
    }

    #[test]
    fn a_sign_in_token_is_good_only_when_this_paper_issued_it_within_the_hour() {
        let now: jiff::Timestamp = "2026-11-28T03:00:00Z".parse().expect("instant");
        let token = issue_sign_in_token("the paper's key", now).expect("token");
        assert!(sign_in_token_is_ours("the paper's key", &token, now + jiff::SignedDuration::from_mins(59)));
        assert!(!sign_in_token_is_ours("another key", &token, now), "signed by another key");
        assert!(
            !sign_in_token_is_ours("the paper's key", &token, now + jiff::SignedDuration::from_mins(61)),
            "too old"
        );
        let forged = format!("{}x", &token[..token.len() - 1]);
        assert!(!sign_in_token_is_ours("the paper's key", &forged, now));
        for chosen in ["attacker-chosen", "", "1.2", "1.2.3"] {
            assert!(!sign_in_token_is_ours("the paper's key", chosen, now), "{chosen}");
        }
    }
}
