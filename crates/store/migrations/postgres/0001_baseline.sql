-- Baseline schema, PostgreSQL dialect: the squash of the migrations 0001-0011 that came
-- before any installation existed, in PostgreSQL's own types: ids are uuid, instants
-- timestamptz, flags boolean, counts and numbers bigint. Same tables, columns, nullability,
-- keys and indexes as the SQLite baseline (a test compares them, and every column's type
-- against a declared mapping). Text that is sorted or matched by prefix uses the "C"
-- collation, so both databases order it byte-wise.

CREATE TABLE api_tokens (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    name text NOT NULL,
    token_hash text NOT NULL,
    prefix text NOT NULL,
    scope text,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone,
    last_used_at timestamp with time zone,
    revoked_at timestamp with time zone
);
CREATE TABLE client_group_members (
    group_id uuid NOT NULL,
    client_id uuid NOT NULL
);
CREATE TABLE client_groups (
    id uuid NOT NULL,
    name text NOT NULL,
    allow_suspend boolean DEFAULT false NOT NULL,
    allow_activate boolean DEFAULT false NOT NULL,
    allow_delete boolean DEFAULT false NOT NULL,
    unlimited_services boolean DEFAULT false NOT NULL,
    forbid_contract_drafts boolean DEFAULT false NOT NULL,
    mailing_segment boolean DEFAULT false NOT NULL,
    forbidden_tariffs text DEFAULT '[]'::text NOT NULL,
    restricted_payment_methods text DEFAULT '[]'::text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE client_providers (
    client_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    connected_at timestamp with time zone NOT NULL
);
CREATE TABLE client_search_terms (
    term text NOT NULL COLLATE pg_catalog."C",
    client_id uuid NOT NULL
);
CREATE TABLE clients (
    id uuid NOT NULL,
    name text NOT NULL,
    email text NOT NULL COLLATE pg_catalog."C",
    locale text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    country text,
    phone text,
    phone_verified boolean DEFAULT false NOT NULL,
    label text,
    registration_ip text,
    characteristic text DEFAULT 'common'::text NOT NULL,
    staff_id uuid,
    comment text,
    anonymized_at timestamp with time zone,
    updated_at timestamp with time zone,
    sort_name text DEFAULT ''::text NOT NULL COLLATE pg_catalog."C",
    number bigint NOT NULL,
    CONSTRAINT clients_characteristic_check CHECK ((characteristic = ANY (ARRAY['common'::text, 'good'::text, 'problematic'::text]))),
    CONSTRAINT clients_locale_check CHECK ((locale = ANY (ARRAY['en'::text, 'ru'::text]))),
    CONSTRAINT clients_number_check CHECK ((number > 0))
);
CREATE TABLE companies (
    id uuid NOT NULL,
    name text NOT NULL,
    country text NOT NULL,
    tax_number text,
    address text NOT NULL,
    bank_details text,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE company_providers (
    company_id uuid NOT NULL,
    provider_id uuid NOT NULL
);
CREATE TABLE counters (
    name text NOT NULL,
    last_value bigint NOT NULL,
    CONSTRAINT counters_last_value_check CHECK ((last_value >= 0))
);
CREATE TABLE currencies (
    code text NOT NULL,
    name text NOT NULL,
    minor_units integer NOT NULL,
    is_active boolean DEFAULT false NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT currencies_minor_units_check CHECK (((minor_units >= 0) AND (minor_units <= 4)))
);
CREATE TABLE department_grants (
    department_id uuid NOT NULL,
    function text NOT NULL,
    granted_at timestamp with time zone NOT NULL
);
CREATE TABLE departments (
    id uuid NOT NULL,
    name_en text NOT NULL,
    name_ru text NOT NULL,
    business_hours text NOT NULL,
    show_in_support boolean DEFAULT false NOT NULL,
    task_locale text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT departments_task_locale_check CHECK ((task_locale = ANY (ARRAY['en'::text, 'ru'::text])))
);
CREATE TABLE expenses (
    id uuid NOT NULL,
    client_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    amount_minor bigint NOT NULL,
    currency_code text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE history (
    id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_user_id uuid,
    actor_as_client_id uuid,
    ip text,
    object_kind text NOT NULL,
    object_id text NOT NULL,
    client_id uuid,
    action text NOT NULL,
    function text NOT NULL,
    changes text NOT NULL,
    actor_login text
);
CREATE TABLE login_failures (
    id uuid NOT NULL,
    scope text NOT NULL,
    key text NOT NULL,
    at timestamp with time zone NOT NULL,
    CONSTRAINT login_failures_scope_check CHECK ((scope = ANY (ARRAY['login'::text, 'ip'::text, 'reset_ip'::text])))
);
CREATE TABLE outbox_emails (
    id uuid NOT NULL,
    dedupe_key text,
    client_id uuid,
    to_address text NOT NULL,
    to_name text,
    locale text NOT NULL,
    template text NOT NULL,
    params text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    leased_until timestamp with time zone,
    last_error text,
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    CONSTRAINT outbox_emails_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT outbox_emails_lease_check CHECK (((status = 'sending'::text) = (leased_until IS NOT NULL))),
    CONSTRAINT outbox_emails_locale_check CHECK ((locale = ANY (ARRAY['en'::text, 'ru'::text]))),
    CONSTRAINT outbox_emails_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'sending'::text, 'sent'::text, 'failed'::text])))
);
CREATE TABLE password_resets (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone
);
CREATE TABLE payers (
    id uuid NOT NULL,
    client_id uuid NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    country text NOT NULL,
    address text,
    tax_number text,
    email text,
    is_default boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT payers_kind_check CHECK ((kind = ANY (ARRAY['person'::text, 'company'::text, 'sole_proprietor'::text])))
);
CREATE TABLE payments (
    id uuid NOT NULL,
    client_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    amount_minor bigint NOT NULL,
    currency_code text NOT NULL,
    created_at timestamp with time zone NOT NULL
);
CREATE TABLE providers (
    id uuid NOT NULL,
    name text NOT NULL,
    currency_code text NOT NULL,
    login_at_registration boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE registrations (
    id uuid NOT NULL,
    ip text NOT NULL,
    at timestamp with time zone NOT NULL
);
CREATE TABLE services (
    id uuid NOT NULL,
    client_id uuid NOT NULL,
    provider_id uuid NOT NULL,
    status text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT services_status_check CHECK ((status = ANY (ARRAY['ordered'::text, 'active'::text, 'suspended'::text, 'suspended_by_admin'::text, 'suspended_for_abuse'::text, 'in_progress'::text, 'configuration_required'::text, 'deleted'::text])))
);
CREATE TABLE sessions (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    token_hash text NOT NULL,
    csrf_token text NOT NULL,
    ip text,
    user_agent text,
    created_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    impersonator_user_id uuid
);
CREATE TABLE staff_departments (
    user_id uuid NOT NULL,
    department_id uuid NOT NULL
);
CREATE TABLE user_avatars (
    user_id uuid NOT NULL,
    content_type text NOT NULL,
    bytes bytea NOT NULL,
    updated_at timestamp with time zone NOT NULL
);
CREATE TABLE user_grants (
    user_id uuid NOT NULL,
    function text NOT NULL,
    granted_at timestamp with time zone NOT NULL
);
CREATE TABLE users (
    id uuid NOT NULL,
    kind text NOT NULL,
    client_id uuid,
    login text NOT NULL,
    email text,
    name text NOT NULL,
    locale text NOT NULL,
    password_hash text NOT NULL,
    full_access boolean DEFAULT false NOT NULL,
    is_main boolean DEFAULT false NOT NULL,
    is_active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    name_ru text,
    phone text,
    CONSTRAINT users_client_kind_check CHECK (((kind = 'client'::text) = (client_id IS NOT NULL))),
    CONSTRAINT users_kind_check CHECK ((kind = ANY (ARRAY['staff'::text, 'client'::text]))),
    CONSTRAINT users_locale_check CHECK ((locale = ANY (ARRAY['en'::text, 'ru'::text])))
);
ALTER TABLE ONLY api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);
ALTER TABLE ONLY client_group_members
    ADD CONSTRAINT client_group_members_pkey PRIMARY KEY (group_id, client_id);
ALTER TABLE ONLY client_groups
    ADD CONSTRAINT client_groups_pkey PRIMARY KEY (id);
ALTER TABLE ONLY client_providers
    ADD CONSTRAINT client_providers_pkey PRIMARY KEY (client_id, provider_id);
ALTER TABLE ONLY client_search_terms
    ADD CONSTRAINT client_search_terms_pkey PRIMARY KEY (term, client_id);
ALTER TABLE ONLY clients
    ADD CONSTRAINT clients_pkey PRIMARY KEY (id);
ALTER TABLE ONLY companies
    ADD CONSTRAINT companies_pkey PRIMARY KEY (id);
ALTER TABLE ONLY company_providers
    ADD CONSTRAINT company_providers_pkey PRIMARY KEY (company_id, provider_id);
ALTER TABLE ONLY counters
    ADD CONSTRAINT counters_pkey PRIMARY KEY (name);
ALTER TABLE ONLY currencies
    ADD CONSTRAINT currencies_pkey PRIMARY KEY (code);
ALTER TABLE ONLY department_grants
    ADD CONSTRAINT department_grants_pkey PRIMARY KEY (department_id, function);
ALTER TABLE ONLY departments
    ADD CONSTRAINT departments_pkey PRIMARY KEY (id);
ALTER TABLE ONLY expenses
    ADD CONSTRAINT expenses_pkey PRIMARY KEY (id);
ALTER TABLE ONLY history
    ADD CONSTRAINT history_pkey PRIMARY KEY (id);
ALTER TABLE ONLY login_failures
    ADD CONSTRAINT login_failures_pkey PRIMARY KEY (id);
ALTER TABLE ONLY outbox_emails
    ADD CONSTRAINT outbox_emails_pkey PRIMARY KEY (id);
ALTER TABLE ONLY password_resets
    ADD CONSTRAINT password_resets_pkey PRIMARY KEY (id);
ALTER TABLE ONLY payers
    ADD CONSTRAINT payers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY payments
    ADD CONSTRAINT payments_pkey PRIMARY KEY (id);
ALTER TABLE ONLY providers
    ADD CONSTRAINT providers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY registrations
    ADD CONSTRAINT registrations_pkey PRIMARY KEY (id);
ALTER TABLE ONLY services
    ADD CONSTRAINT services_pkey PRIMARY KEY (id);
ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);
ALTER TABLE ONLY staff_departments
    ADD CONSTRAINT staff_departments_pkey PRIMARY KEY (user_id, department_id);
ALTER TABLE ONLY user_avatars
    ADD CONSTRAINT user_avatars_pkey PRIMARY KEY (user_id);
ALTER TABLE ONLY user_grants
    ADD CONSTRAINT user_grants_pkey PRIMARY KEY (user_id, function);
ALTER TABLE ONLY users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);
CREATE UNIQUE INDEX api_tokens_token_hash_key ON api_tokens USING btree (token_hash);
CREATE INDEX api_tokens_user_id_idx ON api_tokens USING btree (user_id);
CREATE INDEX client_group_members_client_id_idx ON client_group_members USING btree (client_id);
CREATE UNIQUE INDEX client_groups_name_key ON client_groups USING btree (name);
CREATE INDEX client_providers_provider_id_idx ON client_providers USING btree (provider_id, client_id);
CREATE INDEX client_search_terms_client_id_idx ON client_search_terms USING btree (client_id);
CREATE INDEX clients_characteristic_idx ON clients USING btree (characteristic, created_at, id);
CREATE INDEX clients_created_at_idx ON clients USING btree (created_at, id);
CREATE INDEX clients_email_idx ON clients USING btree (email, id);
CREATE INDEX clients_label_idx ON clients USING btree (label, created_at, id);
CREATE UNIQUE INDEX clients_number_key ON clients USING btree (number);
CREATE INDEX clients_sort_name_idx ON clients USING btree (sort_name, id);
CREATE UNIQUE INDEX companies_name_key ON companies USING btree (name);
CREATE INDEX company_providers_provider_id_idx ON company_providers USING btree (provider_id);
CREATE UNIQUE INDEX departments_name_en_key ON departments USING btree (name_en);
CREATE UNIQUE INDEX departments_name_ru_key ON departments USING btree (name_ru);
CREATE INDEX expenses_client_id_idx ON expenses USING btree (client_id);
CREATE INDEX history_actor_user_id_idx ON history USING btree (actor_user_id, at);
CREATE INDEX history_at_idx ON history USING btree (at);
CREATE INDEX history_client_id_idx ON history USING btree (client_id, at);
CREATE INDEX history_object_idx ON history USING btree (object_kind, object_id, at);
CREATE INDEX login_failures_at_idx ON login_failures USING btree (at);
CREATE INDEX login_failures_scope_key_at_idx ON login_failures USING btree (scope, key, at);
CREATE INDEX outbox_emails_client_id_idx ON outbox_emails USING btree (client_id, created_at);
CREATE UNIQUE INDEX outbox_emails_dedupe_key_key ON outbox_emails USING btree (dedupe_key);
CREATE INDEX outbox_emails_status_next_attempt_at_idx ON outbox_emails USING btree (status, next_attempt_at);
CREATE UNIQUE INDEX password_resets_token_hash_key ON password_resets USING btree (token_hash);
CREATE INDEX password_resets_user_id_idx ON password_resets USING btree (user_id);
CREATE INDEX payers_client_id_idx ON payers USING btree (client_id);
-- One default payer per client, whatever runs in parallel.
CREATE UNIQUE INDEX payers_one_default_key ON payers USING btree (client_id) WHERE is_default;
CREATE INDEX payments_client_id_idx ON payments USING btree (client_id);
CREATE UNIQUE INDEX providers_name_key ON providers USING btree (name);
CREATE INDEX registrations_ip_at_idx ON registrations USING btree (ip, at);
CREATE INDEX services_client_id_status_idx ON services USING btree (client_id, status);
CREATE INDEX services_provider_id_idx ON services USING btree (provider_id, client_id);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions USING btree (token_hash);
CREATE INDEX sessions_user_id_idx ON sessions USING btree (user_id);
CREATE INDEX staff_departments_department_id_idx ON staff_departments USING btree (department_id);
CREATE INDEX users_client_id_idx ON users USING btree (client_id);
CREATE UNIQUE INDEX users_email_key ON users USING btree (email);
CREATE UNIQUE INDEX users_login_key ON users USING btree (login);
ALTER TABLE ONLY api_tokens
    ADD CONSTRAINT api_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY client_group_members
    ADD CONSTRAINT client_group_members_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients(id) ON DELETE CASCADE;
ALTER TABLE ONLY client_group_members
    ADD CONSTRAINT client_group_members_group_id_fkey FOREIGN KEY (group_id) REFERENCES client_groups(id) ON DELETE CASCADE;
ALTER TABLE ONLY client_providers
    ADD CONSTRAINT client_providers_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients(id) ON DELETE CASCADE;
ALTER TABLE ONLY client_providers
    ADD CONSTRAINT client_providers_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES providers(id);
ALTER TABLE ONLY client_search_terms
    ADD CONSTRAINT client_search_terms_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients(id) ON DELETE CASCADE;
ALTER TABLE ONLY clients
    ADD CONSTRAINT clients_staff_id_fkey FOREIGN KEY (staff_id) REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE ONLY company_providers
    ADD CONSTRAINT company_providers_company_id_fkey FOREIGN KEY (company_id) REFERENCES companies(id) ON DELETE CASCADE;
ALTER TABLE ONLY company_providers
    ADD CONSTRAINT company_providers_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES providers(id) ON DELETE CASCADE;
ALTER TABLE ONLY department_grants
    ADD CONSTRAINT department_grants_department_id_fkey FOREIGN KEY (department_id) REFERENCES departments(id) ON DELETE CASCADE;
ALTER TABLE ONLY expenses
    ADD CONSTRAINT expenses_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients(id);
ALTER TABLE ONLY expenses
    ADD CONSTRAINT expenses_currency_code_fkey FOREIGN KEY (currency_code) REFERENCES currencies(code);
ALTER TABLE ONLY expenses
    ADD CONSTRAINT expenses_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES providers(id);
ALTER TABLE ONLY password_resets
    ADD CONSTRAINT password_resets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY payers
    ADD CONSTRAINT payers_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients(id) ON DELETE CASCADE;
ALTER TABLE ONLY payments
    ADD CONSTRAINT payments_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients(id);
ALTER TABLE ONLY payments
    ADD CONSTRAINT payments_currency_code_fkey FOREIGN KEY (currency_code) REFERENCES currencies(code);
ALTER TABLE ONLY payments
    ADD CONSTRAINT payments_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES providers(id);
ALTER TABLE ONLY providers
    ADD CONSTRAINT providers_currency_code_fkey FOREIGN KEY (currency_code) REFERENCES currencies(code);
ALTER TABLE ONLY services
    ADD CONSTRAINT services_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients(id);
ALTER TABLE ONLY services
    ADD CONSTRAINT services_provider_id_fkey FOREIGN KEY (provider_id) REFERENCES providers(id);
ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_impersonator_user_id_fkey FOREIGN KEY (impersonator_user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY staff_departments
    ADD CONSTRAINT staff_departments_department_id_fkey FOREIGN KEY (department_id) REFERENCES departments(id) ON DELETE CASCADE;
ALTER TABLE ONLY staff_departments
    ADD CONSTRAINT staff_departments_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY user_avatars
    ADD CONSTRAINT user_avatars_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY user_grants
    ADD CONSTRAINT user_grants_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
ALTER TABLE ONLY users
    ADD CONSTRAINT users_client_id_fkey FOREIGN KEY (client_id) REFERENCES clients(id);
