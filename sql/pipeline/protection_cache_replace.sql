-- Keep only the entries the last protection used (registered frame _cache_entries).
DELETE FROM protected.problem_cache;
INSERT INTO protected.problem_cache
    (digest, problem, cells, summary, audit, intervals, keyed, engine)
SELECT digest, problem, cells, summary, audit, intervals, keyed, engine FROM _cache_entries;
