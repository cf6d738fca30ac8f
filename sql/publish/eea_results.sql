-- Every published EEA Grants result of a release file.
SELECT * FROM published.eea_results;
