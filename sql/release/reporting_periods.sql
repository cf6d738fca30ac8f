-- Reporting periods of the EEA results, oldest first.
SELECT reporting_period, max(period_end) AS e
FROM rel.published.eea_results
GROUP BY 1
ORDER BY e, 1;
