-- Short numbers for people (client #1042; payments, orders and services later): the UUID stays
-- the primary key. A counter row per numbered kind is bumped in the creating transaction
-- (INSERT … ON CONFLICT DO UPDATE … RETURNING; the row lock serialises parallel creations),
-- so numbers are unique and gapless on both databases; no sequence, which would leave gaps
-- on rollback and which SQLite lacks.
CREATE TABLE counters (
    name TEXT NOT NULL PRIMARY KEY,
    last_value BIGINT NOT NULL CONSTRAINT counters_last_value_check CHECK (last_value >= 0)
);

-- Existing clients are numbered in creation order; then the column has no default, so a
-- client stored without its number is refused.
ALTER TABLE clients ADD COLUMN number BIGINT NOT NULL DEFAULT 0;
UPDATE clients SET number = ranked.n
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n FROM clients) AS ranked
WHERE clients.id = ranked.id;
ALTER TABLE clients ALTER COLUMN number DROP DEFAULT;
ALTER TABLE clients ADD CONSTRAINT clients_number_check CHECK (number > 0);
CREATE UNIQUE INDEX clients_number_key ON clients (number);
INSERT INTO counters (name, last_value) SELECT 'clients', COUNT(*) FROM clients;
