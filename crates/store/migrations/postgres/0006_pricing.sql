-- What a client pays and why (issue 11): exchange rates (the directory, per client group and
-- per client), personal discounts, promotions with condition groups and promo codes, and tax
-- rules at three levels (provider, client group, client) with the provider's tax settings.
-- Lists of ids (a discount's targets, a rule's product types) are JSON text, as the client
-- groups' lists already are.

-- Off: prices include tax (the same price for everyone); on: tax is added by the rules.
ALTER TABLE providers ADD COLUMN tax_on_top boolean NOT NULL DEFAULT false;
ALTER TABLE providers ADD COLUMN show_tax_on_top_up boolean NOT NULL DEFAULT false;

-- The rates directory: `units` of `currency_code` are worth `rate` of `base_code` from
-- `valid_from` until the pair's next row. A derived rate names the rate it was computed
-- from and the expression (`*1.05`).
CREATE TABLE currency_rates (
    id uuid NOT NULL PRIMARY KEY,
    base_code text NOT NULL REFERENCES currencies (code),
    currency_code text NOT NULL REFERENCES currencies (code),
    rate numeric NOT NULL CONSTRAINT currency_rates_rate_check CHECK (rate > 0),
    units bigint NOT NULL DEFAULT 1 CONSTRAINT currency_rates_units_check CHECK (units > 0),
    valid_from date NOT NULL,
    source_id uuid REFERENCES currency_rates (id) ON DELETE SET NULL,
    expression text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT currency_rates_pair_check CHECK (base_code <> currency_code)
);

CREATE UNIQUE INDEX currency_rates_pair_key ON currency_rates (base_code, currency_code, valid_from);

-- A client group's own rates (seed 004), same shape as the directory's.
CREATE TABLE group_currency_rates (
    id uuid NOT NULL PRIMARY KEY,
    group_id uuid NOT NULL REFERENCES client_groups (id) ON DELETE CASCADE,
    base_code text NOT NULL REFERENCES currencies (code),
    currency_code text NOT NULL REFERENCES currencies (code),
    rate numeric NOT NULL CONSTRAINT group_currency_rates_rate_check CHECK (rate > 0),
    units bigint NOT NULL DEFAULT 1 CONSTRAINT group_currency_rates_units_check CHECK (units > 0),
    valid_from date NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT group_currency_rates_pair_check CHECK (base_code <> currency_code)
);

CREATE UNIQUE INDEX group_currency_rates_pair_key ON group_currency_rates (group_id, base_code, currency_code, valid_from);

-- A client's personal rate (seed 004): `units` of the converted currency are worth `rate` of
-- the base currency; `amount_minor`, when set, is how much of the base currency one document
-- may convert at this rate (above it the group or directory rate applies).
CREATE TABLE client_currency_rates (
    id uuid NOT NULL PRIMARY KEY,
    client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    base_code text NOT NULL REFERENCES currencies (code),
    currency_code text NOT NULL REFERENCES currencies (code),
    rate numeric NOT NULL CONSTRAINT client_currency_rates_rate_check CHECK (rate > 0),
    units bigint NOT NULL DEFAULT 1 CONSTRAINT client_currency_rates_units_check CHECK (units > 0),
    amount_minor bigint CONSTRAINT client_currency_rates_amount_minor_check CHECK (amount_minor > 0),
    valid_from date NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT client_currency_rates_pair_check CHECK (base_code <> currency_code)
);

CREATE UNIQUE INDEX client_currency_rates_pair_key ON client_currency_rates (client_id, base_code, currency_code, valid_from);

-- A personal discount: a percentage (basis points) or a fixed amount in a currency, on
-- everything, some product types or some plans (`targets`, JSON ids), between two days.
CREATE TABLE client_discounts (
    id uuid NOT NULL PRIMARY KEY,
    client_id uuid NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    kind text NOT NULL CONSTRAINT client_discounts_kind_check CHECK (kind IN ('percent', 'fixed')),
    percent_bp integer CONSTRAINT client_discounts_percent_bp_check CHECK (percent_bp BETWEEN 1 AND 10000),
    amount_minor bigint CONSTRAINT client_discounts_amount_minor_check CHECK (amount_minor > 0),
    currency_code text REFERENCES currencies (code),
    scope text NOT NULL CONSTRAINT client_discounts_scope_check CHECK (scope IN ('all', 'product_types', 'tariffs')),
    targets text NOT NULL DEFAULT '[]',
    starts_on date,
    ends_on date,
    comment text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE INDEX client_discounts_client_id_idx ON client_discounts (client_id);

-- A promotion of a provider: a discount for whoever meets its conditions.
CREATE TABLE promotions (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    title_en text NOT NULL,
    title_ru text NOT NULL,
    provider_id uuid NOT NULL REFERENCES providers (id),
    starts_on date,
    ends_on date,
    kind text NOT NULL CONSTRAINT promotions_kind_check CHECK (kind IN ('percent', 'fixed')),
    percent_bp integer CONSTRAINT promotions_percent_bp_check CHECK (percent_bp BETWEEN 1 AND 10000),
    amount_minor bigint CONSTRAINT promotions_amount_minor_check CHECK (amount_minor > 0),
    currency_code text REFERENCES currencies (code),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX promotions_name_key ON promotions (name);
CREATE INDEX promotions_provider_id_idx ON promotions (provider_id);

-- A promotion's conditions: inside one `group_no` any one suffices, across groups one from
-- each is needed. `value` is a client group, plan or product type id, a period key, or ''
-- (first order; a promo code of this promotion).
CREATE TABLE promotion_conditions (
    id uuid NOT NULL PRIMARY KEY,
    promotion_id uuid NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    group_no integer NOT NULL CONSTRAINT promotion_conditions_group_no_check CHECK (group_no BETWEEN 1 AND 100),
    kind text NOT NULL CONSTRAINT promotion_conditions_kind_check CHECK (kind IN ('client_group', 'tariff', 'product_type', 'period', 'first_order', 'promo_code')),
    value text NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX promotion_conditions_promotion_id_key ON promotion_conditions (promotion_id, group_no, kind, value);

-- Promo codes of a promotion: single-use (used once in all) or multi-use up to a limit.
CREATE TABLE promo_codes (
    id uuid NOT NULL PRIMARY KEY,
    promotion_id uuid NOT NULL REFERENCES promotions (id) ON DELETE CASCADE,
    code text NOT NULL COLLATE "C",
    is_multi_use boolean NOT NULL DEFAULT false,
    usage_limit integer CONSTRAINT promo_codes_usage_limit_check CHECK (usage_limit > 0),
    used_count integer NOT NULL DEFAULT 0 CONSTRAINT promo_codes_used_count_check CHECK (used_count >= 0),
    created_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX promo_codes_code_key ON promo_codes (code);
CREATE INDEX promo_codes_promotion_id_idx ON promo_codes (promotion_id);

-- A tax rule of a provider: for everyone (no group, no client), for a client group, or for
-- one client (seed 004's special rule, with its time zone). Empty `product_types` is any
-- product; no country is any country; a region needs a country.
CREATE TABLE tax_rules (
    id uuid NOT NULL PRIMARY KEY,
    provider_id uuid NOT NULL REFERENCES providers (id),
    group_id uuid REFERENCES client_groups (id) ON DELETE CASCADE,
    client_id uuid REFERENCES clients (id) ON DELETE CASCADE,
    name text NOT NULL,
    rate_bp integer NOT NULL CONSTRAINT tax_rules_rate_bp_check CHECK (rate_bp BETWEEN 0 AND 10000),
    country text,
    region text,
    product_types text NOT NULL DEFAULT '[]',
    time_zone text NOT NULL DEFAULT 'UTC',
    starts_at timestamptz NOT NULL,
    ends_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT tax_rules_level_check CHECK (group_id IS NULL OR client_id IS NULL),
    CONSTRAINT tax_rules_region_check CHECK (region IS NULL OR country IS NOT NULL)
);

CREATE INDEX tax_rules_provider_id_idx ON tax_rules (provider_id);
CREATE INDEX tax_rules_group_id_idx ON tax_rules (group_id);
CREATE INDEX tax_rules_client_id_idx ON tax_rules (client_id);

-- A payer's region (a state, a subject), which regional tax rules match.
ALTER TABLE payers ADD COLUMN region text;

-- The tax rule an expense's tax came from, shown on the expense and the invoice.
ALTER TABLE expenses ADD COLUMN tax_name text NOT NULL DEFAULT '';
