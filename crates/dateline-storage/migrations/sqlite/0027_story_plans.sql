-- The story budget (issue 21): a story's plan, as the morning meeting made it. One plan a
-- story; the assignee may work on the story as its writer may.
CREATE TABLE story_plans (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    summary TEXT NOT NULL,
    assignee_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    planned_for TEXT NOT NULL
);
CREATE INDEX story_plans_by_time ON story_plans (planned_for);
