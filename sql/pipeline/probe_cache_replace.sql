-- Keep only the probes the last protection used (registered frame _probe_entries).
DELETE FROM protected.probe_cache;
INSERT INTO protected.probe_cache (digest, probe, engine)
SELECT digest, probe, engine FROM _probe_entries;
