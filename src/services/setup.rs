//! First start: the cookie key and the one-time setup link for the first admin.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait};

use entities::app_setting;

use super::users::{NewUser, count_users, create_user};
use super::{Actor, now, random_token, sha256_hex};
use crate::domain::material::Role;
use crate::error::{AppError, AppResult};

const SECRET_KEY: &str = "secret_key";
const SETUP_TOKEN: &str = "setup_token_sha256";

async fn get<C: ConnectionTrait>(conn: &C, key: &str) -> AppResult<Option<String>> {
    Ok(app_setting::Entity::find_by_id(key.to_string())
        .one(conn)
        .await?
        .map(|s| s.value))
}

async fn put<C: ConnectionTrait>(conn: &C, key: &str, value: &str) -> AppResult<()> {
    let am = app_setting::ActiveModel {
        key: Set(key.to_string()),
        value: Set(value.to_string()),
        updated_at: Set(now()),
    };
    if get(conn, key).await?.is_some() {
        am.update(conn).await?;
    } else {
        am.insert(conn).await?;
    }
    Ok(())
}

/// The cookie key: the configured one, else one generated on first start and kept.
pub async fn secret_key<C: ConnectionTrait>(
    conn: &C,
    configured: Option<&str>,
) -> AppResult<Vec<u8>> {
    use base64::Engine;
    let engine = base64::engine::general_purpose::STANDARD;
    if let Some(k) = configured {
        return match engine.decode(k.trim()) {
            Ok(bytes) if bytes.len() >= 64 => Ok(bytes),
            _ if k.len() >= 64 => Ok(k.as_bytes().to_vec()),
            _ => Err(AppError::Internal(
                "BIOBANK_SECRET_KEY must be at least 64 bytes (e.g. `openssl rand -base64 64`)"
                    .into(),
            )),
        };
    }
    if let Some(stored) = get(conn, SECRET_KEY).await? {
        return engine
            .decode(stored)
            .map_err(|e| AppError::Internal(format!("stored secret key: {e}")));
    }
    let mut key = vec![0u8; 64];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut key);
    put(conn, SECRET_KEY, &engine.encode(&key)).await?;
    Ok(key)
}

/// When no user exists, issues a fresh one-time setup token (the old one stops working).
pub async fn issue_setup_token<C: ConnectionTrait>(conn: &C) -> AppResult<Option<String>> {
    if count_users(conn).await? > 0 {
        return Ok(None);
    }
    let token = random_token(24);
    put(conn, SETUP_TOKEN, &sha256_hex(token.as_bytes())).await?;
    Ok(Some(token))
}

/// True when the token opens the first-run setup.
pub async fn setup_token_valid<C: ConnectionTrait>(conn: &C, token: &str) -> AppResult<bool> {
    if count_users(conn).await? > 0 {
        return Ok(false);
    }
    Ok(get(conn, SETUP_TOKEN).await?.is_some_and(|h| {
        super::sessions::constant_time_eq(h.as_bytes(), sha256_hex(token.as_bytes()).as_bytes())
    }))
}

/// Creates the first admin through the setup link, then closes the link.
pub async fn complete_setup<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    ip: Option<String>,
    mut input: NewUser,
) -> AppResult<super::users::UserView> {
    if !setup_token_valid(db, token).await? {
        return Err(AppError::NotFound);
    }
    input.role = Role::Admin;
    let actor = Actor {
        user_id: None,
        name: "setup".into(),
        ip,
    };
    let view = create_user(db, &actor, input, "active").await?;
    app_setting::Entity::delete_by_id(SETUP_TOKEN.to_string())
        .exec(db)
        .await?;
    Ok(view)
}
