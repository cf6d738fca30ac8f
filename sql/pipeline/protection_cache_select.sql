-- The stored protection results of the current engine version ($engine).
SELECT digest, problem, cells, summary, audit, intervals, keyed
FROM protected.problem_cache
WHERE engine = $engine;
