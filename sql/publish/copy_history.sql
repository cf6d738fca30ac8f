-- Carry the previous release's history into the new release (by name: rows of a release
-- written before the audience column existed take its default, 'analyst').
INSERT INTO published.release_history BY NAME SELECT * FROM prev.published.release_history;
