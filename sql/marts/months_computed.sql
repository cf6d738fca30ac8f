SELECT count(*) FROM marts.compute_months;
