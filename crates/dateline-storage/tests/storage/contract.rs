//! The storage contract: every test here runs on SQLite and on PostgreSQL, and both must
//! behave alike.

use dateline_newsroom::accounts::{NewUser, Role};
use dateline_newsroom::*;
use dateline_storage::migrate::MIGRATIONS;
use dateline_testkit::on_both_databases;
use dateline_testkit::paper::{slug, SmallPaper, StoryBuilder};
use dateline_testkit::TestDatabase;
use jiff::{SignedDuration, Timestamp};

fn at(hours_ago: i64, now: Timestamp) -> Timestamp {
    now - SignedDuration::from_hours(hours_ago)
}

fn story(
    headline: &str,
    section: SectionId,
    bylines: Vec<AuthorId>,
    status: ArticleStatus,
    published: Timestamp,
    now: Timestamp,
) -> NewArticle {
    StoryBuilder::new(headline, section, now).by(&bylines).status(status).published_at(published).build()
}

async fn sections_keep_their_tree_and_order(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let tree = SectionTree::new(store.sections().await.expect("sections"));
    let top: Vec<_> = tree.top_level().map(|s| s.slug.to_string()).collect();
    assert_eq!(top, ["national", "business"]);
    assert_eq!(tree.children(paper.national.id).map(|s| s.id).collect::<Vec<_>>(), [paper.politics.id]);
    assert_eq!(tree.by_path("national/politics").map(|s| s.id), Some(paper.politics.id));
    assert_eq!(paper.business.parent_id, None);
}

async fn two_sections_cannot_share_an_address(db: TestDatabase) {
    let store = db.store().await;
    SmallPaper::create(&store).await;
    let again = store
        .insert_section(
            &NewSection { slug: slug("national"), name: "National again".into(), parent_id: None, position: 5 },
            "national",
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(ref m)) if m.contains("/national/")), "{again:?}");
}

async fn a_story_keeps_its_bylines_in_order_and_its_first_revision(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let mut new = story(
        "Assembly passes housing bill",
        paper.politics.id,
        vec![paper.agency.id, paper.reporter.id],
        ArticleStatus::Published,
        at(2, now),
        now,
    );
    new.content.deck = Some("Opposition walks out".into());
    new.content.label = Some(Label::Analysis);
    new.last_public_update_at = Some(at(1, now));
    let id = store.insert_article(&new).await.expect("insert");
    let article = store.article_by_id(id).await.expect("read back");
    assert_eq!(article.content, new.content);
    assert_eq!(article.status, ArticleStatus::Published);
    assert_eq!(article.first_published_at, Some(at(2, now)));
    assert_eq!(article.last_public_update_at, Some(at(1, now)));
    assert_eq!(article.version, 1);
    let revisions = store.revisions(id).await.expect("revisions");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].kind, RevisionKind::Created);
    assert_eq!(revisions[0].made_by.name, "test");
    assert_eq!(revisions[0].content, new.content);
}

async fn stories_written_in_bulk_read_back_as_if_each_were_written_alone(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let before = store
        .insert_article(&story(
            "Ferry timetable changes",
            paper.national.id,
            vec![],
            ArticleStatus::Published,
            at(9, now),
            now,
        ))
        .await
        .expect("one story alone");
    let mut batch: Vec<NewArticle> = (0..1_203)
        .map(|n| {
            let mut new = story(
                &format!("Harbour report number {n}"),
                paper.business.id,
                vec![paper.reporter.id],
                ArticleStatus::Published,
                at(8, now),
                now,
            );
            new.content.body = format!("Tide tables for pier {n}.");
            new
        })
        .collect();
    batch[0] = story(
        "Assembly passes housing bill",
        paper.politics.id,
        vec![paper.agency.id, paper.colleague.id],
        ArticleStatus::Published,
        at(2, now),
        now,
    );
    batch[0].content.deck = Some("Opposition walks out".into());
    batch[0].content.label = Some(Label::Analysis);
    batch[0].content.body = "The bill passed after a zeppelin of amendments.".into();
    batch[0].last_public_update_at = Some(at(1, now));
    let ids = store.reserve_story_ids(batch.len()).await.expect("ids");
    assert_eq!(ids.len(), batch.len());
    assert!(ids.windows(2).all(|pair| pair[0].0 < pair[1].0), "ids in the batch's order");
    let numbered: Vec<(ArticleId, NewArticle)> = ids.iter().copied().zip(batch.iter().cloned()).collect();
    store.insert_stories_in_bulk(&numbered).await.expect("written in bulk");
    assert!(ids[0].0 > before.0, "ids follow the stories already stored");

    let first = store.article_by_id(ids[0]).await.expect("read back");
    assert_eq!(first.content, batch[0].content, "bylines in order, deck, label and body as written");
    assert_eq!(first.status, ArticleStatus::Published);
    assert_eq!(first.first_published_at, Some(at(2, now)));
    assert_eq!(first.last_public_update_at, Some(at(1, now)));
    assert_eq!(first.version, 1);
    let revisions = store.revisions(ids[0]).await.expect("revisions");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].kind, RevisionKind::Created);
    assert_eq!(revisions[0].content, batch[0].content);
    let last = store.article_by_id(*ids.last().expect("ids")).await.expect("the last of the batch");
    assert_eq!(last.content.headline, "Harbour report number 1202");
    assert_eq!(last.content.bylines, [paper.reporter.id]);

    let search = |text: &str| search::SearchQuery::new(search::parse_query(text));
    let found = store.search(&search("zeppelin"), now).await.expect("searched");
    assert_eq!(found.hits.iter().map(|hit| hit.story.id).collect::<Vec<_>>(), [ids[0]], "found by its body");
    let by_name = store.search(&search(&paper.colleague.name), now).await.expect("searched");
    assert!(by_name.hits.iter().any(|hit| hit.story.id == ids[0]), "found by a byline's name");
    let pier = store.search(&search("\"pier 1202\""), now).await.expect("searched");
    assert_eq!(pier.hits.iter().map(|hit| hit.story.id).collect::<Vec<_>>(), [*ids.last().expect("ids")]);
    assert_eq!(
        store.known_words(&["zeppelin".into(), "amendments".into()]).await.expect("vocabulary"),
        ["amendments", "zeppelin"],
        "the batch's words join the vocabulary typo correction draws on"
    );

    let after = store
        .insert_article(&story("Ferry timetable again", paper.national.id, vec![], ArticleStatus::Published, now, now))
        .await
        .expect("one story alone after the batch");
    assert!(after.0 > ids.last().expect("ids").0, "a story written later takes an id past the batch");

    let stored = store.count_articles().await.expect("count");
    let fresh = store.reserve_story_ids(2).await.expect("ids");
    let mut broken: Vec<(ArticleId, NewArticle)> = fresh.into_iter().zip(batch[..2].iter().cloned()).collect();
    broken[1].1.content.section_id = SectionId(999_999);
    assert!(store.insert_stories_in_bulk(&broken).await.is_err(), "a batch naming no such section is refused");
    assert_eq!(store.count_articles().await.expect("count"), stored, "and none of it is written");
    let taken = vec![(ids[0], batch[1].clone())];
    assert!(store.insert_stories_in_bulk(&taken).await.is_err(), "a batch under an id already taken is refused");
    assert_eq!(store.count_articles().await.expect("count"), stored);
}

async fn instants_survive_the_round_trip_to_the_microsecond(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let precise = Timestamp::from_microsecond(1_611_455_220_123_456).expect("instant");
    let id = store
        .insert_article(&story("Precise", paper.business.id, vec![], ArticleStatus::Published, precise, precise))
        .await
        .expect("insert");
    assert_eq!(store.article_by_id(id).await.expect("read").first_published_at, Some(precise));
}

async fn readers_see_only_published_stories_past_their_embargo_newest_first(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let older = store
        .insert_article(&story(
            "Older story",
            paper.politics.id,
            vec![paper.reporter.id],
            ArticleStatus::Published,
            at(5, now),
            now,
        ))
        .await
        .expect("older");
    let newer = store
        .insert_article(&story(
            "Newer story",
            paper.business.id,
            vec![paper.agency.id],
            ArticleStatus::Published,
            at(1, now),
            now,
        ))
        .await
        .expect("newer");
    for status in [
        ArticleStatus::Draft,
        ArticleStatus::InReview,
        ArticleStatus::Scheduled,
        ArticleStatus::Unpublished,
        ArticleStatus::Removed,
    ] {
        store
            .insert_article(&story(
                &format!("Hidden {}", status.as_str()),
                paper.politics.id,
                vec![],
                status,
                at(3, now),
                now,
            ))
            .await
            .expect("hidden");
    }
    let mut embargoed = story("Embargoed story", paper.politics.id, vec![], ArticleStatus::Published, at(3, now), now);
    embargoed.embargo_until = Some(at(-1, now));
    store.insert_article(&embargoed).await.expect("embargoed");
    store
        .insert_article(&story("Future story", paper.politics.id, vec![], ArticleStatus::Published, at(-2, now), now))
        .await
        .expect("future");

    let all = Window { limit: 10, offset: 0 };
    let latest = store.latest_public(now, Listing::Everything, all).await.expect("latest");
    assert_eq!(latest.iter().map(|s| s.id).collect::<Vec<_>>(), [newer, older]);
    assert_eq!(latest[0].bylines, [paper.agency.id]);
    assert_eq!(store.count_public(now, Listing::Everything).await.expect("count"), 2);

    let national = [paper.national.id, paper.politics.id];
    let front = store.latest_public(now, Listing::Sections(&national), all).await.expect("front");
    assert_eq!(front.iter().map(|s| s.id).collect::<Vec<_>>(), [older]);
    assert_eq!(store.count_public(now, Listing::Sections(&national)).await.expect("count"), 1);
    assert!(store.latest_public(now, Listing::Sections(&[]), all).await.expect("empty").is_empty());

    let second_page =
        store.latest_public(now, Listing::Everything, Window { limit: 1, offset: 1 }).await.expect("page 2");
    assert_eq!(second_page.iter().map(|s| s.id).collect::<Vec<_>>(), [older]);
    assert_eq!(store.count_articles().await.expect("all"), 9);
}

async fn author_and_topic_listings_hold_only_their_stories(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let housing = store
        .insert_topic(&NewTopic { slug: slug("housing"), name: "Housing".into(), description: String::new() })
        .await
        .expect("topic");
    let mut with_topic = story(
        "Housing bill passes",
        paper.politics.id,
        vec![paper.reporter.id, paper.agency.id],
        ArticleStatus::Published,
        at(3, now),
        now,
    );
    with_topic.content.topics = vec![housing.id];
    let by_both = store.insert_article(&with_topic).await.expect("story");
    let by_agency = store
        .insert_article(&story(
            "Agency copy",
            paper.business.id,
            vec![paper.agency.id],
            ArticleStatus::Published,
            at(1, now),
            now,
        ))
        .await
        .expect("story");
    store
        .insert_article(&story(
            "Agency draft",
            paper.business.id,
            vec![paper.agency.id],
            ArticleStatus::Draft,
            at(1, now),
            now,
        ))
        .await
        .expect("draft");
    let all = Window { limit: 10, offset: 0 };
    let ids = |list: Vec<ArticleSummary>| list.into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.latest_public(now, Listing::Author(paper.agency.id), all).await.expect("agency")),
        [by_agency, by_both]
    );
    assert_eq!(
        ids(store.latest_public(now, Listing::Author(paper.reporter.id), all).await.expect("reporter")),
        [by_both]
    );
    assert_eq!(ids(store.latest_public(now, Listing::Topic(housing.id), all).await.expect("topic")), [by_both]);
    assert_eq!(store.count_public(now, Listing::Author(paper.agency.id)).await.expect("count"), 2);
    assert_eq!(store.topic_by_slug(&slug("housing")).await.expect("by slug").id, housing.id);
}

async fn the_most_viewed_stories_are_counted_over_the_trailing_window(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let quiet = store
        .insert_article(&story("Quiet story", paper.politics.id, vec![], ArticleStatus::Published, at(30, now), now))
        .await
        .expect("quiet");
    let popular = store
        .insert_article(&story("Popular story", paper.politics.id, vec![], ArticleStatus::Published, at(30, now), now))
        .await
        .expect("popular");
    let yesterday_hit = store
        .insert_article(&story("Old hit", paper.politics.id, vec![], ArticleStatus::Published, at(40, now), now))
        .await
        .expect("old");
    let unpublished = store
        .insert_article(&story("Pulled story", paper.politics.id, vec![], ArticleStatus::Unpublished, at(30, now), now))
        .await
        .expect("pulled");
    let hour = |h: i64| Timestamp::from_second((now.as_second() / 3600 - h) * 3600).expect("hour");
    let views = |id: ArticleId, h: i64, views: u64| HourlyViews { article_id: id, hour: hour(h), views };
    store
        .add_views(&[
            views(quiet, 1, 2),
            views(popular, 2, 5),
            views(yesterday_hit, 30, 100),
            views(unpublished, 1, 50),
            views(ArticleId(9999), 1, 7),
        ])
        .await
        .expect("views");
    store.add_views(&[views(popular, 2, 1), views(quiet, 3, 1)]).await.expect("more views add up");
    let since = now - SignedDuration::from_hours(24);
    let ranked: Vec<_> =
        store.most_viewed(now, since, 10).await.expect("most viewed").into_iter().map(|s| s.id).collect();
    assert_eq!(ranked, [popular, quiet]);
}

async fn a_section_with_a_reserved_slug_is_refused_and_nothing_is_stored(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let before = store.sections().await.expect("sections").len();
    let refused = create_section(
        &store,
        NewSection { slug: slug("search"), name: "Search".into(), parent_id: None, position: 9 },
    )
    .await;
    assert_eq!(
        refused.map_err(|e| e.to_string()),
        Err("the section slug \"search\" is reserved for the site's own pages; choose another slug".to_owned())
    );
    let too_deep = create_section(
        &store,
        NewSection { slug: slug("local"), name: "Local".into(), parent_id: Some(paper.politics.id), position: 0 },
    )
    .await;
    assert!(matches!(too_deep, Err(CreateSectionError::Invalid(SectionError::TooDeep))), "{too_deep:?}");
    assert_eq!(store.sections().await.expect("sections").len(), before);
    let allowed = create_section(
        &store,
        NewSection { slug: slug("search"), name: "Search".into(), parent_id: Some(paper.business.id), position: 9 },
    )
    .await
    .expect("a subsection may be called search");
    assert_eq!(allowed.path, "business/search");
}

async fn an_update_needs_the_version_it_was_made_from_and_leaves_a_revision(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let id = store
        .insert_article(&story(
            "First headline",
            paper.politics.id,
            vec![paper.reporter.id],
            ArticleStatus::Draft,
            at(1, now),
            now,
        ))
        .await
        .expect("insert");
    let article = store.article_by_id(id).await.expect("read");
    let editor = RevisionAuthor { user_id: None, name: "An editor".into() };
    let mut first = ArticleUpdate::of(&article, RevisionKind::Saved, editor.clone(), now);
    first.content.headline = "Second headline".into();
    first.content.bylines = vec![paper.colleague.id, paper.reporter.id];
    let saved = store.update_article(&first).await.expect("first save");
    assert_eq!((saved.version, saved.content.headline.as_str()), (2, "Second headline"));
    assert_eq!(saved.content.bylines, [paper.colleague.id, paper.reporter.id]);

    let mut stale = ArticleUpdate::of(&article, RevisionKind::Saved, editor, now);
    stale.content.headline = "Overwrites nothing".into();
    assert!(matches!(store.update_article(&stale).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.article_by_id(id).await.expect("read").content.headline, "Second headline");

    let mut removal = ArticleUpdate::of(&saved, RevisionKind::Removed, RevisionAuthor::system("legal"), now);
    removal.status = ArticleStatus::Removed;
    removal.note = Some("Court order 2026-11".into());
    store.update_article(&removal).await.expect("remove");
    let revisions = store.revisions(id).await.expect("revisions");
    let kinds: Vec<_> = revisions.iter().map(|r| (r.number, r.kind)).collect();
    assert_eq!(kinds, [(1, RevisionKind::Created), (2, RevisionKind::Saved), (3, RevisionKind::Removed)]);
    assert_eq!(revisions[1].content.headline, "Second headline");
    assert_eq!(revisions[2].note.as_deref(), Some("Court order 2026-11"));
    let mut missing = ArticleUpdate::of(&saved, RevisionKind::Saved, RevisionAuthor::system("x"), now);
    missing.id = ArticleId(9999);
    assert_eq!(store.update_article(&missing).await, Err(StoreError::NotFound));
}

async fn scheduled_stories_come_due_and_the_desk_lists_every_status(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let mut due = story("Due story", paper.politics.id, vec![], ArticleStatus::Scheduled, at(1, now), now);
    due.first_published_at = None;
    due.publish_at = Some(at(1, now));
    let due = store.insert_article(&due).await.expect("due");
    let mut later = story("Later story", paper.politics.id, vec![], ArticleStatus::Scheduled, at(1, now), now);
    later.first_published_at = None;
    later.publish_at = Some(at(-3, now));
    store.insert_article(&later).await.expect("later");
    store
        .insert_article(&story("A draft", paper.politics.id, vec![], ArticleStatus::Draft, at(1, now), now))
        .await
        .expect("draft");
    let ids: Vec<_> = store.scheduled_due(now).await.expect("due").into_iter().map(|a| a.id).collect();
    assert_eq!(ids, [due]);
    let all = store.desk_stories(None, Window { limit: 10, offset: 0 }).await.expect("desk");
    assert_eq!(all.len(), 3);
    let drafts = store.desk_stories(Some(ArticleStatus::Draft), Window { limit: 10, offset: 0 }).await.expect("drafts");
    assert_eq!(drafts.iter().map(|d| d.headline.as_str()).collect::<Vec<_>>(), ["A draft"]);
}

async fn users_sign_in_with_sessions_that_expire_and_end_with_a_new_password(db: TestDatabase) {
    let store = db.store().await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let user = store
        .insert_user(
            &NewUser {
                email: "editor@x.org".into(),
                name: "Ed Itor".into(),
                role: Role::Editor,
                password_hash: "hash".into(),
            },
            now,
        )
        .await
        .expect("user");
    let again = store
        .insert_user(
            &NewUser {
                email: "editor@x.org".into(),
                name: "Other".into(),
                role: Role::Reporter,
                password_hash: "h".into(),
            },
            now,
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let (found, hash) = store.user_with_password_hash("editor@x.org").await.expect("by email");
    assert_eq!((found.id, found.role, hash.as_deref()), (user.id, Role::Editor, Some("hash")));
    store
        .insert_session("digest-1", user.id, "csrf-1", now, now + SignedDuration::from_hours(1))
        .await
        .expect("session");
    let session = store.session("digest-1", now).await.expect("live session");
    assert_eq!((session.user.id, session.csrf_token.as_str()), (user.id, "csrf-1"));
    assert_eq!(
        store.session("digest-1", now + SignedDuration::from_hours(2)).await,
        Err(StoreError::NotFound),
        "expired"
    );
    assert_eq!(store.session("other", now).await, Err(StoreError::NotFound));
    store.set_password_hash(user.id, "new-hash").await.expect("new password");
    assert_eq!(store.session("digest-1", now).await, Err(StoreError::NotFound), "a new password ends sessions");
    store
        .insert_session("digest-2", user.id, "csrf-2", now, now + SignedDuration::from_hours(1))
        .await
        .expect("session");
    store.delete_session("digest-2").await.expect("sign out");
    assert_eq!(store.session("digest-2", now).await, Err(StoreError::NotFound));
    assert_eq!(store.users().await.expect("users").len(), 1);
}

async fn a_missing_story_is_not_found(db: TestDatabase) {
    let store = db.store().await;
    assert_eq!(store.article_by_id(ArticleId(4242)).await, Err(StoreError::NotFound));
}

async fn a_story_read_for_its_page_brings_its_bylines_and_topics_in_order_and_says_which_parts_it_has(
    db: TestDatabase,
) {
    use dateline_newsroom::live::LiveStore;
    use dateline_newsroom::video::{NewVideoSource, Provider, VideoStore};
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let topic = |name: &str| NewTopic { slug: slug(name), name: name.into(), description: String::new() };
    let housing = store.insert_topic(&topic("housing")).await.expect("topic");
    let budget = store.insert_topic(&topic("budget")).await.expect("topic");
    let id = StoryBuilder::new("Assembly passes housing bill", paper.politics.id, now)
        .by(&[paper.reporter.id, paper.agency.id])
        .topics(&[budget.id, housing.id])
        .status(ArticleStatus::Published)
        .published_at(at(2, now))
        .store(&store)
        .await;

    let plain = store.story_for_readers(id).await.expect("the story");
    assert_eq!(plain.article, store.article_by_id(id).await.expect("the story"), "the same story either way");
    assert_eq!(plain.article.content.bylines, [paper.reporter.id, paper.agency.id]);
    assert_eq!(plain.article.content.topics, [budget.id, housing.id]);
    assert_eq!(
        plain.has,
        StoryHas { corrections: false, video: false, live_coverage: false, podcast_episode: false },
        "an ordinary story has none of the parts kept beside a story"
    );

    store.start_coverage(id, now).await.expect("live coverage");
    let linked = NewVideoSource::Linked { provider: Provider::YouTube, id: "dQw4w9WgXcQ".into() };
    store.set_story_video(id, "The vote", "", &linked, now).await.expect("video");
    let with_parts = store.story_for_readers(id).await.expect("the story");
    assert!(with_parts.has.live_coverage && with_parts.has.video, "{:?}", with_parts.has);
    assert!(!with_parts.has.corrections && !with_parts.has.podcast_episode, "{:?}", with_parts.has);

    let unsigned = StoryBuilder::new("A brief with no byline", paper.business.id, now).store(&store).await;
    let brief = store.story_for_readers(unsigned).await.expect("the brief");
    assert!(brief.article.content.bylines.is_empty() && brief.article.content.topics.is_empty());
    assert_eq!(store.story_for_readers(ArticleId(4242)).await, Err(StoreError::NotFound));
}

async fn authors_are_found_by_slug_and_listed_in_byline_order(db: TestDatabase) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    assert_eq!(store.author_by_slug(&slug("yonhap")).await.expect("agency").kind, AuthorKind::Agency);
    let ordered = store.authors_by_ids(&[paper.agency.id, AuthorId(999), paper.reporter.id]).await.expect("by ids");
    assert_eq!(ordered.iter().map(|a| a.id).collect::<Vec<_>>(), [paper.agency.id, paper.reporter.id]);
    let duplicate = store
        .insert_author(&NewAuthor {
            slug: slug("yonhap"),
            name: "Other".into(),
            kind: AuthorKind::Agency,
            bio: String::new(),
            photo_id: None,
        })
        .await;
    assert!(matches!(duplicate, Err(StoreError::Conflict(_))), "{duplicate:?}");
}

async fn media_keep_caption_credit_and_alt_text(db: TestDatabase) {
    let store = db.store().await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let new = NewMedia {
        storage_key: "2026/11/harbour.png".into(),
        mime_type: "image/png".into(),
        width: 1200,
        height: 800,
        byte_size: 34_567,
        caption: "Fishing boats return to port. (AFP-Yonhap)".into(),
        credit: "AFP-Yonhap".into(),
        alt_text: "Small boats moored in a harbour".into(),
        photographer: "Lee Su-bin".into(),
        file_facts: vec![dateline_newsroom::media::FileFact {
            field: "Caption".into(),
            value: "Boats in port.".into(),
            source: "IPTC IIM 2:120 Caption/Abstract".into(),
        }],
        content_credentials: Some(dateline_newsroom::media::ContentCredentials {
            signer: "Agency Photo Desk".into(),
            organisation: "Agency".into(),
            signed_at: None,
            made_with: "Camera 2.1".into(),
            verdict: dateline_newsroom::media::CredentialsVerdict::Trusted,
            problems: Vec::new(),
        }),
    };
    let media = store.insert_media(&new, now).await.expect("insert");
    let read = store.media_by_id(media.id).await.expect("by id");
    assert_eq!(read, media);
    assert_eq!(store.file_facts(media.id).await.expect("facts"), new.file_facts, "what the file said is kept");
    assert_eq!(read.content_credentials, new.content_credentials, "what its Content Credentials said is kept");
    assert_eq!((read.width, read.height, read.credit.as_str()), (1200, 800, "AFP-Yonhap"));
    assert_eq!(store.media_by_storage_key("2026/11/harbour.png").await.expect("by key").id, media.id);
    assert_eq!(read.created_at, now);
}

async fn static_pages_and_topics_are_stored(db: TestDatabase) {
    let store = db.store().await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    store
        .insert_page(&NewPage { slug: slug("ombudsman"), title: "Ombudsman".into(), body: "Write to us.".into() }, now)
        .await
        .expect("page");
    let page = store.page_by_slug(&slug("ombudsman")).await.expect("read");
    assert_eq!((page.title.as_str(), page.updated_at), ("Ombudsman", now));
    assert_eq!(store.page_by_slug(&slug("nope")).await, Err(StoreError::NotFound));
    store
        .insert_topic(&NewTopic { slug: slug("housing"), name: "Housing".into(), description: String::new() })
        .await
        .expect("topic");
    assert_eq!(store.topics().await.expect("topics").len(), 1);
    assert_eq!(store.pages().await.expect("pages").len(), 1);
}

async fn editorial_settings_hold_any_script_and_default_until_saved(db: TestDatabase) {
    let store = db.store().await;
    assert_eq!(store.settings().await.expect("defaults"), EditorialSettings::default(), "settings default until saved");
    let mut settings = EditorialSettings {
        site_name: "The Daily Dateline".into(),
        time_zone: "Asia/Seoul".into(),
        ..Default::default()
    };
    settings.masthead.registration_number = "서울 아03711".into();
    store.save_settings(&settings).await.expect("save");
    settings.masthead.telephone = "+82-2-000-0000".into();
    store.save_settings(&settings).await.expect("save again");
    assert_eq!(store.settings().await.expect("read"), settings);
}

async fn migrating_twice_changes_nothing(db: TestDatabase) {
    let store = db.store().await;
    assert_eq!(store.migrate(Timestamp::now()).await.expect("again"), Vec::<i64>::new());
    store.ping().await.expect("ping");
}

async fn a_save_made_from_a_story_read_before_a_live_post_keeps_the_posts_updated_time(db: TestDatabase) {
    use dateline_newsroom::live::{LiveStore, NewLivePost, PostContent};
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now = Timestamp::from_second(1_700_000_000).expect("now");
    let id =
        StoryBuilder::new("Count night", paper.politics.id, now - SignedDuration::from_hours(2)).store(&store).await;
    store.start_coverage(id, now - SignedDuration::from_hours(2)).await.expect("live");
    // The editor's screen read the story; then a reporter posted.
    let read_before = store.article_by_id(id).await.expect("read");
    let posted_at = now - SignedDuration::from_mins(1);
    let content = PostContent {
        title: None,
        body: "Results are in.".into(),
        media_id: None,
        author_id: None,
        author_name: "Desk".into(),
        pinned: false,
    };
    let post = NewLivePost {
        article_id: id,
        content,
        at: posted_at,
        made_by: RevisionAuthor::system("desk"),
        story_is_public: true,
    };
    store.insert_live_post(&post).await.expect("post");
    let quiet = ArticleUpdate::of(&read_before, RevisionKind::MinorFix, RevisionAuthor::system("editor"), now);
    let saved = store.update_article(&quiet).await.expect("a quiet save");
    assert_eq!(saved.last_public_update_at, Some(posted_at), "the \"Updated\" time never goes back");
}

on_both_databases!(
    a_save_made_from_a_story_read_before_a_live_post_keeps_the_posts_updated_time,
    sections_keep_their_tree_and_order,
    two_sections_cannot_share_an_address,
    a_story_keeps_its_bylines_in_order_and_its_first_revision,
    stories_written_in_bulk_read_back_as_if_each_were_written_alone,
    instants_survive_the_round_trip_to_the_microsecond,
    readers_see_only_published_stories_past_their_embargo_newest_first,
    author_and_topic_listings_hold_only_their_stories,
    the_most_viewed_stories_are_counted_over_the_trailing_window,
    a_section_with_a_reserved_slug_is_refused_and_nothing_is_stored,
    an_update_needs_the_version_it_was_made_from_and_leaves_a_revision,
    scheduled_stories_come_due_and_the_desk_lists_every_status,
    users_sign_in_with_sessions_that_expire_and_end_with_a_new_password,
    a_missing_story_is_not_found,
    a_story_read_for_its_page_brings_its_bylines_and_topics_in_order_and_says_which_parts_it_has,
    authors_are_found_by_slug_and_listed_in_byline_order,
    media_keep_caption_credit_and_alt_text,
    static_pages_and_topics_are_stored,
    editorial_settings_hold_any_script_and_default_until_saved,
    migrating_twice_changes_nothing
);

#[test]
fn every_migration_comes_in_a_same_numbered_pair() {
    let list = |backend: &str| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .expect("migrations folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = list("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, list("postgres"), "the two migration folders must hold the same file names");
    let compiled: Vec<String> = MIGRATIONS.iter().map(|m| format!("{}.sql", m.name)).collect();
    for migration in MIGRATIONS {
        assert!(
            migration.name.starts_with(&format!("{:04}_", migration.version)),
            "{} is numbered {}",
            migration.name,
            migration.version
        );
    }
    assert_eq!(sqlite, compiled, "every migration file must be listed in MIGRATIONS, in order");
}

async fn of_two_instances_one_holds_the_schedulers_lease_until_it_runs_out(db: TestDatabase) {
    let first = db.store().await;
    let second = db.store().await;
    let now: Timestamp = "2026-11-28T03:00:00Z".parse().expect("instant");
    let lease = SignedDuration::from_secs(30);
    assert!(first.take_lease("scheduler", "instance-a", now, now + lease).await.expect("lease"));
    assert!(!second.take_lease("scheduler", "instance-b", now, now + lease).await.expect("lease"), "taken already");
    let later = now + SignedDuration::from_secs(10);
    assert!(
        first.take_lease("scheduler", "instance-a", later, later + lease).await.expect("renew"),
        "the holder renews"
    );
    assert!(!second.take_lease("scheduler", "instance-b", later, later + lease).await.expect("lease"));
    assert!(
        second.take_lease("other-job", "instance-b", later, later + lease).await.expect("lease"),
        "leases are per job"
    );
    // instance-a stops renewing; once its lease has run out, instance-b takes over.
    let after = later + lease;
    assert!(second.take_lease("scheduler", "instance-b", after, after + lease).await.expect("take over"));
    assert!(!first.take_lease("scheduler", "instance-a", after, after + lease).await.expect("lease"), "and keeps it");
}

async fn every_change_readers_see_goes_into_the_outbox_with_its_write_and_a_refused_write_leaves_none(
    db: TestDatabase,
) {
    let store = db.store().await;
    let paper = SmallPaper::create(&store).await;
    let now: Timestamp = "2026-11-28T03:00:00Z".parse().expect("instant");
    let draft = store
        .insert_article(&StoryBuilder::new("Quiet draft", paper.national.id, now).status(ArticleStatus::Draft).build())
        .await
        .expect("draft");
    let waiting = store.outbox_waiting().await.expect("waiting");
    let story = store.article_by_id(draft).await.expect("story");

    // A draft saved again changes nothing a reader sees: no row.
    let mut saved = ArticleUpdate::of(&story, RevisionKind::Saved, RevisionAuthor::system("test"), now);
    saved.content.body = "Still quiet.".into();
    let story = store.update_article(&saved).await.expect("save");
    assert_eq!(store.outbox_waiting().await.expect("waiting"), waiting);

    // A write refused by the version check leaves no row either.
    let mut stale = ArticleUpdate::of(&story, RevisionKind::Published, RevisionAuthor::system("test"), now);
    stale.expected_version -= 1;
    stale.status = ArticleStatus::Published;
    stale.first_published_at = Some(now);
    assert!(matches!(store.update_article(&stale).await, Err(StoreError::Conflict(_))));
    assert_eq!(store.outbox_waiting().await.expect("waiting"), waiting);

    // Publishing is one row, naming where the story now shows.
    let mut publish = ArticleUpdate::of(&story, RevisionKind::Published, RevisionAuthor::system("test"), now);
    publish.status = ArticleStatus::Published;
    publish.first_published_at = Some(now);
    store.update_article(&publish).await.expect("publish");
    let due = store.outbox_due(now, 100).await.expect("due");
    assert_eq!(due.len() as i64, waiting + 1);
    match &due.last().expect("the publish").change {
        Change::Story { id, before: None, after: Some(placement) } => {
            assert_eq!((*id, placement.section), (draft, paper.national.id));
        }
        other => panic!("publishing told {other:?}"),
    }
    store.outbox_done(&due.iter().map(|e| e.id).collect::<Vec<_>>(), now).await.expect("done");
    assert_eq!(store.outbox_waiting().await.expect("waiting"), 0);
    assert_eq!(store.outbox_prune(now + SignedDuration::from_secs(1)).await.expect("prune") as usize, due.len());
}

async fn two_editors_moving_two_sections_under_each_other_at_once_never_make_a_cycle(db: TestDatabase) {
    let store = db.store().await;
    for round in 0..200 {
        let a = store
            .insert_section(
                &NewSection {
                    slug: slug(&format!("east-{round}")),
                    name: "East".into(),
                    parent_id: None,
                    position: 10,
                },
                &format!("east-{round}"),
            )
            .await
            .expect("a");
        let b = store
            .insert_section(
                &NewSection {
                    slug: slug(&format!("west-{round}")),
                    name: "West".into(),
                    parent_id: None,
                    position: 11,
                },
                &format!("west-{round}"),
            )
            .await
            .expect("b");
        let under = |child: &Section, parent: &Section| Section {
            parent_id: Some(parent.id),
            path: format!("{}/{}", parent.path, child.slug.as_str()),
            ..child.clone()
        };
        let (a_under_b, b_under_a) = (under(&a, &b), under(&b, &a));
        let (first, second) = tokio::join!(store.update_section(&a_under_b), store.update_section(&b_under_a));
        assert!(first.is_ok() != second.is_ok(), "round {round}: exactly one move wins: {first:?} {second:?}");
        let loser = if first.is_err() { first } else { second };
        assert!(matches!(loser, Err(StoreError::Conflict(_))), "round {round}: {loser:?}");
        let tree = SectionTree::new(store.sections().await.expect("sections"));
        for id in [a.id, b.id] {
            assert!(tree.trail(id).len() <= 2, "round {round}: two levels at most");
        }
    }
}

async fn a_move_made_from_a_stale_view_of_the_parent_is_refused_not_saved_under_an_old_address(db: TestDatabase) {
    let store = db.store().await;
    let news = store
        .insert_section(&NewSection { slug: slug("news"), name: "News".into(), parent_id: None, position: 1 }, "news")
        .await
        .expect("news");
    let moving = store
        .insert_section(
            &NewSection { slug: slug("weather"), name: "Weather".into(), parent_id: None, position: 2 },
            "weather",
        )
        .await
        .expect("weather");
    // One editor renames the parent; another, who saw the old name, moves a section under it.
    store
        .update_section(&Section { slug: slug("nieuws"), path: "nieuws".into(), ..news.clone() })
        .await
        .expect("rename");
    let stale = Section { parent_id: Some(news.id), path: "news/weather".into(), ..moving.clone() };
    assert!(matches!(store.update_section(&stale).await, Err(StoreError::Conflict(_))));
    let fresh = Section { parent_id: Some(news.id), path: "nieuws/weather".into(), ..moving };
    assert_eq!(store.update_section(&fresh).await.expect("move").path, "nieuws/weather");
}

on_both_databases!(
    of_two_instances_one_holds_the_schedulers_lease_until_it_runs_out,
    every_change_readers_see_goes_into_the_outbox_with_its_write_and_a_refused_write_leaves_none,
    two_editors_moving_two_sections_under_each_other_at_once_never_make_a_cycle,
    a_move_made_from_a_stale_view_of_the_parent_is_refused_not_saved_under_an_old_address
);
