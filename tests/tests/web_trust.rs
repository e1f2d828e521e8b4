//! Issue 31 in headless Chromium: a web app people trust with their name. Each test answers
//! one or more of the numbered problems: (1) nothing is sent by accident, (2) unread survives,
//! (3) links land after sign-in, (4) corrections are marked and carry their files, (5) the
//! feedback is true, (6) Vietnamese everywhere, (7) the audit log reads as a record, (9) the
//! dashboard's traps, (10) a phone is not an afterthought. Every page is checked at 360 and
//! 1366 px with axe-core (`check_page`), and in English where words matter.
use fantoccini::Locator;
use pressnet_tests::browser::{check_page, page_errors, sign_in, wait_for, Browser};
use pressnet_tests::page::*;
use pressnet_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

async fn published_count(app: &TestApp) -> i64 {
    app.db_count("SELECT COUNT(*) FROM releases WHERE status IN ('PUBLISHED', 'SCHEDULED')")
        .await
}

async fn dialog_open(c: &fantoccini::Client) -> bool {
    c.execute(
        "return !!document.querySelector('dialog#confirm[open]')",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_bool())
    .unwrap_or(false)
}

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn enter_never_publishes_and_sending_is_confirmed_with_its_audience_and_moment(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 2).await;
        let c = browser.client().await;
        sign_in(&c, &app.base, "duc@syt.vn", PASSWORD).await;
        wait_for(&c, "#my-releases").await;
        goto(&c, &app, "#/new").await;
        fill(&c, "#title", "Thông báo lịch họp báo").await;
        fill(&c, "#summary", "Họp báo định kỳ tháng 12").await;
        // The rich-text editor (the default): typed, then pasted into from Word.
        wait_for(&c, "#body-rich").await.send_keys("Mời các cơ quan báo chí.").await.expect("type");
        select(&c, "#kind", "PRESS_CONFERENCE").await;
        fill_when(&c, "starts", "20/12/2030", "09:00").await;
        fill(&c, "#location", "Hội trường tầng 2").await;
        // Pasted from Word: its headings, bold, lists and links kept as Markdown, its styles,
        // comments and <o:p> gone.
        let word = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-parent:"";}</style></head><body>
            <!--StartFragment--><h2 class="MsoHeading2">Lịch họp báo<o:p></o:p></h2>
            <p class="MsoNormal" style="mso-margin-top-alt:auto"><span style="font-weight:bold">Thời gian:</span> 9 giờ<o:p>&nbsp;</o:p></p>
            <ul><li>Phóng viên mang thẻ</li><li>Đăng ký trước</li></ul>
            <p><a href="https://ubnd.example.vn/hop-bao">Chi tiết</a></p><!--EndFragment--></body></html>"#;
        let paste = "const dt = new DataTransfer(); dt.setData('text/html', arguments[0]); dt.setData('text/plain', 'x');
             const el = document.querySelector(arguments[1]); el.focus();
             if (el.setSelectionRange) el.setSelectionRange(el.value.length, el.value.length);
             el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));";
        c.execute(paste, vec![json!(word), json!("#body-rich")]).await.expect("paste");
        wait_text(&c, "#body-rich h2", "Lịch họp báo").await;
        wait_text(&c, "#body-rich strong", "Thời gian:").await;
        // Kept as Markdown: the Markdown view shows what the server will store.
        click(&c, "#mode-markdown").await;
        wait_value(&c, "#body", "## Lịch họp báo").await;
        let body = wait_for(&c, "#body").await.prop("value").await.ok().flatten().unwrap_or_default();
        for kept in ["**Thời gian:**", "- Phóng viên mang thẻ", "[Chi tiết](https://ubnd.example.vn/hop-bao)", "Mời các cơ quan báo chí."] {
            assert!(body.contains(kept), "{kept} lost from {body:?}");
        }
        for gone in ["mso", "o:p", "StartFragment", "MsoNormal"] {
            assert!(!body.contains(gone), "{gone} left in {body:?}");
        }
        // Pasted into the Markdown view, the same.
        fill(&c, "#body", "Mời các cơ quan báo chí.").await;
        c.execute(paste, vec![json!(word), json!("#body")]).await.expect("paste");
        wait_value(&c, "#body", "Mời các cơ quan báo chí.\n\n## Lịch họp báo").await;
        // The toolbar marks a selection.
        c.execute("const a = document.getElementById('body'); a.focus(); const i = a.value.indexOf('##'); a.setSelectionRange(i, i + 2);", vec![]).await.expect("select");
        click(&c, ".md-toolbar [data-mark='md_italic']").await;
        wait_value(&c, "#body", "*##*").await;

        // Enter in every single-line field of the editor: nothing is sent, nothing is asked.
        let fields = c
            .execute(
                "return [...document.querySelectorAll('#write input')].filter(i => !['checkbox','radio','file'].includes(i.type)).map(i => '#' + i.id)",
                vec![],
            )
            .await
            .expect("fields");
        let fields: Vec<String> = serde_json::from_value(fields).expect("ids");
        assert!(fields.len() >= 10, "{fields:?}");
        for f in &fields {
            wait_for(&c, f).await.send_keys("\u{E007}").await.unwrap_or_else(|e| panic!("Enter in {f}: {e}"));
        }
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(published_count(&app).await, 0, "Enter in {fields:?} published");
        assert!(!dialog_open(&c).await);

        // A time that has passed is refused by the form, before anything is asked.
        fill_when(&c, "publish-at", "07/12/2020", "03:30").await;
        click(&c, "button[name=schedule]").await;
        wait_text(&c, "#write-error", "đã qua").await;
        assert!(!dialog_open(&c).await);
        // A date that is not one says so where it is typed.
        fill_when(&c, "publish-at", "31/02/2031", "03:30").await;
        wait_text(&c, "#publish-at", "Ngày chưa đúng").await;

        // Publishing asks first, naming the audience and the moment; Cancel sends nothing.
        click(&c, "button[name=publish]").await;
        wait_text(&c, "#confirm-body", "2 cơ quan báo chí").await;
        wait_text(&c, "#confirm-body", "ngay bây giờ").await;
        let focused = c.execute("return document.activeElement.className", vec![]).await.expect("focus");
        assert!(focused.as_str().unwrap_or_default().contains("cancel"), "the dialog starts on Cancel: {focused}");
        check_page(&c, "spokesperson-confirm-publish", "dialog#confirm[open]").await;
        click(&c, "dialog#confirm button.cancel").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(published_count(&app).await, 0);
        // Scheduled, in English, typed day first whatever the language: 7 December, not 12 July.
        fill_when(&c, "publish-at", "07/12/2030", "15:30").await;
        click(&c, "#lang").await;
        click(&c, "button[name=schedule]").await;
        wait_text(&c, "#confirm-body", "7 December 2030 15:30").await;
        confirm(&c).await;
        wait_text(&c, "#status", "Scheduled for 7 December 2030 15:30").await;
        until("scheduled", async || published_count(&app).await == 1).await;
        let r = app.gql_as(&w.spokesperson).run("{ releases(status: SCHEDULED){ edges { node { publishAt } } } }", json!({})).await;
        assert_eq!(r.data()["releases"]["edges"][0]["node"]["publishAt"].as_str().map(|s| s.starts_with("2030-12-07T08:30:00")), Some(true), "{}", r.body);
        // The announcement is a live region, read out.
        let live = wait_for(&c, "#status").await.attr("aria-live").await.ok().flatten();
        assert_eq!(live.as_deref(), Some("polite"));
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn unread_survives_navigation_and_a_new_tab_and_a_link_lands_after_sign_in(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let a = publish_now(&sp, &w.unit_id, "Thông cáo thứ nhất", json!({"allAccredited": true})).await;
        publish_now(&sp, &w.unit_id, "Thông cáo thứ hai", json!({"allAccredited": true})).await;
        let press = publish_now(&sp, &w.unit_id, "Chỉ dành cho báo chí", json!({"outletIds": [w.outlets[0].0]})).await;

        // The link from an e-mail, opened with nobody signed in: sign in, then the release.
        let c = browser.client().await;
        goto(&c, &app, &format!("releases/{press}")).await;
        wait_for(&c, "#sign-in-to-see").await;
        check_page(&c, "link-sign-in", "form#login").await;
        fill(&c, "#email", "pv0@bao0.vn").await;
        fill(&c, "#password", "not the password").await;
        click(&c, "form#login button[type=submit]").await;
        wait_text(&c, "#login-error", "Sai e-mail hoặc mật khẩu").await;
        fill(&c, "#password", PASSWORD).await;
        click(&c, "#remember").await;
        click(&c, "form#login button[type=submit]").await;
        wait_text(&c, "main h1", "Chỉ dành cho báo chí").await;
        until("the page's title", async || {
            c.title().await.unwrap_or_default().contains("Chỉ dành cho báo chí")
        })
        .await;

        // The feed: three unread, counted in the navigation.
        goto(&c, &app, "#/feed").await;
        until("three unread", async || c.find_all(Locator::Css("#feed .unread")).await.map(|v| v.len()).unwrap_or(0) == 3).await;
        wait_text(&c, "#count-feed", "3").await;
        click(&c, &format!("[data-release-id=\"{a}\"] button.ack")).await;
        wait_for(&c, &format!("[data-release-id=\"{a}\"]:not(.unread)")).await;
        wait_text(&c, "#count-feed", "2").await;
        // Away and back: still two unread, the acknowledged one read.
        goto(&c, &app, "#/archive").await;
        wait_for(&c, "#search").await;
        goto(&c, &app, "#/feed").await;
        until("two unread", async || c.find_all(Locator::Css("#feed .unread")).await.map(|v| v.len()).unwrap_or(0) == 2).await;
        wait_text(&c, &format!("[data-release-id=\"{a}\"]"), "Đã xác nhận").await;
        click(&c, "#only-unread").await;
        until("only the unread", async || c.find_all(Locator::Css("#feed > [data-release-id]")).await.map(|v| v.len()).unwrap_or(0) == 2).await;
        check_page(&c, "journalist-feed-unread", "#feed .unread").await;

        // A new tab on this device: signed in by the kept session, the same two unread.
        let tab = c.new_window(true).await.expect("new tab");
        c.switch_to_window(tab.handle).await.expect("switch");
        goto(&c, &app, "#/feed").await;
        until("two unread in the new tab", async || c.find_all(Locator::Css("#feed .unread")).await.map(|v| v.len()).unwrap_or(0) == 2).await;

        // Sessions: this device, and the one the test harness opened, ended from here.
        goto(&c, &app, "#/sessions").await;
        until("two sessions", async || c.find_all(Locator::Css("#sessions li")).await.map(|v| v.len()).unwrap_or(0) == 2).await;
        wait_text(&c, "#sessions", "Thiết bị này").await;
        check_page(&c, "sessions", "#sessions li").await;
        click(&c, "#sessions li:not(:has(.s-delivered)) button.revoke").await;
        confirm(&c).await;
        until("one session", async || c.find_all(Locator::Css("#sessions li")).await.map(|v| v.len()).unwrap_or(0) == 1).await;
        assert_eq!(app.gql_as(&w.outlets[0].1).run("{ me { id } }", json!({})).await.code(), "UNAUTHENTICATED");
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn a_correction_is_marked_on_its_original_and_the_audit_log_reads_as_a_record(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Lịch tiêm chủng tháng 12", json!({"allAccredited": true})).await;
        let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec();
        let up = upload(&app, &w.spokesperson, &id, "Lịch tiêm.pdf", pdf, Some("Lịch chi tiết")).await;
        assert!(up["errors"].is_null(), "{up}");
        assert_eq!(sp.run(PUBLISH, json!({"id": id})).await.data()["publishRelease"]["status"], "PUBLISHED");

        let c = browser.client().await;
        sign_in(&c, &app.base, "duc@syt.vn", PASSWORD).await;
        wait_for(&c, "#my-releases").await;
        goto(&c, &app, &format!("#/releases/{id}")).await;
        click(&c, "#correct").await;
        // The correction starts from the original's words and files.
        wait_value(&c, "#title", "Đính chính: Lịch tiêm chủng tháng 12").await;
        wait_text(&c, "#body-rich strong", "chi tiết").await;
        wait_text(&c, "#keeps-files", "1").await;
        fill(&c, "#summary", "Sửa ngày tiêm: 12/12").await;
        click(&c, "button[name=publish]").await;
        confirm(&c).await;
        wait_text(&c, "#status", "Đã đăng").await;
        let list = sp.run("{ releases(kind: CORRECTION){ edges { node { id attachments { filename } } } } }", json!({})).await;
        let node = list.data()["releases"]["edges"][0]["node"].clone();
        assert_eq!(node["attachments"][0]["filename"], "Lịch tiêm.pdf", "{}", list.body);
        let cid = node["id"].as_str().expect("id").to_owned();
        // The original says so, with a link, on its page and in lists.
        goto(&c, &app, &format!("#/releases/{id}")).await;
        wait_text(&c, ".release .corrected", "Đã được đính chính").await;
        wait_for(&c, &format!(".release .corrected a[href='#/releases/{cid}']")).await;
        assert!(c.find(Locator::Id("correct")).await.is_err(), "corrected once is enough");
        check_page(&c, "release-corrected", ".release .corrected").await;
        goto(&c, &app, "").await;
        wait_text(&c, &format!("#recent [data-release-id='{id}']"), "Đã được đính chính").await;
        c.close().await.ok();

        // The authority's audit log: newest first, in words, filtered by the server.
        let c = browser.client().await;
        sign_in(&c, &app.base, ADMIN_EMAIL, PASSWORD).await;
        wait_for(&c, "#report-table").await;
        // The period is typed and shown day first, whatever the browser's locale.
        let today = (chrono::Utc::now() + chrono::Duration::hours(7)).format("%d/%m/%Y").to_string();
        wait_value(&c, "#to", &today).await;
        // A unit that published nothing has no coverage to show (not 100 %).
        let row = text_of(&c, "#report-table").await;
        assert!(row.contains("Sở Tài chính"), "{row}");
        let coverage = c
            .execute(
                "const r = [...document.querySelectorAll('#report-table tbody tr')].find(r => r.textContent.includes('Sở Tài chính'));
                 return r.lastElementChild.textContent.trim()",
                vec![],
            )
            .await
            .expect("coverage");
        assert_eq!(coverage.as_str(), Some("—"));
        goto(&c, &app, "#/audit").await;
        wait_for(&c, "#audit-log > li").await;
        let seqs: Vec<i64> = serde_json::from_value(
            c.execute("return [...document.querySelectorAll('#audit-log > li')].map(l => Number(l.dataset.seq))", vec![])
                .await
                .expect("seqs"),
        )
        .expect("numbers");
        assert!(seqs.windows(2).all(|p| p[0] > p[1]), "newest first: {seqs:?}");
        select(&c, "#audit-action", "release").await;
        wait_text(&c, "#audit-log", "Đăng thông cáo").await;
        until("release events only", async || {
            let actions: Vec<String> = c
                .execute("return [...document.querySelectorAll('#audit-log li small.mono')].map(s => s.textContent)", vec![])
                .await
                .ok()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default();
            !actions.is_empty() && actions.iter().all(|a| a.starts_with("release."))
        })
        .await;
        // What changed, and who did it by name and role.
        wait_text(&c, "#audit-log", "Tiêu đề: Lịch tiêm chủng tháng 12").await;
        wait_text(&c, "#audit-log", "Lê Minh Đức (Người phát ngôn)").await;
        click(&c, "#audit-log button.who").await;
        wait_for(&c, "#audit-actor").await;
        check_page(&c, "authority-audit-filtered", "#audit-log > li").await;
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

/// The contrast ratio of two CSS colours (WCAG 2), computed in the page.
const CONTRAST: &str = r#"
    const rgb = s => s.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const [a, b] = [lum(arguments[0]), lum(arguments[1])];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
"#;

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn a_phone_gets_a_compact_header_cards_a_newsroom_and_words_not_codes(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông cáo về mùa lũ", json!({"allAccredited": true})).await;
        for i in 0..3 {
            publish_now(&sp, &w.unit_id, &format!("Tin lưu trữ số {i}"), json!({"allAccredited": true})).await;
        }
        let c = browser.client().await;
        c.set_window_size(360, 740).await.expect("phone");
        goto(&c, &app, "").await;
        wait_for(&c, "#recent [data-release-id]").await;
        // One line of header; the navigation behind a menu button.
        pressnet_tests::browser::screenshot(&c, "phone-header-360").await;
        let height = c.execute("return document.querySelector('header.top').getBoundingClientRect().height", vec![]).await.expect("height");
        assert!(height.as_f64().unwrap_or(999.0) <= 64.0, "the header takes {height} px");
        let nav_shown = c.execute("return getComputedStyle(document.getElementById('nav')).display", vec![]).await.expect("nav");
        assert_eq!(nav_shown.as_str(), Some("none"));
        click(&c, "#menu-toggle").await;
        click(&c, "#nav a[href='#/news']").await;
        // The public archive: search and paging, as cards; the page names itself.
        wait_for(&c, "#news [data-release-id]").await;
        until("the title", async || c.title().await.unwrap_or_default().starts_with("Thông cáo báo chí")).await;
        fill(&c, "#news-q", "luu tru").await;
        click(&c, "#news-search button[type=submit]").await;
        wait_text(&c, "#news-count", "3").await;
        check_page(&c, "public-news", "#news [data-release-id]").await;
        // The roster as cards with tap-to-call and tap-to-mail, no sideways scrolling.
        goto(&c, &app, "").await;
        c.set_window_size(360, 740).await.expect("phone");
        wait_for(&c, "#roster a[href^='tel:']").await;
        let header_shown = c.execute("return getComputedStyle(document.querySelector('#roster thead')).position", vec![]).await.expect("thead");
        assert_eq!(header_shown.as_str(), Some("absolute"), "the roster's header row is hidden: its cells name themselves");
        check_page(&c, "public-home-newsroom", "#roster").await;
        // The skip link, focused, covers nothing; the focus ring stands out at 3:1 or better.
        c.set_window_size(1366, 900).await.expect("laptop");
        goto(&c, &app, "").await;
        wait_for(&c, "#recent [data-release-id]").await;
        c.execute("document.querySelector('a.skip').focus()", vec![]).await.expect("focus");
        let overlap = c
            .execute(
                "const s = document.querySelector('a.skip').getBoundingClientRect();
                 return [...document.querySelectorAll('header.top a, header.top button')].some(e => { const r = e.getBoundingClientRect();
                   return r.width > 0 && s.left < r.right && r.left < s.right && s.top < r.bottom && r.top < s.bottom; })",
                vec![],
            )
            .await
            .expect("overlap");
        assert_eq!(overlap.as_bool(), Some(false), "the focused skip link covers the header");
        c.active_element().await.expect("focus").send_keys("\u{E004}").await.expect("Tab");
        let colours = c
            .execute("const s = getComputedStyle(document.activeElement); return [s.outlineColor, getComputedStyle(document.body).backgroundColor]", vec![])
            .await
            .expect("colours");
        let ratio = c.execute(CONTRAST, vec![colours[0].clone(), colours[1].clone()]).await.expect("ratio");
        assert!(ratio.as_f64().unwrap_or(0.0) >= 3.0, "focus ring {colours}: {ratio}");

        // The spokesperson's delivery log, with e-mail off, in Vietnamese.
        sign_in(&c, &app.base, "duc@syt.vn", PASSWORD).await;
        wait_for(&c, "#my-releases").await;
        goto(&c, &app, &format!("#/releases/{id}")).await;
        wait_for(&c, "#delivery-log tbody tr").await;
        let log = text_of(&c, "#delivery-log").await;
        assert!(!log.contains("PRESSNET_SMTP_URL"), "{log}");
        c.set_window_size(360, 740).await.expect("phone");
        check_page(&c, "spokesperson-delivery-log-cards", "#delivery-log").await;
        let v: Value = c.execute("return document.title", vec![]).await.expect("title");
        assert!(v.as_str().unwrap_or_default().contains("Thông cáo về mùa lũ"), "{v}");
        assert_eq!(page_errors(&c).await, Vec::<String>::new());
        c.close().await.ok();
    }
);

/// Visible text of `main` that is an API code (PRESS_RELEASE, release.publish): none should be,
/// except the audit log's codes shown beside their words (`.mono`).
const CODES: &str = r#"
    const main = document.querySelector('main').cloneNode(true);
    main.querySelectorAll('.mono, code, .secret, input, textarea, select').forEach(e => e.remove());
    const text = main.innerText;
    return [...new Set(text.match(/\b[A-Z]{2,}(?:_[A-Z]+)+\b|\b[a-z]+\.[a-z_]+_[a-z_]+\b|\b(?:true|false)\b|PRESSNET_[A-Z_]+/g) || [])];
"#;

each!(backends;
    #[cfg_attr(not(all(pressnet_browser, pressnet_node)), ignore = "needs chromium, chromium-driver and npm ci --prefix tests/node")]
    async fn every_page_speaks_vietnamese_or_english_in_words_never_codes(app) {
        let browser = Browser::start().await;
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông cáo kiểm tra ngôn ngữ", json!({"allAccredited": true})).await;
        let pages: [(&str, &str, &[&str]); 3] = [
            ("pv0@bao0.vn", "journalist", &["#/feed", "#/archive", "#/conferences", "#/questions", "#/settings", "#/sessions"]),
            ("duc@syt.vn", "spokesperson", &["#/console", "#/new", "#/inbox", "#/press-reports"]),
            (ADMIN_EMAIL, "admin", &["#/dashboard", "#/registry", "#/audit", "#/monitoring", "#/suppressions"]),
        ];
        for (email, role, routes) in pages {
            let c = browser.client().await;
            sign_in(&c, &app.base, email, PASSWORD).await;
            wait_for(&c, "#signout").await;
            let mut all: Vec<String> = routes.iter().map(|r| (*r).to_owned()).collect();
            all.push(format!("#/releases/{id}"));
            for lang in ["vi", "en"] {
                c.execute("localStorage.setItem('lang', arguments[0])", vec![json!(lang)]).await.expect("lang");
                for route in &all {
                    goto(&c, &app, route).await;
                    c.refresh().await.expect("reload");
                    wait_for(&c, "main h1").await;
                    tokio::time::sleep(Duration::from_millis(700)).await;
                    let html_lang = c.execute("return document.documentElement.lang", vec![]).await.expect("lang");
                    assert_eq!(html_lang.as_str(), Some(lang));
                    let codes: Vec<String> = serde_json::from_value(c.execute(CODES, vec![]).await.expect("codes")).unwrap_or_default();
                    assert!(codes.is_empty(), "{role} {route} in {lang} shows codes: {codes:?}");
                    let title = c.title().await.unwrap_or_default();
                    assert!(title.ends_with("— pressnet"), "{route}: {title}");
                }
            }
            // English pages pass the same checks as Vietnamese ones.
            for route in routes.iter().take(2) {
                goto(&c, &app, route).await;
                wait_for(&c, "main h1").await;
                let name = format!("en-{role}-{}", route.trim_start_matches("#/"));
                check_page(&c, &name, "main h1").await;
            }
            c.execute("localStorage.setItem('lang', 'vi')", vec![]).await.ok();
            assert_eq!(page_errors(&c).await, Vec::<String>::new(), "{role}");
            c.close().await.ok();
        }
    }
);
