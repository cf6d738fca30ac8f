-- All count indicators, every published grain, zeros made explicit.
-- Inputs: marts.<family>_month_sparse (victims.sql, support.sql, activities.sql),
--         marts.calendar (every month from the first to the last reported month),
--         marts.reg_scope (indicator x geo level x breakdown x grain, from the registry),
--         marts.reg_codes (every code of every breakdown), marts.reg_geo (districts, ABROAD,
--         UNKNOWN).
-- Output: marts.count_values (indicator, grain, period, period_end, period_label, geo,
--         breakdown, breakdown_code, value).
-- Quarters and years are emitted only when all their months are in the calendar; r12 needs
-- 12 months of history; ytd starts in January (or the first calendar month's year if full).

CREATE OR REPLACE TABLE marts.count_month AS
WITH sparse AS (
    SELECT * FROM marts.victims_month_sparse
    UNION ALL SELECT * FROM marts.support_month_sparse
    UNION ALL SELECT * FROM marts.activities_month_sparse
),
codes AS (
    SELECT DISTINCT f.indicator, c.breakdown, c.code
    FROM marts.reg_codes c JOIN marts.reg_filter f USING (family)
    UNION
    SELECT DISTINCT indicator, breakdown, breakdown_code FROM sparse
),
scope AS (SELECT DISTINCT indicator, geo_level, breakdown FROM marts.reg_scope),
geos AS (
    SELECT 'PT' AS geo, 'national' AS geo_level
    UNION ALL SELECT geo, 'district' FROM marts.reg_geo
),
dense AS (
    SELECT s.indicator, k.period, g.geo, s.breakdown, c.code AS breakdown_code
    FROM scope s
    JOIN geos g USING (geo_level)
    JOIN codes c ON c.indicator = s.indicator AND c.breakdown = s.breakdown
    CROSS JOIN marts.calendar k
)
SELECT d.*, coalesce(sp.value, 0) AS value,
       CASE WHEN d.geo = 'PT' THEN 'national' ELSE 'district' END AS geo_level
FROM dense d
LEFT JOIN sparse sp
  ON sp.indicator = d.indicator AND sp.period = d.period AND sp.geo = d.geo
 AND sp.breakdown = d.breakdown AND sp.breakdown_code = d.breakdown_code;

CREATE OR REPLACE TABLE marts.count_values AS
WITH m AS (SELECT * FROM marts.count_month),
bounds AS (SELECT min(period) AS first_month, max(period) AS last_month FROM marts.calendar),
wanted AS (SELECT * FROM marts.reg_scope),
monthly AS (
    SELECT indicator, 'month' AS grain, period, last_day(period) AS period_end,
           strftime(period, '%Y-%m') AS period_label, geo, breakdown, breakdown_code, value,
           geo_level
    FROM m
),
quarterly AS (
    SELECT indicator, 'quarter' AS grain, date_trunc('quarter', period)::DATE AS period,
           last_day(max(period)) AS period_end,
           strftime(date_trunc('quarter', period), '%Y') || '-Q'
               || CAST(quarter(date_trunc('quarter', period)) AS VARCHAR) AS period_label,
           geo, breakdown, breakdown_code, sum(value) AS value, geo_level
    FROM m
    WHERE (indicator, geo_level, breakdown) IN
          (SELECT indicator, geo_level, breakdown FROM wanted WHERE grain = 'quarter')
    GROUP BY indicator, date_trunc('quarter', period), geo, breakdown, breakdown_code, geo_level
    HAVING count(*) = 3
),
yearly AS (
    SELECT indicator, 'year' AS grain, date_trunc('year', period)::DATE AS period,
           last_day(max(period)) AS period_end,
           strftime(date_trunc('year', period), '%Y') AS period_label,
           geo, breakdown, breakdown_code, sum(value) AS value, geo_level
    FROM m
    WHERE (indicator, geo_level, breakdown) IN
          (SELECT indicator, geo_level, breakdown FROM wanted WHERE grain = 'year')
    GROUP BY indicator, date_trunc('year', period), geo, breakdown, breakdown_code, geo_level
    HAVING count(*) = 12
),
ends AS (SELECT period AS end_month FROM marts.calendar),
rolling AS (
    SELECT m.indicator, 'r12' AS grain, (e.end_month - INTERVAL 11 MONTH)::DATE AS period,
           last_day(e.end_month) AS period_end,
           strftime(e.end_month - INTERVAL 11 MONTH, '%Y-%m') || '..'
               || strftime(e.end_month, '%Y-%m') AS period_label,
           m.geo, m.breakdown, m.breakdown_code, sum(m.value) AS value, m.geo_level
    FROM ends e
    JOIN m ON m.period BETWEEN e.end_month - INTERVAL 11 MONTH AND e.end_month
    WHERE (m.indicator, m.geo_level, m.breakdown) IN
          (SELECT indicator, geo_level, breakdown FROM wanted WHERE grain = 'r12')
    GROUP BY m.indicator, e.end_month, m.geo, m.breakdown, m.breakdown_code, m.geo_level
    HAVING count(*) = 12
),
to_date AS (
    SELECT m.indicator, 'ytd' AS grain, date_trunc('year', e.end_month)::DATE AS period,
           last_day(e.end_month) AS period_end,
           strftime(date_trunc('year', e.end_month), '%Y-%m') || '..'
               || strftime(e.end_month, '%Y-%m') AS period_label,
           m.geo, m.breakdown, m.breakdown_code, sum(m.value) AS value, m.geo_level
    FROM ends e
    JOIN m ON m.period BETWEEN date_trunc('year', e.end_month) AND e.end_month
    WHERE (m.indicator, m.geo_level, m.breakdown) IN
          (SELECT indicator, geo_level, breakdown FROM wanted WHERE grain = 'ytd')
    GROUP BY m.indicator, e.end_month, m.geo, m.breakdown, m.breakdown_code, m.geo_level
    HAVING count(*) = month(e.end_month)
),
all_grains AS (
    SELECT * FROM monthly
    UNION ALL SELECT * FROM quarterly
    UNION ALL SELECT * FROM yearly
    UNION ALL SELECT * FROM rolling
    UNION ALL SELECT * FROM to_date
)
SELECT a.indicator, a.grain, a.period, a.period_end, a.period_label, a.geo, a.breakdown,
       a.breakdown_code, a.value
FROM all_grains a
SEMI JOIN wanted w
  ON w.indicator = a.indicator AND w.geo_level = a.geo_level AND w.breakdown = a.breakdown
 AND w.grain = a.grain;
