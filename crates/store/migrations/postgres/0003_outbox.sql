-- Transactional e-mail outbox. A use case inserts a row in its own transaction; the job
-- worker claims due rows after commit (a lease in `leased_until`), sends them over SMTP and
-- marks them sent, or schedules a retry (`next_attempt_at`) until it gives up (`failed`).
-- Subject and body are rendered when the mail is queued, so the row is exactly what the
-- recipient gets; `template` and `params` say what produced it.
-- Same table, columns and indexes as the SQLite dialect (a test compares them).
-- No foreign key on client_id: like history, a record of what was sent outlives the client.

CREATE TABLE outbox_emails (
    id TEXT NOT NULL PRIMARY KEY,
    dedupe_key TEXT,
    client_id TEXT,
    to_address TEXT NOT NULL,
    to_name TEXT,
    locale TEXT NOT NULL CONSTRAINT outbox_emails_locale_check CHECK (locale IN ('en', 'ru')),
    template TEXT NOT NULL,
    params TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CONSTRAINT outbox_emails_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CONSTRAINT outbox_emails_attempts_check CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    leased_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    CONSTRAINT outbox_emails_lease_check CHECK ((status = 'sending') = (leased_until IS NOT NULL))
);
CREATE UNIQUE INDEX outbox_emails_dedupe_key_key ON outbox_emails (dedupe_key);
CREATE INDEX outbox_emails_status_next_attempt_at_idx ON outbox_emails (status, next_attempt_at);
CREATE INDEX outbox_emails_client_id_idx ON outbox_emails (client_id, created_at);
