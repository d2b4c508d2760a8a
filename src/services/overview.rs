//! The numbers on the start page.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use entities::{accession, sample, user};

use crate::error::AppResult;

/// Counts a signed-in person sees on the start page.
#[derive(Debug, Default, Clone, Copy)]
pub struct Overview {
    pub accessions: u64,
    pub samples: u64,
    pub pending_users: u64,
}

/// Holdings for staff; pending registrations only for those who may approve them.
pub async fn overview<C: ConnectionTrait>(
    conn: &C,
    staff: bool,
    curator: bool,
) -> AppResult<Overview> {
    let mut o = Overview::default();
    if staff {
        o.accessions = accession::Entity::find().count(conn).await?;
        o.samples = sample::Entity::find().count(conn).await?;
    }
    if curator {
        o.pending_users = user::Entity::find()
            .filter(user::Column::Status.eq("pending"))
            .count(conn)
            .await?;
    }
    Ok(o)
}
