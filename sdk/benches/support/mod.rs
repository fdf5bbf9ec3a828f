//! Shared by the paging and memory benchmarks: a server in a child process
//! (so that its CPU time and allocations are not counted as the client's)
//! and streaming user identity mappings through the SDK's pager.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use futures::StreamExt;
use graph_migrations::Client;

pub(crate) const USER_MAPPINGS: &str =
    "/solutions/sharePoint/migrations/crossOrganizationUserMappings";

/// This benchmark binary run again as `--serve ARGS…`; it prints the base
/// URL it serves on and serves until its stdin closes, which dropping this
/// does.
pub(crate) struct ChildServer {
    child: Child,
    pub base_url: String,
}

impl ChildServer {
    pub(crate) fn start(args: &[String]) -> ChildServer {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .arg("--serve")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server child");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("base URL");
        ChildServer {
            child,
            base_url: line.trim().to_string(),
        }
    }
}

impl Drop for ChildServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// In the child: `--serve N PAGE` as passed by [`ChildServer::start`].
pub(crate) fn serve_args(args: &[String]) -> Option<(usize, usize)> {
    let i = args.iter().position(|a| a == "--serve")?;
    let number = |k: usize| -> usize {
        args.get(i + k)
            .and_then(|s| s.parse().ok())
            .expect("--serve N PAGE")
    };
    Some((number(1), number(2)))
}

/// The child's runtime: one worker, so that the server does not take both
/// cores from the client being measured.
pub(crate) fn child_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// In the child: tells the parent where to connect, then serves until the
/// parent closes stdin.
pub(crate) async fn announce_and_serve(base_url: &str) {
    println!("{base_url}");
    tokio::task::spawn_blocking(|| {
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
    })
    .await
    .ok();
}

/// Streams every user identity mapping through `Pager::items()` in pages of
/// `top`, keeping none; returns how many were decoded with their id.
pub(crate) async fn stream_user_mappings(client: &Client, top: u32) -> usize {
    let items = client
        .solutions()
        .share_point()
        .migrations()
        .cross_organization_user_mappings()
        .get()
        .top(top)
        .items();
    let mut items = std::pin::pin!(items);
    let mut n = 0;
    while let Some(item) = items.next().await {
        let item = item.expect("item");
        n += usize::from(item.id.is_set());
    }
    n
}
