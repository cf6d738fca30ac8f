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
-- r12 and ytd are window sums over each series' months (RANGE frames on the month: the same
-- rows a join of every end month to its window would sum, without the join).

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
WITH wanted AS (SELECT * FROM marts.reg_scope),
m AS (  -- every monthly series with its two windows: the 12 months up to this one and the
        -- months of its year up to this one (rows present in each window, their sum)
    SELECT c.*,
           sum(value) OVER w12 AS r12_value, count(*) OVER w12 AS r12_months,
           sum(value) OVER ytd AS ytd_value, count(*) OVER ytd AS ytd_months
    FROM marts.count_month c
    WINDOW w12 AS (PARTITION BY indicator, geo, breakdown, breakdown_code ORDER BY period
                   RANGE BETWEEN INTERVAL 11 MONTH PRECEDING AND CURRENT ROW),
           ytd AS (PARTITION BY indicator, geo, breakdown, breakdown_code, year(period)
                   ORDER BY period RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
monthly AS (
    SELECT indicator, 'month' AS grain, period, last_day(period) AS period_end,
           strftime(period, '%Y-%m') AS period_label, geo, breakdown, breakdown_code, value,
           geo_level
    FROM marts.count_month
),
quarterly AS (
    SELECT indicator, 'quarter' AS grain, date_trunc('quarter', period)::DATE AS period,
           last_day(max(period)) AS period_end,
           strftime(date_trunc('quarter', period), '%Y') || '-Q'
               || CAST(quarter(date_trunc('quarter', period)) AS VARCHAR) AS period_label,
           geo, breakdown, breakdown_code, sum(value) AS value, geo_level
    FROM marts.count_month
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
    FROM marts.count_month
    WHERE (indicator, geo_level, breakdown) IN
          (SELECT indicator, geo_level, breakdown FROM wanted WHERE grain = 'year')
    GROUP BY indicator, date_trunc('year', period), geo, breakdown, breakdown_code, geo_level
    HAVING count(*) = 12
),
rolling AS (
    SELECT indicator, 'r12' AS grain, (period - INTERVAL 11 MONTH)::DATE AS period,
           last_day(period) AS period_end,
           strftime(period - INTERVAL 11 MONTH, '%Y-%m') || '..'
               || strftime(period, '%Y-%m') AS period_label,
           geo, breakdown, breakdown_code, r12_value AS value, geo_level
    FROM m
    WHERE r12_months = 12 AND (indicator, geo_level, breakdown) IN
          (SELECT indicator, geo_level, breakdown FROM wanted WHERE grain = 'r12')
),
to_date AS (
    SELECT indicator, 'ytd' AS grain, date_trunc('year', period)::DATE AS period,
           last_day(period) AS period_end,
           strftime(date_trunc('year', period), '%Y-%m') || '..'
               || strftime(period, '%Y-%m') AS period_label,
           geo, breakdown, breakdown_code, ytd_value AS value, geo_level
    FROM m
    WHERE ytd_months = month(period) AND (indicator, geo_level, breakdown) IN
          (SELECT indicator, geo_level, breakdown FROM wanted WHERE grain = 'ytd')
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
