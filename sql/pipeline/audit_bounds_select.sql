-- The stored release-audit bounds of the current engine version ($engine).
SELECT digest, bounds
FROM protected.audit_bounds
WHERE engine = $engine;
