//! Health (the process answers) and readiness (the database answers) probes.

use crate::guard::AppExt;
use crate::problem::Problem;
use axum::Extension;
use axum::Json;
use axum::response::{IntoResponse, Response};
use bursar_domain::ErrorCode;
use serde_json::json;

pub async fn healthz() -> Response {
    Json(json!({ "status": "ok" })).into_response()
}

pub async fn readyz(Extension(app): AppExt) -> Response {
    match app.ready().await {
        Ok(()) => Json(json!({ "status": "ready" })).into_response(),
        Err(e) => {
            tracing::warn!(error = %bursar_app::error::Chain(&e), "not ready");
            Problem::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::NotReady,
                "The database does not answer.",
            )
            .into_response()
        }
    }
}
