-- Whether a story is public, and where it belongs, without reading its row: the row keeps
-- these columns after the body, so reading them from the table means reading the whole body.
-- Search filters its matches through this index.
CREATE INDEX articles_visibility ON articles(id, status, first_published_at, embargo_until, section_id);

-- "Most Popular" sums the views of a trailing window: read only that window's rows, from the
-- index alone.
CREATE INDEX article_views_window ON article_views(hour, article_id, views);
