//! Issue 30's findings (the second security review and the acceptance runs), one test each on
//! both databases; the e-mail one is in `email.rs`, the crash one in `mail_crash.rs`, the
//! proxy one in `outbound_proxy.rs`, the query-cost property test in `query_cost.rs`.
use pressnet_tests::*;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LOGIN: &str = "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }";

/// Sends the head of a multipart POST that claims a `declared` byte body, and a first chunk;
/// returns the status line the server answers within three seconds (the rest of the body is
/// never sent: a server that read it before answering would time out here).
async fn multipart_head(app: &TestApp, token: Option<&str>, declared: u64) -> String {
    let mut s = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: pressnet\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n\
         Content-Length: {declared}\r\n{auth}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{{\"query\":\""
    );
    s.write_all(head.as_bytes()).await.expect("write");
    // 64 KiB of the 'operations' part, which would go on for `declared` bytes.
    s.write_all(&vec![b' '; 64 * 1024]).await.ok();
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(3), s.read(&mut buf))
        .await
        .expect("the server answers before the body is sent")
        .expect("read");
    let text = String::from_utf8_lossy(&buf[..n]).to_string();
    text.lines().next().unwrap_or_default().to_owned()
}

async fn post_form(
    app: &TestApp,
    token: &str,
    form: reqwest::multipart::Form,
) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("send")
}

each!(backends;
    async fn uploads_are_refused_before_their_body_is_read_unless_a_spokesperson_sends_them(app) {
        let w = World::build(&app, 1).await;
        // Anonymous: 401 at once, for a body of 400 MiB that is never sent.
        let line = multipart_head(&app, None, 400 * 1024 * 1024).await;
        assert!(line.contains(" 401 "), "{line}");
        // A journalist uploads nothing either.
        let line = multipart_head(&app, Some(&w.outlets[0].1), 400 * 1024 * 1024).await;
        assert!(line.contains(" 403 "), "{line}");
        // A spokesperson's request is read, each part under its own bound: an `operations`
        // part of 2 MiB is refused as too large, not held.
        let big = format!("{{\"query\":\"{}\"}}", " ".repeat(2 * 1024 * 1024));
        let form = reqwest::multipart::Form::new()
            .text("operations", big)
            .text("map", "{}");
        let resp = post_form(&app, &w.spokesperson, form).await;
        assert_eq!(resp.status().as_u16(), 413);
        let body: Value = resp.json().await.expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
        // A file the map does not name is refused, not written anywhere.
        let id = draft(&app.gql_as(&w.spokesperson), &w.unit_id, "Tệp lạ", json!({"allAccredited": true})).await;
        let operations = json!({"query": ADD_ATTACHMENT, "variables": {"r": id, "f": null}});
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({"0": ["variables.f"]}).to_string())
            .part("stray", reqwest::multipart::Part::bytes(vec![1u8; 10]).file_name("x.bin"));
        let resp = post_form(&app, &w.spokesperson, form).await;
        assert_eq!(resp.status().as_u16(), 400);
    }
);

each!(backends;
    async fn renderings_are_priced_by_their_work(app) {
        let w = World::build(&app, 1).await;
        let j = app.gql_as(&w.outlets[0].1);
        // One preview, even a long one, is fine.
        let long = "Đoạn văn **dài**. ".repeat(10_000);
        let r = j.run("query($m:String!){ renderMarkdown(markdown:$m) }", json!({"m": long})).await;
        assert!(r.data()["renderMarkdown"].as_str().is_some_and(|h| h.contains("<strong>")));
        // A thousand short ones in one request are over the budget, refused before any runs.
        let many: String = (0..1000).map(|i| format!("a{i}: renderMarkdown(markdown:$m) ")).collect();
        let r = j.run(&format!("query($m:String!){{ {many} }}"), json!({"m": "*x*"})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT", "{}", r.body);
        assert!(r.message().contains("complex"), "{}", r.body);
        // So are thirty of the long text (each costs a point per KiB).
        let thirty: String = (0..30).map(|i| format!("a{i}: renderMarkdown(markdown:$m) ")).collect();
        let r = j.run(&format!("query($m:String!){{ {thirty} }}"), json!({"m": long})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT", "{}", r.body);
    }
);

each!(backends;
    async fn lists_without_first_are_priced_by_their_real_size(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        communes_with_spokespersons(&a, 40).await;
        // A server started now learns the registry's size (as after a restart).
        let app = app.restart().await;
        let nested = "spokespersonRoster { unit { spokespersons { unit { spokespersons { fullName unit { name } } } } } }";
        // One copy is an honest page of the roster.
        let r = app.gql().run(&format!("{{ {nested} }}"), json!({})).await;
        assert_eq!(r.data()["spokespersonRoster"].as_array().map(Vec::len), Some(42));
        // Forty aliased copies (the finding: 6.6 KB asking for 9.2 MB) are refused unread.
        let many: String = (0..40).map(|i| format!("a{i}: {nested} ")).collect();
        let r = app.gql().run(&format!("{{ {many} }}"), json!({})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT", "{}", r.body);
        assert!(r.message().contains("complex"), "{}", r.body);
    }
);

/// A PNG whose header says `w` x `h` pixels (RGB), with an empty image stream: what an image
/// bomb's first bytes look like, small as a file.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    fn crc32(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for b in bytes {
            c ^= u32::from(*b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    // A zlib stream of nothing: the decoder would want 300 MB of pixels from it.
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

each!(backends, storages;
    async fn image_bombs_zip_slip_and_metadata(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Ảnh và tài liệu", json!({"allAccredited": true})).await;
        // 10,000 x 10,000 pixels in a few hundred bytes: refused from its header.
        let r = upload(&app, &w.spokesperson, &id, "bom.png", png_header(10_000, 10_000), None).await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{r}");
        assert!(r["errors"][0]["message"].as_str().unwrap_or_default().contains("megapixels"), "{r}");
        // A path in a file's name is not kept, and the zip's entries are plain names.
        let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec();
        let r = upload(&app, &w.spokesperson, &id, "../../etc/passwd.pdf", pdf, None).await;
        let a = &r["data"]["addAttachment"];
        assert_eq!(a["filename"], "passwd.pdf", "{r}");
        // A PDF is served as uploaded: the editor is told it keeps its metadata.
        let r = sp.run("query($id:UUID!){ release(id:$id){ attachments { filename keepsMetadata } } }", json!({"id": id})).await;
        assert_eq!(r.data()["release"]["attachments"], json!([{"filename": "passwd.pdf", "keepsMetadata": true}]));
        let mut png = Vec::new();
        image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        upload(&app, &w.spokesperson, &id, "anh.png", png, None).await;
        let r = sp.run("query($id:UUID!){ release(id:$id){ attachments { filename keepsMetadata } } }", json!({"id": id})).await;
        assert_eq!(r.data()["release"]["attachments"][1], json!({"filename": "anh.png", "keepsMetadata": false}));
        let zip = reqwest::Client::new()
            .get(format!("{}/releases/{id}/files.zip", app.base))
            .bearer_auth(&w.spokesperson)
            .send()
            .await
            .expect("zip")
            .bytes()
            .await
            .expect("bytes");
        let names = zip_names(&zip);
        assert_eq!(names, vec!["01-passwd.pdf".to_owned(), "02-anh.png".to_owned()]);
    }
);

/// The names of a zip's local file headers.
fn zip_names(zip: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 30 <= zip.len() {
        if zip[i..i + 4] == [0x50, 0x4b, 0x03, 0x04] {
            let n = u16::from_le_bytes([zip[i + 26], zip[i + 27]]) as usize;
            if let Some(name) = zip.get(i + 30..i + 30 + n) {
                out.push(String::from_utf8_lossy(name).to_string());
            }
            i += 30 + n;
        } else {
            i += 1;
        }
    }
    out
}

each!(backends;
    async fn the_older_protocol_counts_every_message_that_starts_an_operation(app) {
        use futures::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::Message;
        let w = World::build(&app, 1).await;
        let mut s = pressnet_tests::ws::open_legacy(&app.ws_url(), &w.outlets[0].1).await;
        let send = |v: Value| Message::Text(v.to_string().into());
        // async-graphql takes `subscribe` as `start` on this protocol: both count.
        for i in 0..40 {
            let q = format!("subscription {{ releasePublished {{ cursor r{i}: release {{ id }} }} }}");
            let kind = if i % 2 == 0 { "subscribe" } else { "start" };
            s.send(send(json!({"id": format!("s{i}"), "type": kind, "payload": {"query": q}}))).await.expect("start");
        }
        let mut refused = Vec::new();
        while let Ok(Some(Ok(m))) = tokio::time::timeout(Duration::from_secs(3), s.next()).await {
            if let Message::Text(t) = m {
                let v: Value = serde_json::from_str(&t).expect("json");
                if v["type"] == "error" {
                    assert_eq!(v["payload"]["extensions"]["code"], "RATE_LIMITED");
                    refused.push(v["id"].as_str().unwrap_or_default().to_owned());
                }
            }
            if refused.len() == 24 {
                break;
            }
        }
        let want: Vec<String> = (16..40).map(|i| format!("s{i}")).collect();
        assert_eq!(refused, want);
    }
);

each!(backends;
    async fn a_former_spokesperson_lists_no_journalists_and_reads_no_articles(app) {
        let w = World::build(&app, 2).await;
        let admin = app.gql_as(&w.admin);
        let sp = app.gql_as(&w.spokesperson);
        const PRESS: &str = "{ outlets { journalists { email } } }";
        let count = |r: &pressnet_tests::gql::Reply| -> usize {
            r.data()["outlets"].as_array().map(|o| o.iter().map(|x| x["journalists"].as_array().map_or(0, Vec::len)).sum()).unwrap_or(0)
        };
        assert_eq!(count(&sp.run(PRESS, json!({})).await), 2);
        // In office: their own unit's articles, not another unit's.
        let r = sp.run("query($u:UUID){ articles(unitId:$u){ id } }", json!({"u": w.unit_id})).await;
        assert!(r.data()["articles"].is_array());
        let r = sp.run("query($u:UUID){ articles(unitId:$u){ id } }", json!({"u": w.other_unit_id})).await;
        assert_eq!(r.code(), "FORBIDDEN", "{}", r.body);
        admin.run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": w.spokesperson_id})).await.data();
        let former = app.gql_as(&app.login("duc@syt.vn", PASSWORD).await);
        assert_eq!(count(&former.run(PRESS, json!({})).await), 0);
        let r = former.run("{ articles { id } }", json!({})).await;
        assert_eq!(r.code(), "FORBIDDEN", "{}", r.body);
    }
);

each!(backends, config = |c| c.trusted_proxies = Some("127.0.0.1/32".into());
    async fn metrics_are_not_open_to_the_world(app) {
        let get = |from: Option<&str>| {
            let mut req = reqwest::Client::new().get(format!("{}/metrics", app.base));
            if let Some(f) = from {
                req = req.header("x-forwarded-for", f);
            }
            req.send()
        };
        // Without PRESSNET_METRICS_TOKEN: this machine reads them…
        assert_eq!(get(None).await.expect("get").status().as_u16(), 200);
        // …a client elsewhere (through the trusted proxy) does not.
        let r = get(Some("203.0.113.9")).await.expect("get");
        assert_eq!(r.status().as_u16(), 403);
        assert!(r.text().await.unwrap_or_default().contains("PRESSNET_METRICS_TOKEN"));
    }
);

each!(backends, config = |c| c.trusted_proxies = Some("127.0.0.1/32".into());
    async fn parallel_wrong_passwords_from_one_address_reach_the_check_five_times(app) {
        app.admin().await;
        let attempts = (0..20).map(|_| {
            let g = app.gql().forwarded_for("203.0.113.77");
            async move { g.run(LOGIN, json!({"e": ADMIN_EMAIL, "p": "sai mật khẩu"})).await }
        });
        let codes: Vec<String> = futures::future::join_all(attempts).await.iter().map(|r| r.code()).collect();
        let wrong = codes.iter().filter(|c| *c == "UNAUTHENTICATED").count();
        let limited = codes.iter().filter(|c| *c == "RATE_LIMITED").count();
        assert!(wrong <= 5, "{codes:?}");
        assert_eq!(wrong + limited, 20, "{codes:?}");
        // The right password from elsewhere still signs in: nobody is locked out.
        let r = app.gql().forwarded_for("198.51.100.7").run(LOGIN, json!({"e": ADMIN_EMAIL, "p": PASSWORD})).await;
        assert!(r.data()["login"]["token"].is_string(), "{}", r.body);
    }
);

each!(backends;
    async fn a_journalist_answering_their_own_question_is_forbidden(app) {
        let w = World::build(&app, 2).await;
        let j = app.gql_as(&w.outlets[0].1);
        let r = j.run("mutation($u:UUID!){ askQuestion(unitId:$u, question:\"Khi nào có kết quả?\"){ id } }", json!({"u": w.unit_id})).await;
        let id = r.data()["askQuestion"]["id"].as_str().expect("id").to_owned();
        const ANSWER: &str = "mutation($id:UUID!){ answerInquiry(id:$id, answer:\"Tự trả lời\"){ id } }";
        // The asker knows the question exists: FORBIDDEN, as the contract's codes mean.
        assert_eq!(j.run(ANSWER, json!({"id": id})).await.code(), "FORBIDDEN");
        // Another outlet's journalist and another unit's spokesperson do not: NOT_FOUND.
        assert_eq!(app.gql_as(&w.outlets[1].1).run(ANSWER, json!({"id": id})).await.code(), "NOT_FOUND");
        assert_eq!(app.gql_as(&w.other_spokesperson).run(ANSWER, json!({"id": id})).await.code(), "NOT_FOUND");
        // The unit's spokesperson answers.
        app.gql_as(&w.spokesperson).run(ANSWER, json!({"id": id})).await.data();
    }
);

each!(backends;
    async fn an_auditor_verifies_the_chain_offline_with_the_readme_verifier(app) {
        let w = World::build(&app, 1).await;
        publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Kiểm toán", json!({"allAccredited": true})).await;
        let r = app.gql_as(&w.auditor).run("{ auditEvents(first: 3) { seq actorId prevHash hash details } }", json!({})).await;
        let ev = r.data()["auditEvents"].as_array().expect("events").clone();
        assert_eq!(ev[0]["prevHash"], "");
        assert_eq!(ev[1]["prevHash"], ev[0]["hash"]);
        assert!(ev.iter().any(|e| e["actorId"].is_string()), "{ev:?}");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/tools/verify_audit.py");
        let run = || async {
            tokio::process::Command::new("python3")
                .arg(script)
                .arg("--url")
                .arg(format!("{}/graphql", app.base))
                // `--token=…`: a token may begin with "-", which argparse would take for an option.
                .arg(format!("--token={}", w.auditor))
                .output()
                .await
                .expect("python3 runs the verifier")
        };
        let out = run().await;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert!(out.status.success(), "{text} {}", String::from_utf8_lossy(&out.stderr));
        assert!(text.starts_with("ok: "), "{text}");
        // An edit made in the database is found, and named.
        use sea_orm::ConnectionTrait;
        app.ctx.db.execute_unprepared("UPDATE audit_events SET details = '{\"edited\":true}' WHERE seq = 3").await.expect("tamper");
        // (The edit bypasses the server, so its read cache is told, as its time-out would.)
        app.ctx.hub.note_change();
        let out = run().await;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("seq 3"), "{text}");
    }
);

each!(backends;
    async fn poll_now_counts_a_poll_already_under_way(app) {
        use pressnet_tests::feed_server::{FeedServer, Route};
        let feeds = FeedServer::start().await;
        let now = chrono::Utc::now();
        let rss = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Báo</title><link>https://bao.example/</link><description>d</description>\
             <item><title>Tin một</title><link>https://bao.example/1</link><guid>https://bao.example/1</guid><pubDate>{0}</pubDate></item>\
             <item><title>Tin hai</title><link>https://bao.example/2</link><guid>https://bao.example/2</guid><pubDate>{0}</pubDate></item>\
             </channel></rss>",
            now.to_rfc2822()
        );
        // The feed answers slowly: the worker's poll of a new feed is still running when the
        // person presses "poll now".
        feeds.serve("/rss", Route::feed("application/rss+xml", rss).slow(Duration::from_millis(1500)));
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        a.run("mutation($o:UUID!,$u:[String!]!){ setOutletFeeds(outletId:$o, urls:$u){ id } }",
            json!({"o": w.outlets[0].0, "u": [format!("{}/rss", feeds.url)]})).await.data();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let r = a.run("mutation{ pollOutletFeeds }", json!({})).await;
        assert_eq!(r.data()["pollOutletFeeds"], 2, "{}", r.body);
    }
);
