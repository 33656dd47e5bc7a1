//! Podcasts as an audio producer, a listener and a podcast app meet them, through HTTP on
//! both databases: an editor makes a show and an episode from a sound file; once published,
//! the show's feed carries it (read by feedparser and gPodder's podcastparser), the episode's
//! page plays it with its transcript, and the sound is served in the byte ranges players ask
//! for, counted once per listener per day. Broken or hostile files and forms are refused
//! with a reason and leave nothing behind.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleId, ArticleStatus, Media, NewMedia, Role};
use dateline_testkit::checkers::python_checker;
use dateline_testkit::paper::{desk_user, SmallPaper};
use dateline_testkit::DeskSession;
use dateline_testkit::{attributes, files_under, on_both_databases, texts, TestApp, TestDatabase};
use jiff::Timestamp;
use reqwest::multipart::{Form, Part};

const ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";
const PODCAST: &str = "https://podcastindex.org/namespace/1.0";

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

const TRANSCRIPT: &str = "WEBVTT\n\n00:00.000 --> 00:01.500\n<v Kim Min-ji>Good morning from Seoul.\n\n\
                          00:01.500 --> 00:03.000\n<script>alert(1)</script>The markets open <b>higher</b>.\n";

async fn artwork(store: &dateline_storage::SqlStore, side: u32) -> Media {
    store
        .insert_media(
            &NewMedia {
                storage_key: format!("art/show-{side}.jpg"),
                mime_type: "image/jpeg".into(),
                width: side,
                height: side,
                byte_size: 1000,
                caption: "The show's artwork".into(),
                credit: "Test Paper".into(),
                alt_text: "Rings of sound".into(),
                photographer: String::new(),
                file_facts: Vec::new(),
                content_credentials: None,
            },
            now(),
        )
        .await
        .expect("artwork")
}

fn show_fields<'a>(title: &'a str, art: &'a str, section: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("slug", ""),
        ("description", "The morning's news, read slowly."),
        ("artwork_id", art),
        ("category", "News › Daily News"),
        ("language", "en"),
        ("owner_name", "Audio desk"),
        ("owner_email", "audio@paper.example"),
        ("author", "The Test Dateline"),
        ("section_id", section),
        ("locked", "1"),
    ]
}

fn id_after(response: &reqwest::Response, prefix: &str) -> i64 {
    let location = response.headers()["location"].to_str().expect("location");
    location.trim_start_matches(prefix).split(['?', '/']).next().expect("id").parse().expect("an id")
}

fn episode_form(headline: &str, sound: Vec<u8>, file_name: &str, mime: &str) -> Form {
    Form::new()
        .text("headline", headline.to_owned())
        .text("deck", "Three stories to start the day.")
        .text("episode_number", "1")
        .text("season_number", "2")
        .text("episode_type", "full")
        .text("chapters", "0:00 Opening\n0:01 The markets")
        .part("audio", Part::bytes(sound).file_name(file_name.to_owned()).mime_str(mime).expect("mime"))
        .part(
            "transcript",
            Part::bytes(TRANSCRIPT.as_bytes().to_vec()).file_name("episode.vtt").mime_str("text/vtt").expect("mime"),
        )
}

async fn publish(desk: &DeskSession, store: &dateline_storage::SqlStore, id: ArticleId) {
    let story = store.article_by_id(id).await.expect("story");
    let version = story.version.to_string();
    let section = story.content.section_id.to_string();
    let published = desk
        .post(
            &format!("/desk/stories/{id}"),
            &[
                ("action", "publish"),
                ("version", &version),
                ("headline", &story.content.headline),
                ("deck", story.content.deck.as_deref().unwrap_or("")),
                ("section", &section),
                ("body", "Today: the typhoon's path, the summit's end and the markets."),
            ],
        )
        .await;
    assert_eq!(published.status(), 303, "{}", published.text().await.unwrap_or_default());
}

fn feed_document(xml: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(xml).expect("the feed is well-formed XML")
}

async fn an_editor_makes_a_show_and_an_episode_that_podcast_apps_and_readers_play(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Audio Editor").await;
    let art = artwork(&store, 1400).await.id.to_string();
    let section = paper.national.id.to_string();
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    let created = desk.post("/desk/podcasts", &show_fields("Morning Call", &art, &section)).await;
    assert_eq!(created.status(), 303, "{}", created.text().await.unwrap_or_default());
    let show_id = id_after(&created, "/desk/podcasts/");
    let show = store.show_by_id(show_id).await.expect("the show is stored");
    assert_eq!(show.slug.as_str(), "morning-call");

    let sound = dateline_media::audio::tone_mp3(3.0, &[440.0, 660.0]);
    let made = desk
        .post_multipart(
            &format!("/desk/podcasts/{show_id}/episodes"),
            episode_form("Morning Call: the typhoon turns north", sound.clone(), "episode.mp3", "audio/mpeg"),
        )
        .await;
    assert_eq!(made.status(), 303, "{}", made.text().await.unwrap_or_default());
    let story = ArticleId(id_after(&made, "/desk/stories/"));
    let stored = store.article_by_id(story).await.expect("the episode's story");
    assert_eq!(stored.status, ArticleStatus::Draft);
    assert_eq!(stored.content.section_id, paper.national.id, "in the show's section");
    let episode = store.episode(story).await.expect("the episode");
    assert!(
        (2900..=3150).contains(&episode.audio.duration_ms),
        "length read from the file: {}",
        episode.audio.duration_ms
    );
    assert_eq!(episode.audio.byte_size, sound.len() as u64);
    let audio_path = format!("/audio/{}", episode.audio.storage_key);
    assert_eq!(app.get(&audio_path).await.status(), 404, "a draft's sound is not out before its story");
    let feed = app.get("/podcasts/morning-call/feed.xml").await.text().await.expect("feed");
    assert!(feed_document(&feed).descendants().all(|n| !n.has_tag_name("item")), "no draft in the feed");

    publish(&desk, &store, story).await;

    // The feed, as podcast apps read it.
    let response = app.get("/podcasts/morning-call/feed.xml").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("type").starts_with("application/rss+xml"));
    let xml = response.text().await.expect("feed");
    let doc = feed_document(&xml);
    let channel = doc.descendants().find(|n| n.has_tag_name("channel")).expect("channel");
    let child = |namespace: &str, name: &str| {
        channel
            .children()
            .find(|n| n.tag_name().name() == name && n.tag_name().namespace().unwrap_or("") == namespace)
            .unwrap_or_else(|| panic!("the channel has {namespace} {name}"))
    };
    // What Apple's podcast guide lists as required for a show.
    for (namespace, name) in [
        ("", "title"),
        ("", "description"),
        ("", "language"),
        (ITUNES, "image"),
        (ITUNES, "category"),
        (ITUNES, "explicit"),
    ] {
        child(namespace, name);
    }
    assert_eq!(child(ITUNES, "category").attribute("text"), Some("News"));
    assert_eq!(child(ITUNES, "explicit").text(), Some("false"));
    assert_eq!(child(PODCAST, "guid").text(), Some(show.guid.as_str()));
    assert_eq!(child(PODCAST, "locked").text(), Some("yes"));
    let item = doc.descendants().find(|n| n.has_tag_name("item")).expect("the episode is in the feed");
    let in_item = |namespace: &str, name: &str| {
        item.children().find(|n| n.tag_name().name() == name && n.tag_name().namespace().unwrap_or("") == namespace)
    };
    // What Apple lists as required for an episode: title, enclosure, GUID.
    assert_eq!(in_item("", "title").and_then(|n| n.text()), Some("Morning Call: the typhoon turns north"));
    let enclosure = in_item("", "enclosure").expect("an enclosure");
    assert_eq!(enclosure.attribute("length"), Some(sound.len().to_string().as_str()), "the exact length");
    assert_eq!(enclosure.attribute("type"), Some("audio/mpeg"));
    assert!(enclosure.attribute("url").expect("url").ends_with(&audio_path));
    let guid = in_item("", "guid").and_then(|n| n.text()).expect("a guid").to_owned();
    assert_eq!(guid, episode.guid);
    assert_eq!(in_item(ITUNES, "duration").and_then(|n| n.text()), Some("00:00:03"));
    assert_eq!(in_item(ITUNES, "episode").and_then(|n| n.text()), Some("1"));
    assert_eq!(in_item(ITUNES, "season").and_then(|n| n.text()), Some("2"));
    let transcript_url = in_item(PODCAST, "transcript").and_then(|n| n.attribute("url")).expect("a transcript");
    let chapters_url = in_item(PODCAST, "chapters").and_then(|n| n.attribute("url")).expect("chapters");

    let base = dateline_testkit::PUBLIC_URL;
    let transcript = app.get(transcript_url.trim_start_matches(base)).await;
    assert_eq!(transcript.headers()["content-type"], "text/vtt; charset=utf-8");
    assert_eq!(transcript.text().await.expect("text"), TRANSCRIPT);
    let chapters: serde_json::Value =
        serde_json::from_str(&app.get(chapters_url.trim_start_matches(base)).await.text().await.expect("json"))
            .expect("chapters are JSON");
    assert_eq!(chapters["chapters"][1]["title"], "The markets");

    // The section's feeds carry the episode's sound too, so an app can follow them.
    let section_rss = app.get("/national/rss.xml").await.text().await.expect("feed");
    let section_doc = feed_document(&section_rss);
    let carried: Vec<_> = section_doc
        .descendants()
        .filter(|n| n.has_tag_name("enclosure"))
        .map(|n| (n.attribute("length").unwrap_or(""), n.attribute("type").unwrap_or("")))
        .collect();
    assert_eq!(carried, [(sound.len().to_string().as_str(), "audio/mpeg")]);
    let section_atom = app.get("/national/atom.xml").await.text().await.expect("feed");
    let atom_doc = feed_document(&section_atom);
    assert_eq!(
        atom_doc.descendants().filter(|n| n.has_tag_name("link") && n.attribute("rel") == Some("enclosure")).count(),
        1
    );

    // Two parsers that podcast apps are built on read it the same way.
    let folder = tempfile::tempdir().expect("folder");
    let file = folder.path().join("feed.xml");
    std::fs::write(&file, &xml).expect("write");
    if let Some(report) = python_checker("podcastcheck.py", &[file]) {
        assert!(report.passed, "{}", report.output);
        let read: serde_json::Value =
            serde_json::from_str(report.output.lines().last().expect("a line")).expect("the checker's JSON");
        assert_eq!(read["title"], "Morning Call");
        let episodes = read["episodes"].as_array().expect("episodes");
        assert_eq!(episodes.len(), 1);
        assert_eq!(episodes[0]["guid"], episode.guid.as_str());
        assert_eq!(episodes[0]["total_time"], 3);
        assert_eq!(episodes[0]["enclosures"][0]["file_size"], sound.len() as u64);
        assert_eq!(episodes[0]["enclosures"][0]["mime_type"], "audio/mpeg");
    }

    // The show's page and the episode's page play it with the browser's own player.
    let show_page = app.page("/podcasts/morning-call/").await;
    assert_eq!(texts(&show_page, ".episode-card h3"), ["Morning Call: the typhoon turns north"]);
    assert_eq!(attributes(&show_page, ".episode-card audio source", "src"), [audio_path.as_str()]);
    assert!(
        attributes(&show_page, "script[src]", "src").iter().all(|s| s.starts_with("/static/")),
        "no third-party player"
    );
    let list = app.page("/podcasts/").await;
    assert_eq!(texts(&list, ".show-card h2"), ["Morning Call"]);
    let url = format!("/article/{story}/{}", stored.content.slug);
    let page = app.page(&url).await;
    assert_eq!(attributes(&page, ".episode audio source", "src"), [audio_path.as_str()]);
    assert_eq!(attributes(&page, ".episode audio source", "type"), ["audio/mpeg"]);
    let cues = texts(&page, ".transcript p");
    assert!(cues[0].contains("Kim Min-ji:") && cues[0].contains("Good morning from Seoul."), "{cues:?}");
    assert!(cues[1].contains("The markets open higher."), "{cues:?}");
    let transcript_section = scraper::Selector::parse(".transcript script, .transcript b").expect("selector");
    assert_eq!(page.select(&transcript_section).count(), 0, "markup in a transcript is text, never elements");
    assert_eq!(texts(&page, ".episode__chapters li").len(), 2);
    let json_ld: Vec<serde_json::Value> = texts(&page, "script[type='application/ld+json']")
        .iter()
        .map(|t| serde_json::from_str(t).expect("JSON-LD"))
        .collect();
    let episode_ld = json_ld[0]["@graph"]
        .as_array()
        .expect("graph")
        .iter()
        .find(|node| node["@type"] == "PodcastEpisode")
        .expect("a PodcastEpisode")
        .clone();
    assert_eq!(episode_ld["partOfSeries"]["name"], "Morning Call");
    let page_file = folder.path().join("episode.html");
    std::fs::write(&page_file, page.html()).expect("write");
    if let Some(report) = python_checker("jsonld_check.py", &[page_file]) {
        assert!(report.passed, "the schema.org check: {}", report.output);
    }
    assert_eq!(episode_ld["associatedMedia"]["contentSize"], sound.len().to_string());

    // Apps reading the content API get the episode with the story.
    let api: serde_json::Value =
        serde_json::from_str(&app.get(&format!("/api/v1/stories/{story}")).await.text().await.expect("body"))
            .expect("the story as JSON");
    assert_eq!(api["episode"]["guid"], episode.guid.as_str());
    assert_eq!(api["episode"]["audio_bytes"], sound.len() as u64);
    assert_eq!(api["episode"]["duration_seconds"], 3);
    assert_eq!(api["episode"]["show_name"], "Morning Call");

    // Editing the episode changes its number, never its GUID.
    let renumbered = desk
        .post_multipart(
            &format!("/desk/stories/{story}/episode"),
            Form::new()
                .text("episode_number", "7")
                .text("season_number", "2")
                .text("episode_type", "bonus")
                .text("chapters", ""),
        )
        .await;
    assert_eq!(renumbered.status(), 303, "{}", renumbered.text().await.unwrap_or_default());
    let xml = app.get("/podcasts/morning-call/feed.xml").await.text().await.expect("feed");
    let doc = feed_document(&xml);
    let texts_of = |namespace: &str, name: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == name && n.tag_name().namespace().unwrap_or("") == namespace)
            .filter_map(|n| n.text().map(str::to_owned))
            .collect()
    };
    assert_eq!(texts_of("", "guid"), [guid.as_str()], "the GUID never changes");
    assert_eq!(texts_of(ITUNES, "episode"), ["7"]);
    assert_eq!(texts_of(ITUNES, "episodeType"), ["bonus"]);
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name((PODCAST, "transcript"))).count(),
        1,
        "the transcript stays"
    );
    assert!(!xml.contains("podcast:chapters"), "chapters removed");
}

async fn the_sound_is_served_in_the_ranges_players_ask_for_and_counted_once_a_day(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Audio Editor").await;
    let art = artwork(&store, 1500).await.id.to_string();
    let section = paper.national.id.to_string();
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;
    let created = desk.post("/desk/podcasts", &show_fields("Evening Edition", &art, &section)).await;
    let show_id = id_after(&created, "/desk/podcasts/");
    let sound = dateline_media::audio::tone_mp3(4.0, &[330.0]);
    let size = sound.len() as u64;
    let made = desk
        .post_multipart(
            &format!("/desk/podcasts/{show_id}/episodes"),
            episode_form("Evening Edition: the count goes on", sound.clone(), "evening.mp3", "audio/mpeg"),
        )
        .await;
    let story = ArticleId(id_after(&made, "/desk/stories/"));
    publish(&desk, &store, story).await;
    let path = format!("/audio/{}", store.episode(story).await.expect("episode").audio.storage_key);
    let url = format!("{}{path}", app.base_url);
    let client = reqwest::Client::new();
    let get = |range: Option<&str>, agent: &str| {
        let mut request = client.get(&url).header("user-agent", agent);
        if let Some(range) = range {
            request = request.header("range", range);
        }
        request.send()
    };
    let listener = "AppleCoreMedia/1.0.0.21A (iPhone; U; CPU OS 17_0 like Mac OS X)";

    // iOS first asks for two bytes, to learn that the server can seek.
    let probe = get(Some("bytes=0-1"), listener).await.expect("probe");
    assert_eq!(probe.status(), 206);
    assert_eq!(probe.headers()["content-range"], format!("bytes 0-1/{size}").as_str());
    assert_eq!(probe.headers()["accept-ranges"], "bytes");
    assert_eq!(probe.headers()["content-type"], "audio/mpeg");
    let etag = probe.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(probe.bytes().await.expect("bytes").as_ref(), &sound[..2]);
    let counts = |store: dateline_storage::SqlStore| async move {
        store.download_counts(&[story]).await.expect("counts").first().map_or(0, |(_, n)| *n)
    };
    assert_eq!(counts(store.clone()).await, 0, "a two-byte probe is not a download");

    // A seek to the middle gets exactly that part.
    let middle = get(Some(&format!("bytes={}-", size / 2)), listener).await.expect("seek");
    assert_eq!(middle.status(), 206);
    assert_eq!(middle.bytes().await.expect("bytes").as_ref(), &sound[(size / 2) as usize..]);
    assert_eq!(counts(store.clone()).await, 0, "a seek into the middle is not a download");

    // The whole file, twice from one listener in a day: one download.
    let whole = get(None, listener).await.expect("whole");
    assert_eq!(whole.status(), 200);
    assert_eq!(whole.headers()["content-length"], size.to_string().as_str());
    assert_eq!(whole.bytes().await.expect("bytes").as_ref(), &sound[..]);
    get(Some("bytes=0-"), listener).await.expect("again");
    assert_eq!(counts(store.clone()).await, 1, "one listener, one day: one download");
    get(None, "Overcast/3.0 (+http://overcast.fm/; Apple Watch podcast app)").await.expect("another app");
    get(None, "Googlebot/2.1 (+http://www.google.com/bot.html)").await.expect("a crawler");
    assert_eq!(counts(store.clone()).await, 2, "another app counts; a crawler does not");

    // A range past the end, a thousand ranges: 416 with the size; overlapping ranges are one.
    let past = get(Some(&format!("bytes={size}-")), listener).await.expect("past");
    assert_eq!(past.status(), 416);
    assert_eq!(past.headers()["content-range"], format!("bytes */{size}").as_str());
    let thousand = (0..1000).map(|i| format!("{i}-{i}")).collect::<Vec<_>>().join(",");
    assert_eq!(get(Some(&format!("bytes={thousand}")), listener).await.expect("many").status(), 416);
    let overlapping = get(Some("bytes=0-9,5-19"), listener).await.expect("overlap");
    assert_eq!(overlapping.status(), 206);
    assert_eq!(overlapping.bytes().await.expect("bytes").len(), 20);
    // If-Range: a range of another version of the file gets the whole file instead.
    let stale =
        client.get(&url).header("range", "bytes=0-9").header("if-range", "\"other\"").send().await.expect("stale");
    assert_eq!(stale.status(), 200);
    let fresh = client.get(&url).header("range", "bytes=0-9").header("if-range", &etag).send().await.expect("fresh");
    assert_eq!(fresh.status(), 206);
    let head = client.head(&url).send().await.expect("head");
    assert_eq!(head.headers()["content-length"], size.to_string().as_str());
    assert_eq!(app.get("/audio/uploads/none.mp3").await.status(), 404);
    assert_eq!(app.get("/audio/..%2F..%2Fetc%2Fpasswd").await.status(), 404);
}

async fn broken_and_hostile_files_are_refused_with_a_reason_and_nothing_is_stored(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Audio Editor").await;
    let (reporter, reporter_password) = desk_user(&store, Role::Reporter, "Audio Reporter").await;
    let square = artwork(&store, 1400).await.id.to_string();
    let small = artwork(&store, 600).await.id.to_string();
    let wide = dateline_testkit::paper::photo(&store, "art/wide.jpg", "Wide", "Test", now()).await.id.to_string();
    let section = paper.national.id.to_string();
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    // Shows: artwork that apps refuse, a category Apple does not have, a bad address.
    for (art, category, email, why) in [
        (small.as_str(), "News", "audio@paper.example", "1400"),
        (wide.as_str(), "News", "audio@paper.example", "square"),
        (square.as_str(), "Cooking", "audio@paper.example", "Apple"),
        (square.as_str(), "News", "not an address", "e-mail"),
    ] {
        let mut fields = show_fields("Refused Show", art, &section);
        for field in fields.iter_mut() {
            match field.0 {
                "category" => field.1 = category,
                "owner_email" => field.1 = email,
                _ => {}
            }
        }
        let refused = desk.post("/desk/podcasts", &fields).await;
        assert_eq!(refused.status(), 422, "{why}");
        let page = scraper::Html::parse_document(&refused.text().await.expect("page"));
        let errors = texts(&page, ".form-error li").join(" ");
        assert!(errors.contains(why), "{why}: {errors}");
    }
    assert!(store.shows().await.expect("shows").is_empty(), "no show half-made");
    let reporter_desk = app.sign_in(&reporter.email, &reporter_password).await;
    assert_eq!(reporter_desk.post("/desk/podcasts", &show_fields("Mine", &square, &section)).await.status(), 403);

    let created = desk.post("/desk/podcasts", &show_fields("Night Desk", &square, &section)).await;
    let show_id = id_after(&created, "/desk/podcasts/");
    let stories_before = store.count_articles().await.expect("count");
    let files_before = files_under(app.media_dir.path()).len();
    let good = dateline_media::audio::tone_mp3(2.0, &[440.0]);
    let mut huge_id3 = b"ID3\x04\x00\x00\x7F\x7F\x7F\x7F".to_vec();
    huge_id3.extend(&good);
    let m4a: &[u8] = include_bytes!("../../../dateline-media/testdata/tone.m4a");
    let cases: Vec<(&str, Vec<u8>, &str, &str, &str)> = vec![
        (
            "a page claiming to be MP3",
            b"<html><script>alert(1)</script></html>".to_vec(),
            "x.mp3",
            "audio/mpeg",
            "not an MP3",
        ),
        ("an MP3 sent as M4A", good.clone(), "x.m4a", "audio/mp4", "sent as AAC (M4A) but is MP3"),
        ("an M4A cut in half", m4a[..m4a.len() / 2].to_vec(), "half.m4a", "audio/mp4", "cannot be used"),
        ("an ID3 tag larger than the file", huge_id3, "tag.mp3", "audio/mpeg", "ID3 tag claims"),
        ("an empty file", Vec::new(), "empty.mp3", "audio/mpeg", "sound file"),
    ];
    for (what, bytes, name, mime, why) in cases {
        let refused = desk
            .post_multipart(&format!("/desk/podcasts/{show_id}/episodes"), episode_form("Refused", bytes, name, mime))
            .await;
        assert_eq!(refused.status(), 422, "{what}");
        let page = scraper::Html::parse_document(&refused.text().await.expect("page"));
        let errors = texts(&page, ".form-error li").join(" ");
        assert!(errors.contains(why), "{what}: {errors}");
    }
    // A transcript that is not one, chapters past the end: refused before the sound is kept.
    let bad_transcript = Form::new()
        .text("headline", "Refused")
        .text("episode_type", "full")
        .part("audio", Part::bytes(good.clone()).file_name("ok.mp3").mime_str("audio/mpeg").expect("mime"))
        .part("transcript", Part::bytes(b"<script>not timed</script>".to_vec()).file_name("t.vtt"));
    let refused = desk.post_multipart(&format!("/desk/podcasts/{show_id}/episodes"), bad_transcript).await;
    assert_eq!(refused.status(), 422);
    let late_chapter = Form::new()
        .text("headline", "Refused")
        .text("episode_type", "full")
        .text("chapters", "9:00 After the end")
        .part("audio", Part::bytes(good.clone()).file_name("ok.mp3").mime_str("audio/mpeg").expect("mime"));
    let refused = desk.post_multipart(&format!("/desk/podcasts/{show_id}/episodes"), late_chapter).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("page").contains("after the episode ends"));
    assert_eq!(store.count_articles().await.expect("count"), stories_before, "no story half-made");
    assert_eq!(files_under(app.media_dir.path()).len(), files_before, "no sound file left behind");
}

on_both_databases!(
    an_editor_makes_a_show_and_an_episode_that_podcast_apps_and_readers_play,
    the_sound_is_served_in_the_ranges_players_ask_for_and_counted_once_a_day,
    broken_and_hostile_files_are_refused_with_a_reason_and_nothing_is_stored,
);
