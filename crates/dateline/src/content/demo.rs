//! The demo paper: the reference section tree, invented stories by invented staff and two
//! agencies, drawn lead photos, static pages and a full masthead. All text is our own
//! writing, in `crates/dateline/demo/`. Times are laid back from the moment it is loaded, so
//! the paper always looks current.

use super::images;
use super::sections::ensure_reference_tree;
use anyhow::{bail, Context};
use dateline_newsroom::accounts::{hash_password, NewUser, Role};
use dateline_newsroom::StoreError;
use dateline_newsroom::{
    ArticleContent, ArticleStatus, AuthorKind, EditorialSettings, HourlyViews, Label, Masthead, NewArticle, NewAuthor,
    NewMedia, NewPage, NewTopic, OutboundLinks, RevisionAuthor, Slug, Store,
};
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use std::collections::HashMap;

const STORIES: &str = include_str!("../../demo/stories.toml");
const PAGES: &str = include_str!("../../demo/pages.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StoriesFile {
    author: Vec<DemoAuthor>,
    story: Vec<DemoStory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAuthor {
    slug: String,
    name: String,
    kind: String,
    bio: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoStory {
    section: String,
    headline: String,
    deck: Option<String>,
    label: Option<String>,
    bylines: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    hours_ago: i64,
    updated_after_hours: Option<i64>,
    body: String,
    /// Where an agency story was filed: its dateline is shaped from it, the agency and the
    /// time it was published, by the same rule a wire source uses.
    dateline_place: Option<String>,
    photo: Option<DemoPhoto>,
    /// A live story: its posts, and when its coverage ended (if it has).
    live: Option<DemoLive>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoLive {
    /// Hours after publication that the coverage ended; none while it runs.
    ended_after_hours: Option<i64>,
    post: Vec<DemoPost>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPost {
    /// Minutes after the story's publication.
    after_minutes: i64,
    title: Option<String>,
    body: String,
    #[serde(default)]
    pinned: bool,
    /// One of the story's bylines; none posts under the desk's name.
    author: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPhoto {
    caption: String,
    credit: String,
    alt: String,
    photographer: String,
    palette: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PagesFile {
    page: Vec<DemoPage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPage {
    slug: String,
    title: String,
    body: String,
}

/// The demo's desk accounts, one per role. These passwords are for the demo only and are
/// printed at every start; `dateline serve` never creates them.
pub const DEMO_USERS: &[(Role, &str, &str, &str)] = &[
    (Role::Admin, "admin@dateline.example", "Ahn Ji-su (admin)", "demo-admin-2026"),
    (Role::Editor, "editor@dateline.example", "Baek Min-ho (editor)", "demo-editor-2026"),
    (Role::PhotoEditor, "photo@dateline.example", "Cha Eun-seo (photo editor)", "demo-photo-2026"),
    (Role::Reporter, "reporter@dateline.example", "Do Hyun-jun (reporter)", "demo-reporter-2026"),
    (Role::Contributor, "contributor@dateline.example", "Eom Seo-ah (contributor)", "demo-contributor-2026"),
];

/// The author the demo's reporter account writes as.
const DEMO_REPORTER_WRITES_AS: &str = "han-ye-rin";

/// Creates the demo accounts that are missing and returns the lines that tell how to sign in.
pub async fn ensure_demo_users(store: &impl Store, now: Timestamp) -> anyhow::Result<Vec<String>> {
    let mut lines = vec!["demo desk accounts (demo only; sign in at /desk/):".to_owned()];
    for (role, email, name, password) in DEMO_USERS {
        match store.user_with_password_hash(email).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                let password_hash = hash_password(password)?;
                let new = NewUser { email: (*email).into(), name: (*name).into(), role: *role, password_hash };
                let user = store.insert_user(&new, now).await?;
                // The demo reporter writes as Han Ye-rin, so may post to the typhoon live story.
                if *role == Role::Reporter {
                    if let Ok(author) = store.author_by_slug(&Slug::parse(DEMO_REPORTER_WRITES_AS)?).await {
                        store.set_user_author(user.id, Some(author.id)).await?;
                    }
                }
            }
            Err(other) => return Err(other.into()),
        }
        lines.push(format!("  {:<12} {email:<30} {password}", role.title()));
    }
    Ok(lines)
}

pub fn demo_settings() -> EditorialSettings {
    EditorialSettings {
        site_name: "The Daily Dateline".into(),
        owner: "Dateline Media Corporation".into(),
        language: "en".into(),
        logo_media_id: None,
        share_image_media_id: None,
        time_zone: "Asia/Seoul".into(),
        date_line_format: "%Y-%m-%d".into(),
        timestamp_format: "%b %d, %Y - %H:%M".into(),
        links: OutboundLinks {
            podcast_url: "/podcasts/english-eye/".into(),
            video_channel_url: "https://video.dateline.example/".into(),
            subscribe_url: "mailto:subscribe@dateline.example".into(),
        },
        masthead: Masthead {
            copyright_line: "Copyright © The Daily Dateline. All rights reserved.".into(),
            postal_address: "Dateline Building, 12 Sejong-daero, Jung-gu, Seoul 04512 (서울특별시 중구 세종대로 12)"
                .into(),
            registration_number: "서울 아09152".into(),
            registration_date: "2008.05.21".into(),
            publisher: "Park Sang-woo".into(),
            editor: "Kim Hye-jin (김혜진)".into(),
            juvenile_protection_manager: "Lee Dong-hyun".into(),
            telephone: "+82-2-0000-1234".into(),
        },
    }
}

fn topic_name(slug: &str) -> String {
    match slug {
        "k-pop" => "K-pop".into(),
        _ => {
            let spaced = slug.replace('-', " ");
            let mut chars = spaced.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// Loads the demo paper into an empty database; returns false when it already holds stories.
/// The morning meeting's plans the demo starts with: `(section, working headline, summary,
/// assignee's e-mail, due hour in the paper's zone)`.
const DEMO_PLANS: &[(&str, &str, &str, &str, i8)] = &[
    (
        "national/politics",
        "Assembly votes on the housing bill",
        "Result expected after the afternoon session; reaction from both benches",
        "reporter@dateline.example",
        16,
    ),
    (
        "business/economy",
        "Exporters brace for the December figures",
        "Chip and car makers on what the first-week trade data will show",
        "contributor@dateline.example",
        18,
    ),
    ("sports/baseball", "Free agents to watch this winter", "Five names the clubs are calling about", "", 20),
];

/// Plans the demo's budget for the paper's today, as the demo editor (once, with new demo
/// content): the desk's Budget page then has a morning meeting's worth of stories.
pub async fn plan_todays_budget(store: &impl Store, now: Timestamp) -> anyhow::Result<()> {
    let editor = store.user_with_password_hash("editor@dateline.example").await?.0;
    let zone = demo_settings().zone()?;
    let today = now.to_zoned(zone.clone()).date();
    let tree = dateline_newsroom::SectionTree::new(store.sections().await?);
    for (path, headline, summary, assignee, hour) in DEMO_PLANS {
        let section = tree.by_path(path).with_context(|| format!("the demo has the section {path}"))?;
        let assignee = match *assignee {
            "" => None,
            email => Some(store.user_with_password_hash(email).await?.0.id),
        };
        let draft = dateline_newsroom::planning::PlanDraft {
            headline: (*headline).into(),
            section_id: Some(section.id),
            summary: (*summary).into(),
            assignee,
            planned_for: Some(today.at(*hour, 0, 0, 0).to_zoned(zone.clone())?.timestamp()),
        };
        dateline_newsroom::planning::plan_story(store, &editor, &draft, now)
            .await
            .map_err(|e| anyhow::anyhow!("cannot plan the demo story {headline:?}: {e}"))?;
    }
    Ok(())
}

pub async fn load_if_empty(store: &impl Store, media: &dateline_media::Blobs, now: Timestamp) -> anyhow::Result<bool> {
    if store.count_articles().await? > 0 {
        return Ok(false);
    }
    let stories: StoriesFile = toml::from_str(STORIES).context("the demo stories file is malformed")?;
    let pages: PagesFile = toml::from_str(PAGES).context("the demo pages file is malformed")?;

    let mut settings = demo_settings();
    settings.validate()?;
    store.save_settings(&settings).await?;
    // The paper's default share image, for stories without a photo of their own.
    let share_image = {
        let bytes = images::draw_jpeg("harbour", 99)?;
        let key = "demo/share-image.jpg".to_owned();
        media.put(&key, bytes.clone()).await.with_context(|| format!("cannot write {key}"))?;
        let new = NewMedia {
            storage_key: key,
            mime_type: "image/jpeg".into(),
            width: images::WIDTH,
            height: images::HEIGHT,
            byte_size: bytes.len() as u64,
            caption: "The Daily Dateline".into(),
            credit: "The Daily Dateline".into(),
            alt_text: "The Daily Dateline's harbour at dawn, the paper's emblem".into(),
            photographer: String::new(),
            file_facts: Vec::new(),
            content_credentials: None,
        };
        store.insert_media(&new, now).await?
    };
    settings.share_image_media_id = Some(share_image.id.0);
    store.save_settings(&settings).await?;
    let tree = ensure_reference_tree(store).await?;

    let mut authors = HashMap::new();
    for author in &stories.author {
        let kind = AuthorKind::parse(&author.kind)
            .with_context(|| format!("demo author {} has kind {:?}", author.slug, author.kind))?;
        let stored = store
            .insert_author(&NewAuthor {
                slug: Slug::parse(&author.slug)?,
                name: author.name.clone(),
                kind,
                bio: author.bio.clone(),
                photo_id: None,
            })
            .await?;
        authors.insert(author.slug.clone(), stored.id);
    }

    let mut topics = HashMap::new();
    for slug in stories.story.iter().flat_map(|s| s.topics.iter()) {
        if !topics.contains_key(slug) {
            let topic = store
                .insert_topic(&NewTopic {
                    slug: Slug::parse(slug)?,
                    name: topic_name(slug),
                    description: String::new(),
                })
                .await?;
            topics.insert(slug.clone(), topic.id);
        }
    }

    let agency_names: HashMap<&str, &str> =
        stories.author.iter().filter(|a| a.kind == "agency").map(|a| (a.slug.as_str(), a.name.as_str())).collect();
    let zone = settings.zone()?;

    let loader = RevisionAuthor::system("demo loader");
    let mut demo_views = Vec::new();
    for (index, story) in stories.story.iter().enumerate() {
        let Some(section) = tree.by_path(&story.section) else {
            bail!("demo story {:?} names an unknown section {}", story.headline, story.section)
        };
        let lead_media_id = match &story.photo {
            None => None,
            Some(photo) => {
                let bytes = images::draw_jpeg(&photo.palette, index as u32)?;
                let key = format!("demo/story-{:02}-{}.jpg", index + 1, photo.palette);
                media.put(&key, bytes.clone()).await.with_context(|| format!("cannot write {key}"))?;
                let media = store
                    .insert_media(
                        &NewMedia {
                            storage_key: key,
                            mime_type: "image/jpeg".into(),
                            width: images::WIDTH,
                            height: images::HEIGHT,
                            byte_size: bytes.len() as u64,
                            caption: photo.caption.clone(),
                            credit: photo.credit.clone(),
                            alt_text: photo.alt.clone(),
                            photographer: photo.photographer.clone(),
                            file_facts: Vec::new(),
                            content_credentials: None,
                        },
                        now,
                    )
                    .await?;
                Some(media.id)
            }
        };
        let bylines = story
            .bylines
            .iter()
            .map(|slug| {
                authors
                    .get(slug)
                    .copied()
                    .with_context(|| format!("demo story {:?} names an unknown author {slug}", story.headline))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        // Minutes vary so that stories do not all land on the hour.
        let published =
            now - SignedDuration::from_hours(story.hours_ago) - SignedDuration::from_mins((index as i64 * 17) % 53);
        let updated = story
            .updated_after_hours
            .map(|h| published + SignedDuration::from_hours(h) + SignedDuration::from_mins(24));
        let label = match &story.label {
            Some(text) => Some(Label::parse(text).with_context(|| format!("demo story label {text:?}"))?),
            None => None,
        };
        let agency = story.bylines.iter().find_map(|slug| agency_names.get(slug.as_str()));
        let dateline = match (&story.dateline_place, agency) {
            (Some(place), Some(agency)) => dateline_newsroom::wire::datelines::shape_dateline(
                dateline_newsroom::wire::datelines::DEFAULT_DATELINE_FORMAT,
                place,
                published,
                &zone,
                agency,
            ),
            (Some(_), None) => anyhow::bail!("demo story {:?} has a dateline place but no agency", story.headline),
            _ => None,
        };
        let slug = Slug::suggest(&story.headline).with_context(|| format!("no slug for {:?}", story.headline))?;
        let id = store
            .insert_article(&NewArticle {
                content: ArticleContent {
                    slug,
                    headline: story.headline.clone(),
                    deck: story.deck.clone(),
                    section_id: section.id,
                    bylines,
                    label,
                    topics: story.topics.iter().filter_map(|t| topics.get(t).copied()).collect(),
                    lead_media_id,
                    body: story.body.trim().to_owned(),
                    seo_title: None,
                    seo_description: None,
                    dateline,
                },
                status: ArticleStatus::Published,
                embargo_until: None,
                publish_at: None,
                first_published_at: Some(published),
                last_public_update_at: updated,
                created_at: published - SignedDuration::from_hours(1),
                made_by: loader.clone(),
            })
            .await?;
        if let Some(live) = &story.live {
            load_live_story(store, id, published, live, &authors, &loader).await?;
        }
        // Invented reads for the stories of the last day, so "Most Popular" has something to
        // rank on a fresh demo; real readers' views add to them through the beacon.
        if story.hours_ago < 24 {
            let views = 40 + (index as u64 * 37) % 300;
            let hour = Timestamp::from_second(now.as_second().div_euclid(3600) * 3600)?;
            demo_views.push(HourlyViews { article_id: id, hour, views });
        }
    }
    store.add_views(&demo_views).await?;

    for page in &pages.page {
        store
            .insert_page(
                &NewPage {
                    slug: Slug::parse(&page.slug)?,
                    title: page.title.clone(),
                    body: page.body.trim().to_owned(),
                },
                now,
            )
            .await?;
    }
    load_newsletter(store, now).await?;
    load_podcast(store, media, &tree, &authors, now).await?;
    Ok(true)
}

/// One of the demo's episodes.
struct DemoEpisode {
    headline: &'static str,
    deck: &'static str,
    hours_ago: i64,
    /// The pitches its tone plays in turn, in hertz.
    pitches: &'static [f32],
    seconds: f32,
    transcript: &'static str,
}

const DEMO_EPISODES: &[DemoEpisode] = &[
    DemoEpisode {
        headline: "English Eye, episode 1: Words from the weather desk",
        deck: "Why forecasters say a typhoon \"recurves\", and three more words from this week's storm coverage.",
        hours_ago: 50,
        pitches: &[392.0, 440.0, 494.0],
        seconds: 12.0,
        transcript: "WEBVTT\n\n00:00.000 --> 00:04.000\n<v Kim Min-ji>Welcome to English Eye, where we read the week's news slowly.\n\n00:04.000 --> 00:12.000\n<v Kim Min-ji>Today: words from the weather desk, starting with recurve.\n",
    },
    DemoEpisode {
        headline: "English Eye, episode 2: How a summit communique is written",
        deck: "Drafts, brackets and the all-night session: the language of diplomacy, explained for learners.",
        hours_ago: 26,
        pitches: &[330.0, 392.0],
        seconds: 10.0,
        transcript: "WEBVTT\n\n00:00.000 --> 00:05.000\n<v Kim Min-ji>A communique is agreed word by word.\n\n00:05.000 --> 00:10.000\n<v Lee Jae-won>And the brackets show what is not agreed yet.\n",
    },
    DemoEpisode {
        headline: "English Eye, episode 3: Market verbs that move",
        deck: "Stocks \"slump\", the won \"firms\", bonds \"rally\": reading the markets page aloud.",
        hours_ago: 3,
        pitches: &[523.0, 440.0, 349.0, 392.0],
        seconds: 14.0,
        transcript: "WEBVTT\n\n00:00.000 --> 00:07.000\n<v Lee Jae-won>Markets pages are full of verbs of motion.\n\n00:07.000 --> 00:14.000\n<v Lee Jae-won>Let us read three of them, slowly.\n",
    },
];

/// "English Eye": a show in English Eye › Podcast with three short episodes whose sound the
/// demo makes itself (tones, encoded here as MP3), with transcripts and chapters.
async fn load_podcast(
    store: &impl Store,
    media: &dateline_media::Blobs,
    tree: &dateline_newsroom::SectionTree,
    authors: &HashMap<String, dateline_newsroom::AuthorId>,
    now: Timestamp,
) -> anyhow::Result<()> {
    use dateline_newsroom::podcasts::{
        feed_guid, read_chapters, Category, EpisodeDetails, EpisodeType, NewAudioFile, NewEpisode, ShowFields,
        Transcript,
    };
    let section = tree.by_path("english-eye/podcast").context("the demo has English Eye › Podcast")?;
    let artwork = images::draw_artwork_jpeg()?;
    let key = "demo/english-eye-artwork.jpg".to_owned();
    media.put(&key, artwork.clone()).await.with_context(|| format!("cannot write {key}"))?;
    let created = now - SignedDuration::from_hours(72);
    let art = store
        .insert_media(
            &NewMedia {
                storage_key: key,
                mime_type: "image/jpeg".into(),
                width: images::ARTWORK_SIDE,
                height: images::ARTWORK_SIDE,
                byte_size: artwork.len() as u64,
                caption: "English Eye, the podcast".into(),
                credit: "The Daily Dateline".into(),
                alt_text: "Rings of sound spreading from a bright dot on a dusk sky".into(),
                photographer: String::new(),
                file_facts: Vec::new(),
                content_credentials: None,
            },
            created,
        )
        .await?;
    let slug = Slug::parse("english-eye")?;
    let fields = ShowFields {
        title: "English Eye".into(),
        description: "The week's news read slowly, with the words that matter explained: a short podcast for \
                      learners of English from the desk of The Daily Dateline."
            .into(),
        artwork_id: art.id,
        category: Category::parse("Education › Language Learning").context("an Apple category")?,
        language: "en".into(),
        explicit: false,
        owner_name: "The Daily Dateline audio desk".into(),
        owner_email: "podcasts@dateline.example".into(),
        author: "The Daily Dateline".into(),
        section_id: section.id,
        locked: true,
    };
    let guid = feed_guid("http://127.0.0.1/podcasts/english-eye/feed.xml");
    let show = store.insert_show(&slug, &fields, &guid, created).await?;
    let host = authors.get("kim-min-ji").or_else(|| authors.values().next()).copied();
    let loader = RevisionAuthor::system("demo loader");
    for (number, demo) in DEMO_EPISODES.iter().enumerate() {
        let DemoEpisode { headline, deck, hours_ago, pitches, seconds, transcript } = demo;
        let sound = dateline_media::audio::tone_mp3(*seconds, pitches);
        let inspected = dateline_media::audio::inspect_audio(&sound, None, sound.len())
            .map_err(|e| anyhow::anyhow!("the demo's tone does not decode: {e}"))?;
        let key = format!("demo/english-eye-{}.mp3", number + 1);
        media.put(&key, sound.clone()).await.with_context(|| format!("cannot write {key}"))?;
        let published = now - SignedDuration::from_hours(*hours_ago);
        let halfway = (inspected.duration_ms / 2000).max(1);
        let details = EpisodeDetails {
            episode_number: Some(number as u32 + 1),
            season_number: Some(1),
            episode_type: EpisodeType::Full,
            transcript: Some(Transcript::read(transcript.as_bytes()).map_err(|e| anyhow::anyhow!(e))?),
            chapters: read_chapters(&format!("0:00 Opening\n0:{halfway:02} The words"), inspected.duration_ms)
                .map_err(|e| anyhow::anyhow!(e))?,
        };
        let story = NewArticle {
            content: ArticleContent {
                slug: Slug::suggest(headline).context("a slug for the episode")?,
                headline: (*headline).to_owned(),
                deck: Some((*deck).to_owned()),
                section_id: section.id,
                bylines: host.into_iter().collect(),
                label: None,
                topics: Vec::new(),
                lead_media_id: None,
                body: format!("{deck}\n\nListen above, or in your podcast app: search for English Eye."),
                seo_title: None,
                seo_description: None,
                dateline: None,
            },
            status: ArticleStatus::Published,
            embargo_until: None,
            publish_at: None,
            first_published_at: Some(published),
            last_public_update_at: None,
            created_at: published - SignedDuration::from_hours(1),
            made_by: loader.clone(),
        };
        let episode = NewEpisode {
            show_id: show.id,
            audio: NewAudioFile {
                storage_key: key,
                mime_type: inspected.format.mime_type().to_owned(),
                byte_size: sound.len() as u64,
                duration_ms: inspected.duration_ms,
            },
            details,
            guid: dateline_newsroom::podcasts::random_guid(),
        };
        store.insert_episode_story(&story, &episode, published).await?;
    }
    Ok(())
}

/// The morning briefing, going out on weekdays from the home page's stories, with
/// yesterday's edition in its archive. No reader is subscribed: the demo sends nothing.
async fn load_newsletter(store: &impl Store, now: Timestamp) -> anyhow::Result<()> {
    use dateline_newsroom::newsletters::{check_newsletter, EditionContent, NewsletterDraft};
    let fields = check_newsletter(&NewsletterDraft {
        name: "The Morning Briefing".into(),
        slug: "morning-briefing".into(),
        description: "The stories to know before nine, chosen by the night desk, every weekday.".into(),
        sender_name: "The Dateline".into(),
        sender_address: "briefing@dateline.example".into(),
        schedule: "weekdays 07:00".into(),
        source: "home".into(),
    })?;
    let newsletter = store.insert_newsletter(&fields, now - jiff::SignedDuration::from_hours(72)).await?;
    let yesterday = now - jiff::SignedDuration::from_hours(24);
    let stories = store
        .latest_public(now, dateline_newsroom::Listing::Everything, dateline_newsroom::Window { limit: 5, offset: 0 })
        .await?;
    let content = EditionContent {
        subject: "Typhoon warnings, a summit ends, and the markets".into(),
        note: "Good morning. The typhoon turned north overnight; our live page follows it hour by hour.".into(),
        story_ids: stories.iter().map(|s| s.id).collect(),
    };
    let edition = store.insert_edition(newsletter.id, &content, None, yesterday).await?;
    store.schedule_edition(edition.id, Some(yesterday)).await?;
    store.start_due_editions(yesterday).await?;
    store.finish_editions(yesterday).await?;
    Ok(())
}

/// A live story's coverage and posts, laid out after its publication.
async fn load_live_story(
    store: &impl Store,
    id: dateline_newsroom::ArticleId,
    published: Timestamp,
    live: &DemoLive,
    authors: &HashMap<String, dateline_newsroom::AuthorId>,
    loader: &RevisionAuthor,
) -> anyhow::Result<()> {
    use dateline_newsroom::live::{NewLivePost, PostContent};
    store.start_coverage(id, published).await?;
    for post in &live.post {
        let author_id = match &post.author {
            Some(slug) => Some(authors.get(slug).copied().with_context(|| format!("demo post names {slug}"))?),
            None => None,
        };
        let author_name = match author_id {
            Some(author) => store.authors_by_ids(&[author]).await?.into_iter().next().map(|a| a.name),
            None => None,
        }
        .unwrap_or_else(|| "Live desk".to_owned());
        let new = NewLivePost {
            article_id: id,
            content: PostContent {
                title: post.title.clone(),
                body: post.body.trim().to_owned(),
                media_id: None,
                author_id,
                author_name,
                pinned: post.pinned,
            },
            at: published + SignedDuration::from_mins(post.after_minutes),
            made_by: loader.clone(),
            story_is_public: true,
        };
        store.insert_live_post(&new).await?;
    }
    if let Some(hours) = live.ended_after_hours {
        store.set_coverage_end(id, Some(published + SignedDuration::from_hours(hours))).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_files_meet_the_demo_brief() {
        let stories: StoriesFile = toml::from_str(STORIES).expect("stories parse");
        let pages: PagesFile = toml::from_str(PAGES).expect("pages parse");
        assert!(stories.story.len() >= 40);
        let sections: std::collections::HashSet<_> = stories.story.iter().map(|s| &s.section).collect();
        assert!(sections.len() >= 12, "{} sections", sections.len());
        assert!(stories.story.iter().all(|s| (1..=240).contains(&s.hours_ago)), "all within ten days");
        let agencies: Vec<_> =
            stories.author.iter().filter(|a| a.kind == "agency").map(|a| (a.slug.as_str(), a.name.as_str())).collect();
        let mut agency_stories = 0;
        for story in &stories.story {
            if let Some((_, name)) = story.bylines.iter().find_map(|b| agencies.iter().find(|(slug, _)| slug == b)) {
                agency_stories += 1;
                assert!(
                    story.body.trim_end().ends_with(&format!("({name})")),
                    "{:?} must end with its sign-off",
                    story.headline
                );
            }
        }
        assert!(agency_stories >= 3);
        let with_datelines: Vec<_> = stories.story.iter().filter(|s| s.dateline_place.is_some()).collect();
        assert!(with_datelines.len() >= 5, "agency stories carry datelines");
        assert!(with_datelines.iter().all(|s| s.bylines.iter().any(|b| agencies.iter().any(|(slug, _)| slug == b))));
        assert!(stories.story.iter().any(|s| s.bylines.len() > 1), "multi-author bylines");
        let photos: Vec<_> = stories.story.iter().filter_map(|s| s.photo.as_ref()).collect();
        assert!(photos.len() >= 5);
        assert!(photos.iter().all(|p| p.caption.ends_with(&format!("({})", p.credit))));
        assert!(stories.story.iter().filter(|s| s.updated_after_hours.is_some()).count() >= 3);
        let live: Vec<_> = stories.story.iter().filter_map(|s| s.live.as_ref().map(|l| (s, l))).collect();
        assert!(live.iter().any(|(_, l)| l.ended_after_hours.is_none()), "one live story still running");
        assert!(live.iter().any(|(_, l)| l.ended_after_hours.is_some()), "one whose coverage ended");
        for (story, coverage) in &live {
            assert!(coverage.post.iter().filter(|p| p.pinned).count() >= 2, "{:?} pins two key events", story.headline);
            assert!(
                coverage.post.iter().all(|p| p.after_minutes >= 0 && p.after_minutes < story.hours_ago * 60),
                "{:?}: every post lies between publication and now",
                story.headline
            );
        }
        let slugs: Vec<_> = pages.page.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["privacy", "copyright-policy", "ombudsman"]);
        assert!(demo_settings().masthead.registration_number.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c)));
    }
}
