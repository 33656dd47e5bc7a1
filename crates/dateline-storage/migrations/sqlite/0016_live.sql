-- Live coverage: a story that is live, its stream of posts, and every write of each post.

-- The author a desk account writes as: a reporter bylined on a live story may post to it.
CREATE TABLE user_bylines (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES authors(id)
);

CREATE TABLE live_coverage (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    -- Set when an editor ends the coverage; the page then says so.
    ended_at TEXT
);

CREATE TABLE live_posts (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES live_coverage(article_id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES authors(id),
    author_name TEXT NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    media_id INTEGER REFERENCES media(id),
    pinned INTEGER NOT NULL DEFAULT 0,
    posted_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    -- A deleted post leaves the reader page and stays in the desk's history.
    deleted_at TEXT,
    posted_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1
);
-- The stream, newest first, and where a post stands in it.
CREATE INDEX live_posts_stream ON live_posts(article_id, posted_at DESC, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE live_post_revisions (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES live_posts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('posted', 'edited', 'pinned', 'unpinned', 'deleted')),
    made_at TEXT NOT NULL,
    made_by_user_id INTEGER REFERENCES users(id),
    made_by_name TEXT NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    pinned INTEGER NOT NULL
);
CREATE INDEX live_post_revisions_post ON live_post_revisions(post_id, id);
