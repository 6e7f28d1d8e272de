-- Self-registrations per address, so one address cannot create accounts (and have
-- registration mail sent) without limit.
CREATE TABLE registrations (
    id TEXT NOT NULL PRIMARY KEY,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX registrations_ip_at_idx ON registrations (ip, at);
