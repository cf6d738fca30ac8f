"""Open data access to published releases: the tables each audience may read, what changed
between two releases, and the bulk download (CSV + SDMX + methodology + README). Pure
Python over DuckDB/polars: it reads published release files only, never the warehouse."""
