-- The stored value-key probes of the current engine version ($engine).
SELECT digest, probe
FROM protected.probe_cache
WHERE engine = $engine;
