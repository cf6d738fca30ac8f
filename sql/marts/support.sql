-- Support family: persons receiving support (returns of type `support`), EEA Grants results.
-- Inputs: core.support, marts.reg_filter, marts.reg_hierarchy.
-- Outputs: marts.support_cube (inner cells), marts.support_month_sparse (see victims.sql).

CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.support_cube AS
SELECT period, district, sex, age_group, support, "case", CAST(sum(count) AS BIGINT) AS count
FROM core.support
GROUP BY ALL;

CREATE OR REPLACE TABLE marts.support_month_sparse AS
WITH matched AS (
    SELECT f.indicator, c.*
    FROM marts.support_cube c
    JOIN marts.reg_filter f
      ON f.family = 'support'
     AND (f."case" IS NULL OR list_contains(f."case", c."case"))
     AND (f.support IS NULL OR list_contains(f.support, c.support))
),
with_parents AS (
    SELECT m.*, ha.parent AS age_parent, hs.parent AS support_parent
    FROM matched m
    LEFT JOIN marts.reg_hierarchy ha ON ha.dimension = 'age_group' AND ha.code = m.age_group
    LEFT JOIN marts.reg_hierarchy hs ON hs.dimension = 'support' AND hs.code = m.support
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
               {'b': 'support', 'c': support},
               {'b': 'support', 'c': support_parent}
           ]) AS bc,
           count
    FROM geos
)
SELECT indicator, period, geo, bc.b AS breakdown, bc.c AS breakdown_code,
       CAST(sum(count) AS DOUBLE) AS value
FROM long
WHERE bc.c IS NOT NULL
GROUP BY ALL;
