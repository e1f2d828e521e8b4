//! The HTTP and GraphQL edge as the ecosystem's tools expect it: the standard introspection
//! query, GraphQL over HTTP (media types, GET, status codes), automatic persisted queries and
//! the SDL.
use pressnet_tests::*;
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// graphql-js's `getIntrospectionQuery` with every option on (descriptions, specifiedByUrl,
/// directiveIsRepeatable, schemaDescription, inputValueDeprecation), as GraphiQL, codegen and
/// Apollo's tooling send it.
pub const INTROSPECTION: &str = r#"
    query IntrospectionQuery {
      __schema {
        description
        queryType { name kind }
        mutationType { name kind }
        subscriptionType { name kind }
        types { ...FullType }
        directives {
          name
          description
          isRepeatable
          locations
          args(includeDeprecated: true) { ...InputValue }
        }
      }
    }
    fragment FullType on __Type {
      kind
      name
      description
      specifiedByURL
      fields(includeDeprecated: true) {
        name
        description
        args(includeDeprecated: true) { ...InputValue }
        type { ...TypeRef }
        isDeprecated
        deprecationReason
      }
      inputFields(includeDeprecated: true) { ...InputValue }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
      isDeprecated
      deprecationReason
    }
    fragment TypeRef on __Type {
      kind
      name
      ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name
        ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }
    }
"#;

each!(backends;
    async fn the_standard_introspection_query_is_answered_and_deep_data_is_not(app) {
        let r = app.gql().run(INTROSPECTION, json!({})).await;
        assert!(r.body["errors"].is_null(), "{}", r.body);
        let types = r.data()["__schema"]["types"].as_array().expect("types");
        assert!(types.iter().any(|t| t["name"] == "Release"));
        // Hostile nesting of data is still refused.
        let deep = format!("{{ releases {{ edges {{ node {{ {} id {} }} }} }} }}", "supersedes { ".repeat(12), "}".repeat(12));
        assert_eq!(app.gql().run(&deep, json!({})).await.code(), "BAD_USER_INPUT");
    }
);

async fn get(
    app: &TestApp,
    params: &[(&str, &str)],
    accept: Option<&str>,
) -> (u16, Option<String>, Value) {
    let req = reqwest::Client::new()
        .get(format!("{}/graphql", app.base))
        .query(params);
    send(req, accept).await
}

async fn post(
    app: &TestApp,
    body: &str,
    content_type: &str,
    accept: Option<&str>,
) -> (u16, Option<String>, Value) {
    let req = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .header(CONTENT_TYPE, content_type)
        .body(body.to_owned());
    send(req, accept).await
}

/// Sends with an optional `Accept`; the status, content type and JSON body (null if none).
async fn send(
    mut req: reqwest::RequestBuilder,
    accept: Option<&str>,
) -> (u16, Option<String>, Value) {
    if let Some(a) = accept {
        req = req.header(ACCEPT, a);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let ct = resp
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = resp.json().await.unwrap_or(Value::Null);
    (status, ct, body)
}

const GR: &str = "application/graphql-response+json";

each!(backends;
    async fn graphql_over_http(app) {
        // GET runs queries, with the negotiated media type.
        let (s, ct, b) = get(&app, &[("query", "{ units { id } }")], Some(GR)).await;
        assert_eq!((s, ct.as_deref()), (200, Some(GR)), "{b}");
        assert!(b["data"]["units"].is_array());
        let (s, ct, _) = get(&app, &[("query", "query($c:String){ units { id code } } "), ("variables", "{\"c\":\"x\"}")], Some("application/json")).await;
        assert_eq!((s, ct.as_deref()), (200, Some("application/json")));
        // A browser asking for HTML gets GraphiQL; a mutation over GET is 405.
        let page = reqwest::Client::new().get(format!("{}/graphql", app.base)).header(ACCEPT, "text/html").send().await.expect("page");
        assert!(page.text().await.expect("html").contains("graphiql"));
        let resp = reqwest::Client::new().get(format!("{}/graphql", app.base))
            .query(&[("query", "mutation { logout }")]).header(ACCEPT, GR).send().await.expect("get");
        assert_eq!(resp.status().as_u16(), 405);
        assert_eq!(resp.headers().get("allow").and_then(|v| v.to_str().ok()), Some("POST"));
        // Malformed requests are 400 with a code, whatever the media type.
        for accept in [Some(GR), Some("application/json"), None] {
            for body in ["", "{not json", "{\"query\": 5}", "{\"query\": \"{ units { id } }\", \"variables\": [1]}"] {
                let (s, _, b) = post(&app, body, "application/json", accept).await;
                assert_eq!(s, 400, "{body:?} {accept:?}: {b}");
                assert_eq!(b["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
            }
            let (s, _, _) = get(&app, &[("variables", "{}")], accept).await;
            assert_eq!(s, 400);
        }
        // Parse and validation failures: 400 with graphql-response+json, 200 with plain JSON.
        for q in ["{ units { id ", "{ noSuchField }"] {
            let body = json!({"query": q}).to_string();
            let (s, ct, b) = post(&app, &body, "application/json", Some(GR)).await;
            assert_eq!((s, ct.as_deref()), (400, Some(GR)), "{b}");
            assert_eq!(b["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
            // Never executed: no `data` entry at all.
            assert!(b.get("data").is_none(), "{b}");
            let (s, _, b) = post(&app, &body, "application/json", Some("application/json")).await;
            assert_eq!(s, 200, "{b}");
            assert_eq!(b["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        }
        // Variables that do not fit their types: 400, no `data` either.
        let body = json!({"query": "query($n:Int!){ releases(first:$n){ totalCount } }", "variables": {"n": "ten"}}).to_string();
        let (s, _, b) = post(&app, &body, "application/json", Some(GR)).await;
        assert_eq!(s, 400, "{b}");
        assert!(b.get("data").is_none(), "{b}");
        // A field error keeps 200 (data is present).
        let body = json!({"query": "{ outlets { id } }"}).to_string();
        let (s, _, b) = post(&app, &body, "application/json", Some(GR)).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        // Unsupported media types.
        let (s, _, _) = post(&app, &body, "text/plain", None).await;
        assert_eq!(s, 415);
        let (s, _, _) = post(&app, &body, "application/json", Some("text/csv")).await;
        assert_eq!(s, 406);
        // The SDL.
        let sdl = reqwest::get(format!("{}/graphql/schema.graphql", app.base)).await.expect("sdl").text().await.expect("text");
        assert_eq!(sdl.trim(), pressnet_schema::graphql::sdl().trim());
    }
);

each!(backends;
    async fn automatic_persisted_queries(app) {
        let q = "{ units { id code } }";
        let hash = hex(&Sha256::digest(q.as_bytes()));
        let ext = json!({"persistedQuery": {"version": 1, "sha256Hash": hash}}).to_string();
        // Unknown hash: the client is told to send the query.
        let (_, _, b) = get(&app, &[("extensions", &ext)], None).await;
        assert_eq!(b["errors"][0]["message"], "PersistedQueryNotFound", "{b}");
        // Registered with its query (POST), then served by hash alone (GET, cacheable by a CDN).
        let body = json!({"query": q, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hash}}}).to_string();
        let (s, _, b) = post(&app, &body, "application/json", None).await;
        assert_eq!(s, 200, "{b}");
        let (s, _, b) = get(&app, &[("extensions", &ext)], None).await;
        assert_eq!(s, 200);
        assert!(b["data"]["units"].is_array(), "{b}");
        // A hash that does not match its query is refused: nothing is stored under it.
        let other = "{ spokespersonRoster { id } }";
        let forged = json!({"query": other, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": hex(&Sha256::digest(b"{ me { id } }"))}}}).to_string();
        let (_, _, b) = post(&app, &forged, "application/json", None).await;
        assert!(b["errors"][0]["message"].as_str().unwrap_or_default().contains("does not match"), "{b}");
        assert_eq!(b["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
        let me_ext = json!({"persistedQuery": {"version": 1, "sha256Hash": hex(&Sha256::digest(b"{ me { id } }"))}}).to_string();
        let (_, _, b) = get(&app, &[("extensions", &me_ext)], None).await;
        assert_eq!(b["errors"][0]["message"], "PersistedQueryNotFound");
    }
);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A GraphQL-over-SSE connection (distinct-connections mode) read event by event.
struct SseStream {
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buf: String,
}

impl SseStream {
    async fn open(
        app: &TestApp,
        token: &str,
        query: &str,
        last_event_id: Option<&str>,
    ) -> (u16, SseStream) {
        let mut req = reqwest::Client::new()
            .post(format!("{}/graphql/stream", app.base))
            .bearer_auth(token)
            .header(ACCEPT, "text/event-stream")
            .header(CONTENT_TYPE, "application/json")
            .body(json!({"query": query}).to_string());
        if let Some(id) = last_event_id {
            req = req.header("last-event-id", id);
        }
        let resp = req.send().await.expect("sse");
        let status = resp.status().as_u16();
        (
            status,
            SseStream {
                body: Box::pin(resp.bytes_stream()),
                buf: String::new(),
            },
        )
    }

    /// The next event as (event, id, data); `None` when the stream ends or nothing comes in time.
    async fn next(
        &mut self,
        wait: std::time::Duration,
    ) -> Option<(String, Option<String>, String)> {
        use futures::StreamExt;
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let raw: String = self.buf.drain(..end + 2).collect();
                let (mut event, mut id, mut data) = (String::new(), None, String::new());
                for line in raw.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_owned();
                    }
                    if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().to_owned());
                    }
                    if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if event.is_empty() && data.is_empty() {
                    continue;
                } // a keep-alive comment
                return Some((event, id, data));
            }
            let chunk = tokio::time::timeout(wait, self.body.next())
                .await
                .ok()??
                .ok()?;
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

const FEED: &str = "subscription { releasePublished { cursor release { id title } } }";

each!(backends;
    async fn the_live_feed_over_server_sent_events(app) {
        let w = World::build(&app, 1).await;
        let j = &w.outlets[0].1;
        let sp = app.gql_as(&w.spokesperson);
        let (status, mut s) = SseStream::open(&app, j, FEED, None).await;
        assert_eq!(status, 200);
        let first = publish_now(&sp, &w.unit_id, "Qua SSE", json!({"allAccredited": true})).await;
        let (event, id, data) = s.next(std::time::Duration::from_secs(10)).await.expect("an event");
        assert_eq!(event, "next");
        let v: Value = serde_json::from_str(&data).expect("json");
        assert_eq!(v["data"]["releasePublished"]["release"]["id"], first.as_str());
        let cursor = id.expect("the cursor is the event id");
        assert_eq!(v["data"]["releasePublished"]["cursor"], cursor.as_str());
        drop(s);
        // The LIVE delivery was marked, as over the websocket.
        let q = "query($r:UUID){ deliveries(releaseId:$r, channel: LIVE){ edges { node { status } } } }";
        eventually("DELIVERED", || async {
            app.gql_as(&w.admin).run(q, json!({"r": first})).await.data()["deliveries"]["edges"][0]["node"]["status"] == "DELIVERED"
        }).await;
        // Two more while away; a reconnect with Last-Event-ID gets exactly those, in order.
        let second = publish_now(&sp, &w.unit_id, "Lúc vắng 1", json!({"allAccredited": true})).await;
        let third = publish_now(&sp, &w.unit_id, "Lúc vắng 2", json!({"allAccredited": true})).await;
        let (_, mut s) = SseStream::open(&app, j, FEED, Some(&cursor)).await;
        let mut got = Vec::new();
        for _ in 0..2 {
            let (_, _, data) = s.next(std::time::Duration::from_secs(10)).await.expect("an event");
            let v: Value = serde_json::from_str(&data).expect("json");
            got.push(v["data"]["releasePublished"]["release"]["id"].as_str().unwrap_or_default().to_owned());
        }
        assert_eq!(got, vec![second, third]);
        assert!(s.next(std::time::Duration::from_millis(300)).await.is_none(), "no duplicate");
        // The same authorization: a spokesperson gets the resolver's refusal, then complete.
        let (_, mut s) = SseStream::open(&app, &w.spokesperson, FEED, None).await;
        let (event, _, data) = s.next(std::time::Duration::from_secs(5)).await.expect("an event");
        assert_eq!(event, "next");
        assert_eq!(serde_json::from_str::<Value>(&data).expect("json")["errors"][0]["extensions"]["code"], "FORBIDDEN");
        assert_eq!(s.next(std::time::Duration::from_secs(5)).await.expect("complete").0, "complete");
        // A bad token is refused before any stream; signing out ends the stream within a second.
        let (status, _) = SseStream::open(&app, "nope", FEED, None).await;
        assert_eq!(status, 401);
        let token = app.login("pv0@bao0.vn", PASSWORD).await;
        let (_, mut s) = SseStream::open(&app, &token, FEED, None).await;
        app.gql_as(&token).run("mutation { logout }", json!({})).await.data();
        let t = std::time::Instant::now();
        loop {
            match s.next(std::time::Duration::from_secs(3)).await {
                Some((e, _, _)) if e == "complete" => break,
                Some(_) => continue,
                None => break,
            }
        }
        assert!(t.elapsed() < std::time::Duration::from_millis(2500), "{:?}", t.elapsed());
        // Queries work over the same endpoint (next, then complete).
        let (_, mut s) = SseStream::open(&app, j, "{ me { role } }", None).await;
        let (_, _, data) = s.next(std::time::Duration::from_secs(5)).await.expect("result");
        assert_eq!(serde_json::from_str::<Value>(&data).expect("json")["data"]["me"]["role"], "JOURNALIST");
        assert_eq!(s.next(std::time::Duration::from_secs(5)).await.expect("complete").0, "complete");
    }
);
