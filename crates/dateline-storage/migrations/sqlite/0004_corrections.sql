-- Corrections readers see at the end of a story and on /corrections.
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    published_at TEXT NOT NULL,
    made_by_name TEXT NOT NULL
);
CREATE INDEX corrections_article ON corrections(article_id);
CREATE INDEX corrections_published ON corrections(published_at DESC);
