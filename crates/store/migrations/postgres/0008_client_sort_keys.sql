-- The client list sorted by name or e-mail must come out in the same order on both
-- databases. Names sort by a lower-cased copy written by the application (Unicode-aware,
-- the same on both), compared byte by byte (SQLite's BINARY, PostgreSQL's "C").
ALTER TABLE clients ADD COLUMN sort_name TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE clients SET sort_name = LOWER(name);
ALTER TABLE clients ALTER COLUMN email TYPE TEXT COLLATE "C";
CREATE INDEX clients_sort_name_idx ON clients (sort_name, id);
CREATE INDEX clients_email_idx ON clients (email, id);
