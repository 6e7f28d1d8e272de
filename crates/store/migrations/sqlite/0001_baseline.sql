-- Baseline schema, SQLite dialect: the squash of the migrations 0001-0011 that came before
-- any installation existed. The PostgreSQL baseline has the same tables, columns,
-- nullability, keys and indexes (a test compares them, and the type of every column against
-- a declared mapping). SQLite keeps what suits it: ids and instants are TEXT (instants UTC
-- RFC 3339 with six fractional digits, so text order is time order), flags INTEGER 0/1.

CREATE TABLE clients (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    locale TEXT NOT NULL CONSTRAINT clients_locale_check CHECK (locale IN ('en', 'ru')),
    created_at TEXT NOT NULL,
    country TEXT,
    phone TEXT,
    phone_verified INTEGER NOT NULL DEFAULT 0 CONSTRAINT clients_phone_verified_check CHECK (phone_verified IN (0, 1)),
    label TEXT,
    registration_ip TEXT,
    characteristic TEXT NOT NULL DEFAULT 'common' CONSTRAINT clients_characteristic_check CHECK (characteristic IN ('common', 'good', 'problematic')),
    staff_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    comment TEXT,
    anonymized_at TEXT,
    updated_at TEXT,
    sort_name TEXT NOT NULL DEFAULT '',
    number BIGINT NOT NULL CONSTRAINT clients_number_check CHECK (number > 0)
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
    name_ru TEXT,
    phone TEXT,
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
    revoked_at TEXT,
    impersonator_user_id TEXT REFERENCES users (id) ON DELETE CASCADE
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
    changes TEXT NOT NULL,
    actor_login TEXT
);

CREATE INDEX history_object_idx ON history (object_kind, object_id, at);

CREATE INDEX history_client_id_idx ON history (client_id, at);

CREATE INDEX history_actor_user_id_idx ON history (actor_user_id, at);

CREATE INDEX history_at_idx ON history (at);

CREATE TABLE departments (
    id TEXT NOT NULL PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    business_hours TEXT NOT NULL,
    show_in_support INTEGER NOT NULL DEFAULT 0 CONSTRAINT departments_show_in_support_check CHECK (show_in_support IN (0, 1)),
    task_locale TEXT NOT NULL CONSTRAINT departments_task_locale_check CHECK (task_locale IN ('en', 'ru')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX departments_name_en_key ON departments (name_en);

CREATE UNIQUE INDEX departments_name_ru_key ON departments (name_ru);

CREATE TABLE department_grants (
    department_id TEXT NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    function TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    PRIMARY KEY (department_id, function)
);

CREATE TABLE staff_departments (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    department_id TEXT NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, department_id)
);

CREATE INDEX staff_departments_department_id_idx ON staff_departments (department_id);

CREATE TABLE user_avatars (
    user_id TEXT NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE outbox_emails (
    id TEXT NOT NULL PRIMARY KEY,
    dedupe_key TEXT,
    client_id TEXT,
    to_address TEXT NOT NULL,
    to_name TEXT,
    locale TEXT NOT NULL CONSTRAINT outbox_emails_locale_check CHECK (locale IN ('en', 'ru')),
    template TEXT NOT NULL,
    params TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CONSTRAINT outbox_emails_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CONSTRAINT outbox_emails_attempts_check CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    leased_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    CONSTRAINT outbox_emails_lease_check CHECK ((status = 'sending') = (leased_until IS NOT NULL))
);

CREATE UNIQUE INDEX outbox_emails_dedupe_key_key ON outbox_emails (dedupe_key);

CREATE INDEX outbox_emails_status_next_attempt_at_idx ON outbox_emails (status, next_attempt_at);

CREATE INDEX outbox_emails_client_id_idx ON outbox_emails (client_id, created_at);

CREATE TABLE currencies (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    minor_units INTEGER NOT NULL CONSTRAINT currencies_minor_units_check CHECK (minor_units BETWEEN 0 AND 4),
    is_active INTEGER NOT NULL DEFAULT 0 CONSTRAINT currencies_is_active_check CHECK (is_active IN (0, 1)),
    updated_at TEXT NOT NULL
);

CREATE TABLE providers (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    login_at_registration INTEGER NOT NULL DEFAULT 0 CONSTRAINT providers_login_at_registration_check CHECK (login_at_registration IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX providers_name_key ON providers (name);

CREATE TABLE companies (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    tax_number TEXT,
    address TEXT NOT NULL,
    bank_details TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX companies_name_key ON companies (name);

CREATE TABLE company_providers (
    company_id TEXT NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    provider_id TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    PRIMARY KEY (company_id, provider_id)
);

CREATE INDEX company_providers_provider_id_idx ON company_providers (provider_id);

CREATE INDEX clients_created_at_idx ON clients (created_at, id);

CREATE TABLE client_search_terms (
    term TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    PRIMARY KEY (term, client_id)
);

CREATE INDEX client_search_terms_client_id_idx ON client_search_terms (client_id);

CREATE TABLE client_providers (
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    connected_at TEXT NOT NULL,
    PRIMARY KEY (client_id, provider_id)
);

CREATE INDEX client_providers_provider_id_idx ON client_providers (provider_id, client_id);

CREATE TABLE payers (
    id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CONSTRAINT payers_kind_check CHECK (kind IN ('person', 'company', 'sole_proprietor')),
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    address TEXT,
    tax_number TEXT,
    email TEXT,
    is_default INTEGER NOT NULL DEFAULT 0 CONSTRAINT payers_is_default_check CHECK (is_default IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX payers_client_id_idx ON payers (client_id);

-- One default payer per client, whatever runs in parallel.
CREATE UNIQUE INDEX payers_one_default_key ON payers (client_id) WHERE is_default;

CREATE TABLE client_groups (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    allow_suspend INTEGER NOT NULL DEFAULT 0 CONSTRAINT client_groups_allow_suspend_check CHECK (allow_suspend IN (0, 1)),
    allow_activate INTEGER NOT NULL DEFAULT 0 CONSTRAINT client_groups_allow_activate_check CHECK (allow_activate IN (0, 1)),
    allow_delete INTEGER NOT NULL DEFAULT 0 CONSTRAINT client_groups_allow_delete_check CHECK (allow_delete IN (0, 1)),
    unlimited_services INTEGER NOT NULL DEFAULT 0 CONSTRAINT client_groups_unlimited_services_check CHECK (unlimited_services IN (0, 1)),
    forbid_contract_drafts INTEGER NOT NULL DEFAULT 0 CONSTRAINT client_groups_forbid_contract_drafts_check CHECK (forbid_contract_drafts IN (0, 1)),
    mailing_segment INTEGER NOT NULL DEFAULT 0 CONSTRAINT client_groups_mailing_segment_check CHECK (mailing_segment IN (0, 1)),
    forbidden_tariffs TEXT NOT NULL DEFAULT '[]',
    restricted_payment_methods TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX client_groups_name_key ON client_groups (name);

CREATE TABLE client_group_members (
    group_id TEXT NOT NULL REFERENCES client_groups (id) ON DELETE CASCADE,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, client_id)
);

CREATE INDEX client_group_members_client_id_idx ON client_group_members (client_id);

CREATE TABLE services (
    id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    status TEXT NOT NULL CONSTRAINT services_status_check CHECK (status IN ('ordered', 'active', 'suspended', 'suspended_by_admin', 'suspended_for_abuse', 'in_progress', 'configuration_required', 'deleted')),
    created_at TEXT NOT NULL
);

CREATE INDEX services_client_id_status_idx ON services (client_id, status);

CREATE INDEX services_provider_id_idx ON services (provider_id, client_id);

CREATE TABLE payments (
    id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    amount_minor BIGINT NOT NULL,
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    created_at TEXT NOT NULL
);

CREATE INDEX payments_client_id_idx ON payments (client_id);

CREATE TABLE expenses (
    id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    amount_minor BIGINT NOT NULL,
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    created_at TEXT NOT NULL
);

CREATE INDEX expenses_client_id_idx ON expenses (client_id);

CREATE INDEX clients_label_idx ON clients (label, created_at, id);

CREATE INDEX clients_characteristic_idx ON clients (characteristic, created_at, id);

CREATE TABLE registrations (
    id TEXT NOT NULL PRIMARY KEY,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX registrations_ip_at_idx ON registrations (ip, at);

CREATE INDEX clients_sort_name_idx ON clients (sort_name, id);

CREATE INDEX clients_email_idx ON clients (email, id);

CREATE TABLE password_resets (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE UNIQUE INDEX password_resets_token_hash_key ON password_resets (token_hash);

CREATE INDEX password_resets_user_id_idx ON password_resets (user_id);

CREATE TABLE IF NOT EXISTS "login_failures" (
    id TEXT NOT NULL PRIMARY KEY,
    scope TEXT NOT NULL CONSTRAINT login_failures_scope_check CHECK (scope IN ('login', 'ip', 'reset_ip')),
    key TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE INDEX login_failures_scope_key_at_idx ON login_failures (scope, key, at);

CREATE INDEX login_failures_at_idx ON login_failures (at);

CREATE TABLE counters (
    name TEXT NOT NULL PRIMARY KEY,
    last_value BIGINT NOT NULL CONSTRAINT counters_last_value_check CHECK (last_value >= 0)
);

CREATE UNIQUE INDEX clients_number_key ON clients (number);
