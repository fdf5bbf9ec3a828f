//! Benchmarks 1 and 2 of BENCHMARKS.md, on ../shared/metadata/graph-beta.csdl:
//!
//! 1. parse-and-resolve throughput as a ratio to a plain quick-xml event loop
//!    over the same bytes (goal: at least 0.5);
//! 2. a full regeneration (parse, patch, resolve, slice, write, generate,
//!    format) as a multiple of the same quick-xml loop (goal: at most 6; it
//!    replaced "at most 3 times parse alone", which a faster parser failed).
//!
//! It also prints how generation scales with the URL paths of a slice
//! (about 400 versus about 4,000 paths of graph-beta.csdl).
//!
//! Both sides of each ratio are measured in the same process, interleaved,
//! and the medians compared. The bench also parses and resolves a
//! production-sized document (graph-beta.csdl with six more copies of its
//! main schema, 7.8 MB) and prints how the time scales with the bytes; under
//! `cargo test` it checks that this document resolves with every copied type.
//!
//! Run: `cargo bench -p migrations-codegen --bench parse`.
//! `-- --once ours|large|borrowed|parse|baseline|floor|floor-borrowed|regen [TIMES]` runs one side
//! (once by default), for `valgrind --tool=callgrind` or `perf record`. Under `cargo test` (no `--bench` argument)
//! it only parses and resolves once.

use std::path::Path;
use std::time::{Duration, Instant};

use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::model::{resolve, resolve_owned};
use migrations_codegen::pipeline;
use quick_xml::Reader;
use quick_xml::events::Event;

// The allocator `cargo xtask regen` runs with, so that the figures are the
// tool's. `--system-alloc` builds are not possible at run time; BENCHMARKS.md
// records the system allocator's figures from before the switch.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn baseline(text: &str) -> usize {
    let mut reader = Reader::from_str(text);
    let mut n = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => n += e.attributes().count(),
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    n
}

/// The least a parser that builds a tree does on top of the loop: each
/// element's name and its Name and Type attributes kept as owned strings in
/// a flat list; no checks, no positions, no nesting, no resolution. What
/// parse + resolve would have to approach for goal 1 (BENCHMARKS.md).
fn floor(text: &str) -> usize {
    least_tree(text, |b| String::from_utf8_lossy(b).into_owned())
}

/// [`floor`] with names borrowed from the input: each kept as a span of the
/// text instead of an owned string. How much a tree of borrowed names could
/// gain over owned ones (BENCHMARKS.md, "What goal 1 would take").
fn floor_borrowed(text: &str) -> usize {
    let base = text.as_ptr() as usize;
    // Events borrow from the input (`Reader::from_str`), so a slice of an
    // event is a slice of `text`: its offset is its distance from the start.
    least_tree(text, |b| {
        ((b.as_ptr() as usize - base) as u32, b.len() as u32)
    })
}

/// The floors' loop: `keep` makes what the list holds of each name.
fn least_tree<N>(text: &str, keep: impl Fn(&[u8]) -> N) -> usize {
    struct Node<N> {
        // Kept for what keeping it costs; nothing reads it back.
        #[allow(dead_code)]
        element: N,
        name: Option<N>,
        ty: Option<N>,
        depth: u32,
    }
    let mut reader = Reader::from_str(text);
    let mut nodes: Vec<Node<N>> = Vec::new();
    let mut depth = 0u32;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(ev @ (Event::Start(_) | Event::Empty(_))) => {
                let (e, empty) = match &ev {
                    Event::Start(e) => (e, false),
                    Event::Empty(e) => (e, true),
                    _ => unreachable!(),
                };
                let mut node = Node {
                    element: keep(e.local_name().into_inner()),
                    name: None,
                    ty: None,
                    depth,
                };
                for a in e.attributes().with_checks(false).flatten() {
                    match a.key.as_ref() {
                        b"Name" => node.name = Some(keep(&a.value)),
                        b"Type" => node.ty = Some(keep(&a.value)),
                        _ => {}
                    }
                }
                nodes.push(node);
                if !empty {
                    depth += 1;
                }
            }
            Ok(Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    // Everything kept stays observable, so that no allocation is optimised
    // away.
    std::hint::black_box(&nodes);
    nodes
        .iter()
        .filter(|n| n.depth > 2 && n.name.is_some() && n.ty.is_some())
        .count()
}

fn parse_only(text: &str) -> usize {
    let parsed = parse("graph-beta.csdl", text, &ParseOptions::default()).expect("parses");
    parsed.document.schemas.len()
}

/// Parse and resolve, as `pipeline::load_model` does: the syntax tree is
/// consumed by the resolver.
fn ours(text: &str) -> usize {
    let parsed = parse("graph-beta.csdl", text, &ParseOptions::default()).expect("parses");
    resolve_owned(parsed.document)
        .expect("resolves")
        .structs
        .len()
}

/// Parse and resolve keeping the syntax tree (as slicing does, which
/// filters the tree afterwards): the model copies what it keeps.
fn ours_borrowed(text: &str) -> usize {
    let parsed = parse("graph-beta.csdl", text, &ParseOptions::default()).expect("parses");
    let model = resolve(&parsed.document).expect("resolves");
    model.structs.len() + parsed.document.schemas.len()
}

/// What `cargo xtask regen --from graph-beta.csdl` computes, without
/// writing: slice (parse, patch, resolve, select, filter, write), reload the
/// slice, generate and format the SDK sources.
fn regen(root: &Path, text: &str) -> usize {
    let outputs =
        pipeline::regen_outputs(root, Some(("graph-beta.csdl", text))).expect("regenerates");
    outputs.files.values().map(String::len).sum()
}

/// Slices of graph-beta.csdl made of whole roots (singletons and entity
/// sets, smallest first) reaching about `paths` URL paths: the include
/// patterns and the paths they reach.
fn roots_slice(text: &str, paths: usize) -> (Vec<String>, usize) {
    let model = pipeline::load_model("graph-beta.csdl", text).expect("resolves");
    let mut per_root: std::collections::BTreeMap<String, usize> = Default::default();
    migrations_codegen::model::paths::walk(
        &model,
        &mut |node| {
            let n = per_root.entry(node.segments[0].text.clone()).or_default();
            *n += 1;
            *n <= paths
        },
        &mut |_| {},
    );
    let mut roots: Vec<(usize, String)> = per_root.into_iter().map(|(r, n)| (n, r)).collect();
    roots.sort();
    let (mut include, mut total) = (Vec::new(), 0);
    for (n, root) in roots {
        if total + n > paths {
            break;
        }
        total += n;
        include.push(format!("/{root}/**"));
    }
    (include, total)
}

/// Slices, resolves and generates `include` (not written, not patched);
/// returns the bytes generated.
fn generate_slice(text: &str, include: &[String]) -> usize {
    let include: Vec<&str> = include.iter().map(String::as_str).collect();
    // Functions taking collections in their URLs are refused by the generator.
    let exclude = ["/**/findByMethodMode", "/**/computeInheritance"];
    let config = migrations_codegen::slice::SliceConfig::new(&include, &exclude).expect("patterns");
    let sliced = pipeline::slice_source("graph-beta.csdl", text, &config, &[]).expect("slices");
    let model = pipeline::load_model("slice.csdl", &sliced.csdl).expect("loads");
    let generated = migrations_codegen::pipeline::generate(&model, &config).expect("generates");
    generated.files.values().map(String::len).sum()
}

/// graph-beta.csdl with `copies` more copies of its main schema
/// (`microsoft.graph`, up to its entity container) under the namespaces
/// `microsoft.graph1`, `microsoft.graph2`, ... (aliases `graph1`, ...): a
/// document the size of the production beta `$metadata` (about 8 MB at 6
/// copies) that resolves like the original.
/// How many more copies of the main schema the production-sized document
/// holds.
const COPIES: usize = 6;

fn replicate(text: &str, copies: usize) -> String {
    let open = "<Schema Namespace=\"microsoft.graph\" Alias=\"graph\"";
    let start = text
        .find(open)
        .expect("graph-beta.csdl has the microsoft.graph schema");
    let container = start
        + text[start..]
            .find("<EntityContainer")
            .expect("and its container");
    let main = &text[start..container];
    let namespaces: Vec<&str> = text
        .match_indices("Namespace=\"")
        .filter_map(|(i, m)| text[i + m.len()..].split('"').next())
        .collect();
    let end = text
        .rfind("</edmx:DataServices>")
        .expect("a DataServices element");
    let mut out = String::with_capacity(text.len() + copies * (main.len() + 64));
    out.push_str(&text[..end]);
    for n in 1..=copies {
        out.push_str(&rename(main, n, &namespaces).replacen(
            open,
            &format!("<Schema Namespace=\"microsoft.graph{n}\" Alias=\"graph{n}\""),
            1,
        ));
        out.push_str("</Schema>\n");
    }
    out.push_str(&text[end..]);
    out
}

/// `graph.x` and `microsoft.graph.x` → `graphN.x` and `microsoft.graphN.x`
/// where they start a name (after `"`, `(`, `,` or a space), except for the
/// sub-namespaces `microsoft.graph.security.x` and the like.
fn rename(schema: &str, n: usize, namespaces: &[&str]) -> String {
    let mut out = String::with_capacity(schema.len() + schema.len() / 16);
    let mut rest = schema;
    while let Some(i) = rest.find("graph.") {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let starts_name =
            |prefix: &str| matches!(prefix.chars().last(), Some('"' | '(' | ',' | ' '));
        let ident: String = after["graph.".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let qualified = before.ends_with("microsoft.")
            && starts_name(&before[..before.len() - "microsoft.".len()]);
        let sub_namespace =
            qualified && namespaces.contains(&format!("microsoft.graph.{ident}").as_str());
        if (starts_name(before) || qualified) && !sub_namespace {
            out.push_str(&format!("graph{n}."));
        } else {
            out.push_str("graph.");
        }
        rest = &after["graph.".len()..];
    }
    out.push_str(rest);
    out
}

/// Median of each closure's timings, the closures run round-robin `runs`
/// times so that both sides see the same machine load.
fn medians(runs: usize, fs: &mut [&mut dyn FnMut() -> usize]) -> Vec<Duration> {
    let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); fs.len()];
    for _ in 0..runs {
        for (f, t) in fs.iter_mut().zip(&mut times) {
            let start = Instant::now();
            std::hint::black_box(f());
            t.push(start.elapsed());
        }
    }
    times
        .into_iter()
        .map(|mut t| {
            t.sort();
            t[t.len() / 2]
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // (unoptimised) without it.
    let bench = args.iter().any(|a| a == "--bench");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("../shared/metadata/graph-beta.csdl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "{} is missing: CI needs ../shared beside the repository",
                path.display()
            );
        }
        eprintln!("skipping: {} is missing", path.display());
        return;
    };
    if let Some(i) = args.iter().position(|a| a == "--once") {
        // `--once WHAT [TIMES]`: for profilers.
        let times: usize = args.get(i + 2).and_then(|t| t.parse().ok()).unwrap_or(1);
        let what = args.get(i + 1).map(String::as_str);
        // The production-sized document, made once: count only `ours` with
        // `valgrind --tool=callgrind --toggle-collect=parse::ours`.
        let large = (what == Some("large")).then(|| replicate(&text, COPIES));
        for _ in 0..times {
            let n = match what {
                Some("large") => ours(large.as_deref().unwrap_or_default()),
                Some("baseline") => baseline(&text),
                Some("floor") => floor(&text),
                Some("floor-borrowed") => floor_borrowed(&text),
                Some("parse") => parse_only(&text),
                Some("regen") => regen(&root, &text),
                Some("borrowed") => ours_borrowed(&text),
                _ => ours(&text),
            };
            std::hint::black_box(n);
        }
        return;
    }
    let copies = COPIES;
    let large = replicate(&text, copies);
    if !bench {
        // Under `cargo test`: one run of each side, nothing timed; and the
        // production-sized document resolves, with every copied type.
        assert!(baseline(&text) > 0 && ours(&text) > 0);
        // The two floors keep the same elements, however they hold names.
        assert_eq!(floor(&text), floor_borrowed(&text));
        let count = |text: &str| {
            let parsed = parse("large.csdl", text, &ParseOptions::default())
                .unwrap_or_else(|d| panic!("{d}"));
            let model = resolve_owned(parsed.document).unwrap_or_else(|d| panic!("{d}"));
            let main = model
                .structs
                .keys()
                .filter(|k| k.rsplit_once('.').map(|(ns, _)| ns) == Some("microsoft.graph"))
                .count();
            (model.structs.len(), main)
        };
        let (one, main) = count(&text);
        let (six, _) = count(&large);
        assert_eq!(six, one + copies * main, "{copies} copies of {main} types");
        assert!(large.len() > 7_000_000, "{} bytes", large.len());
        return;
    }
    let runs = 15;
    // Warm up everything once.
    baseline(&text);
    ours(&text);
    regen(&root, &text);
    let t = medians(
        runs,
        &mut [
            &mut || baseline(&text),
            &mut || parse_only(&text),
            &mut || ours(&text),
            &mut || ours_borrowed(&text),
            &mut || floor(&text),
            &mut || floor_borrowed(&text),
        ],
    );
    let (base, parse_t, full, borrowed, least) = (t[0], t[1], t[2], t[3], t[4]);
    let least_borrowed = t[5];
    let mb = text.len() as f64 / 1e6;
    println!("input: {mb:.2} MB, {runs} runs each, interleaved, medians");
    println!(
        "quick-xml event loop : {:>8.2} ms  ({:.0} MB/s)",
        ms(base),
        mb / base.as_secs_f64()
    );
    println!(
        "least tree (no checks, no positions, no resolution): {:>8.2} ms  ({:.2} of the loop's throughput)",
        ms(least),
        base.as_secs_f64() / least.as_secs_f64()
    );
    println!(
        "least tree, names borrowed (spans of the input): {:>8.2} ms  ({:.2} of the loop's throughput)",
        ms(least_borrowed),
        base.as_secs_f64() / least_borrowed.as_secs_f64()
    );
    println!(
        "parse                : {:>8.2} ms  ({:.0} MB/s)",
        ms(parse_t),
        mb / parse_t.as_secs_f64()
    );
    println!(
        "parse + resolve      : {:>8.2} ms  ({:.0} MB/s)",
        ms(full),
        mb / full.as_secs_f64()
    );
    println!(
        "parse + resolve(&doc): {:>8.2} ms  ({:.0} MB/s)  (syntax tree kept)",
        ms(borrowed),
        mb / borrowed.as_secs_f64()
    );
    println!(
        "[1] throughput ratio (parse+resolve / quick-xml loop): {:.2}  (goal >= 0.5)",
        base.as_secs_f64() / full.as_secs_f64()
    );
    let t = medians(5, &mut [&mut || ours(&text), &mut || ours(&large)]);
    println!(
        "parse + resolve of a {:.1} MB document ({copies} more copies of the main schema): {:>8.2} ms, \
         {:.2}x the time for {:.2}x the bytes",
        large.len() as f64 / 1e6,
        ms(t[1]),
        t[1].as_secs_f64() / t[0].as_secs_f64(),
        large.len() as f64 / text.len() as f64
    );
    let runs = 15;
    let t = medians(
        runs,
        &mut [
            &mut || baseline(&text),
            &mut || parse_only(&text),
            &mut || regen(&root, &text),
        ],
    );
    println!(
        "quick-xml loop: {:>8.2} ms;  parse: {:>8.2} ms;  full regen: {:>8.2} ms  ({runs} runs each, interleaved, medians)",
        ms(t[0]),
        ms(t[1]),
        ms(t[2])
    );
    println!(
        "[2] full regen / quick-xml loop: {:.2}x  (goal <= 6; full regen / parse: {:.2}x, the former goal <= 3)",
        t[2].as_secs_f64() / t[0].as_secs_f64(),
        t[2].as_secs_f64() / t[1].as_secs_f64()
    );
    // Generation should grow with the paths of a slice, not faster: builder
    // naming once compared every path with every other (56 s for 4,000
    // paths).
    let (narrow, narrow_paths) = roots_slice(&text, 400);
    let (wide, wide_paths) = roots_slice(&text, 4_000);
    let t = medians(
        3,
        &mut [&mut || generate_slice(&text, &narrow), &mut || {
            generate_slice(&text, &wide)
        }],
    );
    println!(
        "generate a slice of {} roots ({narrow_paths} paths): {:>8.2} ms; of {} roots ({wide_paths} paths): {:>8.2} ms (3 runs each, medians)",
        narrow.len(),
        ms(t[0]),
        wide.len(),
        ms(t[1])
    );
    println!(
        "[scaling] time ratio / path ratio: {:.2}  (about 1 when generation is linear in the paths)",
        (t[1].as_secs_f64() / t[0].as_secs_f64()) / (wide_paths as f64 / narrow_paths as f64)
    );
}
