//! What every HTML page needs: language, the signed-in user, the CSRF token, the current path.

use rocket::outcome::Outcome;
use rocket::request::{self, FlashMessage, FromRequest, Request};

use crate::AppState;
use crate::domain::material::Role;
use crate::i18n::Lang;
use crate::services::sessions::Authenticated;

use super::guards::{MaybeUser, csrf_token, request_lang};

/// The frame around every page.
pub struct PageCtx {
    pub lang: Lang,
    pub user: Option<Authenticated>,
    pub csrf: String,
    pub path: String,
    /// A one-time notice after a redirect: (kind, catalog key or text).
    pub flash: Option<(String, String)>,
}

impl PageCtx {
    /// Translates a catalog key.
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// The `lang` attribute for `<html>`.
    pub fn html_lang(&self) -> &'static str {
        self.lang.code()
    }

    /// The flash text, translated when it is a catalog key.
    pub fn flash_text(&self) -> Option<String> {
        self.flash.as_ref().map(|(_, m)| {
            if crate::i18n::has_key(m) {
                self.t(m).to_string()
            } else {
                m.clone()
            }
        })
    }

    /// `ok` or `error`, for the flash's styling.
    pub fn flash_kind(&self) -> &str {
        self.flash.as_ref().map(|(k, _)| k.as_str()).unwrap_or("ok")
    }

    fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.role)
    }

    /// Signed in at all.
    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// Curator or admin.
    pub fn is_curator(&self) -> bool {
        self.role().is_some_and(Role::can_curate)
    }

    /// Technician, curator or admin.
    pub fn is_staff(&self) -> bool {
        self.role().is_some_and(Role::can_handle_samples)
    }

    /// Admin.
    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    /// The signed-in user's display name.
    pub fn user_name(&self) -> &str {
        self.user
            .as_ref()
            .map(|u| u.display_name.as_str())
            .unwrap_or("")
    }

    /// The link that switches to the other language and comes back here.
    pub fn other_lang_href(&self) -> String {
        let code = match self.lang {
            Lang::En => "zh",
            Lang::Zh => "en",
        };
        format!(
            "/lang/{code}?next={}",
            crate::web::pages::url_encode(&self.path)
        )
    }

    /// The other language's own name.
    pub fn other_lang_name(&self) -> &'static str {
        match self.lang {
            Lang::En => "中文",
            Lang::Zh => "English",
        }
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for PageCtx {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        let secure = req
            .rocket()
            .state::<AppState>()
            .is_some_and(|s| s.config.secure_cookies());
        let user = match req.guard::<MaybeUser>().await {
            Outcome::Success(MaybeUser(u)) => u,
            _ => None,
        };
        let flash = match req.guard::<Option<FlashMessage<'_>>>().await {
            Outcome::Success(Some(f)) => Some((f.kind().to_string(), f.message().to_string())),
            _ => None,
        };
        Outcome::Success(PageCtx {
            lang: request_lang(req),
            user,
            csrf: csrf_token(req.cookies(), secure),
            path: req.uri().to_string(),
            flash,
        })
    }
}
