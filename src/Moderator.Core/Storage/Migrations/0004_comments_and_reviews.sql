-- Comments as polled from a platform; every distinct text is a revision with its own assessment.
CREATE TABLE comments (
    id                    uuid PRIMARY KEY,
    page_id               uuid NOT NULL REFERENCES pages (id),
    platform              text NOT NULL,
    external_id           text NOT NULL,
    author_external_id    text NULL,
    author_display_name   text NULL,
    post_id               text NULL,
    parent_external_id    text NULL,
    permalink             text NULL,
    created_at            timestamptz NOT NULL,
    first_seen_at         timestamptz NOT NULL,
    -- What the platform should show: changed when a platform action is queued (Hidden/Deleted) or unhidden.
    visibility            text NOT NULL DEFAULT 'Visible' CHECK (visibility IN ('Visible','Hidden','Deleted')),
    latest_revision_no    integer NOT NULL DEFAULT 0,
    UNIQUE (platform, external_id)
);
CREATE INDEX comments_page ON comments (page_id);

CREATE TABLE comment_revisions (
    id              uuid PRIMARY KEY,
    comment_id      uuid NOT NULL REFERENCES comments (id),
    revision_no     integer NOT NULL,
    text            text NULL,
    text_sha256     text NOT NULL,
    seen_at         timestamptz NOT NULL,
    text_purged_at  timestamptz NULL,
    UNIQUE (comment_id, revision_no),
    CHECK ((text IS NULL) = (text_purged_at IS NOT NULL))
);

CREATE TABLE assessments (
    id              uuid PRIMARY KEY,
    revision_id     uuid NOT NULL UNIQUE REFERENCES comment_revisions (id),
    model_version   text NOT NULL,
    verdict         text NOT NULL CHECK (verdict IN ('Allow','Review','Hide','HideAndEscalate')),
    scores          jsonb NOT NULL,
    reasons         jsonb NOT NULL,
    tags            text[] NOT NULL,
    top_category    text NULL,
    failed_closed   boolean NOT NULL,
    assessed_at     timestamptz NOT NULL
);

CREATE TABLE review_cases (
    id                uuid PRIMARY KEY,
    revision_id       uuid NOT NULL UNIQUE REFERENCES comment_revisions (id),
    comment_id        uuid NOT NULL REFERENCES comments (id),
    page_id           uuid NOT NULL REFERENCES pages (id),
    school_id         uuid NOT NULL REFERENCES schools (id),
    verdict           text NOT NULL,
    top_category      text NULL,
    auto_hidden       boolean NOT NULL,
    status            text NOT NULL CHECK (status IN ('Open','NeedsThirdReview','Settled')),
    outcome           text NULL CHECK (outcome IN ('KeepVisible','Hide','Delete','Escalate')),
    opened_at         timestamptz NOT NULL,
    settled_at        timestamptz NULL,
    claimed_by        uuid NULL REFERENCES staff_members (id),
    claim_expires_at  timestamptz NULL,
    version           integer NOT NULL DEFAULT 1,
    CHECK ((status = 'Settled') = (outcome IS NOT NULL))
);
CREATE INDEX review_cases_open ON review_cases (page_id, opened_at) WHERE status <> 'Settled';

CREATE TABLE review_decisions (
    case_id       uuid NOT NULL REFERENCES review_cases (id),
    moderator_id  uuid NOT NULL REFERENCES staff_members (id),
    decision      text NOT NULL CHECK (decision IN ('KeepVisible','Hide','Delete','Escalate')),
    decided_at    timestamptz NOT NULL,
    as_lead       boolean NOT NULL DEFAULT false,
    ordinal       integer NOT NULL,
    PRIMARY KEY (case_id, moderator_id),
    UNIQUE (case_id, ordinal),
    CHECK (ordinal BETWEEN 1 AND 3)
);

-- A moderator who acted on the platform by hand (e.g. hid the comment in the platform's own app).
CREATE TABLE review_manual_actions (
    case_id       uuid NOT NULL REFERENCES review_cases (id),
    staff_id      uuid NOT NULL REFERENCES staff_members (id),
    action        text NOT NULL CHECK (action IN ('Hide','Unhide','Delete')),
    performed_at  timestamptz NOT NULL,
    PRIMARY KEY (case_id, staff_id, action)
);
