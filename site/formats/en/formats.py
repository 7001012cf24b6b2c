# English dates under /en/: "4 December 2026", "4 December 2026, 18:30" (British usage).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
