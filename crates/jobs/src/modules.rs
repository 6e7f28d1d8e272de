//! Calls processing modules (BILLmanager's custom module): an external program gets the
//! request as JSON on stdin (and the module's secret in `BURSAR_MODULE_SECRET`) and answers
//! JSON on stdout; an HTTP endpoint gets it as a JSON POST (the secret as a bearer token) and
//! answers JSON. Either way the answer is `{ok, parameters, message}`, within the module's
//! timeout, or the call fails with a reason the staff can read. A program that overruns is
//! killed.

use async_trait::async_trait;
use bursar_app::ports::{
    ModuleAnswer, ModuleError, ModuleKind, ModuleRecord, ModuleRequest, ModuleRunner,
};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The most a module may answer; a longer answer is refused, not buffered.
const MAX_ANSWER: u64 = 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct ModuleCaller {
    http: reqwest::Client,
}

impl ModuleCaller {
    pub fn new() -> Self {
        Self::default()
    }

    async fn program(
        &self,
        command: &str,
        m: &ModuleRecord,
        body: &[u8],
    ) -> Result<Vec<u8>, ModuleError> {
        let mut cmd = tokio::process::Command::new(command);
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        if let Some(secret) = &m.secret {
            cmd.env("BURSAR_MODULE_SECRET", secret);
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| ModuleError::Unreachable(format!("{command}: {e}")))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| ModuleError::Unreachable("no stdin".to_owned()))?;
        let mut stdout = child
            .stdout
            .take()
            .ok_or_else(|| ModuleError::Unreachable("no stdout".to_owned()))?;
        let run = async {
            // A program that does not read its input must not block the call.
            let _ = stdin.write_all(body).await;
            drop(stdin);
            let mut out = Vec::new();
            (&mut stdout)
                .take(MAX_ANSWER)
                .read_to_end(&mut out)
                .await
                .map_err(|e| ModuleError::Unreachable(e.to_string()))?;
            child
                .wait()
                .await
                .map_err(|e| ModuleError::Unreachable(e.to_string()))?;
            Ok(out)
        };
        let secs = u64::try_from(m.timeout_secs).unwrap_or(30);
        match tokio::time::timeout(Duration::from_secs(secs), run).await {
            Ok(out) => out,
            // Dropping the future drops the child, which kills it (`kill_on_drop`).
            Err(_) => Err(ModuleError::Timeout(m.timeout_secs)),
        }
    }

    async fn endpoint(
        &self,
        url: &str,
        m: &ModuleRecord,
        body: Vec<u8>,
    ) -> Result<Vec<u8>, ModuleError> {
        let secs = u64::try_from(m.timeout_secs).unwrap_or(30);
        let mut req = self
            .http
            .post(url)
            .timeout(Duration::from_secs(secs))
            .header("content-type", "application/json")
            .body(body);
        if let Some(secret) = &m.secret {
            req = req.bearer_auth(secret);
        }
        let res = req.send().await.map_err(|e| {
            if e.is_timeout() {
                ModuleError::Timeout(m.timeout_secs)
            } else {
                ModuleError::Unreachable(e.to_string())
            }
        })?;
        let bytes = res
            .bytes()
            .await
            .map_err(|e| ModuleError::Unreachable(e.to_string()))?;
        if bytes.len() as u64 > MAX_ANSWER {
            return Err(ModuleError::BadAnswer("the answer is too long".to_owned()));
        }
        Ok(bytes.to_vec())
    }
}

#[async_trait]
impl ModuleRunner for ModuleCaller {
    async fn call(
        &self,
        m: &ModuleRecord,
        request: &ModuleRequest,
    ) -> Result<ModuleAnswer, ModuleError> {
        let body =
            serde_json::to_vec(request).map_err(|e| ModuleError::BadAnswer(e.to_string()))?;
        let out = match (m.kind, &m.command, &m.url) {
            (ModuleKind::Program, Some(command), _) => self.program(command, m, &body).await?,
            (ModuleKind::Http, _, Some(url)) => self.endpoint(url, m, body).await?,
            (ModuleKind::Manual, _, _) => return Err(ModuleError::Manual),
            _ => {
                return Err(ModuleError::Unreachable(
                    "the module is not configured".to_owned(),
                ));
            }
        };
        serde_json::from_slice(&out).map_err(|e| {
            let start: String = String::from_utf8_lossy(&out).chars().take(80).collect();
            ModuleError::BadAnswer(format!("{e} (answer began {start:?})"))
        })
    }
}
