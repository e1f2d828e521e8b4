//! The ecosystem's own Node clients (graphql-ws, graphql-sse, graphql-js's introspection and
//! `buildClientSchema`) against the real server, from `tests/node` (packages pinned in its
//! lockfile; `.ci/run` installs them with `npm ci`). Without `tests/node/node_modules` the test
//! is built ignored ("needs …", see `tests/build.rs`); `PRESSNET_NODE_TESTS=1` builds it to
//! run, so missing clients are then a failure.
use pressnet_tests::*;
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/node");

fn installed() -> bool {
    let ok = Path::new(DIR).join("node_modules/graphql-ws").exists();
    if !ok && std::env::var("PRESSNET_NODE_TESTS").as_deref() == Ok("1") {
        panic!("PRESSNET_NODE_TESTS=1 but {DIR}/node_modules is missing: run npm ci --prefix tests/node");
    }
    ok
}

each!(backends;
    #[cfg_attr(not(pressnet_node), ignore = "needs the Node clients (npm ci --prefix tests/node)")]
    async fn graphql_ws_graphql_sse_and_introspection_from_node(app) {
        assert!(installed(), "the Node clients are missing: npm ci --prefix tests/node");
        let w = World::build(&app, 1).await;
        let id = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Cho các ứng dụng Node", json!({"allAccredited": true})).await;
        let out = tokio::time::timeout(
            Duration::from_secs(90),
            tokio::process::Command::new("node")
                .arg("--test")
                .arg("clients.mjs")
                .current_dir(DIR)
                .env("PRESSNET_URL", &app.base)
                .env("PRESSNET_TOKEN", &w.outlets[0].1)
                .env("PRESSNET_RELEASE_ID", &id)
                .env("PRESSNET_SDL", concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/schema.graphql"))
                .output(),
        )
        .await
        .expect("node finishes within 90 s")
        .expect("node runs");
        let text = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "node clients failed:\n{text}");
        assert!(text.contains("# pass 3"), "{text}");
    }
);
