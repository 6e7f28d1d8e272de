-- Files sent with a queued mail (an invoice's PDF), stored as they were sent.
CREATE TABLE outbox_attachments (
    mail_id TEXT NOT NULL REFERENCES outbox_emails (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (mail_id, position)
);
