//! Maps driver errors to the port's [`StoreError`]: named unique violations (SQLite reports
//! columns, not names, so the name is rebuilt by the `<table>_<columns>_key` convention every
//! unique index follows), transient conflicts, and everything else, which keeps the driver's
//! error as its source so the log shows the whole chain.

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
            if db.is_foreign_key_violation() {
                let constraint = db.constraint().unwrap_or("foreign key").to_owned();
                return StoreError::Missing { constraint };
            }
            let code = db.code().unwrap_or_default();
            let postgres = db
                .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
                .is_some();
            if is_transient(&code, postgres) {
                return StoreError::Busy;
            }
        }
        sqlx::Error::PoolTimedOut => return StoreError::Busy,
        _ => {}
    }
    StoreError::Driver(Box::new(e))
}

/// Whether an error code means "try again": PostgreSQL's serialization_failure and
/// deadlock_detected (SQLSTATEs, some of them all digits), SQLite's BUSY and LOCKED (numeric
/// result codes, whose low byte is the primary code).
fn is_transient(code: &str, postgres: bool) -> bool {
    if postgres {
        code == "40001" || code == "40P01"
    } else {
        code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
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
    fn only_conflicts_count_as_transient() {
        use super::is_transient;
        assert!(is_transient("40001", true) && is_transient("40P01", true));
        // 22021 (invalid byte sequence) has the low byte of SQLITE_BUSY: not busy on PG.
        assert!(!is_transient("22021", true) && !is_transient("23505", true));
        assert!(is_transient("5", false) && is_transient("517", false));
        assert!(is_transient("6", false) && !is_transient("2067", false));
    }

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
