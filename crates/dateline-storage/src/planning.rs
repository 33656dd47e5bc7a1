//! SQL for the story budget: one plan a story (`story_plans`), and the day's budget read in
//! one query with each story's status, its plan and the name of whoever is on it.

use crate::db::{params, DbTime};
use crate::SqlStore;
use dateline_newsroom::planning::{BudgetStory, PlanStore, StoryPlan};
use dateline_newsroom::{ArticleId, SectionId, StoreError, UserId};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct PlanRow {
    article_id: i64,
    summary: String,
    assignee_user_id: Option<i64>,
    planned_for: DbTime,
}

impl From<PlanRow> for StoryPlan {
    fn from(row: PlanRow) -> Self {
        StoryPlan {
            article_id: ArticleId(row.article_id),
            summary: row.summary,
            assignee: row.assignee_user_id.map(UserId),
            planned_for: row.planned_for.0,
        }
    }
}

#[derive(sqlx::FromRow)]
struct BudgetRow {
    id: i64,
    headline: String,
    section_id: i64,
    status: String,
    unwritten: i64,
    publish_at: Option<DbTime>,
    modified_at: DbTime,
    created_by_user_id: Option<i64>,
    plan_article_id: Option<i64>,
    summary: Option<String>,
    assignee_user_id: Option<i64>,
    planned_for: Option<DbTime>,
    person: Option<String>,
}

impl PlanStore for SqlStore {
    async fn save_plan(&self, plan: &StoryPlan) -> Result<(), StoreError> {
        self.db
            .execute(
                "INSERT INTO story_plans (article_id, summary, assignee_user_id, planned_for) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (article_id) DO UPDATE SET summary = excluded.summary, \
                 assignee_user_id = excluded.assignee_user_id, planned_for = excluded.planned_for",
                params![plan.article_id.0, &plan.summary, plan.assignee.map(|u| u.0), plan.planned_for],
            )
            .await?;
        Ok(())
    }

    async fn plan_of(&self, id: ArticleId) -> Result<Option<StoryPlan>, StoreError> {
        let row: Option<PlanRow> = self
            .db
            .fetch_optional(
                "SELECT article_id, summary, assignee_user_id, planned_for FROM story_plans WHERE article_id = $1",
                params![id.0],
            )
            .await?;
        Ok(row.map(StoryPlan::from))
    }

    async fn budget(&self, from: Timestamp, to: Timestamp) -> Result<Vec<BudgetStory>, StoreError> {
        let rows: Vec<BudgetRow> = self
            .db
            .fetch_all(
                "SELECT a.id, a.headline, a.section_id, a.status, \
                        CAST(CASE WHEN a.body = '' THEN 1 ELSE 0 END AS BIGINT) AS unwritten, \
                        a.publish_at, a.modified_at, a.created_by_user_id, \
                        p.article_id AS plan_article_id, p.summary, p.assignee_user_id, p.planned_for, \
                        CASE WHEN p.article_id IS NULL THEN writer.name ELSE assignee.name END AS person \
                 FROM articles a \
                 LEFT JOIN story_plans p ON p.article_id = a.id \
                 LEFT JOIN users assignee ON assignee.id = p.assignee_user_id \
                 LEFT JOIN users writer ON writer.id = a.created_by_user_id \
                 WHERE (p.planned_for >= $1 AND p.planned_for < $2) \
                    OR (p.article_id IS NULL AND a.status = 'scheduled' AND a.publish_at >= $1 AND a.publish_at < $2) \
                    OR (p.article_id IS NULL AND a.status IN ('draft', 'in_review') \
                        AND a.created_by_user_id IS NOT NULL \
                        AND a.modified_at >= $1 AND a.modified_at < $2) \
                 ORDER BY COALESCE(p.planned_for, a.publish_at, a.modified_at), a.id",
                params![from, to],
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                let plan = match (row.plan_article_id, row.planned_for) {
                    (Some(article_id), Some(planned_for)) => Some(StoryPlan {
                        article_id: ArticleId(article_id),
                        summary: row.summary.unwrap_or_default(),
                        assignee: row.assignee_user_id.map(UserId),
                        planned_for: planned_for.0,
                    }),
                    _ => None,
                };
                Ok(BudgetStory {
                    id: ArticleId(row.id),
                    headline: row.headline,
                    section_id: SectionId(row.section_id),
                    status: crate::articles::stored_status(&row.status)?,
                    unwritten: row.unwritten != 0,
                    publish_at: row.publish_at.map(|t| t.0),
                    modified_at: row.modified_at.0,
                    created_by: row.created_by_user_id.map(UserId),
                    plan,
                    person: row.person.unwrap_or_default(),
                })
            })
            .collect()
    }
}
