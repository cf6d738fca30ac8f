-- The published release: the ONLY data the dashboard reads.
-- Written by the publish step into a new file serving/<release_id>.duckdb, checkpointed and closed,
-- then serving/CURRENT is atomically replaced to name it. Everything here is protected:
-- a suppressed value is NULL with 'c' in flags; its true count never enters this file.
--
-- flags (Eurostat letters, combinable): c confidential, z not applicable, : not available
-- (not yet reported), p provisional, r revised; '' none.

CREATE SCHEMA IF NOT EXISTS published;

CREATE TABLE IF NOT EXISTS published.release_info (
    release_id            VARCHAR NOT NULL,   -- e.g. 20261128T060000123456Z-3f9a2c (UTC, microseconds)
    created_at            TIMESTAMP NOT NULL,
    latest_period         DATE,               -- latest month with data
    latest_complete_period DATE,              -- latest month every expected partner reported
    previous_release_id   VARCHAR,
    disclosure_threshold  INTEGER NOT NULL,   -- k of the frequency rule in force
    zeros_publishable     BOOLEAN NOT NULL,
    audit_ok              BOOLEAN NOT NULL,   -- publication is refused unless true
    synthetic             BOOLEAN NOT NULL,   -- built from synthetic sample data
    source_returns        JSON,               -- [{partner, return_type, period, version}] (no digests)
    changes               JSON                -- what changed since the previous release
);

-- Registry metadata (labels, units, targets) as published with this release.
CREATE TABLE IF NOT EXISTS published.indicators (
    code            VARCHAR PRIMARY KEY,
    family          VARCHAR NOT NULL,         -- trafficking | eea_results | data_quality
    name_pt         VARCHAR NOT NULL,
    name_en         VARCHAR NOT NULL,
    definition_pt   VARCHAR NOT NULL,
    definition_en   VARCHAR NOT NULL,
    unit            VARCHAR NOT NULL,         -- persons | sessions | rate_100k | percent | ...
    kind            VARCHAR NOT NULL,         -- count | derived
    breakdowns      VARCHAR[],
    grains          VARCHAR[],
    threshold       INTEGER,                  -- k for counts
    level           VARCHAR,                  -- outcome | output (EEA Grants)
    baseline_value  DOUBLE,
    baseline_year   INTEGER,
    target_value    DOUBLE,
    target_year     INTEGER,
    targets_illustrative BOOLEAN,
    audience        VARCHAR NOT NULL          -- public | donor | analyst
);

CREATE TABLE IF NOT EXISTS published.indicator_values (
    release_id      VARCHAR NOT NULL,
    indicator       VARCHAR NOT NULL,
    grain           VARCHAR NOT NULL,         -- month | quarter | year | r12 | ytd
    period          DATE NOT NULL,            -- first day of the period
    period_end      DATE NOT NULL,            -- last day of the period
    period_label    VARCHAR NOT NULL,         -- 2024-03 | 2024-Q1 | 2024 | 2023-04..2024-03
    geo             VARCHAR NOT NULL,         -- PT-01..PT-30 | PT (national) | ABROAD | UNKNOWN
    breakdown       VARCHAR NOT NULL,         -- dimension name or '_T'
    breakdown_code  VARCHAR NOT NULL,         -- code or '_T'
    value           DOUBLE,                   -- NULL when confidential or not available
    numerator       DOUBLE,                   -- for derived values: the published numerator
    denominator     DOUBLE,
    unit            VARCHAR NOT NULL,
    flags           VARCHAR NOT NULL DEFAULT ''
);

-- EEA Grants results framework, per reporting period (donor view).
CREATE TABLE IF NOT EXISTS published.eea_results (
    release_id      VARCHAR NOT NULL,
    indicator       VARCHAR NOT NULL,
    reporting_period VARCHAR NOT NULL,        -- 2024 (year) or 2024-P2 (interim period 2)
    period_end      DATE NOT NULL,
    breakdown       VARCHAR NOT NULL,         -- '_T' | sex | age | support | audience
    breakdown_code  VARCHAR NOT NULL,
    baseline        DOUBLE,
    target          DOUBLE,
    achieved        DOUBLE,                   -- NULL when confidential
    pct_of_target   DOUBLE,
    status          VARCHAR,                  -- achieved | achieved_late | on_track | at_risk | not_achieved
    flags           VARCHAR NOT NULL DEFAULT '',  -- flags of achieved (to date)
    period_kind     VARCHAR,                  -- year | interim
    period_start    DATE,
    achieved_period DOUBLE,                   -- achieved in the period itself; NULL if hidden
    period_flags    VARCHAR NOT NULL DEFAULT '',
    expected        DOUBLE                    -- expected to date on the linear path
);

-- Data quality (analysts only): no victim counts, only returns' metadata.
CREATE TABLE IF NOT EXISTS published.data_quality (
    partner         VARCHAR NOT NULL,
    return_type     VARCHAR NOT NULL,
    period          DATE NOT NULL,
    expected        BOOLEAN NOT NULL,
    received        BOOLEAN NOT NULL,
    first_received_at TIMESTAMP,
    days_late       INTEGER,
    versions        INTEGER NOT NULL DEFAULT 0,
    rejected_files  INTEGER NOT NULL DEFAULT 0,
    state           VARCHAR NOT NULL          -- received | late | missing | revised | rejected | not_expected
);

CREATE TABLE IF NOT EXISTS published.rejections (
    file_name       VARCHAR NOT NULL,         -- opaque ingest number ("ingest #12"), never the partner's name
    received_at     TIMESTAMP NOT NULL,
    partner         VARCHAR,
    rules           VARCHAR[],
    summary_en      VARCHAR NOT NULL,
    summary_pt      VARCHAR NOT NULL
);

-- The release-wide disclosure audit (indicators/release_audit.py): what a reader can prove
-- about the suppressed counts. One row per protected indicator (only what any reader can
-- compute from this file) and one row '_ALL' for the release (with the primary / secondary
-- split, which is not given per indicator, and the audit's time in seconds).
CREATE TABLE IF NOT EXISTS published.disclosure_audit (
    indicator       VARCHAR NOT NULL,         -- indicator code, or '_ALL'
    cells           INTEGER NOT NULL,         -- published + suppressed counts
    published       INTEGER NOT NULL,
    suppressed      INTEGER NOT NULL,
    "primary"       INTEGER,                  -- '_ALL' only
    secondary       INTEGER,                  -- '_ALL' only
    recomputable    INTEGER,                  -- suppressed cells a reader can compute ('_ALL')
    disclosed       INTEGER,                  -- cells proven in 1..k-1: always 0 when published
    narrowest_low   DOUBLE,                   -- the narrowest interval a reader can prove
    narrowest_high  DOUBLE,                   --   for a suppressed cell
    seconds         DOUBLE                    -- '_ALL': time of the audit
);

-- One row per release and audience (public, donor, analyst): each audience's summary and
-- counts take in only the values it may read (indicators/publish.py). Rows of a release
-- written before the audience column existed count every value, so they are the analysts',
-- and their values_changed is the sum of values added, changed and removed (the other two
-- columns are NULL). values_hidden: values the previous release published that this one
-- does not (flagged 'c', or left out); NULL in rows written before it existed.
CREATE TABLE IF NOT EXISTS published.release_history (
    release_id      VARCHAR NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    summary_en      VARCHAR NOT NULL,
    summary_pt      VARCHAR NOT NULL,
    values_changed  INTEGER NOT NULL DEFAULT 0,
    audience        VARCHAR NOT NULL DEFAULT 'analyst',
    values_added    INTEGER,
    values_removed  INTEGER,
    values_hidden   INTEGER
);
