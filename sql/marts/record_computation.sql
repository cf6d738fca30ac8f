-- Record what the family marts were computed from (same transaction as the marts).
CREATE OR REPLACE TABLE marts.source_months AS SELECT * FROM marts.source_months_now;
CREATE OR REPLACE TABLE marts.compute_config AS SELECT $config AS config;
