//! Which services this machine offers the tests, decided when the tests are built, so that a
//! test whose service is missing is compiled `#[ignore = "needs …"]` and reported ignored, never
//! passed. `.ci/run` sets every `PRESSNET_*_TESTS` variable, so there nothing is ignored (and a
//! missing service is a failure). After installing a service, rebuild (`touch tests/build.rs`)
//! or set its variable.
use std::path::Path;

fn main() {
    for cfg in [
        "pressnet_postgres",
        "pressnet_s3",
        "pressnet_browser",
        "pressnet_node",
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
    }
    println!("cargo::rerun-if-changed=build.rs");
    for var in [
        "PRESSNET_TEST_POSTGRES",
        "PRESSNET_S3_TESTS",
        "PRESSNET_BROWSER_TESTS",
        "PRESSNET_NODE_TESTS",
        "PATH",
    ] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let set = |var: &str| std::env::var(var).is_ok_and(|v| !v.trim().is_empty());
    let forced = |var: &str| std::env::var(var).is_ok_and(|v| v == "1");
    if set("PRESSNET_TEST_POSTGRES") {
        println!("cargo::rustc-cfg=pressnet_postgres");
    }
    if forced("PRESSNET_S3_TESTS") || on_path("moto_server") {
        println!("cargo::rustc-cfg=pressnet_s3");
    }
    let chromedriver = Path::new("/usr/bin/chromedriver");
    if chromedriver.exists() {
        println!("cargo::rerun-if-changed={}", chromedriver.display());
    }
    if forced("PRESSNET_BROWSER_TESTS") || chromedriver.exists() {
        println!("cargo::rustc-cfg=pressnet_browser");
    }
    let node = Path::new(env!("CARGO_MANIFEST_DIR")).join("node/node_modules/.package-lock.json");
    if node.exists() {
        println!("cargo::rerun-if-changed={}", node.display());
    }
    if forced("PRESSNET_NODE_TESTS") || node.exists() {
        println!("cargo::rustc-cfg=pressnet_node");
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|dir| dir.join(program).is_file()))
}
