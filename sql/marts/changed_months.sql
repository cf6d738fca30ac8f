-- The months whose family marts must be computed again: a return type's fingerprint
-- (source_months.sql) is new, changed or gone since the last computation
-- (marts.source_months, written by indicators/compute.py with the marts).
-- Output: marts.compute_months (period).

CREATE OR REPLACE TABLE marts.compute_months AS
SELECT DISTINCT period FROM (
    (SELECT return_type, period, fingerprint FROM marts.source_months_now
     EXCEPT SELECT return_type, period, fingerprint FROM marts.source_months)
    UNION ALL
    (SELECT return_type, period, fingerprint FROM marts.source_months
     EXCEPT SELECT return_type, period, fingerprint FROM marts.source_months_now)
);
