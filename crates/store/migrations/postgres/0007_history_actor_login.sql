-- The actor's login as it was when the entry was written, so an entry still names its
-- author after the account is deleted.
ALTER TABLE history ADD COLUMN actor_login TEXT;
UPDATE history SET actor_login = (SELECT login FROM users WHERE users.id = history.actor_user_id);
