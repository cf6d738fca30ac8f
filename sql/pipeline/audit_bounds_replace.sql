-- Keep only the entries the last audits used (registered frame _audit_bounds).
DELETE FROM protected.audit_bounds;
INSERT INTO protected.audit_bounds (digest, bounds, engine)
SELECT digest, bounds, engine FROM _audit_bounds;
