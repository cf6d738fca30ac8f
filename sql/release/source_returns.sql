-- Partner returns (partner, return type, period, version) the release was computed from.
SELECT source_returns FROM rel.published.release_info LIMIT 1;
