-- Activities family: training and prevention outputs (returns of type `activities`).
-- Inputs: core.activities, marts.reg_filter, marts.reg_geo, marts.compute_months (see
-- victims.sql).
-- Outputs (rows of the months of marts.compute_months replaced): marts.activities_cube
-- (inner cells), marts.activities_month_sparse. Same shape as victims.sql; the indicators
-- filter on the activity; no hierarchy.

CREATE TABLE IF NOT EXISTS marts.activities_cube (
    period DATE, district VARCHAR, activity VARCHAR, audience VARCHAR, sex VARCHAR,
    count BIGINT
);
CREATE TABLE IF NOT EXISTS marts.activities_month_sparse (
    indicator VARCHAR, period DATE, geo VARCHAR, breakdown VARCHAR, breakdown_code VARCHAR,
    value DOUBLE
);
DELETE FROM marts.activities_cube WHERE period IN (SELECT period FROM marts.compute_months);
DELETE FROM marts.activities_month_sparse
WHERE period IN (SELECT period FROM marts.compute_months);

INSERT INTO marts.activities_cube
SELECT period, district, activity, audience, sex, CAST(sum(count) AS BIGINT) AS count
FROM core.activities
WHERE period IN (SELECT period FROM marts.compute_months)
GROUP BY ALL;

INSERT INTO marts.activities_month_sparse
WITH cells AS (
    SELECT *, CASE WHEN district IN (SELECT geo FROM marts.reg_geo) THEN district END
              AS geo_district
    FROM marts.activities_cube
    WHERE period IN (SELECT period FROM marts.compute_months)
),
grouped AS (
    SELECT period, activity, geo_district,
           CASE
                WHEN GROUPING(sex) = 0 THEN 'sex'
                WHEN GROUPING(audience) = 0 THEN 'audience'
                ELSE '_T' END AS breakdown,
           CASE
                WHEN GROUPING(sex) = 0 THEN sex
                WHEN GROUPING(audience) = 0 THEN audience
                ELSE '_T' END AS breakdown_code,
           sum(count) AS value
    FROM cells
    GROUP BY GROUPING SETS (
        (period, activity, geo_district), (period, activity, geo_district, sex),
        (period, activity, geo_district, audience)
    )
),
geos AS (
    SELECT period, activity, geo_district AS geo, breakdown, breakdown_code, value
    FROM grouped WHERE geo_district IS NOT NULL
    UNION ALL
    SELECT period, activity, 'PT' AS geo, breakdown, breakdown_code, sum(value) AS value
    FROM grouped GROUP BY period, activity, breakdown, breakdown_code
),
leaves AS (SELECT * FROM geos WHERE breakdown_code IS NOT NULL)
SELECT f.indicator, l.period, l.geo, l.breakdown, l.breakdown_code,
       CAST(sum(l.value) AS DOUBLE) AS value
FROM leaves l
JOIN marts.reg_filter f
  ON f.family = 'activities' AND (f.activity IS NULL OR list_contains(f.activity, l.activity))
GROUP BY ALL;
