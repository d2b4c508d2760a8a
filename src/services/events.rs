//! The chain of custody: one place that writes a sample event and its audit record.

use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use entities::sample_event;

use super::{Actor, audit, now};
use crate::error::AppResult;

/// One custody event to record.
#[derive(Debug, Clone, Default)]
pub struct SampleEvent<'a> {
    pub kind: &'a str,
    /// (storage unit, position) before the event.
    pub from: (Option<i64>, Option<String>),
    /// (storage unit, position) after the event.
    pub to: (Option<i64>, Option<String>),
    pub note: Option<String>,
    pub due_back_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl<'a> SampleEvent<'a> {
    /// An event of this kind with an optional note and no location change.
    pub fn new(kind: &'a str, note: Option<String>) -> Self {
        SampleEvent {
            kind,
            note,
            ..Default::default()
        }
    }
}

/// Appends the event to the sample's chain of custody, with its audit record, inside the
/// caller's transaction.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    sample_id: i64,
    ev: SampleEvent<'_>,
) -> AppResult<sample_event::Model> {
    let m = sample_event::ActiveModel {
        sample_id: Set(sample_id),
        kind: Set(ev.kind.to_string()),
        from_storage_unit_id: Set(ev.from.0),
        from_position: Set(ev.from.1),
        to_storage_unit_id: Set(ev.to.0),
        to_position: Set(ev.to.1),
        actor_id: Set(actor.user_id),
        note: Set(ev.note),
        due_back_at: Set(ev.due_back_at),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        "create",
        "sample_events",
        m.id,
        None,
        audit::snapshot(&m),
    )
    .await?;
    Ok(m)
}
