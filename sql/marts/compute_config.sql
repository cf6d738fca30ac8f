-- The fingerprint of the registry, reference data and SQL the family marts were computed with.
SELECT config FROM marts.compute_config;
