//! The daily job: recompute every monitored lot's next test and remind the curators of lots
//! whose test is due (within a month) or overdue — once per lot and due date, in the app and,
//! when SMTP is configured, by e-mail.

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use chrono::{NaiveDate, TimeDelta};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use entities::{notification, user};

use super::super::mail::Mailer;
use super::super::{Actor, audit, now};
use super::worklists;
use crate::domain::material::Role;
use crate::error::AppResult;
use crate::i18n::Lang;

/// The message key of a test-due reminder.
pub const REMINDER_KEY: &str = "viability.notice.test_due";

/// A reminder goes out this many days before the test is due.
pub const LEAD_DAYS: i64 = 30;

/// What a reminder carries (the notification's `message_args`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReminderArgs {
    pub sample_id: i64,
    pub label_code: String,
    pub taxon_name: String,
    pub due: NaiveDate,
    pub overdue: bool,
}

impl ReminderArgs {
    /// The reminder as one line of text.
    pub fn text(&self, lang: Lang) -> String {
        let key = if self.overdue {
            "notice.test_overdue"
        } else {
            "notice.test_due"
        };
        lang.t(key)
            .replace("{label}", &self.label_code)
            .replace("{taxon}", &self.taxon_name)
            .replace("{due}", &self.due.to_string())
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RunReport {
    /// Monitored lots whose schedule was recomputed.
    pub lots: usize,
    /// Lots due within [`LEAD_DAYS`] or overdue.
    pub due: usize,
    /// Reminders posted now (earlier ones for the same lot and due date are not repeated).
    pub posted: usize,
    /// E-mails the relay accepted.
    pub emailed: usize,
}

/// Recomputes every lot's schedule as of `today` and posts the reminders not yet posted.
pub async fn run<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    today: NaiveDate,
    mailer: Option<&Mailer>,
) -> AppResult<RunReport> {
    let lots = worklists::lots(db, today).await?;
    let horizon = today + TimeDelta::days(LEAD_DAYS);
    let due: Vec<ReminderArgs> = lots
        .iter()
        .filter(|l| l.summary.basis.is_some())
        .filter_map(|l| {
            let d = l.summary.next_test_due.filter(|d| *d <= horizon)?;
            Some(ReminderArgs {
                sample_id: l.sample.id,
                label_code: l.summary.label_code.clone(),
                taxon_name: l.accession.taxon_name.clone(),
                due: d,
                overdue: d < today,
            })
        })
        .collect();
    let mut report = RunReport {
        lots: lots.iter().filter(|l| l.summary.basis.is_some()).count(),
        due: due.len(),
        ..Default::default()
    };
    if due.is_empty() {
        return Ok(report);
    }
    let curators = user::Entity::find()
        .filter(user::Column::Role.is_in([Role::Curator.as_str(), Role::Admin.as_str()]))
        .filter(user::Column::Status.eq("active"))
        .all(db)
        .await?;
    let posted: HashSet<(i64, i64, NaiveDate)> = notification::Entity::find()
        .filter(notification::Column::MessageKey.eq(REMINDER_KEY))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|n| {
            let a: ReminderArgs = serde_json::from_str(n.message_args.as_deref()?).ok()?;
            Some((n.user_id, a.sample_id, a.due))
        })
        .collect();

    let actor = Actor::system("scheduler");
    let mut new_by_user: BTreeMap<i64, Vec<&ReminderArgs>> = BTreeMap::new();
    let txn = db.begin().await?;
    for c in &curators {
        for r in &due {
            if posted.contains(&(c.id, r.sample_id, r.due)) {
                continue;
            }
            let n = notification::ActiveModel {
                user_id: Set(c.id),
                request_id: Set(None),
                message_key: Set(REMINDER_KEY.into()),
                message_args: Set(Some(serde_json::to_string(r).unwrap_or_default())),
                created_at: Set(now()),
                read_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                &actor,
                "create",
                "notifications",
                n.id,
                None,
                audit::snapshot(&n),
            )
            .await?;
            new_by_user.entry(c.id).or_default().push(r);
            report.posted += 1;
        }
    }
    txn.commit().await?;

    // E-mail only after the notices are committed; one message per curator per run.
    if let Some(mailer) = mailer {
        for c in &curators {
            let (Some(email), Some(list)) = (c.email.as_deref(), new_by_user.get(&c.id)) else {
                continue;
            };
            let lang = Lang::En;
            let subject = lang
                .t("notice.mail_subject")
                .replace("{count}", &list.len().to_string());
            let mut body = format!("{}\n\n", lang.t("notice.mail_intro"));
            for r in list {
                body.push_str(&format!("- {}\n", r.text(lang)));
            }
            match mailer.send(email, &subject, &body).await {
                Ok(()) => report.emailed += 1,
                Err(e) => tracing::warn!(to = email, error = %e, "reminder e-mail not sent"),
            }
        }
    }
    Ok(report)
}

/// The background job: once shortly after the server starts, then every `interval`. It runs on
/// its own task, so requests never wait for it.
pub fn scheduler(interval_secs: Option<u64>, mailer: Option<Mailer>) -> rocket::fairing::AdHoc {
    rocket::fairing::AdHoc::on_liftoff("viability reminders", move |rocket| {
        Box::pin(async move {
            let Some(secs) = interval_secs.filter(|s| *s > 0) else {
                return;
            };
            let Some(state) = rocket.state::<crate::AppState>() else {
                return;
            };
            let db = state.db.clone();
            let period = Duration::from_secs(secs);
            let first = tokio::time::Instant::now() + period.min(Duration::from_secs(5));
            tokio::spawn(async move {
                let mut tick = tokio::time::interval_at(first, period);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    match run(&db, super::today(), mailer.as_ref()).await {
                        Ok(r) => tracing::info!(
                            lots = r.lots,
                            due = r.due,
                            posted = r.posted,
                            emailed = r.emailed,
                            "viability reminders"
                        ),
                        Err(e) => tracing::warn!(error = %e, "viability reminders failed"),
                    }
                }
            });
        })
    })
}
