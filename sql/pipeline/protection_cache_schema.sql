-- protected.problem_cache: the protected result of each protection problem by the digest of
-- its full input (inner cells, hierarchies, policy, marks from earlier releases, engine
-- version), so that a refresh solves again only the problems whose input changed
-- (indicators/protection_cache.py). Warehouse only: never copied into a release.

CREATE SCHEMA IF NOT EXISTS protected;

CREATE TABLE IF NOT EXISTS protected.problem_cache (
    digest     VARCHAR NOT NULL,   -- SHA-256 of the problem's input and the engine version
    problem    VARCHAR NOT NULL,   -- problem name (for people reading the table)
    cells      BLOB NOT NULL,      -- the solver's cells (Arrow IPC): codes, true count, status
    summary    VARCHAR NOT NULL,   -- JSON: the solver's summary
    audit      VARCHAR,            -- JSON: the problem audit's verdict and statistics
    intervals  BLOB,               -- the audit's intervals (Arrow IPC)
    engine     VARCHAR NOT NULL    -- engine version the entry was solved with
);

-- the result's cells by value key (Arrow IPC): what protect_all keeps of it, stored once made
-- (warehouses made before this column have it added, empty)
ALTER TABLE protected.problem_cache ADD COLUMN IF NOT EXISTS keyed BLOB;
