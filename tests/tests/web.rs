//! The web application in headless Chromium: the public roster, the journalist's live feed
//! with acknowledgement, publishing from the spokesperson's form, and the authority's report.
use pressnet_tests::browser::{page_errors, screenshot, sign_in, wait_for, Browser};
use pressnet_tests::*;
use serde_json::json;
use std::time::Duration;

async fn text_of(c: &fantoccini::Client, css: &str) -> String {
    wait_for(c, css).await.text().await.unwrap_or_default()
}

async fn wait_text(c: &fantoccini::Client, css: &str, needle: &str) {
    for _ in 0..150 {
        if let Ok(el) = c.find(fantoccini::Locator::Css(css)).await {
            if el.text().await.unwrap_or_default().contains(needle) {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never contained {needle:?}");
}

db_test!(
    async fn public_page_shows_the_roster(app) {
        let Some(browser) = Browser::start().await else { return };
        let _w = World::build(&app, 1).await;
        let c = browser.client().await;
        c.goto(&format!("{}/", app.base)).await.expect("goto");
        wait_text(&c, "#roster", "Lê Minh Đức").await;
        let roster = text_of(&c, "#roster").await;
        assert!(roster.contains("Sở Y tế") && roster.contains("0204 3854 123") && roster.contains("duc@syt.vn"), "{roster}");
        // English one click away.
        c.find(fantoccini::Locator::Id("lang")).await.expect("lang").click().await.expect("click");
        wait_text(&c, "main h1", "Spokesperson roster").await;
        screenshot(&c, &format!("public-{:?}", app.backend)).await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

db_test!(
    async fn journalist_sees_a_release_live_and_acknowledges_it(app) {
        let Some(browser) = Browser::start().await else { return };
        let w = World::build(&app, 1).await;
        let c = browser.client().await;
        sign_in(&c, &app.base, "pv0@bao0.vn", PASSWORD).await;
        wait_for(&c, "#feed").await;
        wait_text(&c, "#status", "").await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông cáo trực tiếp về mưa lũ", json!({"allAccredited": true})).await;
        let card = wait_for(&c, &format!("[data-release-id=\"{id}\"].unread")).await;
        assert!(card.text().await.unwrap_or_default().contains("Thông cáo trực tiếp về mưa lũ"));
        screenshot(&c, &format!("feed-unread-{:?}", app.backend)).await;
        card.find(fantoccini::Locator::Css("button.ack")).await.expect("ack button").click().await.expect("click");
        for _ in 0..100 {
            let cls = c.find(fantoccini::Locator::Css(&format!("[data-release-id=\"{id}\"]"))).await.expect("card").attr("class").await.ok().flatten().unwrap_or_default();
            if !cls.contains("unread") { break; }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let r = app.gql_as(&w.admin).run("query($r:UUID){ deliveries(releaseId:$r, channel: LIVE){ edges { node { status acknowledgedBy { fullName } } } } }", json!({"r": id})).await;
        assert_eq!(r.data()["deliveries"]["edges"][0]["node"]["status"], "ACKNOWLEDGED");
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

db_test!(
    async fn a_spokesperson_publishes_from_the_form_and_the_journalist_page_shows_it(app) {
        let Some(browser) = Browser::start().await else { return };
        let _w = World::build(&app, 1).await;
        let j = browser.client().await;
        sign_in(&j, &app.base, "pv0@bao0.vn", PASSWORD).await;
        wait_for(&j, "#feed").await;
        tokio::time::sleep(Duration::from_millis(700)).await;
        let s = browser.client().await;
        sign_in(&s, &app.base, "duc@syt.vn", PASSWORD).await;
        let form = wait_for(&s, "form#write").await;
        form.find(fantoccini::Locator::Css("input[name=title]")).await.expect("title").send_keys("Thông báo lịch tiêm chủng mở rộng").await.expect("type");
        form.find(fantoccini::Locator::Css("textarea[name=summary]")).await.expect("summary").send_keys("Tiêm miễn phí cho trẻ dưới 5 tuổi").await.expect("type");
        form.find(fantoccini::Locator::Css("textarea[name=body]")).await.expect("body").send_keys("Chi tiết tại các trạm y tế xã, phường.").await.expect("type");
        form.find(fantoccini::Locator::Css("button[name=publish]")).await.expect("publish").click().await.expect("click");
        wait_text(&s, "#write-ok", "").await;
        wait_text(&j, "#feed", "Thông báo lịch tiêm chủng mở rộng").await;
        screenshot(&s, &format!("console-{:?}", app.backend)).await;
        screenshot(&j, &format!("feed-from-form-{:?}", app.backend)).await;
        assert_eq!(page_errors(&s).await, Vec::<String>::new());
        assert_eq!(page_errors(&j).await, Vec::<String>::new());
        j.close().await.ok();
        s.close().await.ok();
    }
);

db_test!(
    async fn the_admin_dashboard_renders_the_report_with_a_chart(app) {
        let Some(browser) = Browser::start().await else { return };
        let w = World::build(&app, 1).await;
        publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Thông cáo cho báo cáo", json!({"allAccredited": true})).await;
        let c = browser.client().await;
        sign_in(&c, &app.base, ADMIN_EMAIL, PASSWORD).await;
        wait_for(&c, "#report-chart").await;
        let table = text_of(&c, "#report-table").await;
        assert!(table.contains("Sở Y tế"), "{table}");
        let bars = c.find_all(fantoccini::Locator::Css("#report-chart rect")).await.expect("bars");
        assert!(!bars.is_empty());
        c.find(fantoccini::Locator::Id("verify")).await.expect("verify").click().await.expect("click");
        wait_text(&c, "#verify-result", "(").await;
        screenshot(&c, &format!("authority-{:?}", app.backend)).await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

db_test!(
    async fn graphiql_runs_a_query_with_nothing_from_another_host(app) {
        let Some(browser) = Browser::start().await else { return };
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

db_test!(
    async fn the_feed_falls_back_to_server_sent_events(app) {
        let Some(browser) = Browser::start().await else { return };
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

db_test!(
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
