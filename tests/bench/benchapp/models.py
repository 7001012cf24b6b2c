from django.db import models
from modelsearch import index


class Document(index.Indexed, models.Model):
    """A synthetic article; its search fields mirror a Wagtail page's (title boosted and
    autocompleted) so both backends do the work a site search does."""

    title = models.CharField(max_length=255)
    body = models.TextField()
    county = models.CharField(max_length=40)
    published = models.DateField()

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.FilterField("county"),
        index.FilterField("published"),
    ]

    def __str__(self):
        return self.title


class LabelledDocument(index.Indexed, models.Model):
    """A document of the labelled Estonian set (tests/search/estonian_queries.py), kept apart
    from the synthetic ones so they cannot disturb its precision."""

    key = models.CharField(max_length=10, unique=True)
    body = models.TextField()

    search_fields = [index.SearchField("body")]

    def __str__(self):
        return self.key
