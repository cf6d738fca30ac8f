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
geos AS (  -- districts the marts publish (marts.reg_geo); other region codes: NULL
    SELECT *, CASE WHEN district IN (SELECT geo FROM marts.reg_geo) THEN district END
              AS geo_district
    FROM matched
),
grouped AS (  -- one grouping set per breakdown (or parent level), nation and district
    SELECT indicator, period,
           CASE WHEN GROUPING(geo_district) = 0 THEN geo_district ELSE 'PT' END AS geo,
           CASE
                WHEN GROUPING(sex) = 0 THEN 'sex'
                WHEN GROUPING(audience) = 0 THEN 'audience'
                ELSE '_T' END AS breakdown,
           CASE
                WHEN GROUPING(sex) = 0 THEN sex
                WHEN GROUPING(audience) = 0 THEN audience
                ELSE '_T' END AS breakdown_code,
           sum(count) AS value
    FROM geos
    GROUP BY GROUPING SETS (
        (indicator, period), (indicator, period, sex), (indicator, period, audience),
        (indicator, period, geo_district), (indicator, period, geo_district, sex),
        (indicator, period, geo_district, audience)
    )
)
SELECT indicator, period, geo, breakdown, breakdown_code, CAST(sum(value) AS DOUBLE) AS value
FROM grouped
WHERE geo IS NOT NULL AND breakdown_code IS NOT NULL
GROUP BY ALL;
