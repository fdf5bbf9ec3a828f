//! `cargo xtask regen --from <url>` and `cargo xtask diff` end to end, on a
//! scratch copy of the workspace's metadata (the hidden `--root` option),
//! against an HTTP server on 127.0.0.1.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

const SLICE: &str = "metadata/graph-beta-migrations.csdl";

/// A scratch workspace: the committed metadata, and manifests that pin the
/// sdk version to 0.1.0.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("xtask-cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("metadata/patches")).unwrap();
    std::fs::create_dir_all(dir.join("sdk")).unwrap();
    let ws = workspace();
    for f in ["metadata/slice.toml", SLICE] {
        std::fs::copy(ws.join(f), dir.join(f)).unwrap();
    }
    for e in std::fs::read_dir(ws.join("metadata/patches")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            std::fs::copy(
                &p,
                dir.join("metadata/patches").join(p.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace.package]\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sdk/Cargo.toml"),
        "[package]\nname = \"graph-migrations\"\nversion.workspace = true\n",
    )
    .unwrap();
    dir
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .current_dir(root)
        .output()
        .expect("xtask runs")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// ../shared/metadata/graph-beta.csdl; `None` outside CI when missing.
fn shared_beta() -> Option<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/metadata/graph-beta.csdl"
    );
    match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "../shared/metadata is missing: CI needs ../shared beside the repo ({path}: {e})"
            )
        }
        Err(e) => {
            eprintln!("skipping: cannot read {path}: {e}");
            None
        }
    }
}

type Server = (
    String,
    Arc<Mutex<Vec<Option<String>>>>,
    std::thread::JoinHandle<()>,
);

/// Serves `body` with `etag` for `connections` connections, answering 304
/// to a matching If-None-Match; records each request's If-None-Match.
fn serve(connections: usize, etag: &'static str, body: String) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let handle = std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let inm = read_if_none_match(&mut stream);
            log.lock().unwrap().push(inm.clone());
            let reply = if inm.as_deref() == Some(etag) {
                format!("HTTP/1.1 304 Not Modified\r\netag: {etag}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .into_bytes()
            } else {
                let mut r = format!(
                    "HTTP/1.1 200 OK\r\netag: {etag}\r\ncontent-type: application/xml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                )
                .into_bytes();
                r.extend(body.as_bytes());
                r
            };
            let _ = stream.write_all(&reply);
        }
    });
    (format!("http://{addr}"), seen, handle)
}

fn read_if_none_match(stream: &mut TcpStream) -> Option<String> {
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            break;
        }
        buf.push(byte[0]);
    }
    String::from_utf8_lossy(&buf)
        .split("\r\n")
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("if-none-match"))
        .map(|(_, v)| v.trim().to_string())
}

const TASK_TYPE: &str = r#"<Property Name="taskType" Type="Edm.String" Nullable="false" />"#;

#[test]
fn regen_from_a_url_downloads_then_revalidates_and_summarises_the_change() {
    let Some(beta) = shared_beta() else {
        return;
    };
    // Graph beta settles crossTenantMigrationTask.taskType into an enum.
    assert_eq!(beta.matches(TASK_TYPE).count(), 1);
    let task = r#"<EntityType Name="crossTenantMigrationTask" BaseType="graph.entity">"#;
    assert_eq!(beta.matches(task).count(), 1);
    let drifted = beta
        .replace(
            TASK_TYPE,
            r#"<Property Name="taskType" Type="graph.crossTenantMigrationTaskType" Nullable="false" />"#,
        )
        .replace(
            task,
            &format!(
                r#"<EnumType Name="crossTenantMigrationTaskType">
        <Member Name="user" Value="0" />
        <Member Name="unknownFutureValue" Value="1" />
      </EnumType>
      {task}"#
            ),
        );
    let root = scratch("regen-url");
    let (base, seen, server) = serve(2, "\"beta-1\"", drifted);
    let url = format!("{base}/beta/$metadata");

    let first = xtask(&root, &["regen", "--from", &url, "--timeout", "60"]);
    let (out, err) = text(&first);
    assert!(first.status.success(), "{out}\n{err}");
    assert!(out.contains(&format!("downloaded {url}")), "{out}");
    assert!(out.contains("cache not used"), "{out}");
    // A scratch root has no generated files yet: all are written, and the
    // listing stops at 20.
    let written: usize = out
        .split(" files written or removed")
        .next()
        .and_then(|head| head.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no file count in:\n{out}"));
    assert!(written > 60, "{out}");
    let listed = out
        .lines()
        .filter(|l| l.starts_with("  sdk/") || l.starts_with("  metadata/"))
        .count();
    assert_eq!(listed, 20, "{out}");
    assert!(
        out.contains(&format!(
            "  … and {} more (`git status` lists them all)",
            written - 20
        )),
        "{out}"
    );
    assert!(
        out.contains("schema changes: breaking (1 breaking, 1 additive, 0 deprecations, 0 notes)"),
        "{out}"
    );
    assert!(
        out.contains(
            "breaking: property type changed microsoft.graph.crossTenantMigrationTask/taskType (Edm.String → microsoft.graph.crossTenantMigrationTaskType)"
        ),
        "{out}"
    );
    assert!(
        out.contains("additive: type added microsoft.graph.crossTenantMigrationTaskType"),
        "{out}"
    );
    assert!(
        out.contains("suggested sdk version: 0.1.0 → 0.2.0 (minor"),
        "{out}"
    );
    let slice = std::fs::read_to_string(root.join(SLICE)).unwrap();
    assert!(slice.contains(r#"<EnumType Name="crossTenantMigrationTaskType">"#));
    let model = std::fs::read_to_string(
        root.join("sdk/src/generated/models/cross_tenant_migration_task.rs"),
    )
    .unwrap();
    assert!(model.contains("CrossTenantMigrationTaskType"));
    assert!(
        root.join("sdk/src/generated/models/cross_tenant_migration_task_type.rs")
            .is_file()
    );

    let second = xtask(&root, &["regen", "--from", &url]);
    let (out, err) = text(&second);
    assert!(second.status.success(), "{out}\n{err}");
    assert!(out.contains("304 Not Modified"), "{out}");
    assert!(out.contains("cache used"), "{out}");
    assert!(out.contains("0 files written or removed"), "{out}");
    assert!(out.contains("schema changes: none"), "{out}");
    assert!(
        out.contains("suggested sdk version: 0.1.0 unchanged"),
        "{out}"
    );
    server.join().unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [None, Some("\"beta-1\"".to_string())]
    );
    let cached: Vec<_> = std::fs::read_dir(root.join("target/metadata-cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(cached.len(), 2, "{cached:?}");
    assert!(cached.iter().any(|f| f.ends_with(".etag")));
    assert!(cached.iter().any(|f| f.ends_with(".csdl")));
}

#[test]
fn regen_from_an_unreachable_url_fails_and_writes_nothing() {
    let root = scratch("regen-unreachable");
    let before = std::fs::read_to_string(root.join(SLICE)).unwrap();
    // A port that was free a moment ago: connection refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = xtask(
        &root,
        &[
            "regen",
            "--from",
            &format!("http://127.0.0.1:{port}/beta/$metadata"),
            "--timeout",
            "5",
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}\n{err}");
    assert!(
        err.contains(&format!("GET http://127.0.0.1:{port}/beta/$metadata")),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(root.join(SLICE)).unwrap(), before);
}

/// The committed slice with `taskType` retyped and an enum member added.
fn edited_slice(root: &Path) -> PathBuf {
    let slice = std::fs::read_to_string(root.join(SLICE)).unwrap();
    let member = r#"<Member Name="unknownFutureValue" Value="2" />"#;
    assert_eq!(slice.matches(TASK_TYPE).count(), 1);
    let edited = slice
        .replace(
            TASK_TYPE,
            r#"<Property Name="taskType" Type="Edm.Int32" Nullable="false" />"#,
        )
        .replacen(
            &format!("{member}\n      </EnumType>"),
            &format!("{member}\n        <Member Name=\"assess\" Value=\"3\" />\n      </EnumType>"),
            1,
        );
    assert_ne!(edited, slice);
    let path = root.join("edited.csdl");
    std::fs::write(&path, edited).unwrap();
    path
}

#[test]
fn diff_of_two_files_as_markdown_and_json_with_fail_on() {
    let root = scratch("diff-files");
    let new = edited_slice(&root);
    let new = new.to_str().unwrap();

    let o = xtask(&root, &["diff", SLICE, new]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(
        out.starts_with("## Microsoft Graph beta metadata changes"),
        "{out}"
    );
    assert!(
        out.contains("**Classification: breaking** (1 breaking, 1 additive"),
        "{out}"
    );
    assert!(
        out.contains(
            "| `microsoft.graph.crossTenantMigrationTask/taskType` | property type changed | Edm.String → Edm.Int32 |"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "| `microsoft.graph.crossTenantMigrationJobType/assess` | enum member added |"
        ),
        "{out}"
    );
    assert!(
        out.contains("Suggested version of the sdk crate: **0.2.0**"),
        "{out}"
    );
    assert!(out.contains("### Metadata patches in force"), "{out}");

    let o = xtask(&root, &["diff", SLICE, new, "--format", "json"]);
    let (out, _) = text(&o);
    assert!(o.status.success());
    assert!(out.contains(r#""classification": "breaking""#), "{out}");
    assert!(out.contains(r#""kind": "enum_member_added""#), "{out}");
    assert!(out.contains(r#""next": "0.2.0""#), "{out}");

    let o = xtask(&root, &["diff", SLICE, new, "--fail-on", "breaking"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    assert!(
        out.contains("property type changed"),
        "the report is printed: {out}"
    );
    assert!(err.contains("--fail-on breaking"), "{err}");

    // Reversed, then only the member removal breaks; additive alone does
    // not fail --fail-on breaking but fails --fail-on additive.
    let slice = std::fs::read_to_string(root.join(SLICE)).unwrap();
    let member_only = root.join("member-only.csdl");
    std::fs::write(
        &member_only,
        std::fs::read_to_string(new).unwrap().replace(
            r#"<Property Name="taskType" Type="Edm.Int32" Nullable="false" />"#,
            TASK_TYPE,
        ),
    )
    .unwrap();
    assert_ne!(std::fs::read_to_string(&member_only).unwrap(), slice);
    let m = member_only.to_str().unwrap();
    let o = xtask(&root, &["diff", SLICE, m, "--fail-on", "breaking"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert!(text(&o).0.contains("**0.1.1**"), "{}", text(&o).0);
    let o = xtask(&root, &["diff", SLICE, m, "--fail-on", "additive"]);
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    let o = xtask(&root, &["diff", SLICE, SLICE, "--fail-on", "deprecation"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0));
    assert!(out.contains("No changes"), "{out}");
}

fn git(root: &Path, args: &[&str]) {
    let o = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "user.name=xtask test",
            "-c",
            "user.email=xtask@test.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "git {args:?}: {:?}", text(&o));
}

#[test]
fn diff_reads_git_revisions_of_the_committed_slice() {
    let root = scratch("diff-git");
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["add", SLICE]);
    git(&root, &["commit", "-q", "-m", "one"]);
    let edited = std::fs::read_to_string(edited_slice(&root)).unwrap();
    std::fs::write(root.join(SLICE), edited).unwrap();
    // The working tree against HEAD, as the regen workflow runs it.
    let o = xtask(&root, &["diff", "HEAD", SLICE, "--format", "json"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains(r#""old": "HEAD""#), "{out}");
    assert!(out.contains(r#""breaking": 1"#), "{out}");
    git(&root, &["commit", "-q", "-am", "two"]);
    let o = xtask(&root, &["diff", "HEAD~1", "main", "--fail-on", "breaking"]);
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    let o = xtask(&root, &["diff", &format!("HEAD~1:{SLICE}"), "HEAD"]);
    assert!(text(&o).0.contains("1 breaking"), "{:?}", text(&o));
    let o = xtask(&root, &["diff", "HEAD", SLICE]);
    assert!(text(&o).0.contains("No changes"), "{:?}", text(&o));
    let o = xtask(&root, &["diff", "no-such-rev", "HEAD"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("`no-such-rev` is neither a file nor a git revision holding metadata/graph-beta-migrations.csdl"),
        "{err}"
    );
}
