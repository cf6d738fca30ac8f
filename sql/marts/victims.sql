-- Victims family: persons signalled (returns of type `victims`).
-- Inputs: core.victims (current versions), marts.ref_countries, marts.reg_filter,
--         marts.reg_hierarchy (built by indicators/compute.py from the registry).
-- Outputs:
--   marts.victims_cube          inner cells (leaf codes, month) aggregated over partners: the
--                               table that disclosure control protects;
--   marts.victims_month_sparse  one row per indicator x month x geo x breakdown code (non-zero).

CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.victims_cube AS
SELECT
    v.period,
    v.district,
    v.sex,
    v.age_group,
    CASE
        WHEN v.citizenship = 'UNKNOWN' THEN 'UNKNOWN'
        WHEN v.citizenship = 'STATELESS' THEN 'NON_EU'
        ELSE coalesce(c.grp, 'UNKNOWN')
    END AS citizenship_group,
    v.exploitation,
    v.status,
    v.signalled_by,
    v.citizenship,
    CAST(sum(v.count) AS BIGINT) AS count
FROM core.victims v
LEFT JOIN marts.ref_countries c ON c.iso2 = v.citizenship
GROUP BY ALL;

CREATE OR REPLACE TABLE marts.victims_month_sparse AS
WITH matched AS (
    SELECT f.indicator, c.*
    FROM marts.victims_cube c
    JOIN marts.reg_filter f
      ON f.family = 'victims' AND (f.status IS NULL OR list_contains(f.status, c.status))
),
with_parents AS (
    SELECT m.*,
           ha.parent AS age_parent,
           he.parent AS exploitation_parent
    FROM matched m
    LEFT JOIN marts.reg_hierarchy ha ON ha.dimension = 'age_group' AND ha.code = m.age_group
    LEFT JOIN marts.reg_hierarchy he ON he.dimension = 'exploitation' AND he.code = m.exploitation
),
geos AS (
    SELECT *, unnest([district, 'PT']) AS geo FROM with_parents
),
long AS (
    SELECT indicator, period, geo,
           unnest([
               {'b': '_T', 'c': '_T'},
               {'b': 'sex', 'c': sex},
               {'b': 'age_group', 'c': age_group},
               {'b': 'age_group', 'c': age_parent},
               {'b': 'citizenship_group', 'c': citizenship_group},
               {'b': 'citizenship', 'c': citizenship},
               {'b': 'exploitation', 'c': exploitation},
               {'b': 'exploitation', 'c': exploitation_parent},
               {'b': 'signalled_by', 'c': signalled_by}
           ]) AS bc,
           count
    FROM geos
)
SELECT indicator, period, geo, bc.b AS breakdown, bc.c AS breakdown_code,
       CAST(sum(count) AS DOUBLE) AS value
FROM long
WHERE bc.c IS NOT NULL
GROUP BY ALL;
