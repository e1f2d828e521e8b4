//! Sign-in, throttling, tokens, invitations and staff accounts.
use pressnet_tests::*;
use serde_json::json;

const LOGIN: &str =
    "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token account { role } } }";

each!(backends;
    async fn failed_logins_are_counted_and_lock_the_account(app) {
        app.admin().await;
        let g = app.gql();
        for _ in 0..5 {
            let r = g.run(LOGIN, json!({"e": ADMIN_EMAIL, "p": "wrong password"})).await;
            assert_eq!(r.code(), "UNAUTHENTICATED");
            assert_eq!(r.message(), "wrong e-mail or password");
        }
        // Locked now from this address: even the right password is refused, with a time to wait.
        let r = g.run(LOGIN, json!({"e": ADMIN_EMAIL, "p": PASSWORD})).await;
        assert_eq!(r.code(), "RATE_LIMITED");
        assert!(r.message().contains("try again"), "{}", r.message());
        assert!(r.body["errors"][0]["extensions"]["retryAfter"].as_i64().is_some_and(|s| s > 0), "{}", r.body);
        // After the lock passes, the right password works and clears the count.
        app.clock.advance(chrono::Duration::minutes(2));
        let r = g.run(LOGIN, json!({"e": ADMIN_EMAIL, "p": PASSWORD})).await;
        assert_eq!(r.data()["login"]["account"]["role"], "ADMIN");
        // Unknown accounts fail the same way (no account enumeration).
        let r = g.run(LOGIN, json!({"e": "nobody@x.vn", "p": PASSWORD})).await;
        assert_eq!(r.message(), "wrong e-mail or password");
    }
);

each!(backends;
    async fn tokens_are_stored_hashed_expire_and_log_out(app) {
        let token = app.admin().await;
        use sea_orm::{EntityTrait, QuerySelect};
        let hashes: Vec<String> = pressnet_domain::entities::auth_token::Entity::find()
            .select_only()
            .column(pressnet_domain::entities::auth_token::Column::TokenHash)
            .into_tuple()
            .all(&app.ctx.db)
            .await
            .expect("tokens");
        assert!(!hashes.is_empty());
        assert!(hashes.iter().all(|h| h != &token && h.len() == 64));
        let g = app.gql_as(&token);
        assert_eq!(g.run("{ me { role } }", json!({})).await.data()["me"]["role"], "ADMIN");
        assert_eq!(g.run("mutation { logout }", json!({})).await.data()["logout"], true);
        assert_eq!(g.run("{ me { role } }", json!({})).await.code(), "UNAUTHENTICATED");
        let token = app.login(ADMIN_EMAIL, PASSWORD).await;
        app.clock.advance(chrono::Duration::hours(13));
        assert_eq!(app.gql_as(&token).run("{ me { role } }", json!({})).await.code(), "UNAUTHENTICATED");
    }
);

each!(backends;
    async fn registration_without_password_makes_an_invitation(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        let r = a
            .run(
                "mutation($i:RegisterJournalistInput!){ registerJournalist(input:$i){ id } }",
                json!({"i": {"outletId": w.outlets[0].0, "fullName": "Hồ Thị Xuân", "email": "xuan@bao.vn"}}),
            )
            .await;
        r.data();
        // No password yet: sign-in fails.
        let r = app.gql().run(LOGIN, json!({"e": "xuan@bao.vn", "p": PASSWORD})).await;
        assert_eq!(r.code(), "UNAUTHENTICATED");
        // The invitation token (normally e-mailed) sets the password.
        use pressnet_domain::entities::{account, auth_token};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let acct = account::Entity::find().filter(account::Column::Email.eq("xuan@bao.vn")).one(&app.ctx.db).await.expect("q").expect("account");
        let invite = auth_token::Entity::find().filter(auth_token::Column::AccountId.eq(acct.id)).one(&app.ctx.db).await.expect("q").expect("invite");
        assert_eq!(invite.purpose, "INVITE");
        // Only the hash is stored, so forge a known token for the test by replacing it.
        let secret = "test-invitation-secret-0123456789";
        let mut am: auth_token::ActiveModel = invite.into();
        am.token_hash = sea_orm::Set(pressnet_domain::auth::token::digest(secret));
        use sea_orm::ActiveModelTrait;
        am.update(&app.ctx.db).await.expect("update");
        let r = app
            .gql()
            .run("mutation($t:String!,$p:String!){ acceptInvitation(token:$t,password:$p){ token account { role } } }",
                 json!({"t": secret, "p": "mật khẩu mới 2026"}))
            .await;
        assert_eq!(r.data()["acceptInvitation"]["account"]["role"], "JOURNALIST");
        let r = app.gql().run(LOGIN, json!({"e": "xuan@bao.vn", "p": "mật khẩu mới 2026"})).await;
        assert_eq!(r.data()["login"]["account"]["role"], "JOURNALIST");
        // The invitation is spent.
        let r = app
            .gql()
            .run("mutation($t:String!,$p:String!){ acceptInvitation(token:$t,password:$p){ token } }", json!({"t": secret, "p": "another password"}))
            .await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
    }
);
