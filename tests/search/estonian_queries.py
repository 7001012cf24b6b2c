"""A labelled set for Estonian search: short fictional documents in the forum's and the site's
language, and queries with the documents a person typing them expects to find. Includes word
forms snowball stems apart, compounds, queries typed without diacritics, and near-misses that
must NOT match (koolitus is not kool, lastetu is about parents)."""

DOCUMENTS = {
    "d1": "Lapsed ootavad koolibussi hommikul pimedas teeservas.",
    "d2": "Lapse õigused peavad olema tagatud igas omavalitsuses.",
    "d3": "Laste vaimse tervise nõustamise järjekord on pikk.",
    "d4": "Lastele mõeldud huviringid on peredele kallid.",
    "d5": "Koolikiusamisest teatamiseks puudub koolides selge kanal.",
    "d6": "Kiusamine vahetunnis mõjutab õpilaste heaolu.",
    "d7": "Lastekaitse töötajaid on vallas liiga vähe.",
    "d8": "Kaitse laste andmeid: ära kirjuta nimesid.",
    "d9": "Lasteaiakohti napib uutes elamurajoonides.",
    "d10": "Lasteaias on rühmad ülerahvastatud.",
    "d11": "Suvelaagri hind tõusis paljudele peredele üle jõu.",
    "d12": "Laagris puudus ujumisjärelevalve.",
    "d13": "Koolitus lapse kaasamisest toimub Tallinnas.",
    "d14": "Kool suleti remondi tõttu kaheks nädalaks.",
    "d15": "Võrumaal on noorte tugiisikuid vähe.",
    "d16": "Noored ei leia tööd maapiirkonnas.",
    "d17": "Perede toetus vähenes selle aasta eelarves.",
    "d18": "Vanemate teadlikkus digiturvalisusest on madal.",
    "d19": "Õpetajate koolitused ei käsitle kiusamise ennetamist.",
    "d20": "Lastetu paari lapsendamise ootejärjekord.",
    "d25": "Lastetud täiskasvanud osalesid küsitluses.",
    "d21": "Huvikoolide ringides on kohti vähe.",
    "d22": "Bussid ei sõida õhtul, ringist koju ei pääse.",
    "d23": "Seisukoht: iga laps vajab turvalist koolitee.",
    "d24": "Maakonna lastekaitsetöötajad kohtusid.",
}

# (query, documents expected)
QUERIES = [
    # "lastetu" (childless) is about adults; adoption (lapsendamine) is a word of its own for
    # Vabamorf, no derivation of laps (the hand-made word families joined them).
    ("laps", {"d1", "d2", "d3", "d4", "d7", "d8", "d13", "d23", "d24"}),
    ("lapse õigused", {"d2"}),
    ("laste oigused", {"d2"}),  # typed without diacritics
    # Compounds count: a school bus, a hobby school and the way to school are about schools.
    ("kool", {"d1", "d5", "d14", "d21", "d23"}),
    ("koolis", {"d1", "d5", "d14", "d21", "d23"}),
    ("kiusamine", {"d5", "d6", "d19"}),
    ("koolikiusamine", {"d5"}),
    # "Kaitse laste andmeid" protects children's data: two words, no child protection.
    ("lastekaitse", {"d7", "d24"}),
    ("lasteaed", {"d9", "d10"}),
    ("lasteaia", {"d9", "d10"}),
    ("laager", {"d11", "d12"}),
    ("laagri", {"d11", "d12"}),
    ("koolitus", {"d13", "d19"}),
    ("voru", set()),  # no partial place names
    ("vorumaa", {"d15"}),
    ("noored", {"d15", "d16"}),
    ("pere toetus", {"d17"}),
    ("peredele", {"d4", "d11", "d17"}),
    ("vanemad", {"d18"}),
    ("järjekord", {"d3", "d20"}),  # ootejärjekord is a queue too
    ("jarjekord", {"d3", "d20"}),
    ("buss", {"d1", "d22"}),
    ("ring", {"d4", "d21", "d22"}),  # huviringid are clubs
    ("seisukohad", {"d23"}),
]
