-- Views counted by the beacon, in hourly buckets per story. Nothing about the reader is kept.
CREATE TABLE article_views (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hour TEXT NOT NULL,
    views INTEGER NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX article_views_hour ON article_views(hour);
