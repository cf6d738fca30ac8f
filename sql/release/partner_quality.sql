-- One partner's data-quality states per return type and month (YYYY-MM).
SELECT return_type, strftime(period, '%Y-%m') AS period, state
FROM rel.published.data_quality
WHERE partner = $partner;
