-- Video in stories (issue 19): the files the paper uploaded, and the one video a story may
-- lead with, from a file or from a platform of the allow-list.
-- Every file a story's video has had: an earlier one stays playable for anyone who has it.
CREATE TABLE video_files (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    storage_key TEXT NOT NULL UNIQUE,
    mime_type TEXT NOT NULL,
    byte_size INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX video_files_article ON video_files (article_id);

CREATE TABLE story_videos (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- file, youtube or vimeo.
    provider TEXT NOT NULL,
    -- The platform's id of the video; none for a file.
    external_id TEXT,
    video_file_id INTEGER REFERENCES video_files(id),
    poster_media_id INTEGER REFERENCES media(id),
    -- vtt or srt, and the captions as uploaded.
    captions_format TEXT,
    captions TEXT,
    added_at TEXT NOT NULL
);
