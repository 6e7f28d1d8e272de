-- Money (issue 9): personal accounts, the immutable ledger, payment methods, payments,
-- expenses, allocations, withdrawals and idempotency keys. The placeholder `payments` and
-- `expenses` tables of the baseline held test rows only; the real ones replace them.

DROP TABLE payments;
DROP TABLE expenses;

CREATE TABLE payment_methods (
    id TEXT NOT NULL PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CONSTRAINT payment_methods_kind_check CHECK (kind IN ('bank_transfer', 'manual')),
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    company_id TEXT REFERENCES companies (id) ON DELETE SET NULL,
    is_active INTEGER NOT NULL DEFAULT 1 CONSTRAINT payment_methods_is_active_check CHECK (is_active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX payment_methods_provider_id_name_en_key ON payment_methods (provider_id, name_en);

CREATE TABLE accounts (
    id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    balance_minor BIGINT NOT NULL DEFAULT 0,
    credit_mode TEXT NOT NULL CONSTRAINT accounts_credit_mode_check CHECK (credit_mode IN ('prepaid', 'credit_limit', 'postpaid')),
    credit_limit_minor BIGINT NOT NULL DEFAULT 0 CONSTRAINT accounts_credit_limit_minor_check CHECK (credit_limit_minor >= 0),
    grace_mode TEXT NOT NULL CONSTRAINT accounts_grace_mode_check CHECK (grace_mode IN ('unlimited', 'from_due_payment')),
    respite_days INTEGER NOT NULL DEFAULT 0 CONSTRAINT accounts_respite_days_check CHECK (respite_days BETWEEN 0 AND 3650),
    block_in_days INTEGER NOT NULL DEFAULT 0 CONSTRAINT accounts_block_in_days_check CHECK (block_in_days BETWEEN 0 AND 3650),
    referrer_id TEXT REFERENCES clients (id) ON DELETE SET NULL,
    free_support_calls INTEGER NOT NULL DEFAULT 0 CONSTRAINT accounts_free_support_calls_check CHECK (free_support_calls >= 0),
    is_active INTEGER NOT NULL DEFAULT 1 CONSTRAINT accounts_is_active_check CHECK (is_active IN (0, 1)),
    last_seq BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One active personal account per client and provider.
CREATE UNIQUE INDEX accounts_client_id_provider_id_key ON accounts (client_id, provider_id) WHERE is_active = 1;
CREATE INDEX accounts_provider_id_idx ON accounts (provider_id);

CREATE TABLE ledger_entries (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT ledger_entries_kind_check CHECK (kind IN ('payment', 'expense', 'expense_change', 'expense_delete', 'refund', 'withdrawal')),
    document_id TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CONSTRAINT ledger_entries_amount_minor_check CHECK (amount_minor <> 0),
    balance_after_minor BIGINT NOT NULL,
    actor_user_id TEXT,
    created_at TEXT NOT NULL
);

CREATE UNIQUE INDEX ledger_entries_account_id_seq_key ON ledger_entries (account_id, seq);
-- A document moves money once: a retried credit finds its entry instead of writing another.
CREATE UNIQUE INDEX ledger_entries_kind_document_id_key ON ledger_entries (kind, document_id) WHERE kind IN ('payment', 'expense', 'refund', 'withdrawal');
CREATE INDEX ledger_entries_document_id_idx ON ledger_entries (document_id);

CREATE TABLE payments (
    id TEXT NOT NULL PRIMARY KEY,
    number TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    company_id TEXT REFERENCES companies (id) ON DELETE SET NULL,
    payer_id TEXT REFERENCES payers (id) ON DELETE SET NULL,
    method_id TEXT REFERENCES payment_methods (id) ON DELETE SET NULL,
    amount_minor BIGINT NOT NULL CONSTRAINT payments_amount_minor_check CHECK (amount_minor <> 0),
    allocated_minor BIGINT NOT NULL DEFAULT 0,
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    status TEXT NOT NULL CONSTRAINT payments_status_check CHECK (status IN ('new', 'paid', 'canceled', 'refunded')),
    comment TEXT NOT NULL DEFAULT '',
    refund_of_id TEXT REFERENCES payments (id),
    created_by_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    paid_at TEXT
);

CREATE UNIQUE INDEX payments_number_company_id_key ON payments (number, company_id);
CREATE INDEX payments_client_id_idx ON payments (client_id, created_at);
CREATE INDEX payments_account_id_idx ON payments (account_id, status);
CREATE INDEX payments_created_at_idx ON payments (created_at);

CREATE TABLE expenses (
    id TEXT NOT NULL PRIMARY KEY,
    number BIGINT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    service_id TEXT,
    description TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CONSTRAINT expenses_amount_minor_check CHECK (amount_minor > 0),
    tax_rate_bp INTEGER NOT NULL DEFAULT 0 CONSTRAINT expenses_tax_rate_bp_check CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    tax_minor BIGINT NOT NULL DEFAULT 0,
    paid_minor BIGINT NOT NULL DEFAULT 0,
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    created_by_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
);

CREATE UNIQUE INDEX expenses_number_key ON expenses (number);
CREATE INDEX expenses_client_id_idx ON expenses (client_id, created_at);
CREATE INDEX expenses_account_id_idx ON expenses (account_id, created_at);
CREATE INDEX expenses_created_at_idx ON expenses (created_at);

CREATE TABLE withdrawals (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    client_id TEXT NOT NULL REFERENCES clients (id),
    recipient TEXT NOT NULL CONSTRAINT withdrawals_recipient_check CHECK (recipient IN ('client', 'referrer')),
    method TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    amount_minor BIGINT NOT NULL CONSTRAINT withdrawals_amount_minor_check CHECK (amount_minor > 0),
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    created_by_id TEXT,
    created_at TEXT NOT NULL
);

CREATE INDEX withdrawals_account_id_idx ON withdrawals (account_id, created_at);

-- Which payment's money went where. Append-only: a release (an expense lowered or deleted)
-- is a negative row, so the breakdown of a payment is the sum per target.
CREATE TABLE allocations (
    id TEXT NOT NULL PRIMARY KEY,
    payment_id TEXT NOT NULL REFERENCES payments (id),
    target_kind TEXT NOT NULL CONSTRAINT allocations_target_kind_check CHECK (target_kind IN ('expense', 'withdrawal', 'refund')),
    target_id TEXT NOT NULL,
    amount_minor BIGINT NOT NULL CONSTRAINT allocations_amount_minor_check CHECK (amount_minor <> 0),
    created_at TEXT NOT NULL
);

CREATE INDEX allocations_payment_id_idx ON allocations (payment_id);
CREATE INDEX allocations_target_id_idx ON allocations (target_id);

-- A request's answer kept under its Idempotency-Key, per user, so a retry replays it.
CREATE TABLE idempotency_keys (
    owner_id TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (owner_id, key)
);
