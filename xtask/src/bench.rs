//! `cargo xtask bench`: runs the benchmarks of BENCHMARKS.md and prints the
//! ratio each one measured, and measures benchmark 6 (the generated code:
//! its size, and the build time it costs) itself.
//!
//! Benchmark 6 copies the sdk crate into a temporary workspace beside an
//! empty crate with exactly the same dependencies and features (and the
//! repository's Cargo.lock), builds both once so that every dependency is
//! compiled in the shared target directory, then times `cargo build` of each
//! leaf crate after touching its `lib.rs` (incremental compilation off, so
//! the leaf really is compiled again), interleaved, and reports medians. It
//! also times the clean build of the empty crate with all its dependencies
//! and estimates the sdk's as that plus the difference of the leaf builds.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use clap::ValueEnum;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Which {
    /// 1 and 2: parse+resolve vs a quick-xml loop; full regen vs parse.
    Parse,
    /// 3: typed page decoding vs serde_json::Value.
    Decode,
    /// 4: the SDK pager vs a plain reqwest loop against graph-sim.
    Paging,
    /// 5: peak memory streaming 10k vs 100k items through the pager.
    Memory,
    /// 6: generated lines; build time of the sdk crate vs an empty crate.
    Build,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Which benchmarks to run (default: all).
    #[arg(value_enum)]
    which: Vec<Which>,
    /// Timed `cargo build` runs of each leaf crate (benchmark 6).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Keep benchmark 6's temporary workspace (its path is printed).
    #[arg(long)]
    keep: bool,
}

pub(crate) fn run(root: &Path, args: Args) -> Result<(), String> {
    let all = [
        Which::Parse,
        Which::Decode,
        Which::Paging,
        Which::Memory,
        Which::Build,
    ];
    let which: Vec<Which> = if args.which.is_empty() {
        all.to_vec()
    } else {
        all.into_iter().filter(|w| args.which.contains(w)).collect()
    };
    let mut summary = Vec::new();
    for w in which {
        let lines = match w {
            Which::Parse => cargo_bench(root, "migrations-codegen", "parse")?,
            Which::Decode => cargo_bench(root, "graph-migrations", "decode")?,
            Which::Paging => cargo_bench(root, "graph-migrations", "paging")?,
            Which::Memory => cargo_bench(root, "graph-migrations", "memory")?,
            Which::Build => build_time(root, args.runs.max(1), args.keep)?,
        };
        summary.extend(lines.into_iter().filter(|l| l.starts_with('[')));
    }
    println!("\nsummary:");
    for line in summary {
        println!("  {line}");
    }
    Ok(())
}

/// Runs one bench binary, prints its output, returns its lines.
fn cargo_bench(root: &Path, package: &str, bench: &str) -> Result<Vec<String>, String> {
    println!("== cargo bench -p {package} --bench {bench}");
    let out = Command::new(cargo())
        .current_dir(root)
        .args(["bench", "-q", "-p", package, "--bench", bench])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    print!("{stdout}");
    if !out.status.success() {
        return Err(format!(
            "cargo bench -p {package} --bench {bench} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(stdout.lines().map(str::to_string).collect())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Lines of the `.rs` files under `dir`.
fn rust_lines(dir: &Path) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            n += rust_lines(&p);
        } else if p.extension().is_some_and(|e| e == "rs") {
            n += std::fs::read_to_string(&p).map_or(0, |t| t.lines().count());
        }
    }
    n
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

fn read_toml(path: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.parse::<toml::Table>()
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The sdk's `[dependencies]` with `workspace = true` entries replaced by
/// the workspace's specification (plus the entry's own `optional` and
/// `features`), so that the copies build outside the workspace.
fn resolved_dependencies(root: &Path) -> Result<(toml::Table, toml::Table), String> {
    let workspace = read_toml(&root.join("Cargo.toml"))?;
    let sdk = read_toml(&root.join("sdk/Cargo.toml"))?;
    let shared = workspace
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    let mut out = toml::Table::new();
    let deps = sdk
        .get("dependencies")
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    for (name, spec) in deps {
        let inherits = spec
            .get("workspace")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
        if !inherits {
            out.insert(name, spec);
            continue;
        }
        let mut table = match shared.get(&name) {
            Some(toml::Value::String(version)) => {
                let mut t = toml::Table::new();
                t.insert("version".into(), toml::Value::String(version.clone()));
                t
            }
            Some(toml::Value::Table(t)) => t.clone(),
            _ => return Err(format!("{name}: not in [workspace.dependencies]")),
        };
        if let Some(local) = spec.as_table() {
            for (k, v) in local {
                match k.as_str() {
                    "workspace" => {}
                    "features" => {
                        let mut features: Vec<toml::Value> = table
                            .get("features")
                            .and_then(|f| f.as_array())
                            .cloned()
                            .unwrap_or_default();
                        features.extend(v.as_array().cloned().unwrap_or_default());
                        table.insert("features".into(), toml::Value::Array(features));
                    }
                    _ => {
                        table.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        out.insert(name, toml::Value::Table(table));
    }
    let features = sdk
        .get("features")
        .and_then(|f| f.as_table())
        .cloned()
        .unwrap_or_default();
    Ok((out, features))
}

fn manifest(name: &str, deps: &toml::Table, features: &toml::Table) -> String {
    let mut package = toml::Table::new();
    package.insert("name".into(), name.into());
    package.insert("version".into(), "0.1.0".into());
    package.insert("edition".into(), "2024".into());
    package.insert("publish".into(), false.into());
    let mut doc = toml::Table::new();
    doc.insert("package".into(), toml::Value::Table(package));
    doc.insert("features".into(), toml::Value::Table(features.clone()));
    doc.insert("dependencies".into(), toml::Value::Table(deps.clone()));
    toml::to_string(&doc).unwrap_or_default()
}

fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("touch {}: {e}", path.display()))
}

/// `cargo build -p package` in the temporary workspace; its duration.
fn build(dir: &Path, package: &str, offline: bool) -> Result<Duration, String> {
    let mut cmd = Command::new(cargo());
    // Without incremental compilation: a touched leaf is compiled again,
    // not answered from the incremental cache.
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .args(["build", "-q", "-p", package]);
    if offline {
        cmd.arg("--offline");
    }
    let start = Instant::now();
    let out = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    let took = start.elapsed();
    if !out.status.success() {
        return Err(format!(
            "cargo build -p {package} failed in {}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(took)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn build_time(root: &Path, runs: usize, keep: bool) -> Result<Vec<String>, String> {
    println!("== benchmark 6: the generated code");
    let generated = rust_lines(&root.join("sdk/src/generated"));
    let hand_written = rust_lines(&root.join("sdk/src")) - generated;
    println!(
        "sdk/src/generated: {generated} lines of Rust (hand-written runtime and support: {hand_written})"
    );
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "graph-migrations-build-bench-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let (deps, features) = resolved_dependencies(root)?;
    copy_dir(&root.join("sdk/src"), &dir.join("sdk/src"))?;
    let write = |path: PathBuf, text: String| {
        std::fs::create_dir_all(path.parent().unwrap_or(&dir))
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"sdk\", \"empty\"]\n".into(),
    )?;
    write(
        dir.join("sdk/Cargo.toml"),
        manifest("graph-migrations", &deps, &features),
    )?;
    write(
        dir.join("empty/Cargo.toml"),
        manifest("empty-leaf", &deps, &features),
    )?;
    write(
        dir.join("empty/src/lib.rs"),
        "//! No code: the same dependencies as the sdk crate.\n".into(),
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    println!("temporary workspace: {}", dir.display());

    // Every dependency, from clean (offline when the registry cache has them
    // all, else downloads count too).
    let (full_empty, offline) = match build(&dir, "empty-leaf", true) {
        Ok(took) => (took, true),
        Err(_) => (build(&dir, "empty-leaf", false)?, false),
    };
    build(&dir, "graph-migrations", offline)?;
    let (mut empty, mut sdk) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        touch(&dir.join("empty/src/lib.rs"))?;
        empty.push(build(&dir, "empty-leaf", offline)?);
        touch(&dir.join("sdk/src/lib.rs"))?;
        sdk.push(build(&dir, "graph-migrations", offline)?);
    }
    let (empty, sdk) = (median(empty), median(sdk));
    if keep {
        println!("kept {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let s = |d: Duration| d.as_secs_f64();
    let full_sdk = full_empty + sdk.saturating_sub(empty);
    let lines = vec![
        format!(
            "cargo build (debug, CARGO_INCREMENTAL=0) of the leaf crate after touching lib.rs, median of {runs}: sdk {:.2} s, empty crate {:.2} s",
            s(sdk),
            s(empty)
        ),
        format!(
            "clean build of the empty crate with every dependency: {:.1} s; the sdk's, estimated: {:.1} s",
            s(full_empty),
            s(full_sdk)
        ),
        format!(
            "[6] generated code: {generated} lines; leaf build sdk / empty crate: {:.1}x; clean build with dependencies: {:.2}x  (goal <= 1.3)",
            s(sdk) / s(empty),
            s(full_sdk) / s(full_empty)
        ),
    ];
    for l in &lines {
        println!("{l}");
    }
    Ok(lines)
}
