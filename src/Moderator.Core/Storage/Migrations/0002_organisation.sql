-- Organisation: trusts, schools, named staff, pages with their approval record and assigned moderators (policy 001 A.3, A.5.4).
CREATE TABLE trusts (
    id                          uuid PRIMARY KEY,
    name                        text NOT NULL,
    safeguarding_lead_staff_id  uuid NULL,
    created_at                  timestamptz NOT NULL
);

CREATE TABLE schools (
    id                               uuid PRIMARY KEY,
    trust_id                         uuid NOT NULL REFERENCES trusts (id),
    name                             text NOT NULL,
    time_zone                        text NOT NULL DEFAULT 'Europe/London',
    school_day_start                 time NOT NULL DEFAULT '08:00',
    school_day_end                   time NOT NULL DEFAULT '16:00',
    ack_deadline_school_hours        interval NOT NULL DEFAULT interval '15 minutes',
    ack_deadline_outside_hours       interval NOT NULL DEFAULT interval '60 minutes',
    review_age_target                interval NOT NULL DEFAULT interval '24 hours',
    escalation_webhook_url           text NULL,
    created_at                       timestamptz NOT NULL,
    version                          integer NOT NULL DEFAULT 1,
    CHECK (school_day_start < school_day_end),
    CHECK (ack_deadline_school_hours > interval '0' AND ack_deadline_outside_hours > interval '0')
);

CREATE TABLE staff_members (
    id                      uuid PRIMARY KEY,
    trust_id                uuid NOT NULL REFERENCES trusts (id),
    display_name            text NOT NULL,
    username                text NOT NULL,
    email                   text NOT NULL,
    roles                   text[] NOT NULL,
    active                  boolean NOT NULL DEFAULT true,
    password_hash           text NULL,
    must_change_password    boolean NOT NULL DEFAULT false,
    failed_sign_in_count    integer NOT NULL DEFAULT 0,
    locked_until            timestamptz NULL,
    last_signed_in_at       timestamptz NULL,
    external_provider       text NULL,
    external_subject        text NULL,
    created_at              timestamptz NOT NULL,
    version                 integer NOT NULL DEFAULT 1,
    CHECK (roles <@ ARRAY['Moderator','SafeguardingLead','DeputySafeguardingLead','Administrator']::text[]),
    CHECK ((external_provider IS NULL) = (external_subject IS NULL))
);
CREATE UNIQUE INDEX staff_members_username ON staff_members (lower(username));
CREATE UNIQUE INDEX staff_members_email ON staff_members (lower(email));
CREATE UNIQUE INDEX staff_members_external_login ON staff_members (external_provider, external_subject) WHERE external_provider IS NOT NULL;

ALTER TABLE trusts ADD CONSTRAINT trusts_safeguarding_lead_fk FOREIGN KEY (safeguarding_lead_staff_id) REFERENCES staff_members (id);

CREATE TABLE staff_schools (
    staff_id   uuid NOT NULL REFERENCES staff_members (id),
    school_id  uuid NOT NULL REFERENCES schools (id),
    PRIMARY KEY (staff_id, school_id)
);
CREATE INDEX staff_schools_school ON staff_schools (school_id);

CREATE TABLE pages (
    id                      uuid PRIMARY KEY,
    school_id               uuid NOT NULL REFERENCES schools (id),
    platform                text NOT NULL CHECK (platform IN ('Facebook','Instagram','X','YouTube')),
    external_id             text NOT NULL,
    name                    text NOT NULL,
    credentials_ciphertext  text NULL,
    status                  text NOT NULL CHECK (status IN ('Pending','Active','NeedsModerators','NeedsReconnect','Deactivated')),
    poll_interval           interval NOT NULL DEFAULT interval '2 minutes',
    cursor                  text NULL,
    threshold_overrides     jsonb NULL,
    created_at              timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    version                 integer NOT NULL DEFAULT 1,
    UNIQUE (platform, external_id)
);
CREATE INDEX pages_school ON pages (school_id);

-- The approval form (policy 001 appendix): line manager, communications manager and head teacher, who and when.
CREATE TABLE page_approvals (
    page_id            uuid NOT NULL REFERENCES pages (id),
    role               text NOT NULL CHECK (role IN ('LineManager','CommunicationsManager','HeadTeacher')),
    approver_name      text NOT NULL,
    approver_staff_id  uuid NULL REFERENCES staff_members (id),
    approved_at        timestamptz NOT NULL,
    PRIMARY KEY (page_id, role)
);

CREATE TABLE page_moderators (
    page_id      uuid NOT NULL REFERENCES pages (id),
    staff_id     uuid NOT NULL REFERENCES staff_members (id),
    assigned_at  timestamptz NOT NULL,
    PRIMARY KEY (page_id, staff_id)
);
CREATE INDEX page_moderators_staff ON page_moderators (staff_id);

-- Things an administrator or lead must look at (never comment text).
CREATE TABLE alerts (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL,
    school_id    uuid NULL REFERENCES schools (id),
    page_id      uuid NULL REFERENCES pages (id),
    entity_type  text NULL,
    entity_id    text NULL,
    message      text NOT NULL,
    created_at   timestamptz NOT NULL,
    resolved_at  timestamptz NULL,
    resolved_by  uuid NULL REFERENCES staff_members (id)
);
CREATE INDEX alerts_open ON alerts (created_at) WHERE resolved_at IS NULL;
