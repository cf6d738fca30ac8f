-- Victims family: persons signalled (returns of type `victims`).
-- Inputs: core.victims (current versions), marts.ref_countries, marts.reg_filter,
--         marts.reg_hierarchy (built by indicators/compute.py from the registry).
-- Outputs:
--   marts.victims_cube          inner cells (leaf codes, month) aggregated over partners: the
--                               table that disclosure control protects;
--   marts.victims_month_sparse  one row per indicator x month x geo x breakdown code, for the
--                               nation and the districts of marts.reg_geo only (what counts.sql
--                               publishes): cube cells summed per breakdown first (GROUPING
--                               SETS), indicators and parent levels applied to those sums.

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
WITH cells AS (  -- districts the marts publish (marts.reg_geo); other region codes: NULL
    SELECT *, CASE WHEN district IN (SELECT geo FROM marts.reg_geo) THEN district END
              AS geo_district
    FROM marts.victims_cube
),
grouped AS (  -- one grouping set per breakdown, nation and district, kept by status
    SELECT period, status,
           CASE WHEN GROUPING(geo_district) = 0 THEN geo_district ELSE 'PT' END AS geo,
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
        (period, status), (period, status, sex), (period, status, age_group),
        (period, status, citizenship_group), (period, status, citizenship),
        (period, status, exploitation), (period, status, signalled_by),
        (period, status, geo_district), (period, status, geo_district, sex),
        (period, status, geo_district, age_group),
        (period, status, geo_district, citizenship_group),
        (period, status, geo_district, citizenship),
        (period, status, geo_district, exploitation),
        (period, status, geo_district, signalled_by)
    )
),
leaves AS (
    SELECT * FROM grouped WHERE geo IS NOT NULL AND breakdown_code IS NOT NULL
),
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
