-- Registry metadata published with the release, in a stable order.
SELECT * FROM rel.published.indicators ORDER BY family, code;
