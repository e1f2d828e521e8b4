//! Source material (issue 18): uploads by the GraphQL multipart request specification, on both
//! databases and both storages (a directory, and moto's S3-compatible server): a photo's GPS
//! stripped, an embargoed file refused before its time and served after, Range requests, the
//! download log, and the checks on what is uploaded.
use pressnet_tests::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// A 2000×1000 JPEG carrying an EXIF segment with a GPS position, as a phone writes it.
fn photo_with_gps() -> Vec<u8> {
    let img = image::RgbImage::from_fn(2000, 1000, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&img)
        .expect("encode");
    // APP1 "Exif": a TIFF header and a GPS note a reader would find.
    let mut payload = b"Exif\0\0II*\0\x08\0\0\0".to_vec();
    payload.extend_from_slice(b"GPSLatitude 21.0285 N GPSLongitude 105.8542 E");
    let len = u16::try_from(payload.len() + 2).expect("len");
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn pdf() -> Vec<u8> {
    let mut v = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n".to_vec();
    v.extend(std::iter::repeat_n(b'x', 5000));
    v.extend_from_slice(b"\n%%EOF\n");
    v
}

/// An MP4's first box, then bytes to seek through.
fn clip(len: usize) -> Vec<u8> {
    let mut v = b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2".to_vec();
    v.extend((0..len).map(|i| (i % 251) as u8));
    v
}

async fn get(
    app: &TestApp,
    token: Option<&str>,
    url: &str,
    range: Option<&str>,
) -> reqwest::Response {
    let mut r = reqwest::Client::new().get(url);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    if let Some(v) = range {
        r = r.header("range", v);
    }
    let _ = app;
    r.send().await.expect("get")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

each!(backends, storages;
    async fn a_photo_loses_its_gps_and_gets_a_thumbnail(app) {
        let w = World::build(&app, 1).await;
        let id = draft(&app.gql_as(&w.spokesperson), &w.unit_id, "Ảnh hiện trường", json!({"allAccredited": true})).await;
        let r = upload(&app, &w.spokesperson, &id, "Ảnh hiện trường.jpg", photo_with_gps(), Some("Đoàn kiểm tra tại xã Tân Sơn")).await;
        let a = &r["data"]["addAttachment"];
        assert_eq!(a["contentType"], "image/jpeg", "{r}");
        assert_eq!((a["width"].as_i64(), a["height"].as_i64()), (Some(2000), Some(1000)));
        assert_eq!(a["caption"], "Đoàn kiểm tra tại xã Tân Sơn");
        assert_eq!(a["credit"], "Ảnh: Sở Y tế");
        assert_eq!(a["filename"], "Ảnh hiện trường.jpg");
        let resp = get(&app, Some(&w.spokesperson), a["url"].as_str().expect("url"), None).await;
        assert_eq!(resp.status(), 200);
        let disposition = resp.headers()["content-disposition"].to_str().expect("ascii").to_owned();
        assert!(disposition.contains("filename*=UTF-8''%E1%BA%A2nh%20hi%E1%BB%87n%20tr%C6%B0%E1%BB%9Dng.jpg"), "{disposition}");
        let body = resp.bytes().await.expect("body");
        assert!(!contains(&body, b"Exif") && !contains(&body, b"GPSLatitude"), "the served photo still carries its EXIF");
        assert_eq!(hex::encode(Sha256::digest(&body)), a["sha256"].as_str().expect("sha"));
        assert_eq!(body.len().to_string(), a["sizeBytes"].as_str().expect("size"));
        let decoded = image::load_from_memory(&body).expect("a JPEG");
        assert_eq!((decoded.width(), decoded.height()), (2000, 1000));
        // The renditions.
        let thumb = get(&app, Some(&w.spokesperson), a["thumbnailUrl"].as_str().expect("thumb"), None).await.bytes().await.expect("thumb");
        let t = image::load_from_memory(&thumb).expect("thumbnail");
        assert!(t.width() <= 320 && t.height() <= 320, "{}x{}", t.width(), t.height());
        let web = get(&app, Some(&w.spokesperson), a["webUrl"].as_str().expect("web"), None).await.bytes().await.expect("web");
        assert_eq!(image::load_from_memory(&web).expect("web").width(), 1600);
        // The same file twice is one blob.
        let again = upload(&app, &w.spokesperson, &id, "copy.jpg", photo_with_gps(), None).await;
        assert_eq!(again["data"]["addAttachment"]["sha256"], a["sha256"]);
        let list = app.gql_as(&w.spokesperson).run("query($id:UUID!){ release(id:$id){ attachments { filename } } }", json!({"id": id})).await;
        assert_eq!(list.data()["release"]["attachments"].as_array().map(Vec::len), Some(2));
    }
);

each!(backends, storages;
    async fn an_embargoed_file_is_refused_before_its_time_and_served_after(app) {
        let w = World::build(&app, 1).await;
        let (_, journalist) = &w.outlets[0];
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Kết quả thanh tra", json!({"allAccredited": true})).await;
        let r = upload(&app, &w.spokesperson, &id, "Kết luận thanh tra số 12.pdf", pdf(), None).await;
        let a = r["data"]["addAttachment"].clone();
        assert_eq!(a["contentType"], "application/pdf", "{r}");
        let url = a["url"].as_str().expect("url").to_owned();
        let at = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
        let p = sp.run(PUBLISH, json!({"id": id, "at": at})).await;
        assert_eq!(p.data()["publishRelease"]["status"], "SCHEDULED");
        for who in [Some(journalist.as_str()), None, Some(w.other_spokesperson.as_str())] {
            assert_eq!(get(&app, who, &url, None).await.status(), 404, "before the embargo");
        }
        assert_eq!(get(&app, Some(&w.spokesperson), &url, None).await.status(), 200, "its unit sees it");
        // Once the embargo lifts: the press it addressed, and the public (it is PUBLIC).
        app.clock.advance(chrono::Duration::hours(2));
        eventually("published after the embargo", || async {
            sp.run("query($id:UUID!){ release(id:$id){ status } }", json!({"id": id})).await.data()["release"]["status"] == "PUBLISHED"
        })
        .await;
        let resp = get(&app, Some(journalist), &url, None).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.bytes().await.expect("body").to_vec(), pdf());
        assert_eq!(get(&app, None, &url, None).await.status(), 200);
        // Files are fixed once published.
        let late = upload(&app, &w.spokesperson, &id, "late.pdf", pdf(), None).await;
        assert_eq!(late["errors"][0]["extensions"]["code"], "CONFLICT", "{late}");
    }
);

each!(backends, storages;
    async fn a_clip_seeks_with_range_requests(app) {
        let w = World::build(&app, 1).await;
        let (_, journalist) = &w.outlets[0];
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Clip họp báo", json!({"allAccredited": true})).await;
        let bytes = clip(300_000);
        let r = upload(&app, &w.spokesperson, &id, "clip.mp4", bytes.clone(), None).await;
        let a = r["data"]["addAttachment"].clone();
        assert_eq!(a["contentType"], "video/mp4", "{r}");
        assert!(sp.run(PUBLISH, json!({"id": id})).await.body["errors"].is_null());
        let url = a["url"].as_str().expect("url");
        let resp = get(&app, Some(journalist), url, Some("bytes=1000-1999")).await;
        assert_eq!(resp.status(), 206);
        assert_eq!(resp.headers()["content-range"], format!("bytes 1000-1999/{}", bytes.len()).as_str());
        assert_eq!(resp.bytes().await.expect("body").to_vec(), bytes[1000..2000].to_vec());
        let tail = get(&app, Some(journalist), url, Some("bytes=-10")).await.bytes().await.expect("tail");
        assert_eq!(tail.to_vec(), bytes[bytes.len() - 10..].to_vec());
        assert_eq!(get(&app, Some(journalist), url, Some(&format!("bytes={}-", bytes.len()))).await.status(), 416);
        // The ETag is the SHA-256: a client that has it gets 304.
        let etag = format!("\"{}\"", a["sha256"].as_str().expect("sha"));
        let not_modified = reqwest::Client::new().get(url).bearer_auth(journalist).header("if-none-match", &etag).send().await.expect("get");
        assert_eq!(not_modified.status(), 304);
    }
);

each!(backends, storages;
    async fn downloads_are_logged_for_the_unit_and_the_authority(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Tài liệu gửi báo chí", json!({"outletIds": [w.outlets[0].0]})).await;
        let r = upload(&app, &w.spokesperson, &id, "tai-lieu.pdf", pdf(), None).await;
        let url = r["data"]["addAttachment"]["url"].as_str().expect("url").to_owned();
        assert!(sp.run(PUBLISH, json!({"id": id})).await.body["errors"].is_null());
        assert_eq!(get(&app, Some(&w.outlets[0].1), &url, None).await.status(), 200);
        // The outlet it did not address sees nothing (PRESS_ONLY: not the public either).
        assert_eq!(get(&app, Some(&w.outlets[1].1), &url, None).await.status(), 404);
        assert_eq!(get(&app, None, &url, None).await.status(), 404);
        // A seek is not a second download.
        assert_eq!(get(&app, Some(&w.outlets[0].1), &url, Some("bytes=100-199")).await.status(), 206);
        let q = "query($r:UUID!){ downloads(releaseId:$r){ at outlet { name } journalist { fullName } attachment { filename } } }";
        for who in [&w.spokesperson, &w.admin, &w.auditor] {
            let d = app.gql_as(who).run(q, json!({"r": id})).await;
            let list = d.data()["downloads"].as_array().expect("list").clone();
            assert_eq!(list.len(), 1, "{}", d.body);
            assert_eq!(list[0]["outlet"]["name"], "Báo số 0");
            assert_eq!(list[0]["journalist"]["fullName"], "Phóng viên 0");
            assert_eq!(list[0]["attachment"]["filename"], "tai-lieu.pdf");
        }
        assert_eq!(app.gql_as(&w.outlets[0].1).run(q, json!({"r": id})).await.code(), "FORBIDDEN");
        // Counted in the delivery statistics: the unit sees which outlets took the material,
        // a journalist their own outlet's part.
        let stats = "query($r:UUID!){ release(id:$r){ deliveryStats { targeted downloads outletsDownloaded } } }";
        let s = sp.run(stats, json!({"r": id})).await;
        assert_eq!(s.data()["release"]["deliveryStats"], json!({"targeted": 1, "downloads": 1, "outletsDownloaded": 1}), "{}", s.body);
        let s = app.gql_as(&w.outlets[0].1).run(stats, json!({"r": id})).await;
        assert_eq!(s.data()["release"]["deliveryStats"]["downloads"], 1, "{}", s.body);
        // Another unit does not even see the release (PRESS_ONLY, not addressed to it).
        assert_eq!(app.gql_as(&w.other_spokesperson).run(q, json!({"r": id})).await.code(), "NOT_FOUND");
    }
);

each!(backends, storages;
    async fn only_the_unit_uploads_and_only_what_it_should(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Bản nháp có tệp", json!({"allAccredited": true})).await;
        // Not a type a newsroom takes (plain text), whatever its name says.
        let r = upload(&app, &w.spokesperson, &id, "anh.jpg", b"just some text, not a photo".to_vec(), None).await;
        assert_eq!(r["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{r}");
        assert_eq!(r["errors"][0]["extensions"]["field"], "file");
        // Another unit's spokesperson, a journalist, nobody: refused.
        assert_eq!(upload(&app, &w.other_spokesperson, &id, "x.pdf", pdf(), None).await["errors"][0]["extensions"]["code"], "NOT_FOUND");
        // A journalist is refused at the door, before the body is read (nothing about the
        // release is told: the refusal does not depend on it).
        assert_eq!(upload(&app, &w.outlets[0].1, &id, "x.pdf", pdf(), None).await["errors"][0]["extensions"]["code"], "FORBIDDEN");
        assert_eq!(upload(&app, "nobody", &id, "x.pdf", pdf(), None).await["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        // Removed before publication: gone for everyone.
        let a = upload(&app, &w.spokesperson, &id, "x.pdf", pdf(), None).await["data"]["addAttachment"].clone();
        let url = a["url"].as_str().expect("url").to_owned();
        let rm = sp.run("mutation($id:UUID!){ removeAttachment(id:$id) }", json!({"id": a["id"]})).await;
        assert_eq!(rm.data()["removeAttachment"], true);
        assert_eq!(get(&app, Some(&w.spokesperson), &url, None).await.status(), 404);
        let events = app.gql_as(&w.admin).run("{ auditEvents(first: 100){ action } }", json!({})).await;
        let actions: Vec<String> = events.data()["auditEvents"].as_array().expect("events").iter().filter_map(|e| e["action"].as_str().map(str::to_owned)).collect();
        assert!(actions.contains(&"attachment.add".to_owned()) && actions.contains(&"attachment.remove".to_owned()), "{actions:?}");
    }
);

each!(backends, storages;
    async fn captions_are_edited_and_files_reordered_before_publication(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Ảnh và tài liệu", json!({"allAccredited": true})).await;
        let first = upload(&app, &w.spokesperson, &id, "mot.pdf", pdf(), Some("Bản một")).await["data"]["addAttachment"]["id"].clone();
        let mut second_pdf = pdf();
        second_pdf.extend_from_slice(b"% hai\n");
        let second = upload(&app, &w.spokesperson, &id, "hai.pdf", second_pdf, None).await["data"]["addAttachment"]["id"].clone();
        let edit = "mutation($id:UUID!,$c:String,$k:String){ updateAttachment(id:$id, caption:$c, credit:$k){ caption credit } }";
        let e = sp.run(edit, json!({"id": second, "c": "Công văn số 12/SYT", "k": ""})).await;
        assert_eq!(e.data()["updateAttachment"], json!({"caption": "Công văn số 12/SYT", "credit": null}), "{}", e.body);
        let bad = sp.run(edit, json!({"id": second, "c": "a\u{0007}b"})).await;
        assert_eq!(bad.code(), "BAD_USER_INPUT", "{}", bad.body);
        let reorder = "mutation($r:UUID!,$ids:[UUID!]!){ reorderAttachments(releaseId:$r, ids:$ids){ filename } }";
        let r = sp.run(reorder, json!({"r": id, "ids": [second, first]})).await;
        assert_eq!(r.data()["reorderAttachments"], json!([{"filename": "hai.pdf"}, {"filename": "mot.pdf"}]), "{}", r.body);
        // Every file once, or nothing changes.
        for ids in [json!([second]), json!([second, second, first]), json!([second, first, id])] {
            assert_eq!(sp.run(reorder, json!({"r": id, "ids": ids})).await.code(), "BAD_USER_INPUT");
        }
        // Another unit, a journalist: refused.
        assert_eq!(app.gql_as(&w.other_spokesperson).run(edit, json!({"id": first, "c": "x"})).await.code(), "NOT_FOUND");
        assert_eq!(app.gql_as(&w.outlets[0].1).run(reorder, json!({"r": id, "ids": [first, second]})).await.code(), "NOT_FOUND");
        let q = "query($r:UUID!){ release(id:$r){ attachments { filename caption } } }";
        assert_eq!(sp.run(q, json!({"r": id})).await.data()["release"]["attachments"],
            json!([{"filename": "hai.pdf", "caption": "Công văn số 12/SYT"}, {"filename": "mot.pdf", "caption": "Bản một"}]));
        // Published: the files are what the press received.
        assert!(sp.run(PUBLISH, json!({"id": id})).await.body["errors"].is_null());
        assert_eq!(sp.run(edit, json!({"id": first, "c": "sau"})).await.code(), "CONFLICT");
        assert_eq!(sp.run(reorder, json!({"r": id, "ids": [first, second]})).await.code(), "CONFLICT");
        let events = app.gql_as(&w.admin).run("{ auditEvents(first: 100){ action } }", json!({})).await;
        let actions: Vec<String> = events.data()["auditEvents"].as_array().expect("events").iter().filter_map(|e| e["action"].as_str().map(str::to_owned)).collect();
        assert!(actions.contains(&"attachment.describe".to_owned()) && actions.contains(&"attachment.reorder".to_owned()), "{actions:?}");
    }
);

each!(backends, storages;
    async fn a_live_frame_carries_the_files_with_sizes_and_checksums(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Thông cáo có tài liệu", json!({"allAccredited": true})).await;
        let bytes = pdf();
        upload(&app, &w.spokesperson, &id, "thong-cao.pdf", bytes.clone(), Some("Bản ký số")).await;
        let mut c = pressnet_tests::ws::WsClient::connect(&app.ws_url(), &w.outlets[0].1).await.expect("connect");
        c.subscribe("feed", "subscription { releasePublished { release { id attachments { filename caption sizeBytes sha256 url } } } }", json!({})).await;
        assert!(sp.run(PUBLISH, json!({"id": id})).await.body["errors"].is_null());
        let frame = c.next_data(Duration::from_secs(10)).await;
        let files = frame["data"]["releasePublished"]["release"]["attachments"].clone();
        assert_eq!(files[0]["filename"], "thong-cao.pdf", "{frame}");
        assert_eq!(files[0]["caption"], "Bản ký số");
        assert_eq!(files[0]["sizeBytes"].to_string().trim_matches('"'), bytes.len().to_string());
        assert_eq!(files[0]["sha256"], hex::encode(Sha256::digest(&bytes)));
        let got = get(&app, Some(&w.outlets[0].1), files[0]["url"].as_str().expect("url"), None).await;
        assert_eq!(got.bytes().await.expect("bytes").to_vec(), bytes);
    }
);

/// How many blobs the app's storage holds.
async fn blob_count(app: &TestApp) -> usize {
    use futures::StreamExt;
    let store = pressnet_domain::services::attachments::storage(&app.ctx).expect("storage");
    store
        .blobs()
        .filter(|b| std::future::ready(b.is_ok()))
        .count()
        .await
}

each!(backends, storages;
    async fn blobs_nobody_references_are_collected_after_a_grace_period(app) {
        use pressnet_domain::services::attachments::sweep;
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let kept = draft(&sp, &w.unit_id, "Giữ lại", json!({"allAccredited": true})).await;
        let k = upload(&app, &w.spokesperson, &kept, "giu.pdf", pdf(), None).await["data"]["addAttachment"].clone();
        // A removed file, and a discarded draft's photo (its file, thumbnail and web copy).
        let mut other = pdf();
        other.extend_from_slice(b"% khac\n");
        let removed = draft(&sp, &w.unit_id, "Gỡ tệp", json!({"allAccredited": true})).await;
        let r = upload(&app, &w.spokesperson, &removed, "go.pdf", other.clone(), None).await["data"]["addAttachment"]["id"].clone();
        assert_eq!(sp.run("mutation($id:UUID!){ removeAttachment(id:$id) }", json!({"id": r})).await.data()["removeAttachment"], true);
        let discarded = draft(&sp, &w.unit_id, "Bỏ nháp", json!({"allAccredited": true})).await;
        upload(&app, &w.spokesperson, &discarded, "anh.jpg", photo_with_gps(), None).await;
        assert_eq!(sp.run("mutation($id:UUID!){ discardDraft(id:$id) }", json!({"id": discarded})).await.data()["discardDraft"], true);
        assert_eq!(blob_count(&app).await, 5);
        // Young blobs stay: an upload writes its blob before its row.
        assert_eq!(sweep(&app.ctx).await.expect("sweep"), 0);
        app.clock.advance(chrono::Duration::hours(2));
        assert_eq!(sweep(&app.ctx).await.expect("sweep"), 4);
        assert_eq!(blob_count(&app).await, 1);
        let url = k["url"].as_str().expect("url");
        assert_eq!(get(&app, Some(&w.spokesperson), url, None).await.status(), 200);
        // The same bytes uploaded again are stored again.
        let again = upload(&app, &w.spokesperson, &kept, "lai.pdf", other, None).await["data"]["addAttachment"].clone();
        let got = get(&app, Some(&w.spokesperson), again["url"].as_str().expect("url"), None).await;
        assert_eq!(got.status(), 200);
        assert!(got.bytes().await.expect("bytes").ends_with(b"% khac\n"));
        assert_eq!(sweep(&app.ctx).await.expect("sweep"), 0);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_limit_gets_a_clear_error() {
    let app = TestApp::spawn_with(Backend::Sqlite, |c| c.max_upload_mb = 1)
        .await
        .expect("sqlite");
    let w = World::build(&app, 1).await;
    let id = draft(
        &app.gql_as(&w.spokesperson),
        &w.unit_id,
        "Tệp quá lớn",
        json!({"allAccredited": true}),
    )
    .await;
    let operations = json!({"query": ADD_ATTACHMENT, "variables": {"r": id, "f": null}});
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({"0": ["variables.f"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(clip(1_200_000)).file_name("big.mp4"),
        );
    let resp = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .bearer_auth(&w.spokesperson)
        .multipart(form)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("upload");
    assert_eq!(resp.status(), 413);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("1 MB"),
        "{body}"
    );
}

each!(backends, storages;
    async fn a_release_s_files_come_as_one_zip_and_as_atom_enclosures(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Bộ tài liệu họp báo", json!({"allAccredited": true})).await;
        upload(&app, &w.spokesperson, &id, "Kết luận.pdf", pdf(), None).await;
        upload(&app, &w.spokesperson, &id, "ảnh.jpg", photo_with_gps(), None).await;
        let zip_url = format!("{}/releases/{id}/files.zip", app.base);
        // Not before publication, for anyone but its unit.
        assert_eq!(get(&app, None, &zip_url, None).await.status(), 404);
        assert_eq!(get(&app, Some(&w.outlets[0].1), &zip_url, None).await.status(), 404);
        assert!(sp.run(PUBLISH, json!({"id": id})).await.body["errors"].is_null());
        let resp = get(&app, None, &zip_url, None).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "application/zip");
        let zip = resp.bytes().await.expect("zip");
        assert!(zip.starts_with(b"PK\x03\x04"), "a zip");
        assert!(contains(&zip, "01-Kết luận.pdf".as_bytes()) && contains(&zip, "02-ảnh.jpg".as_bytes()));
        assert!(contains(&zip, &pdf()), "the PDF, stored as it is");
        assert!(!contains(&zip, b"GPSLatitude"), "the photo as served, without its EXIF");
        // The public Atom feed carries both as enclosures.
        let atom = reqwest::get(format!("{}/feeds/releases.atom", app.base)).await.expect("atom").bytes().await.expect("body");
        let feed = feed_rs::parser::parse(&atom[..]).expect("an Atom feed");
        let entry = feed.entries.iter().find(|e| e.title.as_ref().is_some_and(|t| t.content == "Bộ tài liệu họp báo")).expect("the entry");
        let enclosures: Vec<_> = entry.links.iter().filter(|l| l.rel.as_deref() == Some("enclosure")).collect();
        assert_eq!(enclosures.len(), 2, "{:?}", entry.links);
        assert_eq!(enclosures[0].media_type.as_deref(), Some("application/pdf"));
        assert_eq!(enclosures[0].length, Some(pdf().len() as u64));
        let first = reqwest::get(&enclosures[0].href).await.expect("enclosure");
        assert_eq!(first.bytes().await.expect("body").to_vec(), pdf());
    }
);

#[cfg_attr(
    not(pressnet_s3),
    ignore = "needs moto_server (pip install 'moto[server]')"
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storage_outage_saves_nothing_and_says_so() {
    let app = pressnet_tests::s3::app(Backend::Sqlite)
        .await
        .expect(pressnet_tests::s3::MOTO_MISSING);
    let w = World::build(&app, 1).await;
    let id = draft(
        &app.gql_as(&w.spokesperson),
        &w.unit_id,
        "Khi kho tệp gặp sự cố",
        json!({"allAccredited": true}),
    )
    .await;
    app.s3.as_ref().expect("s3").kill();
    let r = upload(&app, &w.spokesperson, &id, "tai-lieu.pdf", pdf(), None).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "INTERNAL", "{r}");
    assert_eq!(
        r["errors"][0]["message"],
        "the file storage is unavailable: nothing was saved; try again in a moment",
        "{r}"
    );
    assert!(
        !r.to_string().contains("127.0.0.1"),
        "no detail of the store reaches the client: {r}"
    );
    // Nothing half-written is visible.
    let list = app
        .gql_as(&w.spokesperson)
        .run(
            "query($id:UUID!){ release(id:$id){ attachments { id } } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(list.data()["release"]["attachments"], json!([]));
}
