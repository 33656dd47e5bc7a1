-- Views counted by the beacon, in hourly buckets per story. Nothing about the reader is kept.
CREATE TABLE article_views (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hour TIMESTAMPTZ NOT NULL,
    views BIGINT NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX article_views_hour ON article_views(hour);
