//! `cargo xtask`: regenerate the SDK from metadata, check that the committed
//! generated files are fresh, and inspect CSDL files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use migrations_codegen::csdl::{ParseOptions, parse};
use migrations_codegen::model::{resolve, vocab};
use migrations_codegen::pipeline;

#[derive(Parser)]
#[command(about = "Generator tasks for the graph-migrations workspace")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Patch and slice a Graph $metadata file (or the committed slice), then
    /// regenerate metadata/ and sdk/src/generated/.
    Regen {
        /// A CSDL file to slice; default: the committed metadata/graph-beta-migrations.csdl.
        #[arg(long)]
        from: Option<PathBuf>,
    },
    /// Fail when the committed generated files differ from a fresh regeneration.
    Check,
    /// Print counts per kind and the deprecated elements of a CSDL file.
    Inspect {
        file: PathBuf,
        /// Treat unknown elements as errors.
        #[arg(long)]
        strict: bool,
    },
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    let root = root();
    match command {
        Command::Regen { from } => {
            let source = match &from {
                Some(p) => Some((
                    p.display().to_string(),
                    pipeline::read(p).map_err(|d| d.to_string())?,
                )),
                None => None,
            };
            let outputs = pipeline::regen_outputs(
                &root,
                source.as_ref().map(|(f, t)| (f.as_str(), t.as_str())),
            )
            .map_err(|d| d.to_string())?;
            let stale = pipeline::stale_files(&outputs);
            for path in &stale {
                match outputs.files.get(path) {
                    Some(contents) => {
                        std::fs::create_dir_all(path.parent().unwrap())
                            .map_err(|e| e.to_string())?;
                        std::fs::write(path, contents)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                    }
                    None => std::fs::remove_file(path)
                        .map_err(|e| format!("{}: {e}", path.display()))?,
                }
            }
            let counts = outputs.model.counts();
            println!(
                "regenerated from {}: {} entity types, {} complex types, {} enum types, {} operations; {} files written or removed",
                from.as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| pipeline::SLICED_CSDL.to_string()),
                counts.entity_types,
                counts.complex_types,
                counts.enum_types,
                counts.actions + counts.functions,
                stale.len()
            );
            for path in &stale {
                println!("  {}", path.strip_prefix(&root).unwrap_or(path).display());
            }
            Ok(())
        }
        Command::Check => {
            let outputs = pipeline::regen_outputs(&root, None).map_err(|d| d.to_string())?;
            let stale = pipeline::stale_files(&outputs);
            if stale.is_empty() {
                println!(
                    "generated files are up to date ({} files)",
                    outputs.files.len()
                );
                Ok(())
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
            let model = resolve(&parsed.document).map_err(|d| d.to_string())?;
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
            let _ = vocab::CORE;
            Ok(())
        }
    }
}
