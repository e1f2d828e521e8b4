//! Operations: `GET /metrics` in Prometheus text format.
use pressnet_tests::*;
use prometheus_parse::{Scrape, Value as Sample};
use serde_json::json;
use std::io;

async fn scrape(app: &TestApp) -> Scrape {
    let resp = reqwest::get(format!("{}/metrics", app.base))
        .await
        .expect("GET /metrics");
    assert_eq!(resp.status().as_u16(), 200);
    let ct = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(ct.starts_with("text/plain"), "{ct}");
    let text = resp.text().await.expect("body");
    Scrape::parse(text.lines().map(|l| Ok::<_, io::Error>(l.to_owned())))
        .expect("Prometheus text format")
}

fn value(s: &Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
    s.samples
        .iter()
        .find(|x| x.metric == metric && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v)))
        .and_then(|x| match &x.value {
            Sample::Counter(v) | Sample::Gauge(v) | Sample::Untyped(v) => Some(*v),
            Sample::Histogram(h) => h.last().map(|b| b.count),
            _ => None,
        })
}

each!(backends;
    async fn metrics_parse_as_prometheus_text(app) {
        let w = World::build(&app, 3).await;
        let sp = app.gql_as(&w.spokesperson);
        let before = scrape(&app).await;
        assert_eq!(value(&before, "pressnet_feed_subscribers", &[]), Some(0.0));
        publish_now(&sp, &w.unit_id, "Thông cáo đo lường", json!({"allAccredited": true})).await;
        let mut ws = pressnet_tests::ws::WsClient::connect(&app.ws_url(), &w.outlets[0].1).await.expect("connect");
        ws.subscribe("f", "subscription{ releasePublished{ cursor } }", json!({})).await;
        ws.next_data(std::time::Duration::from_secs(10)).await;
        let s = scrape(&app).await;
        assert_eq!(value(&s, "pressnet_feed_subscribers", &[]), Some(1.0));
        assert_eq!(value(&s, "pressnet_deliveries", &[("channel", "LIVE"), ("status", "PENDING")]).map(|v| v as i64 + value(&s, "pressnet_deliveries", &[("channel", "LIVE"), ("status", "DELIVERED")]).unwrap_or(0.0) as i64), Some(3));
        assert_eq!(value(&s, "pressnet_deliveries", &[("channel", "FEED"), ("status", "FAILED")]), Some(0.0));
        assert!(value(&s, "pressnet_outbox_depth", &[]).is_some_and(|v| v >= 3.0), "newsroom e-mails wait: no SMTP");
        assert_eq!(value(&s, "pressnet_publish_duration_seconds", &[]), Some(1.0));
        assert_eq!(value(&s, "pressnet_publications_total", &[]), Some(1.0));
        let graphql_ok = value(&s, "pressnet_http_requests_total", &[("route", "/graphql"), ("method", "POST"), ("status", "200")]);
        assert!(graphql_ok.is_some_and(|v| v >= 5.0), "{graphql_ok:?}");
        assert!(value(&s, "pressnet_http_request_duration_seconds", &[("route", "/graphql")]).is_some_and(|v| v >= 5.0));
        // An unknown path is counted under one series, not one per path.
        reqwest::get(format!("{}/no/such/{}", app.base, uuid::Uuid::new_v4())).await.expect("get");
        let s = scrape(&app).await;
        assert!(s.samples.iter().all(|x| x.labels.get("route").is_none_or(|r| !r.contains("no/such"))));
    }
);

each!(backends;
    async fn metrics_token_when_configured(app) {
        let app = app.restart_with(|c| c.metrics_token = Some("bi-mat-van-hanh".into())).await;
        let url = format!("{}/metrics", app.base);
        let http = reqwest::Client::new();
        assert_eq!(http.get(&url).send().await.expect("get").status().as_u16(), 401);
        assert_eq!(http.get(&url).bearer_auth("sai").send().await.expect("get").status().as_u16(), 401);
        let ok = http.get(&url).bearer_auth("bi-mat-van-hanh").send().await.expect("get");
        assert_eq!(ok.status().as_u16(), 200);
    }
);
