//! Web Push (issue 19): a journalist's device subscribes; a publication reaches a local push
//! endpoint, which checks the VAPID header (RFC 8292: an ES256 JWT for the endpoint's origin,
//! signed by the key `vapidPublicKey` gives) and decrypts the payload with the device's keys
//! (RFC 8291, aes128gcm) — both with RustCrypto's P-256, HKDF and AES-GCM, not pressnet's
//! code. A 410 removes the subscription. Escalation sends an unacknowledged STATEMENT again.
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hkdf::Hkdf;
use p256::ecdsa::signature::Verifier;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use pressnet_tests::receiver::{Received, Receiver};
use pressnet_tests::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const SUBSCRIBE: &str = "mutation($i:PushSubscriptionInput!){ subscribePush(input:$i) }";
const COUNT: &str = "{ pushDeviceCount }";

/// A device: its P-256 key pair and authentication secret.
struct Device {
    key: p256::SecretKey,
    auth: [u8; 16],
    endpoint: String,
}

impl Device {
    fn new(endpoint: String) -> Device {
        let seed = Sha256::digest(uuid::Uuid::new_v4().as_bytes());
        let key = p256::SecretKey::from_slice(&seed).expect("a P-256 scalar");
        let mut auth = [0u8; 16];
        auth.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        Device {
            key,
            auth,
            endpoint,
        }
    }

    fn public(&self) -> Vec<u8> {
        self.key
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec()
    }

    fn input(&self) -> Value {
        json!({"i": {"endpoint": self.endpoint, "p256dh": URL_SAFE_NO_PAD.encode(self.public()), "auth": URL_SAFE_NO_PAD.encode(self.auth)}})
    }

    /// RFC 8291 on an RFC 8188 aes128gcm body with one record.
    fn decrypt(&self, body: &[u8]) -> Value {
        let salt = &body[..16];
        let id_len = body[20] as usize;
        let server_key = &body[21..21 + id_len];
        let ciphertext = &body[21 + id_len..];
        let server = p256::PublicKey::from_sec1_bytes(server_key).expect("the server's key");
        let shared = p256::ecdh::diffie_hellman(self.key.to_nonzero_scalar(), server.as_affine());
        let mut info = b"WebPush: info\0".to_vec();
        info.extend(self.public());
        info.extend(server_key);
        let mut ikm = [0u8; 32];
        Hkdf::<Sha256>::new(Some(&self.auth), shared.raw_secret_bytes())
            .expand(&info, &mut ikm)
            .expect("ikm");
        let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
        let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
        prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
            .expect("cek");
        prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
            .expect("nonce");
        let mut plain = Aes128Gcm::new_from_slice(&cek)
            .expect("key")
            .decrypt(Nonce::from_slice(&nonce), ciphertext)
            .expect("decrypts");
        while plain.last() == Some(&0) {
            plain.pop();
        }
        assert_eq!(plain.pop(), Some(2), "the last record's delimiter");
        serde_json::from_slice(&plain).expect("a JSON notification")
    }
}

/// Checks the VAPID Authorization header against `vapid_key`; returns the JWT's claims.
fn check_vapid(got: &Received, vapid_key: &str, origin: &str) -> Value {
    let auth = got.header("authorization");
    let rest = auth
        .strip_prefix("vapid ")
        .unwrap_or_else(|| panic!("a vapid scheme: {auth}"));
    let mut t = "";
    let mut k = "";
    for part in rest.split(',').map(str::trim) {
        if let Some(v) = part.strip_prefix("t=") {
            t = v;
        } else if let Some(v) = part.strip_prefix("k=") {
            k = v;
        }
    }
    assert_eq!(k, vapid_key, "k is the key the browser subscribed with");
    let parts: Vec<&str> = t.split('.').collect();
    assert_eq!(parts.len(), 3, "{t}");
    let header: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).expect("b64")).expect("json");
    assert_eq!(header["alg"], "ES256");
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
    assert_eq!(claims["aud"], origin);
    assert!(claims["sub"].as_str().expect("sub").starts_with("mailto:"));
    let exp = claims["exp"].as_i64().expect("exp");
    assert!(
        exp > chrono::Utc::now().timestamp()
            && exp <= chrono::Utc::now().timestamp() + 24 * 3600 + 3600,
        "exp within 24 h: {exp}"
    );
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&URL_SAFE_NO_PAD.decode(k).expect("b64"))
        .expect("a P-256 key");
    let sig = p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).expect("b64"))
        .expect("r||s");
    key.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
        .expect("the JWT is signed by the VAPID key");
    claims
}

async fn statement(app: &TestApp, w: &World, title: &str, audience: Value) -> String {
    let sp = app.gql_as(&w.spokesperson);
    let r = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "STATEMENT", "title": title, "summary": "Tóm tắt", "body": "Nội dung", "audience": audience}})).await;
    let id = r.data()["createRelease"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(
        sp.run(PUBLISH, json!({"id": id})).await.data()["publishRelease"]["status"],
        "PUBLISHED"
    );
    id
}

async fn push_deliveries(app: &TestApp, w: &World, id: &str) -> Value {
    app.gql_as(&w.admin).run("query($r:UUID){ deliveries(releaseId:$r, channel: PUSH, first: 20){ totalCount edges { node { status recipient lastError } } } }", json!({"r": id})).await.data()["deliveries"].clone()
}

each!(backends;
    async fn a_publication_reaches_the_journalists_devices_encrypted_and_signed(app) {
        let w = World::build(&app, 2).await;
        let rx = Receiver::start().await;
        let j = app.gql_as(&w.outlets[0].1);
        let key = app.gql_as(&w.outlets[0].1).run("{ vapidPublicKey }", json!({})).await.data()["vapidPublicKey"].as_str().expect("key").to_owned();
        assert_eq!(URL_SAFE_NO_PAD.decode(&key).expect("base64url").len(), 65, "an uncompressed P-256 point");
        // Anyone may read the key (a browser needs it before signing in).
        assert_eq!(app.gql().run("{ vapidPublicKey }", json!({})).await.data()["vapidPublicKey"], json!(key));
        let phone = Device::new(format!("{}/push/dien-thoai", rx.url));
        assert_eq!(j.run(SUBSCRIBE, phone.input()).await.data()["subscribePush"], true);
        // Subscribing again replaces, it does not add.
        assert_eq!(j.run(SUBSCRIBE, phone.input()).await.data()["subscribePush"], true);
        assert_eq!(j.run(COUNT, json!({})).await.data()["pushDeviceCount"], 1);
        // Bad keys and the wrong role are refused with a code.
        let mut bad = phone.input();
        bad["i"]["p256dh"] = json!("ngắn");
        assert_eq!(j.run(SUBSCRIBE, bad).await.code(), "BAD_USER_INPUT");
        assert_eq!(app.gql_as(&w.spokesperson).run(SUBSCRIBE, phone.input()).await.code(), "FORBIDDEN");
        assert_eq!(app.gql().run(SUBSCRIBE, phone.input()).await.code(), "UNAUTHENTICATED");

        let id = statement(&app, &w, "Tuyên bố về sự cố tràn dầu", json!({"outletIds": [w.outlets[0].0]})).await;
        let got = rx.wait_for(1, 20).await;
        let p = &got[0];
        assert_eq!(p.path, "/push/dien-thoai");
        assert_eq!(p.header("content-encoding"), "aes128gcm");
        assert_eq!(p.header("ttl"), "86400");
        assert_eq!(p.header("urgency"), "high", "a STATEMENT is urgent");
        check_vapid(p, &key, &rx.url);
        let note = phone.decrypt(&p.body);
        assert_eq!(note["title"], "Tuyên bố về sự cố tràn dầu");
        assert_eq!(note["kind"], "STATEMENT");
        assert!(note["body"].as_str().expect("body").contains("Tuyên bố"), "{note}");
        assert!(note["unit"].as_str().expect("unit").starts_with("Sở"), "{note}");
        assert_eq!(note["url"], format!("{}/releases/{id}", app.base));
        let mut d = Value::Null;
        for _ in 0..100 {
            d = push_deliveries(&app, &w, &id).await;
            if d["edges"][0]["node"]["status"] == "SENT" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(d["totalCount"], 1, "one delivery per device: {d}");
        assert_eq!(d["edges"][0]["node"]["status"], "SENT", "{d}");
        assert!(d["edges"][0]["node"]["recipient"].as_str().expect("recipient").starts_with("pv0@bao0.vn"), "{d}");

        // The device went away: the push service answers 410 and the subscription is removed.
        rx.set_default(410);
        let id2 = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Thông cáo thường", json!({"outletIds": [w.outlets[0].0]})).await;
        let got = rx.wait_for(2, 20).await;
        assert_eq!(got[1].header("urgency"), "normal", "a press release is not urgent");
        for _ in 0..100 {
            if j.run(COUNT, json!({})).await.data()["pushDeviceCount"] == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(j.run(COUNT, json!({})).await.data()["pushDeviceCount"], 0);
        assert_eq!(push_deliveries(&app, &w, &id2).await["edges"][0]["node"]["status"], "FAILED");
        // Unsubscribing what is gone says so.
        assert_eq!(j.run("mutation($e:String!){ unsubscribePush(endpoint:$e) }", json!({"e": phone.endpoint})).await.data()["unsubscribePush"], false);
    }
);

each!(backends;
    async fn an_unacknowledged_statement_is_sent_again_on_the_next_channel(app) {
        let w = World::build(&app, 3).await;
        let rx = Receiver::start().await;
        let phone = Device::new(format!("{}/push/p0", rx.url));
        assert_eq!(app.gql_as(&w.outlets[0].1).run(SUBSCRIBE, phone.input()).await.data()["subscribePush"], true);
        let id = statement(&app, &w, "Tuyên bố khẩn", json!({"allAccredited": true})).await;
        let release = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Thông cáo không khẩn", json!({"allAccredited": true})).await;
        rx.wait_for(2, 20).await;
        // Outlet 2 acknowledges; outlets 0 (a device) and 1 (none) do not.
        let ack = "mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status } }";
        assert_eq!(app.gql_as(&w.outlets[2].1).run(ack, json!({"id": id})).await.data()["acknowledgeRelease"]["status"], "ACKNOWLEDGED");
        // Not before its time (30 minutes for a STATEMENT by default).
        app.clock.advance(chrono::Duration::minutes(29));
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(rx.got().len(), 2);
        app.clock.advance(chrono::Duration::minutes(2));
        let got = rx.wait_for(3, 20).await;
        let again = phone.decrypt(&got[2].body);
        assert_eq!(again["title"], "Chưa xác nhận: Tuyên bố khẩn");
        assert_eq!(got[2].header("urgency"), "high");
        // The log shows it: the LIVE deliveries of outlets 0 and 1 are escalated, outlet 2's not;
        // outlet 1's newsroom gets the release again by e-mail.
        let d = app.gql_as(&w.admin).run("query($r:UUID){ deliveries(releaseId:$r, channel: LIVE, first: 20){ edges { node { escalatedAt outlet { id } } } } }", json!({"r": id})).await;
        for e in d.data()["deliveries"]["edges"].as_array().expect("edges") {
            let escalated = !e["node"]["escalatedAt"].is_null();
            assert_eq!(escalated, e["node"]["outlet"]["id"] != json!(w.outlets[2].0), "{e}");
        }
        assert_eq!(app.db_count("SELECT COUNT(*) FROM audit_events WHERE action = 'delivery.escalate'").await, 2);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'RELEASE' AND recipient = 'toasoan-gp-1@bao.vn'").await, 1);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'RELEASE' AND recipient = 'toasoan-gp-0@bao.vn'").await, 0, "outlet 0 was pushed first");
        // Still unacknowledged 30 minutes after the push: outlet 0's newsroom gets the e-mail,
        // the next step; outlet 1 has had its last.
        app.clock.advance(chrono::Duration::minutes(31));
        for _ in 0..60 {
            if app.db_count("SELECT COUNT(*) FROM audit_events WHERE action = 'delivery.escalate'").await == 3 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(app.db_count("SELECT COUNT(*) FROM audit_events WHERE action = 'delivery.escalate'").await, 3);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'RELEASE' AND recipient = 'toasoan-gp-0@bao.vn'").await, 1);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'RELEASE' AND recipient = 'toasoan-gp-1@bao.vn'").await, 1);
        // Each step once only, and never for a kind that is not escalated.
        app.clock.advance(chrono::Duration::minutes(60));
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(rx.got().len(), 3);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM audit_events WHERE action = 'delivery.escalate'").await, 3);
        let _ = release;
    }
);
