-- Search reads a narrow table of its own instead of the wide articles row: the weighted
-- vector (headline A, deck and bylines B, body D) and only what filtering reads (when the
-- story became public to readers, its publication time and home section). A query then
-- scans small rows and never the stories' text. The visibility columns follow the story
-- through a trigger, in the story's own transaction; the vector is written by the storage
-- layer with the story (bylines live in another table).
--
-- The vector's index is RUM when the extension can be had (Debian: postgresql-15-rum): it
-- keeps positions and ranks inside the index, so the best matches come out first without
-- reading every match. A server without it (many managed databases) gets GIN, and search
-- ranks the newest matches instead; storage asks which one it has.
CREATE TABLE article_search (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    document tsvector NOT NULL DEFAULT ''::tsvector,
    -- Published, and past both its publication time and any embargo, from this instant on;
    -- NULL while readers may not see it.
    public_from TIMESTAMPTZ,
    first_published_at TIMESTAMPTZ,
    section_id BIGINT NOT NULL
);

CREATE FUNCTION article_search_public_from(status TEXT, first_published_at TIMESTAMPTZ, embargo_until TIMESTAMPTZ)
RETURNS TIMESTAMPTZ LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN status = 'published' AND first_published_at IS NOT NULL
                THEN GREATEST(first_published_at, embargo_until) END
$$;

INSERT INTO article_search (article_id, document, public_from, first_published_at, section_id)
SELECT id, search_vector, article_search_public_from(status, first_published_at, embargo_until),
       first_published_at, section_id
FROM articles;

ALTER TABLE articles DROP COLUMN search_vector;

CREATE FUNCTION article_search_follow_story() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO article_search (article_id, public_from, first_published_at, section_id)
    VALUES (NEW.id, article_search_public_from(NEW.status, NEW.first_published_at, NEW.embargo_until),
            NEW.first_published_at, NEW.section_id)
    ON CONFLICT (article_id) DO UPDATE SET
        public_from = EXCLUDED.public_from,
        first_published_at = EXCLUDED.first_published_at,
        section_id = EXCLUDED.section_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER article_search_follows_insert AFTER INSERT ON articles
    FOR EACH ROW EXECUTE FUNCTION article_search_follow_story();
CREATE TRIGGER article_search_follows_update AFTER UPDATE OF status, first_published_at, embargo_until, section_id
    ON articles FOR EACH ROW EXECUTE FUNCTION article_search_follow_story();

CREATE INDEX article_search_public ON article_search (public_from, article_id);
CREATE INDEX article_search_newest ON article_search (first_published_at DESC, article_id DESC);

DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS rum;
    CREATE INDEX article_search_document ON article_search USING rum (document rum_tsvector_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'the rum extension is not available (%); search uses a GIN index', SQLERRM;
    CREATE INDEX article_search_document ON article_search USING gin (document);
END
$$;
