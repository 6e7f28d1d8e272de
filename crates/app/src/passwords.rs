//! Password hashing with Argon2id (OWASP's first choice), run on the blocking pool so a
//! hash never stalls the async workers. Verification against an unknown login checks a
//! dummy hash, so a sign-in takes the same time whether or not the login exists.

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::Arc;

#[derive(Clone)]
pub struct Passwords {
    /// Hash of a random password, checked when the login does not exist.
    dummy: Arc<tokio::sync::OnceCell<String>>,
}

impl Passwords {
    pub fn new() -> Self {
        Self {
            dummy: Arc::new(tokio::sync::OnceCell::new()),
        }
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_now(&password))
            .await
            .map_err(AppError::internal)?
    }

    /// Checks a password against a stored hash, or against the dummy hash when there is none.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, AppError> {
        let hash = match stored {
            Some(h) => h.to_owned(),
            None => {
                let dummy = self
                    .dummy
                    .get_or_try_init(|| async {
                        let random = crate::secrets::random_token();
                        self.hash(&random).await
                    })
                    .await?;
                dummy.clone()
            }
        };
        let known = stored.is_some();
        let password = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || verify_now(&password, &hash))
            .await
            .map_err(AppError::internal)?;
        Ok(ok && known)
    }
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new()
    }
}

fn hash_now(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal_in("argon2", e))
}

fn verify_now(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_logins_never_pass() -> Result<(), AppError> {
        let p = Passwords::new();
        let h = p.hash("correct horse 9").await?;
        assert!(h.starts_with("$argon2id$"));
        assert!(p.verify("correct horse 9", Some(&h)).await?);
        assert!(!p.verify("wrong", Some(&h)).await?);
        assert!(!p.verify("correct horse 9", None).await?);
        Ok(())
    }

    /// An unknown login must cost one Argon2 verification at the same parameters as a real
    /// one, or the response time would tell which logins exist. Checked on the parameters
    /// rather than by timing, which is noisy on a shared CI machine.
    #[tokio::test]
    async fn the_dummy_hash_costs_as_much_as_a_real_one() -> Result<(), AppError> {
        let p = Passwords::new();
        assert!(!p.verify("anything", None).await?);
        let dummy = p.dummy.get().cloned().unwrap_or_default();
        let real = p.hash("correct horse 9").await?;
        let cost = |h: &str| {
            PasswordHash::new(h)
                .map(|parsed| {
                    let algorithm = parsed.algorithm.to_string();
                    (algorithm, parsed.version, parsed.params.to_string())
                })
                .map_err(|e| AppError::internal_in("not a PHC string", e))
        };
        assert_eq!(cost(&dummy)?, cost(&real)?);
        Ok(())
    }
}
