//! The `dateline` program as an operator meets it: its commands, its first line, and the
//! sentence it prints when something is wrong.

use dateline_newsroom::{ArticleStore, Listing, Window};

use crate::support::{run, Running};
use dateline_testkit::{attributes, TestDatabase};

#[test]
fn every_subcommand_explains_itself() {
    let (ok, top, _) = run(&["--help"]);
    assert!(ok);
    for subcommand in ["serve", "demo", "migrate", "seed"] {
        assert!(top.contains(subcommand), "--help lists {subcommand}");
        let (ok, help, _) = run(&[subcommand, "--help"]);
        assert!(ok, "{subcommand} --help");
        for global in ["--config", "--data-dir", "--database-url"] {
            assert!(help.contains(global), "{subcommand} --help shows {global}");
        }
        assert!(
            help.lines().next().is_some_and(|l| l.len() > 20),
            "{subcommand} --help starts with what it does: {help}"
        );
    }
}

#[tokio::test]
async fn the_demo_starts_on_a_free_port_with_a_paper_full_of_stories() {
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let home = server.page("/").await;
    let stories: std::collections::HashSet<String> =
        attributes(&home, "a[href^='/article/']", "href").into_iter().collect();
    assert!(stories.len() >= 20, "the home page lists the demo stories: {}", stories.len());
    let first = stories.iter().next().expect("a story");
    let article = server.page(first).await;
    assert_eq!(attributes(&article, "h1", "class").len(), 1);
    let healthy = reqwest::get(format!("{}/healthz", server.base_url)).await.expect("healthz");
    assert_eq!(healthy.status(), 200);
    assert!(data.path().join("dateline.db").exists(), "the demo keeps its database in the data folder");
    drop(server);

    // A second start finds the paper already there and does not load it twice.
    let again = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let home_again = again.page("/").await;
    let count = |html: &scraper::Html| attributes(html, ".card__headline a", "href").len();
    assert_eq!(count(&home_again), count(&home));
}

/// Every address of a sitemap, canonical link and feed item the server wrote.
async fn addresses_written(server: &Running) -> Vec<String> {
    let mut written = Vec::new();
    let index = server.text("/sitemap.xml", 200).await;
    let document = roxmltree::Document::parse(&index).expect("the sitemap index is XML");
    written
        .extend(document.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).map(str::to_owned));
    let feed = server.text("/rss.xml", 200).await;
    let document = roxmltree::Document::parse(&feed).expect("the feed is XML");
    written
        .extend(document.descendants().filter(|n| n.has_tag_name("link")).filter_map(|n| n.text()).map(str::to_owned));
    let home = server.page("/").await;
    written.extend(attributes(&home, "link[rel=canonical]", "href"));
    written
}

#[tokio::test]
async fn links_name_the_address_the_server_listens_on_unless_a_public_address_is_set() {
    let data = tempfile::tempdir().expect("data folder");
    let data_dir = data.path().display().to_string();
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data_dir]);
    let written = addresses_written(&server).await;
    assert!(written.len() > 5, "{written:?}");
    for address in &written {
        assert!(address.starts_with(&format!("{}/", server.base_url)), "{address} names {}", server.base_url);
    }
    let sitemap = written.iter().find(|a| a.contains("sitemap") && a.ends_with(".xml")).expect("a monthly sitemap");
    let reachable = reqwest::get(sitemap).await.expect("the sitemap's own link is reachable");
    assert_eq!(reachable.status(), 200, "{sitemap}");
    drop(server);

    let configured = Running::start_with_env(
        &["demo", "--listen", "127.0.0.1:0", "--data-dir", &data_dir],
        &[("DATELINE_PUBLIC_URL", "https://news.example/")],
    );
    let written = addresses_written(&configured).await;
    assert!(written.iter().all(|a| a.starts_with("https://news.example/")), "a set address wins: {written:?}");
}

#[tokio::test]
async fn the_demo_runs_on_postgresql_too() {
    let Some(database) = TestDatabase::postgres_unmigrated().await else { return };
    let (ok, out, err) = run(&["migrate", "--database-url", &database.url]);
    assert!(ok, "{err}");
    assert!(out.contains("applied migrations"), "{out}");
    let (ok, out, _) = run(&["migrate", "--database-url", &database.url]);
    assert!(ok && out.contains("up to date"), "{out}");
    let media = tempfile::tempdir().expect("media folder");
    let server = Running::start(&[
        "demo",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        &media.path().display().to_string(),
        "--database-url",
        &database.url,
    ]);
    let home = server.page("/").await;
    assert!(attributes(&home, "a[href^='/article/']", "href").len() >= 20);
}

#[test]
fn a_database_url_of_an_unknown_kind_is_refused_in_one_sentence() {
    let (ok, _, err) = run(&["migrate", "--database-url", "mysql://root@localhost/paper"]);
    assert!(!ok);
    assert!(err.contains("sqlite:") && err.contains("postgres://"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn an_unreachable_database_says_what_to_check_and_hides_the_password() {
    let (ok, _, err) = run(&["migrate", "--database-url", "postgres://news:hunter2@127.0.0.1:1/paper"]);
    assert!(!ok);
    assert!(err.contains("cannot reach the database") && err.contains("database_url"), "{err}");
    assert!(!err.contains("hunter2"), "the password leaked: {err}");
}

#[test]
fn an_unknown_setting_in_the_config_file_stops_the_program() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("dateline.toml");
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\nlisten_port = 8080\n").expect("write");
    let (ok, _, err) = run(&["--config", &file.display().to_string(), "serve"]);
    assert!(!ok);
    assert!(err.contains("listen_port") && err.contains("dateline.toml"), "{err}");
}

#[tokio::test]
async fn seeding_twice_with_one_seed_gives_the_same_paper() {
    let now = "2026-11-01T00:00:00Z";
    let mut papers = Vec::new();
    for _ in 0..2 {
        let database = TestDatabase::sqlite().await;
        let (ok, out, err) =
            run(&["seed", "--stories", "40", "--seed", "7", "--now", now, "--database-url", &database.url]);
        assert!(ok, "{err}");
        assert!(out.contains("seeded 40 stories"), "{out}");
        let store = database.store().await;
        let stories = store
            .latest_public(now.parse().expect("now"), Listing::Everything, Window { limit: 100, offset: 0 })
            .await
            .expect("stories");
        let mut bodies = Vec::new();
        for story in &stories {
            bodies.push(store.article_by_id(story.id).await.expect("story").content);
        }
        papers.push(bodies);
    }
    assert_eq!(papers[0].len(), 40);
    assert_eq!(papers[0], papers[1]);
}

#[test]
fn seeding_refuses_a_malformed_instant() {
    let (ok, _, err) = run(&["seed", "--stories", "1", "--now", "yesterday", "--database-url", "sqlite::memory:"]);
    assert!(!ok);
    assert!(err.contains("RFC 3339"), "{err}");
}

#[tokio::test]
async fn an_admin_is_created_from_the_command_line_and_can_get_a_new_password() {
    use dateline_newsroom::accounts::verify_password;
    use dateline_newsroom::prelude::*;
    let database = TestDatabase::sqlite().await;
    let dir = tempfile::tempdir().expect("dir");
    let first = dir.path().join("first");
    std::fs::write(&first, "first-password-2026\n").expect("write");
    let add = [
        "user",
        "add",
        "--email",
        "Chief@Dateline.Example",
        "--name",
        "Chief Editor",
        "--role",
        "admin",
        "--password-file",
    ];
    let (ok, out, err) = run(&[&add[..], &[first.to_str().expect("path"), "--database-url", &database.url]].concat());
    assert!(ok, "{err}");
    assert!(out.contains("chief@dateline.example") && out.contains("admin"), "{out}");
    let (ok, _, err) = run(&[&add[..], &[first.to_str().expect("path"), "--database-url", &database.url]].concat());
    assert!(!ok && err.contains("already exists"), "the same address twice is refused: {err}");

    let second = dir.path().join("second");
    std::fs::write(&second, "second-password-2026").expect("write");
    let (ok, _, err) = run(&[
        "user",
        "reset-password",
        "--email",
        "chief@dateline.example",
        "--password-file",
        second.to_str().expect("path"),
        "--database-url",
        &database.url,
    ]);
    assert!(ok, "{err}");
    let store = database.store().await;
    let (user, hash) = store.user_with_password_hash("chief@dateline.example").await.expect("user");
    assert_eq!(user.role, dateline_newsroom::Role::Admin);
    let hash = hash.expect("a password hash");
    assert!(
        hash.starts_with("$argon2id$")
            && verify_password("second-password-2026", &hash)
            && !verify_password("first-password-2026", &hash)
    );

    let short = dir.path().join("short");
    std::fs::write(&short, "short").expect("write");
    let (ok, _, err) = run(&[
        "user",
        "add",
        "--email",
        "x@dateline.example",
        "--name",
        "X",
        "--role",
        "reporter",
        "--password-file",
        short.to_str().expect("path"),
        "--database-url",
        &database.url,
    ]);
    assert!(!ok && err.contains("at least 10 characters"), "{err}");
    let (ok, _, err) = run(&[
        "user",
        "add",
        "--email",
        "y@dateline.example",
        "--name",
        "Y",
        "--role",
        "boss",
        "--password-file",
        first.to_str().expect("path"),
        "--database-url",
        &database.url,
    ]);
    assert!(!ok && err.contains("is not a role"), "{err}");
    let (ok, _, err) = run(&[
        "user",
        "add",
        "--email",
        "z@dateline.example",
        "--name",
        "Z",
        "--role",
        "editor",
        "--database-url",
        &database.url,
    ]);
    assert!(!ok && err.contains("--password-file"), "without a terminal the password must come from a file: {err}");
}

#[tokio::test]
async fn an_operator_backs_up_the_live_paper_and_the_copy_opens_with_every_story() {
    let database = TestDatabase::sqlite().await;
    let (ok, _, err) = run(&["seed", "--stories", "30", "--seed", "3", "--database-url", &database.url]);
    assert!(ok, "{err}");
    let data = tempfile::tempdir().expect("data folder");
    // The paper is serving while the copy is taken.
    let server = Running::serve(&database.url, data.path(), &[]);
    assert_eq!(reqwest::get(format!("{}/", server.base_url)).await.expect("home").status(), 200);
    let backups = tempfile::tempdir().expect("backup folder");
    let file = backups.path().join("paper-2026-11-28.db");
    let file_text = file.to_str().expect("path");
    let (ok, out, err) = run(&["backup", file_text, "--database-url", &database.url]);
    assert!(ok, "{err}");
    assert!(out.contains("backed up 30 stories"), "{out}");
    let copy =
        dateline_storage::SqlStore::connect(&dateline_storage::ConnectOptions::new(format!("sqlite:{file_text}")))
            .await
            .expect("the copy opens");
    use dateline_newsroom::prelude::*;
    use dateline_newsroom::search::{parse_query, SearchQuery};
    assert_eq!(copy.count_articles().await.expect("count"), 30);
    let now = jiff::Timestamp::now();
    let newest = copy.latest_public(now, Listing::Everything, Window { limit: 1, offset: 0 }).await.expect("newest");
    let headline = &newest.first().expect("a public story in the copy").headline;
    let found = copy.search(&SearchQuery::new(parse_query(&format!("\"{headline}\""))), now).await.expect("search");
    assert_eq!(found.hits.first().map(|h| &h.story.headline), Some(headline), "the copy's search index came along");

    let (ok, _, err) = run(&["backup", file_text, "--database-url", &database.url]);
    assert!(!ok && err.contains("exists already"), "a backup is never overwritten: {err}");
    let (ok, _, err) = run(&["backup", "/no/such/folder/paper.db", "--database-url", &database.url]);
    assert!(!ok && err.contains("does not exist"), "{err}");
    drop(server);
}

#[tokio::test]
async fn a_postgresql_backup_is_sent_to_pg_dump() {
    let Some(database) = TestDatabase::postgres().await else { return };
    database.store().await;
    let (ok, _, err) = run(&["backup", "/tmp/never-written.db", "--database-url", &database.url]);
    assert!(!ok && err.contains("pg_dump"), "{err}");
}

/// The lines of an archive after its header, which alone says when and from where.
fn archive_content(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path).expect("archive").lines().skip(1).map(str::to_owned).collect()
}

#[tokio::test]
async fn a_paper_moves_from_sqlite_to_postgresql_through_an_archive_and_nothing_is_lost() {
    let work = tempfile::tempdir().expect("work folder");
    let path = |name: &str| work.path().join(name).display().to_string();
    let (ok, _, err) = run(&["demo", "--load-only", "--data-dir", &path("old")]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["export", &path("first.jsonl"), "--data-dir", &path("old")]);
    assert!(ok, "{err}");
    assert!(out.contains("media files"), "{out}");

    // PostgreSQL when the tests have one; the same archive goes into SQLite otherwise.
    let target = match TestDatabase::postgres().await {
        Some(database) => database,
        None => TestDatabase::sqlite().await,
    };
    let (ok, out, err) =
        run(&["import", &path("first.jsonl"), "--data-dir", &path("new"), "--database-url", &target.url]);
    assert!(ok, "{err}");
    assert!(out.contains("dateline user reset-password"), "the operator is told the passwords stayed behind: {out}");
    let (ok, _, err) =
        run(&["export", &path("second.jsonl"), "--data-dir", &path("new"), "--database-url", &target.url]);
    assert!(ok, "{err}");

    let first = archive_content(&work.path().join("first.jsonl"));
    let second = archive_content(&work.path().join("second.jsonl"));
    assert_eq!(first.len(), second.len(), "as many lines each way");
    for (number, (a, b)) in first.iter().zip(&second).enumerate() {
        assert_eq!(a, b, "line {} differs after the move", number + 2);
    }
    let count = |kind: &str| first.iter().filter(|line| line.contains(kind)).count();
    assert!(count("\"table\":\"articles\"") >= 20, "the stories are in the archive");
    assert!(count("\"table\":\"article_revisions\"") >= count("\"table\":\"articles\""), "with every revision");
    assert!(count("\"file\":") >= 5, "and the photos' bytes");
    assert!(
        first
            .iter()
            .filter(|line| line.contains("\"table\":\"users\""))
            .all(|line| line.contains("\"password_hash\":null")),
        "password hashes stay out unless asked for"
    );

    // The moved paper serves its stories, their photos, and finds them in search.
    let server = Running::start(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--data-dir",
        &path("new"),
        "--database-url",
        &target.url,
    ]);
    let article = server.find_article(|page| !attributes(page, "figure img", "src").is_empty()).await;
    let page = server.page(&article).await;
    let photo = attributes(&page, "figure img", "src").remove(0);
    let fetched = reqwest::get(format!("{}{photo}", server.base_url)).await.expect("photo");
    assert_eq!(fetched.status(), 200, "{photo}");
    let headline = page.select(&scraper::Selector::parse("h1").expect("selector")).next().expect("h1");
    let headline: String = headline.text().collect();
    let search = reqwest::Url::parse_with_params("http://paper/search", [("q", format!("\"{}\"", headline.trim()))])
        .expect("search address");
    let results = server.page(&format!("/search?{}", search.query().unwrap_or_default())).await;
    assert!(attributes(&results, "a[href^='/article/']", "href").contains(&article), "the search index was rebuilt");
}

#[tokio::test]
async fn a_damaged_archive_is_refused_with_its_line_and_the_database_stays_empty() {
    let work = tempfile::tempdir().expect("work folder");
    let path = |name: &str| work.path().join(name).display().to_string();
    let (ok, _, err) = run(&["demo", "--load-only", "--data-dir", &path("old")]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["export", &path("whole.jsonl"), "--data-dir", &path("old")]);
    assert!(ok, "{err}");
    let whole = std::fs::read_to_string(work.path().join("whole.jsonl")).expect("archive");
    let lines: Vec<&str> = whole.lines().collect();

    let article_line = lines.iter().position(|l| l.contains("\"table\":\"articles\"")).expect("a story line");
    let mut orphan = lines.clone();
    let broken = orphan[article_line].replace("\"section_id\":", "\"section_id\":9999");
    orphan[article_line] = &broken;
    let cases = [
        ("cut.jsonl", whole[..whole.len() * 2 / 3].to_owned(), "cut short".to_owned()),
        (
            "garbled.jsonl",
            whole.replacen("\"table\":\"articles\"", "\"table\":\"articles\"\"", 1),
            "not valid JSON".to_owned(),
        ),
        ("orphan.jsonl", orphan.join("\n") + "\n", format!("line {}", article_line + 1)),
    ];
    for database in [Some(TestDatabase::sqlite().await), TestDatabase::postgres().await].into_iter().flatten() {
        let media = tempfile::tempdir().expect("media folder");
        for (name, text, expected) in &cases {
            std::fs::write(work.path().join(name), text).expect("write");
            let (ok, _, err) = run(&[
                "import",
                &path(name),
                "--database-url",
                &database.url,
                "--data-dir",
                &media.path().display().to_string(),
            ]);
            assert!(!ok, "{name} must be refused");
            assert!(err.contains("line ") && err.contains(expected.as_str()), "{name}: {err}");
            let store = database.store().await;
            assert_eq!(store.count_articles().await.expect("count"), 0, "{name} left nothing behind");
            store.close().await;
            let files = dateline_testkit::files_under(media.path());
            assert!(files.is_empty(), "{name} left no media files: {files:?}");
        }
        // The same database takes the whole archive, then refuses a second paper.
        let target = ["import", &path("whole.jsonl"), "--database-url", &database.url, "--data-dir", &path("new")];
        let (ok, _, err) = run(&target);
        assert!(ok, "{err}");
        let (ok, _, err) = run(&target);
        assert!(!ok && err.contains("empty database"), "{err}");
    }
}

/// The archive's lines with the first row of `table` changed by `change`, and that row's line.
fn with_row_changed(
    lines: &[&str],
    table: &str,
    change: impl Fn(&mut serde_json::Map<String, serde_json::Value>),
) -> (String, usize) {
    let at = lines
        .iter()
        .position(|l| l.contains(&format!("\"table\":\"{table}\"")))
        .unwrap_or_else(|| panic!("the archive has a row of {table}"));
    let mut record: serde_json::Value = serde_json::from_str(lines[at]).expect("a row");
    change(record["row"].as_object_mut().expect("cells"));
    let mut changed: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    changed[at] = record.to_string();
    (changed.join("\n") + "\n", at + 1)
}

#[tokio::test]
async fn an_archive_whose_rows_break_the_newsrooms_rules_is_refused_by_line_and_the_database_stays_empty() {
    use serde_json::Value;
    let work = tempfile::tempdir().expect("work folder");
    let path = |name: &str| work.path().join(name).display().to_string();
    let (ok, _, err) = run(&["demo", "--load-only", "--data-dir", &path("old")]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["export", &path("whole.jsonl"), "--data-dir", &path("old")]);
    assert!(ok, "{err}");
    let whole = std::fs::read_to_string(work.path().join("whole.jsonl")).expect("archive");
    let lines: Vec<&str> = whole.lines().collect();
    let editorial = |edit: &dyn Fn(&mut Value)| {
        let at = lines
            .iter()
            .position(|l| l.contains("\"table\":\"settings\"") && l.contains("\"name\":\"editorial\""))
            .expect("editorial settings");
        let mut record: Value = serde_json::from_str(lines[at]).expect("row");
        let mut value: Value = serde_json::from_str(record["row"]["value"].as_str().expect("text")).expect("settings");
        edit(&mut value);
        record["row"]["value"] = Value::from(value.to_string());
        let mut changed: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        changed[at] = record.to_string();
        (changed.join("\n") + "\n", at + 1)
    };
    let set = |column: &'static str, value: Value| {
        move |row: &mut serde_json::Map<String, Value>| {
            row.insert(column.to_owned(), value.clone());
        }
    };
    let cases: Vec<(&str, (String, usize), &str)> = vec![
        (
            "settings that are not JSON",
            with_row_changed(&lines, "settings", set("value", Value::from("{not json"))),
            "not settings",
        ),
        ("a time zone on Mars", editorial(&|v| v["time_zone"] = Value::from("Mars/Olympus")), "Mars/Olympus"),
        (
            "a script link in the settings",
            editorial(&|v| v["links"]["podcast_url"] = Value::from("javascript:alert(1)")),
            "not a web address",
        ),
        ("an unknown label", with_row_changed(&lines, "articles", set("label", Value::from("rumour"))), "label"),
        ("a slug that climbs out", with_row_changed(&lines, "articles", set("slug", Value::from("../etc"))), "slug"),
        ("a slug with markup", with_row_changed(&lines, "topics", set("slug", Value::from("<b>x</b>"))), "slug"),
        ("a photo of width 0", with_row_changed(&lines, "media", set("width", Value::from(0))), "width"),
        (
            "a media file outside the store",
            with_row_changed(&lines, "media", set("storage_key", Value::from("../../etc/passwd"))),
            "leaves the media store",
        ),
        ("a god among users", with_row_changed(&lines, "users", set("role", Value::from("god"))), "role"),
        (
            "a body of quotations nested thousands deep",
            with_row_changed(&lines, "articles", set("body", Value::from(format!("{} deep", ">".repeat(5_000))))),
            "levels deep",
        ),
        (
            "a NUL in a headline",
            with_row_changed(&lines, "articles", set("headline", Value::from("Rain\u{0}fall"))),
            "control character",
        ),
        (
            "a revision that is not a story",
            with_row_changed(&lines, "article_revisions", set("content", Value::from("{"))),
            "revision",
        ),
    ];
    let first_section = lines.iter().position(|l| l.contains("\"table\":\"sections\"")).expect("a section");
    let section: Value = serde_json::from_str(lines[first_section]).expect("row");
    let own_parent = with_row_changed(&lines, "sections", set("parent_id", section["row"]["id"].clone()));
    let mut cases = cases;
    cases.push(("a section that is its own parent", own_parent, "own parent"));
    for database in [Some(TestDatabase::sqlite().await), TestDatabase::postgres().await].into_iter().flatten() {
        let media = tempfile::tempdir().expect("media folder");
        for (what, (text, line), expected) in &cases {
            std::fs::write(work.path().join("impossible.jsonl"), text).expect("write");
            let (ok, _, err) = run(&[
                "import",
                &path("impossible.jsonl"),
                "--database-url",
                &database.url,
                "--data-dir",
                &media.path().display().to_string(),
            ]);
            assert!(!ok, "{what} must be refused");
            assert!(err.contains(&format!("line {line}:")) && err.contains(expected), "{what}: {err}");
            let store = database.store().await;
            assert_eq!(store.count_articles().await.expect("count"), 0, "{what} left nothing behind");
            store.close().await;
        }
    }
}

#[test]
fn a_wordpress_export_moves_in_from_the_command_line_and_a_hostile_one_is_refused_in_one_sentence() {
    let data = tempfile::tempdir().expect("data folder");
    let data_dir = data.path().display().to_string();
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../dateline-import/tests/fixtures/harbour-gazette.xml")
        .display()
        .to_string();
    let report_file = data.path().join("report.json");
    let (ok, out, err) = run(&[
        "import-wordpress",
        &fixture,
        "--dry-run",
        "--report",
        &report_file.display().to_string(),
        "--data-dir",
        &data_dir,
    ]);
    assert!(ok, "{err}");
    assert!(out.starts_with("Dry run (nothing was written) from wordpress https://harbour-gazette.example"), "{out}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_file).expect("the report")).expect("JSON");
    assert_eq!(report["counts"]["story"]["imported"], 5, "{report}");

    let hostile = data.path().join("hostile.xml");
    let text = std::fs::read_to_string(&fixture).expect("fixture");
    std::fs::write(
        &hostile,
        text.replacen("<rss", "<!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<rss", 1),
    )
    .expect("written");
    let output = crate::support::dateline()
        .args(["import-wordpress", &hostile.display().to_string(), "--data-dir", &data_dir])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("nothing was imported") && said.contains("DTD"), "{said}");
}

#[test]
fn a_relay_password_in_plain_text_or_an_unknown_tls_mode_stops_the_start_with_a_sentence() {
    let folder = tempfile::tempdir().expect("folder");
    let data = folder.path().to_str().expect("path");
    for (setting, value, said) in [
        ("DATELINE_MAIL__USERNAME", "newsletters@news.example", "plain text"),
        ("DATELINE_MAIL__TLS", "maybe", "none, starttls or tls"),
    ] {
        let output = crate::support::dateline()
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", data, "--database-url", "sqlite::memory:"])
            .env("DATELINE_MAIL__RELAY", "smtp.provider.example:587")
            .env(setting, value)
            .output()
            .expect("run dateline");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{setting}={value} must stop the start");
        assert!(err.contains(said), "{setting}: {err}");
    }
}

#[tokio::test]
async fn an_operator_sets_up_a_wire_source_with_its_dateline_rule_from_the_command_line() {
    let database = TestDatabase::sqlite().await;
    let store = database.store().await;
    dateline_testkit::paper::SmallPaper::create(&store).await;
    let add = |slug: &'static str, rule: &'static str| {
        let url = database.url.clone();
        run(&[
            "wire",
            "add-source",
            "--database-url",
            &url,
            "--name",
            "Hanbit News",
            "--slug",
            slug,
            "--format",
            "ninjs-3.1",
            "--section",
            "national",
            "--dateline-format",
            rule,
        ])
    };
    let (ok, out, err) = add("hanbit-news", "{place} ({agency}) —");
    assert!(ok, "{err}");
    assert!(out.contains("hanbit-news is set up"), "{out}");
    let source = dateline_newsroom::wire::WireStore::wire_source_by_slug(&store, "hanbit-news").await.expect("stored");
    assert_eq!((source.format.as_str(), source.dateline_format.as_str()), ("ninjs-3.1", "{place} ({agency}) —"));
    let (ok, _, err) = add("hanbit-two", "{PLACE}, {time}");
    assert!(!ok, "an unknown placeholder stops the command");
    assert!(err.contains("{time}") || err.contains("does not know"), "{err}");
}
