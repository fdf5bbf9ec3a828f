use migrations_codegen::pipeline;
use std::path::Path;
fn main() {
    let root = Path::new(".");
    let config = pipeline::load_config(&root.join("metadata/slice.toml")).unwrap();
    let csdl = std::fs::read_to_string(root.join(pipeline::SLICED_CSDL)).unwrap();
    let model = pipeline::load_model("y", &csdl).unwrap();
    for _ in 0..200 {
        let g = migrations_codegen::emit::generate(&model, &config).unwrap();
        std::hint::black_box(g.files.len());
    }
}
#[global_allocator]
static A: mimalloc::MiMalloc = mimalloc::MiMalloc;
