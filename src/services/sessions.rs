//! Passwords, sign-in sessions, API tokens and sign-in throttling.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use serde::Serialize;

use entities::{api_token, login_throttle, user, user_session};

use super::{Actor, audit, now, random_token, sha256_hex};
use crate::domain::material::Role;
use crate::error::{AppError, AppResult};

/// How long a browser session lasts without activity.
pub const SESSION_IDLE: Duration = Duration::hours(12);
/// Failed sign-ins allowed per username or address within the window.
pub const MAX_FAILURES: i32 = 5;
/// The window in which failures count, and how long a lock lasts.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A signed-in caller.
#[derive(Debug, Clone, Serialize)]
pub struct Authenticated {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub session_id: Option<i64>,
    pub token_id: Option<i64>,
}

impl Authenticated {
    /// The caller as the actor of a write.
    pub fn actor(&self, ip: Option<String>) -> Actor {
        Actor {
            user_id: Some(self.user_id),
            name: self.username.clone(),
            ip,
        }
    }
}

/// Hashes a password with argon2id off the async runtime (it takes tens of milliseconds).
pub async fn hash_password(password: &str) -> AppResult<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Checks a password against a stored hash, off the async runtime.
pub async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false)
}

/// A hash of a random password, verified against when the username is unknown so that the
/// answer takes as long as for a real account.
async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async { hash_password(&random_token(16)).await.unwrap_or_default() })
        .await
}

/// Checks a new password's strength; the message names the rule.
pub fn check_new_password(field: &str, password: &str) -> Result<(), crate::domain::FieldError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(crate::domain::FieldError::new(
            field,
            "too_short",
            format!("the password must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if password.chars().count() > 256 {
        return Err(crate::domain::FieldError::new(
            field,
            "too_long",
            "the password is longer than 256 characters",
        ));
    }
    Ok(())
}

/// Constant-time comparison for secrets.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The one message for every failed sign-in: it never says whether the username exists.
pub const SIGN_IN_FAILED: &str = "wrong username or password";

async fn throttle_check<C: ConnectionTrait>(conn: &C, key: &str) -> AppResult<()> {
    if let Some(row) = login_throttle::Entity::find_by_id(key.to_string())
        .one(conn)
        .await?
        && let Some(until) = row.locked_until
        && until > Utc::now()
    {
        return Err(AppError::TooManyRequests {
            retry_after_s: (until - Utc::now()).num_seconds().max(1),
        });
    }
    Ok(())
}

async fn throttle_fail<C: ConnectionTrait>(conn: &C, key: &str) -> AppResult<()> {
    let t = now();
    match login_throttle::Entity::find_by_id(key.to_string())
        .one(conn)
        .await?
    {
        Some(row) => {
            let fresh_window = t - row.window_started_at > THROTTLE_WINDOW;
            let failures = if fresh_window { 1 } else { row.failures + 1 };
            let mut am = row.into_active_model();
            am.failures = Set(failures);
            if fresh_window {
                am.window_started_at = Set(t);
            }
            am.locked_until = Set((failures >= MAX_FAILURES).then(|| t + THROTTLE_WINDOW));
            am.update(conn).await?;
        }
        None => {
            login_throttle::ActiveModel {
                key: Set(key.to_string()),
                failures: Set(1),
                window_started_at: Set(t),
                locked_until: Set(None),
            }
            .insert(conn)
            .await?;
        }
    }
    Ok(())
}

async fn throttle_clear<C: ConnectionTrait>(conn: &C, key: &str) -> AppResult<()> {
    login_throttle::Entity::delete_by_id(key.to_string())
        .exec(conn)
        .await?;
    Ok(())
}

/// Checks a username and password, with throttling per username and per address. Every
/// failure gives the same message whether or not the user exists.
pub async fn check_credentials<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    username: &str,
    password: &str,
    ip: Option<&str>,
) -> AppResult<user::Model> {
    let name = username.trim();
    // Escaped so that any text a client sends can be stored as a key (PostgreSQL refuses NUL).
    let user_key = format!("user:{}", name.to_lowercase().escape_default());
    let ip_key = ip.map(|ip| format!("ip:{ip}"));
    throttle_check(db, &user_key).await?;
    if let Some(k) = &ip_key {
        throttle_check(db, k).await?;
    }
    // A name with a control character cannot exist; it fails like any unknown name.
    let found = if name.chars().any(char::is_control) {
        None
    } else {
        user::Entity::find()
            .filter(user::Column::Username.eq(name))
            .one(db)
            .await?
    };
    let hash = match &found {
        Some(u) => u.password_hash.clone(),
        None => dummy_hash().await.to_string(),
    };
    let ok = verify_password(password, &hash).await && found.is_some();
    if !ok {
        throttle_fail(db, &user_key).await?;
        if let Some(k) = &ip_key {
            throttle_fail(db, k).await?;
        }
        return Err(AppError::Invalid(vec![crate::domain::FieldError::new(
            "password",
            "sign_in_failed",
            SIGN_IN_FAILED,
        )]));
    }
    let user = found.expect("checked above");
    throttle_clear(db, &user_key).await?;
    if user.status != "active" {
        // The password was right, so saying why does not reveal anything to a stranger.
        let why = if user.status == "pending" {
            "your registration is waiting for a curator's approval"
        } else {
            "this account has been disabled; ask an administrator"
        };
        return Err(AppError::Forbidden(why.into()));
    }
    Ok(user)
}

/// Starts a browser session and returns the cookie value.
pub async fn start_session<C: ConnectionTrait>(
    conn: &C,
    user: &user::Model,
    ip: Option<String>,
    user_agent: Option<String>,
) -> AppResult<String> {
    let token = random_token(32);
    let t = now();
    user_session::ActiveModel {
        user_id: Set(user.id),
        token_hash: Set(sha256_hex(token.as_bytes())),
        client_ip: Set(ip.clone()),
        user_agent: Set(user_agent.map(|ua| ua.chars().take(200).collect())),
        created_at: Set(t),
        expires_at: Set(t + SESSION_IDLE),
        last_seen_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let mut am = user.clone().into_active_model();
    am.last_login_at = Set(Some(t));
    am.update(conn).await?;
    let actor = Actor {
        user_id: Some(user.id),
        name: user.username.clone(),
        ip,
    };
    audit::record(conn, &actor, "sign_in", "users", user.id, None, None).await?;
    Ok(token)
}

/// Ends a browser session.
pub async fn end_session<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    actor: &Actor,
) -> AppResult<()> {
    user_session::Entity::delete_by_id(session_id)
        .exec(conn)
        .await?;
    if let Some(uid) = actor.user_id {
        audit::record(conn, actor, "sign_out", "users", uid, None, None).await?;
    }
    Ok(())
}

fn authenticated(
    u: user::Model,
    session_id: Option<i64>,
    token_id: Option<i64>,
) -> AppResult<Authenticated> {
    if u.status != "active" {
        return Err(AppError::Unauthenticated);
    }
    let role = u
        .role
        .parse::<Role>()
        .map_err(|_| AppError::Internal(format!("user {} has unknown role", u.id)))?;
    Ok(Authenticated {
        user_id: u.id,
        username: u.username,
        display_name: u.display_name,
        role,
        session_id,
        token_id,
    })
}

/// Resolves a session cookie; sliding expiry, refreshed at most once a minute.
pub async fn authenticate_session<C: ConnectionTrait>(
    conn: &C,
    token: &str,
) -> AppResult<Authenticated> {
    let found = user_session::Entity::find()
        .filter(user_session::Column::TokenHash.eq(sha256_hex(token.as_bytes())))
        .find_also_related(user::Entity)
        .one(conn)
        .await?;
    let Some((session, Some(u))) = found else {
        return Err(AppError::Unauthenticated);
    };
    let t = now();
    if session.expires_at < t {
        return Err(AppError::Unauthenticated);
    }
    if t - session.last_seen_at > Duration::minutes(1) {
        let id = session.id;
        let mut am = session.into_active_model();
        am.last_seen_at = Set(t);
        am.expires_at = Set(t + SESSION_IDLE);
        am.update(conn).await?;
        return authenticated(u, Some(id), None);
    }
    authenticated(u, Some(session.id), None)
}

/// Resolves a bearer token (expired or revoked tokens are refused).
pub async fn authenticate_api_token<C: ConnectionTrait>(
    conn: &C,
    token: &str,
) -> AppResult<Authenticated> {
    let found = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(sha256_hex(token.as_bytes())))
        .find_also_related(user::Entity)
        .one(conn)
        .await?;
    let Some((tok, Some(u))) = found else {
        return Err(AppError::Unauthenticated);
    };
    let t = now();
    if tok.revoked_at.is_some() || tok.expires_at.is_some_and(|e| e < t) {
        return Err(AppError::Unauthenticated);
    }
    if tok
        .last_used_at
        .is_none_or(|l| t - l > Duration::minutes(1))
    {
        let id = tok.id;
        let mut am = tok.into_active_model();
        am.last_used_at = Set(Some(t));
        am.update(conn).await?;
        return authenticated(u, None, Some(id));
    }
    authenticated(u, None, Some(tok.id))
}

/// A newly issued token: the secret is shown once and never stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub id: i64,
    pub name: String,
    pub token: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Issues a named API token for a user.
pub async fn issue_api_token<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    user_id: i64,
    name: &str,
    valid_for: Option<Duration>,
) -> AppResult<IssuedToken> {
    let name = crate::domain::text::check_text("name", name, 100)?;
    if name.is_empty() {
        return Err(AppError::invalid(
            "name",
            "invalid_length",
            "name: give the token a name of 1 to 100 characters",
        ));
    }
    let token = format!("bb_{}", random_token(32));
    let t = now();
    let model = api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(name.to_string()),
        token_hash: Set(sha256_hex(token.as_bytes())),
        created_at: Set(t),
        expires_at: Set(valid_for.map(|d| t + d)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        "create",
        "api_tokens",
        model.id,
        None,
        audit::snapshot(&token_view(&model)),
    )
    .await?;
    Ok(IssuedToken {
        id: model.id,
        name: model.name,
        token,
        expires_at: model.expires_at,
    })
}

/// A token as its owner sees it in a list (never the secret).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn token_view(t: &api_token::Model) -> TokenView {
    TokenView {
        id: t.id,
        name: t.name.clone(),
        created_at: t.created_at,
        expires_at: t.expires_at,
        last_used_at: t.last_used_at,
        revoked_at: t.revoked_at,
    }
}

/// The user's own tokens, newest first.
pub async fn list_api_tokens<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> AppResult<Vec<TokenView>> {
    let tokens = api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user_id))
        .order_by_desc(api_token::Column::Id)
        .all(conn)
        .await?;
    Ok(tokens.iter().map(token_view).collect())
}

/// Revokes one of the user's tokens.
pub async fn revoke_api_token<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    user_id: i64,
    token_id: i64,
) -> AppResult<()> {
    let tok = api_token::Entity::find_by_id(token_id)
        .filter(api_token::Column::UserId.eq(user_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if tok.revoked_at.is_some() {
        return Ok(());
    }
    let before = audit::snapshot(&token_view(&tok));
    let mut am = tok.into_active_model();
    am.revoked_at = Set(Some(now()));
    let after = am.update(conn).await?;
    audit::record(
        conn,
        actor,
        "revoke",
        "api_tokens",
        token_id,
        before,
        audit::snapshot(&token_view(&after)),
    )
    .await?;
    Ok(())
}

/// Ends every browser session of a user (after a password change or disabling). Named API
/// tokens are separate credentials the user manages; a disabled account cannot use them.
pub async fn end_all_sessions<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    keep_session: Option<i64>,
) -> AppResult<()> {
    let mut q =
        user_session::Entity::delete_many().filter(user_session::Column::UserId.eq(user_id));
    if let Some(keep) = keep_session {
        q = q.filter(user_session::Column::Id.ne(keep));
    }
    q.exec(conn).await?;
    Ok(())
}
