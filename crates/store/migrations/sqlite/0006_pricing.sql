-- What a client pays and why (issue 11): exchange rates (the directory, per client group and
-- per client), personal discounts, promotions with condition groups and promo codes, and tax
-- rules at three levels (provider, client group, client) with the provider's tax settings.
-- Lists of ids (a discount's targets, a rule's product types) are JSON text, as the client
-- groups' lists already are.

-- SQLite dialect: dates are `2026-12-06` text and rates their exact decimal text.

-- Off: prices include tax (the same price for everyone); on: tax is added by the rules.
ALTER TABLE providers ADD COLUMN tax_on_top INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN show_tax_on_top_up INTEGER NOT NULL DEFAULT 0;

-- The rates directory: `units` of `currency_code` are worth `rate` of `base_code` from
-- `valid_from` until the pair's next row. A derived rate names the rate it was computed
-- from and the expression (`*1.05`).
CREATE TABLE currency_rates (
    id TEXT NOT NULL PRIMARY KEY,
    base_code TEXT NOT NULL REFERENCES currencies (code),
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    rate TEXT NOT NULL CONSTRAINT currency_rates_rate_check CHECK (rate > 0),
    units BIGINT NOT NULL DEFAULT 1 CONSTRAINT currency_rates_units_check CHECK (units > 0),
    valid_from TEXT NOT NULL,
    source_id TEXT REFERENCES currency_rates (id) ON DELETE SET NULL,
    expression TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT currency_rates_pair_check CHECK (base_code <> currency_code)
);

CREATE UNIQUE INDEX currency_rates_pair_key ON currency_rates (base_code, currency_code, valid_from);

-- A client group's own rates (seed 004), same shape as the directory's.
CREATE TABLE group_currency_rates (
    id TEXT NOT NULL PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES client_groups (id) ON DELETE CASCADE,
    base_code TEXT NOT NULL REFERENCES currencies (code),
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    rate TEXT NOT NULL CONSTRAINT group_currency_rates_rate_check CHECK (rate > 0),
    units BIGINT NOT NULL DEFAULT 1 CONSTRAINT group_currency_rates_units_check CHECK (units > 0),
    valid_from TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT group_currency_rates_pair_check CHECK (base_code <> currency_code)
);

CREATE UNIQUE INDEX group_currency_rates_pair_key ON group_currency_rates (group_id, base_code, currency_code, valid_from);

-- A client's personal rate (seed 004): `units` of the converted currency are worth `rate` of
-- the base currency; `amount_minor`, when set, is how much of the base currency one document
-- may convert at this rate (above it the group or directory rate applies).
CREATE TABLE client_currency_rates (
    id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    base_code TEXT NOT NULL REFERENCES currencies (code),
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    rate TEXT NOT NULL CONSTRAINT client_currency_rates_rate_check CHECK (rate > 0),
    units BIGINT NOT NULL DEFAULT 1 CONSTRAINT client_currency_rates_units_check CHECK (units > 0),
    amount_minor BIGINT CONSTRAINT client_currency_rates_amount_minor_check CHECK (amount_minor > 0),
    valid_from TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT client_currency_rates_pair_check CHECK (base_code <> currency_code)
);

CREATE UNIQUE INDEX client_currency_rates_pair_key ON client_currency_rates (client_id, base_code, currency_code, valid_from);

-- A personal discount: a percentage (basis points) or a fixed amount in a currency, on
-- everything, some product types or some plans (`targets`, JSON ids), between two days.
CREATE TABLE client_discounts (
    id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CONSTRAINT client_discounts_kind_check CHECK (kind IN ('percent', 'fixed')),
    percent_bp INTEGER CONSTRAINT client_discounts_percent_bp_check CHECK (percent_bp BETWEEN 1 AND 10000),
    amount_minor BIGINT CONSTRAINT client_discounts_amount_minor_check CHECK (amount_minor > 0),
    currency_code TEXT REFERENCES currencies (code),
    scope TEXT NOT NULL CONSTRAINT client_discounts_scope_check CHECK (scope IN ('all', 'product_types', 'tariffs')),
    targets TEXT NOT NULL DEFAULT '[]',
    starts_on TEXT,
    ends_on TEXT,
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX client_discounts_client_id_idx ON client_discounts (client_id);

-- A promotion of a provider: a discount for whoever meets its conditions.
CREATE TABLE promotions (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    title_en TEXT NOT NULL,
    title_ru TEXT NOT NULL,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    starts_on TEXT,
    ends_on TEXT,
    kind TEXT NOT NULL CONSTRAINT promotions_kind_check CHECK (kind IN ('percent', 'fixed')),
    percent_bp INTEGER CONSTRAINT promotions_percent_bp_check CHECK (percent_bp BETWEEN 1 AND 10000),
    amount_minor BIGINT CONSTRAINT promotions_amount_minor_check CHECK (amount_minor > 0),
    currency_code TEXT REFERENCES currencies (code),
    is_active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX promotions_name_key ON promotions (name);
CREATE INDEX promotions_provider_id_idx ON promotions (provider_id);

-- A promotion's conditions: inside one `group_no` any one suffices, across groups one from
-- each is needed. `value` is a client group, plan or product type id, a period key, or ''
-- (first order; a promo code of this promotion).
CREATE TABLE promotion_conditions (
    id TEXT NOT NULL PRIMARY KEY,
    promotion_id TEXT NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    group_no INTEGER NOT NULL CONSTRAINT promotion_conditions_group_no_check CHECK (group_no BETWEEN 1 AND 100),
    kind TEXT NOT NULL CONSTRAINT promotion_conditions_kind_check CHECK (kind IN ('client_group', 'tariff', 'product_type', 'period', 'first_order', 'promo_code')),
    value TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX promotion_conditions_promotion_id_key ON promotion_conditions (promotion_id, group_no, kind, value);

-- Promo codes of a promotion: single-use (used once in all) or multi-use up to a limit.
CREATE TABLE promo_codes (
    id TEXT NOT NULL PRIMARY KEY,
    promotion_id TEXT NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    is_multi_use INTEGER NOT NULL DEFAULT 0,
    usage_limit INTEGER CONSTRAINT promo_codes_usage_limit_check CHECK (usage_limit > 0),
    used_count INTEGER NOT NULL DEFAULT 0 CONSTRAINT promo_codes_used_count_check CHECK (used_count >= 0),
    created_at TEXT NOT NULL
);

CREATE UNIQUE INDEX promo_codes_code_key ON promo_codes (code);
CREATE INDEX promo_codes_promotion_id_idx ON promo_codes (promotion_id);

-- A tax rule of a provider: for everyone (no group, no client), for a client group, or for
-- one client (seed 004's special rule, with its time zone). Empty `product_types` is any
-- product; no country is any country; a region needs a country.
CREATE TABLE tax_rules (
    id TEXT NOT NULL PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers (id),
    group_id TEXT REFERENCES client_groups (id) ON DELETE CASCADE,
    client_id TEXT REFERENCES clients (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    rate_bp INTEGER NOT NULL CONSTRAINT tax_rules_rate_bp_check CHECK (rate_bp BETWEEN 0 AND 10000),
    country TEXT,
    region TEXT,
    product_types TEXT NOT NULL DEFAULT '[]',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT tax_rules_level_check CHECK (group_id IS NULL OR client_id IS NULL),
    CONSTRAINT tax_rules_region_check CHECK (region IS NULL OR country IS NOT NULL)
);

CREATE INDEX tax_rules_provider_id_idx ON tax_rules (provider_id);
CREATE INDEX tax_rules_group_id_idx ON tax_rules (group_id);
CREATE INDEX tax_rules_client_id_idx ON tax_rules (client_id);

-- A payer's region (a state, a subject), which regional tax rules match.
ALTER TABLE payers ADD COLUMN region TEXT;

-- The tax rule an expense's tax came from, shown on the expense and the invoice.
ALTER TABLE expenses ADD COLUMN tax_name TEXT NOT NULL DEFAULT '';
