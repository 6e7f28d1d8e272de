-- Short numbers for people (client #1042; payments, orders and services later): the UUID stays
-- the primary key. A counter row per numbered kind is bumped in the creating transaction
-- (INSERT … ON CONFLICT DO UPDATE … RETURNING), so numbers are unique and gapless on both
-- databases; no sequence, which would leave gaps on rollback and which SQLite lacks.
CREATE TABLE counters (
    name TEXT NOT NULL PRIMARY KEY,
    last_value BIGINT NOT NULL CONSTRAINT counters_last_value_check CHECK (last_value >= 0)
);

-- Existing clients are numbered in creation order. SQLite cannot add a NOT NULL column
-- without a default (nor drop the default afterwards without rebuilding the table, which
-- would cascade deletes into every table pointing at clients): the application always
-- writes the number, and the unique index refuses a second 0.
ALTER TABLE clients ADD COLUMN number BIGINT NOT NULL DEFAULT 0;
UPDATE clients SET number = ranked.n
FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n FROM clients) AS ranked
WHERE clients.id = ranked.id;
CREATE UNIQUE INDEX clients_number_key ON clients (number);
INSERT INTO counters (name, last_value) SELECT 'clients', COUNT(*) FROM clients;
