-- Carry the previous release's history into the new release.
INSERT INTO published.release_history SELECT * FROM prev.published.release_history;
