//! Agreement pages: the MTA PDF and the packing list, the signed-copy upload and its
//! confirmation, and the admins' editor for the repository's own (versioned) agreement texts.

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::fs::TempFile;
use rocket::http::ContentType;
use rocket::response::{Flash, Redirect};
use rocket::tokio::io::AsyncReadExt;
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::documents::texts;
use crate::domain::mta::MtaKind;
use crate::error::{AppError, AppResult};
use crate::impl_csrf;
use crate::services::mta_templates::{self, NewTemplate, TemplateView};
use crate::services::requests::Caller;
use crate::services::{mta_reports, mta_signed, mtas};
use crate::web::forms::CsrfForm;
use crate::web::guards::{Admin, AuthUser, ClientIp, Curator, Staff};
use crate::web::page::PageCtx;
use crate::web::pages::labels::{Download, download};

fn caller(user: &crate::services::sessions::Authenticated) -> Caller {
    Caller {
        user_id: user.user_id,
        role: user.role,
    }
}

#[get("/requests/<id>/mta.pdf")]
async fn mta_pdf(user: AuthUser, state: &State<AppState>, id: i64) -> AppResult<Download> {
    let (name, bytes) = mtas::pdf(&state.db, caller(&user), id).await?;
    Ok(download(bytes, ContentType::PDF, name))
}

#[get("/requests/<id>/packing-list.pdf")]
async fn packing_list_pdf(user: Staff, state: &State<AppState>, id: i64) -> AppResult<Download> {
    let (name, bytes) =
        mta_reports::packing_list(&state.db, &state.config, caller(&user), id).await?;
    Ok(download(bytes, ContentType::PDF, name))
}

#[derive(FromForm)]
struct SignedCopyForm<'r> {
    csrf_token: String,
    file: TempFile<'r>,
}

#[derive(Debug, FromForm)]
struct ConfirmForm {
    csrf_token: String,
}

#[derive(Debug, FromForm)]
struct TemplateForm {
    csrf_token: String,
    kind: String,
    name: String,
    language: Option<String>,
    body: String,
}

impl_csrf!(SignedCopyForm<'_>, ConfirmForm, TemplateForm);

#[post("/requests/<id>/mta/signed-copy", data = "<form>")]
async fn upload_signed_copy(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<SignedCopyForm<'_>>,
) -> AppResult<Flash<Redirect>> {
    let file = form.0.file;
    if file.len() as usize > mta_signed::MAX_SIGNED_COPY_BYTES {
        return Err(AppError::TooLarge {
            limit: mta_signed::MAX_SIGNED_COPY_BYTES as u64,
        });
    }
    let filename = file
        .name()
        .map(|n| format!("{n}.pdf"))
        .unwrap_or_else(|| "signed-mta.pdf".into());
    let mut data = Vec::new();
    file.open()
        .await
        .map_err(|e| AppError::Internal(format!("signed copy: {e}")))?
        .read_to_end(&mut data)
        .await
        .map_err(|e| AppError::Internal(format!("signed copy: {e}")))?;
    mta_signed::upload_signed_copy(
        &state.db,
        &user.actor(ip.0),
        caller(&user),
        id,
        &filename,
        &data,
    )
    .await?;
    Ok(Flash::success(
        Redirect::to(format!("/requests/{id}")),
        "mta.signed_copy_uploaded",
    ))
}

#[post("/requests/<id>/mta/confirm", data = "<_form>")]
async fn confirm_signed_copy(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    _form: CsrfForm<ConfirmForm>,
) -> AppResult<Flash<Redirect>> {
    mta_signed::confirm_signed_copy(&state.db, &user.actor(ip.0), caller(&user), id).await?;
    Ok(Flash::success(
        Redirect::to(format!("/requests/{id}")),
        "mta.signed_copy_confirmed",
    ))
}

/// One agreement kind on the editor page: its current text (the admin's newest version, or
/// the built-in text) and the versions saved so far.
struct KindText {
    kind: &'static str,
    label: &'static str,
    current: String,
    version: Option<i32>,
    versions: Vec<TemplateView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "mtas/templates.html")]
struct TemplatesPage {
    ctx: PageCtx,
    kinds: Vec<KindText>,
}

#[get("/admin/mta-templates")]
async fn templates_page(
    ctx: PageCtx,
    _admin: Admin,
    state: &State<AppState>,
) -> AppResult<TemplatesPage> {
    let all = mta_templates::list(&state.db).await?;
    let kinds = MtaKind::ALL
        .iter()
        .map(|k| {
            let versions: Vec<TemplateView> = all
                .iter()
                .filter(|t| t.kind == k.as_str())
                .cloned()
                .collect();
            let newest = versions.first();
            KindText {
                kind: k.as_str(),
                label: k.label(),
                current: newest.map(|t| t.body.clone()).unwrap_or_else(|| {
                    match k {
                        MtaKind::Smta => texts::SMTA,
                        MtaKind::Ubmta => texts::UBMTA,
                    }
                    .to_string()
                }),
                version: newest.map(|t| t.version),
                versions,
            }
        })
        .collect();
    Ok(TemplatesPage { ctx, kinds })
}

#[post("/admin/mta-templates", data = "<form>")]
async fn save_template(
    admin: Admin,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<TemplateForm>,
) -> AppResult<Flash<Redirect>> {
    let f = form.0;
    let input = NewTemplate {
        kind: f.kind,
        name: f.name,
        language: f.language,
        body: f.body,
    };
    mta_templates::save(&state.db, &admin.actor(ip.0), caller(&admin), input).await?;
    Ok(Flash::success(
        Redirect::to("/admin/mta-templates"),
        "mta.template_saved",
    ))
}

/// The agreement pages.
pub fn routes() -> Vec<Route> {
    routes![
        mta_pdf,
        packing_list_pdf,
        upload_signed_copy,
        confirm_signed_copy,
        templates_page,
        save_template
    ]
}
