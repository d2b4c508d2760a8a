//! The OpenAPI document (generated from the handlers and the field registry) and `/health`.

use rocket::serde::json::Json;
use rocket::{Route, State, get, routes};
use serde::Serialize;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as OpenApiDoc, RefOr};
use utoipa::{Modify, OpenApi};

use crate::AppState;
use crate::domain::material::MaterialType;
use crate::error::{AppError, AppResult};
use crate::services::fields::{FIELDS, Kind};

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(title = "biobank API", description = "Accessions, samples, users and the audit trail of a biological resource repository. Authenticate with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}`."),
    paths(
        health,
        super::auth::token, super::auth::list_tokens, super::auth::create_token, super::auth::revoke_token,
        super::auth::me, super::auth::change_password, super::auth::register,
        super::accessions::list, super::accessions::create, super::accessions::show, super::accessions::update,
        super::accessions::deaccession,
        super::samples::list, super::samples::create, super::samples::show, super::samples::ledger_of,
        super::users::list, super::users::create, super::users::update,
        super::audit::list,
        crate::web::pages::labels::print, crate::web::pages::labels::sample_label_pdf,
        crate::web::pages::labels::sample_label_zpl, crate::web::pages::labels::unit_label_pdf,
        crate::web::pages::labels::unit_label_zpl, crate::web::pages::labels::labels_pdf,
        crate::web::pages::labels::labels_zpl,
        super::storage::tree, super::storage::create, super::storage::from_template, super::storage::box_types,
        super::storage::free_space, super::storage::show, super::storage::update, super::storage::move_unit,
        super::storage::stock_take,
        super::custody::scan, super::custody::store, super::custody::move_sample, super::custody::check_out,
        super::custody::check_in, super::custody::aliquot, super::custody::thaw, super::custody::freeze,
        super::custody::discard, super::custody::mark_missing,
        super::picking::pick_list, super::picking::confirm,
        super::viability::create, super::viability::of_sample, super::viability::worklist, super::viability::regenerate,
        super::viability::policies, super::viability::save_policy, super::viability::species_constants,
        super::viability::add_species,
        super::requests::create, super::requests::list, super::requests::show, super::requests::upload_document,
        super::requests::act,
        super::mtas::mta_pdf, super::mtas::upload_signed_copy, super::mtas::confirm_signed_copy,
        super::mtas::list_templates, super::mtas::save_template, super::mtas::smta_report, super::reports::sharing,
        super::exports::export, super::exports::registered,
        crate::web::brapi::serverinfo, crate::web::brapi::commoncropnames, crate::web::brapi::germplasm,
        crate::web::brapi::germplasm_one, crate::web::brapi::germplasm_mcpd, crate::web::brapi::seedlots,
        crate::web::brapi::seedlot, crate::web::brapi::all_transactions, crate::web::brapi::seedlot_transactions,
    ),
    components(schemas(super::ErrorBody, super::ErrorDetail, Health)),
    modifiers(&Registry),
    tags((name = "auth"), (name = "accessions"), (name = "samples"), (name = "users"), (name = "audit"), (name = "viability"), (name = "storage"), (name = "custody"), (name = "requests"), (name = "exports"), (name = "brapi"))
)]
pub struct ApiDoc;

/// Adds what the derive cannot see: the bearer scheme and the accession schemas, which come
/// from the field registry so they cannot drift from what the server checks.
struct Registry;

fn field_schema(kind: Kind) -> Schema {
    let b = ObjectBuilder::new();
    let b = match kind {
        Kind::Int(min, max) => b
            .schema_type(Type::Integer)
            .minimum(Some(min))
            .maximum(Some(max)),
        Kind::Float(min, max) => b
            .schema_type(Type::Number)
            .minimum(Some(min))
            .maximum(Some(max)),
        Kind::Bool => b.schema_type(Type::Boolean),
        Kind::Choice(values) => b
            .schema_type(Type::String)
            .enum_values(Some(values.iter().copied())),
        Kind::Text(max) | Kind::LongText(max) => b.schema_type(Type::String).max_length(Some(max)),
        Kind::PartialDate => b
            .schema_type(Type::String)
            .pattern(Some("^[0-9]{4}([0-9-]{2}){2}$")),
        Kind::DateTime => b
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        Kind::Rule(_) => b.schema_type(Type::String),
    };
    b.into()
}

fn accession_schema(input: bool) -> Schema {
    let mut b = ObjectBuilder::new().schema_type(Type::Object).property(
        "material_type",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(MaterialType::KEYS.iter().copied())),
    );
    if input {
        b = b.required("material_type").required("accession_number");
    } else {
        for (name, t) in [
            ("id", Type::Integer),
            ("pid", Type::String),
            ("taxon_name", Type::String),
            ("status", Type::String),
        ] {
            b = b
                .property(name, ObjectBuilder::new().schema_type(t))
                .required(name);
        }
    }
    for spec in FIELDS {
        let types: Vec<&str> = MaterialType::ALL
            .iter()
            .filter(|t| spec.scope.covers(**t))
            .map(|t| t.as_str())
            .collect();
        let mut schema = field_schema(spec.kind);
        if let Schema::Object(o) = &mut schema {
            o.description = Some(format!("material types: {}", types.join(", ")));
        }
        b = b.property(spec.name, schema);
    }
    b.into()
}

impl Modify for Registry {
    fn modify(&self, doc: &mut OpenApiDoc) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components
            .schemas
            .insert("AccessionInput".into(), RefOr::T(accession_schema(true)));
        components
            .schemas
            .insert("Accession".into(), RefOr::T(accession_schema(false)));
    }
}

/// The server's health.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`
    pub status: &'static str,
    /// `sqlite` or `postgres`
    pub database: &'static str,
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/health", tag = "auth", responses((status = 200, body = Health), (status = 500, body = super::ErrorBody)))]
#[get("/health")]
pub async fn health(state: &State<AppState>) -> AppResult<Json<Health>> {
    state
        .db
        .ping()
        .await
        .map_err(|e| AppError::Internal(format!("database unreachable: {e}")))?;
    Ok(Json(Health {
        status: "ok",
        database: crate::db::backend_name(&state.db),
    }))
}

/// Routes of this area (the document itself is served with the Swagger UI).
pub fn routes() -> Vec<Route> {
    routes![health]
}
