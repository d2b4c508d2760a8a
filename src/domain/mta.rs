//! Material-transfer agreement rules: which agreement a transfer travels under, how it is
//! numbered, when a signed copy may be uploaded and confirmed, and what an admin's own
//! agreement text must look like.

use super::FieldError;
use super::requests::RequestStatus;
use super::string_enum;

string_enum! {
    /// Which agreement a transfer travels under.
    pub enum MtaKind("agreement kind") {
        Smta = "smta" => "Standard Material Transfer Agreement (SMTA)",
        Ubmta = "ubmta" => "Material Transfer Agreement (UBMTA-style)",
    }
}

string_enum! {
    /// How the recipient accepted the agreement.
    pub enum AcceptanceType("acceptance type") {
        ClickWrap = "click_wrap" => "Click-wrap (accepted online)",
        Signature = "signature" => "Signature (signed copy received)",
        ShrinkWrap = "shrink_wrap" => "Shrink-wrap (opening the parcel)",
    }
}

/// The longest agreement text an admin may save, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 100_000;

/// Plant genetic resources of the Multilateral System (MCPD MLSSTAT = 1) travel under the
/// SMTA; a transfer with anything else travels under the UBMTA-style agreement.
pub fn kind_for(mls_statuses: &[Option<&str>]) -> MtaKind {
    if !mls_statuses.is_empty() && mls_statuses.iter().all(|s| s.map(str::trim) == Some("1")) {
        MtaKind::Smta
    } else {
        MtaKind::Ubmta
    }
}

/// The agreement's identifier, unique per provider: `CHN001-SMTA-2026-00042`.
pub fn agreement_number(institute_code: &str, kind: MtaKind, year: i32, request_id: i64) -> String {
    let tag = match kind {
        MtaKind::Smta => "SMTA",
        MtaKind::Ubmta => "MTA",
    };
    format!("{}-{tag}-{year}-{request_id:05}", institute_code.trim())
}

/// The state a request moves to when its requester uploads a signed copy: it waits for a
/// curator's confirmation (`mta_pending`). Refused once the agreement has been accepted.
pub fn after_signed_copy_upload(from: RequestStatus) -> Result<RequestStatus, String> {
    match from {
        RequestStatus::Approved | RequestStatus::PartiallyApproved | RequestStatus::MtaPending => {
            Ok(RequestStatus::MtaPending)
        }
        other => Err(format!(
            "a signed copy can be uploaded only while the agreement awaits acceptance (the request is {other})"
        )),
    }
}

/// The state a request moves to when a curator confirms the uploaded signed copy.
pub fn after_signed_copy_confirmed(from: RequestStatus) -> Result<RequestStatus, String> {
    match from {
        RequestStatus::MtaPending => Ok(RequestStatus::MtaAccepted),
        other => Err(format!(
            "there is no signed copy waiting for confirmation (the request is {other})"
        )),
    }
}

/// Checks an admin's agreement text: not empty, not too long.
pub fn check_template_body(body: &str) -> Result<String, FieldError> {
    let body = body.replace("\r\n", "\n");
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(
            "body",
            "required",
            "body: the agreement text is required",
        ));
    }
    if trimmed.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(FieldError::new(
            "body",
            "too_long",
            format!("body: must be at most {MAX_TEMPLATE_CHARS} characters"),
        ));
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_all_multilateral_system_transfer_gets_the_smta() {
        assert_eq!(kind_for(&[Some("1"), Some("1")]), MtaKind::Smta);
        assert_eq!(kind_for(&[Some("1"), Some("0")]), MtaKind::Ubmta);
        assert_eq!(kind_for(&[Some("1"), None]), MtaKind::Ubmta);
        assert_eq!(kind_for(&[]), MtaKind::Ubmta);
    }

    #[test]
    fn agreement_numbers_name_the_provider_kind_year_and_request() {
        assert_eq!(
            agreement_number("CHN001", MtaKind::Smta, 2026, 42),
            "CHN001-SMTA-2026-00042"
        );
        assert_eq!(
            agreement_number("CHN001", MtaKind::Ubmta, 2026, 123456),
            "CHN001-MTA-2026-123456"
        );
    }

    #[test]
    fn a_signed_copy_waits_for_confirmation_and_cannot_follow_acceptance() {
        use RequestStatus as S;
        assert_eq!(after_signed_copy_upload(S::Approved), Ok(S::MtaPending));
        assert_eq!(after_signed_copy_upload(S::MtaPending), Ok(S::MtaPending));
        assert!(after_signed_copy_upload(S::MtaAccepted).is_err());
        assert!(after_signed_copy_upload(S::UnderReview).is_err());
        assert_eq!(
            after_signed_copy_confirmed(S::MtaPending),
            Ok(S::MtaAccepted)
        );
        assert!(after_signed_copy_confirmed(S::Approved).is_err());
    }

    #[test]
    fn template_text_must_not_be_blank() {
        assert!(check_template_body("  \n ").is_err());
        assert_eq!(check_template_body(" a\r\nb ").unwrap(), "a\nb");
        assert!(check_template_body(&"x".repeat(MAX_TEMPLATE_CHARS + 1)).is_err());
    }
}
