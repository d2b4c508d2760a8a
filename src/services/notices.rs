//! In-app notices: every request transition tells the other side (e-mail can follow later).

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use entities::{notification, request, user};

use super::{Actor, audit, now};
use crate::domain::material::Role;
use crate::domain::requests::RequestStatus;
use crate::error::AppResult;

/// Notifies whoever is on the other side of a request from `acting_user`: the requester when
/// staff acted, otherwise the request's curator (or every curator while none is assigned).
pub async fn notify_other_side<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    r: &request::Model,
    acting_user: i64,
    status: RequestStatus,
) -> AppResult<()> {
    let recipients: Vec<i64> = if acting_user != r.requester_id {
        vec![r.requester_id]
    } else if let Some(c) = r.curator_id {
        vec![c]
    } else {
        user::Entity::find()
            .filter(user::Column::Role.is_in([Role::Curator.as_str(), Role::Admin.as_str()]))
            .filter(user::Column::Status.eq("active"))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect()
    };
    let args = serde_json::json!({
        "request_number": r.request_number,
        "status": status.as_str(),
    })
    .to_string();
    for user_id in recipients {
        let n = notification::ActiveModel {
            user_id: Set(user_id),
            request_id: Set(Some(r.id)),
            message_key: Set(format!("request.notice.{}", status.as_str())),
            message_args: Set(Some(args.clone())),
            created_at: Set(now()),
            read_at: Set(None),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        audit::record(
            conn,
            actor,
            "create",
            "notifications",
            n.id,
            None,
            audit::snapshot(&n),
        )
        .await?;
    }
    Ok(())
}

/// A user's notices about one request, oldest first.
pub async fn for_user<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    request_id: i64,
) -> AppResult<Vec<notification::Model>> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::RequestId.eq(request_id))
        .all(conn)
        .await?)
}
