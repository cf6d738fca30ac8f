-- Data-quality state per partner, return type and month (YYYY-MM) in a release file.
SELECT partner, return_type, strftime(period, '%Y-%m') AS period, state
FROM published.data_quality;
