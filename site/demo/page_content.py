"""The public site's demo content: the Koda's own text (../shared/seed/) in Estonian, with an
English translation. News items, events and partners are fictional."""

SEED_INTRO = (
    "Lapse Huvikaitse Koda on laste ja perede valdkonna ühenduste koostöövõrgustik, mille "
    "tegevuse eesmärk on tagada lapse huvide ning õiguste kaitse."
)


def p(*paragraphs):
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}


def h(text, level="h2"):
    return {"type": "heading", "value": {"text": text, "level": level}}


def quote(text, attribution=""):
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


HOME = {
    "et": {
        "title": "Lapse Huvikaitse Koda",
        "seo_title": "Lapse Huvikaitse Koda – laste ja perede valdkonna ühenduste võrgustik",
        "search_description": SEED_INTRO,
        "introduction": SEED_INTRO,
        "body": [
            h("Lapsekesksus, proaktiivsus, koostöö"),
            p(
                "Koda ühendab organisatsioone, kes töötavad iga päev laste ja peredega. "
                "Toome kokku selle, mida liikmed kohapeal näevad, ja kujundame sellest ühised "
                "seisukohad, mis muudavad riiklikku ja kohalikku lapse- ja perepoliitikat."
            ),
        ],
        "join_title": "Liitu Kojaga",
        "join_text": (
            "Kojaga liituvad organisatsioonid, kes soovivad panustada oma kompetentsi ja "
            "kogemusega laste huvidega arvestamise nimel, saades samal ajal Koja teistelt "
            "liikmetelt toetust enda strateegiliste eesmärkide elluviimiseks."
        ),
    },
    "en": {
        "title": "Estonian Child Advocacy Chamber",
        "seo_title": "Estonian Child Advocacy Chamber – a network for children and families",
        "search_description": (
            "The Estonian Child Advocacy Chamber (Lapse Huvikaitse Koda) is a network of "
            "organisations working with children and families that protects the interests "
            "and rights of the child."
        ),
        "introduction": (
            "The Estonian Child Advocacy Chamber (Lapse Huvikaitse Koda) is a network of "
            "organisations working with children and families. Its aim is to protect the "
            "interests and rights of the child."
        ),
        "body": [
            h("Child-centred, proactive, working together"),
            p(
                "The Chamber brings together organisations that work with children and families "
                "every day. We gather what our members see on the ground and turn it into shared "
                "positions that change national and local policy for children."
            ),
        ],
        "join_title": "Join the Chamber",
        "join_text": (
            "Organisations join the Chamber to contribute their expertise and experience to "
            "taking children's interests into account, and receive support from the other "
            "members for their own strategic goals."
        ),
    },
}

ABOUT = {
    "et": {
        "title": "Organisatsioonist",
        "slug": "organisatsioonist",
        "lead": (
            "Lapse Huvikaitse Koda on avalikes huvides tegutsev huvikaitseline erinevate laste "
            "ja perede valdkonna organisatsioonide võrgustik."
        ),
        "body": [
            p(
                "Koja eesmärk on tugevdada eelkõige läbi võrgustiku arendamise Eesti laste ja "
                "peredega tegelevate ühingute koostööd riikliku laste ja perepoliitika "
                "kujundamisel. Lapse Huvikaitse Koda ei koonda organisatsioone ja isikuid mitte "
                "järjekordseks eraldi ühinguks ega ole ka katusorganisatsiooniks, vaid soovib "
                "järjepidevalt laiendada ühises info- ja kogemuste vahetuses olevat erinevate "
                "osapoolte võrgustikku, kuhu läbi ühise koordineerimise saame tuua "
                "mitmepalgelise koostöövõimekuse, mille läbi järjest parendada Eestis kasvavate "
                "laste heaolu."
            ),
            h("Ajalugu"),
            p(
                "2009. aasta oktoobris käivitas MTÜ Perede ja Laste Nõuandekeskus "
                "Kodanikuühiskonna Sihtkapitali toetusel ning koostöös Pelgulinna Lastekaitse "
                "Keskuse ja Hea Algusega vabaühenduste võrgustiku Lapse Huvikaitse Koda. "
                "2013. aasta märtsist loodi aga uus juriidiline keha, MTÜ Lapse Huvikaitse Koda."
            ),
            h("Väärtused"),
            p(
                "Kojaga liituvad organisatsioonid, kes soovivad panustada oma kompetentsi ja "
                "kogemusega laste huvidega arvestamise nimel, saades samal ajal Koja teistelt "
                "liikmetelt toetust enda strateegiliste eesmärkide elluviimiseks. Koja liikmete "
                "ühised väärtused on:"
            ),
            {
                "type": "paragraph",
                "value": (
                    "<ul><li><b>Lapsekesksus</b> – iga otsuse keskmes on lapse huvid ja "
                    "õigused.</li><li><b>Proaktiivsus</b> – märkame kitsaskohti varakult ja "
                    "pakume lahendusi enne, kui probleem süveneb.</li><li><b>Koostöö</b> – "
                    "ühiselt kõlab liikmete hääl laiemalt kui üksi.</li></ul>"
                ),
            },
        ],
    },
    "en": {
        "title": "About us",
        "slug": "about",
        "lead": (
            "The Estonian Child Advocacy Chamber is a network of organisations working with "
            "children and families that acts in the public interest."
        ),
        "body": [
            p(
                "The Chamber strengthens cooperation between Estonian organisations working with "
                "children and families in shaping national child and family policy, above all by "
                "developing the network. It is neither one more separate association nor an "
                "umbrella organisation: it keeps widening a network that shares information and "
                "experience, so that coordinated cooperation keeps improving the wellbeing of "
                "children growing up in Estonia."
            ),
            h("History"),
            p(
                "In October 2009 the Family and Child Counselling Centre (MTÜ Perede ja Laste "
                "Nõuandekeskus), with support from the National Foundation of Civil Society and "
                "together with the Pelgulinn Child Protection Centre and Hea Algus, launched the "
                "network of non-profit organisations called Lapse Huvikaitse Koda. In March 2013 "
                "it became a legal body of its own, MTÜ Lapse Huvikaitse Koda."
            ),
            h("Values"),
            p("The members of the Chamber share three values:"),
            {
                "type": "paragraph",
                "value": (
                    "<ul><li><b>Child-centredness</b> – the child's interests and rights are at "
                    "the heart of every decision.</li><li><b>Proactivity</b> – we notice problems "
                    "early and offer solutions before they grow.</li><li><b>Cooperation</b> – "
                    "together our members' voice carries further than alone.</li></ul>"
                ),
            },
        ],
    },
}

JOIN = {
    "et": {
        "title": "Miks liituda?",
        "slug": "liitu",
        "intro": (
            "Koda pakub oma liikmetele huvikaitset, võrgustikku, arenguvõimalusi ja "
            "rahvusvahelist koostööd."
        ),
        "body": [
            h("1. Huvikaitse"),
            p(
                "Lapse Huvikaitse Koja eesmärk on tugevdada eelkõige läbi võrgustiku arendamise "
                "Eesti laste ja peredega tegelevate ühingute koostööd riikliku laste ja "
                "perepoliitika kujundamisel ning järelevalve teostamisel laste- ja perepoliitika "
                "elluviimise üle."
            ),
            h("2. Võrgustik ja koostöö"),
            p(
                "Koda arendab aktiivset koostööd avaliku sektoriga ning eesmärgiks on olla "
                "arvestatav partner oluliste seisukohtade ning otsuste kujundamisel. Läbi "
                "võrgustiku saame kujundada ühiseid seisukohti riigis üleskerkivate lapsi "
                "puudutavate olukordade ning poliitiliste otsuste vajaduse osas. Ühise "
                "võrgustikusisese koostöö läbi saame anda liikmesorganisatsioonide poolt "
                "osutatud kitsaskohtadele laiemat kõlapinda."
            ),
            h("3. Organisatsiooni ja liikmeskonna arendamine"),
            p(
                "Lapse Huvikaitse Koja tegevuskavas on kavandatud mitmesuguseid koolitusi ja "
                "seminare vastavalt liikmete vajadustele ning huvidele."
            ),
            h("4. Rahvusvaheline koostöö"),
            p(
                "Lapse Huvikaitse Kojal on mitmeid partnereid välisriikides. Nende kontaktide ja "
                "koostöö läbi on Koja liikmetel võimalus osa saada Euroopas toimuvast ja "
                "kogemuste vahetamisest ning rääkida kaasa uute suundade kujundamisel. Koda "
                "pakub oma liikmetele informatsiooni ja abi võimalike koostööpartnerite leidmisel "
                "Euroopas, ühisprojektide võimalusi, kogemuste ja praktikate vahetust."
            ),
        ],
        "form_title": "Liitumisavaldus",
        "form_intro": (
            "Täida avaldus organisatsiooni nimel. Koordinaatorid vaatavad selle läbi ja "
            "vastavad sulle e-posti teel."
        ),
        "thank_you_text": (
            "<p>Saatsime kinnituse sinu e-posti aadressile. Koordinaatorid vaatavad avalduse "
            "läbi ja võtavad sinuga peagi ühendust.</p>"
        ),
    },
    "en": {
        "title": "Why join?",
        "slug": "join",
        "intro": (
            "The Chamber offers its members advocacy, a network, development and international "
            "cooperation."
        ),
        "body": [
            h("1. Advocacy"),
            p(
                "The Chamber strengthens cooperation between Estonian organisations working with "
                "children and families in shaping national child and family policy and in "
                "overseeing how that policy is carried out."
            ),
            h("2. Network and cooperation"),
            p(
                "The Chamber works actively with the public sector and aims to be a partner to be "
                "reckoned with when important positions and decisions are shaped. Through the "
                "network we form shared positions on situations affecting children and on the "
                "need for political decisions, and give the problems our members point out a "
                "wider hearing."
            ),
            h("3. Developing organisations and members"),
            p(
                "The Chamber's plan of action includes trainings and seminars that follow the "
                "members' needs and interests."
            ),
            h("4. International cooperation"),
            p(
                "The Chamber has partners in several countries. Through them our members take "
                "part in what happens in Europe, exchange experience and help shape new "
                "directions. The Chamber helps its members find partners in Europe, joint "
                "projects and the exchange of good practice."
            ),
        ],
        "form_title": "Membership application",
        "form_intro": (
            "Fill in the application on behalf of your organisation. Our coordinators will "
            "review it and reply to you by e-mail."
        ),
        "thank_you_text": (
            "<p>We have sent a confirmation to your e-mail address. Our coordinators will "
            "review the application and contact you soon.</p>"
        ),
    },
}

NEWS_INDEX = {
    "et": {
        "title": "Uudised ja seisukohad",
        "slug": "uudised",
        "intro": "Koja uudised ning võrgustiku ühiselt kujundatud seisukohad.",
    },
    "en": {
        "title": "News and positions",
        "slug": "news",
        "intro": "News of the Chamber and the positions the network has agreed on.",
    },
}

TOPICS_INDEX = {
    "et": {
        "title": "Huvikaitseteemad",
        "slug": "teemad",
        "intro": "Teemad, mida liikmesorganisatsioonid on üle Eesti märganud ja milles võrgustik "
        "on kujundanud ühise seisukoha: mida me tahame muuta, kellele oleme selle esitanud ja "
        "mis on sellest tulnud.",
    },
    "en": {
        "title": "Advocacy topics",
        "slug": "topics",
        "intro": "Issues our member organisations see all over Estonia on which the network "
        "has agreed a position: what we want to change, whom we have put it to and what has "
        "come of it. The topics are written in Estonian.",
    },
}

EVENTS_INDEX = {
    "et": {
        "title": "Koolitused ja seminarid",
        "slug": "koolitused",
        "intro": "Koolitused ja seminarid liikmete vajaduste ja huvide järgi.",
    },
    "en": {
        "title": "Trainings and seminars",
        "slug": "trainings",
        "intro": "Trainings and seminars that follow our members' needs and interests.",
    },
}

MEMBERS_PAGE = {
    "et": {
        "title": "Liikmed",
        "slug": "liikmed",
        "intro": "Lapse Huvikaitse Koja liikmesorganisatsioonid üle Eesti.",
    },
    "en": {
        "title": "Members",
        "slug": "members",
        "intro": "The member organisations of the Chamber all over Estonia.",
    },
}

PARTNERS_PAGE = {
    "et": {
        "title": "Välispartnerid",
        "slug": "partnerid",
        "intro": "Koostöö välispartneritega annab liikmetele võimaluse osa saada Euroopas "
        "toimuvast ja leida partnereid ühisprojektideks.",
    },
    "en": {
        "title": "International partners",
        "slug": "partners",
        "intro": "Our partners abroad let members take part in what happens in Europe and "
        "find partners for joint projects.",
    },
}

# The articles' tags in English, for the English articles.
TAGS_EN = {
    "kaasamine": "participation",
    "koolikiusamine": "school bullying",
    "lapse arvamus": "the child's view",
    "liikmed": "members",
    "seminar": "seminar",
    "töörühm": "working group",
    "võrgustik": "network",
}

# (days from today, kind, tags, {language: (title, slug, lead, body paragraphs)})
ARTICLES = [
    (
        -3,
        "position",
        ["lapse arvamus", "kaasamine"],
        {
            "et": (
                "Koja seisukoht: lapse arvamus peab kõlama igas teda puudutavas otsuses",
                "seisukoht-lapse-arvamus",
                "Võrgustik kutsub omavalitsusi kaasama lapsi ja noori neid puudutavate "
                "otsuste tegemisse süsteemselt, mitte juhuslikult.",
                [
                    "Liikmesorganisatsioonid on eri maakondades täheldanud, et laste arvamust "
                    "küsitakse otsuste tegemisel harva ja sageli alles siis, kui otsus on juba "
                    "tehtud.",
                    "Koda teeb ettepaneku, et iga omavalitsus lepiks kokku, kuidas ta kuulab "
                    "lapsi ära enne lapsi puudutavate otsuste tegemist, ning annaks neile "
                    "tagasisidet selle kohta, kuidas nende arvamust arvestati.",
                ],
            ),
            "en": (
                "Our position: children's views must be heard in every decision about them",
                "position-childrens-views",
                "The network calls on local governments to involve children and young people in "
                "decisions about them systematically, not by chance.",
                [
                    "Member organisations in several counties have noticed that children's views "
                    "are rarely asked for, and often only once a decision has been made.",
                    "The Chamber proposes that every local government agree how it will hear "
                    "children before decisions that affect them, and tell them how their views "
                    "were taken into account.",
                ],
            ),
        },
    ),
    (
        -10,
        "news",
        ["võrgustik", "liikmed"],
        {
            "et": (
                "Kojaga liitus kolm uut organisatsiooni",
                "kojaga-liitus-kolm-uut-organisatsiooni",
                "Võrgustik kasvab: uued liikmed tegutsevad Tartumaal, Võrumaal ja Ida-Virumaal.",
                [
                    "Uued liikmed toovad võrgustikku kogemusi noorsootööst, perenõustamisest ja "
                    "lastekaitsest. Tere tulemast!",
                ],
            ),
            "en": (
                "Three new organisations joined the Chamber",
                "three-new-members",
                "The network grows: the new members work in Tartu, Võru and Ida-Viru counties.",
                [
                    "The new members bring experience in youth work, family counselling and "
                    "child protection. Welcome!",
                ],
            ),
        },
    ),
    (
        -24,
        "news",
        ["koolikiusamine", "töörühm"],
        {
            "et": (
                "Koolikiusamise ennetamise töörühm alustas tööd",
                "koolikiusamise-toorühm-alustas",
                "Töörühm koondab liikmete kogemused koolikiusamise ennetamisest ja valmistab "
                "ette võrgustiku ettepanekud.",
                [
                    "Töörühma kuuluvad seitsme liikmesorganisatsiooni esindajad. Esimesel "
                    "kohtumisel lepiti kokku, et kogutakse näited toimivatest praktikatest "
                    "maakondadest.",
                ],
            ),
            "en": (
                "The working group on preventing school bullying has started",
                "bullying-working-group-started",
                "The working group gathers members' experience in preventing bullying at school "
                "and prepares the network's proposals.",
                [
                    "Representatives of seven member organisations take part. At the first "
                    "meeting they agreed to collect examples of practices that work in the "
                    "counties.",
                ],
            ),
        },
    ),
    (
        -45,
        "news",
        ["seminar", "võrgustik"],
        {
            "et": (
                "Sügisseminaril arutati perede toetamist maapiirkondades",
                "sugisseminar-perede-toetamine",
                "Seminaril jagasid liikmed kogemusi, kuidas jõuda abiga peredeni, kes elavad "
                "teenustest kaugel.",
                [
                    "Arutelu näitas, et liikuvad teenused ja koostöö kooliga aitavad abi viia "
                    "sinna, kus seda kõige rohkem vajatakse.",
                ],
            ),
            "en": (
                "The autumn seminar discussed supporting families in rural areas",
                "autumn-seminar-rural-families",
                "Members shared how they reach families who live far from services.",
                [
                    "The discussion showed that mobile services and working with schools help "
                    "bring support where it is needed most.",
                ],
            ),
        },
    ),
]

# (days from today, hours long, online, {language: (title, slug, lead, location, registration)})
EVENTS = [
    (
        14,
        6,
        False,
        {
            "et": (
                "Koolitus: lapse kaasamine otsuste tegemisse",
                "koolitus-lapse-kaasamine",
                "Praktiline koolitus liikmesorganisatsioonide töötajatele: kuidas kuulata lapsi "
                "ära ja anda neile tagasisidet.",
                "Tallinn, Koja seminariruum",
                "<p>Registreeru e-posti teel hiljemalt nädal enne koolitust. Osalemine on "
                "liikmetele tasuta.</p>",
            ),
            "en": (
                "Training: involving children in decisions",
                "training-involving-children",
                "A practical training for member organisations' staff: how to hear children and "
                "give them feedback.",
                "Tallinn, the Chamber's seminar room",
                "<p>Register by e-mail at least a week before the training. Free for members.</p>",
            ),
        },
    ),
    (
        40,
        2,
        True,
        {
            "et": (
                "Veebiseminar: Euroopa koostööprojektid",
                "veebiseminar-euroopa-projektid",
                "Kuidas leida partnereid ja taotleda toetust Euroopa koostööprojektidele.",
                "",
                "<p>Osalemislingi saadame registreerunutele päev enne seminari.</p>",
            ),
            "en": (
                "Webinar: European cooperation projects",
                "webinar-european-projects",
                "How to find partners and apply for funding for European cooperation projects.",
                "",
                "<p>We send the link to those registered the day before the webinar.</p>",
            ),
        },
    ),
    (
        -50,
        5,
        False,
        {
            "et": (
                "Sügisseminar: perede toetamine maapiirkondades",
                "sugisseminar",
                "Liikmete kogemused abi viimisest peredeni, kes elavad teenustest kaugel.",
                "Tartu",
                "",
            ),
            "en": (
                "Autumn seminar: supporting families in rural areas",
                "autumn-seminar",
                "Members' experience of bringing help to families who live far from services.",
                "Tartu",
                "",
            ),
        },
    ),
]

# Fictional partners: (sort order, {language: (name, country, description)}, website)
PARTNERS = [
    (
        1,
        {
            "et": (
                "Nordic Child Voice Network",
                "Soome",
                "Põhjamaade laste õiguste organisatsioonide võrgustik; ühised koolitused "
                "lapse kaasamisest.",
            ),
            "en": (
                "Nordic Child Voice Network",
                "Finland",
                "A network of Nordic child rights organisations; joint trainings on involving "
                "children.",
            ),
        },
        "https://example.org/nordic-child-voice",
    ),
    (
        2,
        {
            "et": (
                "Baltic Families Forum",
                "Läti",
                "Balti riikide perede toetamise organisatsioonide foorum; kogemuste vahetus "
                "perenõustamisest.",
            ),
            "en": (
                "Baltic Families Forum",
                "Latvia",
                "A forum of Baltic family support organisations; exchange of experience in "
                "family counselling.",
            ),
        },
        "https://example.org/baltic-families",
    ),
    (
        3,
        {
            "et": (
                "Kinderstimme Europa",
                "Saksamaa",
                "Euroopa noorsootöö organisatsioonide ühendus; ühisprojektid noorte osalusest.",
            ),
            "en": (
                "Kinderstimme Europa",
                "Germany",
                "A European association of youth work organisations; joint projects on youth "
                "participation.",
            ),
        },
        "https://example.org/kinderstimme",
    ),
]

# Illustrations (site/demo/illustrations: drawn for the demo, SVG sources beside the WebP that
# is loaded, since the image library takes no SVG) by the Estonian slug of the page they lead,
# with their alternative text in each language.
ILLUSTRATIONS = {
    "organisatsioonist": (
        "uued-liikmed",
        {
            "et": "Viis maja, mis on jooned pidi ühendatud keskel oleva Koja märgiga.",
            "en": "Five houses linked by lines to the Chamber's emblem in the middle.",
        },
    ),
    "seisukoht-lapse-arvamus": (
        "lapse-arvamus",
        {
            "et": "Laps räägib laua taga, kolm täiskasvanut kuulavad; tema kohal on jutumull.",
            "en": "A child speaks at a table while three adults listen; a speech bubble above.",
        },
    ),
    "kojaga-liitus-kolm-uut-organisatsiooni": (
        "uued-liikmed",
        {
            "et": "Viis maja, mis on jooned pidi ühendatud keskel oleva Koja märgiga.",
            "en": "Five houses linked by lines to the Chamber's emblem in the middle.",
        },
    ),
    "koolikiusamise-toorühm-alustas": (
        "koolikius",
        {
            "et": "Kooli ees ulatab üks laps käe teisele, kes seisab üksi.",
            "en": "In front of a school, one child reaches out a hand to another standing alone.",
        },
    ),
    "sugisseminar-perede-toetamine": (
        "maapiirkond",
        {
            "et": "Pere jalutab sügisesel maastikul, taamal talumaja ja kollased kased.",
            "en": "A family walks in an autumn landscape, a farmhouse and yellow birches behind.",
        },
    ),
    "koolitus-lapse-kaasamine": (
        "koolitus",
        {
            "et": "Täiskasvanu ja laps tahvli juures, millele on kleebitud värvilised märkmed.",
            "en": "An adult and a child at a flip chart covered with coloured notes.",
        },
    ),
    "veebiseminar-euroopa-projektid": (
        "veebiseminar",
        {
            "et": "Sülearvuti ekraanil neli osalejat, kõrval Euroopa tähtede ring.",
            "en": "Four participants on a laptop screen beside the European ring of stars.",
        },
    ),
    "sugisseminar": (
        "maapiirkond",
        {
            "et": "Pere jalutab sügisesel maastikul, taamal talumaja ja kollased kased.",
            "en": "A family walks in an autumn landscape, a farmhouse and yellow birches behind.",
        },
    ),
}
