-- New published values against the previous release's, per indicator: added, removed and
-- changed, and `hidden`: values the previous release published that this one does not
-- (flagged 'c' now, or left out: the key is gone). The caller sums them per audience (see
-- indicators/publish.py). A value's key: indicator, grain, period, period_end, geo,
-- breakdown, breakdown_code.
WITH n AS (SELECT indicator, grain, period, period_end, geo, breakdown, breakdown_code,
                  value, contains(flags, 'c') AS confidential, true AS present
           FROM published.indicator_values),
     o AS (SELECT indicator, grain, period, period_end, geo, breakdown, breakdown_code,
                  value, true AS present
           FROM prev.published.indicator_values),
     j AS (SELECT indicator, n.present AS in_new, o.present AS in_old,
                  n.value AS new_value, o.value AS old_value, n.confidential
           FROM n FULL OUTER JOIN o
             USING (indicator, grain, period, period_end, geo, breakdown, breakdown_code))
SELECT
    indicator,
    CAST(count(*) FILTER (WHERE in_old IS NULL) AS BIGINT) AS added,
    CAST(count(*) FILTER (WHERE in_new IS NULL) AS BIGINT) AS removed,
    CAST(count(*) FILTER (WHERE in_new AND in_old
                          AND new_value IS DISTINCT FROM old_value) AS BIGINT) AS changed,
    CAST(count(*) FILTER (WHERE in_old AND old_value IS NOT NULL
                          AND (in_new IS NULL OR (new_value IS NULL AND confidential)))
         AS BIGINT) AS hidden
FROM j
GROUP BY indicator
ORDER BY indicator;
