//! Maps driver errors to the port's [`StoreError`]: named unique violations (SQLite reports
//! columns, not names, so the name is rebuilt by the `<table>_<columns>_key` convention every
//! unique index follows), transient conflicts, and everything else.

use bursar_app::ports::StoreError;

pub fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) => {
            if db.is_unique_violation() {
                let constraint = db
                    .constraint()
                    .map(str::to_owned)
                    .unwrap_or_else(|| sqlite_constraint_name(db.message()));
                return StoreError::Unique { constraint };
            }
            let code = db.code().unwrap_or_default();
            let busy = match code.parse::<i64>() {
                // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with extended codes.
                Ok(n) => matches!(n & 0xff, 5 | 6),
                // PostgreSQL: serialization_failure, deadlock_detected.
                Err(_) => code == "40001" || code == "40P01",
            };
            if busy {
                StoreError::Busy
            } else {
                StoreError::Other(e.to_string())
            }
        }
        sqlx::Error::PoolTimedOut => StoreError::Busy,
        _ => StoreError::Other(e.to_string()),
    }
}

/// "UNIQUE constraint failed: users.login" → "users_login_key".
fn sqlite_constraint_name(message: &str) -> String {
    let cols = message.rsplit(": ").next().unwrap_or_default();
    let mut table = "";
    let mut names = Vec::new();
    for col in cols.split(", ") {
        if let Some((t, c)) = col.split_once('.') {
            table = t;
            names.push(c);
        }
    }
    format!("{table}_{}_key", names.join("_"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_messages_become_constraint_names() {
        assert_eq!(
            super::sqlite_constraint_name("UNIQUE constraint failed: users.login"),
            "users_login_key"
        );
        assert_eq!(
            super::sqlite_constraint_name("UNIQUE constraint failed: t.a, t.b"),
            "t_a_b_key"
        );
    }
}
