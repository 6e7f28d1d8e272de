-- The catalog (issue 10): enumerations, processing modules, product types with their service
-- parameters, tariff plans with prices per period, and add-ons with their prices.

CREATE TABLE enumerations (
    id uuid NOT NULL PRIMARY KEY,
    name_en text NOT NULL,
    name_ru text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX enumerations_name_en_key ON enumerations (name_en);

CREATE TABLE enumeration_items (
    enumeration_id uuid NOT NULL REFERENCES enumerations (id) ON DELETE CASCADE,
    position integer NOT NULL,
    value text NOT NULL,
    name_en text NOT NULL,
    name_ru text NOT NULL,
    PRIMARY KEY (enumeration_id, value)
);

CREATE TABLE processing_modules (
    id uuid NOT NULL PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL CONSTRAINT processing_modules_kind_check CHECK (kind IN ('manual', 'program', 'http')),
    department_id uuid REFERENCES departments (id) ON DELETE SET NULL,
    command text,
    url text,
    secret text,
    timeout_secs integer NOT NULL DEFAULT 30 CONSTRAINT processing_modules_timeout_secs_check CHECK (timeout_secs BETWEEN 1 AND 600),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX processing_modules_name_key ON processing_modules (name);

CREATE TABLE product_types (
    id uuid NOT NULL PRIMARY KEY,
    key text NOT NULL,
    name_en text NOT NULL,
    name_ru text NOT NULL,
    module_id uuid REFERENCES processing_modules (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX product_types_key_key ON product_types (key);

CREATE TABLE service_params (
    product_type_id uuid NOT NULL REFERENCES product_types (id) ON DELETE CASCADE,
    position integer NOT NULL,
    key text NOT NULL,
    label_en text NOT NULL,
    label_ru text NOT NULL,
    kind text NOT NULL CONSTRAINT service_params_kind_check CHECK (kind IN ('text', 'password', 'domain', 'choice')),
    enumeration_id uuid REFERENCES enumerations (id),
    is_required boolean NOT NULL DEFAULT false,
    asked text NOT NULL CONSTRAINT service_params_asked_check CHECK (asked IN ('order', 'after_payment')),
    min_length integer NOT NULL DEFAULT 0,
    max_length integer NOT NULL DEFAULT 255,
    pattern text NOT NULL DEFAULT '',
    PRIMARY KEY (product_type_id, key)
);

CREATE TABLE tariffs (
    id uuid NOT NULL PRIMARY KEY,
    product_type_id uuid NOT NULL REFERENCES product_types (id),
    provider_id uuid NOT NULL REFERENCES providers (id),
    currency_code text NOT NULL REFERENCES currencies (code),
    name_en text NOT NULL,
    name_ru text NOT NULL,
    description_en text NOT NULL DEFAULT '',
    description_ru text NOT NULL DEFAULT '',
    is_active boolean NOT NULL DEFAULT true,
    orderable_by text NOT NULL CONSTRAINT tariffs_orderable_by_check CHECK (orderable_by IN ('clients', 'staff')),
    allow_quick_order boolean NOT NULL DEFAULT false,
    max_services integer,
    default_period text NOT NULL,
    trial_days integer NOT NULL DEFAULT 0,
    archived_at timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE INDEX tariffs_product_type_id_idx ON tariffs (product_type_id);
CREATE INDEX tariffs_provider_id_idx ON tariffs (provider_id);

CREATE TABLE tariff_prices (
    tariff_id uuid NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
    period text NOT NULL CONSTRAINT tariff_prices_period_check CHECK (period IN ('trial', 'day', 'month1', 'month3', 'month6', 'month12', 'month24', 'month36', 'lifetime')),
    price_minor bigint NOT NULL CONSTRAINT tariff_prices_price_minor_check CHECK (price_minor >= 0),
    setup_minor bigint NOT NULL DEFAULT 0 CONSTRAINT tariff_prices_setup_minor_check CHECK (setup_minor >= 0),
    PRIMARY KEY (tariff_id, period)
);

CREATE TABLE addons (
    id uuid NOT NULL PRIMARY KEY,
    tariff_id uuid NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
    position integer NOT NULL,
    key text NOT NULL,
    name_en text NOT NULL,
    name_ru text NOT NULL,
    billing text NOT NULL CONSTRAINT addons_billing_check CHECK (billing IN ('none', 'order', 'choice', 'boolean', 'statistics')),
    unit text NOT NULL DEFAULT '',
    included bigint NOT NULL DEFAULT 0,
    min_value bigint NOT NULL DEFAULT 0,
    max_value bigint NOT NULL DEFAULT 0,
    step bigint NOT NULL DEFAULT 1,
    enumeration_id uuid REFERENCES enumerations (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE UNIQUE INDEX addons_tariff_id_key_key ON addons (tariff_id, key);

-- An add-on's price per period; for a choice, per option (`option_value`), else ''.
CREATE TABLE addon_prices (
    addon_id uuid NOT NULL REFERENCES addons (id) ON DELETE CASCADE,
    period text NOT NULL,
    option_value text NOT NULL DEFAULT '',
    price_minor bigint NOT NULL CONSTRAINT addon_prices_price_minor_check CHECK (price_minor >= 0),
    PRIMARY KEY (addon_id, period, option_value)
);

-- A service names the plan it was ordered on (orders fill it in).
ALTER TABLE services ADD COLUMN tariff_id uuid REFERENCES tariffs (id);
CREATE INDEX services_tariff_id_idx ON services (tariff_id);
