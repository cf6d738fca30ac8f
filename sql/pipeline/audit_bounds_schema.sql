-- protected.audit_bounds: the bounds the release-wide audit computed for each connected
-- component, by the digest of the component's exact model and the engine version, so that a
-- refresh solves again only the components whose model changed
-- (indicators/release_audit_cache.py). Warehouse only: never copied into a release.

CREATE SCHEMA IF NOT EXISTS protected;

CREATE TABLE IF NOT EXISTS protected.audit_bounds (
    digest  VARCHAR NOT NULL,   -- SHA-256 of the component's model and the engine version
    bounds  BLOB NOT NULL,      -- numpy array (.npy): (low, high) of each asked column
    engine  VARCHAR NOT NULL    -- engine version the entry was solved with
);
