-- Files sent with a queued mail (an invoice's PDF), stored as they were sent.
CREATE TABLE outbox_attachments (
    mail_id uuid NOT NULL REFERENCES outbox_emails (id) ON DELETE CASCADE,
    position integer NOT NULL,
    filename text NOT NULL,
    content_type text NOT NULL,
    bytes bytea NOT NULL,
    PRIMARY KEY (mail_id, position)
);
