-- Activities family: training and prevention outputs (returns of type `activities`).
-- Inputs: core.activities, marts.reg_filter.
-- Outputs: marts.activities_cube (inner cells), marts.activities_month_sparse.

CREATE SCHEMA IF NOT EXISTS marts;

CREATE OR REPLACE TABLE marts.activities_cube AS
SELECT period, district, activity, audience, sex, CAST(sum(count) AS BIGINT) AS count
FROM core.activities
GROUP BY ALL;

CREATE OR REPLACE TABLE marts.activities_month_sparse AS
WITH matched AS (
    SELECT f.indicator, c.*
    FROM marts.activities_cube c
    JOIN marts.reg_filter f
      ON f.family = 'activities'
     AND (f.activity IS NULL OR list_contains(f.activity, c.activity))
),
geos AS (
    SELECT *, unnest([district, 'PT']) AS geo FROM matched
),
long AS (
    SELECT indicator, period, geo,
           unnest([
               {'b': '_T', 'c': '_T'},
               {'b': 'sex', 'c': sex},
               {'b': 'audience', 'c': audience}
           ]) AS bc,
           count
    FROM geos
)
SELECT indicator, period, geo, bc.b AS breakdown, bc.c AS breakdown_code,
       CAST(sum(count) AS DOUBLE) AS value
FROM long
WHERE bc.c IS NOT NULL
GROUP BY ALL;
