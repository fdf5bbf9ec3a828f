//! The HTTP server: connection handling, fault injection, auth, dispatch.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;

use crate::error::{GResult, GraphError};
use crate::faults::{FaultConfig, FaultKind, Faults};
use crate::request::{Body as RespBody, Req, Resp};
use crate::routes::{self, Route};
use crate::stats::Stats;
use crate::{Scenarios, SimClock, SimState, auth, expand, jobs, mappings, odata, sharepoint};

pub(crate) struct Ctx {
    pub state: SimState,
    pub faults: Faults,
    pub stats: Stats,
    pub clock: SimClock,
    pub local_addr: SocketAddr,
}

const JSON_CT: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Every response body is built in memory.
type Body = Full<Bytes>;

fn full(data: impl Into<Bytes>) -> Body {
    Full::new(data.into())
}

/// The request body, at most `MAX_BODY` bytes (a larger or broken body reads as empty).
async fn read_body(body: Incoming) -> Bytes {
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => Bytes::new(),
    }
}

/// Accept loop; each connection is served by hyper (HTTP/1.1) and can be
/// killed from inside a request to simulate a dropped connection.
pub(crate) async fn run(listener: TcpListener, ctx: Arc<Ctx>, mut shutdown: watch::Receiver<bool>) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let ctx = ctx.clone();
                let mut sd = shutdown.clone();
                conns.spawn(async move {
                    let kill = Arc::new(Notify::new());
                    let kill_in = kill.clone();
                    let svc = service_fn(move |req: Request<Incoming>| {
                        let ctx = ctx.clone();
                        let kill = kill_in.clone();
                        async move { Ok::<_, Infallible>(handle(ctx, kill, req).await) }
                    });
                    let conn = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), svc);
                    tokio::select! {
                        _ = conn => {}
                        _ = kill.notified() => {}
                        _ = sd.changed() => {}
                    }
                });
            }
            _ = shutdown.changed() => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    conns.abort_all();
}

fn origin(headers: &http::HeaderMap, local: SocketAddr) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| local.to_string());
    format!("http://{host}")
}

fn date_string(ctx: &Ctx) -> String {
    let now = ctx.clock.now();
    let s = odata::fmt_dt(now.replace_nanosecond(0).unwrap_or(now));
    s.trim_end_matches('Z').to_string()
}

fn error_body(ctx: &Ctx, e: &GraphError, request_id: &str, client_request_id: &str) -> Value {
    json!({
        "error": {
            "code": e.code,
            "message": e.message,
            "innerError": {
                "date": date_string(ctx),
                "request-id": request_id,
                "client-request-id": client_request_id,
            }
        }
    })
}

fn json_response(status: StatusCode, v: &Value) -> Response<Body> {
    let mut r = Response::new(full(serde_json::to_vec(v).unwrap_or_default()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CT));
    r
}

fn error_response(
    ctx: &Ctx,
    e: &GraphError,
    request_id: &str,
    client_request_id: &str,
) -> Response<Body> {
    let mut r = json_response(e.status, &error_body(ctx, e, request_id, client_request_id));
    for (name, value) in &e.headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            r.headers_mut().insert(*name, v);
        }
    }
    r
}

fn finish(mut r: Response<Body>, request_id: &str, client_request_id: &str) -> Response<Body> {
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(client_request_id) {
        h.insert("client-request-id", v);
    }
    h.insert("odata-version", HeaderValue::from_static("4.0"));
    r
}

async fn handle(ctx: Arc<Ctx>, kill: Arc<Notify>, req: Request<Incoming>) -> Response<Body> {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = req
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| request_id.clone());
    let raw_path = req.uri().path().to_string();
    if raw_path == "/_sim" || raw_path.starts_with("/_sim/") {
        let r = admin(&ctx, req).await;
        return finish(r, &request_id, &client_request_id);
    }
    let method = req.method().clone();
    let parsed = routes::parse(&raw_path);
    let template = match &parsed.route {
        Ok(r) => r.template(),
        Err(_) => "UNMATCHED".to_string(),
    };
    ctx.stats.record_request(method.as_str(), &template);

    let decision = ctx.faults.decide(&raw_path);
    if let Some(delay) = decision.slow {
        ctx.stats.record_fault(FaultKind::Slow);
        tokio::time::sleep(delay).await;
    }
    if let Some(kind) = decision.pre {
        ctx.stats.record_fault(kind);
        let resp = match kind {
            FaultKind::DropConnection => {
                kill.notify_one();
                std::future::pending::<()>().await;
                unreachable!()
            }
            FaultKind::Html502 => {
                let html = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1><p>The gateway received an invalid response from the upstream server.</p></body></html>\n";
                let mut r = Response::new(full(html));
                *r.status_mut() = StatusCode::BAD_GATEWAY;
                r.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
                r
            }
            FaultKind::Unavailable503 => error_response(
                &ctx,
                &GraphError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "serviceNotAvailable",
                    "The service is temporarily unavailable. Please retry later.",
                )
                .with_header("retry-after", decision.retry_after_secs.to_string()),
                &request_id,
                &client_request_id,
            ),
            _ => error_response(
                &ctx,
                &GraphError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                    "Too many requests. Please retry after the time given in the Retry-After header.",
                )
                .with_header("retry-after", decision.retry_after_secs.to_string()),
                &request_id,
                &client_request_id,
            ),
        };
        ctx.stats
            .record_status(method.as_str(), &template, resp.status().as_u16());
        return finish(resp, &request_id, &client_request_id);
    }

    let (parts, body) = req.into_parts();
    let body = read_body(body).await;
    ctx.stats.record_body(method.as_str(), &template, &body);
    let r = Req {
        method: parts.method.clone(),
        raw_path: raw_path.clone(),
        query: odata::parse_query(parts.uri.query()),
        origin: origin(&parts.headers, ctx.local_addr),
        headers: parts.headers,
        body,
        prefix: parsed.prefix.clone(),
        expand: Vec::new(),
    };
    let accept_any = ctx.state.config().accept_any_token;
    let result = auth::token_permissions(&r.headers, accept_any).and_then(|perms| {
        let route = parsed.route?;
        auth::authorize(&perms, route.family(), &r.method)?;
        let r = Req {
            expand: expand::requested(&r, &route)?,
            ..r
        };
        dispatch(&ctx, &route, &r)
    });
    let mut resp = match result {
        Ok(resp) => render(resp),
        Err(e) => error_response(&ctx, &e, &request_id, &client_request_id),
    };
    if decision.malformed {
        ctx.stats.record_fault(FaultKind::MalformedJson);
        resp = Response::new(full("{\"@odata.context\":\"truncated"));
        resp.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CT));
    }
    ctx.stats
        .record_status(method.as_str(), &template, resp.status().as_u16());
    finish(resp, &request_id, &client_request_id)
}

fn render(resp: Resp) -> Response<Body> {
    match resp.body {
        RespBody::Json(v) => json_response(resp.status, &v),
        RespBody::Text(t) => {
            let mut r = Response::new(full(t));
            *r.status_mut() = resp.status;
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            r
        }
        RespBody::Empty => {
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = resp.status;
            r
        }
    }
}

fn dispatch(ctx: &Ctx, route: &Route, req: &Req) -> GResult<Resp> {
    let now = ctx.clock.now();
    let mut store = ctx.state.lock();
    let s = &mut *store;
    match route {
        Route::MigrationsRoot => jobs::migrations_root(s, req),
        Route::Jobs => jobs::jobs_collection(s, req, now),
        Route::JobsCount => jobs::jobs_count(s, req),
        Route::JobsValidate => jobs::jobs_validate(s, req, now),
        Route::Job(k) => jobs::job_item(s, req, k, now),
        Route::JobAction(k, a) => jobs::job_action(s, req, k, *a, now),
        Route::JobUsers(k) => jobs::job_users(s, req, k, now),
        Route::JobUsersCount(k) => jobs::job_users_count(s, req, k),
        Route::JobUser(k, t) => jobs::job_user(s, req, k, t, now),
        Route::JobUserCancel(k, t) => jobs::job_user_cancel(s, req, k, t, now),
        Route::SpRoot => sharepoint::sp_root(s, req),
        Route::SpTasks => sharepoint::tasks_collection(s, req, now),
        Route::SpTasksCount => sharepoint::tasks_count(s, req),
        Route::SpTask(id) => sharepoint::task_item(s, req, id, now),
        Route::SpTaskCancel(id) => sharepoint::task_cancel(s, req, id, now),
        Route::SpGetBy(by, v) => sharepoint::get_by(s, req, *by, v.as_deref()),
        Route::Maps(kind) => mappings::collection(s, req, *kind),
        Route::MapsCount(kind) => mappings::count(s, req, *kind),
        Route::Map(kind, key) => mappings::item(s, req, *kind, key),
    }
}

// ---------------------------------------------------------------------------
// Admin endpoints (no auth, not counted, never faulted)

async fn admin(ctx: &Ctx, req: Request<Incoming>) -> Response<Body> {
    let method = req.method().clone();
    let path = req.uri().path().trim_end_matches('/').to_string();
    let query = odata::parse_query(req.uri().query());
    let body = read_body(req.into_body()).await;
    let bad = |msg: &str| json_response(StatusCode::BAD_REQUEST, &json!({"error": msg}));
    match (method, path.as_str()) {
        (Method::GET, "/_sim/stats") => json_response(StatusCode::OK, &json!(ctx.stats.snapshot())),
        (Method::POST, "/_sim/stats/reset") => {
            ctx.stats.reset();
            json_response(StatusCode::OK, &json!({"reset": true}))
        }
        (Method::GET, "/_sim/clock") => json_response(
            StatusCode::OK,
            &json!({"now": odata::fmt_dt(ctx.clock.now()), "rate": ctx.clock.rate()}),
        ),
        (Method::POST, "/_sim/clock/advance") => {
            let secs = query
                .iter()
                .find(|(k, _)| k == "seconds")
                .and_then(|(_, v)| v.parse::<f64>().ok());
            match secs {
                Some(s) if s >= 0.0 && s.is_finite() => {
                    ctx.clock.advance(std::time::Duration::from_secs_f64(s));
                    json_response(
                        StatusCode::OK,
                        &json!({"now": odata::fmt_dt(ctx.clock.now())}),
                    )
                }
                _ => bad("query parameter 'seconds' (non-negative number) is required"),
            }
        }
        (Method::GET, "/_sim/faults") => json_response(StatusCode::OK, &json!(ctx.faults.get())),
        (Method::PUT | Method::POST, "/_sim/faults") => {
            match serde_json::from_slice::<FaultConfig>(&body) {
                Ok(cfg) => {
                    ctx.faults.set(cfg);
                    json_response(StatusCode::OK, &json!(ctx.faults.get()))
                }
                Err(e) => bad(&format!("invalid fault configuration: {e}")),
            }
        }
        (Method::DELETE, "/_sim/faults") => {
            ctx.faults.clear();
            json_response(StatusCode::OK, &json!(ctx.faults.get()))
        }
        (Method::GET, "/_sim/scenarios") => {
            json_response(StatusCode::OK, &json!(ctx.state.scenarios()))
        }
        (Method::PUT, "/_sim/scenarios") => match serde_json::from_slice::<Scenarios>(&body) {
            Ok(s) => {
                ctx.state.set_scenarios(s);
                json_response(StatusCode::OK, &json!(ctx.state.scenarios()))
            }
            Err(e) => bad(&format!("invalid scenarios: {e}")),
        },
        _ => json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": "unknown admin endpoint"}),
        ),
    }
}
