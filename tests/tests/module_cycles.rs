//! No import cycle between the modules of any crate (issue 32).
//!
//! Each source file is a module. A module depends on another when its code names a path into
//! it (`use crate::a::b`, `super::c`, `crate::a::b::f(…)` inline, grouped `use` lists included);
//! declaring a submodule (`mod x;`) is not a dependency, and unit tests (`#[cfg(test)]` to the
//! end of the file) are left out. A cycle of such dependencies (a strongly connected set of
//! more than one file) fails the test and is named with its edges, so the fix is evident: move
//! what both sides need into a module below them.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Module = Vec<String>;

/// The crates checked, by their source folders (relative to the workspace root).
const CRATES: &[&str] = &[
    "schema/domain/src",
    "schema/src",
    "server/src",
    "migrations/src",
];

#[test]
fn no_crate_has_an_import_cycle_between_its_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut report = String::new();
    for krate in CRATES {
        let src = root.join(krate);
        assert!(src.is_dir(), "{} is not a folder", src.display());
        for cycle in cycles(&src) {
            report.push_str(&format!("\n{krate}: a cycle of {} modules\n", cycle.len()));
            let members: BTreeSet<&Module> = cycle.iter().map(|(m, _)| m).collect();
            for (m, deps) in &cycle {
                for d in deps.iter().filter(|d| members.contains(d)) {
                    report.push_str(&format!("    {} -> {}\n", m.join("::"), d.join("::")));
                }
            }
        }
    }
    assert!(report.is_empty(), "import cycles:{report}");
}

#[test]
fn the_check_sees_a_cycle_through_a_grouped_use() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |p: &str, s: &str| {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, s).expect("write");
    };
    write("lib.rs", "mod a;\nmod b;\nmod c;\n");
    write("a.rs", "use crate::{b::x, c};\n");
    write("b.rs", "pub fn x() { super::c::y() }\n");
    write(
        "c.rs",
        "// use crate::a;\npub fn y() { crate::a::z() }\n#[cfg(test)]\nmod t { use crate::b; }\n",
    );
    let found = cycles(dir.path());
    assert_eq!(found.len(), 1);
    let names: BTreeSet<String> = found[0].iter().map(|(m, _)| m.join("::")).collect();
    assert_eq!(names, ["a", "b", "c"].map(String::from).into());
}

/// The cycles among `src`'s modules, each as its members with their dependencies.
fn cycles(src: &Path) -> Vec<Vec<(Module, BTreeSet<Module>)>> {
    let mut files = Vec::new();
    collect(src, &mut files);
    let modules: BTreeMap<Module, PathBuf> =
        files.into_iter().map(|f| (module_of(src, &f), f)).collect();
    let mut deps: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (m, file) in &modules {
        let text = std::fs::read_to_string(file).expect("read source");
        let mut out = BTreeSet::new();
        for path in paths(&code_of(&text), m) {
            if let Some(target) = resolve(&modules, &path) {
                if &target != m && !target.is_empty() {
                    out.insert(target);
                }
            }
        }
        deps.insert(m.clone(), out);
    }
    strongly_connected(&deps)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            c.into_iter()
                .map(|m| {
                    let d = deps.get(&m).cloned().unwrap_or_default();
                    (m, d)
                })
                .collect()
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `services/channels/mod.rs` → [services, channels]; `lib.rs` → [].
fn module_of(src: &Path, file: &Path) -> Module {
    let rel = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("");
    let mut parts: Module = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file's code without comments, string contents and its unit tests.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            '"' => {
                out.push('"');
                while let Some(n) = chars.next() {
                    if n == '\\' {
                        chars.next();
                    } else if n == '"' {
                        break;
                    }
                }
                out.push('"');
            }
            // A char literal such as '"' or '{' must not open a string or a group.
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                let mut it = rest.chars();
                match (it.next(), it.next(), it.next()) {
                    (Some('\\'), _, _) => {
                        for n in chars.by_ref() {
                            if n == '\'' {
                                break;
                            }
                        }
                    }
                    (Some(_), Some('\''), _) => {
                        chars.next();
                        chars.next();
                    }
                    _ => out.push(c),
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every module path the code names through `crate::`, `super::` or `self::`, absolute.
fn paths(code: &str, me: &Module) -> Vec<Module> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices("::") {
        let before = &code[..at];
        let word_start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let word = &before[word_start..];
        // Only the start of a path: `crate::`, not `x::crate::`.
        if before[..word_start].ends_with("::") {
            continue;
        }
        // `self` is this module; `super` its parent (for `a/mod.rs`, module `a`, that is the
        // crate root; for `a/b.rs`, module `a::b`, it is `a`).
        let base: Module = match word {
            "crate" => Vec::new(),
            "self" => me.clone(),
            "super" => parent(me),
            _ => continue,
        };
        expand(&base, &code[at + 2..], &mut out);
    }
    out
}

fn parent(m: &Module) -> Module {
    let mut p = m.clone();
    p.pop();
    p
}

/// The paths `rest` names after `prefix::` (`a::b`, `a::{b, c::d}`, `{self, e}`).
fn expand(prefix: &Module, rest: &str, out: &mut Vec<Module>) {
    let mut path = prefix.clone();
    let mut s = rest.trim_start();
    loop {
        if let Some(inner) = s.strip_prefix('{') {
            let mut depth = 1;
            let mut end = inner.len();
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            for part in split_top(&inner[..end]) {
                let part = part.trim();
                if part == "self" {
                    out.push(path.clone());
                } else if !part.is_empty() {
                    expand(&path, part, out);
                }
            }
            return;
        }
        let len = s
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        if len == 0 {
            out.push(path);
            return;
        }
        path.push(s[..len].to_owned());
        s = &s[len..];
        match s.strip_prefix("::") {
            Some(next) => s = next.trim_start(),
            None => {
                out.push(path);
                return;
            }
        }
    }
}

/// `a, b::{c, d}, e` → its top-level parts.
fn split_top(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

/// The longest prefix of `path` that is a module of the crate.
fn resolve(modules: &BTreeMap<Module, PathBuf>, path: &Module) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|k| path[..k].to_vec())
        .find(|p| modules.contains_key(p))
}

/// Tarjan's algorithm, iteratively deep enough for any crate here.
fn strongly_connected(deps: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'a> {
        deps: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on_stack: BTreeSet<&'a Module>,
        next: usize,
        out: Vec<Vec<Module>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Module) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        let deps = s.deps;
        for w in deps.get(v).into_iter().flatten() {
            let Some((w, _)) = deps.get_key_value(w) else {
                continue;
            };
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            s.out.push(comp);
        }
    }
    let mut s = State {
        deps,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in deps.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}
