//! `dateline seed`: generated stories for tests and benchmarks. A small SplitMix64 generator
//! (not a crate) keeps the output identical for a seed across versions and platforms. Bodies
//! follow the length spread of real news (a median near 2,700 characters, a long tail), and
//! publication times run back from `now` at about seventy stories a day.

use super::sections::ensure_reference_tree;
use dateline_newsroom::{
    ArticleContent, ArticleId, ArticleStatus, ArticleStore, AuthorId, AuthorKind, Label, NewArticle, NewAuthor,
    NewTopic, RevisionAuthor, SectionId, SettingsStore, Slug, Store, TopicId,
};
use dateline_storage::{Backend, SqlStore};
use jiff::{SignedDuration, Timestamp};

pub struct SeedReport {
    pub stories: u32,
    pub sections: usize,
    pub authors: usize,
}

/// SplitMix64: tiny, fast, and fixed forever.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const GIVEN: &[&str] = &[
    "Min-ji",
    "Jae-won",
    "Hyun-woo",
    "Ye-rin",
    "Sung-min",
    "Seo-yeon",
    "Da-eun",
    "Tae-ho",
    "Ji-hoon",
    "Su-bin",
    "Do-yun",
    "Ha-eun",
    "Joon-young",
    "Eun-bi",
    "Woo-jin",
    "Na-rae",
];
const FAMILY: &[&str] = &[
    "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin", "Kwon",
    "Hwang",
];
const SUBJECTS: &[&str] = &[
    "Assembly",
    "Central bank",
    "Ministry",
    "Exporters",
    "Chipmakers",
    "City council",
    "Coast guard",
    "Regulators",
    "Shipbuilders",
    "Farmers",
    "Teachers",
    "Hospitals",
    "Carmakers",
    "Retailers",
    "Researchers",
    "Museum",
    "National team",
    "Broadcasters",
    "Airlines",
    "Port authority",
    "Startups",
    "Pension fund",
    "Court",
    "Police",
    "Unions",
    "Universities",
];
const VERBS: &[&str] = &[
    "approves",
    "weighs",
    "rejects",
    "expands",
    "delays",
    "unveils",
    "questions",
    "doubles",
    "cuts",
    "backs",
    "probes",
    "revises",
    "launches",
    "halts",
    "defends",
    "resumes",
];
const OBJECTS: &[&str] = &[
    "housing plan",
    "export rules",
    "budget",
    "chip subsidies",
    "rail link",
    "fishing quotas",
    "school reform",
    "drug prices",
    "carbon target",
    "tariff deal",
    "stadium project",
    "bond sale",
    "wage talks",
    "festival program",
    "flood defenses",
    "data law",
    "pension overhaul",
    "port expansion",
    "vaccine drive",
    "election rules",
];
const TAILS: &[&str] = &[
    "after long talks",
    "amid protests",
    "as costs rise",
    "in surprise move",
    "ahead of vote",
    "despite warnings",
    "for second year",
    "under pressure",
    "in Busan",
    "in Seoul",
    "on Jeju",
    "near border",
];
const WORDS: &[&str] = &[
    "officials",
    "said",
    "the",
    "plan",
    "would",
    "cost",
    "billion",
    "won",
    "over",
    "five",
    "years",
    "and",
    "that",
    "critics",
    "argue",
    "households",
    "will",
    "bear",
    "most",
    "of",
    "burden",
    "minister",
    "told",
    "reporters",
    "on",
    "Tuesday",
    "in",
    "a",
    "briefing",
    "at",
    "government",
    "complex",
    "analysts",
    "expect",
    "growth",
    "to",
    "slow",
    "next",
    "quarter",
    "while",
    "exports",
    "remain",
    "strong",
    "semiconductors",
    "ships",
    "cars",
    "lead",
    "shipments",
    "abroad",
    "local",
    "residents",
    "gathered",
    "outside",
    "hall",
    "demanding",
    "answers",
    "about",
    "delays",
    "construction",
    "schedule",
    "survey",
    "showed",
    "support",
    "among",
    "younger",
    "voters",
    "has",
    "fallen",
    "since",
    "spring",
    "election",
    "elections",
    "campaign",
    "opposition",
    "party",
    "lawmakers",
    "committee",
    "hearing",
    "documents",
    "obtained",
    "by",
    "this",
    "newspaper",
    "show",
    "ministry",
    "knew",
    "risks",
    "months",
    "earlier",
    "company",
    "spokesperson",
    "declined",
    "comment",
    "statement",
    "issued",
    "late",
    "evening",
    "prices",
    "rose",
    "percent",
    "compared",
    "with",
    "same",
    "period",
    "last",
    "year",
    "inflation",
    "interest",
    "rates",
    "bank",
    "governor",
    "signaled",
    "patience",
    "market",
    "investors",
    "shares",
    "closed",
    "higher",
    "festival",
    "visitors",
    "artists",
    "exhibition",
    "opened",
    "weekend",
    "coach",
    "season",
    "match",
    "fans",
    "stadium",
    "scored",
    "goal",
    "second",
    "half",
    "victory",
    "league",
    "title",
    "hospital",
    "patients",
    "doctors",
    "shortage",
    "schools",
    "students",
    "teachers",
    "curriculum",
    "reform",
    "climate",
    "rainfall",
    "flooding",
    "coastal",
    "towns",
    "North",
    "Korea",
    "missile",
    "launch",
    "talks",
    "allies",
    "security",
    "council",
    "Seoul",
    "Busan",
    "Incheon",
    "Daegu",
    "Gwangju",
    "Jeju",
    "province",
    "mayor",
    "governor",
    "court",
    "ruling",
    "appeal",
    "prosecutors",
    "investigation",
];
const KOREAN: &[&str] = &["서울", "부산", "국회", "한강", "제주", "김민지", "박서연", "경제", "선거", "반도체"];
const TOPICS: &[&str] = &[
    "housing",
    "semiconductors",
    "north-korea-talks",
    "k-pop",
    "climate",
    "national-assembly",
    "baseball",
    "tourism",
    "education-reform",
    "trade",
    "public-health",
    "elections",
];

fn sentence(dice: &mut Dice) -> String {
    let length = 8 + dice.below(18);
    let mut words: Vec<String> = (0..length).map(|_| (*dice.pick(WORDS)).to_owned()).collect();
    if dice.chance(4) {
        let at = dice.below(words.len());
        words[at] = (*dice.pick(KOREAN)).to_owned();
    }
    let mut text = words.join(" ");
    if let Some(first) = text.get(0..1) {
        let upper = first.to_uppercase();
        text.replace_range(0..1, &upper);
    }
    text.push('.');
    text
}

/// A body whose length follows a long-tailed spread: most stories 1,500 to 4,000 characters,
/// a few past 10,000.
fn body(dice: &mut Dice, agency: Option<&str>) -> String {
    let roll = dice.below(100);
    let target = match roll {
        0..=9 => 600 + dice.below(900),
        10..=79 => 1_500 + dice.below(2_500),
        80..=96 => 4_000 + dice.below(5_000),
        _ => 9_000 + dice.below(12_000),
    };
    let mut paragraphs = Vec::new();
    let mut size = 0;
    while size < target {
        let sentences = 2 + dice.below(4);
        let paragraph: Vec<String> = (0..sentences).map(|_| sentence(dice)).collect();
        let paragraph = if dice.chance(8) { format!("> {}", paragraph.join(" ")) } else { paragraph.join(" ") };
        size += paragraph.len() + 2;
        paragraphs.push(paragraph);
    }
    if let (Some(name), Some(last)) = (agency, paragraphs.last_mut()) {
        last.push_str(&format!(" ({name})"));
    }
    paragraphs.join("\n\n")
}

async fn ensure_authors(
    store: &impl Store,
    dice: &mut Dice,
) -> anyhow::Result<(Vec<AuthorId>, Vec<(AuthorId, String)>)> {
    let existing = store.authors().await?;
    if existing.len() >= 10 {
        let people = existing.iter().filter(|a| a.kind == AuthorKind::Person).map(|a| a.id).collect();
        let agencies =
            existing.iter().filter(|a| a.kind == AuthorKind::Agency).map(|a| (a.id, a.name.clone())).collect();
        return Ok((people, agencies));
    }
    let mut people = Vec::new();
    for (i, family) in FAMILY.iter().enumerate() {
        for given in GIVEN.iter().skip(i % 4).step_by(4) {
            let name = format!("{family} {given}");
            let slug = Slug::suggest(&format!("{name} staff")).ok_or_else(|| anyhow::anyhow!("no slug for {name}"))?;
            let author = store
                .insert_author(&NewAuthor {
                    slug,
                    name: name.clone(),
                    kind: AuthorKind::Person,
                    bio: format!("{name} is a staff reporter."),
                    photo_id: None,
                })
                .await?;
            people.push(author.id);
        }
    }
    let mut agencies = Vec::new();
    for (slug, name) in [("seed-yonhap", "Yonhap"), ("seed-afp", "AFP")] {
        let author = store
            .insert_author(&NewAuthor {
                slug: Slug::parse(slug)?,
                name: name.into(),
                kind: AuthorKind::Agency,
                bio: format!("{name} is a news agency."),
                photo_id: None,
            })
            .await?;
        agencies.push((author.id, name.to_owned()));
    }
    let _ = dice.next();
    Ok((people, agencies))
}

async fn ensure_topics(store: &impl Store) -> anyhow::Result<Vec<TopicId>> {
    let existing = store.topics().await?;
    if !existing.is_empty() {
        return Ok(existing.iter().map(|t| t.id).collect());
    }
    let mut ids = Vec::new();
    for slug in TOPICS {
        let topic = store
            .insert_topic(&NewTopic {
                slug: Slug::parse(slug)?,
                name: slug.replace('-', " "),
                description: String::new(),
            })
            .await?;
        ids.push(topic.id);
    }
    Ok(ids)
}

/// Stories written in one transaction: large enough that the round trips vanish, small
/// enough that a run can be stopped and what was written so far stays.
const STORIES_PER_BATCH: usize = 2_000;

/// Adds `count` generated stories (and the sections, authors and topics they need, when the
/// database has none), `STORIES_PER_BATCH` to a transaction, telling `progress` after each.
pub async fn fill(
    store: &SqlStore,
    count: u32,
    seed: u64,
    now: Timestamp,
    mut progress: impl FnMut(u32),
) -> anyhow::Result<SeedReport> {
    let mut dice = Dice(seed);
    let stored = store.count_articles().await?;
    if stored == 0 {
        let mut settings = store.settings().await?;
        if settings == dateline_newsroom::EditorialSettings::default() {
            settings = super::demo::demo_settings();
            store.save_settings(&settings).await?;
        }
    }
    let tree = ensure_reference_tree(store).await?;
    let cast = Cast {
        sections: tree.iter().map(|s| s.id).collect(),
        authors: ensure_authors(store, &mut dice).await?,
        topics: ensure_topics(store).await?,
        made_by: RevisionAuthor::system("seed generator"),
        now,
    };
    // A seed larger than the archive builds the full-text index once at the end, instead of
    // adding each story to it; a seed that fails builds it before saying so.
    let index_at_end = u64::from(count) >= SET_INDEX_ASIDE_FROM && u64::from(count) >= stored;
    if index_at_end {
        store.set_search_index_aside().await?;
    }
    let written = write_stories(store, &cast, count, &mut dice, &mut progress).await;
    if index_at_end {
        store.make_search_index().await?;
    }
    written?;
    let (people, agencies) = &cast.authors;
    Ok(SeedReport { stories: count, sections: cast.sections.len(), authors: people.len() + agencies.len() })
}

/// From this many stories on, a seed that at least doubles the archive sets the full-text
/// index aside while it writes.
const SET_INDEX_ASIDE_FROM: u64 = 10_000;

/// Writes the stories a batch at a time. On PostgreSQL two batches are written at once (each
/// transaction's vectors keep one of the server's processes busy, and ids come from a
/// sequence); on SQLite one, since it has one writer. Ids are reserved in the stories' order
/// before each batch starts, so the same seed gives the same ids.
async fn write_stories(
    store: &SqlStore,
    cast: &Cast,
    count: u32,
    dice: &mut Dice,
    progress: &mut impl FnMut(u32),
) -> anyhow::Result<()> {
    let writers = match store.backend() {
        Backend::Postgres => 2,
        Backend::Sqlite => 1,
    };
    let mut writing = tokio::task::JoinSet::new();
    let mut written = 0_u32;
    let mut batch = Vec::with_capacity(STORIES_PER_BATCH);
    for n in 0..count {
        batch.push(cast.story(n, dice)?);
        if batch.len() < STORIES_PER_BATCH && n + 1 < count {
            continue;
        }
        while writing.len() >= writers {
            written += writing.join_next().await.expect("a batch is being written")??;
            progress(written);
        }
        let ids = store.reserve_story_ids(batch.len()).await?;
        let stories: Vec<(ArticleId, NewArticle)> = ids.into_iter().zip(batch.drain(..)).collect();
        let store = store.clone();
        writing.spawn(async move {
            store.insert_stories_in_bulk(&stories).await?;
            anyhow::Ok(stories.len() as u32)
        });
    }
    while let Some(done) = writing.join_next().await {
        written += done??;
        progress(written);
    }
    Ok(())
}

/// Who and what the generated stories are about and by.
struct Cast {
    sections: Vec<SectionId>,
    authors: (Vec<AuthorId>, Vec<(AuthorId, String)>),
    topics: Vec<TopicId>,
    made_by: RevisionAuthor,
    now: Timestamp,
}

impl Cast {
    /// The `n`th story back from `now`.
    fn story(&self, n: u32, dice: &mut Dice) -> anyhow::Result<NewArticle> {
        let (people, agencies) = &self.authors;
        let headline =
            format!("{} {} {} {}", dice.pick(SUBJECTS), dice.pick(VERBS), dice.pick(OBJECTS), dice.pick(TAILS));
        let agency = if dice.chance(15) { Some(dice.pick(agencies).clone()) } else { None };
        let mut bylines: Vec<AuthorId> = Vec::new();
        if let Some((id, _)) = &agency {
            bylines.push(*id);
        }
        if agency.is_none() || dice.chance(20) {
            for _ in 0..(1 + usize::from(dice.chance(20)) + usize::from(dice.chance(5))) {
                let person = *dice.pick(people);
                if !bylines.contains(&person) {
                    bylines.push(person);
                }
            }
        }
        let story_topics: Vec<TopicId> = if dice.chance(40) { vec![*dice.pick(&self.topics)] } else { vec![] };
        // About seventy stories a day, newest first, with a little jitter.
        let minutes_back = i64::from(n) * 20 + dice.below(15) as i64 + 5;
        let published = self.now - SignedDuration::from_mins(minutes_back);
        let updated = dice
            .chance(10)
            .then(|| published + SignedDuration::from_mins(30 + dice.below(300) as i64))
            .filter(|u| *u < self.now);
        let label =
            if dice.chance(5) { Some(*dice.pick(&[Label::Analysis, Label::Opinion, Label::Editorial])) } else { None };
        let slug = Slug::suggest(&headline).ok_or_else(|| anyhow::anyhow!("no slug for {headline}"))?;
        let deck = dice.chance(60).then(|| sentence(dice));
        Ok(NewArticle {
            content: ArticleContent {
                slug,
                headline,
                deck,
                section_id: *dice.pick(&self.sections),
                bylines,
                label,
                topics: story_topics,
                lead_media_id: None,
                body: body(dice, agency.as_ref().map(|(_, name)| name.as_str())),
                seo_title: None,
                seo_description: None,
                dateline: None,
            },
            status: ArticleStatus::Published,
            embargo_until: None,
            publish_at: None,
            first_published_at: Some(published),
            last_public_update_at: updated,
            created_at: published,
            made_by: self.made_by.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_words() {
        let (mut a, mut b, mut c) = (Dice(7), Dice(7), Dice(8));
        assert_eq!(body(&mut a, Some("Yonhap")), body(&mut b, Some("Yonhap")));
        assert_ne!(body(&mut Dice(7), None), body(&mut c, None));
    }

    #[test]
    fn bodies_have_news_like_lengths_and_agency_sign_offs() {
        let mut dice = Dice(42);
        let mut lengths: Vec<usize> = (0..400).map(|_| body(&mut dice, None).len()).collect();
        lengths.sort_unstable();
        let median = lengths[lengths.len() / 2];
        assert!((1_800..=3_800).contains(&median), "median body length {median}");
        assert!(body(&mut dice, Some("AFP")).ends_with("(AFP)"));
    }
}
