-- Honest semantics: some platforms refuse to hide some items outright (an X reply in a conversation the school's account
-- did not start, a YouTube comment on a video the channel does not own). Such an outbox row ends as 'CannotAct', the
-- comment stays 'Visible' and is flagged so people act on the platform themselves; it is never recorded as hidden.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('Pending','InProgress','Done','DeadLettered','Blocked','CannotAct'));

-- When the platform refused, and which action it refused (Hide or Delete); NULL while nothing was refused.
ALTER TABLE comments ADD COLUMN cannot_act_at timestamptz NULL;
ALTER TABLE comments ADD COLUMN cannot_act_action text NULL CHECK (cannot_act_action IN ('Hide','Unhide','Delete'));
ALTER TABLE comments ADD CONSTRAINT comments_cannot_act_pair CHECK ((cannot_act_at IS NULL) = (cannot_act_action IS NULL));

-- The case shows "cannot hide — act on the platform" until someone records a manual action or settles it.
ALTER TABLE review_cases ADD COLUMN cannot_hide boolean NOT NULL DEFAULT false;
