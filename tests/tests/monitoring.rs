//! Watching outlets' feeds (issue 20): ADMIN sets them; the poller fetches them conditionally
//! and within bounds from a local feed server serving real formats (a Vietnamese RSS 2.0 and
//! Atom feed, a JSON Feed, a malformed, a huge, a slow one, a redirect loop); articles are
//! stored once and searched accent-insensitively; pickups by link, by text and declared make
//! a release's spread.
use chrono::{Duration, Utc};
use pressnet_tests::feed_server::{FeedServer, Route};
use pressnet_tests::*;
use serde_json::{json, Value};

const SET_FEEDS: &str =
    "mutation($o:UUID!,$u:[String!]!){ setOutletFeeds(outletId:$o, urls:$u){ id feedUrls } }";
const POLL: &str = "mutation{ pollOutletFeeds }";
const ARTICLES: &str = "query($s:String,$o:UUID,$u:UUID,$n:Int = 20){ articles(search:$s, outletId:$o, unitId:$u, first:$n){ id url title summary publishedAt fetchedAt outlet { id } } }";
const SPREAD: &str = "query($id:UUID!){ release(id:$id){ spread { addressed carriedBy firstPickupMinutes pickups { matchedBy lagMinutes article { url title outlet { id } } release { id } } } } }";
const DECLARE: &str = "mutation($r:UUID!,$u:String!){ declarePickup(releaseId:$r, url:$u){ matchedBy lagMinutes article { url } release { id } } }";

/// The sorted titles `articles` answers with.
async fn titles(g: &Gql, vars: Value) -> Vec<String> {
    let res = g.run(ARTICLES, vars).await;
    let mut t: Vec<String> = res.data()["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|x| x["title"].as_str().unwrap_or_default().to_owned())
        .collect();
    t.sort();
    t
}

fn rfc2822(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc2822()
}

/// An RSS 2.0 feed of (title, link, description, pubDate) items, in Vietnamese.
fn rss(items: &[(&str, &str, &str, chrono::DateTime<Utc>)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Báo Đà Nẵng - Thời sự</title><link>https://baodanang.example/</link>\
         <description>Tin tức thời sự</description><language>vi</language>",
    );
    for (title, link, desc, at) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"true\">{link}</guid>\
             <description><![CDATA[<p>{desc}</p>]]></description><pubDate>{}</pubDate></item>",
            rfc2822(*at)
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn atom(items: &[(&str, &str, &str, chrono::DateTime<Utc>)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"vi\">\
         <title>Báo Thừa Thiên Huế</title><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>\
         <updated>2026-12-03T08:00:00Z</updated>",
    );
    for (title, link, summary, at) in items {
        s.push_str(&format!(
            "<entry><title>{title}</title><link rel=\"alternate\" href=\"{link}\"/><id>{link}</id>\
             <updated>{}</updated><summary type=\"html\">&lt;b&gt;{summary}&lt;/b&gt;</summary></entry>",
            at.to_rfc3339()
        ));
    }
    s.push_str("</feed>");
    s
}

fn json_feed(items: &[(&str, &str, &str, chrono::DateTime<Utc>)]) -> String {
    let items: Vec<Value> = items
        .iter()
        .map(|(title, url, summary, at)| {
            json!({"id": url, "url": url, "title": title, "summary": summary, "date_published": at.to_rfc3339()})
        })
        .collect();
    json!({"version": "https://jsonfeed.org/version/1.1", "title": "Đài Phát thanh - Truyền hình", "items": items})
        .to_string()
}

each!(backends;
    async fn feeds_are_polled_conditionally_and_articles_stored_once(app) {
        let feeds = FeedServer::start().await;
        let now = Utc::now();
        feeds.serve("/rss", Route::feed("application/rss+xml; charset=utf-8", rss(&[
            ("Đà Nẵng khởi công cầu mới", "https://baodanang.example/thoi-su/cau-moi.html?utm_source=rss", "Cây cầu thứ 9 bắc qua sông Hàn", now),
            ("Giá vàng hôm nay", "https://baodanang.example/kinh-te/gia-vang.html", "Giá vàng tăng mạnh", now),
        ])).with_etag("\"v1\""));
        feeds.serve("/atom", Route::feed("application/atom+xml", atom(&[
            ("Festival Huế 2026 khai mạc", "https://baohue.example/van-hoa/festival.html", "Lễ khai mạc tại Ngọ Môn", now),
        ])).with_last_modified("Thu, 03 Dec 2026 08:00:00 GMT"));
        feeds.serve("/feed.json", Route::feed("application/feed+json", json_feed(&[
            ("Quảng Nam mùa dưa hấu", "https://drt.example/nong-nghiep/dua-hau", "Nông dân được mùa", now),
        ])));
        let w = World::build(&app, 3).await;
        let a = app.gql_as(&w.admin);
        let urls = [format!("{}/rss", feeds.url), format!("{}/atom", feeds.url), format!("{}/feed.json", feeds.url)];
        for (i, url) in urls.iter().enumerate() {
            let r = a.run(SET_FEEDS, json!({"o": w.outlets[i].0, "u": [url, url]})).await;
            assert_eq!(r.data()["setOutletFeeds"]["feedUrls"], json!([url]), "{}", r.body);
        }
        // The worker polls a new feed at once.
        eventually("four articles stored", || async { app.db_count("SELECT COUNT(*) FROM articles").await == 4 }).await;
        let list = a.run(ARTICLES, json!({})).await;
        let all = list.data()["articles"].as_array().expect("articles").clone();
        let cau = all.iter().find(|x| x["title"] == "Đà Nẵng khởi công cầu mới").expect("the RSS article");
        // Tracking parameters are not part of the canonical URL; HTML is not part of the text.
        assert_eq!(cau["url"], "https://baodanang.example/thoi-su/cau-moi.html?utm_source=rss");
        assert_eq!(cau["summary"], "Cây cầu thứ 9 bắc qua sông Hàn");
        assert_eq!(cau["outlet"]["id"], json!(w.outlets[0].0));
        let hue = all.iter().find(|x| x["title"] == "Festival Huế 2026 khai mạc").expect("the Atom article");
        assert_eq!(hue["summary"], "Lễ khai mạc tại Ngọ Môn");
        assert!(all.iter().any(|x| x["title"] == "Quảng Nam mùa dưa hấu"), "the JSON Feed article");

        // Polled again: the validators go back, unchanged feeds answer 304, nothing is stored twice.
        assert_eq!(a.run(POLL, json!({})).await.data()["pollOutletFeeds"], 0);
        let rss_hits = feeds.hits("/rss");
        let last = rss_hits.last().expect("rss polled");
        assert_eq!(last.headers.get("if-none-match").and_then(|v| v.to_str().ok()), Some("\"v1\""));
        assert_eq!(last.answered, 304);
        let atom_last = feeds.hits("/atom").last().cloned().expect("atom polled");
        assert_eq!(atom_last.headers.get("if-modified-since").and_then(|v| v.to_str().ok()), Some("Thu, 03 Dec 2026 08:00:00 GMT"));
        assert_eq!(atom_last.answered, 304);
        assert_eq!(feeds.hits("/feed.json").last().map(|h| h.answered), Some(200));
        assert_eq!(app.db_count("SELECT COUNT(*) FROM articles").await, 4);

        // A new item (the same article again under a tracking parameter, and a new one).
        feeds.serve("/rss", Route::feed("application/rss+xml", rss(&[
            ("Đà Nẵng khởi công cầu mới", "https://baodanang.example/thoi-su/cau-moi.html?utm_medium=social", "Cây cầu thứ 9", now),
            ("Hải Vân tạm cấm xe", "https://baodanang.example/giao-thong/hai-van.html", "Sạt lở ở km 5", now),
        ])).with_etag("\"v2\""));
        assert_eq!(a.run(POLL, json!({})).await.data()["pollOutletFeeds"], 1);

        // Search is accent-insensitive, every word, the last a prefix; filters by outlet.
        assert_eq!(titles(&a, json!({"s": "da nang cau"})).await, vec!["Đà Nẵng khởi công cầu mới"]);
        assert_eq!(titles(&a, json!({"s": "FESTIVAL HUẾ"})).await, vec!["Festival Huế 2026 khai mạc"]);
        assert_eq!(titles(&a, json!({"s": "hai va"})).await, vec!["Hải Vân tạm cấm xe"]);
        assert_eq!(titles(&a, json!({"s": "\"; DROP TABLE articles; --"})).await, Vec::<String>::new());
        assert_eq!(titles(&a, json!({"o": w.outlets[1].0})).await, vec!["Festival Huế 2026 khai mạc"]);
        assert_eq!(titles(&app.gql_as(&w.spokesperson), json!({"s": "dua hau"})).await, vec!["Quảng Nam mùa dưa hấu"]);
        // Not the press; and bad input is a coded error.
        assert_eq!(app.gql_as(&w.outlets[0].1).run(ARTICLES, json!({})).await.code(), "FORBIDDEN");
        assert_eq!(a.run(ARTICLES, json!({"n": 1000})).await.code(), "BAD_USER_INPUT");
        for who in [&w.outlets[0].1, &w.spokesperson, &w.auditor] {
            assert_eq!(app.gql_as(who).run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": []})).await.code(), "FORBIDDEN");
            assert_eq!(app.gql_as(who).run(POLL, json!({})).await.code(), "FORBIDDEN");
        }
        let bad = a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": ["ftp://bao.vn/rss"]})).await;
        assert_eq!(bad.code(), "BAD_USER_INPUT");
        assert_eq!(bad.body["errors"][0]["extensions"]["field"], "urls");
        // Feeds removed: no longer listed or polled.
        assert_eq!(a.run(SET_FEEDS, json!({"o": w.outlets[2].0, "u": []})).await.data()["setOutletFeeds"]["feedUrls"], json!([]));
        let before = feeds.hits("/feed.json").len();
        a.run(POLL, json!({})).await.data();
        assert_eq!(feeds.hits("/feed.json").len(), before);
    }
);

each!(backends;
    async fn a_broken_feed_fails_alone_within_bounds_and_backs_off(app) {
        let app = app.restart_with(|c| c.feed_timeout_secs = 1).await;
        let feeds = FeedServer::start().await;
        let now = Utc::now();
        let good = rss(&[("Tin tốt", "https://bao.example/tin-tot", "Nội dung", now)]);
        feeds.serve("/good", Route::feed("application/rss+xml", good.clone()));
        feeds.serve("/moved", Route::redirect("/good"));
        feeds.serve("/malformed", Route::feed("application/rss+xml", "<rss><channel><item><title>Dở dang"));
        // Larger than the 5 MiB limit.
        let mut huge = rss(&[("Tin lớn", "https://bao.example/lon", "x", now)]);
        huge.push_str(&" ".repeat(6 * 1024 * 1024));
        feeds.serve("/huge", Route::feed("application/rss+xml", huge));
        feeds.serve("/slow", Route::feed("application/rss+xml", good).slow(std::time::Duration::from_secs(3)));
        feeds.serve("/loop-a", Route::redirect("/loop-b"));
        feeds.serve("/loop-b", Route::redirect("/loop-a"));
        feeds.serve("/down", Route { status: Some(503), ..Default::default() });
        let w = World::build(&app, 2).await;
        let a = app.gql_as(&w.admin);
        let broken: Vec<String> = ["/malformed", "/huge", "/slow", "/loop-a", "/down"].iter().map(|p| format!("{}{p}", feeds.url)).collect();
        a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": [format!("{}/good", feeds.url)]})).await.data();
        a.run(SET_FEEDS, json!({"o": w.outlets[1].0, "u": broken})).await.data();
        eventually("every feed polled once", || async {
            app.db_count("SELECT COUNT(*) FROM outlet_feeds WHERE last_polled_at IS NOT NULL").await == 6
        }).await;
        assert_eq!(app.db_count("SELECT COUNT(*) FROM articles").await, 1, "only the good feed's article");
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outlet_feeds WHERE failures = 1 AND last_error IS NOT NULL").await, 5);
        // A redirect loop ends after five redirects.
        assert_eq!(feeds.hits("/loop-a").len() + feeds.hits("/loop-b").len(), 6);
        // One redirect is followed.
        a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": [format!("{}/moved", feeds.url)]})).await.data();
        eventually("the moved feed polled", || async {
            app.db_count("SELECT COUNT(*) FROM outlet_feeds WHERE url LIKE '%/moved' AND last_polled_at IS NOT NULL AND failures = 0").await == 1
        }).await;
        // The failures wait twice the period (600 s), the good feeds the period (300 s).
        let (moved, down) = (feeds.hits("/moved").len(), feeds.hits("/down").len());
        app.clock.advance(Duration::seconds(400));
        eventually("the good feed polled again", || async { feeds.hits("/moved").len() > moved }).await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(feeds.hits("/down").len(), down, "a failed feed waits longer");
        app.clock.advance(Duration::seconds(300));
        eventually("the failed feed polled again", || async { feeds.hits("/down").len() > down }).await;
        eventually("the second failures recorded", || async {
            app.db_count("SELECT COUNT(*) FROM outlet_feeds WHERE failures = 2").await == 5
        }).await;
        // The error says why; forcing a poll counts a third failure.
        a.run(POLL, json!({})).await.data();
        // (The worker may have taken some of them: it records them as well.)
        eventually("a third failure each", || async {
            app.db_count("SELECT COUNT(*) FROM outlet_feeds WHERE failures = 3").await == 5
        }).await;
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outlet_feeds WHERE last_error LIKE '%larger than%'").await, 1);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outlet_feeds WHERE last_error LIKE '%redirects%'").await, 1);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outlet_feeds WHERE last_error LIKE '%503%'").await, 1);
    }
);

each!(backends;
    async fn pickups_by_link_by_text_and_declared_make_the_spread(app) {
        let feeds = FeedServer::start().await;
        let w = World::build(&app, 4).await;
        let sp = app.gql_as(&w.spokesperson);
        let r = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "PRESS_RELEASE",
            "title": "Đà Nẵng khởi công mở rộng cầu Nguyễn Tri Phương",
            "summary": "UBND thành phố khởi công dự án mở rộng cầu Nguyễn Tri Phương với tổng vốn 820 tỷ đồng.",
            "body": "Nội dung", "topics": ["giao thông"],
            "audience": {"outletIds": [w.outlets[0].0, w.outlets[1].0, w.outlets[2].0]}}})).await;
        let id = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        let p = sp.run(PUBLISH, json!({"id": id})).await;
        assert_eq!(p.data()["publishRelease"]["status"], "PUBLISHED");
        let later = Utc::now() + Duration::minutes(5);
        // Outlet 0 links the release's page; outlet 1 rewrites the headline without diacritics;
        // outlet 3 (not addressed) writes about something else.
        let page = format!("{}/releases/{id}", app.base);
        feeds.serve("/a", Route::feed("application/rss+xml", rss(&[("Thành phố mở rộng cây cầu", "https://a.example/1", &format!("Xem thông cáo: &lt;a href=\"{page}\"&gt;tại đây&lt;/a&gt;"), later)])));
        feeds.serve("/b", Route::feed("application/rss+xml", rss(&[("Khoi cong mo rong cau Nguyen Tri Phuong, von 820 ty dong", "https://b.example/2", "Da Nang", later)])));
        feeds.serve("/d", Route::feed("application/rss+xml", rss(&[("Giá vàng hôm nay tăng mạnh", "https://d.example/4", "Vàng miếng", later)])));
        let a = app.gql_as(&w.admin);
        for (i, path) in [(0, "/a"), (1, "/b"), (3, "/d")] {
            a.run(SET_FEEDS, json!({"o": w.outlets[i].0, "u": [format!("{}{path}", feeds.url)]})).await.data();
        }
        eventually("three articles", || async { app.db_count("SELECT COUNT(*) FROM articles").await == 3 }).await;
        let s = sp.run(SPREAD, json!({"id": id})).await;
        let spread = s.data()["release"]["spread"].clone();
        assert_eq!(spread["addressed"], 3, "{spread}");
        assert_eq!(spread["carriedBy"], 2, "{spread}");
        let pickups = spread["pickups"].as_array().expect("pickups").clone();
        let by = |outlet: &str| pickups.iter().find(|p| p["article"]["outlet"]["id"] == outlet).cloned();
        assert_eq!(by(&w.outlets[0].0).expect("outlet 0 carried it")["matchedBy"], "link");
        assert_eq!(by(&w.outlets[1].0).expect("outlet 1 carried it")["matchedBy"], "text");
        assert!(by(&w.outlets[3].0).is_none(), "an unrelated article is no pickup");
        let lag = spread["firstPickupMinutes"].as_f64().expect("a first pickup");
        assert!((4.0..=6.0).contains(&lag), "{lag}");
        assert_eq!(pickups[0]["release"]["id"], json!(id));

        // Outlet 2's journalist declares the pickup; declaring twice changes nothing.
        let j2 = app.gql_as(&w.outlets[2].1);
        let d = j2.run(DECLARE, json!({"r": id, "u": "https://c.example/bai-viet#dau"})).await;
        assert_eq!(d.data()["declarePickup"]["matchedBy"], "declared", "{}", d.body);
        assert_eq!(d.data()["declarePickup"]["article"]["url"], "https://c.example/bai-viet");
        j2.run(DECLARE, json!({"r": id, "u": "https://c.example/bai-viet"})).await.data();
        let s = a.run(SPREAD, json!({"id": id})).await;
        assert_eq!(s.data()["release"]["spread"]["carriedBy"], 3);
        assert_eq!(s.data()["release"]["spread"]["pickups"].as_array().map(Vec::len), Some(3));
        // Only a journalist of an outlet the release reached; a bad URL is a coded error.
        assert_eq!(app.gql_as(&w.outlets[3].1).run(DECLARE, json!({"r": id, "u": "https://d.example/x"})).await.code(), "NOT_FOUND");
        assert_eq!(sp.run(DECLARE, json!({"r": id, "u": "https://c.example/x"})).await.code(), "FORBIDDEN");
        let bad = j2.run(DECLARE, json!({"r": id, "u": "javascript:alert(1)"})).await;
        assert_eq!(bad.code(), "BAD_USER_INPUT");
        // The spread is the unit's and the authority's.
        assert_eq!(app.gql_as(&w.outlets[0].1).run(SPREAD, json!({"id": id})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.other_spokesperson).run(SPREAD, json!({"id": id})).await.body["data"]["release"], Value::Null, "another unit does not see the release");
        assert_eq!(app.gql_as(&w.auditor).run(SPREAD, json!({"id": id})).await.data()["release"]["spread"]["carriedBy"], 3);
        // Articles about the unit: those that carried its releases.
        let about = sp.run(ARTICLES, json!({"u": w.unit_id})).await;
        assert_eq!(about.data()["articles"].as_array().map(Vec::len), Some(3), "{}", about.body);
    }
);

#[test]
fn the_text_threshold_holds_on_the_labelled_headlines() {
    let set = pressnet_tests::labelled::load();
    let s = pressnet_tests::labelled::score(
        &set,
        pressnet_domain::services::monitoring::similarity::THRESHOLD,
    );
    assert!(set.articles.len() >= 60 && set.releases.len() >= 20);
    assert!(s.precision >= 0.95 && s.recall >= 0.85, "{s:?}");
}

const RAISE: &str = "mutation($a:UUID!,$u:UUID!,$n:String){ raisePressReport(articleId:$a, unitId:$u, note:$n){ id status note raisedAt dueAt overdue unit { id } article { title } } }";
const RESPOND: &str = "mutation($id:UUID!,$t:String!,$r:UUID){ respondToPressReport(id:$id, response:$t, releaseId:$r){ id status response respondedAt overdue responseRelease { id } } }";
const REPORTS: &str = "query($u:UUID,$s:PressReportStatus,$o:Boolean){ pressReports(unitId:$u, status:$s, overdueOnly:$o){ id status overdue unit { id } } }";
const COMPLIANCE: &str = "query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f, to:$t){ unit { id } releasesPickedUp pressReportsReceived pressReportsAnsweredOnTime pressReportsOverdue needsAttention } }";

each!(backends;
    async fn press_reports_are_raised_answered_on_time_or_overdue_and_counted(app) {
        let feeds = FeedServer::start().await;
        let now = Utc::now();
        feeds.serve("/rss", Route::feed("application/rss+xml", rss(&[
            ("Người dân phản ánh bệnh viện quá tải", "https://bao.example/benh-vien-qua-tai", "Bệnh nhân nằm ghép", now),
        ])));
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": [format!("{}/rss", feeds.url)]})).await.data();
        eventually("the article", || async { app.db_count("SELECT COUNT(*) FROM articles").await == 1 }).await;
        let article = a.run(ARTICLES, json!({})).await.data()["articles"][0]["id"].clone();
        let notices = app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'NOTICE'").await;
        let r = a.run(RAISE, json!({"a": article, "u": w.unit_id, "n": "Đề nghị Sở Y tế làm rõ"})).await;
        let report = r.data()["raisePressReport"].clone();
        assert_eq!(report["status"], "OPEN");
        assert_eq!(report["overdue"], false);
        assert_eq!(report["article"]["title"], "Người dân phản ánh bệnh viện quá tải");
        let raised = chrono::DateTime::parse_from_rfc3339(report["raisedAt"].as_str().expect("raisedAt")).expect("time");
        let due = chrono::DateTime::parse_from_rfc3339(report["dueAt"].as_str().expect("dueAt")).expect("time");
        assert_eq!(due - raised, Duration::days(10), "PRESSNET_PRESS_REPORT_DUE_DAYS defaults to 10");
        // The unit's spokesperson is told.
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'NOTICE' AND recipient = 'duc@syt.vn'").await, 1);
        assert!(app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'NOTICE'").await > notices);
        let id = report["id"].clone();
        // The same article for the other unit too; the same pair twice is a conflict.
        let other = a.run(RAISE, json!({"a": article, "u": w.other_unit_id})).await.data()["raisePressReport"]["id"].clone();
        assert_eq!(a.run(RAISE, json!({"a": article, "u": w.unit_id})).await.code(), "CONFLICT");
        for who in [&w.spokesperson, &w.auditor, &w.outlets[0].1] {
            assert_eq!(app.gql_as(who).run(RAISE, json!({"a": article, "u": w.unit_id})).await.code(), "FORBIDDEN");
        }
        // Who reads them: the authority all, a spokesperson their unit's, not the press.
        let sp = app.gql_as(&w.spokesperson);
        assert_eq!(a.run(REPORTS, json!({})).await.data()["pressReports"].as_array().map(Vec::len), Some(2));
        assert_eq!(sp.run(REPORTS, json!({})).await.data()["pressReports"], json!([{"id": id, "status": "OPEN", "overdue": false, "unit": {"id": w.unit_id}}]));
        assert_eq!(sp.run(REPORTS, json!({"u": w.other_unit_id})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.outlets[0].1).run(REPORTS, json!({})).await.code(), "FORBIDDEN");
        // Responding: only the unit's spokesperson, linking only its published STATEMENT or CORRECTION.
        assert_eq!(app.gql_as(&w.other_spokesperson).run(RESPOND, json!({"id": id, "t": "x"})).await.code(), "NOT_FOUND");
        let press_release = publish_now(&sp, &w.unit_id, "Thông cáo thường", json!({"allAccredited": true})).await;
        let bad = sp.run(RESPOND, json!({"id": id, "t": "Đã có thông cáo", "r": press_release})).await;
        assert_eq!(bad.code(), "BAD_USER_INPUT");
        assert_eq!(bad.body["errors"][0]["extensions"]["field"], "releaseId");
        assert_eq!(sp.run(RESPOND, json!({"id": id, "t": "   "})).await.code(), "BAD_USER_INPUT");
        let st = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "STATEMENT", "title": "Sở Y tế thông tin về tình trạng quá tải", "summary": "Tóm tắt", "body": "Nội dung", "audience": {"allAccredited": true}}})).await;
        let statement = st.data()["createRelease"]["id"].clone();
        sp.run(PUBLISH, json!({"id": statement})).await.data();
        let ok = sp.run(RESPOND, json!({"id": id, "t": "Sở đã bổ sung 50 giường bệnh", "r": statement})).await;
        let answered = ok.data()["respondToPressReport"].clone();
        assert_eq!(answered["status"], "ANSWERED");
        assert_eq!(answered["responseRelease"]["id"], statement);
        assert_eq!(sp.run(RESPOND, json!({"id": id, "t": "lần nữa"})).await.code(), "CONFLICT");
        assert_eq!(a.run(REPORTS, json!({"s": "ANSWERED"})).await.data()["pressReports"].as_array().map(Vec::len), Some(1));

        // Eleven days on, the other unit's report is overdue and its unit reminded once.
        app.clock.advance(Duration::days(11));
        // (Sessions last 12 hours: sign in again.)
        let a = app.gql_as(&app.admin().await);
        let overdue = a.run(REPORTS, json!({"o": true})).await;
        assert_eq!(overdue.data()["pressReports"], json!([{"id": other, "status": "OPEN", "overdue": true, "unit": {"id": w.other_unit_id}}]));
        eventually("the overdue reminder", || async {
            app.db_count("SELECT COUNT(*) FROM press_reports WHERE overdue_reminded_at IS NOT NULL").await == 1
        }).await;
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'NOTICE' AND recipient = 'anh@stc.vn'").await, 2);

        // The compliance report counts them.
        let from = (Utc::now() - Duration::days(30)).to_rfc3339();
        let to = (app.clock.now() + Duration::days(1)).to_rfc3339();
        let rows = a.run(COMPLIANCE, json!({"f": from, "t": to})).await.data()["complianceReport"].as_array().expect("rows").clone();
        let row = |unit: &str| rows.iter().find(|r| r["unit"]["id"] == unit).cloned().expect("a row");
        let mine = row(&w.unit_id);
        assert_eq!((mine["pressReportsReceived"].clone(), mine["pressReportsAnsweredOnTime"].clone(), mine["pressReportsOverdue"].clone()), (json!(1), json!(1), json!(0)));
        let theirs = row(&w.other_unit_id);
        assert_eq!((theirs["pressReportsReceived"].clone(), theirs["pressReportsAnsweredOnTime"].clone(), theirs["pressReportsOverdue"].clone()), (json!(1), json!(0), json!(1)));
        assert_eq!(theirs["needsAttention"], true);
        assert_eq!(mine["releasesPickedUp"], 0);
    }
);

each!(backends;
    async fn the_compliance_report_counts_releases_picked_up(app) {
        let feeds = FeedServer::start().await;
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Tiêm vắc xin sởi cho trẻ từ 1 đến 5 tuổi", json!({"allAccredited": true})).await;
        publish_now(&sp, &w.unit_id, "Thông cáo không ai đăng", json!({"allAccredited": true})).await;
        let page = format!("{}/releases/{id}", app.base);
        feeds.serve("/rss", Route::feed("application/rss+xml", rss(&[("Tin y tế", &page, "Đọc thông cáo", Utc::now() + Duration::minutes(1))])));
        let a = app.gql_as(&w.admin);
        a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": [format!("{}/rss", feeds.url)]})).await.data();
        eventually("the pickup", || async { app.db_count("SELECT COUNT(*) FROM pickups").await == 1 }).await;
        let from = (Utc::now() - Duration::days(1)).to_rfc3339();
        let to = (Utc::now() + Duration::days(1)).to_rfc3339();
        let rows = a.run(COMPLIANCE, json!({"f": from, "t": to})).await.data()["complianceReport"].as_array().expect("rows").clone();
        let mine = rows.iter().find(|r| r["unit"]["id"] == w.unit_id.as_str()).expect("a row");
        assert_eq!(mine["releasesPickedUp"], 1);
        assert_eq!(mine["pressReportsReceived"], 0);
    }
);

const ALERTS: &str = "{ mentionAlerts { id day mentions dailyMean raisedAt unit { id name } } }";
const SUGGESTIONS: &str = "{ pressReportSuggestions { unit { id } article { id title } } }";

each!(backends;
    async fn a_unit_named_three_times_its_daily_mean_alerts_the_admins_once_a_day(app) {
        let feeds = FeedServer::start().await;
        let now = Utc::now();
        let w = World::build(&app, 1).await;
        // Sở Y tế: one article a day for the fourteen days before (a mean of 1.0), three today
        // (not more than three times the mean). Sở Tài chính: two today, none before (below
        // the floor of three). Every spelling counts: case and diacritics do not matter.
        let mut items: Vec<(String, String, String, chrono::DateTime<Utc>)> = (1..=14)
            .map(|d| (format!("Sở Y tế kiểm tra an toàn thực phẩm đợt {d}"), format!("https://bao.example/ytt-{d}"), "Kiểm tra".to_owned(), now - Duration::days(d)))
            .collect();
        let today = now - Duration::seconds(60);
        for (i, title) in ["Sở Y tế cảnh báo sốt xuất huyết", "SO Y TE tang cuong truc cap cuu", "Bệnh viện quá tải, SỞ Y TẾ nói gì?"].iter().enumerate() {
            items.push((title.to_string(), format!("https://bao.example/today-{i}"), "Tin trong ngày".into(), today));
        }
        for i in 0..2 {
            items.push((format!("Sở Tài chính công bố giá đất {i}"), format!("https://bao.example/stc-{i}"), "Giá đất".into(), today));
        }
        let feed = |items: &[(String, String, String, chrono::DateTime<Utc>)]| {
            let refs: Vec<(&str, &str, &str, chrono::DateTime<Utc>)> = items.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), *d)).collect();
            Route::feed("application/rss+xml", rss(&refs))
        };
        feeds.serve("/rss", feed(&items));
        let a = app.gql_as(&w.admin);
        a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": [format!("{}/rss", feeds.url)]})).await.data();
        eventually("the backlog stored", || async { app.db_count("SELECT COUNT(*) FROM articles").await == 19 }).await;
        // A new feed's backlog counts on the days it was written: no surge, no alert.
        assert_eq!(a.run(ALERTS, json!({})).await.data()["mentionAlerts"], json!([]));
        let admin_mail = "SELECT COUNT(*) FROM outbox WHERE kind = 'NOTICE' AND recipient = 'admin@test.vn'";
        assert_eq!(app.db_count(admin_mail).await, 0);

        // A fourth article today: more than three times the mean.
        items.push(("Giám đốc sở y tế trả lời báo chí".into(), "https://bao.example/today-3".into(), "Họp báo".into(), today));
        feeds.serve("/rss", feed(&items));
        assert_eq!(a.run(POLL, json!({})).await.data()["pollOutletFeeds"], 1);
        let alerts = a.run(ALERTS, json!({})).await.data()["mentionAlerts"].clone();
        assert_eq!(alerts.as_array().map(Vec::len), Some(1), "{alerts}");
        assert_eq!(alerts[0]["unit"], json!({"id": w.unit_id, "name": "Sở Y tế"}));
        assert_eq!(alerts[0]["mentions"], 4);
        assert_eq!(alerts[0]["dailyMean"], 1.0);
        let day = (now + Duration::hours(7)).format("%Y-%m-%d").to_string();
        assert_eq!(alerts[0]["day"], day, "the province's calendar day");
        // ADMIN is e-mailed with the alert, in the same transaction.
        assert_eq!(app.db_count(admin_mail).await, 1);
        let linked = format!("{admin_mail} AND payload LIKE '%#/monitoring/{}%' AND payload LIKE '%Sở Y tế%'", w.unit_id);
        assert_eq!(app.db_count(&linked).await, 1, "the e-mail names the unit and links its articles");

        // A fifth: the same alert counts it; no second e-mail.
        items.push(("Sở Y tế họp khẩn".into(), "https://bao.example/today-4".into(), "Họp".into(), today));
        feeds.serve("/rss", feed(&items));
        assert_eq!(a.run(POLL, json!({})).await.data()["pollOutletFeeds"], 1);
        let alerts = a.run(ALERTS, json!({})).await.data()["mentionAlerts"].clone();
        assert_eq!((alerts.as_array().map(Vec::len), alerts[0]["mentions"].clone()), (Some(1), json!(5)));
        assert_eq!(app.db_count(admin_mail).await, 1);

        // The authority reads alerts; no one else.
        assert_eq!(app.gql_as(&w.auditor).run(ALERTS, json!({})).await.data()["mentionAlerts"].as_array().map(Vec::len), Some(1));
        for who in [&w.spokesperson, &w.outlets[0].1] {
            assert_eq!(app.gql_as(who).run(ALERTS, json!({})).await.code(), "FORBIDDEN");
        }
        assert_eq!(app.gql().run(ALERTS, json!({})).await.code(), "UNAUTHENTICATED");
    }
);

each!(backends;
    async fn articles_naming_a_unit_without_carrying_its_release_are_suggested_as_press_reports(app) {
        let feeds = FeedServer::start().await;
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let release = publish_now(&sp, &w.unit_id, "Sở Y tế thông tin về dịch sốt xuất huyết", json!({"allAccredited": true})).await;
        let later = Utc::now() + Duration::minutes(1);
        let page = format!("{}/releases/{release}", app.base);
        feeds.serve("/rss", Route::feed("application/rss+xml", rss(&[
            ("Sở Y tế thông tin về dịch", "https://bao.example/carried", &format!("&lt;a href=\"{page}\"&gt;Thông cáo&lt;/a&gt;"), later),
            ("Người dân phản ánh Sở Y tế chậm cấp phép", "https://bao.example/own", "Phóng sự", later),
            ("Giá vàng hôm nay", "https://bao.example/vang", "Vàng", later),
        ])));
        let a = app.gql_as(&w.admin);
        a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": [format!("{}/rss", feeds.url)]})).await.data();
        eventually("three articles", || async { app.db_count("SELECT COUNT(*) FROM articles").await == 3 }).await;
        // The article carrying the unit's release is its spread, not a report; the one about
        // gold names no unit.
        let s = a.run(SUGGESTIONS, json!({})).await.data()["pressReportSuggestions"].clone();
        assert_eq!(s.as_array().map(Vec::len), Some(1), "{s}");
        assert_eq!(s[0]["unit"]["id"], json!(w.unit_id));
        assert_eq!(s[0]["article"]["title"], "Người dân phản ánh Sở Y tế chậm cấp phép");
        // Raised, it is no longer suggested.
        let r = a.run(RAISE, json!({"a": s[0]["article"]["id"], "u": w.unit_id})).await;
        assert_eq!(r.data()["raisePressReport"]["status"], "OPEN");
        assert_eq!(a.run(SUGGESTIONS, json!({})).await.data()["pressReportSuggestions"], json!([]));
        assert_eq!(sp.run(SUGGESTIONS, json!({})).await.code(), "FORBIDDEN");
    }
);
