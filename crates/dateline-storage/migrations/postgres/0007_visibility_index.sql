-- The same index as SQLite's 0007: PostgreSQL stores long bodies out of line (TOAST), so its
-- rows are narrow already, but the covering index still lets search filter matches by
-- visibility from the index alone.
CREATE INDEX articles_visibility ON articles(id, status, first_published_at, embargo_until, section_id);

-- "Most Popular" sums the views of a trailing window: read only that window's rows, from the
-- index alone.
CREATE INDEX article_views_window ON article_views(hour, article_id, views);
