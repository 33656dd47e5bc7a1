-- PostgreSQL's search moves to a narrow table of its own (see the PostgreSQL file of this
-- number). SQLite's FTS5 table already holds only the indexed text, keyed by the story.
SELECT 1;
