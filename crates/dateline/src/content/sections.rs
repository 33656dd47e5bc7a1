//! The reference page's section tree (two levels), used by the demo and by `dateline seed`.

use anyhow::Context;
use dateline_newsroom::{NewSection, Section, SectionStore, SectionTree, Slug};

/// `(slug, name)` of a section.
type Named = (&'static str, &'static str);

/// `(slug, name, subsections)`, in menu order.
pub const REFERENCE_SECTIONS: &[(&str, &str, &[Named])] = &[
    (
        "national",
        "National",
        &[
            ("politics", "Politics"),
            ("social-affairs", "Social Affairs"),
            ("foreign-affairs", "Foreign Affairs"),
            ("defense", "Defense"),
            ("north-korea", "North Korea"),
            ("science", "Science"),
            ("diplomatic-circuit", "Diplomatic Circuit"),
            ("education", "Education"),
        ],
    ),
    (
        "business",
        "Business",
        &[
            ("industry", "Industry"),
            ("technology", "Technology"),
            ("transport", "Transport"),
            ("retail", "Retail"),
            ("finance", "Finance"),
            ("economy", "Economy"),
            ("market", "Market"),
            ("money", "Money"),
        ],
    ),
    (
        "life-style",
        "Life&Style",
        &[
            ("culture", "Culture"),
            ("travel", "Travel"),
            ("fashion", "Fashion"),
            ("food-beverage", "Food & Beverage"),
            ("books", "Books"),
            ("people", "People"),
            ("expat-living", "Expat Living"),
            ("arts-design", "Arts & Design"),
            ("health", "Health"),
        ],
    ),
    (
        "entertainment",
        "Entertainment",
        &[
            ("film", "Film"),
            ("television", "Television"),
            ("music", "Music"),
            ("theater", "Theater"),
            ("k-pop", "K-pop"),
        ],
    ),
    (
        "sports",
        "Sports",
        &[("soccer", "Soccer"), ("baseball", "Baseball"), ("golf", "Golf"), ("more-sports", "More Sports")],
    ),
    (
        "world",
        "World",
        &[
            ("world-news", "World News"),
            ("world-business", "World Business"),
            ("asia-news-network", "Asia News Network"),
        ],
    ),
    ("opinion", "Opinion", &[("editorial", "Editorial"), ("viewpoints", "Viewpoints")]),
    ("english-eye", "English Eye", &[("podcast", "Podcast"), ("english-cafe", "English Cafe")]),
    ("weekender", "Weekender", &[]),
];

/// Creates the reference tree where it is missing and returns the whole tree.
pub async fn ensure_reference_tree(store: &impl SectionStore) -> anyhow::Result<SectionTree> {
    let existing = SectionTree::new(store.sections().await?);
    if !existing.is_empty() {
        return Ok(existing);
    }
    let mut all: Vec<Section> = Vec::new();
    for (position, (slug, name, children)) in REFERENCE_SECTIONS.iter().enumerate() {
        let new =
            NewSection { slug: Slug::parse(slug)?, name: (*name).into(), parent_id: None, position: position as i64 };
        let path = new.validate(None)?;
        let parent = store.insert_section(&new, &path).await.with_context(|| format!("creating section {slug}"))?;
        for (child_position, (child_slug, child_name)) in children.iter().enumerate() {
            let new = NewSection {
                slug: Slug::parse(child_slug)?,
                name: (*child_name).into(),
                parent_id: Some(parent.id),
                position: child_position as i64,
            };
            let path = new.validate(Some(&parent))?;
            all.push(store.insert_section(&new, &path).await.with_context(|| format!("creating section {path}"))?);
        }
        all.push(parent);
    }
    Ok(SectionTree::new(all))
}
