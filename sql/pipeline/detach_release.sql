-- Back to the in-memory database, then let the attached release go.
USE memory;
DETACH retained;
