-- Password reset requests are counted per address like failed sign-ins: a third scope.
-- SQLite cannot alter a CHECK constraint, so the table is rebuilt.
CREATE TABLE login_failures_new (
    id TEXT NOT NULL PRIMARY KEY,
    scope TEXT NOT NULL CONSTRAINT login_failures_scope_check CHECK (scope IN ('login', 'ip', 'reset_ip')),
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
INSERT INTO login_failures_new (id, scope, key, at) SELECT id, scope, key, at FROM login_failures;
DROP TABLE login_failures;
ALTER TABLE login_failures_new RENAME TO login_failures;
CREATE INDEX login_failures_scope_key_at_idx ON login_failures (scope, key, at);
CREATE INDEX login_failures_at_idx ON login_failures (at);
