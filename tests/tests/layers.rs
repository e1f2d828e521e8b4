//! The server is HTTP, transports and workers over the domain: it reads and writes the database
//! only through `pressnet-domain`'s services (issue 32's "small documented surface"; the surface
//! is listed in `schema/domain/src/lib.rs`). A query written in a route would escape the one
//! visibility rule and the state machines' owners, so it fails this test.
use std::path::Path;

/// What only query code names.
const QUERY_WORDS: &[&str] = &[
    "EntityTrait",
    "QueryFilter",
    "ActiveModelTrait",
    "Statement::",
    "update_many",
    "insert_many",
    "delete_many",
    "::find()",
    "::find_by_id(",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_server_queries_nothing_itself() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(!files.is_empty(), "no sources under {}", src.display());
    let mut found = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for w in QUERY_WORDS.iter().filter(|w| line.contains(*w)) {
                found.push(format!("{}:{}: {w}", f.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "query code in the server (move it into a domain service):\n{}",
        found.join("\n")
    );
}
