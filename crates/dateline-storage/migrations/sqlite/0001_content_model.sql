-- The content model: sections, authors, topics, media, articles with bylines and revisions,
-- static pages, editorial settings and the newsroom's users.
-- Instants are TEXT in UTC, RFC 3339 with six fractional digits and a Z, so they sort as text.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    parent_id INTEGER REFERENCES sections(id),
    position INTEGER NOT NULL DEFAULT 0,
    path TEXT NOT NULL UNIQUE
);
CREATE INDEX sections_parent ON sections(parent_id);

CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    storage_key TEXT NOT NULL UNIQUE,
    mime_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    byte_size INTEGER NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    credit TEXT NOT NULL DEFAULT '',
    alt_text TEXT NOT NULL DEFAULT '',
    photographer TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE authors (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'agency')),
    bio TEXT NOT NULL DEFAULT '',
    photo_id INTEGER REFERENCES media(id)
);

CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    headline TEXT NOT NULL,
    deck TEXT,
    section_id INTEGER NOT NULL REFERENCES sections(id),
    label TEXT,
    lead_media_id INTEGER REFERENCES media(id),
    body TEXT NOT NULL,
    seo_title TEXT,
    seo_description TEXT,
    status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'scheduled', 'published', 'unpublished', 'removed')),
    embargo_until TEXT,
    publish_at TEXT,
    first_published_at TEXT,
    last_public_update_at TEXT,
    created_at TEXT NOT NULL,
    modified_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX articles_public ON articles(status, first_published_at DESC);
CREATE INDEX articles_section ON articles(section_id, first_published_at DESC);

CREATE TABLE article_bylines (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    author_id INTEGER NOT NULL REFERENCES authors(id),
    PRIMARY KEY (article_id, position)
);
CREATE INDEX article_bylines_author ON article_bylines(author_id);

CREATE TABLE article_topics (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    topic_id INTEGER NOT NULL REFERENCES topics(id),
    PRIMARY KEY (article_id, position)
);
CREATE INDEX article_topics_topic ON article_topics(topic_id);

CREATE TABLE article_revisions (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    kind TEXT NOT NULL,
    made_by_user_id INTEGER REFERENCES users(id),
    made_by_name TEXT NOT NULL,
    made_at TEXT NOT NULL,
    note TEXT,
    content TEXT NOT NULL,
    PRIMARY KEY (article_id, number)
);

CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
