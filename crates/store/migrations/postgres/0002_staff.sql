-- Staff and departments (seed 001): departments with localized names, business hours and
-- their granted functions; employees' departments, phone, Russian name and avatar.

ALTER TABLE users ADD COLUMN name_ru TEXT;
ALTER TABLE users ADD COLUMN phone TEXT;

CREATE TABLE departments (
    id TEXT NOT NULL PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    business_hours TEXT NOT NULL,
    show_in_support BOOLEAN NOT NULL DEFAULT FALSE,
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
    bytes BYTEA NOT NULL,
    updated_at TEXT NOT NULL
);
