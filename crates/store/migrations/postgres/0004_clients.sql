-- Clients and their surroundings (seeds 002 and 004): currencies, providers, companies, the
-- full client card, provider links, payers, client groups, a word index for the client
-- list's text search, impersonation ("log in as client"), and the first columns of the
-- services, payments and expenses tables that later features fill: deleting a client and
-- a client's status already read them.

CREATE TABLE currencies (
    code TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    minor_units INTEGER NOT NULL CONSTRAINT currencies_minor_units_check CHECK (minor_units BETWEEN 0 AND 4),
    is_active BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TEXT NOT NULL
);

CREATE TABLE providers (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    login_at_registration BOOLEAN NOT NULL DEFAULT FALSE,
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

ALTER TABLE clients ADD COLUMN country TEXT;
ALTER TABLE clients ADD COLUMN phone TEXT;
ALTER TABLE clients ADD COLUMN phone_verified BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE clients ADD COLUMN label TEXT;
ALTER TABLE clients ADD COLUMN registration_ip TEXT;
ALTER TABLE clients ADD COLUMN characteristic TEXT NOT NULL DEFAULT 'common' CONSTRAINT clients_characteristic_check CHECK (characteristic IN ('common', 'good', 'problematic'));
ALTER TABLE clients ADD COLUMN staff_id TEXT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE clients ADD COLUMN comment TEXT;
ALTER TABLE clients ADD COLUMN anonymized_at TEXT;
ALTER TABLE clients ADD COLUMN updated_at TEXT;
CREATE INDEX clients_created_at_idx ON clients (created_at, id);
CREATE INDEX clients_label_idx ON clients (label);
CREATE INDEX clients_characteristic_idx ON clients (characteristic);

-- Lower-cased words of a client's name, e-mail and logins: the list's text search is a
-- prefix match on this index, which both dialects answer without scanning every client.
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
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX payers_client_id_idx ON payers (client_id);

CREATE TABLE client_groups (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    allow_suspend BOOLEAN NOT NULL DEFAULT FALSE,
    allow_activate BOOLEAN NOT NULL DEFAULT FALSE,
    allow_delete BOOLEAN NOT NULL DEFAULT FALSE,
    unlimited_services BOOLEAN NOT NULL DEFAULT FALSE,
    forbid_contract_drafts BOOLEAN NOT NULL DEFAULT FALSE,
    mailing_segment BOOLEAN NOT NULL DEFAULT FALSE,
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
    status TEXT NOT NULL CONSTRAINT services_status_check
        CHECK (status IN ('ordered', 'active', 'suspended', 'suspended_by_admin', 'suspended_for_abuse', 'in_progress', 'configuration_required', 'deleted')),
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

-- "Log in as client": the employee behind a client session.
ALTER TABLE sessions ADD COLUMN impersonator_user_id TEXT REFERENCES users (id) ON DELETE CASCADE;
