//! `cargo xtask`: regenerate the SDK from metadata (a file or a URL), check
//! that the committed generated files are fresh, compare two versions of the
//! metadata, and inspect CSDL files.

mod bench;
mod docs;
mod fetch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::diff::{self, Severity, Version};
use migrations_codegen::model::{Model, ResolveOptions, resolve_with};
use migrations_codegen::pipeline;

// Parsing, resolving and formatting allocate tens of thousands of small
// strings and token trees; mimalloc makes regeneration about 1.5 times as
// fast as the system allocator (BENCHMARKS.md, benchmark 2).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Generator tasks for the graph-migrations workspace")]
struct Cli {
    /// The workspace to work on (default: the one this xtask belongs to).
    #[arg(long, global = true, hide = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Patch and slice a Graph $metadata file or URL (or the committed
    /// slice), regenerate metadata/ and sdk/src/generated/, and summarise
    /// what changed in the slice.
    Regen {
        /// A CSDL file, or an http(s) URL such as
        /// 'https://graph.microsoft.com/beta/$metadata' (downloaded with an
        /// ETag cache under target/metadata-cache/); default: the committed
        /// metadata/graph-beta-migrations.csdl.
        #[arg(long)]
        from: Option<String>,
        /// Download timeout in seconds.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
    },
    /// Fail when the committed generated files differ from a fresh regeneration.
    Check,
    /// A semantic diff of two versions of the sliced metadata, classified
    /// for users of the sdk crate, with a suggested version bump.
    Diff {
        /// A CSDL file, a URL, or a git revision (`HEAD~1`, `main`, a sha)
        /// of metadata/graph-beta-migrations.csdl, or `REV:PATH`.
        old: String,
        /// As OLD; usually metadata/graph-beta-migrations.csdl (the working tree).
        new: String,
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Exit with status 2 when a change of this class, or of a more
        /// severe one, is present (breaking > additive > deprecation).
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
        /// Download timeout in seconds, for URL arguments.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
    },
    /// Run the benchmarks of BENCHMARKS.md and print the ratios they measure.
    Bench(bench::Args),
    /// Read the documentation pages the slice needs and rewrite
    /// metadata/docs-facts.json.
    DocsRefresh(docs::RefreshArgs),
    /// List the disagreements between the documentation and the sliced
    /// metadata, classified, with patch skeletons.
    DocsCheck(docs::CheckArgs),
    /// Print counts per kind and the deprecated elements of a CSDL file.
    Inspect {
        file: PathBuf,
        /// Treat unknown elements as errors.
        #[arg(long)]
        strict: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Breaking,
    Additive,
    Deprecation,
}

impl FailOn {
    fn severity(self) -> Severity {
        match self {
            FailOn::Breaking => Severity::Breaking,
            FailOn::Additive => Severity::Additive,
            FailOn::Deprecation => Severity::Deprecation,
        }
    }
}

/// Exit status of `diff --fail-on` when the threshold is reached (1 is an error).
const FAIL_ON_STATUS: u8 = 2;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.clone().unwrap_or_else(root);
    match run(&root, cli.command) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(root: &Path, command: Command) -> Result<ExitCode, String> {
    let root = root.to_path_buf();
    match command {
        Command::Regen { from, timeout } => {
            let source = match &from {
                Some(s) => Some((s.clone(), read_source(&root, s, timeout)?)),
                None => None,
            };
            // The committed slice before regeneration, to report what changed
            // (or why it cannot be compared).
            let sliced_csdl = sliced_csdl(&root)?;
            let before = pipeline::read(&root.join(&sliced_csdl))
                .and_then(|text| pipeline::load_model(&sliced_csdl, &text));
            let outputs = pipeline::regen_outputs(
                &root,
                source.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
            )
            .map_err(|d| d.to_string())?;
            let stale = pipeline::stale_files(&outputs);
            write_outputs(&stale, &outputs.files)?;
            let counts = outputs.model.counts();
            println!(
                "regenerated from {}: {} entity types, {} complex types, {} enum types, {} operations; {} files written or removed",
                from.as_deref().unwrap_or(&sliced_csdl),
                counts.entity_types,
                counts.complex_types,
                counts.enum_types,
                counts.actions + counts.functions,
                stale.len()
            );
            // A wide slice writes thousands of files; git lists them all.
            const LISTED: usize = 20;
            for path in stale.iter().take(LISTED) {
                println!("  {}", path.strip_prefix(&root).unwrap_or(path).display());
            }
            if stale.len() > LISTED {
                println!(
                    "  … and {} more (`git status` lists them all)",
                    stale.len() - LISTED
                );
            }
            match before {
                Ok(before) => {
                    let config = pipeline::load_config(&root.join("metadata/slice.toml"))
                        .map_err(|d| d.to_string())?;
                    let options = pipeline::load_options(&root).map_err(|d| d.to_string())?;
                    let mut report = diff::diff(&before, &outputs.model, &config, &options);
                    report.watch(outputs.plan.unsettled.iter().map(|u| u.element.clone()));
                    let suggestion = sdk_version(&root)
                        .ok()
                        .map(|v| diff::suggest(v, report.classification()));
                    print!("{}", diff::summary(&report, suggestion.as_ref(), 12));
                }
                Err(why) => println!(
                    "schema changes: not compared ({sliced_csdl} did not load before: {why})"
                ),
            }
            print!("{}", docs::regen_summary(&root));
            for w in &outputs.warnings {
                eprintln!("{w}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            old,
            new,
            format,
            fail_on,
            timeout,
        } => {
            let sliced = sliced_csdl(&root)?;
            let old_model = diff_input(&root, &old, &sliced, timeout)?;
            let new_model = diff_input(&root, &new, &sliced, timeout)?;
            let config = pipeline::load_config(&root.join("metadata/slice.toml"))
                .map_err(|d| d.to_string())?;
            let options = pipeline::load_options(&root).map_err(|d| d.to_string())?;
            let mut report = diff::diff(&old_model, &new_model, &config, &options);
            // A new side that cannot be planned is reported by the diff
            // itself (`NotPlanned`); the watch list is then empty.
            match pipeline::watch_list(&root, &new_model) {
                Ok(watched) => report.watch(watched),
                Err(d) => eprintln!("watch list not compared: {d}"),
            }
            report.old = old;
            report.new = new;
            let suggestion = diff::suggest(sdk_version(&root)?, report.classification());
            match format {
                Format::Markdown => print!("{}", diff::markdown(&report, Some(&suggestion))),
                Format::Json => print!("{}", diff::json(&report, Some(&suggestion))),
            }
            if let Some(threshold) = fail_on
                && report.fails_on(threshold.severity())
            {
                eprintln!(
                    "diff: {} changes present (--fail-on {})",
                    report.classification().map_or("no", Severity::as_str),
                    threshold.severity()
                );
                return Ok(ExitCode::from(FAIL_ON_STATUS));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => bench::run(&root, args).map(|()| ExitCode::SUCCESS),
        Command::DocsRefresh(args) => docs::refresh(&root, args),
        Command::DocsCheck(args) => docs::check(&root, args),
        Command::Check => {
            let outputs = pipeline::regen_outputs(&root, None).map_err(|d| d.to_string())?;
            let stale = pipeline::stale_files(&outputs);
            if stale.is_empty() {
                println!(
                    "generated files are up to date ({} files)",
                    outputs.files.len()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                let list: Vec<String> = stale
                    .iter()
                    .map(|p| format!("  {}", p.strip_prefix(&root).unwrap_or(p).display()))
                    .collect();
                Err(format!(
                    "generated files are stale; run `cargo xtask regen` and commit:\n{}",
                    list.join("\n")
                ))
            }
        }
        Command::Inspect { file, strict } => {
            let text = pipeline::read(&file).map_err(|d| d.to_string())?;
            let name = file.display().to_string();
            let parsed =
                parse(&name, &text, &ParseOptions { strict }).map_err(|d| d.to_string())?;
            for w in &parsed.warnings {
                eprintln!("{w}");
            }
            // --strict refuses references into namespaces the document
            // includes but does not hold; otherwise they are kept as
            // external, each with a located warning.
            let model = resolve_with(&parsed.document, &ResolveOptions { strict })
                .map_err(|d| d.to_string())?;
            for w in &model.warnings {
                eprintln!("{w}");
            }
            let c = model.counts();
            let annotation_targets: usize = parsed
                .document
                .schemas
                .iter()
                .map(|s| s.annotations.len())
                .sum();
            println!("{name}");
            println!("  schemas            {}", c.schemas);
            println!("  enum types         {}", c.enum_types);
            println!("  type definitions   {}", c.type_definitions);
            println!("  complex types      {}", c.complex_types);
            println!("  entity types       {}", c.entity_types);
            println!("  actions            {}", c.actions);
            println!("  functions          {}", c.functions);
            println!("  entity sets        {}", c.entity_sets);
            println!("  singletons         {}", c.singletons);
            println!("  terms              {}", c.terms);
            println!("  annotation targets {annotation_targets}");
            let deprecated = model.deprecations();
            println!("deprecated elements: {}", deprecated.len());
            for (name, rev) in deprecated {
                println!("  {name}: {}", rev.note());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The text of `--from`: a file, or a URL downloaded through the cache.
fn read_source(root: &Path, source: &str, timeout: u64) -> Result<String, String> {
    if fetch::is_url(source) {
        let fetched = fetch::fetch(
            source,
            &root.join("target/metadata-cache"),
            Duration::from_secs(timeout),
        )?;
        println!("{}", fetched.describe(source));
        Ok(fetched.text)
    } else {
        pipeline::read(Path::new(source)).map_err(|d| d.to_string())
    }
}

/// The first line regen writes into a slice (inside the header comment).
const SLICE_HEADER: &str = "Generated by `cargo xtask regen`";

/// A `diff` argument as a resolved model of the slice: a file, a URL, or a
/// git revision of the committed slice. A full `$metadata` (anything that
/// is not a slice written by regen) is patched and sliced with the
/// committed slice.toml and patches first.
/// The sliced CSDL file `generate.toml` names.
fn sliced_csdl(root: &Path) -> Result<String, String> {
    pipeline::load_options(root)
        .map(|o| o.sliced_csdl)
        .map_err(|d| d.to_string())
}

/// The model of one side of `diff`: a file, a URL or a git revision, sliced
/// unless it is a slice already. Errors name what the user gave (a git
/// revision with the file it read there); the slice made in memory is
/// labelled as such, since its lines are not the source's.
fn diff_input(root: &Path, spec: &str, sliced_csdl: &str, timeout: u64) -> Result<Model, String> {
    let mut name = spec.to_string();
    let text = if fetch::is_url(spec) {
        let fetched = fetch::fetch(
            spec,
            &root.join("target/metadata-cache"),
            Duration::from_secs(timeout),
        )?;
        eprintln!("{}", fetched.describe(spec));
        fetched.text
    } else if Path::new(spec).is_file() {
        pipeline::read(Path::new(spec)).map_err(|d| d.to_string())?
    } else {
        let (object, text) = git_show(root, spec, sliced_csdl)?;
        name = object;
        text
    };
    let head: String = text.chars().take(2000).collect();
    if head.contains(SLICE_HEADER) {
        return pipeline::load_model(&name, &text).map_err(|d| d.to_string());
    }
    let config =
        pipeline::load_config(&root.join("metadata/slice.toml")).map_err(|d| d.to_string())?;
    let patches =
        pipeline::load_patches(&root.join("metadata/patches")).map_err(|d| d.to_string())?;
    let sliced =
        pipeline::slice_source(&name, &text, &config, &patches).map_err(|d| d.to_string())?;
    pipeline::load_model(&format!("{name} (sliced)"), &sliced.csdl).map_err(|d| d.to_string())
}

/// `git show REV:metadata/graph-beta-migrations.csdl` (or `REV:PATH` as
/// given), with the object it showed.
fn git_show(root: &Path, spec: &str, sliced_csdl: &str) -> Result<(String, String), String> {
    let object = if spec.contains(':') {
        spec.to_string()
    } else {
        format!("{spec}:{sliced_csdl}")
    };
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &object])
        .output()
        .map_err(|e| format!("`{spec}` is not a file, and git cannot run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{spec}` is neither a file nor a git revision holding {sliced_csdl}: git show {object}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text =
        String::from_utf8(out.stdout).map_err(|e| format!("git show {object}: not UTF-8: {e}"))?;
    Ok((object, text))
}

/// The sdk crate's version (sdk/Cargo.toml, or the workspace's).
fn sdk_version(root: &Path) -> Result<Version, String> {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).map_err(|e| format!("{p}: {e}"));
    Version::from_manifests(&read("sdk/Cargo.toml")?, &read("Cargo.toml")?)
        .map_err(|e| format!("sdk/Cargo.toml (or the workspace's Cargo.toml): {e}"))
}

/// Writes the files of `stale` that `files` holds and removes the others,
/// leaving the tree as it was when a write fails: every new content goes to
/// a temporary file beside its target first, and only when all are written
/// are they renamed into place (each rename is atomic), then the files no
/// longer generated removed. A write cut short (a full disk, a read-only
/// directory, the process killed) leaves no file half-written, and no
/// slice newer than the code generated from it.
fn write_outputs(
    stale: &[std::path::PathBuf],
    files: &std::collections::BTreeMap<std::path::PathBuf, String>,
) -> Result<(), String> {
    let mut written: Vec<(std::path::PathBuf, &std::path::Path)> = Vec::new();
    let outcome = stale.iter().try_for_each(|path| -> Result<(), String> {
        let Some(contents) = files.get(path) else {
            return Ok(());
        };
        // A directory (or a link) where the file goes would fail its rename
        // after others were done: refused now, while nothing has changed.
        if path.symlink_metadata().is_ok_and(|m| !m.is_file()) {
            return Err(format!(
                "{}: not a file, cannot be replaced",
                path.display()
            ));
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".regen-{}.tmp", std::process::id()));
        let temporary = path.with_file_name(name);
        std::fs::write(&temporary, contents)
            .map_err(|e| format!("{}: {e}", temporary.display()))?;
        written.push((temporary, path));
        Ok(())
    });
    if let Err(e) = outcome {
        for (temporary, _) in &written {
            let _ = std::fs::remove_file(temporary);
        }
        return Err(format!("{e} (nothing was changed)"));
    }
    for (i, (temporary, path)) in written.iter().enumerate() {
        if let Err(e) = std::fs::rename(temporary, path) {
            for (left, _) in &written[i..] {
                let _ = std::fs::remove_file(left);
            }
            return Err(format!(
                "{}: {e} (the files before it were replaced: run regen again)",
                path.display()
            ));
        }
    }
    for path in stale.iter().filter(|p| !files.contains_key(*p)) {
        std::fs::remove_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::write_outputs;
    use std::collections::BTreeMap;

    /// A write that fails changes nothing: the file written before it keeps
    /// its old content, and no temporary file is left behind. When all
    /// succeed, the files are replaced and those no longer generated go.
    #[test]
    fn a_failed_regeneration_changes_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (kept, gone, blocker) = (dir.join("a.rs"), dir.join("gone.rs"), dir.join("blocker"));
        std::fs::write(&kept, "old").unwrap();
        std::fs::write(&gone, "old").unwrap();
        // A file where a directory would have to be: the second write fails.
        std::fs::write(&blocker, "").unwrap();
        let inside = blocker.join("b.rs");
        let files = BTreeMap::from([
            (kept.clone(), "new".to_string()),
            (inside.clone(), "x".into()),
        ]);
        let err = write_outputs(&[kept.clone(), inside], &files).unwrap_err();
        assert!(err.contains("nothing was changed"), "{err}");
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "old");
        // A directory where a file goes: refused before any rename.
        let in_the_way = dir.join("z.rs");
        std::fs::create_dir_all(&in_the_way).unwrap();
        let files = BTreeMap::from([
            (kept.clone(), "new".to_string()),
            (in_the_way.clone(), "x".into()),
        ]);
        let err = write_outputs(&[kept.clone(), in_the_way.clone()], &files).unwrap_err();
        assert!(
            err.contains("not a file") && err.contains("nothing was changed"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "old");
        std::fs::remove_dir(&in_the_way).unwrap();
        let left: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "{left:?}");

        let files = BTreeMap::from([(kept.clone(), "new".to_string())]);
        write_outputs(&[kept.clone(), gone.clone()], &files).unwrap();
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "new");
        assert!(!gone.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
