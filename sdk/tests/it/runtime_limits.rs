//! A response body larger than the client accepts ends the request with a
//! typed error that keeps the status and both request ids, whether its
//! length is declared or it arrives chunked.

use crate::support::*;
use graph_migrations::runtime::{Error, RequestPath};
use http::Method;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn big_json(n: usize) -> String {
    format!("{{\"value\":\"{}\"}}", "x".repeat(n))
}

#[tokio::test]
async fn declared_length_over_the_limit_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(big_json(4096), "application/json")
                .insert_header("request-id", "req-big-1"),
        )
        .mount(&server)
        .await;
    let small = builder(&server).max_response_bytes(1024).build().unwrap();
    let err = small
        .request(Method::GET, RequestPath::root().segment("big"))
        .send::<Value>()
        .await
        .unwrap_err();
    // The response was received: its status and both request ids stay, as
    // for every other error with a response.
    assert_eq!(err.status(), Some(http::StatusCode::OK));
    assert_eq!(err.request_id(), Some("req-big-1"));
    let sent = server.received_requests().await.unwrap()[0]
        .headers
        .get("client-request-id")
        .map(|v| v.to_str().unwrap().to_string());
    assert!(sent.is_some());
    assert_eq!(err.client_request_id(), sent.as_deref());
    match err {
        Error::ResponseTooLarge {
            limit,
            status,
            path_template,
            ..
        } => {
            assert_eq!(limit, 1024);
            assert_eq!(status, 200);
            assert_eq!(path_template, "/big");
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    // The same response under a larger limit decodes.
    let ok = builder(&server).max_response_bytes(8192).build().unwrap();
    let v: Value = ok
        .request(Method::GET, RequestPath::root().segment("big"))
        .send()
        .await
        .unwrap();
    assert_eq!(v["value"].as_str().unwrap().len(), 4096);
    // The oversized response is not retried.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn chunked_body_over_the_limit_is_refused_without_reading_it_all() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await?;
        // Read the whole request head before answering.
        let (mut head, mut buf) = (Vec::new(), [0u8; 1024]);
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = sock.read(&mut buf).await?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            head.extend_from_slice(&buf[..n]);
        }
        let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        sock.write_all(answer.as_bytes()).await?;
        // Far more than the limit, in 1 KiB chunks; the client stops early.
        let chunk = format!("400\r\n{}\r\n", "y".repeat(1024));
        for _ in 0..64 {
            sock.write_all(chunk.as_bytes()).await?;
        }
        sock.write_all(b"0\r\n\r\n").await
    });
    let client = graph_migrations::Client::builder()
        .base_url(format!("http://{addr}"))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(0))
        .max_response_bytes(4 * 1024)
        .build()
        .unwrap();
    let err = client
        .request(Method::GET, RequestPath::root().segment("chunked"))
        .send::<Value>()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 4096, .. }),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("SUPER-SECRET"));
    // The server wrote its answer, all of it into the socket buffers or
    // until the client hung up: nothing else went wrong on its side.
    if let Err(e) = server.await.unwrap() {
        assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            ),
            "the server failed otherwise than by the client hanging up: {e}"
        );
    }
}

/// A server that accepts the connection and never answers does not hold a
/// request forever: without a timeout of its own, an attempt ends after
/// `DEFAULT_TIMEOUT` (here on tokio's paused clock, so at once).
#[tokio::test(start_paused = true)]
async fn an_attempt_times_out_by_default() {
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    let client = graph_migrations::Client::builder()
        .base_url(format!("http://{addr}"))
        .bearer_token(TOKEN)
        .retry_policy(fast_retry(0))
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let err = client
        .request(Method::GET, RequestPath::root().segment("silent"))
        .send::<Value>()
        .await
        .unwrap_err();
    match &err {
        Error::Transport { source, .. } => assert!(source.is_timeout(), "{err:?}"),
        other => panic!("{other:?}"),
    }
    assert!(start.elapsed() >= graph_migrations::runtime::DEFAULT_TIMEOUT);
}
