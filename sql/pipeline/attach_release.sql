-- A retained release file, read-only, to read what it published (pipeline.release_values).
ATTACH $path AS retained (READ_ONLY);
