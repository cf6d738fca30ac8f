-- Support family: persons receiving support (returns of type `support`), EEA Grants results.
-- Inputs: core.support, marts.reg_filter, marts.reg_hierarchy, marts.reg_geo,
--         marts.compute_months (see victims.sql).
-- Outputs (rows of the months of marts.compute_months replaced): marts.support_cube (inner
-- cells), marts.support_month_sparse. Same shape as victims.sql; the indicators filter on
-- the case and the form of support, which is also a breakdown: the `support` breakdown is
-- read from the total's grouping set, which keeps that column.

CREATE TABLE IF NOT EXISTS marts.support_cube (
    period DATE, district VARCHAR, sex VARCHAR, age_group VARCHAR, support VARCHAR,
    "case" VARCHAR, count BIGINT
);
CREATE TABLE IF NOT EXISTS marts.support_month_sparse (
    indicator VARCHAR, period DATE, geo VARCHAR, breakdown VARCHAR, breakdown_code VARCHAR,
    value DOUBLE
);
DELETE FROM marts.support_cube WHERE period IN (SELECT period FROM marts.compute_months);
DELETE FROM marts.support_month_sparse
WHERE period IN (SELECT period FROM marts.compute_months);

INSERT INTO marts.support_cube
SELECT period, district, sex, age_group, support, "case", CAST(sum(count) AS BIGINT) AS count
FROM core.support
WHERE period IN (SELECT period FROM marts.compute_months)
GROUP BY ALL;

INSERT INTO marts.support_month_sparse
WITH cells AS (
    SELECT *, CASE WHEN district IN (SELECT geo FROM marts.reg_geo) THEN district END
              AS geo_district
    FROM marts.support_cube
    WHERE period IN (SELECT period FROM marts.compute_months)
),
grouped AS (
    SELECT period, "case", support, geo_district,
           CASE
                WHEN GROUPING(sex) = 0 THEN 'sex'
                WHEN GROUPING(age_group) = 0 THEN 'age_group'
                ELSE '_T' END AS breakdown,
           CASE
                WHEN GROUPING(sex) = 0 THEN sex
                WHEN GROUPING(age_group) = 0 THEN age_group
                ELSE '_T' END AS breakdown_code,
           sum(count) AS value
    FROM cells
    GROUP BY GROUPING SETS (
        (period, "case", support, geo_district),
        (period, "case", support, geo_district, sex),
        (period, "case", support, geo_district, age_group)
    )
),
geos AS (
    SELECT period, "case", support, geo_district AS geo, breakdown, breakdown_code, value
    FROM grouped WHERE geo_district IS NOT NULL
    UNION ALL
    SELECT period, "case", support, 'PT' AS geo, breakdown, breakdown_code,
           sum(value) AS value
    FROM grouped GROUP BY period, "case", support, breakdown, breakdown_code
),
leaves AS (  -- the support breakdown: the total's rows by their form of support
    SELECT * FROM geos WHERE breakdown_code IS NOT NULL
    UNION ALL
    SELECT period, "case", support, geo, 'support' AS breakdown, support AS breakdown_code,
           value
    FROM geos WHERE breakdown = '_T' AND support IS NOT NULL
),
with_parents AS (  -- parent levels of the age groups and forms of support
    SELECT * FROM leaves
    UNION ALL
    SELECT l.period, l."case", l.support, l.geo, l.breakdown, h.parent AS breakdown_code,
           l.value
    FROM leaves l
    JOIN marts.reg_hierarchy h ON h.dimension = l.breakdown AND h.code = l.breakdown_code
    WHERE l.breakdown IN ('age_group', 'support') AND h.parent IS NOT NULL
)
SELECT f.indicator, w.period, w.geo, w.breakdown, w.breakdown_code,
       CAST(sum(w.value) AS DOUBLE) AS value
FROM with_parents w
JOIN marts.reg_filter f
  ON f.family = 'support'
 AND (f."case" IS NULL OR list_contains(f."case", w."case"))
 AND (f.support IS NULL OR list_contains(f.support, w.support))
GROUP BY ALL;
