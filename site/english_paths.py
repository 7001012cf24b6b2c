"""The site's own paths in English under /en/. The Estonian routes are the stable contract
(DESIGN.md) and stay written where they are; `localized(route)` reads the same route with its
words in English while English is active (Django compiles and reverses a lazy route once per
language). tests/test_english_paths.py walks every route and fails on an Estonian word left."""

from django.utils.functional import lazy
from django.utils.translation import get_language

WORDS = {
    # The site
    "otsing": "search",
    "soovitused": "suggestions",
    "foorum": "forum",
    "konto": "account",
    "uudised.rss": "news.rss",
    "uudised.atom": "news.atom",
    "teemad.rss": "topics.rss",
    # Accounts
    "sisene": "sign-in",
    "valju": "sign-out",
    "parool": "password",
    "saadetud": "sent",
    "valmis": "done",
    # The forum
    "uus": "new",
    "muuda": "edit",
    "kustuta": "delete",
    "peida": "hide",
    "lukusta": "lock",
    "ajalugu": "history",
    "jalgi": "follow",
    "teavita": "flag",
    "silt": "tag",
    "sildid": "tags",
    "meil-ka": "we-see-this-too",
    "kommenteeri": "comment",
    "kommentaar": "comment",
    "staatus": "status",
    "duplikaat": "duplicate",
    "eskaleeri": "escalate",
    "arutelud": "discussions",
    "vasta": "reply",
    "vastus": "reply",
    "parim": "accepted",
    "kasulik": "helpful",
    "koolitusvajadused": "training-needs",
    "teemad": "topics",
    "avalda": "publish",
    "avalik": "public",
    "seisukoht": "position",
    "tooruhm": "working-group",
    "allkiri": "signature",
    "profiil": "profile",
    "teated": "notifications",
    "jalgimine": "following",
    "loobu": "unsubscribe",
    "kutse": "invitation",
    "organisatsioon": "organisation",
    "avaldused": "applications",
    "labivaatus": "triage",
    "ulevaade": "overview",
    "teavitus": "flag",
    "lahenda": "resolve",
    "andmed": "data",
    "aitah": "thank-you",
    "koos": "together",
    "kalender": "calendar",
    "kaart": "map",
    "tagasi": "withdraw",
    "koolitus": "training",
    "artikkel": "article",
    "eemalda": "remove",
    "eksport": "export",
    "inimene": "person",
    "kutsu": "invite",
    "lopeta": "end",
    "minu-andmed.html": "my-data.html",
    "minu-andmed.json": "my-data.json",
    "minu-andmed.zip": "my-data.zip",
}


def english(route: str) -> str:
    return "/".join(WORDS.get(part, part) for part in route.split("/"))


def _route(route: str) -> str:
    return english(route) if get_language() == "en" else route


localized = lazy(_route, str)
