-- The client list filtered by label or characteristic is shown newest first: with the sort
-- columns in the index, the first page is read in order instead of sorting every match.
DROP INDEX clients_label_idx;
CREATE INDEX clients_label_idx ON clients (label, created_at, id);
DROP INDEX clients_characteristic_idx;
CREATE INDEX clients_characteristic_idx ON clients (characteristic, created_at, id);

-- The text search is a prefix range on words: compare them byte by byte, not by the
-- locale's collation (which ignores punctuation and would break the range).
ALTER TABLE client_search_terms ALTER COLUMN term TYPE TEXT COLLATE "C";
