-- EEA Grants results, by period then indicator, totals first.
SELECT * FROM rel.published.eea_results
ORDER BY period_end, indicator, breakdown <> '_T', breakdown, breakdown_code;
