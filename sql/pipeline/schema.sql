-- Pipeline tables written by the orchestration (orchestration/defs/assets.py).
-- pipeline.monthly_returns: the monthly-partitioned snapshot of the current version of every
-- return, one row per (period, partner, return_type). A partition (a month, or a range of
-- months in a single-run backfill) is rewritten by refresh_months.sql in one transaction.

CREATE SCHEMA IF NOT EXISTS pipeline;

CREATE TABLE IF NOT EXISTS pipeline.monthly_returns (
    period         DATE NOT NULL,       -- first day of the month
    partner        VARCHAR NOT NULL,
    return_type    VARCHAR NOT NULL,    -- victims | support | activities
    version        INTEGER NOT NULL,
    submission_id  BIGINT NOT NULL,
    sha256         VARCHAR NOT NULL,
    n_rows         BIGINT NOT NULL,
    total_count    BIGINT NOT NULL,     -- sum of the return's counts (internal, never published)
    received_at    TIMESTAMP NOT NULL,
    refreshed_at   TIMESTAMP NOT NULL
);
