//! API tokens a user issues for themself: shown once, stored only as a digest, revocable,
//! optionally expiring, and optionally limited to a subset of the issuer's functions.

use crate::auth::TOKEN_PREFIX;
use crate::error::AppError;
use crate::ports::ApiTokenRecord;
use crate::secrets::{digest, random_token};
use crate::{App, Principal};
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::validation::required_text;
use bursar_domain::{ApiTokenId, Invalid, functions};
use jiff::SignedDuration;

pub struct NewToken {
    pub name: String,
    /// Function keys; `None` = everything the issuer holds, now and later.
    pub scope: Option<Vec<String>>,
    pub expires_in_days: Option<u32>,
}

/// A freshly issued token: the record plus the secret, which is never shown again.
pub struct IssuedToken {
    pub token: ApiTokenRecord,
    pub secret: String,
}

impl App {
    pub async fn create_token(
        &self,
        who: &Principal,
        input: NewToken,
    ) -> Result<IssuedToken, AppError> {
        who.require(f::PROFILE_TOKENS)?;
        if who.impersonator.is_some() {
            // A token would outlive the session and act without naming the employee.
            return Err(AppError::refused(
                ErrorCode::NotWhileImpersonating,
                "API tokens cannot be issued while working as a client",
            ));
        }
        let (name, scope) = validate(who, &input)?;
        let now = self.now();
        let expires_at = input
            .expires_in_days
            .map(|days| now + SignedDuration::from_hours(24 * i64::from(days)));
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let token = ApiTokenRecord {
            id: ApiTokenId::new(),
            user_id: who.user.id,
            name,
            token_hash: digest(&secret),
            prefix: secret.chars().take(10).collect(),
            scope,
            created_at: now,
            expires_at,
            last_used_at: None,
            revoked_at: None,
        };
        let token = &token;
        self.write(who, f::PROFILE_TOKENS, |w| {
            Box::pin(async move {
                w.tx().insert_token(token).await?;
                let scope_text = token
                    .scope
                    .as_ref()
                    .map_or_else(|| "*".to_owned(), |s| s.join(","));
                let changes = Changes::default()
                    .set("name", &token.name)
                    .set("scope", scope_text);

                w.record_as(f::PROFILE_TOKENS, token_ref(who, token), "create", changes);
                Ok(())
            })
        })
        .await?;
        Ok(IssuedToken {
            token: token.clone(),
            secret,
        })
    }

    pub async fn list_tokens(&self, who: &Principal) -> Result<Vec<ApiTokenRecord>, AppError> {
        who.require(f::PROFILE_TOKENS)?;
        let mut tx = self.store.read().await?;
        let tokens = tx.tokens_of_user(who.user.id).await?;
        tx.commit().await?;
        Ok(tokens)
    }

    /// Revokes one of the caller's own tokens; another user's token is "not found".
    pub async fn revoke_token(&self, who: &Principal, id: ApiTokenId) -> Result<(), AppError> {
        self.write(who, f::PROFILE_TOKENS, |w| {
            Box::pin(async move {
                let now = w.now();
                let token = w
                    .tx()
                    .tokens_of_user(who.user.id)
                    .await?
                    .into_iter()
                    .find(|t| t.id == id)
                    .ok_or(AppError::NotFound { what: "token" })?;
                if token.revoked_at.is_some() {
                    return Ok(());
                }
                w.tx().revoke_token(id, now).await?;
                let changes = Changes::default().diff("revoked", &false, &true);

                w.record_as(f::PROFILE_TOKENS, token_ref(who, &token), "revoke", changes);
                Ok(())
            })
        })
        .await
    }
}

/// A token's history entries belong to its user's client, if any, so that clearing the
/// client's data erases them too (a token's name is often personal: "laptop of …").
pub(crate) fn token_ref(owner: &Principal, token: &ApiTokenRecord) -> ObjectRef {
    ObjectRef {
        kind: "api_token",
        id: token.id.to_string(),
        client: owner.user.client_id,
    }
}

fn validate(who: &Principal, input: &NewToken) -> Result<(String, Option<Vec<String>>), AppError> {
    let mut invalid = Invalid::default();
    let name = invalid
        .check(required_text("name", &input.name, 100))
        .unwrap_or_default();
    if input.expires_in_days.is_some_and(|d| d == 0 || d > 3650) {
        invalid.push(
            "expires_in_days",
            ErrorCode::OutOfRange,
            "must be between 1 and 3650 days",
        );
    }
    let scope = match &input.scope {
        None if who.rights.is_narrowed() => {
            invalid.push(
                "scope",
                ErrorCode::ScopeRequired,
                "a scoped token can only issue tokens with a scope within its own",
            );
            None
        }
        None => None,
        Some(keys) => {
            let mut unknown = Vec::new();
            let mut not_held = Vec::new();
            for key in keys {
                match functions::find(key) {
                    None => unknown.push(key.clone()),
                    // `allows`, not `holds`: a scoped token may only pass on its own scope.
                    Some(f) if !who.rights.allows(f) => not_held.push(key.clone()),
                    Some(_) => {}
                }
            }
            if !unknown.is_empty() {
                invalid.push(
                    "scope",
                    ErrorCode::UnknownFunction,
                    format!("unknown functions: {}", unknown.join(", ")),
                );
            }
            if !not_held.is_empty() {
                invalid.push(
                    "scope",
                    ErrorCode::FunctionNotHeld,
                    format!("you do not hold: {}", not_held.join(", ")),
                );
            }
            let mut keys = keys.clone();
            keys.sort();
            keys.dedup();
            Some(keys)
        }
    };
    invalid.into_result()?;
    Ok((name, scope))
}
