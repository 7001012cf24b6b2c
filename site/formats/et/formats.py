# Estonian dates as the site writes them: "4. detsember 2026", "4. detsember 2026 18:30".
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
