//! The section tree: ordered, nestable sections (National › Politics), each with a slug that
//! becomes the first segments of its front's URL.

use crate::ids::{SectionId, Slug};
use crate::store::{SectionStore, StoreError};
use serde::{Deserialize, Serialize};

/// First URL segments that belong to the site itself; a top-level section may not take one.
pub const RESERVED_SECTION_SLUGS: &[&str] = &[
    "article",
    "author",
    "topic",
    "topics",
    "page",
    "search",
    "desk",
    "api",
    "static",
    "media",
    "feed",
    "sitemaps",
    "sitemap.xml",
    "robots.txt",
    "healthz",
    "metrics",
    "corrections",
    "newsletters",
    "_v",
    "_live",
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: SectionId,
    pub slug: Slug,
    pub name: String,
    pub parent_id: Option<SectionId>,
    /// Order among siblings, smallest first.
    pub position: i64,
    /// Slugs from the top of the tree, joined by `/` (`national/politics`).
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSection {
    pub slug: Slug,
    pub name: String,
    pub parent_id: Option<SectionId>,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SectionError {
    #[error("the section slug {0:?} is reserved for the site's own pages; choose another slug")]
    ReservedSlug(String),
    #[error("a section needs a name")]
    EmptyName,
    #[error("sections nest two levels deep at most: a subsection cannot have subsections")]
    TooDeep,
    #[error("the parent section does not exist")]
    UnknownParent,
}

impl NewSection {
    /// Checks the rules that hold whatever is stored: the name is not blank and a top-level
    /// slug is not one of the site's reserved first segments.
    pub fn validate(&self, parent: Option<&Section>) -> Result<String, SectionError> {
        if self.name.trim().is_empty() {
            return Err(SectionError::EmptyName);
        }
        match (self.parent_id, parent) {
            (None, _) => {
                if RESERVED_SECTION_SLUGS.contains(&self.slug.as_str()) {
                    return Err(SectionError::ReservedSlug(self.slug.to_string()));
                }
                Ok(self.slug.to_string())
            }
            (Some(_), None) => Err(SectionError::UnknownParent),
            (Some(_), Some(parent)) if parent.parent_id.is_some() => Err(SectionError::TooDeep),
            (Some(_), Some(parent)) => Ok(format!("{}/{}", parent.path, self.slug)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreateSectionError {
    #[error(transparent)]
    Invalid(#[from] SectionError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates a section after checking the tree's rules: a reserved slug, a missing parent or a
/// third level is refused with a sentence an editor can act on, and nothing is stored.
pub async fn create_section(store: &impl SectionStore, new: NewSection) -> Result<Section, CreateSectionError> {
    let parent = match new.parent_id {
        None => None,
        Some(id) => store.sections().await?.into_iter().find(|s| s.id == id),
    };
    let path = new.validate(parent.as_ref())?;
    Ok(store.insert_section(&new, &path).await?)
}

/// What an editor changes about a section on the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionChange {
    pub slug: Slug,
    pub name: String,
    pub parent_id: Option<SectionId>,
    pub position: i64,
}

/// Renames, moves or reorders a section. The old addresses of the section and its
/// subsections keep working as redirects; a section with subsections cannot become one.
pub async fn change_section(
    store: &impl SectionStore,
    id: SectionId,
    change: SectionChange,
) -> Result<Section, CreateSectionError> {
    let all = store.sections().await?;
    let current = all.iter().find(|s| s.id == id).ok_or(CreateSectionError::Store(StoreError::NotFound))?;
    if change.parent_id == Some(id) {
        return Err(SectionError::TooDeep.into());
    }
    if change.parent_id.is_some() && all.iter().any(|s| s.parent_id == Some(id)) {
        return Err(SectionError::TooDeep.into());
    }
    let parent = change.parent_id.and_then(|p| all.iter().find(|s| s.id == p));
    let as_new = NewSection {
        slug: change.slug.clone(),
        name: change.name.trim().to_owned(),
        parent_id: change.parent_id,
        position: change.position,
    };
    let path = as_new.validate(parent)?;
    let updated = Section {
        id,
        slug: change.slug,
        name: as_new.name,
        parent_id: change.parent_id,
        position: change.position,
        path,
    };
    if &updated == current {
        return Ok(updated);
    }
    Ok(store.update_section(&updated).await?)
}

/// All sections, in menu order, with the lookups fronts and breadcrumbs need.
#[derive(Debug, Clone, Default)]
pub struct SectionTree {
    sections: Vec<Section>,
}

impl SectionTree {
    pub fn new(mut sections: Vec<Section>) -> Self {
        sections.sort_by_key(|s| (s.position, s.id));
        SectionTree { sections }
    }

    pub fn top_level(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| s.parent_id.is_none())
    }

    pub fn children(&self, id: SectionId) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(move |s| s.parent_id == Some(id))
    }

    pub fn get(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn by_path(&self, path: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.path == path)
    }

    /// The section and its parent, outermost first: what a breadcrumb shows.
    pub fn trail(&self, id: SectionId) -> Vec<&Section> {
        let mut trail = Vec::new();
        let mut next = self.get(id);
        // A parent chain that returns to a section already on the trail (a cycle that only a
        // damaged database could hold) ends the walk instead of looping forever.
        while let Some(section) = next.filter(|s| !trail.iter().any(|t: &&Section| t.id == s.id)) {
            trail.push(section);
            next = section.parent_id.and_then(|p| self.get(p));
        }
        trail.reverse();
        trail
    }

    pub fn len(&self) -> usize {
        self.sections.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: i64, slug: &str, parent: Option<i64>, position: i64, path: &str) -> Section {
        Section {
            id: SectionId(id),
            slug: Slug::parse(slug).expect("valid slug"),
            name: slug.to_uppercase(),
            parent_id: parent.map(SectionId),
            position,
            path: path.into(),
        }
    }

    #[test]
    fn a_top_level_section_cannot_take_a_reserved_slug() {
        let new = NewSection {
            slug: Slug::parse("search").expect("slug"),
            name: "Search".into(),
            parent_id: None,
            position: 0,
        };
        assert_eq!(new.validate(None), Err(SectionError::ReservedSlug("search".into())));
    }

    #[test]
    fn a_subsection_path_starts_with_its_parent() {
        let national = section(1, "national", None, 0, "national");
        let new = NewSection {
            slug: Slug::parse("politics").expect("slug"),
            name: "Politics".into(),
            parent_id: Some(SectionId(1)),
            position: 0,
        };
        assert_eq!(new.validate(Some(&national)), Ok("national/politics".into()));
        let politics = section(2, "politics", Some(1), 0, "national/politics");
        assert_eq!(new.validate(Some(&politics)), Err(SectionError::TooDeep));
    }

    #[test]
    fn the_breadcrumb_trail_runs_from_the_top() {
        let tree = SectionTree::new(vec![
            section(2, "politics", Some(1), 0, "national/politics"),
            section(1, "national", None, 0, "national"),
        ]);
        let trail: Vec<_> = tree.trail(SectionId(2)).iter().map(|s| s.path.clone()).collect();
        assert_eq!(trail, ["national", "national/politics"]);
    }

    #[test]
    fn a_trail_through_a_cycle_ends_instead_of_looping() {
        let tree = SectionTree::new(vec![
            section(1, "a", Some(2), 0, "a/b/a"),
            section(2, "b", Some(1), 1, "b/a/b"),
            section(3, "c", Some(3), 2, "c"),
        ]);
        assert_eq!(tree.trail(SectionId(1)).len(), 2);
        assert_eq!(tree.trail(SectionId(3)).len(), 1, "a section that is its own parent");
    }
}
