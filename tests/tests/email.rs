//! The e-mail channel against a real SMTP server over TCP, press-conference invitations and
//! RSVP, subscriptions and digests, invitations, and the Atom feeds.
use mail_parser::{MessageParser, MimeHeaders};
use pressnet_tests::smtp::{free_port, TestSmtp};
use pressnet_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

const EMAIL_DELIVERIES: &str = "query($r:UUID){ deliveries(releaseId:$r, channel: EMAIL, first: 100){ totalCount edges { node { recipient status attempts lastError outlet { id } } } } }";

async fn email_rows(app: &TestApp, admin: &str, release: &str) -> Vec<Value> {
    let r = app
        .gql_as(admin)
        .run(EMAIL_DELIVERIES, json!({"r": release}))
        .await;
    r.data()["deliveries"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e["node"].clone())
        .collect()
}

async fn wait_all_settled(app: &TestApp, admin: &str, release: &str, n: usize) -> Vec<Value> {
    for _ in 0..300 {
        let rows = email_rows(app, admin, release).await;
        if rows.len() == n
            && rows
                .iter()
                .all(|d| d["status"] == "SENT" || d["status"] == "FAILED")
        {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "e-mail deliveries did not settle: {:?}",
        email_rows(app, admin, release).await
    );
}

async fn with_smtp(backend: Backend, smtp: &TestSmtp) -> Option<TestApp> {
    let url = smtp.url();
    TestApp::spawn_with(backend, |c| {
        c.smtp_url = Some(url);
        c.email_retry_base_secs = 1;
        c.public_url = Some("https://pressnet.hason.gov.vn".into());
    })
    .await
}

/// An app whose e-mail goes to a fresh SMTP server, with that server.
async fn smtp_app(backend: Backend) -> Option<(TestApp, TestSmtp)> {
    let smtp = TestSmtp::start();
    let app = with_smtp(backend, &smtp).await?;
    Some((app, smtp))
}

fn parse(data: &[u8]) -> mail_parser::Message<'_> {
    MessageParser::default()
        .parse(data)
        .expect("parsable message")
}

each!(backends, setup = smtp_app;
    async fn messages_arrive_once_with_the_right_parts((app, smtp)) {
        let w = World::build(&app, 2).await;
        let (o0, j0) = &w.outlets[0];
        app.gql_as(j0).run("mutation { setEmailMode(mode: EACH_RELEASE) { emailMode } }", json!({})).await.data();
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông cáo báo chí về phòng chống sốt xuất huyết", json!({"allAccredited": true})).await;
        let rows = wait_all_settled(&app, &w.admin, &id, 3).await;
        assert!(rows.iter().all(|d| d["status"] == "SENT" && d["attempts"] == 1), "{rows:?}");
        tokio::time::sleep(Duration::from_millis(800)).await;
        let msgs = smtp.messages();
        assert_eq!(msgs.len(), 3, "one message per recipient, once");
        let newsroom = "toasoan-gp-0@bao.vn";
        let to_newsroom = smtp.to(newsroom);
        assert_eq!(to_newsroom.len(), 1);
        let m = parse(&to_newsroom[0].data);
        assert_eq!(m.subject(), Some("[Sở Y tế] Thông cáo báo chí về phòng chống sốt xuất huyết"));
        let text = m.body_text(0).expect("text part").to_string();
        assert!(text.contains("Sở Y tế") && text.contains("Lê Minh Đức") && text.contains("Phó Giám đốc"), "{text}");
        assert!(text.contains(&format!("https://pressnet.hason.gov.vn/#/releases/{id}")), "{text}");
        let html = m.body_html(0).expect("html part").to_string();
        assert!(html.contains("<h1") && html.contains("Lê Minh Đức"));
        assert!(m.header("List-Unsubscribe").is_none(), "newsroom mail is not a subscription");
        assert!(m.message_id().is_some());
        // The journalist's copy carries one-click unsubscribe.
        let mine = smtp.to("pv0@bao0.vn");
        assert_eq!(mine.len(), 1);
        let jm = parse(&mine[0].data);
        let lu = jm.header_raw("List-Unsubscribe").expect("List-Unsubscribe").trim().to_owned();
        assert!(lu.starts_with("<https://pressnet.hason.gov.vn/unsubscribe?token="), "{lu}");
        assert_eq!(jm.header_raw("List-Unsubscribe-Post").map(str::trim), Some("List-Unsubscribe=One-Click"));
        // Unsubscribing by the link stops the journalist's e-mails.
        let token = lu.trim_start_matches('<').trim_end_matches('>').split("token=").nth(1).unwrap_or_default().to_owned();
        let resp = reqwest::Client::new().post(format!("{}/unsubscribe?token={token}", app.base)).send().await.expect("post");
        assert_eq!(resp.status().as_u16(), 200);
        let r = app.gql_as(j0).run("{ mySubscription { emailMode } }", json!({})).await;
        assert_eq!(r.data()["mySubscription"]["emailMode"], "NONE");
        let _ = o0;
    }
);

each!(backends, setup = smtp_app;
    async fn a_550_fails_one_recipient_at_once_and_suppresses_it((app, smtp)) {
        let w = World::build(&app, 2).await;
        let bad = "toasoan-gp-1@bao.vn";
        smtp.reject(bad);
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông báo tuyển dụng", json!({"allAccredited": true})).await;
        let rows = wait_all_settled(&app, &w.admin, &id, 2).await;
        let failed = rows.iter().find(|d| d["recipient"] == bad).expect("row");
        assert_eq!(failed["status"], "FAILED");
        assert_eq!(failed["attempts"], 1);
        assert!(failed["lastError"].as_str().unwrap_or_default().contains("550"), "{failed}");
        assert!(rows.iter().any(|d| d["status"] == "SENT"));
        let r = app.gql_as(&w.auditor).run("{ emailSuppressions { address reason } }", json!({})).await;
        assert_eq!(r.data()["emailSuppressions"][0]["address"], bad);
        // The next release does not try it again, and the log says why.
        let id2 = publish_now(&sp, &w.unit_id, "Thông báo thứ hai", json!({"allAccredited": true})).await;
        let rows = wait_all_settled(&app, &w.admin, &id2, 2).await;
        let skipped = rows.iter().find(|d| d["recipient"] == bad).expect("row");
        assert_eq!((skipped["status"].as_str(), skipped["attempts"].as_i64()), (Some("FAILED"), Some(0)));
        assert!(skipped["lastError"].as_str().unwrap_or_default().contains("suppressed"));
        assert_eq!(smtp.to(bad).len(), 0);
    }
);

/// An app whose SMTP URL points at a reserved port where nothing listens yet, with the port.
async fn port_app(backend: Backend) -> Option<(TestApp, u16)> {
    let port = free_port();
    let app = TestApp::spawn_with(backend, |c| {
        c.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        c.email_retry_base_secs = 1;
    })
    .await?;
    Some((app, port))
}

each!(backends, setup = port_app;
    async fn smtp_down_at_publish_time_then_back((app, port)) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Khi máy chủ thư ngừng", json!({"allAccredited": true})).await;
        // Connection refused: a transient failure, kept PENDING with the error and retried.
        eventually("a failed attempt recorded", || {
            let app = &app;
            let (admin, id) = (w.admin.clone(), id.clone());
            async move {
                let rows = email_rows(app, &admin, &id).await;
                rows.len() == 1 && rows[0]["attempts"].as_i64().unwrap_or(0) >= 1 && rows[0]["status"] == "PENDING"
                    && rows[0]["lastError"].is_string()
            }
        })
        .await;
        let smtp = TestSmtp::start_on(port);
        // The backoff (1 s, 2 s, ...) passes.
        app.clock.advance(chrono::Duration::seconds(30));
        let rows = wait_all_settled(&app, &w.admin, &id, 1).await;
        assert_eq!(rows[0]["status"], "SENT", "{rows:?}");
        assert!(rows[0]["attempts"].as_i64().unwrap_or(0) >= 2);
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(smtp.messages().len(), 1);
    }
);

each!(backends;
    async fn without_smtp_email_deliveries_wait_and_say_why(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Không có máy chủ thư", json!({"allAccredited": true})).await;
        let rows = email_rows(&app, &w.admin, &id).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["status"], "PENDING");
        assert!(rows[0]["lastError"].as_str().unwrap_or_default().contains("PRESSNET_SMTP_URL"));
    }
);

each!(backends;
    async fn release_emails_waiting_in_the_outbox_move_to_their_deliveries_on_upgrade(app) {
        use pressnet_migrations::{Migrator, MigratorTrait};
        use pressnet_domain::entities::outbox;
        use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        // No SMTP yet: the release e-mails wait, each in its EMAIL delivery, no outbox row.
        let w = World::build(&app, 3).await;
        for (_, j) in &w.outlets[..2] {
            app.gql_as(j).run("mutation { setEmailMode(mode: EACH_RELEASE) { emailMode } }", json!({})).await.data();
        }
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Trước khi nâng cấp", json!({"allAccredited": true})).await;
        let rows = email_rows(&app, &w.admin, &id).await;
        assert_eq!(rows.len(), 5, "three newsrooms, two journalists: {rows:?}");
        assert_eq!(outbox::Entity::find().count(&app.ctx.db).await.expect("count"), 0);
        assert_eq!(pressnet_domain::services::outbox::depth(&app.ctx).await.expect("depth"), 5);
        // Back to the version before: the waiting e-mails become outbox rows again, as that
        // version queued them.
        // Migration 9 and every later one are undone (the restart applies them again).
        let names: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
        let ninth = names.iter().position(|n| n.contains("_000009_")).expect("migration 9");
        Migrator::down(&app.ctx.db, Some((names.len() - ninth) as u32)).await.expect("down");
        let queued = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(pressnet_domain::enums::DeliveryStatus::Pending))
            .count(&app.ctx.db)
            .await
            .expect("count");
        assert_eq!(queued, 5);
        // Upgrade with the SMTP server up: each arrives once, and the outbox holds none.
        let smtp = TestSmtp::start();
        let url = smtp.url();
        let app = app.restart_with(|c| c.smtp_url = Some(url)).await;
        let rows = wait_all_settled(&app, &w.admin, &id, 5).await;
        assert!(rows.iter().all(|d| d["status"] == "SENT"), "{rows:?}");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(smtp.messages().len(), 5);
        let left = outbox::Entity::find()
            .filter(outbox::Column::DeliveryId.is_not_null())
            .count(&app.ctx.db)
            .await
            .expect("count");
        assert_eq!(left, 0, "the release e-mails' outbox rows went with the upgrade");
        // The journalists' copies carry their own unsubscribe link; the newsrooms' carry none.
        let with_link = smtp.messages().iter().filter(|m| String::from_utf8_lossy(&m.data).contains("List-Unsubscribe:")).count();
        assert_eq!(with_link, 2);
    }
);

each!(backends, setup = smtp_app;
    async fn a_restart_while_sending_loses_and_doubles_nothing((app, smtp)) {
        let w = World::build(&app, 1).await;
        let admin = app.gql_as(&w.admin);
        let mut outlets = Vec::new();
        for i in 0..60 {
            let id = register_outlet(&admin, &format!("Báo vùng {i}"), "ONLINE", "LOCAL", &format!("GP-R{i}")).await;
            accredit(&admin, &id).await;
            outlets.push(id);
        }
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Phát hành khi khởi động lại", json!({"allAccredited": true})).await;
        // Stop while the worker is sending, then start again on the same database.
        tokio::time::sleep(Duration::from_millis(30)).await;
        let app = app.restart().await;
        let rows = wait_all_settled(&app, &w.admin, &id, 61).await;
        assert!(rows.iter().all(|d| d["status"] == "SENT"), "{rows:?}");
        tokio::time::sleep(Duration::from_millis(800)).await;
        let msgs = smtp.messages();
        assert_eq!(msgs.len(), 61, "every recipient exactly once");
        let mut to: Vec<String> = msgs.iter().flat_map(|m| m.to.clone()).collect();
        to.sort();
        to.dedup();
        assert_eq!(to.len(), 61);
    }
);

const CONF: &str = "mutation($i:CreateReleaseInput!){ createRelease(input:$i){ id } }";

fn find_calendar(m: &mail_parser::Message<'_>) -> Option<(String, String)> {
    m.parts.iter().find_map(|p| {
        let ct = p.content_type()?;
        if ct.ctype() == "text" && ct.subtype() == Some("calendar") {
            let method = ct.attribute("method").unwrap_or_default().to_owned();
            Some((method, p.text_contents().unwrap_or_default().to_owned()))
        } else {
            None
        }
    })
}

fn event_props(ics: &str) -> std::collections::HashMap<String, String> {
    let unfolded = icalendar::parser::unfold(ics);
    let cal = icalendar::parser::read_calendar(&unfolded).expect("iCalendar parses");
    let mut out = std::collections::HashMap::new();
    for p in &cal.properties {
        out.insert(format!("CAL:{}", p.name), p.val.to_string());
    }
    for c in &cal.components {
        if c.name == "VEVENT" {
            for p in &c.properties {
                out.insert(p.name.to_string(), p.val.to_string());
            }
        }
    }
    out
}

each!(backends, setup = smtp_app;
    async fn press_conference_invitations_updates_and_cancellation((app, smtp)) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let starts = chrono::DateTime::parse_from_rfc3339("2030-03-15T02:00:00Z").expect("t").to_utc();
        let input = json!({"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": "Họp báo thường kỳ quý I/2030",
            "summary": "Kinh tế - xã hội", "body": "Kính mời", "audience": {"allAccredited": true},
            "pressConference": {"startsAt": starts.to_rfc3339(), "endsAt": (starts + chrono::Duration::hours(2)).to_rfc3339(),
                                "location": "Hội trường A, UBND tỉnh", "capacity": 50}});
        let id = sp.run(CONF, json!({"i": input})).await.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        sp.run(PUBLISH, json!({"id": id})).await.data();
        wait_all_settled(&app, &w.admin, &id, 1).await;
        let first = smtp.messages();
        assert_eq!(first.len(), 1);
        let m = parse(&first[0].data);
        let (method, ics) = find_calendar(&m).expect("calendar part");
        assert_eq!(method.to_uppercase(), "REQUEST");
        let ev = event_props(&ics);
        assert_eq!(ev.get("CAL:METHOD").map(String::as_str), Some("REQUEST"));
        assert_eq!(ev.get("UID"), Some(&format!("{id}@pressnet")));
        assert_eq!(ev.get("DTSTART").map(String::as_str), Some("20300315T020000Z"));
        assert_eq!(ev.get("DTEND").map(String::as_str), Some("20300315T040000Z"));
        assert_eq!(ev.get("LOCATION").map(String::as_str), Some("Hội trường A, UBND tỉnh"), "escaped on the wire, unescaped by the parser");
        assert!(ev.get("LOCATION").is_some_and(|l| l.contains("Hội trường A")));
        assert_eq!(ev.get("SEQUENCE").map(String::as_str), Some("0"));
        // An update: same UID, next SEQUENCE, to everyone who received it.
        let later = starts + chrono::Duration::hours(1);
        let r = sp.run("mutation($id:UUID!,$p:PressConferenceInput!){ updatePressConference(releaseId:$id, input:$p){ startsAt sequence } }",
            json!({"id": id, "p": {"startsAt": later.to_rfc3339(), "location": "Hội trường B", "capacity": 50}})).await;
        assert_eq!(r.data()["updatePressConference"]["sequence"], 1);
        eventually("update e-mailed", || async { smtp.messages().len() == 2 }).await;
        let m2 = parse(&smtp.messages()[1].data).into_owned();
        assert!(m2.subject().unwrap_or_default().starts_with("[CẬP NHẬT]"));
        let (method, ics) = find_calendar(&m2).expect("calendar");
        assert_eq!(method.to_uppercase(), "REQUEST");
        let ev = event_props(&ics);
        assert_eq!((ev.get("UID").cloned(), ev.get("SEQUENCE").cloned()), (Some(format!("{id}@pressnet")), Some("1".into())));
        assert_eq!(ev.get("DTSTART").map(String::as_str), Some("20300315T030000Z"));
        // Cancellation: METHOD:CANCEL, same UID, next SEQUENCE.
        sp.run("mutation($id:UUID!){ retractRelease(id:$id, reason:\"Hoãn họp báo\"){ status } }", json!({"id": id})).await.data();
        eventually("cancellation e-mailed", || async { smtp.messages().len() == 3 }).await;
        let m3 = parse(&smtp.messages()[2].data).into_owned();
        let (method, ics) = find_calendar(&m3).expect("calendar");
        assert_eq!(method.to_uppercase(), "CANCEL");
        let ev = event_props(&ics);
        assert_eq!(ev.get("CAL:METHOD").map(String::as_str), Some("CANCEL"));
        assert_eq!(ev.get("SEQUENCE").map(String::as_str), Some("2"));
        assert!(m3.body_text(0).unwrap_or_default().contains("Hoãn họp báo"));
    }
);

each!(backends, setup = smtp_app;
    async fn rsvp_rules_attendees_and_the_reminder((app, smtp)) {
        let w = World::build(&app, 3).await;
        let sp = app.gql_as(&w.spokesperson);
        let starts = app.clock.now() + chrono::Duration::days(3);
        let input = json!({"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": "Họp báo về dự án cao tốc",
            "summary": "S", "body": "B", "audience": {"allAccredited": true},
            "pressConference": {"startsAt": starts.to_rfc3339(), "location": "Phòng họp số 2",
                                "rsvpDeadline": (starts - chrono::Duration::days(1)).to_rfc3339(), "capacity": 1}});
        let id = sp.run(CONF, json!({"i": input})).await.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        let rsvp = "mutation($id:UUID!,$a:Boolean!){ rsvp(releaseId:$id, attending:$a){ attendeeCount myRsvp } }";
        let (j0, j1) = (app.gql_as(&w.outlets[0].1), app.gql_as(&w.outlets[1].1));
        // Not before publication (invisible), and only journalists.
        assert_eq!(j0.run(rsvp, json!({"id": id, "a": true})).await.code(), "NOT_FOUND");
        sp.run(PUBLISH, json!({"id": id})).await.data();
        assert_eq!(sp.run(rsvp, json!({"id": id, "a": true})).await.code(), "FORBIDDEN");
        let r = j0.run(rsvp, json!({"id": id, "a": true})).await;
        assert_eq!(r.data()["rsvp"], json!({"attendeeCount": 1, "myRsvp": true}));
        // Full.
        assert_eq!(j1.run(rsvp, json!({"id": id, "a": true})).await.code(), "CONFLICT");
        // Answering again is fine; withdrawing frees the seat.
        j0.run(rsvp, json!({"id": id, "a": true})).await.data();
        j0.run(rsvp, json!({"id": id, "a": false})).await.data();
        j1.run(rsvp, json!({"id": id, "a": true})).await.data();
        // The unit sees the attendee list; another journalist does not.
        let q = "query($id:UUID!){ release(id:$id){ pressConference { attendees { fullName } } } }";
        let r = sp.run(q, json!({"id": id})).await;
        assert_eq!(r.data()["release"]["pressConference"]["attendees"], json!([{"fullName": "Phóng viên 1"}]));
        let r = j0.run(q, json!({"id": id})).await;
        assert_eq!(r.data()["release"]["pressConference"]["attendees"], json!([]));
        // A release that is not a conference.
        let other = publish_now(&sp, &w.unit_id, "Không phải họp báo", json!({"allAccredited": true})).await;
        assert_eq!(j0.run(rsvp, json!({"id": other, "a": true})).await.code(), "BAD_USER_INPUT");
        // The day before: the attendee gets a reminder; after the deadline no more RSVP.
        app.clock.advance(chrono::Duration::days(2) + chrono::Duration::hours(1));
        // (Sessions last 12 hours: sign in again after the clock jump.)
        let j2 = app.login("pv2@bao2.vn", PASSWORD).await;
        assert_eq!(app.gql_as(&j2).run(rsvp, json!({"id": id, "a": true})).await.code(), "BAD_USER_INPUT");
        eventually("reminder sent", || async { smtp.to("pv1@bao1.vn").iter().any(|m| parse(&m.data).subject().unwrap_or_default().starts_with("[NHẮC LỊCH]")) }).await;
        assert!(smtp.to("pv0@bao0.vn").iter().all(|m| !parse(&m.data).subject().unwrap_or_default().starts_with("[NHẮC LỊCH]")));
    }
);

each!(backends, setup = smtp_app;
    async fn daily_digest_follows_and_invitations((app, smtp)) {
        let w = World::build(&app, 1).await;
        let j = app.gql_as(&w.outlets[0].1);
        let r = j.run("mutation { setEmailMode(mode: DAILY_DIGEST) { emailMode } }", json!({})).await;
        assert_eq!(r.data()["setEmailMode"]["emailMode"], "DAILY_DIGEST");
        let r = j.run("mutation($u:UUID!){ followUnit(unitId:$u){ follows { unit { code } topic } } }", json!({"u": w.other_unit_id})).await;
        assert_eq!(r.data()["followUnit"]["follows"][0]["unit"]["code"], "SO-TC");
        j.run("mutation { followTopic(topic: \"Y TẾ\") { follows { topic } } }", json!({})).await.data();
        let sp = app.gql_as(&w.spokesperson);
        publish_now(&sp, &w.unit_id, "Tin thứ nhất trong ngày", json!({"allAccredited": true})).await;
        publish_now(&sp, &w.unit_id, "Tin thứ hai trong ngày", json!({"allAccredited": true})).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        // No per-release mail to the journalist in digest mode.
        assert!(smtp.to("pv0@bao0.vn").is_empty());
        app.clock.advance(chrono::Duration::hours(25));
        eventually("digest sent", || async { !smtp.to("pv0@bao0.vn").is_empty() }).await;
        tokio::time::sleep(Duration::from_millis(6_000)).await;
        let mine = smtp.to("pv0@bao0.vn");
        assert_eq!(mine.len(), 1, "one digest a day");
        let m = parse(&mine[0].data);
        let text = m.body_text(0).unwrap_or_default().to_string();
        assert!(text.contains("Tin thứ nhất trong ngày") && text.contains("Tin thứ hai trong ngày"), "{text}");
        assert!(m.header("List-Unsubscribe").is_some());
        // An account registered without a password gets its invitation by e-mail.
        let admin = app.login(ADMIN_EMAIL, PASSWORD).await;
        app.gql_as(&admin)
            .run("mutation($i:RegisterJournalistInput!){ registerJournalist(input:$i){ id } }",
                 json!({"i": {"outletId": w.outlets[0].0, "fullName": "Hồ Xuân Hương", "email": "huong@bao0.vn"}}))
            .await
            .data();
        eventually("invitation e-mailed", || async { !smtp.to("huong@bao0.vn").is_empty() }).await;
        let inv = parse(&smtp.to("huong@bao0.vn")[0].data).into_owned();
        assert!(inv.body_text(0).unwrap_or_default().contains("/#/invite/"));
    }
);

each!(backends;
    async fn atom_feeds_carry_only_public_published_releases(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let public = publish_now(&sp, &w.unit_id, "Thông cáo công khai", json!({"allAccredited": true})).await;
        let _targeted = publish_now(&sp, &w.unit_id, "Chỉ gửi một báo", json!({"outletIds": [w.outlets[0].0]})).await;
        let _draft = draft(&sp, &w.unit_id, "Bản nháp", json!({"allAccredited": true})).await;
        let sched = draft(&sp, &w.unit_id, "Cấm vận", json!({"allAccredited": true})).await;
        sp.run(PUBLISH, json!({"id": sched, "at": (app.clock.now() + chrono::Duration::hours(3)).to_rfc3339()})).await.data();
        let other = app.gql_as(&w.other_spokesperson);
        let other_public = publish_now(&other, &w.other_unit_id, "Tin của Sở Tài chính", json!({"allAccredited": true})).await;
        let http = reqwest::Client::new();
        let resp = http.get(format!("{}/feeds/releases.atom", app.base)).send().await.expect("feed");
        assert_eq!(resp.status().as_u16(), 200);
        assert!(resp.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/atom+xml"));
        let etag = resp.headers()["etag"].to_str().unwrap_or_default().to_owned();
        let lm = resp.headers()["last-modified"].to_str().unwrap_or_default().to_owned();
        let body = resp.bytes().await.expect("body");
        let feed = feed_rs::parser::parse(&body[..]).expect("valid Atom");
        let ids: Vec<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
        assert_eq!(ids, vec![format!("urn:uuid:{other_public}"), format!("urn:uuid:{public}")]);
        let e = &feed.entries[1];
        assert_eq!(e.title.as_ref().map(|t| t.content.clone()), Some("Thông cáo công khai".into()));
        assert!(e.authors[0].name.contains("Sở Y tế") && e.authors[0].name.contains("Lê Minh Đức"));
        assert!(e.summary.is_some() && e.content.is_some() && !e.links.is_empty() && e.updated.is_some());
        // Conditional GET.
        let r = http.get(format!("{}/feeds/releases.atom", app.base)).header("If-None-Match", &etag).send().await.expect("get");
        assert_eq!(r.status().as_u16(), 304);
        let r = http.get(format!("{}/feeds/releases.atom", app.base)).header("If-Modified-Since", &lm).send().await.expect("get");
        assert_eq!(r.status().as_u16(), 304);
        // Per unit; unknown unit.
        let body = http.get(format!("{}/feeds/units/SO-TC.atom", app.base)).send().await.expect("get").bytes().await.expect("body");
        let feed = feed_rs::parser::parse(&body[..]).expect("valid Atom");
        assert_eq!(feed.entries.len(), 1);
        let r = http.get(format!("{}/feeds/units/NOPE.atom", app.base)).send().await.expect("get");
        assert_eq!(r.status().as_u16(), 404);
        // The embargo lifts: it appears; a retraction removes it; the ETag changes.
        app.clock.advance(chrono::Duration::hours(4));
        eventually("scheduled release in the feed", || {
            let (http, base, sched) = (http.clone(), app.base.clone(), sched.clone());
            async move {
                let body = http.get(format!("{base}/feeds/releases.atom")).send().await.expect("get").bytes().await.expect("b");
                feed_rs::parser::parse(&body[..]).map(|f| f.entries.iter().any(|e| e.id == format!("urn:uuid:{sched}"))).unwrap_or(false)
            }
        })
        .await;
        let r = http.get(format!("{}/feeds/releases.atom", app.base)).header("If-None-Match", &etag).send().await.expect("get");
        assert_eq!(r.status().as_u16(), 200);
    }
);

each!(backends, setup = smtp_app;
    async fn the_reach_summary_agrees_with_the_delivery_log((app, smtp)) {
        use pressnet_domain::entities::release_reach;
        use sea_orm::{EntityTrait, QueryOrder};
        // Eight outlets: 0-6 follow live, 0-3 also want each release by e-mail (two EMAIL
        // rows for one outlet), outlet 7's newsroom refuses mail and nobody there is live.
        let w = World::build(&app, 8).await;
        smtp.reject("toasoan-gp-7@bao.vn");
        for (_, j) in &w.outlets[..4] {
            app.gql_as(j).run("mutation { setEmailMode(mode: EACH_RELEASE) { emailMode } }", json!({})).await.data();
        }
        let mut live = Vec::new();
        for (_, j) in &w.outlets[..7] {
            let mut c = pressnet_tests::ws::WsClient::connect(&app.ws_url(), j).await.expect("ws");
            c.subscribe("s", "subscription{ releasePublished { release { id } } }", json!({})).await;
            live.push(c);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let sp = app.gql_as(&w.spokesperson);
        let mut ids = Vec::new();
        for i in 0..3 {
            ids.push(publish_now(&sp, &w.unit_id, &format!("Thông cáo {i}"), json!({"allAccredited": true})).await);
        }
        for c in &mut live {
            for _ in 0..3 {
                c.next_data(Duration::from_secs(10)).await;
            }
        }
        for id in &ids {
            wait_all_settled(&app, &w.admin, id, 12).await;
            let admin = app.gql_as(&w.admin);
            eventually("live deliveries recorded", || async {
                let r = admin.run("query($r:UUID){ deliveries(releaseId:$r, channel: LIVE, status: DELIVERED, first: 100){ totalCount } }", json!({"r": id})).await;
                r.data()["deliveries"]["totalCount"] == 7
            }).await;
        }
        app.gql_as(&w.outlets[0].1).run("mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status } }", json!({"id": ids[0]})).await.data();
        let kept = release_reach::Entity::find().order_by_asc(release_reach::Column::ReleaseId).all(&app.ctx.db).await.expect("reach");
        assert_eq!(kept.len(), 3);
        for r in &kept {
            assert_eq!((r.targeted, r.reached), (8, 7), "{r:?}");
            assert!(r.live_first_at.is_some() && r.live_last_at >= r.live_first_at, "{r:?}");
        }
        // Recomputed from the whole log, it is the same.
        pressnet_domain::services::reach::rebuild(&app.ctx.db).await.expect("rebuild");
        let rebuilt = release_reach::Entity::find().order_by_asc(release_reach::Column::ReleaseId).all(&app.ctx.db).await.expect("reach");
        assert_eq!(kept, rebuilt);
        // The release list's deliveryStats read the summary; they match a count of the log.
        let release_ids: Vec<uuid::Uuid> = kept.iter().map(|r| r.release_id).collect();
        let summary = pressnet_domain::services::deliveries::stats_for(&app.ctx.db, &release_ids, None).await.expect("stats");
        let counted = pressnet_domain::services::deliveries::stats_from_log(&app.ctx.db, &release_ids, None).await.expect("stats");
        assert_eq!(summary, counted);
        assert_eq!((summary[&release_ids[0]].acknowledged, summary[&release_ids[0]].delivered), (1, 6));
        // And the report reads it: 21 of 24 (release, outlet) pairs reached.
        let period = json!({"f": (app.clock.now() - chrono::Duration::days(1)).to_rfc3339(), "t": (app.clock.now() + chrono::Duration::days(1)).to_rfc3339()});
        let r = app.gql_as(&w.auditor).run("query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f, to:$t){ unit { id } targetedPairs deliveryCoverage maxDeliverySpreadMs } }", period).await;
        let row = r.data()["complianceReport"].as_array().and_then(|a| a.iter().find(|u| u["unit"]["id"] == w.unit_id.as_str())).cloned().expect("row");
        assert_eq!(row["targetedPairs"], 24);
        assert!((row["deliveryCoverage"].as_f64().unwrap_or_default() - 21.0 / 24.0).abs() < 1e-9, "{row}");
        assert!(row["maxDeliverySpreadMs"].as_i64().is_some(), "{row}");

        // A fourth release: outlet 7's newsroom bounced permanently, so its EMAIL delivery is
        // FAILED from the moment of publication (suppressed), not after an attempt.
        let fourth = publish_now(&sp, &w.unit_id, "Thông cáo 3", json!({"allAccredited": true})).await;
        for c in &mut live {
            c.next_data(Duration::from_secs(10)).await;
        }
        let rows = wait_all_settled(&app, &w.admin, &fourth, 12).await;
        assert!(rows.iter().any(|d| d["status"] == "FAILED" && d["lastError"].as_str().is_some_and(|e| e.contains("suppressed"))), "{rows:?}");
        let admin = app.gql_as(&w.admin);
        eventually("live deliveries recorded", || async {
            let r = admin.run("query($r:UUID){ deliveries(releaseId:$r, channel: LIVE, status: DELIVERED, first: 100){ totalCount } }", json!({"r": fourth})).await;
            r.data()["deliveries"]["totalCount"] == 7
        }).await;
        // The summary kept by each change equals the one recomputed from the log, EMAIL counts
        // included.
        let kept = release_reach::Entity::find().order_by_asc(release_reach::Column::ReleaseId).all(&app.ctx.db).await.expect("reach");
        pressnet_domain::services::reach::rebuild(&app.ctx.db).await.expect("rebuild");
        let rebuilt = release_reach::Entity::find().order_by_asc(release_reach::Column::ReleaseId).all(&app.ctx.db).await.expect("reach");
        assert_eq!(kept, rebuilt);
        // `/metrics` sums the summary; it reports what a count of the whole log says.
        let counted = delivery_counts(&app).await;
        let text = reqwest::get(format!("{}/metrics", app.base)).await.expect("metrics").text().await.expect("body");
        for channel in ["LIVE", "EMAIL"] {
            for status in ["PENDING", "SENT", "DELIVERED", "ACKNOWLEDGED", "FAILED"] {
                let n = counted.get(&(channel.to_owned(), status.to_owned())).copied().unwrap_or(0);
                let line = format!("pressnet_deliveries{{channel=\"{channel}\",status=\"{status}\"}} {n}");
                assert!(text.lines().any(|l| l == line), "{line} not in:\n{text}");
            }
        }
        assert_eq!(counted.get(&("EMAIL".to_owned(), "FAILED".to_owned())), Some(&4), "{counted:?}");
        assert_eq!(counted.get(&("EMAIL".to_owned(), "SENT".to_owned())), Some(&44), "{counted:?}");
        assert_eq!(counted.get(&("LIVE".to_owned(), "ACKNOWLEDGED".to_owned())), Some(&1), "{counted:?}");
    }
);

/// The delivery log counted by (channel, status), straight from its rows.
async fn delivery_counts(app: &TestApp) -> std::collections::HashMap<(String, String), i64> {
    use pressnet_domain::entities::delivery;
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{EntityTrait, QuerySelect};
    let rows: Vec<(String, String, i64)> = delivery::Entity::find()
        .select_only()
        .column(delivery::Column::Channel)
        .column(delivery::Column::Status)
        .column_as(Expr::col(delivery::Column::Id).count(), "n")
        .group_by(delivery::Column::Channel)
        .group_by(delivery::Column::Status)
        .into_tuple()
        .all(&app.ctx.db)
        .await
        .expect("count");
    rows.into_iter().map(|(c, s, n)| ((c, s), n)).collect()
}

each!(backends, setup = smtp_app;
    async fn a_suspended_outlets_journalist_gets_nothing_by_e_mail((app, smtp)) {
        let w = World::build(&app, 2).await;
        let j1 = app.gql_as(&w.outlets[1].1);
        j1.run("mutation { setEmailMode(mode: EACH_RELEASE) { emailMode } }", json!({})).await.data();
        j1.run("mutation($u:UUID!){ followUnit(unitId:$u) { emailMode } }", json!({"u": w.unit_id})).await.data();
        app.gql_as(&w.admin).run("mutation($o:UUID!){ setAccreditation(outletId:$o,status:SUSPENDED){ id } }", json!({"o": w.outlets[1].0})).await.data();
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Công khai cho mọi người", json!({"allAccredited": true})).await;
        // Outlet 0's newsroom only: the suspended outlet is not addressed, and following the
        // unit does not bring its journalist back in.
        let rows = wait_all_settled(&app, &w.admin, &id, 1).await;
        assert_eq!(rows[0]["outlet"]["id"], w.outlets[0].0.as_str());
        assert!(smtp.to("pv1@bao1.vn").is_empty());
    }
);

each!(backends, setup = smtp_app;
    async fn the_relays_own_refusal_retries_and_suppresses_nobody((app, smtp)) {
        let w = World::build(&app, 2).await;
        smtp.refuse_sender(Some((553, "5.1.8 sender address rejected")));
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Khi máy chủ thư từ chối", json!({"allAccredited": true})).await;
        for _ in 0..200 {
            let rows = email_rows(&app, &w.admin, &id).await;
            if rows.len() == 2 && rows.iter().all(|d| d["attempts"].as_i64().unwrap_or_default() >= 1) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let rows = email_rows(&app, &w.admin, &id).await;
        for d in &rows {
            assert_eq!(d["status"], "PENDING", "{d}");
            assert!(d["lastError"].as_str().unwrap_or_default().contains("relay"), "{d}");
        }
        let r = app.gql_as(&w.auditor).run("{ emailSuppressions { address } }", json!({})).await;
        assert_eq!(r.data()["emailSuppressions"], json!([]));
        // Once the relay accepts again, the retries go out.
        smtp.refuse_sender(None);
        let rows = wait_all_settled(&app, &w.admin, &id, 2).await;
        assert!(rows.iter().all(|d| d["status"] == "SENT"), "{rows:?}");
    }
);

each!(backends;
    /// A worker claims e-mails and its instance dies: a restart sends them within 30 s (the
    /// claims are short and were renewed only while their worker lived), not after a
    /// five-minute lease.
    async fn claims_of_a_dead_instance_lapse_in_seconds(app) {
        let w = World::build(&app, 3).await;
        let sp = app.gql_as(&w.spokesperson);
        publish_now(
            &sp,
            &w.unit_id,
            "Gửi dở thì máy chết",
            json!({"allAccredited": true}),
        )
        .await;
        // No SMTP yet: the e-mails wait. A worker of a doomed instance claims them.
        let claimed = pressnet_domain::services::outbox::claim(&app.ctx, 256)
            .await
            .map_err(|e| e.detail())
            .expect("claim");
        assert_eq!(claimed.len(), 3);
        let smtp = TestSmtp::start();
        let url = smtp.url();
        let app = app.restart_with(|c| c.smtp_url = Some(url)).await;
        let t = std::time::Instant::now();
        while smtp.messages().len() < 3 {
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "only {} of 3 sent after {:?}",
                smtp.messages().len(),
                t.elapsed()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(smtp.messages().len(), 3, "each once");
        drop(app);
    }
);

each!(backends, setup = smtp_app;
    async fn release_mail_carries_signed_file_links_that_expire((app, smtp)) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Công văn kèm tài liệu", json!({"outletIds": [w.outlets[0].0]})).await;
        let mut pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
        pdf.extend(std::iter::repeat_n(b'x', 3000));
        pdf.extend_from_slice(b"\n%%EOF\n");
        let up = upload(&app, &w.spokesperson, &id, "công-văn-12.pdf", pdf.clone(), Some("Công văn số 12")).await;
        let file_id = up["data"]["addAttachment"]["id"].as_str().expect("file id").to_owned();
        assert!(sp.run(PUBLISH, json!({"id": id})).await.body["errors"].is_null());
        wait_all_settled(&app, &w.admin, &id, 1).await;
        let msgs = smtp.to("toasoan-gp-0@bao.vn");
        assert_eq!(msgs.len(), 1);
        let m = parse(&msgs[0].data);
        // The message carries links, not the files.
        assert_eq!(m.attachments().filter(|p| p.content_type().map(|c| c.ctype()) == Some("application")).count(), 0);
        let text = m.body_text(0).expect("text part").to_string();
        assert!(text.contains("công-văn-12.pdf") && text.contains("Công văn số 12"), "{text}");
        let html = m.body_html(0).expect("html part").to_string();
        let link = text
            .split_whitespace()
            .find(|w| w.contains(&format!("/files/{file_id}?")))
            .unwrap_or_else(|| panic!("a file link in {text}"))
            .to_owned();
        assert!(link.starts_with("https://pressnet.hason.gov.vn/files/"), "{link}");
        assert!(html.replace("&#x2f;", "/").replace("&amp;", "&").contains(&format!("href=\"{link}\"")), "{html}");
        let local = link.replace("https://pressnet.hason.gov.vn", &app.base);
        let http = reqwest::Client::new();
        // Whoever holds the link reads as the outlet it was sent to: no token needed.
        let got = http.get(&local).send().await.expect("get");
        assert_eq!(got.status(), 200);
        assert_eq!(got.bytes().await.expect("bytes").to_vec(), pdf);
        let downloads = app.gql_as(&w.spokesperson).run("query($r:UUID!){ downloads(releaseId:$r){ outlet { name } journalist { fullName } } }", json!({"r": id})).await;
        assert_eq!(downloads.data()["downloads"], json!([{"outlet": {"name": "Báo số 0"}, "journalist": null}]), "{}", downloads.body);
        // Altered: another outlet, another expiry, another signature.
        let other = local.replace(&w.outlets[0].0, &w.outlets[1].0);
        assert_eq!(http.get(&other).send().await.expect("get").status(), 404);
        let (head, _) = local.split_once("&expires=").expect("expires");
        let later = format!("{head}&expires=4102444800&{}", local.split_once("&signature=").map(|(_, s)| format!("signature={s}")).unwrap_or_default());
        assert_eq!(http.get(&later).send().await.expect("get").status(), 404);
        let forged = format!("{}AAAA", &local[..local.len() - 4]);
        assert_eq!(http.get(&forged).send().await.expect("get").status(), 404);
        // The outlet suspended: the link stops working with its access.
        let a = app.gql_as(&w.admin);
        let set = "mutation($o:UUID!,$s:AccreditationStatus!){ setAccreditation(outletId:$o, status:$s){ id } }";
        a.run(set, json!({"o": w.outlets[0].0, "s": "SUSPENDED"})).await.data();
        assert_eq!(http.get(&local).send().await.expect("get").status(), 404);
        a.run(set, json!({"o": w.outlets[0].0, "s": "ACCREDITED"})).await.data();
        assert_eq!(http.get(&local).send().await.expect("get").status(), 200);
        // A week on, it has expired.
        app.clock.advance(chrono::Duration::days(8));
        let late = http.get(&local).send().await.expect("get");
        assert_eq!(late.status(), 403);
        let body: Value = late.json().await.expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    }
);

each!(backends, setup = port_app;
    async fn an_outlet_suspended_while_its_mail_waits_gets_none_of_it((app, port)) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let admin = app.gql_as(&w.admin);
        // A PRESS_ONLY statement to both outlets, while the relay is down.
        let r = sp
            .run(
                CREATE_RELEASE,
                json!({"i": {"unitId": w.unit_id, "kind": "STATEMENT", "title": "Chỉ dành cho báo chí",
                       "summary": "Tóm tắt", "body": "Nội dung", "visibility": "PRESS_ONLY",
                       "audience": {"outletIds": [w.outlets[0].0, w.outlets[1].0]}}}),
            )
            .await;
        let id = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        sp.run(PUBLISH, json!({"id": id})).await.data();
        eventually("both attempts failed once", || {
            let app = &app;
            let (admin, id) = (w.admin.clone(), id.clone());
            async move {
                let rows = email_rows(app, &admin, &id).await;
                rows.len() == 2 && rows.iter().all(|r| r["attempts"].as_i64().unwrap_or(0) >= 1 && r["status"] == "PENDING")
            }
        })
        .await;
        // The first outlet is suspended; then the relay comes back.
        admin
            .run("mutation($o:UUID!){ setAccreditation(outletId:$o, status:SUSPENDED){ accreditation } }", json!({"o": w.outlets[0].0}))
            .await
            .data();
        let smtp = TestSmtp::start_on(port);
        app.clock.advance(chrono::Duration::seconds(30));
        let rows = wait_all_settled(&app, &w.admin, &id, 2).await;
        let suspended = rows.iter().find(|r| r["outlet"]["id"] == json!(w.outlets[0].0)).expect("row");
        assert_eq!(suspended["status"], "FAILED", "{rows:?}");
        assert!(suspended["lastError"].as_str().unwrap_or_default().contains("may not receive"), "{rows:?}");
        let other = rows.iter().find(|r| r["outlet"]["id"] == json!(w.outlets[1].0)).expect("row");
        assert_eq!(other["status"], "SENT", "{rows:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(smtp.messages().len(), 1, "only the accredited outlet's newsroom got it");
    }
);

each!(backends, setup = smtp_app;
    async fn a_bare_carriage_return_stays_inside_its_calendar_value((app, smtp)) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let starts = chrono::DateTime::parse_from_rfc3339("2030-03-15T02:00:00Z").expect("t").to_utc();
        // A bare CR would end the content line and let the text write properties of its own.
        let input = json!({"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": "Họp báo\rDTSTART:19990101T000000Z",
            "summary": "S", "body": "B", "audience": {"allAccredited": true},
            "pressConference": {"startsAt": starts.to_rfc3339(), "location": "Phòng 1\rLOCATION:Nơi khác"}});
        let r = sp.run(CONF, json!({"i": input})).await;
        let Some(id) = r.body["data"]["createRelease"]["id"].as_str().map(str::to_owned) else {
            // Refusing the control character at the door is as good.
            assert_eq!(r.code(), "BAD_USER_INPUT", "{}", r.body);
            return;
        };
        sp.run(PUBLISH, json!({"id": id})).await.data();
        wait_all_settled(&app, &w.admin, &id, 1).await;
        let m = parse(&smtp.messages()[0].data).into_owned();
        let (_, ics) = find_calendar(&m).expect("calendar part");
        assert!(!ics.replace("\r\n", "").contains('\r'), "no bare CR on the wire: {ics:?}");
        let ev = event_props(&ics);
        assert_eq!(ev.get("DTSTART").map(String::as_str), Some("20300315T020000Z"), "{ics}");
        assert!(ev.get("SUMMARY").is_some_and(|s| s.contains("DTSTART:19990101")), "{ics}");
        assert!(ev.get("LOCATION").is_some_and(|s| s.starts_with("Phòng 1")), "{ics}");
    }
);
