//! What every row of an archive must hold before anything is written: the same rules a desk
//! or API write obeys (a slug is a slug, a role is a role, the settings are settings a paper
//! can be shown with, a section tree two levels deep). The file format (`archive.rs`) only
//! knows JSON shapes and column types; an archive that passes them could still name a label
//! that does not exist, a time zone on Mars, a media file outside the store or a section that
//! is its own parent, and a paper imported from it would answer 500 (or, for the last, loop).
//! Each such row is refused with its line and the reason, and the database stays empty.

use crate::archive::ArchiveError;
use dateline_newsroom::accounts::{normalize_email, Role};
use dateline_newsroom::editing;
use dateline_newsroom::{
    ArticleContent, ArticleStatus, AuthorKind, EditorialSettings, HomeCuration, Label, RevisionKind, Slug,
};
use dateline_storage::{ArchiveTable, Cell};
use std::collections::HashMap;

/// Checks rows one by one as they are read, and the section tree once all are read.
#[derive(Debug, Default)]
pub struct RowChecks {
    /// Every section's parent, and the line it was read on.
    sections: HashMap<i64, (Option<i64>, u64)>,
    /// How many bylines and topics each story has been given so far.
    bylines: HashMap<i64, usize>,
    topics: HashMap<i64, usize>,
}

fn text<'a>(table: &ArchiveTable, cells: &'a [Cell], column: &str) -> Option<&'a str> {
    match table.column_index(column).and_then(|i| cells.get(i)) {
        Some(Cell::Text(Some(value))) => Some(value.as_str()),
        _ => None,
    }
}

fn int(table: &ArchiveTable, cells: &[Cell], column: &str) -> Option<i64> {
    match table.column_index(column).and_then(|i| cells.get(i)) {
        Some(Cell::Int(value)) => *value,
        _ => None,
    }
}

fn slug(table: &ArchiveTable, cells: &[Cell], column: &str) -> Result<(), String> {
    let value = text(table, cells, column).unwrap_or_default();
    Slug::parse(value).map(drop).map_err(|e| format!("{column} {value:?} of a row of {}: {e}", table.name))
}

fn one_of<T>(
    table: &ArchiveTable,
    cells: &[Cell],
    column: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<(), String> {
    match text(table, cells, column) {
        Some(value) if parse(value).is_some() => Ok(()),
        value => Err(format!("{column} {value:?} of a row of {} is not one Dateline knows", table.name)),
    }
}

impl RowChecks {
    /// Checks one row read on `line`.
    pub fn row(&mut self, line: u64, table: &ArchiveTable, cells: &[Cell]) -> Result<(), ArchiveError> {
        self.check(table, cells).map_err(|reason| ArchiveError { line, reason })?;
        let story = int(table, cells, "article_id").unwrap_or_default();
        let over = |count: &mut usize, most: usize, what: &str| {
            *count += 1;
            (*count > most).then(|| ArchiveError { line, reason: format!("story {story} has more than {most} {what}") })
        };
        match table.name {
            "sections" => {
                let id = int(table, cells, "id").unwrap_or_default();
                self.sections.insert(id, (int(table, cells, "parent_id"), line));
            }
            "article_bylines" => {
                if let Some(refused) = over(self.bylines.entry(story).or_default(), editing::MAX_BYLINES, "bylines") {
                    return Err(refused);
                }
            }
            "article_topics" => {
                if let Some(refused) = over(self.topics.entry(story).or_default(), editing::MAX_TOPICS, "topics") {
                    return Err(refused);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn check(&self, table: &ArchiveTable, cells: &[Cell]) -> Result<(), String> {
        // Dateline strips control characters from every text it takes in, so an archive it
        // wrote holds none; PostgreSQL would refuse a NUL halfway through the import.
        for ((column, _), cell) in table.columns.iter().zip(cells) {
            if let Cell::Text(Some(value)) = cell {
                if value.chars().any(dateline_newsroom::text::is_unwanted_control) {
                    return Err(format!("{column} of a row of {} holds a control character", table.name));
                }
            }
        }
        match table.name {
            "users" => {
                one_of(table, cells, "role", Role::parse)?;
                let email = text(table, cells, "email").unwrap_or_default();
                normalize_email(email).map(drop).map_err(|e| format!("a user's e-mail: {e}"))
            }
            "media" => {
                let key = text(table, cells, "storage_key").unwrap_or_default();
                if !dateline_media::is_plain_key(key) {
                    return Err(format!("the media file name {key:?} leaves the media store"));
                }
                for side in ["width", "height"] {
                    let value = int(table, cells, side).unwrap_or_default();
                    if value <= 0 || value > i64::from(dateline_media::MAX_SIDE) {
                        return Err(format!(
                            "a photo's {side} is {value}; it must be 1 to {}",
                            dateline_media::MAX_SIDE
                        ));
                    }
                }
                let (x, y) = (int(table, cells, "focal_x").unwrap_or(50), int(table, cells, "focal_y").unwrap_or(50));
                if dateline_newsroom::FocalPoint::from_stored(x, y).is_none() {
                    return Err(format!("a photo's focal point is at {x}%, {y}%; each must be 0 to 100"));
                }
                Ok(())
            }
            "audio_files" | "video_files" => {
                let key = text(table, cells, "storage_key").unwrap_or_default();
                if !dateline_media::is_plain_key(key) {
                    return Err(format!("the file name {key:?} of {} leaves the media store", table.name));
                }
                if int(table, cells, "byte_size").unwrap_or_default() <= 0 {
                    return Err(format!("a file's size in {} must be more than 0 bytes", table.name));
                }
                Ok(())
            }
            "story_videos" => match text(table, cells, "provider") {
                Some("file") => Ok(()),
                Some(other) if dateline_newsroom::video::Provider::parse(other).is_some() => Ok(()),
                other => Err(format!("the video provider {other:?} is not file, youtube or vimeo")),
            },
            "podcast_shows" => slug(table, cells, "slug"),
            "podcast_episodes" => {
                one_of(table, cells, "episode_type", dateline_newsroom::podcasts::EpisodeType::parse)?;
                match text(table, cells, "transcript_format") {
                    Some(format) if dateline_newsroom::podcasts::TranscriptFormat::parse(format).is_none() => {
                        Err(format!("the transcript format {format:?} is not vtt or srt"))
                    }
                    _ => Ok(()),
                }
            }
            "sections" => {
                slug(table, cells, "slug")?;
                let path = text(table, cells, "path").unwrap_or_default();
                let parts: Vec<&str> = path.split('/').collect();
                if parts.len() > 2 || parts.iter().any(|part| Slug::parse(part).is_err()) {
                    return Err(format!("the section address {path:?} is not one or two slugs"));
                }
                if int(table, cells, "parent_id").is_some_and(|parent| Some(parent) == int(table, cells, "id")) {
                    return Err(format!("the section {path:?} is its own parent"));
                }
                Ok(())
            }
            "authors" => {
                slug(table, cells, "slug")?;
                one_of(table, cells, "kind", AuthorKind::parse)
            }
            "topics" | "pages" | "wire_sources" => slug(table, cells, "slug"),
            "articles" => {
                slug(table, cells, "slug")?;
                one_of(table, cells, "status", ArticleStatus::parse)?;
                if text(table, cells, "label").is_some() {
                    one_of(table, cells, "label", Label::parse)?;
                }
                let headline = text(table, cells, "headline").unwrap_or_default();
                if headline.trim().is_empty() {
                    return Err("a story has no headline".into());
                }
                if headline.chars().count() > editing::MAX_HEADLINE_CHARS {
                    return Err(format!(
                        "a story's headline is longer than {} characters",
                        editing::MAX_HEADLINE_CHARS
                    ));
                }
                if text(table, cells, "deck").unwrap_or_default().chars().count() > editing::MAX_DECK_CHARS {
                    return Err(format!("a story's deck is longer than {} characters", editing::MAX_DECK_CHARS));
                }
                // The body's own rules, as on a desk save: its length, and quotations or lists
                // nested no deeper than a page is drawn.
                editing::check_body(text(table, cells, "body").unwrap_or_default())
                    .map_err(|e| format!("a story's body: {}", e.message))
            }
            "article_revisions" => {
                one_of(table, cells, "kind", RevisionKind::parse)?;
                let content = text(table, cells, "content").unwrap_or_default();
                serde_json::from_str::<ArticleContent>(content)
                    .map(drop)
                    .map_err(|e| format!("a revision's content is not a story's content: {e}"))
            }
            "settings" => {
                let value = text(table, cells, "value").unwrap_or_default();
                match text(table, cells, "name").unwrap_or_default() {
                    "editorial" => serde_json::from_str::<EditorialSettings>(value)
                        .map_err(|e| format!("the editorial settings are not settings: {e}"))?
                        .validate()
                        .map_err(|e| format!("the editorial settings cannot be used: {e}")),
                    "home" => serde_json::from_str::<HomeCuration>(value)
                        .map(drop)
                        .map_err(|e| format!("the home page's curation is not readable: {e}")),
                    other => Err(format!("there is no setting named {other:?}")),
                }
            }
            "live_posts" => editing::check_body(text(table, cells, "body").unwrap_or_default())
                .map_err(|e| format!("a live post's text: {}", e.message)),
            "newsletter_subscribers" => {
                let email = text(table, cells, "email").unwrap_or_default();
                dateline_newsroom::newsletters::normalize_email(email)
                    .map(drop)
                    .map_err(|e| format!("a reader's e-mail {email:?}: {e}"))
            }
            "legacy_paths" => {
                let path = text(table, cells, "path").unwrap_or_default();
                if dateline_newsroom::moving_in::normal_path(path).as_deref() != Some(path) {
                    return Err(format!("the old address {path:?} is not one Dateline keeps"));
                }
                let kind = text(table, cells, "kind").unwrap_or_default();
                dateline_newsroom::moving_in::LegacyTarget::from_parts(kind, int(table, cells, "target_id"))
                    .map(drop)
                    .ok_or_else(|| format!("the old address {path:?} leads to {kind:?}, which is nothing Dateline has"))
            }
            "section_redirects" => {
                let path = text(table, cells, "old_path").unwrap_or_default();
                if path.split('/').any(|part| Slug::parse(part).is_err()) {
                    return Err(format!("the old section address {path:?} is not made of slugs"));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Once every row is read: the section tree is two levels deep at most, so it has no
    /// cycle either.
    pub fn finish(&self) -> Result<(), ArchiveError> {
        for (id, (parent, line)) in &self.sections {
            let Some(parent) = parent else { continue };
            match self.sections.get(parent) {
                Some((None, _)) => {}
                Some((Some(_), _)) => {
                    return Err(ArchiveError {
                        line: *line,
                        reason: format!("section {id} sits under section {parent}, which is a subsection itself"),
                    })
                }
                None => {
                    return Err(ArchiveError {
                        line: *line,
                        reason: format!("section {id} sits under section {parent}, which is not in the archive"),
                    })
                }
            }
        }
        Ok(())
    }
}
