-- ASP.NET Core Data Protection key ring, shared by every worker and Admin node so that a page token
-- encrypted by one node can be decrypted by any other.
CREATE TABLE data_protection_keys (
    id          bigserial PRIMARY KEY,
    friendly_name text NOT NULL UNIQUE,
    xml         text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
