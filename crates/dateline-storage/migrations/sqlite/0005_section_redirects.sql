-- Old addresses of renamed or moved sections, so their fronts answer 301 to the new one.
CREATE TABLE section_redirects (
    old_path TEXT PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE
);
