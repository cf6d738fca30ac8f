-- The previous release, read-only, to compare the new one against.
ATTACH $path AS prev (READ_ONLY);
