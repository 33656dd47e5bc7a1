//! The OpenAPI 3.1 document of every route under `/api/`, generated from the handlers' own
//! annotations and the answer types' derives (utoipa), so it cannot drift from the code; and
//! a readable page of it. A test fails when a route of `/api/` is missing from the document.

use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dateline API",
        description = "The paper's content for apps, partners and scripts, and the wire endpoint agencies deliver to. Errors come in one shape: {\"errors\": [{\"code\", \"detail\", \"field\"}]}. docs/API.md is the guide.",
        version = "1"
    ),
    paths(
        super::stories::list,
        super::stories::one,
        super::catalog::sections,
        super::catalog::authors,
        super::catalog::topics,
        super::catalog::pages,
        super::lists::latest,
        super::lists::popular,
        super::lists::corrections,
        super::writes::create,
        super::writes::act,
        super::writes::create_topic,
        super::writes::update_topic,
        super::writes::upload_photo,
        crate::site::search::api,
        crate::wire::deliver,
        super::syndication::feed,
        document,
        readable,
    ),
    components(schemas(
        crate::error::ApiErrors,
        crate::error::ApiError,
        super::writes::StoryAction,
        super::syndication::FeedFormat,
        super::stories::StoryFormat,
        super::stories::LabelAsked,
        super::syndication::SyndicationPage
    )),
    modifiers(&WireToken),
    tags(
        (name = "content", description = "What readers may see, read-only and public"),
        (name = "write", description = "Stories and topics, for holders of a key, within the key's role"),
        (name = "wire", description = "Agency deliveries"),
        (name = "syndication", description = "Partners' feeds of the paper's stories, with a partner's token"),
        (name = "meta", description = "This document"),
    )
)]
pub(crate) struct ApiDoc;

/// The bearer tokens: a wire source's (made on the desk or with `dateline wire`), a partner's
/// (made on the desk or with `dateline partner`), and a write-API key (made on the desk or
/// with `dateline api-key`).
struct WireToken;

impl Modify for WireToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for scheme in ["wire_token", "partner_token"] {
            components.add_security_scheme(
                scheme,
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The document as JSON text, made once.
pub(crate) fn document_json() -> &'static str {
    static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOCUMENT.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|_| "{}".to_owned()))
}

#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "This document (OpenAPI 3.1)", content_type = "application/json")))]
pub(crate) async fn document(State(_state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=300")],
        document_json(),
    )
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/docs", tag = "meta",
    responses((status = 200, description = "This document as a page to read", content_type = "text/html")))]
pub(crate) async fn readable(State(_state): State<AppState>) -> Response {
    let doc = ApiDoc::openapi();
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Dateline API</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head><body><main>\
         <h1>Dateline API</h1><p>The machine-readable document is <a href=\"/api/v1/openapi.json\">openapi.json</a>.</p>",
    );
    if let Some(description) = &doc.info.description {
        html.push_str(&format!("<p>{}</p>", escape(description)));
    }
    for (path, item) in &doc.paths.paths {
        for (method, operation) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ] {
            let Some(operation) = operation else { continue };
            html.push_str(&format!("<section><h2><code>{method} {}</code></h2>", escape(path)));
            if let Some(summary) = operation.summary.as_deref().or(operation.description.as_deref()) {
                html.push_str(&format!("<p>{}</p>", escape(summary)));
            }
            if let Some(parameters) = &operation.parameters {
                html.push_str("<dl>");
                for parameter in parameters {
                    html.push_str(&format!(
                        "<dt><code>{}</code></dt><dd>{}</dd>",
                        escape(&parameter.name),
                        escape(parameter.description.as_deref().unwrap_or(""))
                    ));
                }
                html.push_str("</dl>");
            }
            html.push_str("<ul>");
            for (status, response) in &operation.responses.responses {
                let text = match response {
                    utoipa::openapi::RefOr::T(response) => response.description.clone(),
                    utoipa::openapi::RefOr::Ref(reference) => reference.ref_location.clone(),
                };
                html.push_str(&format!("<li><code>{}</code> {}</li>", escape(status), escape(&text)));
            }
            html.push_str("</ul></section>");
        }
    }
    html.push_str("</main></body></html>");
    ([(header::CACHE_CONTROL, "public, max-age=300")], Html(html)).into_response()
}
