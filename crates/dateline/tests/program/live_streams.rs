//! The live-update streams of a running `dateline demo`: readers following the demo's live
//! story have their streams ended as soon as the server is asked to stop (SIGTERM), so a
//! deploy does not wait out the shutdown grace on them, and the browsers reconnect elsewhere.

use crate::support::Running;
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_stopping_server_ends_the_readers_live_streams_at_once() {
    let data = tempfile::tempdir().expect("data folder");
    let server = Running::start(&["demo", "--listen", "127.0.0.1:0", "--data-dir", &data.path().display().to_string()]);
    let live =
        server.find_article(|p| !dateline_testkit::attributes(p, ".live[data-live-events]", "class").is_empty()).await;
    let page = server.page(&live).await;
    let events = dateline_testkit::attributes(&page, ".live", "data-live-events").pop().expect("events address");
    let mut streams = Vec::new();
    for _ in 0..3 {
        let stream = reqwest::get(format!("{}{events}", server.base_url)).await.expect("listen");
        assert_eq!(stream.status(), 200);
        streams.push(stream);
    }
    let asked = Instant::now();
    let stopped = std::process::Command::new("kill").args(["-TERM", &server.pid().to_string()]).status().expect("kill");
    assert!(stopped.success());
    for mut stream in streams {
        // Whatever was still in flight (a keep-alive comment), then the end.
        loop {
            let read = tokio::time::timeout(Duration::from_secs(5), stream.chunk()).await;
            match read.expect("the stream ends within seconds, not after the grace period") {
                Ok(Some(_)) => continue,
                Ok(None) | Err(_) => break,
            }
        }
    }
    assert!(asked.elapsed() < Duration::from_secs(5), "ended after {:?}", asked.elapsed());
}
