"""The demo: the fictional organisations, people, issues, discussions, topics and public pages
that `manage.py load_demo` (and `make run`) loads, through the same services as the site. No
real person's data: every name and code here is made up. The production modules hold none of it."""
