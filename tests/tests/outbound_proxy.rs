//! Outbound requests never go through a proxy named in the environment (`HTTP_PROXY`): a proxy
//! resolves the target's name itself, past the check of private addresses. A test binary of
//! its own, since it sets the process's environment.
use pressnet_tests::receiver::Receiver;
use pressnet_tests::*;
use serde_json::json;

each!(backends;
    async fn a_webhook_ignores_the_environments_proxy(app) {
        // The "proxy" is a receiver too: a request sent through it would arrive there.
        let proxy = Receiver::start().await;
        let target = Receiver::start().await;
        // The tests' own clients talk to 127.0.0.1 directly; the webhook's target is named
        // `localhost`, which a client honouring HTTP_PROXY would send to the proxy.
        std::env::set_var("NO_PROXY", "127.0.0.1");
        std::env::set_var("HTTP_PROXY", proxy.url.clone());
        std::env::set_var("http_proxy", proxy.url.clone());
        let mut app = app.restart().await;
        let w = World::build(&app, 1).await;
        let url = format!("{}/hook", target.url.replace("127.0.0.1", "localhost"));
        let r = app
            .gql_as(&w.admin)
            .run("mutation($o:UUID!,$u:String!){ addWebhookEndpoint(outletId:$o, url:$u){ secret } }", json!({"o": w.outlets[0].0, "u": url}))
            .await;
        r.data();
        publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Không qua proxy", json!({"allAccredited": true})).await;
        let got = target.wait_for(1, 20).await;
        assert_eq!(got.len(), 1);
        assert!(proxy.got().is_empty(), "nothing went through the environment's proxy");
        app.stop().await;
    }
);
