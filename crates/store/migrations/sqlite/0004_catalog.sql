-- The catalog (issue 10): enumerations, processing modules, product types with their service
-- parameters, tariff plans with prices per period, and add-ons with their prices.

CREATE TABLE enumerations (
    id TEXT NOT NULL PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX enumerations_name_en_key ON enumerations (name_en);

CREATE TABLE enumeration_items (
    enumeration_id TEXT NOT NULL REFERENCES enumerations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    value TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    PRIMARY KEY (enumeration_id, value)
);

CREATE TABLE processing_modules (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT processing_modules_kind_check CHECK (kind IN ('manual', 'program', 'http')),
    department_id TEXT REFERENCES departments (id) ON DELETE SET NULL,
    command TEXT,
    url TEXT,
    secret TEXT,
    timeout_secs INTEGER NOT NULL DEFAULT 30 CONSTRAINT processing_modules_timeout_secs_check CHECK (timeout_secs BETWEEN 1 AND 600),
    is_active INTEGER NOT NULL DEFAULT 1 CONSTRAINT processing_modules_is_active_check CHECK (is_active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX processing_modules_name_key ON processing_modules (name);

CREATE TABLE product_types (
    id TEXT NOT NULL PRIMARY KEY,
    key TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    module_id TEXT REFERENCES processing_modules (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX product_types_key_key ON product_types (key);

CREATE TABLE service_params (
    product_type_id TEXT NOT NULL REFERENCES product_types (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_ru TEXT NOT NULL,
    kind TEXT NOT NULL CONSTRAINT service_params_kind_check CHECK (kind IN ('text', 'password', 'domain', 'choice')),
    enumeration_id TEXT REFERENCES enumerations (id),
    is_required INTEGER NOT NULL DEFAULT 0 CONSTRAINT service_params_is_required_check CHECK (is_required IN (0, 1)),
    asked TEXT NOT NULL CONSTRAINT service_params_asked_check CHECK (asked IN ('order', 'after_payment')),
    min_length INTEGER NOT NULL DEFAULT 0,
    max_length INTEGER NOT NULL DEFAULT 255,
    pattern TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_type_id, key)
);

CREATE TABLE tariffs (
    id TEXT NOT NULL PRIMARY KEY,
    product_type_id TEXT NOT NULL REFERENCES product_types (id),
    provider_id TEXT NOT NULL REFERENCES providers (id),
    currency_code TEXT NOT NULL REFERENCES currencies (code),
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    description_en TEXT NOT NULL DEFAULT '',
    description_ru TEXT NOT NULL DEFAULT '',
    is_active INTEGER NOT NULL DEFAULT 1 CONSTRAINT tariffs_is_active_check CHECK (is_active IN (0, 1)),
    orderable_by TEXT NOT NULL CONSTRAINT tariffs_orderable_by_check CHECK (orderable_by IN ('clients', 'staff')),
    allow_quick_order INTEGER NOT NULL DEFAULT 0 CONSTRAINT tariffs_allow_quick_order_check CHECK (allow_quick_order IN (0, 1)),
    max_services INTEGER,
    default_period TEXT NOT NULL,
    trial_days INTEGER NOT NULL DEFAULT 0,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX tariffs_product_type_id_idx ON tariffs (product_type_id);
CREATE INDEX tariffs_provider_id_idx ON tariffs (provider_id);

CREATE TABLE tariff_prices (
    tariff_id TEXT NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
    period TEXT NOT NULL CONSTRAINT tariff_prices_period_check CHECK (period IN ('trial', 'day', 'month1', 'month3', 'month6', 'month12', 'month24', 'month36', 'lifetime')),
    price_minor BIGINT NOT NULL CONSTRAINT tariff_prices_price_minor_check CHECK (price_minor >= 0),
    setup_minor BIGINT NOT NULL DEFAULT 0 CONSTRAINT tariff_prices_setup_minor_check CHECK (setup_minor >= 0),
    PRIMARY KEY (tariff_id, period)
);

CREATE TABLE addons (
    id TEXT NOT NULL PRIMARY KEY,
    tariff_id TEXT NOT NULL REFERENCES tariffs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    billing TEXT NOT NULL CONSTRAINT addons_billing_check CHECK (billing IN ('none', 'order', 'choice', 'boolean', 'statistics')),
    unit TEXT NOT NULL DEFAULT '',
    included BIGINT NOT NULL DEFAULT 0,
    min_value BIGINT NOT NULL DEFAULT 0,
    max_value BIGINT NOT NULL DEFAULT 0,
    step BIGINT NOT NULL DEFAULT 1,
    enumeration_id TEXT REFERENCES enumerations (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE UNIQUE INDEX addons_tariff_id_key_key ON addons (tariff_id, key);

-- An add-on's price per period; for a choice, per option (`option_value`), else ''.
CREATE TABLE addon_prices (
    addon_id TEXT NOT NULL REFERENCES addons (id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    option_value TEXT NOT NULL DEFAULT '',
    price_minor BIGINT NOT NULL CONSTRAINT addon_prices_price_minor_check CHECK (price_minor >= 0),
    PRIMARY KEY (addon_id, period, option_value)
);

-- A service names the plan it was ordered on (orders fill it in).
ALTER TABLE services ADD COLUMN tariff_id TEXT REFERENCES tariffs (id);
CREATE INDEX services_tariff_id_idx ON services (tariff_id);
