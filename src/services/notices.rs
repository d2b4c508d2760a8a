//! In-app notices (request transitions, viability reminders), with an e-mail copy when SMTP is set.

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
    for &user_id in &recipients {
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
    if super::mail::installed().is_some() {
        let subject =
            request_notice_text(crate::i18n::Lang::En, &r.request_number, status.as_str());
        let mail = user::Entity::find()
            .filter(user::Column::Id.is_in(recipients))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|u| u.email)
            .map(|to| (to, subject.clone(), format!("{subject}\n")))
            .collect();
        super::mail::send_in_background(mail);
    }
    Ok(())
}

/// A request notice as one line of text: "Request R-…: approved".
pub fn request_notice_text(lang: crate::i18n::Lang, request_number: &str, status: &str) -> String {
    let key = format!("notice.status.{status}");
    let status = if crate::i18n::has_key(&key) {
        lang.t(&key).to_string()
    } else {
        status.to_string()
    };
    lang.t("notice.request")
        .replace("{number}", request_number)
        .replace("{status}", &status)
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

/// A user's latest notices, newest first, with how many are unread.
pub async fn inbox<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    limit: u64,
) -> AppResult<(Vec<notification::Model>, u64)> {
    use sea_orm::{PaginatorTrait, QueryOrder, QuerySelect};
    let items = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let unread = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null())
        .count(conn)
        .await?;
    Ok((items, unread))
}

/// Marks one of the user's notices (or, without `id`, all of them) as read; returns how many
/// changed. Someone else's notice is not found.
pub async fn mark_read<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    actor: &Actor,
    user_id: i64,
    id: Option<i64>,
) -> AppResult<u64> {
    use sea_orm::TransactionSession;
    let txn = db.begin().await?;
    let mut q = notification::Entity::find()
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        let exists = notification::Entity::find_by_id(id)
            .filter(notification::Column::UserId.eq(user_id))
            .one(&txn)
            .await?;
        if exists.is_none() {
            return Err(crate::error::AppError::NotFound);
        }
        q = q.filter(notification::Column::Id.eq(id));
    }
    let stamp = now();
    let mut changed = 0;
    for n in q.all(&txn).await? {
        let before = audit::snapshot(&n);
        let mut am: notification::ActiveModel = n.into();
        am.read_at = Set(Some(stamp));
        let after = am.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "update",
            "notifications",
            after.id,
            before,
            audit::snapshot(&after),
        )
        .await?;
        changed += 1;
    }
    txn.commit().await?;
    Ok(changed)
}
