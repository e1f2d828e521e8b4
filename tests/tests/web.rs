//! The web application in headless Chromium, one test per workflow of each role, end to end:
//! the public pages; the spokesperson's draft, edit, schedule, cancel, publish, delivery
//! timeline and retraction; the journalist's live feed, archive search, conferences (list,
//! month, RSVP, .ics), questions and settings; the question inbox with legal grounds; the
//! authority's dashboard, registry, audit log and suppressions. Every page is checked at 360 px
//! and 1366 px (`check_page`: screenshot in tests/artifacts/, axe-core, no sideways scrolling,
//! no error).
use fantoccini::Locator;
use pressnet_tests::browser::{check_page, page_errors, screenshot, sign_in, wait_for, Browser};
use pressnet_tests::page::*;
use pressnet_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

async fn release_status(app: &TestApp, token: &str, id: &str) -> Value {
    app.gql_as(token)
        .run(
            "query($id:UUID!){ release(id:$id){ status version title } }",
            json!({"id": id}),
        )
        .await
        .data()["release"]
        .clone()
}

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn the_public_reads_the_roster_releases_and_unit_pages(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let id = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Thông cáo công khai về giáo dục", json!({"allAccredited": true})).await;
        let c = browser.client().await;
        goto(&c, &app, "").await;
        wait_text(&c, "#roster", "Lê Minh Đức").await;
        let roster = text_of(&c, "#roster").await;
        assert!(roster.contains("Sở Y tế") && roster.contains("0204 3854 123") && roster.contains("duc@syt.vn"), "{roster}");
        wait_text(&c, "#recent", "Thông cáo công khai về giáo dục").await;
        check_page(&c, "public-home", "#recent [data-release-id]").await;
        // The unit's page, with its own Atom feed.
        goto(&c, &app, &format!("#/units/{}", w.unit_id)).await;
        wait_text(&c, "main h1", "Sở Y tế").await;
        wait_for(&c, "a[href='/feeds/units/SO-YTE.atom']").await;
        check_page(&c, "public-unit", "main .card").await;
        // The canonical URL of a release opens its page.
        goto(&c, &app, &format!("releases/{id}")).await;
        wait_text(&c, "main h1", "Thông cáo công khai về giáo dục").await;
        wait_text(&c, ".release .body", "chi tiết").await;
        check_page(&c, "public-release", ".release .body").await;
        // English one click away, kept for the next page.
        click(&c, "#lang").await;
        goto(&c, &app, "").await;
        wait_text(&c, "main h1", "Newsroom").await;
        wait_text(&c, "#recent", "Press release").await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn a_spokesperson_drafts_edits_schedules_publishes_and_retracts(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 2).await;
        let c = browser.client().await;
        sign_in(&c, &app.base, "duc@syt.vn", PASSWORD).await;
        wait_for(&c, "#my-releases").await;
        check_page(&c, "spokesperson-console", "#my-releases").await;

        // A new draft, with its Markdown previewed by the server and an audience of one outlet.
        click(&c, "#new-release").await;
        fill(&c, "#title", "Lịch tiêm chủng mở rộng").await;
        fill(&c, "#summary", "Tiêm miễn phí cho trẻ dưới 5 tuổi").await;
        click(&c, "#mode-markdown").await;
        fill(&c, "#body", "# Lịch tiêm\n\nTại các trạm y tế, **miễn phí**.").await;
        fill(&c, "#topics", "y tế, tiêm chủng").await;
        click(&c, "#show-preview").await;
        wait_text(&c, "#preview strong", "miễn phí").await;
        click(&c, ".tabs button:first-child").await;
        wait_text(&c, "#reach", "2").await;
        click(&c, "input[name=audience-mode][value=chosen]").await;
        click(&c, &format!("#outlet-picker input[value='{}']", w.outlets[0].0)).await;
        wait_text(&c, "#reach", "1").await;
        // A photo with its caption, chosen in the drop zone (the draft is saved for it first).
        let photo = std::env::temp_dir().join(format!("pressnet-anh-{}.png", std::process::id()));
        image::RgbImage::from_fn(640, 400, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]))
            .save(&photo)
            .expect("a photo");
        fill(&c, "#file-caption", "Trạm y tế xã Tân Sơn").await;
        wait_for(&c, "#file-input").await.send_keys(&photo.display().to_string()).await.expect("choose the file");
        wait_value(&c, "#files .caption-edit", "Trạm y tế xã Tân Sơn").await;
        wait_for(&c, "#files img.thumb").await;
        // A document after it, moved first, its caption written in the gallery.
        let doc = std::env::temp_dir().join(format!("lich-tiem-{}.pdf", std::process::id()));
        std::fs::write(&doc, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n").expect("a document");
        wait_for(&c, "#file-input").await.send_keys(&doc.display().to_string()).await.expect("choose the document");
        wait_text(&c, "#files li:nth-child(2)", "lich-tiem").await;
        click(&c, "#files li:nth-child(2) .move-up").await;
        wait_text(&c, "#files li:first-child", "lich-tiem").await;
        fill(&c, "#files li:first-child .caption-edit", "Lịch tiêm (bản in)").await;
        wait_for(&c, "#files li:first-child .credit-edit").await.send_keys("\u{e004}").await.expect("tab");
        until("the caption saved", async || {
            let d = app.gql_as(&w.spokesperson).run("{ releases(status: DRAFT){ edges { node { attachments { caption } } } } }", json!({})).await;
            d.body["data"]["releases"]["edges"][0]["node"]["attachments"][0]["caption"] == "Lịch tiêm (bản in)"
        })
        .await;
        check_page(&c, "spokesperson-editor", "#reach").await;
        click(&c, "button[name=draft]").await;
        wait_text(&c, "#status", "nháp").await;
        let sp = app.gql_as(&w.spokesperson);
        let drafts = sp.run("{ releases(status: DRAFT){ edges { node { id title version audience { outletIds } attachments { caption contentType } } } } }", json!({})).await;
        let node = drafts.data()["releases"]["edges"][0]["node"].clone();
        assert_eq!(node["attachments"][0]["caption"], "Lịch tiêm (bản in)", "{}", drafts.body);
        assert_eq!(node["attachments"][0]["contentType"], "application/pdf");
        assert_eq!(node["attachments"][1]["caption"], "Trạm y tế xã Tân Sơn", "{}", drafts.body);
        assert_eq!(node["attachments"][1]["contentType"], "image/png");
        assert_eq!(node["title"], "Lịch tiêm chủng mở rộng");
        assert_eq!(node["audience"]["outletIds"], json!([w.outlets[0].0]));
        let id = node["id"].as_str().expect("id").to_owned();

        // Reopened from the list (filtered to drafts), edited: the version goes up.
        goto(&c, &app, "#/console").await;
        select(&c, "#f-status", "DRAFT").await;
        wait_text(&c, "#my-releases", "Lịch tiêm chủng mở rộng").await;
        click(&c, &format!("#my-releases [data-release-id='{id}'] a")).await;
        for _ in 0..100 {
            if wait_for(&c, "#title").await.prop("value").await.ok().flatten().unwrap_or_default() == "Lịch tiêm chủng mở rộng" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        wait_text(&c, "h1", &format!("v{}", node["version"])).await;
        fill(&c, "#title", "Lịch tiêm chủng mở rộng năm 2027").await;
        for _ in 0..50 {
            if wait_for(&c, "#title").await.prop("value").await.ok().flatten().unwrap_or_default().ends_with("năm 2027") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        click(&c, "button[name=draft]").await;
        let before = node["version"].as_i64().expect("version");
        // The editor shows the saved version; the failure, if any, is in #write-error.
        for _ in 0..150 {
            if text_of(&c, "h1").await.contains(&format!("v{}", before + 1)) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let now = release_status(&app, &w.spokesperson, &id).await;
        assert_eq!(
            now["version"].as_i64(),
            Some(before + 1),
            "release {now}; the editor's error: {:?}; its title: {:?}",
            text_of(&c, "#write-error").await,
            wait_for(&c, "#title").await.prop("value").await.ok().flatten()
        );
        assert_eq!(now["title"], "Lịch tiêm chủng mở rộng năm 2027");

        // Scheduled (embargo, Vietnam time), then the schedule cancelled: a draft again.
        fill_when(&c, "publish-at", "02/01/2030", "09:00").await;
        click(&c, "button[name=schedule]").await;
        wait_text(&c, "#confirm-body", "2 tháng 1, 2030 09:00").await;
        confirm(&c).await;
        until("scheduled", async || release_status(&app, &w.spokesperson, &id).await["status"] == "SCHEDULED").await;
        wait_for(&c, "#cancel-schedule").await;
        let at = app.gql_as(&w.spokesperson).run("query($id:UUID!){ release(id:$id){ publishAt } }", json!({"id": id})).await;
        assert_eq!(at.data()["release"]["publishAt"].as_str().map(|s| s.starts_with("2030-01-02T02:00:00")), Some(true), "{}", at.body);
        click(&c, "#cancel-schedule").await;
        until("a draft again", async || release_status(&app, &w.spokesperson, &id).await["status"] == "DRAFT").await;

        // Published now: the delivery log and timeline follow live.
        click(&c, "#publish-now").await;
        confirm(&c).await;
        until("published", async || release_status(&app, &w.spokesperson, &id).await["status"] == "PUBLISHED").await;
        wait_for(&c, "#delivery-log tbody tr").await;
        let ack = app.gql_as(&w.outlets[0].1).run("mutation($r:UUID!){ acknowledgeRelease(releaseId:$r){ status } }", json!({"r": id})).await;
        assert_eq!(ack.data()["acknowledgeRelease"]["status"], "ACKNOWLEDGED");
        wait_text(&c, "#delivery-log", "Đã xác nhận").await;
        wait_text(&c, "#delivery-log", "Phóng viên 0").await;
        wait_text(&c, "#delivery-stats", "1 Đã xác nhận").await;
        wait_for(&c, "#timeline path.line").await;
        select(&c, "#f-channel", "EMAIL").await;
        let rows = c.find_all(Locator::Css("#delivery-log tbody tr")).await.expect("rows");
        for r in rows {
            assert!(r.text().await.unwrap_or_default().contains("E-mail"));
        }
        check_page(&c, "spokesperson-release", "#timeline").await;

        // Retracted with its reason.
        fill(&c, "#retract-reason", "Sai lịch, sẽ đăng lại").await;
        click(&c, "#retract button[type=submit]").await;
        confirm(&c).await;
        until("retracted", async || release_status(&app, &w.spokesperson, &id).await["status"] == "RETRACTED").await;
        wait_text(&c, ".release", "Sai lịch, sẽ đăng lại").await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

/// A press conference three days ahead, addressed to every accredited outlet.
async fn conference(app: &TestApp, w: &World, title: &str) -> String {
    let starts = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let sp = app.gql_as(&w.spokesperson);
    let r = sp
        .run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": title, "summary": "Họp báo định kỳ",
            "body": "Mời các cơ quan báo chí.", "audience": {"allAccredited": true},
            "pressConference": {"startsAt": starts, "location": "Hội trường UBND tỉnh, tầng 2"}}}))
        .await;
    let id = r.data()["createRelease"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert!(sp.run(PUBLISH, json!({"id": id})).await.body["errors"].is_null());
    id
}

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn a_journalist_follows_the_feed_searches_rsvps_asks_and_sets_email(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        publish_now(&sp, &w.unit_id, "Kế hoạch giáo dục năm 2027", json!({"allAccredited": true})).await;
        let conf = conference(&app, &w, "Họp báo quý IV").await;
        let c = browser.client().await;
        sign_in(&c, &app.base, "pv0@bao0.vn", PASSWORD).await;
        wait_text(&c, "#feed", "Kế hoạch giáo dục năm 2027").await;
        wait_text(&c, "#live-state", "trực tiếp").await;

        // Live: unread until acknowledged.
        let id = publish_now(&sp, &w.unit_id, "Thông cáo trực tiếp về mưa lũ", json!({"allAccredited": true})).await;
        let card = wait_for(&c, &format!("[data-release-id=\"{id}\"].unread")).await;
        assert!(card.text().await.unwrap_or_default().contains("Thông cáo trực tiếp về mưa lũ"));
        check_page(&c, "journalist-feed", "#feed .unread").await;
        card.find(Locator::Css("button.ack")).await.expect("ack button").click().await.expect("click");
        until("acknowledged", async || {
            let r = app.gql_as(&w.admin).run("query($r:UUID){ deliveries(releaseId:$r, channel: LIVE){ edges { node { status } } } }", json!({"r": id})).await;
            r.data()["deliveries"]["edges"][0]["node"]["status"] == "ACKNOWLEDGED"
        })
        .await;
        wait_for(&c, &format!("[data-release-id=\"{id}\"]:not(.unread)")).await;

        // The archive, accent-insensitive.
        goto(&c, &app, "#/archive").await;
        fill(&c, "#q", "giao duc").await;
        click(&c, "#search button[type=submit]").await;
        wait_text(&c, "#results", "Kế hoạch giáo dục năm 2027").await;
        check_page(&c, "journalist-archive", "#results .card").await;

        // Conferences: list, RSVP, month, and the calendar file.
        goto(&c, &app, "#/conferences").await;
        wait_text(&c, "#conference-list", "Họp báo quý IV").await;
        click(&c, "#conference-list button.rsvp").await;
        wait_text(&c, "#conference-list", "Bạn đã đăng ký dự").await;
        check_page(&c, "journalist-conferences", "#conference-list").await;
        click(&c, "#view-month").await;
        check_page(&c, "journalist-calendar", "#month-grid").await;
        let ics = c
            .execute_async(
                "const done = arguments[arguments.length - 1]; import('/js/calendar.js').then(m => done(m.icsOf(
                   {id: 'abc', title: 'Họp báo, quý IV', summary: 's', unit: {name: 'Sở Y tế'},
                    pressConference: {startsAt: '2026-12-05T02:00:00Z', location: 'Hội trường; tầng 2'}})))",
                vec![],
            )
            .await
            .expect("ics");
        let ics = ics.as_str().unwrap_or_default();
        assert!(ics.contains("DTSTART:20261205T020000Z\r\n") && ics.contains("SUMMARY:Họp báo\\, quý IV") && ics.contains("LOCATION:Hội trường\\; tầng 2"), "{ics}");
        goto(&c, &app, &format!("#/releases/{conf}")).await;
        wait_text(&c, ".conf", "Hội trường UBND tỉnh").await;
        wait_text(&c, ".conf", "Bạn đã đăng ký dự").await;
        check_page(&c, "journalist-release", ".conf #ics").await;

        // A question, then its answer rated.
        goto(&c, &app, "#/questions").await;
        select(&c, "#ask-unit", &w.unit_id).await;
        fill(&c, "#ask-q", "Khi nào công bố kết quả kiểm tra?").await;
        click(&c, "#ask button[type=submit]").await;
        wait_text(&c, "#questions", "Khi nào công bố kết quả kiểm tra?").await;
        let q = app.gql_as(&w.outlets[0].1).run("{ inquiries { id } }", json!({})).await;
        let qid = q.data()["inquiries"][0]["id"].as_str().expect("inquiry").to_owned();
        sp.run("mutation($id:UUID!){ answerInquiry(id:$id, answer:\"Tuần sau.\"){ id } }", json!({"id": qid})).await.data();
        goto(&c, &app, "#/settings").await;
        goto(&c, &app, "#/questions").await;
        wait_text(&c, "#questions", "Tuần sau.").await;
        select(&c, &format!("#rate-{qid}"), "SATISFIED").await;
        until("rated", async || app.gql_as(&w.outlets[0].1).run("{ inquiries { rating } }", json!({})).await.data()["inquiries"][0]["rating"] == "SATISFIED").await;
        check_page(&c, "journalist-questions", "#questions .card").await;

        // Settings: phone notifications (the card offers them), the e-mail mode and a followed unit.
        goto(&c, &app, "#/settings").await;
        wait_text(&c, "#push", "Thông báo trên điện thoại").await;
        wait_text(&c, "#push-count", "0").await;
        select(&c, "#mode", "DAILY_DIGEST").await;
        until("digest", async || app.gql_as(&w.outlets[0].1).run("{ mySubscription { emailMode } }", json!({})).await.data()["mySubscription"]["emailMode"] == "DAILY_DIGEST").await;
        select(&c, "#follow-unit-id", &w.unit_id).await;
        click(&c, "#follow-unit button[type=submit]").await;
        wait_text(&c, "#follows", "Sở Y tế").await;
        fill(&c, "#follow-topic-name", "giáo dục").await;
        click(&c, "#follow-topic button[type=submit]").await;
        wait_text(&c, "#follows", "giáo dục").await;
        check_page(&c, "journalist-settings", "#follows").await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn a_spokesperson_answers_and_declines_on_a_legal_ground(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let j = app.gql_as(&w.outlets[0].1);
        let ask = "mutation($u:UUID!,$q:String!){ askQuestion(unitId:$u, question:$q){ id } }";
        let first = j.run(ask, json!({"u": w.unit_id, "q": "Số ca sốt xuất huyết tuần này?"})).await.data()["askQuestion"]["id"].as_str().expect("id").to_owned();
        let second = j.run(ask, json!({"u": w.unit_id, "q": "Kết quả thanh tra bệnh viện tỉnh?"})).await.data()["askQuestion"]["id"].as_str().expect("id").to_owned();
        let c = browser.client().await;
        sign_in(&c, &app.base, "duc@syt.vn", PASSWORD).await;
        wait_for(&c, "#my-releases").await;
        goto(&c, &app, "#/inbox").await;
        wait_text(&c, "#inbox", "Số ca sốt xuất huyết tuần này?").await;
        check_page(&c, "spokesperson-inbox", "#inbox .card").await;
        let card = |id: &str| format!("#inbox [data-inquiry-id='{id}']");
        fill(&c, &format!("{} textarea", card(&first)), "124 ca, giảm 10%.").await;
        click(&c, &format!("{} button[type=submit]", card(&first))).await;
        until("answered", async || app.gql_as(&w.spokesperson).run("query($id:UUID){ inquiries(unitId:$id, status: ANSWERED){ id } }", json!({"id": w.unit_id})).await.data()["inquiries"].as_array().is_some_and(|a| a.len() == 1)).await;
        click(&c, &format!("{} .tabs button:nth-child(2)", card(&second))).await;
        select(&c, &format!("#gr-{second}"), "ground_investigation").await;
        click(&c, &format!("{} button[type=submit]", card(&second))).await;
        until("declined", async || {
            let r = app.gql_as(&w.outlets[0].1).run("{ inquiries(status: DECLINED){ declineReason } }", json!({})).await;
            r.data()["inquiries"][0]["declineReason"].as_str().is_some_and(|s| s.contains("thanh tra, điều tra"))
        })
        .await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn the_authority_audits_and_keeps_the_registry(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Thông cáo cho báo cáo", json!({"allAccredited": true})).await;
        let c = browser.client().await;
        sign_in(&c, &app.base, ADMIN_EMAIL, PASSWORD).await;
        wait_text(&c, "#report-table", "Sở Y tế").await;
        wait_for(&c, "#chart-monthly rect").await;
        // Axes carry labels; the units needing attention come first (Sở Tài chính has no spokesperson).
        wait_text(&c, "#report-chart", "Thông cáo theo tháng").await;
        let rows = c.find_all(Locator::Css("#report-table tbody tr")).await.expect("rows");
        let mut flags = Vec::new();
        for r in rows {
            flags.push(r.attr("class").await.ok().flatten().unwrap_or_default().contains("attention"));
        }
        assert!(flags.windows(2).all(|p| p[0] || !p[1]), "units needing attention first: {flags:?}");
        click(&c, "#report-table th:nth-child(3) button").await;
        let sorted = wait_for(&c, "#report-table th:nth-child(3)").await.attr("aria-sort").await.ok().flatten();
        assert_eq!(sorted.as_deref(), Some("ascending"));
        check_page(&c, "authority-dashboard", "#chart-cadence").await;

        // Registry: a unit without a spokesperson is flagged until one is registered; a term ends.
        goto(&c, &app, "#/registry").await;
        wait_for(&c, "#units").await;
        fill(&c, "#unit-code", "SO-GD").await;
        fill(&c, "#unit-name", "Sở Giáo dục và Đào tạo").await;
        click(&c, "#new-unit button[type=submit]").await;
        wait_text(&c, "#units-without", "Sở Giáo dục và Đào tạo").await;
        let units = app.gql_as(&w.admin).run("{ units { id code } }", json!({})).await;
        let gd = units.data()["units"].as_array().expect("units").iter().find(|u| u["code"] == "SO-GD").expect("SO-GD")["id"].as_str().expect("id").to_owned();
        select(&c, "#sp-unit", &gd).await;
        fill(&c, "#sp-name", "Trần Thị Mai").await;
        fill(&c, "#sp-position", "Chánh Văn phòng").await;
        fill(&c, "#sp-phone", "0204 3855 000").await;
        fill(&c, "#sp-email", "mai@sgd.vn").await;
        click(&c, "#new-spokesperson button[type=submit]").await;
        wait_text(&c, &format!("[data-unit-id='{gd}']"), "Trần Thị Mai").await;
        click(&c, &format!("[data-unit-id='{gd}'] button.end-term")).await;
        confirm(&c).await;
        wait_text(&c, "#units-without", "Sở Giáo dục và Đào tạo").await;

        // An outlet registered, then accredited until a date.
        fill(&c, "#o-name", "Báo Bắc Giang điện tử").await;
        fill(&c, "#o-licence", "GP-99").await;
        fill(&c, "#o-email", "toasoan@bbg.vn").await;
        click(&c, "#new-outlet button[type=submit]").await;
        wait_text(&c, "#outlets", "Báo Bắc Giang điện tử").await;
        let outlets = app.gql_as(&w.admin).run("{ outlets { id name accreditation } }", json!({})).await;
        let o = outlets.data()["outlets"].as_array().expect("outlets").iter().find(|o| o["name"] == "Báo Bắc Giang điện tử").expect("outlet").clone();
        assert_eq!(o["accreditation"], "PENDING");
        let oid = o["id"].as_str().expect("id").to_owned();
        fill_when(&c, &format!("until-{oid}"), "31/12/2027", "00:00").await;
        select(&c, &format!("#acc-{oid}"), "ACCREDITED").await;
        confirm(&c).await;
        until("accredited", async || {
            let r = app.gql_as(&w.admin).run("{ outlets(accreditation: ACCREDITED) { name accreditedUntil } }", json!({})).await;
            r.data()["outlets"].as_array().is_some_and(|a| a.iter().any(|o| o["name"] == "Báo Bắc Giang điện tử"))
        })
        .await;
        // A journalist of that outlet (an invitation is e-mailed: no password given).
        select(&c, "#j-outlet", &oid).await;
        fill(&c, "#j-name", "Nguyễn Văn Hùng").await;
        fill(&c, "#j-email", "hung@bbg.vn").await;
        fill(&c, "#j-card", "TNB-0042").await;
        click(&c, "#new-journalist button[type=submit]").await;
        wait_text(&c, &format!("[data-outlet-id='{oid}']"), "Nguyễn Văn Hùng").await;
        // E-mail is off here: the administrator is given the link to pass on.
        wait_text(&c, "#invite-link", "/#/invite/").await;
        // Its newsroom system's webhook: the secret shown once, then only the URL; a test event
        // goes out and its outcome shows among the endpoint's recent attempts.
        let rx = pressnet_tests::receiver::Receiver::start().await;
        let hook = format!("{}/bbg/pressnet", rx.url);
        select(&c, "#w-outlet", &oid).await;
        fill(&c, "#w-url", &hook).await;
        click(&c, "#new-webhook button[type=submit]").await;
        wait_text(&c, "#webhook-secret", "whsec_").await;
        wait_text(&c, "#webhooks", &hook).await;
        let hooks = app.gql_as(&w.admin).run("query($o:UUID!){ webhookEndpoints(outletId:$o){ url enabled } }", json!({"o": oid})).await;
        assert_eq!(hooks.data()["webhookEndpoints"], json!([{"url": hook, "enabled": true}]));
        click(&c, "#webhooks button.test").await;
        rx.wait_for(1, 20).await;
        wait_text(&c, "#webhooks .attempts", "DELIVERED").await;
        click(&c, "#webhooks button.toggle").await;
        wait_text(&c, "#webhooks .webhook-state", "Đã ngừng").await;
        check_page(&c, "authority-registry", "#outlets").await;

        // The audit log: verified, a signed checkpoint taken and checked against.
        goto(&c, &app, "#/audit").await;
        wait_for(&c, "#audit-log li").await;
        click(&c, "#verify").await;
        wait_text(&c, "#verify-result", "toàn vẹn").await;
        click(&c, "#checkpoint").await;
        click(&c, "#verify-against").await;
        wait_text(&c, "#verify-result", "toàn vẹn").await;
        check_page(&c, "authority-audit", "#audit-log li").await;
        goto(&c, &app, "#/suppressions").await;
        check_page(&c, "authority-suppressions", "main h1").await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());

        // The auditor reads the same pages and changes nothing.
        let a = browser.client().await;
        sign_in(&a, &app.base, AUDITOR_EMAIL, PASSWORD).await;
        wait_text(&a, "#report-table", "Sở Y tế").await;
        goto(&a, &app, "#/registry").await;
        wait_for(&a, "#outlets").await;
        assert!(a.find(Locator::Id("new-unit")).await.is_err());
        assert!(a.find(Locator::Css("button.end-term")).await.is_err());
        assert!(a.find(Locator::Id("new-webhook")).await.is_err());
        c.close().await.ok();
        a.close().await.ok();
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn graphiql_runs_a_query_with_nothing_from_another_host(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let c = browser.client().await;
        c.goto(&format!("{}/graphql", app.base)).await.expect("goto");
        wait_for(&c, ".graphiql-container .graphiql-query-editor .CodeMirror").await;
        c.execute(
            "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('{ units { code name } }')",
            vec![],
        )
        .await
        .expect("set the query");
        wait_for(&c, ".graphiql-execute-button").await.click().await.expect("run");
        let mut result = String::new();
        for _ in 0..100 {
            result = c
                .execute("const e = document.querySelector('.graphiql-response .CodeMirror'); return e ? e.CodeMirror.getValue() : ''", vec![])
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            if result.contains("SO-YTE") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(result.contains("SO-YTE"), "{result}");
        let loaded: Vec<String> = c
            .execute("return performance.getEntriesByType('resource').map(e => e.name)", vec![])
            .await
            .ok()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        assert!(!loaded.is_empty());
        for url in &loaded {
            assert!(url.starts_with(&app.base) || url.starts_with("data:"), "loaded from elsewhere: {url}");
        }
        screenshot(&c, &format!("graphiql-{:?}", app.backend)).await;
        let _ = w;
        c.close().await.ok();
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn the_feed_falls_back_to_server_sent_events(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let c = browser.client().await;
        sign_in(&c, &app.base, "pv0@bao0.vn", PASSWORD).await;
        wait_for(&c, "#feed").await;
        // As on a network that passes no websockets.
        c.execute("sessionStorage.setItem('transport', 'sse'); location.reload()", vec![]).await.expect("force SSE");
        wait_for(&c, "#feed").await;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let id = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Qua luồng sự kiện", json!({"allAccredited": true})).await;
        let card = wait_for(&c, &format!("[data-release-id=\"{id}\"]")).await;
        assert!(card.text().await.unwrap_or_default().contains("Qua luồng sự kiện"));
        let sse_used: bool = c
            .execute("return document.documentElement.dataset.liveTransport === 'sse'", vec![])
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        assert!(sse_used);
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

each!(backends;
    async fn every_page_has_an_icon(app) {
        // A missing icon is a 404 and a console error on every page.
        let http = reqwest::Client::new();
        for page in ["/", "/graphql"] {
            let html = http.get(format!("{}{page}", app.base)).header("accept", "text/html").send().await.expect("page").text().await.expect("text");
            let href = html.split("rel=\"icon\" href=\"").nth(1).and_then(|r| r.split('"').next()).expect("an icon link").to_owned();
            let resp = http.get(format!("{}{href}", app.base)).send().await.expect("icon");
            assert_eq!(resp.status(), 200, "{page}: {href}");
        }
        let resp = http.get(format!("{}/favicon.ico", app.base)).send().await.expect("favicon.ico");
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/svg+xml"));
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn the_keyboard_alone_signs_in_and_acknowledges(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let id = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Thông cáo cho bàn phím", json!({"allAccredited": true})).await;
        let c = browser.client().await;
        goto(&c, &app, "#/login").await;
        wait_for(&c, "form#login").await;
        tab_to(&c, "#email").await;
        c.active_element().await.expect("focus").send_keys("pv0@bao0.vn").await.expect("type");
        tab_to(&c, "#password").await;
        c.active_element().await.expect("focus").send_keys(&format!("{PASSWORD}\u{E007}")).await.expect("type, Enter");
        wait_for(&c, &format!("[data-release-id=\"{id}\"].unread")).await;
        tab_to(&c, &format!("[data-release-id=\"{id}\"] button.ack")).await;
        // The focus is visible where it is.
        let outline = c
            .execute("return getComputedStyle(document.activeElement).outlineStyle", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        assert_ne!(outline, "none");
        c.active_element().await.expect("focus").send_keys("\u{E007}").await.expect("Enter");
        wait_for(&c, &format!("[data-release-id=\"{id}\"]:not(.unread)")).await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn monitoring_spread_press_reports_and_i_published_this(app) {
        use pressnet_tests::feed_server::{FeedServer, Route};
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Sở Y tế khuyến cáo phòng sốt xuất huyết", json!({"allAccredited": true})).await;
        let feeds = FeedServer::start().await;
        let at = (chrono::Utc::now() + chrono::Duration::minutes(3)).to_rfc2822();
        feeds.serve("/rss", Route::feed("application/rss+xml", format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Báo</title><link>https://bao.example/</link><description>x</description>\
             <item><title>Phòng sốt xuất huyết mùa mưa</title><link>https://bao.example/sxh</link><description>Theo {}/releases/{id}</description><pubDate>{at}</pubDate></item>\
             <item><title>Người dân phản ánh trạm y tế đóng cửa</title><link>https://bao.example/tram</link><description>Phản ánh</description><pubDate>{at}</pubDate></item>\
             <item><title>Sở Y tế kiểm tra an toàn thực phẩm</title><link>https://bao.example/attp</link><description>Đoàn kiểm tra</description><pubDate>{at}</pubDate></item>\
             <item><title>SỞ Y TẾ tuyển dụng bác sĩ</title><link>https://bao.example/tuyen-dung</link><description>Chỉ tiêu</description><pubDate>{at}</pubDate></item>\
             <item><title>So y te cong bo gia kham benh</title><link>https://bao.example/gia</link><description>Bảng giá</description><pubDate>{at}</pubDate></item>\
             </channel></rss>", app.base)));
        let a = app.gql_as(&w.admin);
        a.run("mutation($o:UUID!,$u:[String!]!){ setOutletFeeds(outletId:$o, urls:$u){ id } }", json!({"o": w.outlets[0].0, "u": [format!("{}/rss", feeds.url)]})).await.data();
        until("the articles", async || app.db_count("SELECT COUNT(*) FROM pickups").await == 1).await;

        // The journalist: "I published this".
        let c = browser.client().await;
        sign_in(&c, &app.base, "pv0@bao0.vn", PASSWORD).await;
        wait_for(&c, "#feed").await;
        goto(&c, &app, &format!("#/releases/{id}")).await;
        fill(&c, "#pickup-url", "https://bao.example/ban-in/sxh").await;
        click(&c, "#declare-pickup button[type=submit]").await;
        wait_for(&c, "#declared").await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
        assert_eq!(app.db_count("SELECT COUNT(*) FROM pickups WHERE matched_by = 'declared'").await, 1);

        // The authority: the monitoring page; a press report raised from it.
        let c = browser.client().await;
        sign_in(&c, &app.base, ADMIN_EMAIL, PASSWORD).await;
        wait_text(&c, "#report-table", "Sở Y tế").await;
        goto(&c, &app, "#/monitoring").await;
        wait_text(&c, "#articles", "Người dân phản ánh trạm y tế đóng cửa").await;
        check_page(&c, "authority-monitoring", "#articles .card").await;
        let articles = a.run("{ articles(search: \"tram y te\"){ id } }", json!({})).await;
        let article = articles.data()["articles"][0]["id"].as_str().expect("article").to_owned();
        let form = format!("#articles [data-article-id='{article}']");
        select(&c, &format!("#raise-unit-{article}"), &w.unit_id).await;
        fill(&c, &format!("#raise-note-{article}"), "Đề nghị làm rõ").await;
        click(&c, &format!("{form} form.raise button[type=submit]")).await;
        until("raised", async || app.db_count("SELECT COUNT(*) FROM press_reports").await == 1).await;
        wait_text(&c, "#open-reports", "Người dân phản ánh trạm y tế đóng cửa").await;
        // Three articles name Sở Y tế today, none before: an alert, and suggested reports.
        wait_text(&c, "#mention-alerts", "Sở Y tế").await;
        wait_text(&c, "#suggestions", "Sở Y tế kiểm tra an toàn thực phẩm").await;
        click(&c, "#mention-alerts button").await;
        until("the unit's articles", async || {
            let t = text_of(&c, "#articles").await;
            t.contains("SỞ Y TẾ tuyển dụng bác sĩ") && !t.contains("Giá vàng") && !t.contains("trạm y tế đóng cửa")
        }).await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();

        // The unit: the spread on its release page, and the press-report inbox.
        let c = browser.client().await;
        sign_in(&c, &app.base, "duc@syt.vn", PASSWORD).await;
        wait_for(&c, "#my-releases").await;
        goto(&c, &app, &format!("#/releases/{id}")).await;
        wait_text(&c, "#spread-summary", "1 trên 1").await;
        wait_for(&c, "#pickups li[data-matched-by='link']").await;
        wait_for(&c, "#pickups li[data-matched-by='declared']").await;
        check_page(&c, "release-spread", "#spread-chart").await;
        goto(&c, &app, "#/press-reports").await;
        wait_text(&c, "#press-reports", "Người dân phản ánh trạm y tế đóng cửa").await;
        check_page(&c, "spokesperson-press-reports", "#press-reports .card").await;
        fill(&c, "#press-reports textarea", "Trạm y tế đã mở cửa trở lại từ sáng nay.").await;
        click(&c, "#press-reports form.respond button[type=submit]").await;
        until("responded", async || app.db_count("SELECT COUNT(*) FROM press_reports WHERE status = 'ANSWERED'").await == 1).await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);
