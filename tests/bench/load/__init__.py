"""The load benchmark (`make bench-load`): a data generator, the site under gunicorn with
production settings, locust driving one page at a time, and a report per database and scale."""
