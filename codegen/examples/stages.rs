use migrations_codegen::csdl::{ParseOptions, parse, write::write_document};
use migrations_codegen::model::resolve;
use migrations_codegen::pipeline;
use migrations_codegen::slice::{filter, select};
use std::path::Path;
use std::time::Instant;
fn main() {
    let root = Path::new(".");
    let text = std::fs::read_to_string("../shared/metadata/graph-beta.csdl").unwrap();
    let config = pipeline::load_config(&root.join("metadata/slice.toml")).unwrap();
    let patches = pipeline::load_patches(&root.join("metadata/patches")).unwrap();
    let names = [
        "parse",
        "patch",
        "resolve(&doc)",
        "select",
        "filter",
        "write",
        "drop full",
        "load_model(slice)",
        "generate",
        "drop rest",
        "config+patches",
        "regen_outputs",
    ];
    let mut t = vec![vec![]; names.len()];
    for _ in 0..15 {
        let mut i = 0;
        let mut s = Instant::now();
        let mut lap = |t: &mut Vec<Vec<std::time::Duration>>| {
            t[i].push(s.elapsed());
            i += 1;
            s = Instant::now();
        };
        let mut doc = parse("x", &text, &ParseOptions::default())
            .unwrap()
            .document;
        lap(&mut t);
        for p in &patches {
            p.apply(&mut doc).unwrap();
        }
        lap(&mut t);
        let m = resolve(&doc).unwrap();
        lap(&mut t);
        let sel = select(&m, &config).unwrap();
        lap(&mut t);
        let sliced = filter(&doc, &m, &sel);
        lap(&mut t);
        let csdl = write_document(&sliced, &[]);
        lap(&mut t);
        drop(m);
        drop(doc);
        drop(sliced);
        lap(&mut t);
        let model = pipeline::load_model("y", &csdl).unwrap();
        lap(&mut t);
        let g = migrations_codegen::emit::generate(&model, &config).unwrap();
        lap(&mut t);
        drop(g);
        drop(model);
        lap(&mut t);
        let _c = pipeline::load_config(&root.join("metadata/slice.toml")).unwrap();
        let _p = pipeline::load_patches(&root.join("metadata/patches")).unwrap();
        lap(&mut t);
        let o = pipeline::regen_outputs(root, Some(("x", &text))).unwrap();
        drop(o);
        lap(&mut t);
    }
    for (n, v) in names.iter().zip(&mut t) {
        v.sort();
        println!("{n:20} {:?}", v[7]);
    }
}
#[global_allocator]
static A: mimalloc::MiMalloc = mimalloc::MiMalloc;
