-- Work for the worker: platform actions and notifications, claimed with FOR UPDATE SKIP LOCKED under a lease.
CREATE TABLE outbox (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                text NOT NULL CHECK (kind IN ('PlatformAction','Notification')),
    action              text NULL CHECK (action IN ('Hide','Unhide','Delete')),
    channel             text NULL CHECK (channel IN ('Email','Webhook')),
    page_id             uuid NULL REFERENCES pages (id),
    comment_id          uuid NULL REFERENCES comments (id),
    recipient_staff_id  uuid NULL REFERENCES staff_members (id),
    payload             jsonb NOT NULL,
    idempotency_key     text NOT NULL UNIQUE,
    status              text NOT NULL CHECK (status IN ('Pending','InProgress','Done','DeadLettered','Blocked')),
    attempts            integer NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL,
    lease_owner         text NULL,
    lease_expires_at    timestamptz NULL,
    last_error          text NULL,
    created_at          timestamptz NOT NULL,
    completed_at        timestamptz NULL,
    CHECK ((kind = 'PlatformAction') = (action IS NOT NULL)),
    CHECK ((kind = 'Notification') = (channel IS NOT NULL))
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status IN ('Pending','InProgress');
CREATE INDEX outbox_page_blocked ON outbox (page_id) WHERE status = 'Blocked';
