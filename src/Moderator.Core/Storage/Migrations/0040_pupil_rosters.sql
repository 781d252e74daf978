-- A school's pupil roster for private name matching (issue 3 item 2): only keyed hashes (HMAC-SHA256 of normalised
-- full names) are stored, never the names. The per-school key is random and stored encrypted with Data Protection.
CREATE TABLE pupil_roster_keys (
    school_id       uuid PRIMARY KEY REFERENCES schools (id),
    key_ciphertext  text NOT NULL,
    created_at      timestamptz NOT NULL
);

-- The current roster of each school, replaced as a whole on every upload.
CREATE TABLE pupil_roster_uploads (
    school_id    uuid PRIMARY KEY REFERENCES schools (id),
    name_count   integer NOT NULL CHECK (name_count >= 0),
    uploaded_at  timestamptz NOT NULL,
    uploaded_by  uuid NULL REFERENCES staff_members (id)
);

CREATE TABLE pupil_roster_hashes (
    school_id    uuid NOT NULL REFERENCES schools (id),
    hash         text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
    uploaded_at  timestamptz NOT NULL,
    uploaded_by  uuid NULL REFERENCES staff_members (id),
    PRIMARY KEY (school_id, hash)
);
