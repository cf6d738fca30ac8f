-- Every month with returns must be computed (first computation, or the configuration changed).
CREATE OR REPLACE TABLE marts.compute_months AS SELECT DISTINCT period FROM marts.source_months_now;
