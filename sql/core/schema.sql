-- Warehouse core schema: every received file, every versioned submission, every cell.
-- Idempotent (CREATE ... IF NOT EXISTS); run by a writing connection when the warehouse's
-- core.schema_version does not hold this file's digest (indicators.warehouse.ensure_schema).
-- A submission is one (partner, return_type, period) as sent in one file; a later file for
-- the same key supersedes it (superseded_at set), and the earlier rows stay queryable.

CREATE SCHEMA IF NOT EXISTS core;

CREATE SEQUENCE IF NOT EXISTS core.ingest_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS core.submission_id_seq START 1;

-- The digest of the text of this file as last run on this warehouse (one row).
CREATE TABLE IF NOT EXISTS core.schema_version (digest VARCHAR NOT NULL);

-- One row per received file, accepted or not.
CREATE TABLE IF NOT EXISTS core.ingest_log (
    ingest_id      BIGINT PRIMARY KEY DEFAULT nextval('core.ingest_id_seq'),
    file_name      VARCHAR NOT NULL,      -- as the partner named it (display only, never a path)
    sha256         VARCHAR NOT NULL,
    size_bytes     BIGINT NOT NULL,
    partner        VARCHAR,               -- NULL when it could not be read
    return_types   VARCHAR[],
    periods        DATE[],
    n_rows         BIGINT,
    status         VARCHAR NOT NULL,      -- loaded | rejected | duplicate
    reasons        JSON,                  -- list of problems (rejected) or notes
    stored_path    VARCHAR NOT NULL,      -- archive/ or quarantine/ path, relative to OBS_DATA_DIR
    received_at    TIMESTAMP NOT NULL,
    loaded_at      TIMESTAMP
);

-- One row per (partner, return_type, period, version).
CREATE TABLE IF NOT EXISTS core.submissions (
    submission_id  BIGINT PRIMARY KEY DEFAULT nextval('core.submission_id_seq'),
    partner        VARCHAR NOT NULL,
    return_type    VARCHAR NOT NULL,      -- victims | support | activities
    period         DATE NOT NULL,         -- first day of the month
    version        INTEGER NOT NULL,      -- 1 for the first submission, then 2, 3, ...
    ingest_id      BIGINT NOT NULL,
    sha256         VARCHAR NOT NULL,
    n_rows         BIGINT NOT NULL,
    received_at    TIMESTAMP NOT NULL,
    superseded_at  TIMESTAMP,             -- NULL while current
    UNIQUE (partner, return_type, period, version)
);

CREATE TABLE IF NOT EXISTS core.victims_cells (
    submission_id  BIGINT NOT NULL,
    partner        VARCHAR NOT NULL,
    period         DATE NOT NULL,
    district       VARCHAR NOT NULL,
    sex            VARCHAR NOT NULL,
    age_group      VARCHAR NOT NULL,
    citizenship    VARCHAR NOT NULL,
    exploitation   VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,
    signalled_by   VARCHAR NOT NULL,
    count          INTEGER NOT NULL CHECK (count >= 0)
);

CREATE TABLE IF NOT EXISTS core.support_cells (
    submission_id  BIGINT NOT NULL,
    partner        VARCHAR NOT NULL,
    period         DATE NOT NULL,
    district       VARCHAR NOT NULL,
    sex            VARCHAR NOT NULL,
    age_group      VARCHAR NOT NULL,
    support        VARCHAR NOT NULL,
    "case"         VARCHAR NOT NULL,
    count          INTEGER NOT NULL CHECK (count >= 0)
);

CREATE TABLE IF NOT EXISTS core.activities_cells (
    submission_id  BIGINT NOT NULL,
    partner        VARCHAR NOT NULL,
    period         DATE NOT NULL,
    district       VARCHAR NOT NULL,
    activity       VARCHAR NOT NULL,
    audience       VARCHAR NOT NULL,
    sex            VARCHAR NOT NULL,
    count          INTEGER NOT NULL CHECK (count >= 0)
);

-- The current version of every return: what indicators read.
CREATE OR REPLACE VIEW core.current_submissions AS
    SELECT * FROM core.submissions WHERE superseded_at IS NULL;

CREATE OR REPLACE VIEW core.victims AS
    SELECT c.* EXCLUDE (submission_id), s.version, s.submission_id
    FROM core.victims_cells c JOIN core.current_submissions s USING (submission_id);

CREATE OR REPLACE VIEW core.support AS
    SELECT c.* EXCLUDE (submission_id), s.version, s.submission_id
    FROM core.support_cells c JOIN core.current_submissions s USING (submission_id);

CREATE OR REPLACE VIEW core.activities AS
    SELECT c.* EXCLUDE (submission_id), s.version, s.submission_id
    FROM core.activities_cells c JOIN core.current_submissions s USING (submission_id);
