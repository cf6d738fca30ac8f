-- Read the attached release (its schema published) by the release SQL files' names.
USE retained;
