//! Searching the archive through HTTP, as readers and the desk do, on both databases.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use dateline_testkit::{on_both_databases, on_every_search_index, texts, TestApp};
use jiff::{SignedDuration, Timestamp};

fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

async fn headlines(app: &TestApp, query: &str) -> Vec<String> {
    let url = format!("/search?{}", form_urlencoded_pairs(&[("q", query)]));
    texts(&app.page(&url).await, ".search-result .card__headline")
}

fn form_urlencoded_pairs(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// Our own relevance corpus: twenty stories a reader would look for, among two hundred others.
fn filler(n: usize) -> (String, String) {
    const SUBJECTS: [&str; 10] = [
        "Council",
        "Ministry",
        "Exporters",
        "Farmers",
        "Teachers",
        "Hospitals",
        "Airlines",
        "Startups",
        "Unions",
        "Museum",
    ];
    const ACTS: [&str; 8] = ["weighs", "delays", "backs", "questions", "expands", "reviews", "defends", "announces"];
    const THINGS: [&str; 10] = [
        "new rules",
        "a budget",
        "wage talks",
        "a study",
        "fees",
        "a survey",
        "a plan",
        "repairs",
        "a merger",
        "schedules",
    ];
    let headline = format!("{} {} {} {}", SUBJECTS[n % 10], ACTS[(n / 10) % 8], THINGS[(n / 80 + n) % 10], n);
    let body = format!(
        "Officials said on day {n} that {} would be discussed next week. Residents asked questions.",
        THINGS[n % 10]
    );
    (headline, body)
}

const TARGETS: [(&str, &str, &str); 20] = [
    ("Assembly passes housing bill after all-night session", "Lawmakers approved the measure at dawn.", "housing bill"),
    (
        "Typhoon Mirae forces ferry cancellations in the south",
        "Ports in Mokpo and Wando stayed closed.",
        "typhoon ferry",
    ),
    ("Chipmaker opens research center in Pyeongtaek", "The company will hire 400 engineers.", "chipmaker research"),
    (
        "Election commission sets date for by-election",
        "Voters in the district will go to the polls in April.",
        "elections commission",
    ),
    ("Baseball league adopts pitch clock for next season", "Umpires will enforce a 20-second limit.", "pitch clock"),
    ("Night market revives forgotten street snacks", "Vendors sell rice cakes and fish cakes.", "street snacks"),
    ("Central bank holds key rate steady", "Governor cites household debt.", "key rate"),
    ("Film festival honors veteran director", "The director made thirty films.", "film festival director"),
    ("Hospitals report shortage of nurses", "Unions ask for higher staffing.", "nurses shortage"),
    ("Subway line extension opens to commuters", "Trains run every four minutes.", "subway extension"),
    ("Glacier retreat alarms climate researchers", "Satellite images show rapid melting.", "glacier climate"),
    ("K-pop group announces world tour", "Twelve cities are on the list.", "world tour"),
    ("Farmers protest rice import quotas", "Tractors blocked a highway.", "rice quotas"),
    ("Museum returns looted relics to temple", "The relics date to the 14th century.", "looted relics"),
    ("Startup builds delivery robots for apartments", "The robots ride elevators alone.", "delivery robots"),
    ("Air pollution warning issued for the capital", "Fine dust levels doubled overnight.", "pollution warning"),
    ("Court upholds ban on drone flights near airports", "Judges cited safety risks.", "drone ban"),
    ("Teachers union rejects new evaluation system", "The union called it unfair.", "evaluation system"),
    ("Shipbuilder wins order for hydrogen carriers", "The deal is worth two billion dollars.", "hydrogen carriers"),
    ("Crowds gather at Gwanghwamun for the rally", "People filled 광화문 square by noon.", "광화문"),
];

async fn readers_find_published_stories_at_once_and_never_drafts(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Search Editor").await;
    StoryBuilder::new("Secret draft about lighthouses", paper.politics.id, now())
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    assert!(headlines(&app, "lighthouses").await.is_empty(), "drafts stay out of reader search");

    let desk = app.sign_in(&editor.email, &password).await;
    let section = paper.politics.id.to_string();
    let created = desk
        .post(
            "/desk/stories",
            &[
                ("headline", "Lighthouse keepers retire"),
                ("section", &section),
                ("body", "The last keepers left the island."),
            ],
        )
        .await;
    let id = created.headers()["location"]
        .to_str()
        .expect("location")
        .trim_start_matches("/desk/stories/")
        .split('?')
        .next()
        .expect("id")
        .to_owned();
    desk.post(
        &format!("/desk/stories/{id}"),
        &[
            ("action", "publish"),
            ("version", "1"),
            ("headline", "Lighthouse keepers retire"),
            ("section", &section),
            ("body", "The last keepers left the island."),
        ],
    )
    .await;
    assert_eq!(
        headlines(&app, "lighthouse keepers").await,
        ["Lighthouse keepers retire"],
        "found the moment it is published"
    );
    let unpublished = desk
        .post(&format!("/desk/stories/{id}"), &[("action", "unpublish"), ("confirmed", "yes"), ("version", "2")])
        .await;
    assert_eq!(unpublished.status(), 303);
    assert!(headlines(&app, "lighthouse keepers").await.is_empty(), "gone the moment it is unpublished");
    let desk_search = desk.page("/desk/search?q=lighthouses").await;
    let mut found = texts(&desk_search, ".story-list tbody td a");
    found.sort();
    assert_eq!(
        found,
        ["Lighthouse keepers retire", "Secret draft about lighthouses"],
        "the desk finds unpublished stories too"
    );
    let by_id = desk.page(&format!("/desk/search?q={id}")).await;
    assert_eq!(
        texts(&by_id, ".story-list tbody td a").first().map(String::as_str),
        Some("Lighthouse keepers retire"),
        "by number"
    );
}

async fn an_editor_renames_an_author_and_readers_find_the_stories_under_the_new_name(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Name Editor").await;
    StoryBuilder::new("Harbour cranes idle for a week", paper.business.id, now() - SignedDuration::from_hours(2))
        .by(&[paper.reporter.id])
        .store(&store)
        .await;
    let app = TestApp::start(store.clone(), now()).await;
    assert!(headlines(&app, "Seoyeon").await.is_empty(), "nobody of that name writes here yet");
    let desk = app.sign_in(&editor.email, &password).await;
    let renamed = desk
        .post(
            &format!("/desk/authors/{}", paper.reporter.id),
            &[("name", "Bae Seoyeon"), ("slug", paper.reporter.slug.as_str()), ("kind", "person"), ("bio", "")],
        )
        .await;
    assert_eq!(renamed.status(), 303);
    assert_eq!(
        headlines(&app, "Seoyeon").await,
        ["Harbour cranes idle for a week"],
        "the byline's new name is searchable at once"
    );
    assert!(headlines(&app, &paper.reporter.name).await.is_empty(), "and the old name finds nothing");
}

async fn a_reporter_cannot_change_the_catalog_and_nothing_is_stored(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (reporter, password) = desk_user(&store, Role::Reporter, "Eager Reporter").await;
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&reporter.email, &password).await;
    let attempts: [(String, Vec<(&str, &str)>); 5] = [
        ("/desk/authors".into(), vec![("name", "Ghost"), ("slug", "ghost"), ("kind", "person")]),
        (
            format!("/desk/authors/{}", paper.reporter.id),
            vec![("name", "Someone Else"), ("slug", "someone"), ("kind", "person")],
        ),
        ("/desk/topics".into(), vec![("name", "Rumours"), ("slug", "rumours")]),
        ("/desk/pages".into(), vec![("title", "Our Scoops"), ("slug", "scoops"), ("body", "x")]),
        ("/desk/sections".into(), vec![("name", "Gossip"), ("slug", "gossip"), ("parent", ""), ("position", "0")]),
    ];
    for (path, fields) in &attempts {
        assert_eq!(desk.post(path, fields).await.status(), 403, "{path}");
    }
    assert!(store
        .authors()
        .await
        .expect("authors")
        .iter()
        .all(|a| a.slug.as_str() != "ghost" && a.name != "Someone Else"));
    assert!(store.topics().await.expect("topics").is_empty());
    assert!(store.pages().await.expect("pages").is_empty());
    assert_eq!(store.sections().await.expect("sections").len(), 3);
}

async fn search_ranks_headlines_first_stems_words_and_honours_phrases_and_korean(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    for n in 0..200 {
        let (headline, body) = filler(n);
        StoryBuilder::new(&headline, paper.business.id, now())
            .body(&body)
            .published_at(now() - SignedDuration::from_mins(n as i64 + 60))
            .store(&store)
            .await;
    }
    for (i, (headline, body, _)) in TARGETS.iter().enumerate() {
        StoryBuilder::new(headline, paper.politics.id, now())
            .body(body)
            .by(&[paper.reporter.id])
            .published_at(now() - SignedDuration::from_hours(i as i64 + 5))
            .store(&store)
            .await;
    }
    // A newer story that mentions the budget only in its body.
    StoryBuilder::new("Quiet week at city hall", paper.national.id, now())
        .body("Nobody talked about the ombudsman.")
        .published_at(now() - SignedDuration::from_mins(5))
        .store(&store)
        .await;
    StoryBuilder::new("Ombudsman report released", paper.national.id, now())
        .body("The report covers the year.")
        .published_at(now() - SignedDuration::from_hours(50))
        .store(&store)
        .await;
    // "housing" and "bill" apart, to check that the phrase wants them together.
    StoryBuilder::new("Housing prices and a utility bill", paper.national.id, now())
        .body("Rents rose while the electricity bill fell.")
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;

    let mut in_top_three = 0;
    for (headline, _, query) in TARGETS {
        let found = headlines(&app, query).await;
        if found.iter().take(3).any(|h| h == headline) {
            in_top_three += 1;
        } else {
            println!("not in the top 3 for {query:?}: {found:?}");
        }
    }
    println!("relevance: {in_top_three} of {} queries have the expected story in the top 3", TARGETS.len());
    assert!(in_top_three >= 19, "{in_top_three} of 20");
    assert_eq!(
        headlines(&app, "ombudsman").await,
        ["Ombudsman report released", "Quiet week at city hall"],
        "a headline match beats a newer body-only match"
    );
    assert!(
        headlines(&app, "elections").await.contains(&"Election commission sets date for by-election".to_owned()),
        "stemming"
    );
    assert_eq!(
        headlines(&app, "\"housing bill\"").await,
        ["Assembly passes housing bill after all-night session"],
        "a phrase in quotes"
    );
    assert_eq!(headlines(&app, "광화문").await, ["Crowds gather at Gwanghwamun for the rally"], "a Korean word");
    let page = app.page("/search?q=pitch+clock").await;
    assert!(!texts(&page, ".search-result__snippet mark").is_empty(), "matched words are highlighted");
}

async fn a_quoted_phrase_means_its_words_as_written_with_hyphens_apostrophes_stop_words_and_korean(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    for (headline, body) in [
        ("Envoy meets German counterpart", "The envoy met Hans-Georg Brandt in Berlin on Friday."),
        ("Lab wins award", "A state of the art laboratory opened in Daejeon."),
        ("Museum reopens", "The state of an art museum worried the council."),
        ("Office statement", "Kim's office said the trip would go ahead."),
        ("Rally in Seoul", "광화문 광장에서 시민들이 모였다."),
        ("Rally elsewhere", "광장에서 광화문 쪽으로 걸었다."),
    ] {
        StoryBuilder::new(headline, paper.national.id, now()).body(body).store(&store).await;
    }
    let app = TestApp::start(store, now()).await;
    assert_eq!(
        headlines(&app, "\"met Hans\"").await,
        ["Envoy meets German counterpart"],
        "a phrase ending on part of a name"
    );
    assert_eq!(headlines(&app, "\"Hans-Georg Brandt\"").await, ["Envoy meets German counterpart"]);
    assert_eq!(headlines(&app, "\"state of the art\"").await, ["Lab wins award"], "stop words count inside quotes");
    assert_eq!(headlines(&app, "\"Kim's office\"").await, ["Office statement"]);
    assert_eq!(
        headlines(&app, "\"광화문 광장에서\"").await,
        ["Rally in Seoul"],
        "Korean words between spaces, in order"
    );
    assert!(headlines(&app, "\"Hans met\"").await.is_empty(), "the order counts");
}

async fn a_reader_who_mistypes_a_word_sees_the_stories_meant_and_can_search_as_typed(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    for (headline, body) in [
        ("Typhoon forces ferry cancellations in the south", "Ports in Mokpo stayed closed."),
        ("Ferry timetable changes for winter", "Fewer sailings until March."),
        ("Fairy tale opera opens", "The cancellations of last season are forgotten."),
    ] {
        StoryBuilder::new(headline, paper.national.id, now()).body(body).store(&store).await;
    }
    StoryBuilder::new("Zeppelin museum plans", paper.national.id, now())
        .body("An airship hangar.")
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;

    let page = app.page("/search?q=feryr+cancellations").await;
    assert_eq!(texts(&page, ".search-result .card__headline"), ["Typhoon forces ferry cancellations in the south"]);
    let said = texts(&page, ".search-correction").join(" ");
    assert!(said.contains("Showing results for ferry cancellations") && said.contains("feryr cancellations"), "{said}");
    let as_typed = dateline_testkit::attributes(&page, ".search-correction a", "href").pop().expect("search as typed");
    let exact = app.page(&as_typed).await;
    assert!(texts(&exact, ".search-result").is_empty(), "the words as typed find nothing");
    assert!(texts(&exact, ".search-correction").is_empty(), "and nothing is corrected");

    let answer: serde_json::Value = app
        .client
        .get(format!("{}/api/v1/search?q=feryr+cancellations", app.base_url))
        .send()
        .await
        .expect("api")
        .text()
        .await
        .map(|text| serde_json::from_str(&text).expect("JSON"))
        .expect("an answer");
    assert_eq!(answer["corrected_query"].as_str(), Some("ferry cancellations"), "{answer}");
    assert_eq!(answer["total"].as_u64(), Some(1));

    let draft_only = app.page("/search?q=zepelin").await;
    assert!(texts(&draft_only, ".search-correction").is_empty(), "a word only a draft uses is never suggested");
    assert!(texts(&draft_only, ".search-result").is_empty());
    let known = app.page("/search?q=ferry").await;
    assert!(texts(&known, ".search-correction").is_empty(), "a word that finds stories is the reader's");
}

async fn a_query_that_finds_a_story_with_the_same_typo_keeps_it_and_offers_the_correction(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    for headline in ["Ferry schedules change", "Ferry fares rise", "Ferry crews strike", "Fery museum opens"] {
        StoryBuilder::new(headline, paper.national.id, now()).body("Port news.").store(&store).await;
    }
    let app = TestApp::start(store, now()).await;
    let page = app.page("/search?q=fery").await;
    assert_eq!(texts(&page, ".search-result .card__headline"), ["Fery museum opens"], "what the reader typed stays");
    assert_eq!(texts(&page, ".search-correction a"), ["ferry"], "and the correction is offered");
    let offered = dateline_testkit::attributes(&page, ".search-correction a", "href").pop().expect("a link");
    assert_eq!(texts(&app.page(&offered).await, ".search-result .card__headline").len(), 3);
}

async fn filters_narrow_by_section_author_and_date(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    StoryBuilder::new("Harbor report one", paper.politics.id, now()).by(&[paper.reporter.id]).store(&store).await;
    StoryBuilder::new("Harbor report two", paper.business.id, now())
        .by(&[paper.agency.id])
        .published_at(now() - SignedDuration::from_hours(72))
        .store(&store)
        .await;
    let app = TestApp::start(store, now()).await;
    let found = |q: &'static str| {
        let app = &app;
        async move { texts(&app.page(&format!("/search?q=harbor&{q}")).await, ".search-result .card__headline") }
    };
    assert_eq!(found("section=national").await, ["Harbor report one"], "a section includes its subsections");
    assert_eq!(found("author=yonhap").await, ["Harbor report two"]);
    assert_eq!(found("from=2026-11-27").await, ["Harbor report one"]);
    assert_eq!(found("to=2026-11-26").await, ["Harbor report two"]);
    assert_eq!(found("sort=newest").await, ["Harbor report one", "Harbor report two"]);
    let json: serde_json::Value =
        serde_json::from_str(&app.get("/api/v1/search?q=harbor&author=yonhap").await.text().await.expect("body"))
            .expect("json");
    assert_eq!(json["total"], 1);
    assert_eq!(json["results"][0]["headline"], "Harbor report two");
    assert!(json["results"][0]["snippet_html"].as_str().is_some());
    for missing in ["section=nowhere", "author=nobody"] {
        assert_eq!(app.get(&format!("/search?q=harbor&{missing}")).await.status(), 404, "{missing}");
        let api = app.get(&format!("/api/v1/search?q=harbor&{missing}")).await;
        assert_eq!(api.status(), 404, "api {missing}");
    }
    for bad in ["from=yesterday", "sort=random", "page=0", "to=", "to=+", "from=%09"] {
        if !["to=", "to=+", "from=%09"].contains(&bad) {
            assert_eq!(app.get(&format!("/search?q=harbor&{bad}")).await.status(), 400, "{bad}");
        }
        let api = app.get(&format!("/api/v1/search?q=harbor&{bad}")).await;
        assert_eq!(api.status(), 400, "api {bad}");
        let body: serde_json::Value = serde_json::from_str(&api.text().await.expect("body")).expect("json error");
        assert_eq!(body["errors"][0]["code"], "bad_request");
    }
}

async fn hostile_queries_get_a_normal_answer_never_a_server_error(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    StoryBuilder::new("Ordinary story", paper.politics.id, now()).store(&store).await;
    let app = TestApp::start(store, now()).await;
    let long = "word ".repeat(2_000);
    let hostile = [
        "\"",
        "\"\"\"",
        "(",
        ")",
        "((((",
        "a AND",
        "OR OR OR",
        "NOT",
        "*",
        "a*",
        "NEAR(a b)",
        "NEAR/2",
        "^start",
        "col:value",
        "headline:story",
        "'; DROP TABLE articles; --",
        "\\",
        "%",
        "_",
        "{}",
        "[]",
        "a -b",
        "+",
        "!",
        "&&",
        "||",
        "<script>",
        "\u{0}\u{1}\u{7f}",
        "",
        "   ",
        long.as_str(),
        "story\"",
        "\"ordinary",
        "😀",
        "ㄱ",
        "@@ to_tsquery('x')",
    ];
    for query in hostile {
        let url = format!("/search?q={}", encode(query));
        let page = app.get(&url).await.status();
        assert!(page == 200 || page == 400, "{query:?} answered {page}");
        let api = app.get(&format!("/api/v1/search?q={}", encode(query))).await.status();
        assert!(api == 200 || api == 400, "api {query:?} answered {api}");
    }
    assert_eq!(headlines(&app, "\"ordinary").await, ["Ordinary story"], "an unclosed quote still finds the phrase");
}

async fn every_error_under_the_api_comes_in_one_json_shape_and_every_other_as_the_papers_error_page(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let app = TestApp::start(store.clone(), now()).await;
    let api_error = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let allow = response.headers().get("allow").map(|v| v.to_str().expect("allow").to_owned());
        assert!(response.headers()["content-type"].to_str().expect("type").starts_with("application/json"));
        let body: serde_json::Value = serde_json::from_str(&response.text().await.expect("body")).expect("json");
        let error = &body["errors"][0];
        assert!(error["detail"].as_str().is_some_and(|d| !d.is_empty()), "{body}");
        (status, error["code"].as_str().expect("code").to_owned(), allow)
    };
    assert_eq!(api_error(app.get("/api/v1/search?q=x&page=0").await).await.0, 400);
    assert_eq!(api_error(app.get("/api/v1/no-such-thing").await).await, (404, "not_found".into(), None));
    let posted = app.client.post(format!("{}/api/v1/search", app.base_url)).send().await.expect("post");
    let (status, code, allow) = api_error(posted).await;
    assert_eq!((status, code.as_str()), (405, "method_not_allowed"));
    assert!(allow.is_some_and(|a| a.contains("GET")), "the Allow header stays");
    let unauthorized = app
        .client
        .post(format!("{}/api/v1/ingest/no-such-agency", app.base_url))
        .body("{}")
        .send()
        .await
        .expect("post");
    assert_eq!(api_error(unauthorized).await.0, 401);

    for (path, status) in [("/article/not-a-number/x", 404), ("/no-such-section/", 404)] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert!(response.headers()["content-type"].to_str().expect("type").starts_with("text/html"), "{path}");
        let page = scraper::Html::parse_document(&response.text().await.expect("body"));
        assert_eq!(texts(&page, "h1").len(), 1, "{path}: the paper's error page");
        assert!(!texts(&page, "nav a").is_empty(), "{path}: with the paper's menu");
    }
    let posted = app.client.post(format!("{}/search", app.base_url)).send().await.expect("post");
    assert_eq!(posted.status().as_u16(), 405);
    assert!(posted.headers()["content-type"].to_str().expect("type").starts_with("text/html"));
}

on_both_databases!(
    a_reporter_cannot_change_the_catalog_and_nothing_is_stored,
    every_error_under_the_api_comes_in_one_json_shape_and_every_other_as_the_papers_error_page
);

// Ranking and filtering meet both of PostgreSQL's index paths (RUM ranks in the index, GIN
// ranks the newest matches) as well as SQLite's.
on_every_search_index!(
    readers_find_published_stories_at_once_and_never_drafts,
    an_editor_renames_an_author_and_readers_find_the_stories_under_the_new_name,
    search_ranks_headlines_first_stems_words_and_honours_phrases_and_korean,
    a_quoted_phrase_means_its_words_as_written_with_hyphens_apostrophes_stop_words_and_korean,
    a_reader_who_mistypes_a_word_sees_the_stories_meant_and_can_search_as_typed,
    a_query_that_finds_a_story_with_the_same_typo_keeps_it_and_offers_the_correction,
    filters_narrow_by_section_author_and_date,
    hostile_queries_get_a_normal_answer_never_a_server_error
);
