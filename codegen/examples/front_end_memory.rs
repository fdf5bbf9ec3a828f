//! What the CSDL front end writes into memory for ../shared/metadata/graph-beta.csdl:
//! allocations, bytes allocated, bytes live and the peak, for parsing, for
//! resolving the tree it consumes (`resolve_owned`, as `pipeline::load_model`
//! does) and for resolving a tree it keeps (`resolve`, as slicing does), with
//! the sizes of the nodes that come in thousands. Benchmark 1's wall time is
//! bounded by these writes more than by instructions (BENCHMARKS.md, "Sixth
//! round"). Counts do not depend on the allocator; this counts the system's.
//!
//! `cargo run --release -p migrations-codegen --example front_end_memory`

use std::alloc::{GlobalAlloc, Layout, System};
use std::mem::size_of;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use migrations_codegen::csdl::{ParseOptions, parse, syntax};
use migrations_codegen::model::{self, resolve, resolve_owned};

struct Counting;

static CALLS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// One allocation (or reallocation) of `new` bytes that replaced `old`.
fn allocated(old: usize, new: usize) {
    CALLS.fetch_add(1, Relaxed);
    BYTES.fetch_add(new, Relaxed);
    let live = LIVE.fetch_add(new, Relaxed) + new - old;
    LIVE.fetch_sub(old, Relaxed);
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// wrapper only updates counters.
#[allow(
    unsafe_code,
    reason = "a counting allocator; the workspace denies unsafe code elsewhere"
)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            allocated(0, layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            allocated(layout.size(), new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Prints what was allocated since the last report, and starts the next.
fn report(stage: &str) {
    let live = LIVE.load(Relaxed);
    println!(
        "{stage:34} {:>7} allocations {:>7.2} MB allocated {:>7.2} MB live {:>7.2} MB peak",
        CALLS.swap(0, Relaxed),
        BYTES.swap(0, Relaxed) as f64 / 1e6,
        live as f64 / 1e6,
        PEAK.swap(live, Relaxed) as f64 / 1e6,
    );
}

fn main() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/metadata/graph-beta.csdl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{} is missing", path.display());
        std::process::exit(1);
    };
    println!(
        "node sizes (bytes): Property {}, NavigationProperty {}, Parameter {}, EnumMember {}, \
         StructuredType {}, Operation {}, Annotation {}; model: PropertyDef {}, ParameterDef {}, \
         StructDef {}, OperationDef {}",
        size_of::<syntax::Property>(),
        size_of::<syntax::NavigationProperty>(),
        size_of::<syntax::Parameter>(),
        size_of::<syntax::EnumMember>(),
        size_of::<syntax::StructuredType>(),
        size_of::<syntax::Operation>(),
        size_of::<syntax::Annotation>(),
        size_of::<model::PropertyDef>(),
        size_of::<model::ParameterDef>(),
        size_of::<model::StructDef>(),
        size_of::<model::OperationDef>(),
    );
    report("read the file");
    let parse_tree = || {
        parse("graph-beta.csdl", &text, &ParseOptions::default())
            .unwrap_or_else(|d| panic!("{d}"))
            .document
    };
    let document = parse_tree();
    report("parse");
    let kept = resolve(&document).unwrap_or_else(|d| panic!("{d}"));
    report("resolve, tree kept (slicing)");
    drop((kept, document));
    report("free both");
    let document = parse_tree();
    report("parse again");
    let owned = resolve_owned(document).unwrap_or_else(|d| panic!("{d}"));
    report("resolve, tree consumed (load_model)");
    drop(owned);
    report("free the model");
}
