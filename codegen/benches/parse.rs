//! Parse-and-resolve throughput on ../shared/metadata/graph-beta.csdl as a
//! ratio to a plain quick-xml event loop over the same bytes, measured in the
//! same process. Run: `cargo bench -p migrations-codegen --bench parse`.
//! Goal (issue 2): ratio >= 0.5.

use std::time::{Duration, Instant};

use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::model::resolve;
use quick_xml::Reader;
use quick_xml::events::Event;

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

fn ours(text: &str) -> usize {
    let parsed = parse("graph-beta.csdl", text, &ParseOptions::default()).expect("parses");
    resolve(&parsed.document).expect("resolves").structs.len()
}

/// The median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut() -> usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/metadata/graph-beta.csdl"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} is missing");
        return;
    };
    let runs = 15;
    // Interleave warm-up of both so neither pays for a cold cache alone.
    baseline(&text);
    ours(&text);
    let base = median(runs, || baseline(&text));
    let full = median(runs, || ours(&text));
    let mb = text.len() as f64 / 1e6;
    println!("input: {mb:.2} MB, {runs} runs each, medians");
    println!(
        "quick-xml event loop : {:>8.2} ms  ({:.0} MB/s)",
        base.as_secs_f64() * 1e3,
        mb / base.as_secs_f64()
    );
    println!(
        "parse + resolve      : {:>8.2} ms  ({:.0} MB/s)",
        full.as_secs_f64() * 1e3,
        mb / full.as_secs_f64()
    );
    println!(
        "throughput ratio (ours / baseline): {:.2}  (goal >= 0.5)",
        base.as_secs_f64() / full.as_secs_f64()
    );
}
