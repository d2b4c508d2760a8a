//! The distribution-request lifecycle as a pure state machine (DESIGN.md "Request lifecycle"):
//! which action moves a request from which state to which, and which party may take it.

use super::string_enum;

string_enum! {
    /// Where a distribution request stands.
    pub enum RequestStatus("request status") {
        Draft = "draft" => "Draft",
        Submitted = "submitted" => "Submitted",
        UnderReview = "under_review" => "Under review",
        Approved = "approved" => "Approved",
        PartiallyApproved = "partially_approved" => "Partially approved",
        Rejected = "rejected" => "Rejected",
        MtaPending = "mta_pending" => "MTA pending",
        MtaAccepted = "mta_accepted" => "MTA accepted",
        Picking = "picking" => "Picking",
        Shipped = "shipped" => "Shipped",
        Received = "received" => "Received",
        Closed = "closed" => "Closed",
        Cancelled = "cancelled" => "Cancelled",
    }
}

string_enum! {
    /// What someone does to a request (`POST /api/v1/requests/{id}/{action}`).
    pub enum RequestAction("request action") {
        Submit = "submit" => "Submit",
        Review = "review" => "Start review",
        Approve = "approve" => "Approve",
        Reject = "reject" => "Reject",
        Cancel = "cancel" => "Cancel",
        AcceptMta = "accept-mta" => "Accept the MTA",
        Pick = "pick" => "Start picking",
        Ship = "ship" => "Ship",
        Receive = "receive" => "Confirm receipt",
        Feedback = "feedback" => "Give feedback",
    }
}

string_enum! {
    /// What the requested material will be used for.
    pub enum IntendedUse("intended use") {
        Research = "research" => "Research",
        Breeding = "breeding" => "Breeding",
        Training = "training" => "Training",
        Other = "other" => "Other",
    }
}

string_enum! {
    /// A document a request may need before it can be approved.
    pub enum DocumentType("document type") {
        EthicsApproval = "ethics_approval" => "Ethics approval",
        BiosafetyPermit = "biosafety_permit" => "Biosafety permit",
        ImportPermit = "import_permit" => "Import permit",
        Other = "other" => "Other document",
    }
}

/// Who stands on which side of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The person who made the request.
    Requester,
    /// A curator (or admin) deciding on it.
    Curator,
    /// Staff who pick and ship (technicians, curators, admins).
    Staff,
}

/// Why an action cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The action does not apply in the request's current state.
    #[error("a request that is {from} cannot be given the action '{action}'")]
    NotAllowed {
        /// The current state.
        from: RequestStatus,
        /// The refused action.
        action: RequestAction,
    },
}

impl RequestStatus {
    /// True for the states a request never leaves.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            RequestStatus::Rejected | RequestStatus::Closed | RequestStatus::Cancelled
        )
    }

    /// True while the request holds reservations that shipping or cancelling must settle.
    pub fn holds_reservation(self) -> bool {
        matches!(
            self,
            RequestStatus::Approved
                | RequestStatus::PartiallyApproved
                | RequestStatus::MtaPending
                | RequestStatus::MtaAccepted
                | RequestStatus::Picking
        )
    }
}

impl RequestAction {
    /// The parties allowed to take this action.
    pub fn parties(self) -> &'static [Party] {
        use Party::*;
        match self {
            RequestAction::Submit | RequestAction::AcceptMta | RequestAction::Feedback => {
                &[Requester]
            }
            RequestAction::Review | RequestAction::Approve | RequestAction::Reject => &[Curator],
            RequestAction::Cancel => &[Requester, Curator],
            RequestAction::Pick | RequestAction::Ship => &[Staff],
            RequestAction::Receive => &[Requester, Staff],
        }
    }
}

/// The state `action` leads to from `from`. Approval leads to `Approved`; the service turns it
/// into `PartiallyApproved` when less than requested was granted.
pub fn next_status(
    from: RequestStatus,
    action: RequestAction,
) -> Result<RequestStatus, TransitionError> {
    use RequestAction as A;
    use RequestStatus as S;
    let to = match (action, from) {
        (A::Submit, S::Draft) => S::Submitted,
        (A::Review, S::Submitted) => S::UnderReview,
        (A::Approve, S::UnderReview) => S::Approved,
        (A::Reject, S::Submitted | S::UnderReview) => S::Rejected,
        (A::AcceptMta, S::Approved | S::PartiallyApproved | S::MtaPending) => S::MtaAccepted,
        (A::Pick, S::MtaAccepted) => S::Picking,
        (A::Ship, S::Picking) => S::Shipped,
        (A::Receive, S::Shipped) => S::Received,
        (A::Feedback, S::Received) => S::Closed,
        (
            A::Cancel,
            S::Draft
            | S::Submitted
            | S::UnderReview
            | S::Approved
            | S::PartiallyApproved
            | S::MtaPending
            | S::MtaAccepted
            | S::Picking,
        ) => S::Cancelled,
        _ => return Err(TransitionError::NotAllowed { from, action }),
    };
    Ok(to)
}

/// The documents a request must carry before approval, given each item's material:
/// ethics approval for human material, a biosafety permit for risk group 2 or higher.
pub fn required_documents(human_material: bool, max_risk_group: Option<i32>) -> Vec<DocumentType> {
    let mut docs = Vec::new();
    if human_material {
        docs.push(DocumentType::EthicsApproval);
    }
    if max_risk_group.is_some_and(|g| g >= 2) {
        docs.push(DocumentType::BiosafetyPermit);
    }
    docs
}

/// Validates a feedback rating (1–5).
pub fn check_rating(rating: i32) -> Result<i32, super::FieldError> {
    if (1..=5).contains(&rating) {
        Ok(rating)
    } else {
        Err(super::FieldError::new(
            "rating",
            "out_of_range",
            format!("rating: must be a whole number from 1 to 5, got {rating}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestAction as A;
    use RequestStatus as S;

    #[test]
    fn the_happy_path_runs_from_draft_to_closed() {
        let mut s = S::Draft;
        for a in [
            A::Submit,
            A::Review,
            A::Approve,
            A::AcceptMta,
            A::Pick,
            A::Ship,
            A::Receive,
            A::Feedback,
        ] {
            s = next_status(s, a).unwrap();
        }
        assert_eq!(s, S::Closed);
    }

    #[test]
    fn anything_before_shipping_can_be_cancelled_and_nothing_after() {
        for &from in S::ALL {
            let ok = next_status(from, A::Cancel).is_ok();
            let before_shipping = !from.is_final()
                && !matches!(from, S::Shipped | S::Received)
                && from != S::Rejected;
            assert_eq!(ok, before_shipping, "cancel from {from}");
        }
    }

    #[test]
    fn approval_needs_review_first_and_picking_needs_the_mta() {
        assert!(next_status(S::Submitted, A::Approve).is_err());
        assert!(next_status(S::Approved, A::Pick).is_err());
        assert_eq!(
            next_status(S::PartiallyApproved, A::AcceptMta),
            Ok(S::MtaAccepted)
        );
        assert_eq!(
            next_status(S::Shipped, A::Cancel),
            Err(TransitionError::NotAllowed {
                from: S::Shipped,
                action: A::Cancel
            })
        );
    }

    #[test]
    fn final_states_accept_no_action() {
        for &from in S::ALL.iter().filter(|s| s.is_final()) {
            for &a in A::ALL {
                assert!(next_status(from, a).is_err(), "{a} from {from}");
            }
        }
    }

    #[test]
    fn only_the_right_party_acts() {
        assert_eq!(A::Approve.parties(), &[Party::Curator]);
        assert!(A::Cancel.parties().contains(&Party::Requester));
        assert!(!A::Ship.parties().contains(&Party::Requester));
    }

    #[test]
    fn required_documents_follow_material_and_risk() {
        assert!(required_documents(false, Some(1)).is_empty());
        assert_eq!(
            required_documents(true, Some(2)),
            vec![DocumentType::EthicsApproval, DocumentType::BiosafetyPermit]
        );
        assert_eq!(
            required_documents(false, Some(3)),
            vec![DocumentType::BiosafetyPermit]
        );
    }

    #[test]
    fn ratings_are_one_to_five() {
        assert!(check_rating(0).is_err());
        assert_eq!(check_rating(5), Ok(5));
        assert_eq!(check_rating(6).unwrap_err().field, "rating");
    }
}
