-- Podcasts (issue 19): shows, the sound files episodes play, what makes a story an episode,
-- and downloads counted once per listener per day (a keyed digest that changes every day,
-- never an address).
CREATE TABLE podcast_shows (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    artwork_media_id INTEGER NOT NULL REFERENCES media(id),
    -- "News" or "News › Daily News", from Apple's list.
    category TEXT NOT NULL,
    language TEXT NOT NULL,
    explicit INTEGER NOT NULL DEFAULT 0,
    owner_name TEXT NOT NULL,
    owner_email TEXT NOT NULL,
    author TEXT NOT NULL,
    section_id INTEGER NOT NULL REFERENCES sections(id),
    locked INTEGER NOT NULL DEFAULT 1,
    -- podcast:guid, made once from the feed's first address.
    guid TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Every sound file an episode has had: apps keep old addresses, so an earlier file stays
-- playable (and its downloads counted) after the desk replaces it.
CREATE TABLE audio_files (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL UNIQUE,
    mime_type TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX audio_files_article ON audio_files (article_id);

CREATE TABLE podcast_episodes (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    show_id INTEGER NOT NULL REFERENCES podcast_shows(id),
    audio_id INTEGER NOT NULL REFERENCES audio_files(id),
    -- Made when the episode is created and never changed: apps tell episodes apart by it.
    guid TEXT NOT NULL UNIQUE,
    episode_number INTEGER,
    season_number INTEGER,
    episode_type TEXT NOT NULL DEFAULT 'full',
    -- vtt or srt, and the file as uploaded.
    transcript_format TEXT,
    transcript TEXT,
    -- One chapter a line: milliseconds, a space, the title.
    chapters TEXT NOT NULL DEFAULT ''
);
CREATE INDEX podcast_episodes_show ON podcast_episodes (show_id);


CREATE TABLE podcast_downloads (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    -- The UTC day (2026-12-07) and a digest keyed with a secret and that day.
    day TEXT NOT NULL,
    listener TEXT NOT NULL,
    PRIMARY KEY (article_id, day, listener)
);
