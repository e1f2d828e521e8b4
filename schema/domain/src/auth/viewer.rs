//! Who is making a request, and the role and ownership checks every resolver applies.
use crate::enums::{AccreditationStatus, Role};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct ViewerAccount {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    pub spokesperson_id: Option<Uuid>,
    /// The unit a spokesperson speaks for.
    pub unit_id: Option<Uuid>,
    /// End of the spokesperson's term, if ended or ending.
    pub spokesperson_until: Option<DateTime<Utc>>,
    pub journalist_id: Option<Uuid>,
    /// The outlet a journalist works for.
    pub outlet_id: Option<Uuid>,
    /// That outlet's accreditation when the session was resolved (a session is re-resolved
    /// at least every second), and when it lapses.
    pub outlet_accreditation: Option<AccreditationStatus>,
    pub outlet_accredited_until: Option<DateTime<Utc>>,
    /// When a journalist's press card stops being valid (unknown: valid).
    pub press_card_expires_at: Option<DateTime<Utc>>,
}

/// The caller of one request or websocket connection.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub account: Option<Arc<ViewerAccount>>,
    /// The client's address, for sign-in throttling.
    pub client_addr: Option<String>,
}

impl Viewer {
    /// The press of one outlet, as the outlet is now: whom a newsroom's own channels (signed
    /// file links, webhooks) stand for when the visibility rule is asked what they may carry.
    pub(crate) fn newsroom_of(o: &crate::entities::outlet::Model) -> Self {
        Viewer {
            account: Some(Arc::new(ViewerAccount {
                id: Uuid::nil(),
                email: o.email.clone(),
                role: Role::Journalist,
                spokesperson_id: None,
                unit_id: None,
                spokesperson_until: None,
                journalist_id: None,
                outlet_id: Some(o.id),
                outlet_accreditation: Some(o.accreditation),
                outlet_accredited_until: o.accredited_until,
                press_card_expires_at: None,
            })),
            client_addr: None,
        }
    }

    pub fn anonymous(client_addr: Option<String>) -> Self {
        Self {
            account: None,
            client_addr,
        }
    }

    pub fn signed_in(&self) -> AppResult<&ViewerAccount> {
        self.account
            .as_deref()
            .ok_or_else(|| AppError::Unauthenticated("sign in first".into()))
    }

    pub fn role(&self) -> Option<Role> {
        self.account.as_ref().map(|a| a.role)
    }

    /// ADMIN and AUDITOR read everything.
    pub fn reads_all(&self) -> bool {
        matches!(self.role(), Some(Role::Admin | Role::Auditor))
    }

    pub fn require_admin(&self) -> AppResult<&ViewerAccount> {
        let a = self.signed_in()?;
        if a.role == Role::Admin {
            Ok(a)
        } else {
            Err(AppError::forbidden("only an administrator may do this"))
        }
    }

    pub fn require_reads_all(&self) -> AppResult<&ViewerAccount> {
        let a = self.signed_in()?;
        if matches!(a.role, Role::Admin | Role::Auditor) {
            Ok(a)
        } else {
            Err(AppError::forbidden(
                "only the press authority (ADMIN, AUDITOR) may see this",
            ))
        }
    }

    pub fn require_role(&self, role: Role) -> AppResult<&ViewerAccount> {
        let a = self.signed_in()?;
        if a.role == role {
            Ok(a)
        } else {
            Err(AppError::forbidden(format!(
                "only a {} may do this",
                role.as_str()
            )))
        }
    }

    /// True for an active spokesperson of `unit_id` at `now`.
    pub(crate) fn speaks_for(&self, unit_id: Uuid, now: DateTime<Utc>) -> bool {
        match self.account.as_deref() {
            Some(a) if a.role == Role::Spokesperson => {
                a.unit_id == Some(unit_id) && a.spokesperson_until.is_none_or(|u| u > now)
            }
            _ => false,
        }
    }

    /// An active spokesperson of the unit: only they speak for it (Decree 09/2017), not even
    /// ADMIN, and a spokesperson's rights end with the term.
    pub(crate) fn require_unit_voice(
        &self,
        unit_id: Uuid,
        now: DateTime<Utc>,
    ) -> AppResult<&ViewerAccount> {
        let a = self.signed_in()?;
        if self.speaks_for(unit_id, now) {
            Ok(a)
        } else {
            Err(AppError::forbidden(
                "only an active spokesperson of this unit may do this",
            ))
        }
    }

    /// The unit the viewer speaks for now: an active spokesperson's; none for anyone else,
    /// a former spokesperson included.
    pub fn voice(&self, now: DateTime<Utc>) -> Option<Uuid> {
        let unit = self.account.as_deref()?.unit_id?;
        self.speaks_for(unit, now).then_some(unit)
    }

    /// Whether the viewer may send files at all: only an active spokesperson attaches source
    /// material. Asked before an upload's body is read, so nobody else makes the server spool
    /// a body (the resolver still checks the release's unit).
    pub fn may_upload(&self, now: DateTime<Utc>) -> AppResult<&ViewerAccount> {
        let a = self.signed_in().map_err(|_| {
            AppError::Unauthenticated("sign in as a spokesperson to upload files".into())
        })?;
        match self.voice(now) {
            Some(_) => Ok(a),
            None => Err(AppError::forbidden(
                "only an active spokesperson may upload files",
            )),
        }
    }

    /// The unit's own view (drafts, embargoed releases, the delivery log, the audience): its
    /// active spokespersons, ADMIN and AUDITOR. A former spokesperson has none of it.
    pub fn sees_unit(&self, unit_id: Uuid, now: DateTime<Utc>) -> bool {
        self.reads_all() || self.speaks_for(unit_id, now)
    }

    /// The outlet through which a journalist reads the press's releases, while that outlet is
    /// accredited and the journalist's press card is valid (a suspended, revoked or lapsed
    /// outlet's journalists, and a journalist whose card expired, read what the public does).
    pub fn press_outlet(&self, now: DateTime<Utc>) -> Option<Uuid> {
        let a = self.account.as_deref()?;
        if a.role != Role::Journalist
            || a.outlet_accreditation != Some(AccreditationStatus::Accredited)
            || a.outlet_accredited_until.is_some_and(|u| u <= now)
            || self.press_card_expired(now)
        {
            return None;
        }
        a.outlet_id
    }

    /// True for a journalist whose press card has expired at `now` (Press Law 2025).
    pub fn press_card_expired(&self, now: DateTime<Utc>) -> bool {
        self.account
            .as_deref()
            .and_then(|a| a.press_card_expires_at)
            .is_some_and(|t| !press_card_valid(Some(t), now))
    }

    /// The account acting, for the audit log.
    pub fn actor(&self) -> Option<Uuid> {
        self.account.as_deref().map(|a| a.id)
    }

    pub fn outlet_id(&self) -> Option<Uuid> {
        self.account.as_deref().and_then(|a| a.outlet_id)
    }
}

/// Whether a press card expiring at `expires_at` is valid at `now`; a card whose expiry was
/// never recorded counts as valid (registrations before the Press Law's five years).
pub fn press_card_valid(expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    expires_at.is_none_or(|t| t > now)
}
