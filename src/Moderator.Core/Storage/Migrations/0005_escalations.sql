-- Safeguarding escalations for the school's DSL and deputies, with their chronology of outcomes.
CREATE TABLE escalations (
    id                     uuid PRIMARY KEY,
    school_id              uuid NOT NULL REFERENCES schools (id),
    page_id                uuid NOT NULL REFERENCES pages (id),
    comment_id             uuid NOT NULL REFERENCES comments (id),
    revision_id            uuid NOT NULL REFERENCES comment_revisions (id),
    case_id                uuid NULL REFERENCES review_cases (id),
    trigger                text NOT NULL CHECK (trigger IN ('HideAndEscalateVerdict','StaffAllegation','ModeratorDecision')),
    categories             text[] NOT NULL,
    status                 text NOT NULL CHECK (status IN ('Open','Acknowledged','Closed')),
    opened_at              timestamptz NOT NULL,
    ack_due_at             timestamptz NOT NULL,
    reminder_stage         integer NOT NULL DEFAULT 0 CHECK (reminder_stage BETWEEN 0 AND 2),
    acknowledged_by        uuid NULL REFERENCES staff_members (id),
    acknowledged_at        timestamptz NULL,
    closed_by              uuid NULL REFERENCES staff_members (id),
    closed_at              timestamptz NULL,
    evidence_retain_until  timestamptz NULL,
    version                integer NOT NULL DEFAULT 1,
    UNIQUE (revision_id, trigger)
);
CREATE INDEX escalations_unacknowledged ON escalations (ack_due_at) WHERE status = 'Open';
CREATE INDEX escalations_comment ON escalations (comment_id);

CREATE TABLE escalation_outcomes (
    id             uuid PRIMARY KEY,
    escalation_id  uuid NOT NULL REFERENCES escalations (id),
    kind           text NOT NULL CHECK (kind IN ('CeopReport','Police','Lado','ChildrensSocialCare','InternetWatchFoundation','NoFurtherAction')),
    reference      text NULL,
    notes          text NULL,
    recorded_by    uuid NOT NULL REFERENCES staff_members (id),
    recorded_at    timestamptz NOT NULL,
    CHECK (kind <> 'Police' OR reference IS NOT NULL)
);
CREATE INDEX escalation_outcomes_escalation ON escalation_outcomes (escalation_id, recorded_at);
