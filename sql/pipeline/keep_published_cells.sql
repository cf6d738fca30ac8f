-- After a publication: the protected cells become the pattern the next protection keeps.
CREATE OR REPLACE TABLE protected.published_cells AS SELECT * FROM protected.cells;
