-- PostgreSQL's search keeps each story's words as written for quoted phrases; FTS5 keeps
-- positions in its own index and checks a phrase there, so SQLite needs nothing new.
SELECT 1;
