-- Attach one published release file read-only as "rel" (the reader's only database).
ATTACH $path AS rel (READ_ONLY);
