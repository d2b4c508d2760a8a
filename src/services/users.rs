//! Accounts: creating users, researcher self-registration and approval, password changes.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use entities::{institution, user};

use super::sessions::{self, check_new_password, hash_password};
use super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::material::Role;
use crate::domain::text::check_text;
use crate::error::{AppError, AppResult, is_unique_violation};

/// What it takes to create an account.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    pub username: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub password: String,
    #[schema(value_type = String, example = "curator")]
    pub role: Role,
    /// Name of the user's institution (created when new).
    pub institution: Option<String>,
}

/// A user as lists and the API show them (never the hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: String,
    pub status: String,
    pub institution_id: Option<i64>,
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&user::Model> for UserView {
    fn from(u: &user::Model) -> Self {
        UserView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            role: u.role.clone(),
            status: u.status.clone(),
            institution_id: u.institution_id,
            last_login_at: u.last_login_at,
            created_at: u.created_at,
        }
    }
}

fn validate_new_user(input: &NewUser) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let username = input.username.trim();
    if username.len() < 3
        || username.len() > 40
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        errors.push(FieldError::new(
            "username",
            "invalid_format",
            "username: use 3 to 40 letters, digits, '.', '_' or '-'",
        ));
    }
    if let Some(name) = &input.display_name
        && let Err(e) = check_text("display_name", name, 100)
    {
        errors.push(e);
    }
    if let Some(email) = input
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        let ok = email.len() <= 200
            && !email.chars().any(|c| c.is_control() || c.is_whitespace())
            && email
                .split_once('@')
                .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'));
        if !ok {
            errors.push(FieldError::new(
                "email",
                "invalid_format",
                "email: not a valid e-mail address",
            ));
        }
    }
    if let Some(inst) = &input.institution
        && let Err(e) = check_text("institution", inst, 200)
    {
        errors.push(e);
    }
    if let Err(e) = check_new_password("password", &input.password) {
        errors.push(e);
    }
    errors
}

async fn find_or_create_institution<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    name: &str,
) -> AppResult<Option<i64>> {
    let name = name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if let Some(found) = institution::Entity::find()
        .filter(institution::Column::Name.eq(name))
        .one(conn)
        .await?
    {
        return Ok(Some(found.id));
    }
    let created = institution::ActiveModel {
        name: Set(name.to_string()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        "create",
        "institutions",
        created.id,
        None,
        audit::snapshot(&created),
    )
    .await?;
    Ok(Some(created.id))
}

/// Creates an account with the given status (`active` for accounts an admin makes, `pending`
/// for self-registration).
pub async fn create_user<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: NewUser,
    status: &str,
) -> AppResult<UserView> {
    let errors = validate_new_user(&input);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = hash_password(&input.password).await?;
    let txn = db.begin().await?;
    let username = input.username.trim().to_string();
    let taken = user::Entity::find()
        .filter(user::Column::Username.eq(username.clone()))
        .count(&txn)
        .await?
        > 0;
    if taken {
        return Err(AppError::conflict(
            "username",
            "username: this username cannot be used; choose another",
        ));
    }
    let institution_id = match &input.institution {
        Some(name) => find_or_create_institution(&txn, actor, name).await?,
        None => None,
    };
    let t = now();
    let model = user::ActiveModel {
        username: Set(username.clone()),
        display_name: Set(input
            .display_name
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty())
            .unwrap_or(username)),
        email: Set(input
            .email
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())),
        password_hash: Set(hash),
        role: Set(input.role.as_str().to_string()),
        status: Set(status.to_string()),
        institution_id: Set(institution_id),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict(
                "username",
                "username: this username cannot be used; choose another",
            )
        } else {
            e.into()
        }
    })?;
    let view = UserView::from(&model);
    audit::record(
        &txn,
        actor,
        "create",
        "users",
        model.id,
        None,
        audit::snapshot(&view),
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// A researcher registers; the account waits for a curator's or admin's approval.
pub async fn register_researcher<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    ip: Option<String>,
    mut input: NewUser,
) -> AppResult<UserView> {
    input.role = Role::Researcher;
    let actor = Actor {
        user_id: None,
        name: format!("registration:{}", input.username.trim()),
        ip,
    };
    create_user(db, &actor, input, "pending").await
}

/// Changes a user's status (approve = `active`, `disabled`) or role.
pub async fn update_user<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    actor_role: Role,
    user_id: i64,
    status: Option<&str>,
    role: Option<Role>,
) -> AppResult<UserView> {
    let txn = db.begin().await?;
    let target = user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let target_role: Role = target.role.parse().unwrap_or(Role::Researcher);
    // Curators may approve researchers; only admins touch staff accounts and roles.
    if actor_role != Role::Admin && (target_role != Role::Researcher || role.is_some()) {
        return Err(AppError::forbidden());
    }
    if Some(user_id) == actor.user_id
        && (status.is_some_and(|s| s != "active") || role.is_some_and(|r| r != Role::Admin))
    {
        return Err(AppError::conflict(
            "status",
            "you cannot disable or demote your own account",
        ));
    }
    if let Some(s) = status
        && !["active", "disabled", "pending"].contains(&s)
    {
        return Err(AppError::invalid(
            "status",
            "invalid_code",
            "status: must be active, disabled or pending",
        ));
    }
    let before = UserView::from(&target);
    let mut am = target.into_active_model();
    if let Some(s) = status {
        am.status = Set(s.to_string());
    }
    if let Some(r) = role {
        am.role = Set(r.as_str().to_string());
    }
    am.updated_at = Set(now());
    let after = am.update(&txn).await?;
    if after.status != "active" {
        sessions::end_all_sessions(&txn, user_id, None).await?;
    }
    let view = UserView::from(&after);
    let action = match status {
        Some("active") if before.status == "pending" => "approve",
        _ => "update",
    };
    audit::record(
        &txn,
        actor,
        action,
        "users",
        user_id,
        audit::snapshot(&before),
        audit::snapshot(&view),
    )
    .await?;
    txn.commit().await?;
    Ok(view)
}

/// A user changes their own password; other sessions end.
pub async fn change_password<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    user_id: i64,
    current: &str,
    new: &str,
    keep_session: Option<i64>,
) -> AppResult<()> {
    let u = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !sessions::verify_password(current, &u.password_hash).await {
        return Err(AppError::invalid(
            "current_password",
            "wrong_password",
            "current password: it is not correct",
        ));
    }
    check_new_password("new_password", new)?;
    let hash = hash_password(new).await?;
    let txn = db.begin().await?;
    let mut am = u.into_active_model();
    am.password_hash = Set(hash);
    am.updated_at = Set(now());
    am.update(&txn).await?;
    sessions::end_all_sessions(&txn, user_id, keep_session).await?;
    audit::record(&txn, actor, "change_password", "users", user_id, None, None).await?;
    txn.commit().await?;
    Ok(())
}

/// Account statuses a list can be filtered by.
pub const STATUSES: &[&str] = &["pending", "active", "disabled"];

/// Checks a status filter from a query string; an unknown status is the caller's mistake.
pub fn check_status_filter(status: Option<&str>) -> AppResult<Option<&str>> {
    match status.filter(|s| !s.is_empty()) {
        Some(s) if !STATUSES.contains(&s) => Err(AppError::bad(
            "status",
            format!("status: '{s}' must be pending, active or disabled"),
        )),
        other => Ok(other),
    }
}

/// All users, pending registrations first.
pub async fn list_users<C: ConnectionTrait>(
    conn: &C,
    status: Option<&str>,
) -> AppResult<Vec<UserView>> {
    let mut q = user::Entity::find();
    if let Some(s) = status {
        q = q.filter(user::Column::Status.eq(s));
    }
    let users = q
        .order_by_asc(user::Column::Status)
        .order_by_asc(user::Column::Username)
        .all(conn)
        .await?;
    Ok(users.iter().map(UserView::from).collect())
}

/// Number of accounts (zero means the first-run setup is open).
pub async fn count_users<C: ConnectionTrait>(conn: &C) -> AppResult<u64> {
    Ok(user::Entity::find().count(conn).await?)
}
