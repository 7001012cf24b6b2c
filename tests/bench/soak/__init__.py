"""The soak test (`make bench-soak`): writers and readers at once against gunicorn on
PostgreSQL for ten minutes, then every write counted in the database."""
