//! Processing modules (reference §1.7): what provisions a service. A *manual* module turns
//! the work into a task for a department (tasks arrive with services); an *external
//! program* (BILLmanager's custom module) is an executable, or an HTTP endpoint, called with
//! a JSON document `{operation, service, tariff, addons, parameters}` that answers `{ok,
//! parameters, message}`. Calls go through the [`ModuleRunner`] port and never happen inside
//! a database transaction; secrets are stored but never shown back.

use super::{catalog_ref, not_found, parse_id, required_name};
use crate::error::AppError;
use crate::ports::{
    CatalogId, ModuleAnswer, ModuleKind, ModuleOperation, ModuleRecord, ModuleRequest,
};
use crate::{App, Principal};
use bursar_domain::functions::f;
use bursar_domain::history::Changes;
use bursar_domain::{DepartmentId, ErrorCode, Invalid};

#[derive(Clone, Debug, Default)]
pub struct ModuleInput {
    pub name: Option<String>,
    /// `manual`, `program` or `http`.
    pub kind: Option<String>,
    pub department_id: Option<String>,
    pub command: Option<String>,
    pub url: Option<String>,
    /// A new secret; absent keeps the stored one, empty removes it.
    pub secret: Option<String>,
    pub timeout_secs: Option<i64>,
    pub is_active: Option<bool>,
}

/// Whether `path` is an absolute path to an executable file (checked before the use case's
/// transaction: it reads the file system).
fn executable(path: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let p = std::path::Path::new(path);
    p.is_absolute()
        && std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

impl App {
    pub async fn modules(&self, who: &Principal) -> Result<Vec<ModuleRecord>, AppError> {
        who.require_any(&[f::CATALOG_MODULES, f::CATALOG_VIEW, f::CATALOG_EDIT])?;
        let mut tx = self.store.read().await?;
        let list = tx.modules().await?;
        tx.commit().await?;
        Ok(list)
    }

    pub async fn save_module(
        &self,
        who: &Principal,
        id: Option<CatalogId>,
        input: ModuleInput,
    ) -> Result<ModuleRecord, AppError> {
        let command_ok = input.command.as_deref().map(|c| executable(c.trim()));
        let input = &input;
        self.write(who, f::CATALOG_MODULES, |w| {
            Box::pin(async move {
                let now = w.now();
                let old = match id {
                    Some(id) => Some(
                        w.tx()
                            .module(id)
                            .await?
                            .ok_or(not_found("processing module"))?,
                    ),
                    None => None,
                };
                let mut invalid = Invalid::default();
                let name = required_name(
                    &mut invalid,
                    "name",
                    input.name.as_deref(),
                    old.as_ref().map(|o| o.name.as_str()),
                    100,
                );
                let kind = match input.kind.as_deref() {
                    Some(raw) => ModuleKind::parse(raw.trim()).unwrap_or_else(|| {
                        invalid.push(
                            "kind",
                            ErrorCode::Invalid,
                            "must be manual, program or http",
                        );
                        ModuleKind::Manual
                    }),
                    None => old.as_ref().map_or(ModuleKind::Manual, |o| o.kind),
                };
                let department_id = match input.department_id.as_deref() {
                    Some(raw) => match parse_id(&mut invalid, "department_id", raw) {
                        Some(d) => {
                            let d = DepartmentId(d);
                            if w.tx().department_by_id(d).await?.is_none() {
                                invalid.push(
                                    "department_id",
                                    ErrorCode::UnknownDepartment,
                                    "no such department",
                                );
                            }
                            Some(d)
                        }
                        None => None,
                    },
                    None => old.as_ref().and_then(|o| o.department_id),
                };
                let command = match &input.command {
                    Some(c) => Some(c.trim().to_owned()).filter(|c| !c.is_empty()),
                    None => old.as_ref().and_then(|o| o.command.clone()),
                };
                let url = match &input.url {
                    Some(u) => Some(u.trim().to_owned()).filter(|u| !u.is_empty()),
                    None => old.as_ref().and_then(|o| o.url.clone()),
                };
                match kind {
                    ModuleKind::Program => match (&command, command_ok) {
                        (None, _) => invalid.push(
                            "command",
                            ErrorCode::Required,
                            "the program to run is required",
                        ),
                        (Some(_), Some(false)) => invalid.push(
                            "command",
                            ErrorCode::InvalidModule,
                            "must be the absolute path of an executable file",
                        ),
                        _ => {}
                    },
                    ModuleKind::Http => match &url {
                        None => {
                            invalid.push("url", ErrorCode::Required, "the endpoint is required")
                        }
                        Some(u)
                            if !(u.starts_with("http://") || u.starts_with("https://"))
                                || u.len() > 500 =>
                        {
                            invalid.push(
                                "url",
                                ErrorCode::InvalidModule,
                                "must be an http:// or https:// address",
                            )
                        }
                        _ => {}
                    },
                    ModuleKind::Manual => {}
                }
                let timeout_secs = input
                    .timeout_secs
                    .or(old.as_ref().map(|o| o.timeout_secs))
                    .unwrap_or(30);
                if !(1..=600).contains(&timeout_secs) {
                    invalid.push(
                        "timeout_secs",
                        ErrorCode::OutOfRange,
                        "must be 1 to 600 seconds",
                    );
                }
                let secret = match &input.secret {
                    Some(s) if s.is_empty() => None,
                    Some(s) if s.chars().count() > 500 => {
                        invalid.push(
                            "secret",
                            ErrorCode::TooLong,
                            "must have at most 500 characters",
                        );
                        None
                    }
                    Some(s) => Some(s.clone()),
                    None => old.as_ref().and_then(|o| o.secret.clone()),
                };
                invalid.into_result()?;
                let m = ModuleRecord {
                    id: old.as_ref().map_or_else(uuid::Uuid::now_v7, |o| o.id),
                    name,
                    kind,
                    department_id,
                    command: if kind == ModuleKind::Program {
                        command
                    } else {
                        None
                    },
                    url: if kind == ModuleKind::Http { url } else { None },
                    secret,
                    timeout_secs,
                    is_active: input
                        .is_active
                        .or(old.as_ref().map(|o| o.is_active))
                        .unwrap_or(true),
                    created_at: old.as_ref().map_or(now, |o| o.created_at),
                    updated_at: now,
                };
                let show = |o: &Option<String>| o.clone().unwrap_or_default();
                let mut changes = Changes::default();
                let before = old.as_ref();
                changes = changes
                    .diff(
                        "name",
                        &before.map(|o| o.name.clone()).unwrap_or_default(),
                        &m.name,
                    )
                    .diff(
                        "kind",
                        &before.map(|o| o.kind.key().to_owned()).unwrap_or_default(),
                        &m.kind.key().to_owned(),
                    )
                    .diff(
                        "command",
                        &before.map(|o| show(&o.command)).unwrap_or_default(),
                        &show(&m.command),
                    )
                    .diff(
                        "url",
                        &before.map(|o| show(&o.url)).unwrap_or_default(),
                        &show(&m.url),
                    )
                    .diff(
                        "timeout_secs",
                        &before.map_or(0, |o| o.timeout_secs),
                        &m.timeout_secs,
                    )
                    .diff("active", &before.is_some_and(|o| o.is_active), &m.is_active);
                if before.map(|o| &o.secret) != Some(&m.secret) && input.secret.is_some() {
                    changes = changes.secret("secret");
                }
                match &old {
                    Some(_) => w.tx().update_module(&m).await?,
                    None => w.tx().insert_module(&m).await?,
                }
                if !changes.is_empty() {
                    let action = if old.is_some() { "update" } else { "create" };
                    w.record(catalog_ref("processing_module", m.id), action, changes);
                }
                Ok(m)
            })
        })
        .await
    }

    pub async fn delete_module(&self, who: &Principal, id: CatalogId) -> Result<(), AppError> {
        self.write(who, f::CATALOG_MODULES, |w| {
            Box::pin(async move {
                let m = w
                    .tx()
                    .module(id)
                    .await?
                    .ok_or(not_found("processing module"))?;
                if w.tx().module_uses(id).await? > 0 {
                    return Err(AppError::rule(
                        ErrorCode::ModuleInUse,
                        "a product type uses this processing module",
                    ));
                }
                w.tx().delete_module(id).await?;
                w.record(
                    catalog_ref("processing_module", id),
                    "delete",
                    Changes::default().diff("name", &m.name, &String::new()),
                );
                Ok(())
            })
        })
        .await
    }

    /// "Check connection": runs the module's `check` operation, outside any transaction,
    /// and reports its answer (or why there was none) in words.
    pub async fn check_module(
        &self,
        who: &Principal,
        id: CatalogId,
    ) -> Result<ModuleAnswer, AppError> {
        who.require(f::CATALOG_MODULES)?;
        let mut tx = self.store.read().await?;
        let module = tx.module(id).await?.ok_or(not_found("processing module"))?;
        tx.commit().await?;
        let request = ModuleRequest {
            operation: ModuleOperation::Check,
            service: serde_json::Value::Null,
            tariff: serde_json::Value::Null,
            addons: serde_json::json!([]),
            parameters: serde_json::json!({}),
        };
        let Some(runner) = &self.modules else {
            return Ok(ModuleAnswer {
                ok: false,
                parameters: serde_json::Map::new(),
                message: "no module runner is configured".to_owned(),
            });
        };
        match runner.call(&module, &request).await {
            Ok(answer) => Ok(answer),
            Err(e) => Ok(ModuleAnswer {
                ok: false,
                parameters: serde_json::Map::new(),
                message: e.to_string(),
            }),
        }
    }
}
