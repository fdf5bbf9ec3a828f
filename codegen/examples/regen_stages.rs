//! Where a regeneration from ../shared/metadata/graph-beta.csdl spends its
//! time, stage by stage (the median of 15 runs each), next to the whole of
//! `pipeline::regen_outputs`: the breakdown behind benchmark 2 of
//! BENCHMARKS.md. With the allocator `cargo xtask` uses.
//!
//! `cargo run --release -p migrations-codegen --example regen_stages`

use std::path::Path;
use std::time::{Duration, Instant};

use migrations_codegen::csdl::{ParseOptions, parse, write::write_document};
use migrations_codegen::model::resolve;
use migrations_codegen::pipeline;
use migrations_codegen::slice::{filter, select};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const STAGES: [&str; 12] = [
    "parse",
    "patch",
    "resolve (syntax tree kept)",
    "select",
    "filter",
    "write the slice",
    "drop the full schema",
    "load the slice",
    "plan (documentation facts read)",
    "emit and format",
    "config and patches",
    "regen_outputs (all of it)",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = root.join("../shared/metadata/graph-beta.csdl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{} is missing", path.display());
        std::process::exit(1);
    };
    let config = pipeline::load_config(&root.join("metadata/slice.toml")).expect("slice.toml");
    let patches = pipeline::load_patches(&root.join("metadata/patches")).expect("patches");
    let options = pipeline::load_options(&root).expect("generate.toml");
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); STAGES.len()];
    for _ in 0..15 {
        let mut stage = 0;
        let mut start = Instant::now();
        let mut lap = |times: &mut Vec<Vec<Duration>>| {
            times[stage].push(start.elapsed());
            stage += 1;
            start = Instant::now();
        };
        let mut doc = parse("graph-beta.csdl", &text, &ParseOptions::default())
            .expect("parses")
            .document;
        lap(&mut times);
        for p in &patches {
            p.apply(&mut doc).expect("patch applies");
        }
        lap(&mut times);
        let model = resolve(&doc).expect("resolves");
        lap(&mut times);
        let selection = select(&model, &config).expect("selects");
        lap(&mut times);
        let sliced = filter(&doc, &model, &selection);
        lap(&mut times);
        let csdl = write_document(&sliced, &[]);
        lap(&mut times);
        drop((model, doc, sliced));
        lap(&mut times);
        let model = pipeline::load_model("slice.csdl", &csdl).expect("slice loads");
        lap(&mut times);
        // As `regen_outputs` does, but with the facts read here, not beside
        // the slicing.
        let docs = pipeline::load_docs_facts_or_default(&root).expect("docs facts");
        let plan = migrations_codegen::plan::plan(&model, &config, &options, &docs).expect("plans");
        lap(&mut times);
        let files = migrations_codegen::emit::generate(&plan).expect("generates");
        std::hint::black_box(files.len());
        lap(&mut times);
        pipeline::load_config(&root.join("metadata/slice.toml")).expect("slice.toml");
        pipeline::load_patches(&root.join("metadata/patches")).expect("patches");
        lap(&mut times);
        let outputs =
            pipeline::regen_outputs(&root, Some(("graph-beta.csdl", &text))).expect("regenerates");
        std::hint::black_box(outputs.files.len());
        lap(&mut times);
    }
    for (name, t) in STAGES.iter().zip(&mut times) {
        t.sort();
        println!("{name:32} {:>8.2} ms", t[t.len() / 2].as_secs_f64() * 1e3);
    }
}
