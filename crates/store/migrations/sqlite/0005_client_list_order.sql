-- The client list filtered by label or characteristic is shown newest first: with the sort
-- columns in the index, the first page is read in order instead of sorting every match.
DROP INDEX clients_label_idx;
CREATE INDEX clients_label_idx ON clients (label, created_at, id);
DROP INDEX clients_characteristic_idx;
CREATE INDEX clients_characteristic_idx ON clients (characteristic, created_at, id);

-- (PostgreSQL also switches client_search_terms.term to the "C" collation here; SQLite
-- already compares text byte by byte.)
