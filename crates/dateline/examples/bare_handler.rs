//! The calibration line of `benches/pages.sh`: the plainest axum server there is, answering
//! every GET with the same bytes from memory (the article page Dateline served), on the same
//! runtime Dateline starts. Dateline ÷ bare tells what Dateline's own layers cost; bare ÷
//! nginx tells what the machine and the stack allow, so figures from two machines can be
//! compared.
//!
//! Usage: bare_handler FILE PORT (listens on 127.0.0.1 only; stops when killed).

use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let file = args.next().ok_or("give the file to serve")?;
    let port: u16 = args.next().ok_or("give the port")?.parse()?;
    let body = Bytes::from(std::fs::read(&file)?);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let app = axum::Router::new().fallback(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response() }
        });
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        axum::serve(listener, app).await
    })?;
    Ok(())
}
