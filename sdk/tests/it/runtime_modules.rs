//! The runtime's modules import one another one way only (no module of
//! `sdk/src/runtime` imports one that imports it back, directly or through
//! others), and the runtime never names generated or hand-written SDK code
//! outside it: it could move into a crate of its own without edits.
//!
//! A module's imports are the sibling modules its non-test code names:
//! `super::x::…` and `crate::runtime::x::…`, and `super::Item` /
//! `crate::runtime::Item` for an item `mod.rs` re-exports from `x`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn runtime_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/runtime")
}

/// The source without comments, string and char literals, and without the
/// `#[cfg(test)]` module at the end (tests may name anything).
fn code_of(source: &str) -> String {
    let source = match source.find("#[cfg(test)]\nmod tests") {
        Some(i) => &source[..i],
        None => source,
    };
    let b = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' => {
                // A raw string's `#`s were copied already; its body has no
                // escapes, a plain string's does.
                let raw = out.ends_with('r') || out.ends_with('#');
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if !raw && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') || b.get(i + 1) == Some(&b'\\') => {
                // A char literal ('x' or '\n'); a lifetime has no closing quote.
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            }
            c => {
                out.push(c as char);
                i += 1;
            }
        }
    }
    out
}

/// Identifiers following each occurrence of `prefix` (`super::x` gives `x`),
/// and inside a `prefix{a, b::c}` group (gives `a`, `b`).
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in code.match_indices(prefix) {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue; // `self::super::`, `foo_super::`
        }
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(
                group
                    .split(',')
                    .map(|part| ident(part.trim()))
                    .filter(|n| !n.is_empty()),
            );
        } else {
            out.push(ident(rest));
        }
    }
    out
}

struct Runtime {
    /// Module name (file stem) → its code.
    modules: BTreeMap<String, String>,
    /// Item re-exported by `mod.rs` → the module it comes from.
    reexports: BTreeMap<String, String>,
}

fn runtime() -> Runtime {
    let mut modules = BTreeMap::new();
    let mut mod_rs = String::new();
    for entry in std::fs::read_dir(runtime_dir()).expect("sdk/src/runtime") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let code = code_of(&std::fs::read_to_string(&path).unwrap());
            if stem == "mod" {
                mod_rs = code;
            } else {
                modules.insert(stem, code);
            }
        }
    }
    assert!(
        modules.len() > 5,
        "expected the runtime's modules, found {:?}",
        modules.keys()
    );
    let mut reexports = BTreeMap::new();
    for stmt in mod_rs.split(';') {
        let Some(rest) = stmt.trim().rsplit("pub use ").next() else {
            continue;
        };
        if !stmt.contains("pub use ") {
            continue;
        }
        let Some((module, items)) = rest.split_once("::") else {
            continue;
        };
        let items = items.trim().trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            let item = item.trim();
            let name = item.rsplit(" as ").next().unwrap_or(item).trim();
            if !name.is_empty() {
                reexports.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    Runtime { modules, reexports }
}

fn import_graph(rt: &Runtime) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (module, code) in &rt.modules {
        let mut deps = BTreeSet::new();
        for prefix in ["super::", "crate::runtime::"] {
            for name in names_after(code, prefix) {
                let target = if rt.modules.contains_key(&name) {
                    Some(name)
                } else {
                    rt.reexports.get(&name).cloned()
                };
                if let Some(t) = target
                    && &t != module
                {
                    deps.insert(t);
                }
            }
        }
        graph.insert(module.clone(), deps);
    }
    graph
}

/// A cycle of the graph, as the list of modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, done, stack) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut done, &mut Vec::new()))
}

#[test]
fn runtime_modules_import_one_another_one_way() {
    let graph = import_graph(&runtime());
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "sdk/src/runtime modules import one another in a cycle: {}\nimport graph: {graph:#?}",
            cycle.join(" -> ")
        );
    }
    // The graph is read at all: these edges exist by construction.
    for (from, to) in [
        ("request", "client"),
        ("paging", "request"),
        ("error", "response"),
    ] {
        assert!(
            graph[from].contains(to),
            "expected {from} to import {to}: {graph:#?}"
        );
    }
}

#[test]
fn runtime_never_names_code_outside_it() {
    for (module, code) in runtime().modules {
        for outside in [
            "crate::models",
            "crate::builders",
            "crate::generated",
            "crate::support",
            "crate::waiters",
        ] {
            assert!(
                !code.contains(outside),
                "sdk/src/runtime/{module}.rs names {outside}: the runtime must not depend on the SDK around it"
            );
        }
    }
}

#[test]
fn the_cycle_check_finds_cycles() {
    let code = |s: &str| code_of(s);
    let rt = Runtime {
        modules: BTreeMap::from([
            ("a".to_string(), code("use super::b::X;\n")),
            // Through a re-export, a group, and not through comments or strings.
            (
                "b".to_string(),
                code("use super::{Y, d};\n// super::a\nconst S: &str = \"super::a\";\n"),
            ),
            (
                "c".to_string(),
                code("fn f() -> crate::runtime::Z { todo!() }\n"),
            ),
            ("d".to_string(), code("/* use super::a; */\n")),
        ]),
        reexports: BTreeMap::from([
            ("Y".to_string(), "c".to_string()),
            ("Z".to_string(), "a".to_string()),
        ]),
    };
    let graph = import_graph(&rt);
    assert_eq!(
        graph["b"],
        BTreeSet::from(["c".to_string(), "d".to_string()])
    );
    assert!(graph["d"].is_empty(), "{graph:#?}");
    let cycle = find_cycle(&graph).expect("a -> b -> c -> a");
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 4, "{cycle:?}");

    let mut acyclic = graph.clone();
    acyclic.get_mut("c").unwrap().clear();
    assert_eq!(find_cycle(&acyclic), None);
}
