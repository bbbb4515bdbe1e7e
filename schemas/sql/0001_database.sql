-- The database holding every Scalora table. {db} is replaced by the
-- configured database name (default scalora) before the statement runs.
CREATE DATABASE IF NOT EXISTS {db}
