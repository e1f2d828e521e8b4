//! Accounts: sign-in, bearer tokens, invitations, and the bootstrap administrator.
use crate::auth::{password, token, ViewerAccount};
use crate::context::AppContext;
use crate::entities::{account, auth_token, journalist, outlet, spokesperson};
use crate::enums::Role;
use crate::error::{AppError, AppResult};
use crate::services::audit::{self, Change};
use crate::services::throttle;
use crate::validate;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

pub struct SignedIn {
    pub token: String,
    pub account: account::Model,
}

#[tracing::instrument(skip(ctx, password), fields(email = %email))]
pub async fn login(
    ctx: &AppContext,
    client_addr: Option<&str>,
    user_agent: Option<&str>,
    email: &str,
    password: &str,
) -> AppResult<SignedIn> {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        return Err(AppError::bad_input("email", "must not be blank"));
    }
    if email.chars().count() > 254 || password.chars().count() > password::MAX_PASSWORD_CHARS {
        return Err(AppError::Unauthenticated("wrong e-mail or password".into()));
    }
    let keys = throttle::Keys::new(&email, client_addr);
    let delay = throttle::reserve(ctx, &keys).await?;
    if !delay.is_zero() {
        // The account is under attack from elsewhere: slowed, never refused.
        tokio::time::sleep(delay).await;
    }

    let found = account::Entity::find()
        .filter(account::Column::Email.eq(email.as_str()))
        .one(&ctx.db)
        .await?;
    let ok = password::verify(
        password,
        found.as_ref().and_then(|a| a.password_hash.clone()),
    )
    .await?;
    let (true, Some(account)) = (ok, found) else {
        // `reserve` already counted it.
        let change = Change::new(None, "account.login_failed", "account", None)
            .details(serde_json::json!({"email": email, "address": client_addr}));
        audit::record(ctx, change).await?;
        tracing::info!("failed sign-in");
        tokio::time::sleep(ctx.settings.failed_login_delay).await;
        return Err(AppError::Unauthenticated("wrong e-mail or password".into()));
    };
    throttle::succeeded(ctx, &keys).await?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    let token = issue_token(
        ctx,
        &txn,
        account.id,
        token::PURPOSE_SESSION,
        ctx.settings.session_ttl,
    )
    .await?;
    if let Some(agent) = user_agent {
        crate::services::sessions::note_agent(&txn, &token, agent).await?;
    }
    let change = Change::new(
        Some(account.id),
        "account.login",
        "account",
        Some(account.id),
    )
    .details(serde_json::json!({"address": client_addr}));
    audit::append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    tracing::info!(account = %account.id, "signed in");
    Ok(SignedIn { token, account })
}

async fn issue_token<C: ConnectionTrait>(
    ctx: &AppContext,
    conn: &C,
    account_id: Uuid,
    purpose: &str,
    ttl: chrono::Duration,
) -> AppResult<String> {
    let now = ctx.clock.now();
    let secret = token::generate();
    auth_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_id: Set(account_id),
        token_hash: Set(token::digest(&secret)),
        purpose: Set(purpose.to_owned()),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        last_seen_at: Set(Some(now)),
        user_agent: Set(None),
    }
    .insert(conn)
    .await?;
    Ok(secret)
}

/// Opens a session for an account without a password check: for tooling that already
/// holds the account (the benchmark's bulk seeding), never reachable from the API.
#[tracing::instrument(skip_all, fields(account_id = %account_id), err(Debug, level = "debug"))]
pub async fn open_session(ctx: &AppContext, account_id: Uuid) -> AppResult<String> {
    issue_token(
        ctx,
        &ctx.db,
        account_id,
        token::PURPOSE_SESSION,
        ctx.settings.session_ttl,
    )
    .await
}

/// Finds the signed-in account behind a bearer token; `None` for an unknown or expired one.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn resolve_bearer(ctx: &AppContext, bearer: &str) -> AppResult<Option<ViewerAccount>> {
    if bearer.is_empty() || bearer.len() > 200 {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let Some(session) = auth_token::Entity::find()
        .filter(auth_token::Column::TokenHash.eq(token::digest(bearer)))
        .filter(auth_token::Column::Purpose.eq(token::PURPOSE_SESSION))
        .filter(auth_token::Column::ExpiresAt.gt(now))
        .one(&ctx.db)
        .await?
    else {
        return Ok(None);
    };
    let Some(acct) = account::Entity::find_by_id(session.account_id)
        .one(&ctx.db)
        .await?
    else {
        return Ok(None);
    };
    crate::services::sessions::touch(ctx, &session).await?;
    viewer_account(ctx, acct).await.map(Some)
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn viewer_account(
    ctx: &AppContext,
    acct: account::Model,
) -> AppResult<ViewerAccount> {
    let mut v = ViewerAccount {
        id: acct.id,
        email: acct.email.clone(),
        role: acct.role,
        spokesperson_id: acct.spokesperson_id,
        unit_id: None,
        spokesperson_until: None,
        journalist_id: acct.journalist_id,
        outlet_id: None,
        outlet_accreditation: None,
        outlet_accredited_until: None,
        press_card_expires_at: None,
    };
    if let Some(sid) = acct.spokesperson_id {
        if let Some(s) = spokesperson::Entity::find_by_id(sid).one(&ctx.db).await? {
            v.unit_id = Some(s.unit_id);
            v.spokesperson_until = s.active_until;
        }
    }
    if let Some(jid) = acct.journalist_id {
        if let Some(j) = journalist::Entity::find_by_id(jid).one(&ctx.db).await? {
            let o = outlet::Entity::find_by_id(j.outlet_id).one(&ctx.db).await?;
            v.outlet_id = Some(j.outlet_id);
            v.press_card_expires_at = j.press_card_expires_at;
            v.outlet_accreditation = o.as_ref().map(|o| o.accreditation);
            v.outlet_accredited_until = o.and_then(|o| o.accredited_until);
        }
    }
    Ok(v)
}

/// Deletes sessions and invitations that have expired (housekeeping; an expired token is
/// refused whether or not its row is still there).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn prune_expired_tokens(ctx: &AppContext) -> AppResult<u64> {
    let r = auth_token::Entity::delete_many()
        .filter(auth_token::Column::ExpiresAt.lt(ctx.clock.now()))
        .exec(&ctx.db)
        .await?;
    Ok(r.rows_affected)
}

/// Ends one session (sign-out).
#[tracing::instrument(skip_all, fields(account_id = %account_id), err(Debug, level = "debug"))]
pub async fn logout(ctx: &AppContext, account_id: Uuid, bearer: &str) -> AppResult<()> {
    let txn = crate::db::begin_write(&ctx.db).await?;
    auth_token::Entity::delete_many()
        .filter(auth_token::Column::TokenHash.eq(token::digest(bearer)))
        .exec(&txn)
        .await?;
    let change = Change::new(
        Some(account_id),
        "account.logout",
        "account",
        Some(account_id),
    );
    audit::append(&txn, ctx.clock.now(), change).await?;
    txn.commit().await?;
    Ok(())
}

/// Creates the account of a newly registered spokesperson or journalist, inside the caller's
/// transaction. With a password the account can sign in at once; without one an invitation
/// token is made and its link returned (the e-mail channel sends it; until then it is logged).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn create_linked<C: ConnectionTrait>(
    ctx: &AppContext,
    conn: &C,
    email: &str,
    role: Role,
    link: AccountLink,
    password_hash: Option<String>,
) -> AppResult<Option<String>> {
    let exists = account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(conn)
        .await?;
    if exists.is_some() {
        return Err(AppError::Conflict(format!(
            "an account with e-mail {email} already exists"
        )));
    }
    let id = Uuid::now_v7();
    let invite = password_hash.is_none();
    account::ActiveModel {
        id: Set(id),
        email: Set(email.to_owned()),
        password_hash: Set(password_hash),
        role: Set(role),
        spokesperson_id: Set(link.spokesperson_id),
        journalist_id: Set(link.journalist_id),
        created_at: Set(ctx.clock.now()),
    }
    .insert(conn)
    .await?;
    if !invite {
        return Ok(None);
    }
    let secret = issue_token(
        ctx,
        conn,
        id,
        token::PURPOSE_INVITE,
        ctx.settings.invite_ttl,
    )
    .await?;
    let link = format!("{}/#/invite/{}", ctx.settings.public_url, secret);
    tracing::info!(%email, "invitation created; the set-password link is e-mailed");
    let payload = crate::mail::message::Payload {
        message: Some(crate::mail::message::Message::Invitation {
            email: email.to_owned(),
            days: ctx.settings.invite_ttl.num_days(),
        }),
        link: Some(link.clone()),
        ..Default::default()
    };
    let row = crate::services::outbox::new_row(
        crate::enums::MailKind::Invitation,
        email,
        None,
        None,
        &payload,
        ctx.clock.now(),
    );
    crate::services::outbox::enqueue(conn, vec![row]).await?;
    Ok(Some(link))
}

#[derive(Default, Clone, Copy)]
pub(crate) struct AccountLink {
    pub spokesperson_id: Option<Uuid>,
    pub journalist_id: Option<Uuid>,
}

/// Hashes an optional password given at registration, validating it first.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub(crate) async fn optional_hash(
    field: &str,
    password: Option<&str>,
) -> AppResult<Option<String>> {
    match password {
        None => Ok(None),
        Some(p) => {
            password::validate(field, p)?;
            password::hash(p).await.map(Some)
        }
    }
}

/// Sets the password of an invited account and signs it in.
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn accept_invitation(
    ctx: &AppContext,
    invite: &str,
    new_password: &str,
) -> AppResult<SignedIn> {
    password::validate("password", new_password)?;
    let now = ctx.clock.now();
    let tok = auth_token::Entity::find()
        .filter(auth_token::Column::TokenHash.eq(token::digest(invite)))
        .filter(auth_token::Column::Purpose.eq(token::PURPOSE_INVITE))
        .one(&ctx.db)
        .await?
        .filter(|t| t.expires_at > now)
        .ok_or_else(|| AppError::bad_input("token", "the invitation is unknown or has expired"))?;
    let acct = account::Entity::find_by_id(tok.account_id)
        .one(&ctx.db)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    let hash = password::hash(new_password).await?;
    let txn = crate::db::begin_write(&ctx.db).await?;
    // Taken once: a second use of the same link finds nothing to delete.
    let taken = auth_token::Entity::delete_by_id(tok.id).exec(&txn).await?;
    if taken.rows_affected == 0 {
        return Err(AppError::bad_input(
            "token",
            "the invitation is unknown or has expired",
        ));
    }
    let mut am: account::ActiveModel = acct.into();
    am.password_hash = Set(Some(hash));
    let acct = am.update(&txn).await?;
    let token = issue_token(
        ctx,
        &txn,
        acct.id,
        token::PURPOSE_SESSION,
        ctx.settings.session_ttl,
    )
    .await?;
    let change = Change::new(
        Some(acct.id),
        "account.accept_invitation",
        "account",
        Some(acct.id),
    );
    audit::append(&txn, now, change).await?;
    txn.commit().await?;
    Ok(SignedIn {
        token,
        account: acct,
    })
}

/// Creates, or resets the password and role of, an ADMIN or AUDITOR account
/// (`pressnet admin create` and the `PRESSNET_ADMIN_*` bootstrap).
#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn ensure_staff_account(
    ctx: &AppContext,
    email: &str,
    pass: &str,
    role: Role,
) -> AppResult<account::Model> {
    if !matches!(role, Role::Admin | Role::Auditor) {
        return Err(AppError::bad_input("role", "must be ADMIN or AUDITOR"));
    }
    let email = validate::email("email", email)?;
    password::validate("password", pass)?;
    let hash = password::hash(pass).await?;
    let existing = account::Entity::find()
        .filter(account::Column::Email.eq(email.as_str()))
        .one(&ctx.db)
        .await?;
    let created = existing.is_none();
    let model = match existing {
        Some(a) => {
            let mut am: account::ActiveModel = a.into();
            am.password_hash = Set(Some(hash));
            am.role = Set(role);
            am.spokesperson_id = Set(None);
            am.journalist_id = Set(None);
            am.update(&ctx.db).await?
        }
        None => {
            account::ActiveModel {
                id: Set(Uuid::now_v7()),
                email: Set(email),
                password_hash: Set(Some(hash)),
                role: Set(role),
                spokesperson_id: Set(None),
                journalist_id: Set(None),
                created_at: Set(ctx.clock.now()),
            }
            .insert(&ctx.db)
            .await?
        }
    };
    let action = if created {
        "account.staff_create"
    } else {
        "account.staff_reset"
    };
    let change = Change::new(None, action, "account", Some(model.id))
        .details(serde_json::json!({"email": model.email, "role": role.as_str()}));
    audit::record(ctx, change).await?;
    Ok(model)
}

/// The set-password link of `email`'s invitation while it has not been e-mailed (the e-mail
/// channel is off, or the message still waits), for the administrator to pass on by hand; `None`
/// once sent, taken or expired. ADMIN only: the link lets its holder choose the password.
#[tracing::instrument(skip(ctx, viewer), err(Debug, level = "debug"))]
pub async fn unsent_invitation_link(
    ctx: &AppContext,
    viewer: &crate::auth::Viewer,
    email: &str,
) -> AppResult<Option<String>> {
    use crate::entities::outbox;
    use crate::enums::{DeliveryStatus, MailKind};
    use sea_orm::QueryOrder;
    viewer.require_admin()?;
    let email = email.trim().to_lowercase();
    let Some(row) = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq(MailKind::Invitation))
        .filter(outbox::Column::Recipient.eq(email.as_str()))
        .filter(outbox::Column::Status.ne(DeliveryStatus::Delivered))
        .filter(outbox::Column::SentAt.is_null())
        .order_by_desc(outbox::Column::CreatedAt)
        .one(&ctx.db)
        .await?
    else {
        return Ok(None);
    };
    let payload: crate::mail::message::Payload =
        serde_json::from_str(&row.payload).unwrap_or_default();
    let Some(link) = payload.link else {
        return Ok(None);
    };
    // Still a live invitation: not taken, not expired.
    let secret = link.rsplit('/').next().unwrap_or_default();
    let live = auth_token::Entity::find()
        .filter(auth_token::Column::TokenHash.eq(token::digest(secret)))
        .filter(auth_token::Column::Purpose.eq(token::PURPOSE_INVITE))
        .filter(auth_token::Column::ExpiresAt.gt(ctx.clock.now()))
        .one(&ctx.db)
        .await?;
    Ok(live.map(|_| link))
}
