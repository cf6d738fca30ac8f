-- The months from the first to the last month any return was submitted for.
CREATE SCHEMA IF NOT EXISTS marts;
CREATE OR REPLACE TABLE marts.calendar AS
SELECT CAST(range AS DATE) AS period
FROM (SELECT min(period) AS lo, max(period) AS hi FROM core.submissions) b,
     range(b.lo, b.hi + INTERVAL 1 MONTH, INTERVAL 1 MONTH)
WHERE b.lo IS NOT NULL;
