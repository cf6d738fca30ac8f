-- Values computed and available per indicator (the `observatory indicators` summary).
SELECT indicator, count(*) AS n_values, count(value) AS n_available
FROM marts.indicator_values
GROUP BY ALL
ORDER BY indicator;
