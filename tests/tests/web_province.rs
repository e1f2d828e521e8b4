//! The province of 2026 in headless Chromium (issue 33): the authority records a merger with a
//! preview of what moves, reads rule sets and expiring press cards; an ended unit's page names
//! its successor; a spokesperson writes the unit's communication plan. Every page is checked at
//! 360 px and 1366 px (`check_page`).
use fantoccini::Locator;
use pressnet_tests::browser::{check_page, sign_in, wait_for, Browser};
use pressnet_tests::page::*;
use pressnet_tests::*;
use serde_json::json;

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn the_authority_reorganizes_units_and_a_spokesperson_writes_the_plan(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        app.gql_as(&w.outlets[0].1).run("mutation($u:UUID!){ askQuestion(unitId:$u, question:\"Bao giờ có thuốc?\"){ id } }", json!({"u": w.unit_id})).await.data();
        // A press card that runs out in ten days.
        let r = app.gql_as(&w.admin).run("{ outlets { journalists { id } } }", json!({})).await;
        let jid = r.data()["outlets"][0]["journalists"][0]["id"].clone();
        let soon = (chrono::Utc::now() + chrono::Duration::days(10)).to_rfc3339();
        app.gql_as(&w.admin).run("mutation($j:UUID!,$t:DateTime!){ setPressCard(journalistId:$j, pressCardNumber:\"NB-10\", expiresAt:$t){ id } }", json!({"j": jid, "t": soon})).await.data();
        let c = browser.client().await;
        sign_in(&c, &app.base, ADMIN_EMAIL, PASSWORD).await;
        // Signed in, the dashboard opens first.
        wait_for(&c, "#report-table").await;
        goto(&c, &app, "#/province").await;
        wait_text(&c, "#rule-sets", "09/2017").await;
        wait_text(&c, "#expiring-cards", "Phóng viên 0").await;
        // Every page is signed by the authority (PRESSNET_AUTHORITY_NAME).
        wait_text(&c, "#site-footer", "Sở Văn hóa, Thể thao và Du lịch").await;
        check_page(&c, "province", "#reorganize").await;

        // A stricter rule set from tomorrow (the form proposes tomorrow at midnight).
        fill(&c, "#rule-ref", "Nghị định 15/2026/NĐ-CP").await;
        click(&c, "#add-rule-set button[type=submit]").await;
        wait_text(&c, "#rule-sets", "15/2026").await;

        // The two departments merge into a new one; the preview names what moves.
        click(&c, &format!("#reorganize input[name=from][value='{}']", w.unit_id)).await;
        click(&c, &format!("#reorganize input[name=from][value='{}']", w.other_unit_id)).await;
        wait_text(&c, "#reorg-preview", "Phạm Quốc Anh").await;
        let preview = text_of(&c, "#reorg-preview").await;
        assert!(preview.contains("Lê Minh Đức") && preview.contains("Phạm Quốc Anh"), "{preview}");
        fill(&c, "#reorg-code", "SO-YT-TC").await;
        fill(&c, "#reorg-name", "Sở Y tế và Tài chính").await;
        fill(&c, "#reorg-ref", "Nghị quyết 202/2025/QH15").await;
        click(&c, "#reorganize button[type=submit]").await;
        confirm(&c).await;
        wait_text(&c, "#reorganizations", "Sở Y tế và Tài chính").await;
        wait_text(&c, "#ended-units", "Sở Y tế").await;
        let r = app.gql_as(&w.admin).run("{ units { code } }", json!({})).await;
        assert_eq!(r.data()["units"], json!([{"code": "SO-YT-TC"}]));

        // The ended unit's public page names its successor.
        goto(&c, &app, &format!("#/units/{}", w.unit_id)).await;
        wait_text(&c, "#unit-ended", "Sở Y tế và Tài chính").await;
        check_page(&c, "unit-ended", "#unit-ended").await;

        // A spokesperson of the new unit writes its plan.
        let units = app.gql_as(&w.admin).run("{ units { id } }", json!({})).await;
        let merged = units.data()["units"][0]["id"].as_str().expect("unit").to_owned();
        register_spokesperson(&app.gql_as(&w.admin), &merged, "Nguyễn Thu Hà", "ha@sytc.vn").await;
        let c2 = browser.client().await;
        sign_in(&c2, &app.base, "ha@sytc.vn", PASSWORD).await;
        // Signed in, the console opens first.
        wait_text(&c2, "#who", "ha@sytc.vn").await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        goto(&c2, &app, "#/plan").await;
        wait_for(&c2, "#plan-add").await;
        fill(&c2, "#plan-title", "Họp báo quý IV").await;
        select(&c2, "#plan-kind", "PRESS_CONFERENCE").await;
        let day = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7")).format("%d/%m/%Y").to_string();
        fill(&c2, "#plan-due", &day).await;
        click(&c2, "#plan-add button[type=submit]").await;
        wait_text(&c2, "#plan-items", "Họp báo quý IV").await;
        wait_text(&c2, "#plan-progress", "0/1").await;
        // The kind chosen is the kind saved (typing the date re-renders the form).
        let items = text_of(&c2, "#plan-items").await;
        assert!(!items.contains("Thông cáo báo chí"), "{items}");
        let n = c2.find_all(Locator::Css("#plan-items li")).await.expect("items").len();
        assert_eq!(n, 1);
        check_page(&c2, "plan", "#plan-items li").await;
    }
);
