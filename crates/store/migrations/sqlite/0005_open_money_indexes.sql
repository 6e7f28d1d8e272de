-- Settling a payment reads only what is still open: paid payments with money left and
-- expenses not fully paid, oldest first. Partial indexes keep those reads proportional to
-- what is open, not to the account's whole history.
CREATE INDEX payments_open_idx ON payments (account_id, paid_at, id) WHERE status = 'paid' AND amount_minor > allocated_minor;
CREATE INDEX expenses_open_idx ON expenses (account_id, created_at, id) WHERE deleted_at IS NULL AND paid_minor < amount_minor;
