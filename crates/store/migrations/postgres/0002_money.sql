-- Money (issue 9): personal accounts, the immutable ledger, payment methods, payments,
-- expenses, allocations, withdrawals and idempotency keys. The placeholder `payments` and
-- `expenses` tables of the baseline held test rows only; the real ones replace them.

DROP TABLE payments;
DROP TABLE expenses;

CREATE TABLE payment_methods (
    id uuid NOT NULL PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    kind text NOT NULL CONSTRAINT payment_methods_kind_check CHECK (kind IN ('bank_transfer', 'manual')),
    name_en text NOT NULL,
    name_ru text NOT NULL,
    company_id uuid REFERENCES companies (id) ON DELETE SET NULL,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX payment_methods_provider_id_name_en_key ON payment_methods (provider_id, name_en);

CREATE TABLE accounts (
    id uuid NOT NULL PRIMARY KEY,
    client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    provider_id uuid NOT NULL REFERENCES providers (id),
    currency_code text NOT NULL REFERENCES currencies (code),
    balance_minor bigint NOT NULL DEFAULT 0,
    credit_mode text NOT NULL CONSTRAINT accounts_credit_mode_check CHECK (credit_mode IN ('prepaid', 'credit_limit', 'postpaid')),
    credit_limit_minor bigint NOT NULL DEFAULT 0 CONSTRAINT accounts_credit_limit_minor_check CHECK (credit_limit_minor >= 0),
    grace_mode text NOT NULL CONSTRAINT accounts_grace_mode_check CHECK (grace_mode IN ('unlimited', 'from_due_payment')),
    respite_days integer NOT NULL DEFAULT 0 CONSTRAINT accounts_respite_days_check CHECK (respite_days BETWEEN 0 AND 3650),
    block_in_days integer NOT NULL DEFAULT 0 CONSTRAINT accounts_block_in_days_check CHECK (block_in_days BETWEEN 0 AND 3650),
    referrer_id uuid REFERENCES clients (id) ON DELETE SET NULL,
    free_support_calls integer NOT NULL DEFAULT 0 CONSTRAINT accounts_free_support_calls_check CHECK (free_support_calls >= 0),
    is_active boolean NOT NULL DEFAULT true,
    last_seq bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- One active personal account per client and provider.
CREATE UNIQUE INDEX accounts_client_id_provider_id_key ON accounts (client_id, provider_id) WHERE is_active;
CREATE INDEX accounts_provider_id_idx ON accounts (provider_id);

CREATE TABLE ledger_entries (
    id uuid NOT NULL PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    seq bigint NOT NULL,
    kind text NOT NULL CONSTRAINT ledger_entries_kind_check CHECK (kind IN ('payment', 'expense', 'expense_change', 'expense_delete', 'refund', 'withdrawal')),
    document_id uuid NOT NULL,
    amount_minor bigint NOT NULL CONSTRAINT ledger_entries_amount_minor_check CHECK (amount_minor <> 0),
    balance_after_minor bigint NOT NULL,
    actor_user_id uuid,
    created_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX ledger_entries_account_id_seq_key ON ledger_entries (account_id, seq);
-- A document moves money once: a retried credit finds its entry instead of writing another.
CREATE UNIQUE INDEX ledger_entries_kind_document_id_key ON ledger_entries (kind, document_id) WHERE kind IN ('payment', 'expense', 'refund', 'withdrawal');
CREATE INDEX ledger_entries_document_id_idx ON ledger_entries (document_id);

CREATE TABLE payments (
    id uuid NOT NULL PRIMARY KEY,
    number text NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    company_id uuid REFERENCES companies (id) ON DELETE SET NULL,
    payer_id uuid REFERENCES payers (id) ON DELETE SET NULL,
    method_id uuid REFERENCES payment_methods (id) ON DELETE SET NULL,
    amount_minor bigint NOT NULL CONSTRAINT payments_amount_minor_check CHECK (amount_minor <> 0),
    allocated_minor bigint NOT NULL DEFAULT 0,
    currency_code text NOT NULL REFERENCES currencies (code),
    status text NOT NULL CONSTRAINT payments_status_check CHECK (status IN ('new', 'paid', 'canceled', 'refunded')),
    comment text NOT NULL DEFAULT '',
    refund_of_id uuid REFERENCES payments (id),
    created_by_id uuid,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    paid_at timestamptz
);

CREATE UNIQUE INDEX payments_number_company_id_key ON payments (number, company_id);
CREATE INDEX payments_client_id_idx ON payments (client_id, created_at);
CREATE INDEX payments_account_id_idx ON payments (account_id, status);
CREATE INDEX payments_created_at_idx ON payments (created_at);

CREATE TABLE expenses (
    id uuid NOT NULL PRIMARY KEY,
    number bigint NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    service_id uuid,
    description text NOT NULL,
    amount_minor bigint NOT NULL CONSTRAINT expenses_amount_minor_check CHECK (amount_minor > 0),
    tax_rate_bp integer NOT NULL DEFAULT 0 CONSTRAINT expenses_tax_rate_bp_check CHECK (tax_rate_bp BETWEEN 0 AND 10000),
    tax_minor bigint NOT NULL DEFAULT 0,
    paid_minor bigint NOT NULL DEFAULT 0,
    currency_code text NOT NULL REFERENCES currencies (code),
    created_by_id uuid,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    deleted_at timestamptz
);

CREATE UNIQUE INDEX expenses_number_key ON expenses (number);
CREATE INDEX expenses_client_id_idx ON expenses (client_id, created_at);
CREATE INDEX expenses_account_id_idx ON expenses (account_id, created_at);
CREATE INDEX expenses_created_at_idx ON expenses (created_at);

CREATE TABLE withdrawals (
    id uuid NOT NULL PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    client_id uuid NOT NULL REFERENCES clients (id),
    recipient text NOT NULL CONSTRAINT withdrawals_recipient_check CHECK (recipient IN ('client', 'referrer')),
    method text NOT NULL,
    details text NOT NULL DEFAULT '',
    amount_minor bigint NOT NULL CONSTRAINT withdrawals_amount_minor_check CHECK (amount_minor > 0),
    currency_code text NOT NULL REFERENCES currencies (code),
    created_by_id uuid,
    created_at timestamptz NOT NULL
);

CREATE INDEX withdrawals_account_id_idx ON withdrawals (account_id, created_at);

-- Which payment's money went where. Append-only: a release (an expense lowered or deleted)
-- is a negative row, so the breakdown of a payment is the sum per target.
CREATE TABLE allocations (
    id uuid NOT NULL PRIMARY KEY,
    payment_id uuid NOT NULL REFERENCES payments (id),
    target_kind text NOT NULL CONSTRAINT allocations_target_kind_check CHECK (target_kind IN ('expense', 'withdrawal', 'refund')),
    target_id uuid NOT NULL,
    amount_minor bigint NOT NULL CONSTRAINT allocations_amount_minor_check CHECK (amount_minor <> 0),
    created_at timestamptz NOT NULL
);

CREATE INDEX allocations_payment_id_idx ON allocations (payment_id);
CREATE INDEX allocations_target_id_idx ON allocations (target_id);

-- A request's answer kept under its Idempotency-Key, per user, so a retry replays it.
CREATE TABLE idempotency_keys (
    owner_id uuid NOT NULL,
    key text NOT NULL,
    fingerprint text NOT NULL,
    answer text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (owner_id, key)
);
