-- Victims family: persons signalled (returns of type `victims`).
-- Inputs: core.victims (current versions), marts.ref_countries, marts.reg_filter,
--         marts.reg_hierarchy, marts.reg_geo (built by indicators/compute.py from the
--         registry), marts.compute_months (the months to compute: every month on a full
--         rebuild, only the months whose returns changed otherwise; indicators/compute.py).
-- Outputs (the rows of the months of marts.compute_months are replaced, the others kept):
--   marts.victims_cube          inner cells (leaf codes, month) aggregated over partners: the
--                               table that disclosure control protects;
--   marts.victims_month_sparse  one row per indicator x month x geo x breakdown code, for the
--                               nation and the districts of marts.reg_geo only (what counts.sql
--                               publishes).
-- Shape shared with support.sql and activities.sql: (1) the cube; (2) `grouped`: the cube
-- summed once per breakdown (GROUPING SETS) by month x published district (NULL for region
-- codes the marts do not publish), keeping the columns the indicators filter on; (3) `geos`:
-- those districts, and the nation as their sum (NULL included); (4) parent levels of the
-- hierarchies; (5) each indicator's filter applied to these few rows.

CREATE TABLE IF NOT EXISTS marts.victims_cube (
    period DATE, district VARCHAR, sex VARCHAR, age_group VARCHAR,
    citizenship_group VARCHAR, exploitation VARCHAR, status VARCHAR, signalled_by VARCHAR,
    citizenship VARCHAR, count BIGINT
);
CREATE TABLE IF NOT EXISTS marts.victims_month_sparse (
    indicator VARCHAR, period DATE, geo VARCHAR, breakdown VARCHAR, breakdown_code VARCHAR,
    value DOUBLE
);
DELETE FROM marts.victims_cube WHERE period IN (SELECT period FROM marts.compute_months);
DELETE FROM marts.victims_month_sparse
WHERE period IN (SELECT period FROM marts.compute_months);

INSERT INTO marts.victims_cube
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
WHERE v.period IN (SELECT period FROM marts.compute_months)
GROUP BY ALL;

INSERT INTO marts.victims_month_sparse
WITH cells AS (
    SELECT *, CASE WHEN district IN (SELECT geo FROM marts.reg_geo) THEN district END
              AS geo_district
    FROM marts.victims_cube
    WHERE period IN (SELECT period FROM marts.compute_months)
),
grouped AS (
    SELECT period, status, geo_district,
           CASE
                WHEN GROUPING(sex) = 0 THEN 'sex'
                WHEN GROUPING(age_group) = 0 THEN 'age_group'
                WHEN GROUPING(citizenship_group) = 0 THEN 'citizenship_group'
                WHEN GROUPING(citizenship) = 0 THEN 'citizenship'
                WHEN GROUPING(exploitation) = 0 THEN 'exploitation'
                WHEN GROUPING(signalled_by) = 0 THEN 'signalled_by'
                ELSE '_T' END AS breakdown,
           CASE
                WHEN GROUPING(sex) = 0 THEN sex
                WHEN GROUPING(age_group) = 0 THEN age_group
                WHEN GROUPING(citizenship_group) = 0 THEN citizenship_group
                WHEN GROUPING(citizenship) = 0 THEN citizenship
                WHEN GROUPING(exploitation) = 0 THEN exploitation
                WHEN GROUPING(signalled_by) = 0 THEN signalled_by
                ELSE '_T' END AS breakdown_code,
           sum(count) AS value
    FROM cells
    GROUP BY GROUPING SETS (
        (period, status, geo_district), (period, status, geo_district, sex),
        (period, status, geo_district, age_group),
        (period, status, geo_district, citizenship_group),
        (period, status, geo_district, citizenship),
        (period, status, geo_district, exploitation),
        (period, status, geo_district, signalled_by)
    )
),
geos AS (
    SELECT period, status, geo_district AS geo, breakdown, breakdown_code, value
    FROM grouped WHERE geo_district IS NOT NULL
    UNION ALL
    SELECT period, status, 'PT' AS geo, breakdown, breakdown_code, sum(value) AS value
    FROM grouped GROUP BY period, status, breakdown, breakdown_code
),
leaves AS (SELECT * FROM geos WHERE breakdown_code IS NOT NULL),
with_parents AS (  -- parent levels of the age groups and forms of exploitation
    SELECT * FROM leaves
    UNION ALL
    SELECT l.period, l.status, l.geo, l.breakdown, h.parent AS breakdown_code, l.value
    FROM leaves l
    JOIN marts.reg_hierarchy h ON h.dimension = l.breakdown AND h.code = l.breakdown_code
    WHERE l.breakdown IN ('age_group', 'exploitation') AND h.parent IS NOT NULL
)
SELECT f.indicator, w.period, w.geo, w.breakdown, w.breakdown_code,
       CAST(sum(w.value) AS DOUBLE) AS value
FROM with_parents w
JOIN marts.reg_filter f
  ON f.family = 'victims' AND (f.status IS NULL OR list_contains(f.status, w.status))
GROUP BY ALL;
