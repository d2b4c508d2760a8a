//! Species viability constants: the table shipped with the program plus rows curators add.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};
use serde::Deserialize;

use entities::species_viability_constant;

use super::super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::viability::{SpeciesConstants, lookup};
use crate::error::{AppError, AppResult};

/// Species constants: the table shipped with the program plus rows curators added.
#[derive(Debug, Clone, Default)]
pub struct ConstantsBook {
    custom: Vec<SpeciesConstants>,
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl ConstantsBook {
    /// Loads the curators' rows.
    pub async fn load<C: ConnectionTrait>(conn: &C) -> AppResult<ConstantsBook> {
        let custom = species_viability_constant::Entity::find()
            .order_by_asc(species_viability_constant::Column::Id)
            .all(conn)
            .await?
            .into_iter()
            .map(|r| SpeciesConstants {
                genus: r.genus,
                species: r.species,
                qualifier: String::new(),
                single_temperature_fit: false,
                ke: r.ke,
                cw: r.cw,
                ch: r.ch,
                cq: r.cq,
                source: r.source,
            })
            .collect();
        Ok(ConstantsBook { custom })
    }

    /// A curator's row for the exact species first, then the shipped table's best match.
    pub fn find(&self, genus: &str, species: &str) -> Option<&SpeciesConstants> {
        let epithet = norm(species);
        self.custom
            .iter()
            .find(|c| {
                norm(&c.genus) == norm(genus) && norm(&c.species) == epithet && c.is_plausible()
            })
            .or_else(|| lookup(genus, species))
    }

    /// The curators' rows.
    pub fn custom(&self) -> &[SpeciesConstants] {
        &self.custom
    }
}

/// Constants a curator adds for a species the shipped table lacks (or to replace its fit).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSpeciesConstants {
    pub genus: String,
    pub species: String,
    pub ke: f64,
    pub cw: f64,
    /// Defaults to the universal 0.0329 (Dickie et al. 1990).
    pub ch: Option<f64>,
    /// Defaults to the universal 0.000478.
    pub cq: Option<f64>,
    /// The publication the fit comes from.
    pub source: String,
}

/// Adds a species' constants; refuses implausible fits and duplicates.
pub async fn add_species_constants<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    input: NewSpeciesConstants,
) -> AppResult<species_viability_constant::Model> {
    let mut errors = Vec::new();
    for (field, v) in [("genus", &input.genus), ("species", &input.species)] {
        let v = v.trim();
        if v.is_empty() || v.len() > 100 || v.chars().any(|c| c.is_control()) {
            errors.push(FieldError::new(
                field,
                "required",
                format!("{field}: give a name of 1–100 characters"),
            ));
        }
    }
    let source = input.source.trim();
    if source.is_empty() || source.len() > 500 {
        errors.push(FieldError::new(
            "source",
            "required",
            "source: cite where the constants come from (up to 500 characters)",
        ));
    }
    let c = SpeciesConstants {
        genus: input.genus.trim().into(),
        species: input.species.trim().into(),
        qualifier: String::new(),
        single_temperature_fit: input.ch.is_none(),
        ke: input.ke,
        cw: input.cw,
        ch: input.ch.unwrap_or(0.0329),
        cq: input.cq.unwrap_or(0.000478),
        source: source.into(),
    };
    if !c.ke.is_finite() || !(-50.0..=50.0).contains(&c.ke) {
        errors.push(FieldError::new("ke", "out_of_range", "ke: must be −50…50"));
    }
    if errors.is_empty() && !c.is_plausible() {
        errors.push(FieldError::new(
            "cw",
            "implausible",
            "cw: the fit is implausible (CW and CH must be positive, CH below 1, CQ not negative)",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let book = ConstantsBook::load(conn).await?;
    if book
        .custom
        .iter()
        .any(|x| norm(&x.genus) == norm(&c.genus) && norm(&x.species) == norm(&c.species))
    {
        return Err(AppError::conflict(
            "species",
            format!(
                "species: constants for {} {} were already added",
                c.genus, c.species
            ),
        ));
    }
    let row = species_viability_constant::ActiveModel {
        genus: Set(c.genus),
        species: Set(c.species),
        ke: Set(c.ke),
        cw: Set(c.cw),
        ch: Set(c.ch),
        cq: Set(c.cq),
        source: Set(c.source),
        created_by: Set(actor.user_id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        "create",
        "species_viability_constants",
        row.id,
        None,
        audit::snapshot(&row),
    )
    .await?;
    Ok(row)
}
