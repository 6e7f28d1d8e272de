-- Foundation: clients (minimal), users (staff and client users), grants, sessions, API
-- tokens, sign-in failures and history. Booleans are INTEGER 0/1; instants are UTC
-- RFC 3339 text with microseconds, which sorts chronologically.

CREATE TABLE clients (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    locale TEXT NOT NULL CONSTRAINT clients_locale_check CHECK (locale IN ('en', 'ru')),
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL CONSTRAINT users_kind_check CHECK (kind IN ('staff', 'client')),
    client_id TEXT REFERENCES clients (id),
    login TEXT NOT NULL,
    email TEXT,
    name TEXT NOT NULL,
    locale TEXT NOT NULL CONSTRAINT users_locale_check CHECK (locale IN ('en', 'ru')),
    password_hash TEXT NOT NULL,
    full_access INTEGER NOT NULL DEFAULT 0 CONSTRAINT users_full_access_check CHECK (full_access IN (0, 1)),
    is_main INTEGER NOT NULL DEFAULT 0 CONSTRAINT users_is_main_check CHECK (is_main IN (0, 1)),
    is_active INTEGER NOT NULL DEFAULT 1 CONSTRAINT users_is_active_check CHECK (is_active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT users_client_kind_check CHECK ((kind = 'client') = (client_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_login_key ON users (login);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_client_id_idx ON users (client_id);

CREATE TABLE user_grants (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    function TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, function)
);

CREATE TABLE sessions (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    prefix TEXT NOT NULL,
    scope TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE login_failures (
    id TEXT NOT NULL PRIMARY KEY,
    scope TEXT NOT NULL CONSTRAINT login_failures_scope_check CHECK (scope IN ('login', 'ip')),
    key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_failures_scope_key_at_idx ON login_failures (scope, key, at);
CREATE INDEX login_failures_at_idx ON login_failures (at);

-- No foreign keys: history outlives the records it describes.
CREATE TABLE history (
    id TEXT NOT NULL PRIMARY KEY,
    at TEXT NOT NULL,
    actor_user_id TEXT,
    actor_as_client_id TEXT,
    ip TEXT,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    client_id TEXT,
    action TEXT NOT NULL,
    function TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX history_object_idx ON history (object_kind, object_id, at);
CREATE INDEX history_client_id_idx ON history (client_id, at);
CREATE INDEX history_actor_user_id_idx ON history (actor_user_id, at);
CREATE INDEX history_at_idx ON history (at);
