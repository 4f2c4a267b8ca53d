//! The baseline of `scripts/bench-hot-path`: a bare axum server that answers every GET with
//! the same bytes (given in a file), with nothing around the handler: no validation, read
//! model, middleware or logs. What our server does on top of this is what the bench prices.
//!
//! A binary of the API crate rather than an example, so that building it does not bring the
//! dev-dependencies' features into the release build it is compared with.
//!
//! Usage: `bare-axum ADDR BODY_FILE`

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(file)) = (args.next(), args.next()) else {
        eprintln!("usage: bare-axum ADDR BODY_FILE");
        std::process::exit(2);
    };
    let body: &'static [u8] = Vec::leak(std::fs::read(&file).expect("the body file"));
    let app = Router::new().fallback(axum::routing::get(move || async move {
        ([(header::CONTENT_TYPE, "application/json")], body).into_response()
    }));
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("the address");
    axum::serve(listener, app).await.expect("the server");
}
