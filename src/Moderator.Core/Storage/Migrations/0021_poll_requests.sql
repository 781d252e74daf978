-- A webhook (or an administrator) asks for an immediate poll of a page; the worker's schedule check picks it up.
ALTER TABLE pages ADD COLUMN poll_requested_at timestamptz NULL;
ALTER TABLE pages ALTER COLUMN poll_interval SET DEFAULT interval '1 minute';
