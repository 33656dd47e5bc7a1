//! What an import tells the editor: how many of each kind were imported, updated, left
//! unchanged or skipped (and why), every story that lost or changed something on the way,
//! the authors merged with ones the paper had, and the old addresses now redirected.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Changed in the export but edited on the desk since: the desk's edit is kept.
    pub kept_desk_edits: u64,
    /// Why, and how many.
    pub skipped: BTreeMap<String, u64>,
}

/// A story (or page) that did not come across exactly as it was.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ItemNotes {
    pub title: String,
    /// Its address on the old site.
    pub old_address: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Report {
    /// `wordpress https://old.example`.
    pub source: String,
    pub dry_run: bool,
    /// Per kind: story, page, section, topic, author, photo.
    pub counts: BTreeMap<&'static str, Counts>,
    pub items_with_notes: Vec<ItemNotes>,
    /// Old authors matched to authors the paper already had, by slug.
    pub authors_merged: Vec<String>,
    pub redirects_made: u64,
    /// Old addresses not recorded, and why (one of Dateline's own, or taken by another item).
    pub redirects_not_made: Vec<String>,
    /// Remarks about the whole run (categories nested too deep, posts of other types).
    pub remarks: Vec<String>,
}

impl Report {
    pub fn counts(&mut self, kind: &'static str) -> &mut Counts {
        self.counts.entry(kind).or_default()
    }

    pub fn skip(&mut self, kind: &'static str, why: &str) {
        *self.counts(kind).skipped.entry(why.to_owned()).or_default() += 1;
    }

    pub fn notes(&mut self, title: &str, old_address: &str, notes: Vec<String>) {
        if !notes.is_empty() {
            self.items_with_notes.push(ItemNotes {
                title: title.to_owned(),
                old_address: old_address.to_owned(),
                notes,
            });
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let heading = if self.dry_run { "Dry run (nothing was written)" } else { "Imported" };
        writeln!(f, "{heading} from {}", self.source)?;
        for (kind, counts) in &self.counts {
            write!(
                f,
                "  {kind}: {} imported, {} updated, {} unchanged",
                counts.imported, counts.updated, counts.unchanged
            )?;
            if counts.kept_desk_edits > 0 {
                write!(f, ", {} kept as the desk edited them", counts.kept_desk_edits)?;
            }
            for (why, n) in &counts.skipped {
                write!(f, ", {n} skipped ({why})")?;
            }
            writeln!(f)?;
        }
        writeln!(f, "  old addresses redirected: {}", self.redirects_made)?;
        for not in &self.redirects_not_made {
            writeln!(f, "    not redirected: {not}")?;
        }
        for author in &self.authors_merged {
            writeln!(f, "  author merged: {author}")?;
        }
        for remark in &self.remarks {
            writeln!(f, "  note: {remark}")?;
        }
        if !self.items_with_notes.is_empty() {
            writeln!(f, "Items that did not come across exactly as they were:")?;
            for item in &self.items_with_notes {
                writeln!(f, "  {} ({})", item.title, item.old_address)?;
                for note in &item.notes {
                    writeln!(f, "    - {note}")?;
                }
            }
        }
        Ok(())
    }
}
