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
geos AS (  -- districts the marts publish (marts.reg_geo); other region codes: NULL
    SELECT *, CASE WHEN district IN (SELECT geo FROM marts.reg_geo) THEN district END
              AS geo_district
    FROM with_parents
),
grouped AS (  -- one grouping set per breakdown (or parent level), nation and district
    SELECT indicator, period,
           CASE WHEN GROUPING(geo_district) = 0 THEN geo_district ELSE 'PT' END AS geo,
           CASE
                WHEN GROUPING(sex) = 0 THEN 'sex'
                WHEN GROUPING(age_group) = 0 THEN 'age_group'
                WHEN GROUPING(age_parent) = 0 THEN 'age_group'
                WHEN GROUPING(support) = 0 THEN 'support'
                WHEN GROUPING(support_parent) = 0 THEN 'support'
                ELSE '_T' END AS breakdown,
           CASE
                WHEN GROUPING(sex) = 0 THEN sex
                WHEN GROUPING(age_group) = 0 THEN age_group
                WHEN GROUPING(age_parent) = 0 THEN age_parent
                WHEN GROUPING(support) = 0 THEN support
                WHEN GROUPING(support_parent) = 0 THEN support_parent
                ELSE '_T' END AS breakdown_code,
           sum(count) AS value
    FROM geos
    GROUP BY GROUPING SETS (
        (indicator, period), (indicator, period, sex), (indicator, period, age_group),
        (indicator, period, age_parent), (indicator, period, support),
        (indicator, period, support_parent), (indicator, period, geo_district),
        (indicator, period, geo_district, sex), (indicator, period, geo_district, age_group),
        (indicator, period, geo_district, age_parent),
        (indicator, period, geo_district, support),
        (indicator, period, geo_district, support_parent)
    )
)
SELECT indicator, period, geo, breakdown, breakdown_code, CAST(sum(value) AS DOUBLE) AS value
FROM grouped
WHERE geo IS NOT NULL AND breakdown_code IS NOT NULL
GROUP BY ALL;
