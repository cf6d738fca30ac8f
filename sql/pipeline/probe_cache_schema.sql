-- protected.probe_cache: the value-key probe of each protection problem (its full table's
-- cells with their value keys) by the digest of what it is made of (inner cells, hierarchies,
-- value-key rule, engine version), so that a refresh makes again only the probes of the
-- problems whose cells changed (indicators/protection_cache.py). Warehouse only: never
-- copied into a release.

CREATE SCHEMA IF NOT EXISTS protected;

CREATE TABLE IF NOT EXISTS protected.probe_cache (
    digest  VARCHAR NOT NULL,   -- SHA-256 of the problem's cells, hierarchies, rule, engine
    probe   BLOB NOT NULL,      -- the probe (Arrow IPC): codes, count, value key
    engine  VARCHAR NOT NULL    -- engine version the probe was made with
);
