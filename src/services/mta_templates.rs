//! The repository's own agreement texts, edited by admins. Every save is a new version of
//! its kind (`smta` or `ubmta`); nothing is overwritten, and each issued agreement records
//! the version it used.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use entities::mta_template;

use super::requests::Caller;
use super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::mta::{MtaKind, check_template_body};
use crate::error::{AppError, AppResult, is_unique_violation};

/// One saved version of an agreement text.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TemplateView {
    pub id: i64,
    pub name: String,
    /// `smta` or `ubmta`.
    pub kind: String,
    pub version: i32,
    pub language: Option<String>,
    pub body: String,
    pub created_by: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<mta_template::Model> for TemplateView {
    fn from(t: mta_template::Model) -> Self {
        TemplateView {
            id: t.id,
            name: t.name,
            kind: t.kind,
            version: t.version,
            language: t.language,
            body: t.body,
            created_by: t.created_by,
            created_at: t.created_at,
        }
    }
}

/// What an admin submits to save a new version.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewTemplate {
    /// `smta` or `ubmta`: which agreements this text is used for.
    pub kind: String,
    pub name: String,
    /// `en`, `zh-CN`, …
    pub language: Option<String>,
    /// Paragraphs separated by blank lines; `## ` starts a heading.
    pub body: String,
}

/// The newest version of `kind`, if an admin saved one.
pub async fn current<C: ConnectionTrait>(
    conn: &C,
    kind: MtaKind,
) -> AppResult<Option<mta_template::Model>> {
    Ok(mta_template::Entity::find()
        .filter(mta_template::Column::Kind.eq(kind.as_str()))
        .order_by_desc(mta_template::Column::Version)
        .one(conn)
        .await?)
}

/// Every saved version, newest first within each kind.
pub async fn list<C: ConnectionTrait>(conn: &C) -> AppResult<Vec<TemplateView>> {
    Ok(mta_template::Entity::find()
        .order_by_asc(mta_template::Column::Kind)
        .order_by_desc(mta_template::Column::Version)
        .all(conn)
        .await?
        .into_iter()
        .map(TemplateView::from)
        .collect())
}

/// Saves a new version of an agreement text (admins only).
pub async fn save<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    caller: Caller,
    input: NewTemplate,
) -> AppResult<TemplateView> {
    if caller.role != crate::domain::material::Role::Admin {
        return Err(AppError::forbidden());
    }
    let mut errors = Vec::new();
    let kind = input
        .kind
        .trim()
        .parse::<MtaKind>()
        .map_err(|e| errors.push(e.to_field_error("kind")))
        .ok();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new(
            "name",
            "required",
            "name: give the text a name of 1 to 200 characters",
        ));
    }
    let body = check_template_body(&input.body)
        .map_err(|e| errors.push(e))
        .ok();
    let language = input
        .language
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    if language.as_ref().is_some_and(|l| l.chars().count() > 20) {
        errors.push(FieldError::new(
            "language",
            "too_long",
            "language: use a short language code such as en or zh-CN",
        ));
    }
    let (Some(kind), Some(body), true) = (kind, body, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let txn = db.begin().await?;
    // A name belongs to one kind (names and versions are unique together).
    let clash = mta_template::Entity::find()
        .filter(mta_template::Column::Name.eq(name.clone()))
        .filter(mta_template::Column::Kind.ne(kind.as_str()))
        .one(&txn)
        .await?;
    if let Some(other) = clash {
        return Err(AppError::invalid(
            "name",
            "taken",
            format!(
                "name: '{name}' already names the {} text; choose another name",
                other.kind
            ),
        ));
    }
    let version = current(&txn, kind).await?.map_or(1, |t| t.version + 1);
    let t = mta_template::ActiveModel {
        name: Set(name),
        kind: Set(kind.as_str().into()),
        version: Set(version),
        language: Set(language),
        body: Set(body),
        created_by: Set(Some(caller.user_id)),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::conflict(
                "version",
                "version: someone saved this text at the same moment; reload and save again",
            )
        } else {
            e.into()
        }
    })?;
    audit::record(
        &txn,
        actor,
        "create",
        "mta_templates",
        t.id,
        None,
        audit::snapshot(&t),
    )
    .await?;
    txn.commit().await?;
    Ok(t.into())
}
