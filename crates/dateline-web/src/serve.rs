//! Accepting connections: HTTP/1.1 with every timeout a client could otherwise stretch, and a
//! cap on how many connections one process holds.
//!
//! axum's own `serve` sets no timer, so a client that connects and sends nothing, sends its
//! headers a byte at a time, or trickles its body, holds a connection (a file descriptor, some
//! memory) for as long as it likes; eight thousand of them were all still held 42 s later.
//! Here:
//! - a request's headers must arrive within `header_read_timeout`, and a kept-alive connection
//!   waiting for its next request is closed after that long too (hyper's timer);
//! - a whole request, body included, must be answered within `request_timeout`, else 408;
//! - at most `max_connections` are open at once; one more is answered `503` with `Retry-After`
//!   and closed at once, so the process never runs out of descriptors;
//! - on shutdown the listener closes, open connections finish their current request, and
//!   after `shutdown_grace` the rest are dropped.
//!
//! A [`Front`] may answer a request before the router sees it: the reader pages kept in
//! memory are answered there ([`crate::kept_pages_front`]), with the headers, counting and
//! logging the layers would have given them, since routing and the layers cost a kept page
//! more than the page itself.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;

/// The limits a connection lives under; `dateline.example.toml` lists them under `[http]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub header_read_timeout: Duration,
    pub request_timeout: Duration,
    pub max_connections: usize,
    pub shutdown_grace: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_connections: 4096,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Answers what it can before routing; `None` hands the request to the router.
pub type Front = Arc<
    dyn Fn(&axum::http::Method, &axum::http::Uri, &axum::http::HeaderMap) -> Option<axum::response::Response>
        + Send
        + Sync,
>;

/// The answer to a connection over the cap, written straight to the socket.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 47\r\nConnection: close\r\n\r\nToo many connections; please try again shortly.";

/// Serves `router` on `listener` under `limits` until `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_with_front(listener, None, router, limits, shutdown).await
}

/// [`serve`], with `front` answering first what it can.
pub async fn serve_with_front(
    listener: TcpListener,
    front: Option<Front>,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let router = router.layer(tower_http::timeout::TimeoutLayer::with_status_code(
        axum::http::StatusCode::REQUEST_TIMEOUT,
        limits.request_timeout,
    ));
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let (mut stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or a connection reset before it was taken: wait a
                    // moment rather than spin.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Finished connections are reaped as we go, so the set does not grow.
        while connections.try_join_next().is_some() {}
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            connections.spawn(async move {
                let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(BUSY)).await;
                let _ = stream.shutdown().await;
            });
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let front = front.clone();
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let _permit = permit;
            let service = hyper::service::service_fn(move |mut request: axum::http::Request<hyper::body::Incoming>| {
                use futures_util::future::{ready, Either};
                match front.as_ref().and_then(|front| front(request.method(), request.uri(), request.headers())) {
                    Some(answered) => Either::Left(ready(Ok(answered))),
                    None => {
                        request.extensions_mut().insert(ConnectInfo(peer));
                        Either::Right(router.clone().oneshot(request.map(axum::body::Body::new)))
                    }
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
            let connection = builder.serve_connection(TokioIo::new(stream), service).with_upgrades();
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = stop_asked(&mut stopping) => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_grace, drained).await.is_err() {
        tracing::warn!("connections still open after the shutdown grace period were dropped");
    }
    Ok(())
}

/// Completes once the server is asked to stop (or the server is gone).
async fn stop_asked(stopping: &mut watch::Receiver<bool>) {
    loop {
        if *stopping.borrow_and_update() {
            return;
        }
        if stopping.changed().await.is_err() {
            return;
        }
    }
}
