-- Worker and Admin nodes report themselves here (the heartbeat job).
CREATE TABLE worker_nodes (
    node_id        text PRIMARY KEY,
    host_name      text NOT NULL,
    process_id     integer NOT NULL,
    role           text NOT NULL,
    version        text NOT NULL,
    started_at     timestamptz NOT NULL,
    last_seen_at   timestamptz NOT NULL
);
