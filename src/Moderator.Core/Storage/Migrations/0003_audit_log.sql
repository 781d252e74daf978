-- Append-only, hash-chained audit log. Appends are serialised by locking the single chain head row.
CREATE TABLE audit_log (
    seq             bigint PRIMARY KEY,
    at              timestamptz NOT NULL,
    actor           text NOT NULL,
    actor_staff_id  uuid NULL,
    action          text NOT NULL,
    entity_type     text NOT NULL,
    entity_id       text NOT NULL,
    before          jsonb NULL,
    after           jsonb NULL,
    prev_hash       text NOT NULL,
    hash            text NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

CREATE TABLE audit_chain_head (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_seq   bigint NOT NULL,
    last_hash  text NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (true, 0, repeat('0', 64));

-- The canonical content of one entry, hashed with the previous entry's hash. Verification uses the same function.
CREATE FUNCTION audit_entry_hash(prev_hash text, seq bigint, at timestamptz, actor text, action text, entity_type text, entity_id text, before jsonb, after jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(concat_ws(chr(10),
        prev_hash,
        seq::text,
        (extract(epoch FROM at) * 1000000)::bigint::text,
        actor, action, entity_type, entity_id,
        coalesce(before::text, 'null'),
        coalesce(after::text, 'null')), 'UTF8')), 'hex')
$$;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
