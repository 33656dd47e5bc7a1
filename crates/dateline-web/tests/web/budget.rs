//! The morning meeting runs from the desk: an editor plans the day's stories with a working
//! headline, a line of summary, an assignee and a due time; the budget lists them by section
//! with the drafts being written and what is scheduled; the reporter assigned a story writes
//! it as their own, and the budget follows.

use dateline_newsroom::prelude::*;
use dateline_newsroom::{ArticleStatus, Role};
use dateline_testkit::paper::{desk_user, SmallPaper, StoryBuilder};
use dateline_testkit::{attributes, form_fields, on_both_databases, texts, TestApp, TestDatabase};
use jiff::Timestamp;

/// Noon in Seoul, 28 November.
fn now() -> Timestamp {
    "2026-11-28T03:00:00Z".parse().expect("instant")
}

async fn an_editor_plans_the_day_and_the_budget_follows_the_reporter_writing_it(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let (editor, password) = desk_user(&store, Role::Editor, "Morning Editor").await;
    let (reporter, reporter_password) = desk_user(&store, Role::Reporter, "Cub Reporter").await;
    desk_user(&store, Role::Contributor, "Guest Writer").await;
    // A draft the reporter is writing today without a plan, an agency's draft (not the
    // meeting's business), and a story scheduled for today.
    StoryBuilder::new("Rail fares to rise", paper.business.id, now())
        .status(ArticleStatus::Draft)
        .started_by(&reporter)
        .store(&store)
        .await;
    StoryBuilder::new("Agency copy waiting on the wire", paper.business.id, now())
        .status(ArticleStatus::Draft)
        .store(&store)
        .await;
    let mut scheduled =
        StoryBuilder::new("Budget vote at five", paper.politics.id, now()).status(ArticleStatus::Scheduled).build();
    scheduled.publish_at = Some("2026-11-28T08:00:00Z".parse().expect("instant"));
    store.insert_article(&scheduled).await.expect("scheduled story");
    let app = TestApp::start(store.clone(), now()).await;
    let desk = app.sign_in(&editor.email, &password).await;

    // The budget opens on the paper's today, with the plan form due at six that evening.
    let budget = desk.page("/desk/budget").await;
    assert_eq!(texts(&budget, "h1"), ["Budget for Saturday 28 November 2026"]);
    let fields = form_fields(&budget, "form.plan-form");
    assert!(fields.contains(&("planned_for".to_owned(), "2026-11-28T18:00".to_owned())), "{fields:?}");
    let writers = texts(&budget, "#plan-assignee option");
    assert_eq!(writers, ["Nobody yet", "Cub Reporter", "Guest Writer", "Morning Editor"]);

    // Planned for 14:00, assigned to the reporter.
    let politics = paper.politics.id.0.to_string();
    let assignee = reporter.id.0.to_string();
    let answer = desk
        .post(
            "/desk/budget",
            &[
                ("headline", "Turnout in the by-election"),
                ("summary", "Figures from the commission by mid-afternoon, with reaction"),
                ("section", &politics),
                ("assignee", &assignee),
                ("planned_for", "2026-11-28T14:00"),
                ("day", "2026-11-28"),
            ],
        )
        .await;
    assert_eq!(answer.status(), 303);
    let location = answer.headers()["location"].to_str().expect("location").to_owned();
    assert!(location.starts_with("/desk/budget?day=2026-11-28&planned="), "{location}");
    let budget = desk.page(&location).await;
    assert_eq!(texts(&budget, ".notice[role=status]"), ["Planned \u{201c}Turnout in the by-election\u{201d}."]);
    assert_eq!(
        texts(&budget, ".budget-section h2"),
        ["National › Politics", "Business"],
        "sections in the paper's order"
    );
    let politics_rows = texts(&budget, ".budget-section:first-of-type tbody tr .budget__headline");
    assert_eq!(politics_rows, ["Turnout in the by-election", "Budget vote at five"], "earliest due first");
    assert_eq!(texts(&budget, ".budget-section:first-of-type .budget__due"), ["14:00", "17:00"]);
    assert_eq!(texts(&budget, ".budget-section:first-of-type .budget__status"), ["Planned", "Scheduled"]);
    assert_eq!(texts(&budget, ".budget-section:first-of-type .budget__person")[0], "Cub Reporter");
    assert_eq!(texts(&budget, ".budget__summary"), ["Figures from the commission by mid-afternoon, with reaction"]);
    assert_eq!(texts(&budget, ".budget-section:last-of-type .budget__headline"), ["Rail fares to rise"]);
    assert_eq!(texts(&budget, ".budget-section:last-of-type .budget__status"), ["Being written"]);
    assert_eq!(texts(&budget, ".budget-section:last-of-type .budget__person"), ["Cub Reporter"], "its writer");
    let planned = store.desk_stories(Some(ArticleStatus::Draft), dateline_newsroom::Window { limit: 10, offset: 0 });
    let planned = planned.await.expect("drafts").into_iter().find(|s| s.headline == "Turnout in the by-election");
    let planned = planned.expect("the plan made a draft");
    assert_eq!(planned.assignee, Some(reporter.id));

    // Another day's budget does not show today's plans.
    let tomorrow = desk.page("/desk/budget?day=2026-11-29").await;
    assert!(texts(&tomorrow, ".budget__headline").is_empty());
    assert_eq!(attributes(&tomorrow, ".pager a[rel=prev]", "href"), ["/desk/budget?day=2026-11-28"]);

    // The reporter sees the budget, their story marked, and writes it as their own.
    let reporter_desk = app.sign_in(&reporter.email, &reporter_password).await;
    let budget = reporter_desk.page("/desk/budget").await;
    assert_eq!(
        texts(&budget, ".budget__yours .budget__headline"),
        ["Turnout in the by-election", "Rail fares to rise"],
        "the story assigned to them and the one they started"
    );
    assert!(texts(&budget, "form.plan-form").is_empty(), "reporters do not plan");
    let editor_page = reporter_desk.page(&format!("/desk/stories/{}", planned.id)).await;
    assert_eq!(
        texts(&editor_page, ".story-plan"),
        ["On the budget: Due 14:00, Nov 28 \u{b7} Cub Reporter \u{b7} Figures from the commission by mid-afternoon, with reaction"]
    );
    let mut fields: Vec<(String, String)> = form_fields(&editor_page, "form.editor")
        .into_iter()
        .filter(|(name, _)| !matches!(name.as_str(), "body" | "action"))
        .collect();
    fields.push(("body".into(), "Turnout stood at 41 percent by two o'clock.".into()));
    fields.push(("action".into(), "save".into()));
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let saved = reporter_desk.post(&format!("/desk/stories/{}", planned.id), &borrowed).await;
    assert_eq!(saved.status(), 303, "the assignee may save the story");
    let budget = desk.page("/desk/budget").await;
    assert_eq!(texts(&budget, ".budget-section:first-of-type .budget__status"), ["Being written", "Scheduled"]);

    // The editor moves the plan to the next morning; the reporter may not change plans.
    let plan_page = desk.page(&format!("/desk/stories/{}/plan", planned.id)).await;
    let fields = form_fields(&plan_page, "form.plan-form");
    assert!(fields.contains(&("assignee".to_owned(), assignee.clone())), "{fields:?}");
    assert!(fields.contains(&("planned_for".to_owned(), "2026-11-28T14:00".to_owned())), "{fields:?}");
    let path = format!("/desk/stories/{}/plan", planned.id);
    let moved = desk
        .post(
            &path,
            &[
                ("summary", "Final turnout, with reaction"),
                ("assignee", &assignee),
                ("planned_for", "2026-11-29T09:00"),
            ],
        )
        .await;
    assert_eq!(moved.status(), 303);
    assert_eq!(moved.headers()["location"], "/desk/budget?day=2026-11-29");
    let tomorrow = desk.page("/desk/budget?day=2026-11-29").await;
    assert_eq!(texts(&tomorrow, ".budget__summary"), ["Final turnout, with reaction"]);
    assert_eq!(texts(&tomorrow, ".budget__due"), ["09:00"]);
    let refused = reporter_desk.post(&path, &[("summary", "Mine now"), ("planned_for", "2026-11-29T09:00")]).await;
    assert_eq!(refused.status(), 403);
    let refused = reporter_desk.post("/desk/budget", &[("headline", "A pitch"), ("summary", "x")]).await;
    assert_eq!(refused.status(), 403);

    // A plan with problems says each, keeps what was typed, and writes nothing.
    let before = store.count_by_status().await.expect("counts");
    let answer = desk
        .post(
            "/desk/budget",
            &[
                ("headline", "Flood defences inspected"),
                ("summary", ""),
                ("section", &politics),
                ("assignee", &editor.id.0.to_string()),
                ("planned_for", "tomorrow at nine"),
            ],
        )
        .await;
    assert_eq!(answer.status(), 422);
    let page = scraper::Html::parse_document(&answer.text().await.expect("page"));
    let problems = texts(&page, ".form-error li");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("is not a date and time"), "{problems:?}");
    assert_eq!(problems[1], "Say in one line what the story is.");
    let kept = form_fields(&page, "form.plan-form");
    assert!(kept.contains(&("headline".to_owned(), "Flood defences inspected".to_owned())), "{kept:?}");
    assert_eq!(store.count_by_status().await.expect("counts"), before, "nothing was written");
}

on_both_databases!(an_editor_plans_the_day_and_the_budget_follows_the_reporter_writing_it);
