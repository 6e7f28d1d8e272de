//! What every signed-in user may do to their own account: change the password and the
//! interface language.

use crate::error::AppError;
use crate::{App, Principal, Via};
use bursar_domain::ErrorCode;
use bursar_domain::functions::f;
use bursar_domain::history::{Changes, ObjectRef};
use bursar_domain::identity::NewPassword;
use bursar_domain::{Invalid, Locale};

pub struct PasswordChange {
    pub current: String,
    pub new: String,
    pub confirmation: String,
}

pub(crate) fn user_ref(user: &crate::ports::UserRecord) -> ObjectRef {
    ObjectRef {
        kind: "user",
        id: user.id.to_string(),
        client: user.client_id,
    }
}

impl App {
    /// Changes the caller's password after checking the current one; every other session of
    /// the user is signed out.
    pub async fn change_password(
        &self,
        who: &Principal,
        input: PasswordChange,
    ) -> Result<(), AppError> {
        who.require(f::PROFILE_PASSWORD)?;
        if who.impersonator.is_some() {
            return Err(AppError::refused(
                ErrorCode::NotWhileImpersonating,
                "the client's password cannot be changed while working as the client",
            ));
        }
        let mut invalid = Invalid::default();
        let new = invalid.check(NewPassword::parse(
            "new_password",
            &input.new,
            Some(who.user.login.as_str()),
        ));
        if input.new != input.confirmation {
            invalid.push(
                "password_confirmation",
                ErrorCode::Mismatch,
                "does not match the new password",
            );
        }
        let current_ok = self.check_own_password(who, &input.current).await?;
        if !current_ok {
            invalid.push(
                "current_password",
                ErrorCode::WrongPassword,
                "is not your current password",
            );
        }
        invalid.into_result()?;
        let Some(new) = new else {
            return Err(AppError::internal_msg("password parsed without value"));
        };
        let hash = self.passwords.hash(new.expose()).await?;
        let keep = match &who.via {
            Via::Session { id, .. } => Some(*id),
            Via::Token { .. } => None,
        };
        let hash = &hash;
        self.write(who, f::PROFILE_PASSWORD, |w| {
            Box::pin(async move {
                let now = w.now();
                w.tx().update_user_password(who.user.id, hash, now).await?;
                w.tx().revoke_user_sessions(who.user.id, keep, now).await?;

                w.record_as(
                    f::PROFILE_PASSWORD,
                    user_ref(&who.user),
                    "change_password",
                    Changes::default().secret("password"),
                );
                Ok(())
            })
        })
        .await
    }

    /// Stores the caller's interface language.
    pub async fn set_locale(&self, who: &Principal, locale: Locale) -> Result<(), AppError> {
        who.require(f::PROFILE_LANGUAGE)?;
        if locale == who.user.locale {
            return Ok(());
        }
        self.write(who, f::PROFILE_LANGUAGE, |w| {
            Box::pin(async move {
                let now = w.now();
                w.tx()
                    .update_user_locale(who.user.id, locale.code(), now)
                    .await?;

                w.record_as(
                    f::PROFILE_LANGUAGE,
                    user_ref(&who.user),
                    "update",
                    Changes::default().diff("locale", &who.user.locale.code(), &locale.code()),
                );
                Ok(())
            })
        })
        .await
    }
}
