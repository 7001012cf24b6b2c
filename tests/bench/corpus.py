"""Synthetic Estonian documents about children, schools, families and municipalities.

Reproducible from a seed. Sentences are built from templates over word lists in inflected forms
(laps/lapse/last/laste/lastele, kool/kooli/koolis) and compounds (lastekaitse, koolikiusamine,
lasteaiakohad). Each list is drawn from with Zipf-like weights, its first words common and its
last ones rare, so the corpus has a realistic spread of document frequencies for the query set
in search_bench.py. Place names are Estonian counties and municipalities; no person is named.
"""

import datetime
import random

# Counties and their municipalities (the 2017 administrative reform's 79).
MUNICIPALITIES = {
    "Harju": "Keila linn, Loksa linn, Maardu linn, Tallinn, Anija vald, Harku vald, "
    "Jõelähtme vald, Kiili vald, Kose vald, Kuusalu vald, Lääne-Harju vald, Raasiku vald, "
    "Rae vald, Saku vald, Saue vald, Viimsi vald",
    "Hiiu": "Hiiumaa vald",
    "Ida-Viru": "Kohtla-Järve linn, Narva linn, Narva-Jõesuu linn, Sillamäe linn, "
    "Alutaguse vald, Jõhvi vald, Lüganuse vald, Toila vald",
    "Järva": "Paide linn, Järva vald, Türi vald",
    "Jõgeva": "Jõgeva vald, Mustvee vald, Põltsamaa vald",
    "Lääne": "Haapsalu linn, Lääne-Nigula vald, Vormsi vald",
    "Lääne-Viru": "Rakvere linn, Haljala vald, Kadrina vald, Rakvere vald, Tapa vald, "
    "Vinni vald, Viru-Nigula vald, Väike-Maarja vald",
    "Pärnu": "Pärnu linn, Häädemeeste vald, Kihnu vald, Lääneranna vald, "
    "Põhja-Pärnumaa vald, Saarde vald, Tori vald",
    "Põlva": "Kanepi vald, Põlva vald, Räpina vald",
    "Rapla": "Kehtna vald, Kohila vald, Märjamaa vald, Rapla vald",
    "Saare": "Muhu vald, Ruhnu vald, Saaremaa vald",
    "Tartu": "Tartu linn, Elva vald, Kambja vald, Kastre vald, Luunja vald, Nõo vald, "
    "Peipsiääre vald, Tartu vald",
    "Valga": "Otepää vald, Tõrva vald, Valga vald",
    "Viljandi": "Viljandi linn, Mulgi vald, Põhja-Sakala vald, Viljandi vald",
    "Võru": "Võru linn, Antsla vald, Rõuge vald, Setomaa vald, Võru vald",
}
PLACES = [(county, name) for county, names in MUNICIPALITIES.items() for name in names.split(", ")]


def inessive(municipality: str) -> str:
    """ "Saue vald" → "Saue vallas", "Keila linn" → "Keila linnas", "Tallinn" → "Tallinnas"."""
    if municipality.endswith(" vald"):
        return municipality[: -len("vald")] + "vallas"
    return municipality + "as"


# Subjects, with the verb forms that agree with them.
SUBJECTS_PLURAL = [
    "lapsed", "õpilased", "vanemad", "pered", "noored", "lapsevanemad", "õpetajad",
    "lastekaitsetöötajad", "koolijuhid", "sotsiaaltöötajad", "tugiisikud", "noorsootöötajad",
    "lasteaiaõpetajad", "põhikooliõpilased", "gümnaasiumiõpilased", "huvijuhid", "treenerid",
    "vanavanemad", "kasupered", "koolipsühholoogid", "logopeedid", "eripedagoogid",
    "perearstid", "kooliõed", "vabatahtlikud", "eestkostjad", "volikogu liikmed",
    "noortevolikogu liikmed", "hoolekogu liikmed", "lasteaiarühmade õpetajad",
]  # fmt: skip
SUBJECTS_SINGULAR = [
    "laps", "kool", "vallavalitsus", "lasteaed", "õpilane", "lapsevanem", "linnavalitsus",
    "õpetaja", "lastekaitsetöötaja", "sotsiaalosakond", "huvikool", "noortekeskus",
    "koolijuht", "hoolekogu", "õpilasesindus", "perekeskus", "maakonna omavalitsusliit",
    "nõustamiskeskus", "noortevolikogu", "külaselts", "muusikakool", "spordiklubi",
    "lasteaia direktor", "koolipere", "perearstikeskus", "tugikeskus", "lastekodu",
    "asenduskodu", "kasupere", "koolibussi juht",
]  # fmt: skip
# Verbs taking a partitive object: ootavad toetust, vajab abi.
VERBS_PLURAL = [
    "ootavad", "vajavad", "soovivad", "arutavad", "küsivad", "toetavad", "nõuavad",
    "kritiseerivad", "otsivad", "pakuvad", "ootasid", "vajasid", "arutasid", "nõudsid",
    "kardavad", "kasutavad", "planeerivad", "hindavad", "kurdavad puuduvat", "ootavad endiselt",
]  # fmt: skip
VERBS_SINGULAR = [
    "ootab", "vajab", "pakub", "arutab", "toetab", "soovib", "korraldab", "otsib", "nõuab",
    "kritiseerib", "ootas", "vajas", "arutas", "pakkus", "korraldas", "planeerib", "rahastab",
    "hindab", "lubas uut", "kaalub",
]  # fmt: skip
OBJECTS = [
    "toetust", "abi", "lasteaiakohti", "tuge", "huviringe", "koolibussi", "nõustamist",
    "vaimse tervise abi", "lastele mõeldud tegevusi", "turvalist kooliteed", "tugiisikut",
    "koolitoitu", "peretoetust", "lisaraha", "kiusamise ennetamist", "selgemat teavet",
    "rohkem õpetajaid", "väiksemaid klasse", "lapsehoidu", "koolipsühholoogi",
    "logopeedi", "eripedagoogi", "huvihariduse toetust", "õppekohti", "laagrikohti",
    "koolikiusamise lõpetamist", "paremat järelevalvet", "sõidusoodustust", "lastetoetust",
    "tugispetsialiste", "erivajadusega laste tuge", "digiturvalisuse koolitust",
    "vahetunnitegevusi", "mänguväljakut", "noortekeskust", "perearsti", "kasuperesid",
    "lastekaitse nõustamist", "suvelaagrit", "spordiringe", "ujumisõpetust",
    "kergliiklusteed", "jalgrattaparklat", "õpikuid", "koolivormi", "eestkostet",
    "lapsendamise nõustamist", "järelhooldust", "puudega lapse hooldust", "öist lapsehoidu",
]  # fmt: skip
GENITIVES = [
    "laste", "lapse", "õpilaste", "perede", "noorte", "vanemate", "koolide", "lasteaedade",
    "valla", "linna", "lastekaitse", "koolikiusamise", "vaimse tervise", "huvihariduse",
    "koolitoidu", "tugiteenuste", "maakonna", "erivajadusega laste", "lasteaiakohtade",
    "koolibusside", "õpetajate", "noortekeskuse", "asenduskodude", "kasuperede",
    "laagrite", "koolivõrgu", "eestkoste",
]  # fmt: skip
HEADS = [
    "olukord", "järjekord", "rahastus", "turvalisus", "heaolu", "toetamine", "kaasamine",
    "nõustamine", "kättesaadavus", "eelarve", "arengukava", "ohutus", "teadlikkus",
    "koormus", "puudus", "korraldus", "ootejärjekord", "tasu", "kvaliteet", "hindamine",
]  # fmt: skip
ADJECTIVES = [
    "muret tekitav", "pikk", "ebapiisav", "paranenud", "halvenenud", "keeruline", "hea",
    "ebaühtlane", "ebaselge", "nõrk", "aeglane", "suur", "väike", "kallis", "stabiilne",
]  # fmt: skip
LOCATIONS = [
    "koolis", "lasteaias", "kodus", "vahetunnis", "klassis", "koolibussis", "noortekeskuses",
    "maapiirkonnas", "külakoolis", "kooliõues", "internetis", "sotsiaalmeedias",
    "spordisaalis", "huviringis", "laagris", "koolisööklas", "raamatukogus", "mänguväljakul",
]  # fmt: skip
TIMES = [
    "sel sügisel", "tänavu", "eelmisel aastal", "kevadel", "hommikuti", "juba mitu aastat",
    "suvel", "õhtuti", "talvel", "nädalavahetusel", "koolivaheajal", "viimastel kuudel",
    "uuest õppeaastast", "järgmisest aastast", "pärast koroonat",
]  # fmt: skip
FACILITIES = [
    "lasteaed", "koolimaja", "lasteaiarühm", "noortekeskus", "mänguväljak", "huvikool",
    "koolisöökla", "spordihoone", "perekeskus", "raamatukogu", "asenduskodu", "algkool",
]  # fmt: skip
REASONS = [
    "remondi tõttu", "raha puudusel", "õpilaste vähesuse tõttu", "ajutiselt",
    "hallituse tõttu", "õpetajate puudusel", "ehitustööde ajaks", "tuleohu tõttu",
]  # fmt: skip
TOPICS = [
    "Seisukoht", "Ettepanek", "Küsimus", "Arutelu", "Teade", "Pöördumine", "Kokkuvõte",
]  # fmt: skip


def _weights(words, skew=1.0):
    return [1 / (rank + 1) ** skew for rank in range(len(words))]


class Corpus:
    """Sentences and documents from one random.Random; the same seed, the same corpus."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._weights = {}

    def pick(self, words):
        key = id(words)
        if key not in self._weights:
            self._weights[key] = _weights(words)
        return self.rng.choices(words, self._weights[key])[0]

    def place(self, county_and_name):
        county, name = county_and_name
        return self.rng.choice(
            [inessive(name), inessive(name), f"{county} maakonnas", self.pick(LOCATIONS)]
        )

    def clause(self, where):
        if self.rng.random() < 0.55:
            subject, verb = self.pick(SUBJECTS_PLURAL), self.pick(VERBS_PLURAL)
        else:
            subject, verb = self.pick(SUBJECTS_SINGULAR), self.pick(VERBS_SINGULAR)
        parts = [subject, verb, self.pick(OBJECTS)]
        if self.rng.random() < 0.6:
            parts.append(self.place(where))
        if self.rng.random() < 0.4:
            parts.append(self.pick(TIMES))
        return " ".join(parts)

    def sentence(self, where) -> str:
        r = self.rng.random()
        if r < 0.45:
            text = self.clause(where)
        elif r < 0.7:
            text = (
                f"{self.pick(GENITIVES)} {self.pick(HEADS)} on {self.place(where)} "
                f"{self.pick(ADJECTIVES)}"
            )
        elif r < 0.8:
            verb = self.rng.choice(["suleti", "avati", "renoveeriti"])
            text = f"{self.place(where)} {verb} {self.pick(FACILITIES)}"
            if verb == "suleti":
                text += " " + self.pick(REASONS)
        elif r < 0.9:
            text = f"{self.clause(where)}, sest {self.clause(where)}"
        else:
            return f"Miks {self.clause(where)}?"
        return text[0].upper() + text[1:] + "."

    def title(self, where) -> str:
        if self.rng.random() < 0.5:
            text = f"{self.pick(GENITIVES)} {self.pick(HEADS)} {inessive(where[1])}"
        else:
            text = f"{self.pick(TOPICS)}: {self.pick(SUBJECTS_PLURAL)} {self.pick(VERBS_PLURAL)}"
            text += f" {self.pick(OBJECTS)}"
        return text[0].upper() + text[1:]

    def document(self) -> dict:
        where = self.rng.choice(PLACES)
        sentences = [self.sentence(where) for _ in range(self.rng.randint(3, 12))]
        return {
            "title": self.title(where),
            "body": " ".join(sentences),
            "county": where[0],
            "published": datetime.date(2018, 1, 1)
            + datetime.timedelta(days=self.rng.randrange(8 * 365)),
        }
