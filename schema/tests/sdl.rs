//! The exported SDL is current, and the schema carries every name of the API contract.
//!
//! `schema/contract.graphql` is a copy of `shared/api/contract.graphql`. Regenerate the SDL
//! with `UPDATE_SCHEMA=1 cargo test -p pressnet-schema --test sdl`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
use std::collections::{BTreeMap, BTreeSet};

/// Contract names the server does not have yet, each with the issue that adds it. The test
/// fails if one of these turns up, so the list only ever shrinks.
const NOT_YET: &[&str] = &[];

type Shape = BTreeMap<String, BTreeMap<String, String>>;

/// type name -> member name -> type text (fields with their arguments; enum values; input fields).
fn shape(sdl: &str) -> Shape {
    // async-graphql's parser predates descriptions on the schema definition.
    let sdl = match (sdl.rfind("\"\"\"\nschema {"), sdl.rfind("\nschema {")) {
        (Some(end), Some(_)) => {
            let start = sdl[..end].rfind("\"\"\"").unwrap_or(end);
            format!("{}{}", &sdl[..start], &sdl[end + 3..])
        }
        _ => sdl.to_owned(),
    };
    let doc = parse_schema(&sdl).expect("SDL parses");
    let mut out = Shape::new();
    for def in doc.definitions {
        let TypeSystemDefinition::Type(t) = def else {
            continue;
        };
        let t = t.node;
        let mut members = BTreeMap::new();
        match t.kind {
            TypeKind::Object(o) => {
                for f in o.fields {
                    let f = f.node;
                    members.insert(f.name.node.to_string(), f.ty.node.to_string());
                    for a in f.arguments {
                        let a = a.node;
                        members.insert(
                            format!("{}({})", f.name.node, a.name.node),
                            a.ty.node.to_string(),
                        );
                    }
                }
            }
            TypeKind::InputObject(i) => {
                for f in i.fields {
                    members.insert(f.node.name.node.to_string(), f.node.ty.node.to_string());
                }
            }
            TypeKind::Enum(e) => {
                for v in e.values {
                    members.insert(v.node.value.node.to_string(), String::new());
                }
            }
            _ => {}
        }
        // `extend type` adds to the type's members (the contract extends Query and Mutation).
        out.entry(t.name.node.to_string())
            .or_default()
            .extend(members);
    }
    out
}

#[test]
fn exported_sdl_is_current() {
    let sdl = pressnet_schema::graphql::sdl();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, &sdl).expect("write schema.graphql");
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == sdl,
        "schema/schema.graphql is stale: run UPDATE_SCHEMA=1 cargo test -p pressnet-schema --test sdl"
    );
}

#[test]
fn schema_has_every_contract_name() {
    let contract = shape(include_str!("../contract.graphql"));
    let ours = shape(&pressnet_schema::graphql::sdl());
    let pending: BTreeSet<&str> = NOT_YET.iter().copied().collect();
    let mut missing = Vec::new();
    let mut done_but_listed = Vec::new();
    for (ty, members) in &contract {
        let Some(our_members) = ours.get(ty) else {
            if !pending.contains(ty.as_str()) {
                missing.push(ty.clone());
            }
            continue;
        };
        if pending.contains(ty.as_str()) {
            done_but_listed.push(ty.clone());
        }
        for (name, ty_text) in members {
            let field = name.split('(').next().unwrap_or(name);
            let key = format!("{ty}.{field}");
            match our_members.get(name) {
                Some(t) if t == ty_text => {
                    if pending.contains(key.as_str()) && !name.contains('(') {
                        done_but_listed.push(key);
                    }
                }
                Some(t) => missing.push(format!("{ty}.{name}: contract {ty_text}, ours {t}")),
                None if pending.contains(key.as_str()) => {}
                None => missing.push(format!("{ty}.{name}")),
            }
        }
    }
    assert!(
        missing.is_empty(),
        "contract names missing or different: {missing:#?}"
    );
    assert!(
        done_but_listed.is_empty(),
        "now implemented, remove from NOT_YET: {done_but_listed:#?}"
    );
}
