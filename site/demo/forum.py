"""Fictional organisations and, in DEBUG only, the demo accounts of DESIGN.md with their
issues, topic and discussions."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forum.core.documents import check_attachment
from forum.core.models import AgeGroup, County, Municipality, Theme
from forum.discussions.models import Discussion
from forum.discussions.services import accept_answer, add_reply, mark_helpful, post_discussion
from forum.issues.models import Issue
from forum.issues.services import add_comment, add_support, change_issue_status, post_issue
from forum.members.models import Membership, Organization
from forum.members.permissions import member_organizations
from forum.members.roles import COORDINATORS, EDITORS, MODERATORS
from forum.members.services import apply_for_membership
from forum.topics.models import AdvocacyTopic, TopicSignature
from forum.topics.publishing import publish_topic
from forum.topics.services import (
    answer_position,
    change_topic_status,
    escalate_issues,
    set_position,
)

DEMO_PASSWORD = "demo"

# (slug, name, registry code, county slug, field of work, description, joined year)
ORGANIZATIONS = [
    (
        "paikesekiir",
        "MTÜ Päikesekiire Pereliit",
        "80990001",
        "harjumaa",
        "perenõustamine",
        "Nõustab peresid ja korraldab vanemlusprogramme Harjumaal.",
        2012,
    ),
    (
        "emajoe-noored",
        "MTÜ Emajõe Noortekeskus",
        "80990002",
        "tartumaa",
        "noorsootöö",
        "Avatud noorsootöö ja huviringid Tartu lastele ja noortele.",
        2014,
    ),
    (
        "vorumaa-lapsed",
        "Võrumaa Laste Tugiühing",
        "80990003",
        "vorumaa",
        "lastekaitse",
        "Tugiisikuteenus ja perede toetamine Võrumaal.",
        2016,
    ),
    (
        "narva-pered",
        "MTÜ Narva Perede Maja",
        "80990004",
        "ida-virumaa",
        "perede toetamine",
        "Kakskeelne pereabi ja vanemate tugirühmad Narvas.",
        2018,
    ),
    (
        "saarte-lapsed",
        "Saarte Laste Sõprade Selts",
        "80990005",
        "saaremaa",
        "huviharidus",
        "Toob saarte lastele huvitegevuse ja suvelaagrid.",
        2013,
    ),
    (
        "parnu-tugi",
        "SA Pärnu Lapse Tugi",
        "90990006",
        "parnumaa",
        "psühholoogiline nõustamine",
        "Laste ja noorte psühholoogiline nõustamine Pärnumaal.",
        2019,
    ),
    (
        "viljandi-kasvame",
        "MTÜ Kasvame Koos Viljandis",
        "80990007",
        "viljandimaa",
        "varajane märkamine",
        "Varajase märkamise koolitused lasteaedadele.",
        2021,
    ),
    (
        "laanemaa-pere",
        "Läänemaa Pereühendus",
        "80990008",
        "laanemaa",
        "perepoliitika",
        "Suurperede huvikaitse ja nõustamine.",
        2015,
    ),
]

# An application waiting for the coordinators, as sent from the join page.
APPLICANT = ("MTÜ Rapla Noorte Hääl", "80990009", "raplamaa", "noorte osalus")

# username: (first name, last name, organisation slug or None, role, groups, superuser)
ACCOUNTS = {
    "liige": ("Mari", "Maasikas", "paikesekiir", Membership.Role.MEMBER, [], False),
    "liige2": ("Jaan", "Tamm", "emajoe-noored", Membership.Role.MEMBER, [], False),
    "esindaja": ("Kati", "Karu", "paikesekiir", Membership.Role.REPRESENTATIVE, [], False),
    # The second organisation's representative, who signs the demo topic's position.
    "esindaja2": (
        "Tiit",
        "Kask",
        "emajoe-noored",
        Membership.Role.REPRESENTATIVE,
        [],
        False,
    ),
    "koordinaator": ("Liis", "Lepik", None, None, [COORDINATORS], False),
    "toimetaja": ("Peeter", "Pärn", None, None, [EDITORS, MODERATORS], False),
    "admin": ("Ada", "Admin", None, None, [], True),
}


def load_organizations() -> dict[str, Organization]:
    counties = {county.slug: county for county in County.objects.all()}
    organizations = {}
    for slug, name, code, county, field, description, year in ORGANIZATIONS:
        organizations[slug], _ = Organization.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "registry_code": code,
                "county": counties[county],
                "field_of_work": field,
                "description": description,
                "status": Organization.Status.MEMBER,
                "joined": datetime.date(year, 3, 1),
                "website": f"https://example.org/{slug}",
            },
        )
    return organizations


def load_applicant() -> None:

    name, code, county, field = APPLICANT
    if not Organization.objects.filter(registry_code=code).exists():
        apply_for_membership(
            name=name,
            registry_code=code,
            contact_name="Rein Raudsepp",
            contact_email="rein@example.org",
            county=County.objects.get(slug=county),
            field_of_work=field,
            motivation="Soovime tuua Raplamaa noorte hääle riiklikesse aruteludesse.",
        )


def load_accounts(organizations: dict[str, Organization]) -> None:
    User = get_user_model()
    for username, (first, last, org, role, groups, superuser) in ACCOUNTS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "is_staff": superuser or bool({COORDINATORS, EDITORS} & set(groups)),
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name__in=groups))
        if org:
            Membership.objects.get_or_create(
                user=user, organization=organizations[org], defaults={"role": role}
            )


# Fictional issues: (author, title, body, theme slug, county slug, municipality, age groups,
# tags, [(supporter, note)], [(commenter, comment)])
ISSUES = [
    (
        "liige",
        "Koolibuss ei sobi maapiirkonna laste koolipäevaga",
        "Valla koolibussi uus sõiduplaan toob lapsed kooli alles teise tunni ajaks ja viib "
        "koju enne huviringide lõppu. Mitu peret on öelnud, et lapsed jäävad seetõttu "
        "ringidest ilma.\n\n- Mõjutab eelkõige 7–12-aastaseid\n- Probleem on kestnud "
        "septembrist",
        "haridus",
        "harjumaa",
        "Kose vald",
        ["7-12"],
        ["koolitransport", "maapiirkond"],
        [("liige2", "Tartumaa valdades on sama mure: õhtune buss puudub.")],
        [("liige2", "Kas olete vallaga juba rääkinud? Meil aitas kohtumine volikogu komisjoniga.")],
    ),
    (
        "liige2",
        "Noorte vaimse tervise nõustamise järjekord on üle kahe kuu",
        "Noored, kes pöörduvad meie poole, peavad koolipsühholoogi või nõustaja juurde pääsemist "
        "ootama üle kahe kuu. Kriisis olev noor ei saa nii kaua oodata.",
        "vaimne-tervis",
        "tartumaa",
        None,
        ["13-17"],
        ["vaimne tervis", "järjekorrad"],
        [("liige", "Harjumaal on ootejärjekord sarnane, eriti suvel.")],
        [],
    ),
    (
        "esindaja",
        "Koolikiusamisest teatamiseks puudub paljudes koolides selge kanal",
        "Lapsevanemad ei tea, kellele kiusamisest teatada, ja lapsed kardavad, et teatamine teeb "
        "olukorra hullemaks. Vaja oleks anonüümset ja lihtsat teatamisvõimalust igas koolis.",
        "turvalisus",
        None,
        None,
        ["7-12", "13-17"],
        ["koolikiusamine"],
        [("liige2", "")],
        [],
    ),
    (
        "liige2",
        "Huviringide hinnad on paljudele peredele üle jõu",
        "Viimase aasta jooksul on mitme ringi hind tõusnud kolmandiku võrra. Pered, kus on mitu "
        "last, valivad nüüd ühe ringi kõigi peale.",
        "huvitegevus",
        "tartumaa",
        "Tartu linn",
        ["7-12", "13-17"],
        ["huviharidus", "toimetulek"],
        [],
        [],
    ),
    (
        "liige",
        "Lasteaiakohti napib uutes elamurajoonides",
        "Uutesse elamurajoonidesse kolinud pered ootavad lasteaiakohta kuni aasta; vanemad ei "
        "saa tööle naasta.",
        "perede-toetamine",
        "harjumaa",
        "Rae vald",
        ["3-6"],
        ["lasteaed"],
        [],
        [],
    ),
    (
        "liige2",
        "Õhtust bussi ei ole: lapsed ei pääse huviringist koju",
        "Valla lapsed käivad huviringides linnas, kuid viimane buss väljub enne ringide lõppu. "
        "Kui vanematel autot ei ole, jääb laps ringist ilma.",
        "huvitegevus",
        "tartumaa",
        None,
        ["7-12", "13-17"],
        ["koolitransport", "maapiirkond", "huviharidus"],
        [("esindaja", "Harjumaa valdades on õhtune ühendus sama harv.")],
        [],
    ),
]

# The demo topic, made from the issues with these titles by the demo coordinator.
TOPIC = {
    "title": "Koolitransport maapiirkondades",
    "summary": "Maal elavate laste koolibussid ja õhtused bussid ei arvesta koolipäeva ega "
    "huviringidega. Lapsed jõuavad kooli hilja ja jäävad huvitegevusest ilma, kui peres "
    "autot ei ole.",
    "problem": "Mitme valla liikmesorganisatsioonid näevad sama: koolibusside graafik on "
    "koostatud bussiliinide, mitte laste päeva järgi.",
    "institution_kind": "ministry",
    "institution": "Haridus- ja Teadusministeerium",
}
TOPIC_ISSUES = (ISSUES[0][1], ISSUES[5][1])
TOPIC_POSITION = (
    "Lapse Huvikaitse Koda leiab, et koolitransport peab lähtuma lapse koolipäevast.\n\n"
    "1. Omavalitsus kooskõlastab koolibusside graafiku koolide tunniplaani ja huviringide "
    "ajaga igal õppeaastal.\n"
    "2. Maapiirkonnas peab olema vähemalt üks õhtune ühendus, mis toob lapse huviringist "
    "koju.\n"
    "3. Riik toetab omavalitsusi, kelle lapsed elavad koolist kaugel, sihtotstarbelise "
    "toetusega."
)


def load_issues() -> None:
    """Fictional issues, supports and comments posted through the forum's own services, as the
    demo accounts (so in DEBUG only)."""

    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=ACCOUNTS)}
    for author, title, body, theme, county, municipality, ages, tags, supports, comments in ISSUES:
        if Issue.objects.filter(title=title).exists():
            continue
        user = users[author]
        issue = post_issue(
            author=user,
            organization=member_organizations(user)[0],
            title=title,
            body=body,
            theme=Theme.objects.get(slug=theme),
            county=County.objects.get(slug=county) if county else None,
            municipality=Municipality.objects.get(name=municipality) if municipality else None,
            age_groups=list(AgeGroup.objects.filter(slug__in=ages)),
            tags=tags,
        )
        for supporter, note in supports:
            organization = member_organizations(users[supporter])[0]
            add_support(
                user=users[supporter],
                issue=issue,
                organization=organization,
                note=note,
                county=organization.county,
            )
        for commenter, text in comments:
            add_comment(author=users[commenter], issue=issue, body=text)
    first = Issue.objects.filter(title=ISSUES[0][1], status=Issue.Status.OPEN).first()
    if first:
        change_issue_status(
            moderator=users["koordinaator"],
            issue=first,
            status=Issue.Status.IN_REVIEW,
            reason="Arutame koordinaatorite koosolekul.",
        )
    load_topic(users)
    load_discussions()


def load_topic(users) -> None:
    """The demo advocacy topic, carried through the services from escalation to publication:
    two issues, the working group's position, two organisations signing, adopted, published."""

    if AdvocacyTopic.objects.filter(title=TOPIC["title"]).exists():
        return
    issues = list(Issue.objects.filter(title__in=TOPIC_ISSUES, topic_link__isnull=True))
    if len(issues) < len(TOPIC_ISSUES):
        return  # someone has escalated them elsewhere: leave their work alone
    coordinator = users["koordinaator"]
    topic = escalate_issues(
        coordinator=coordinator,
        issues=issues,
        reason="Sama mure mitmes maakonnas: bussid ei arvesta laste päevaga.",
        **TOPIC,
    )
    change_topic_status(
        coordinator=coordinator,
        topic=topic,
        status=AdvocacyTopic.Status.WORKING_GROUP,
        note="Töörühm koostab seisukoha.",
    )
    set_position(user=coordinator, topic=topic, text=TOPIC_POSITION)
    for representative in ("esindaja", "esindaja2"):
        user = users[representative]
        answer_position(
            user=user,
            topic=topic,
            organization=member_organizations(user)[0],
            stance=TopicSignature.Stance.SIGN,
        )
    change_topic_status(
        coordinator=coordinator,
        topic=topic,
        status=AdvocacyTopic.Status.POSITION_ADOPTED,
        note="Liikmed allkirjastasid seisukoha.",
    )
    publish_topic(coordinator=coordinator, topic=topic)


# Fictional discussions: what the members know and need beside the problems they report. Each
# is a dict of post_discussion's arguments (author and theme, county, municipality, age groups
# by name) plus what happens to it afterwards: replies [(author, text)], the reply the asker
# accepts (its index), who marks the discussion or a reply helpful, and an attached document.
DISCUSSIONS = [
    {
        "author": "liige",
        "kind": "question",
        "title": "Kuidas kaasata isasid vanemlusprogrammi?",
        "body": "Meie vanemlusprogrammi rühmades on sel sügisel kaksteist ema ja ainult üks isa. "
        "Isad ütlevad, et õhtused kohtumised ei sobi nende töögraafikuga ja et programm tundub "
        "neile „emade asi“.\n\nKuidas teised on isasid kaasanud? Kas aitab eraldi isade rühm, "
        "nädalavahetuse aeg või midagi muud?",
        "theme": "perede-toetamine",
        "county": "harjumaa",
        "ages": ["3-6", "7-12"],
        "tags": ["isade kaasamine", "vanemlusprogramm"],
        "replies": [
            (
                "koordinaator",
                "Sama küsimus tuli üles Koja sügisseminaril. Mitme liikme kogemus oli, et isad "
                "tulevad kergemini, kui kutse tuleb teiselt isalt ja kohtumisel on konkreetne "
                "ühine tegevus lapsega. Võtame teema ka järgmise koolituskava arutellu.",
            ),
            (
                "liige2",
                "Meil Tartus toimis **isa ja lapse laupäev**: kord kuus kolm tundi koos lapsega "
                "matkal või töötoas ning viimane pool tundi isade omavahelist juttu koos "
                "juhendajaga.\n\n- Kutse saatsime lasteaia kaudu isale endale, mitte perele.\n"
                "- Esimesel korral tuli neli isa, poole aasta pärast oli rühmas üksteist.\n"
                "- Mitu isa liitus hiljem ka tavalise vanemlusprogrammiga.",
            ),
        ],
        "accepted": 1,
        "helpful_replies": [(1, ["esindaja", "koordinaator"])],
    },
    {
        "author": "liige2",
        "kind": "practice",
        "title": "Noorte nõukoda otsustab noortekeskuse tegevuseelarve üle",
        "body": "Kaks aastat tagasi andsime osa noortekeskuse tegevuseelarvest noorte endi "
        "otsustada. Noorte nõukoda (üheksa 13–17-aastast noort) kogub ideid, arutab neid avatud "
        "koosolekul ja valib hääletusel, mida rahastada. Juhendaja aitab eelarve ja ostudega, "
        "kuid otsus jääb noortele.\n\nMis aitas:\n\n- selged reeglid: kui palju raha on, "
        "milleks seda kasutada ei saa ja mis tähtajaks otsustatakse\n- koosolekud avatud "
        "noortekeskuse ajal, et tulla saaks igaüks\n- otsuste ja kulude tahvel keskuse seinal",
        "theme": "kaasamine",
        "county": "tartumaa",
        "municipality": "Tartu linn",
        "ages": ["13-17"],
        "tags": ["noorte osalus", "noortekeskus"],
        "details": {
            "results": "Esimesel aastal esitasid noored 31 ideed, teisel aastal 58. "
            "Noortekeskuse külastajate arv kasvas aastaga umbes viiendiku võrra ja nõukokku "
            "kandideeris teisel aastal kaks korda rohkem noori. Noorte küsitluses ütles kolm "
            "neljandikku vastanutest, et nende arvamusega keskuses arvestatakse."
        },
        "helpful": ["liige", "esindaja"],
    },
    {
        "author": "esindaja",
        "kind": "material",
        "title": "Juhend: vanemate infotund koolis ühe tunniga",
        "body": "Koostasime oma kogemuse põhjal lühikese juhendi, kuidas korraldada koolis "
        "vanemate infotund nii, et vanemad saaksid kaasa rääkida, mitte ainult kuulata. Juhend "
        "sobib klassijuhatajale, koolisotsiaaltöötajale ja lastevanemate ühendusele.\n\nJuhendit "
        "võib vabalt kasutada ja kohandada; kirjutage siia, mida muutsite ja kuidas läks.",
        "theme": "haridus",
        "ages": ["7-12", "13-17"],
        "tags": ["vanemate kaasamine", "juhend"],
        "details": {"material_type": "guide"},
        "document": (
            "vanemate-infotunni-juhend.txt",
            "VANEMATE INFOTUND KOOLIS ÜHE TUNNIGA\n"
            "MTÜ Päikesekiire Pereliit\n\n"
            "1. Kaks nädalat enne infotundi\n"
            "- Küsige vanematelt lühikese küsitlusega, mis teemad neid huvitavad.\n"
            "- Saatke kutse kahes keeles, kui klassis on eri keelt kõnelevaid peresid.\n"
            "- Pakkuge võimalusel lapsehoidu, et tulla saaksid ka väikeste lastega vanemad.\n\n"
            "2. Infotunni kava (60 minutit)\n"
            "- 10 min: tervitus ja õhtu eesmärk.\n"
            "- 15 min: kooli teated, ainult kõige olulisem.\n"
            "- 25 min: arutelu väikestes rühmades vanemate valitud teemadel.\n"
            "- 10 min: kokkulepped ja järgmised sammud.\n\n"
            "3. Pärast infotundi\n"
            "- Saatke kokkuvõte kõigile vanematele, ka neile, kes tulla ei saanud.\n"
            "- Andke teada, mida kool vanemate ettepanekutega teeb.\n\n"
            "Meeles pidada: üksikute laste juhtumeid ühisel infotunnil ei arutata. Nende jaoks "
            "leppige vanemaga kokku eraldi vestlus.\n",
        ),
    },
    {
        "author": "liige",
        "kind": "training",
        "title": "Kiusamise ennetamine lasteaias ja algklassides",
        "body": "Meie perenõustajad ja rühmajuhid kohtuvad üha sagedamini peredega, kelle laps on "
        "lasteaias või algklassis kiusamise ohver või kiusaja. Sooviksime koolitust, mis "
        "annaks:\n\n- teadmised kiusamise varajasest märkamisest väikelaste seas\n- praktilised "
        "võtted vestluseks vanematega\n- ülevaate tõenduspõhistest ennetusprogrammidest ja "
        "koostööst lasteaiaga\n\nSobiks päevane koolitus Tallinnas või veebis, eelistatult "
        "kevadel.",
        "theme": "turvalisus",
        "county": "harjumaa",
        "ages": ["3-6", "7-12"],
        "tags": ["kiusamise ennetus", "lasteaed"],
        "details": {"participants": 8},
    },
    {
        "author": "liige2",
        "kind": "training",
        "title": "Küberkiusamise märkamine noortekeskuses",
        "body": "Noorsootöötajad näevad, et paljud noortevahelised tülid algavad ja jätkuvad "
        "sotsiaalmeedias. Vajame koolitust sellest, kuidas küberkiusamist märgata, kuidas "
        "noorega sellest rääkida ning millal ja kuidas kaasata kool, vanemad või "
        "lastekaitsetöötaja. Hea oleks koolituses osaleda koos teiste liikmesorganisatsioonidega, "
        "et jagada kogemusi.",
        "theme": "digiturvalisus",
        "county": "tartumaa",
        "ages": ["13-17"],
        "tags": ["kiusamise ennetus", "küberkiusamine"],
        "details": {"participants": 5},
    },
    {
        "author": "esindaja2",
        "kind": "partners",
        "title": "Otsime partnereid Erasmus+ noortevahetuseks: vaimne heaolu ja loodus",
        "body": "MTÜ Emajõe Noortekeskus kavandab järgmiseks suveks kümnepäevast noortevahetust "
        "Tartumaal teemal „Looduses heaolu poole“. Osaleksid 14–17-aastased noored, igast "
        "riigist kuus noort ja kaks juhendajat. Kavas on matkad, töötoad vaimse tervise "
        "hoidmisest ja noorte endi korraldatud üritus kohalikule kogukonnale.\n\nOtsime "
        "partnerorganisatsioone Soomest, Lätist ja Leedust, kellel on noorsootöö kogemus ja "
        "soov taotlus koos ette valmistada. Taotluse esitame meie; partneritelt ootame "
        "osalejate valimist ja ühe ettevalmistava kohtumise korraldamist. Kui teate sobivat "
        "partnerit, kirjutage siia.",
        "theme": "vaimne-tervis",
        "county": "tartumaa",
        "ages": ["13-17"],
        "tags": ["rahvusvaheline koostöö", "noortevahetus"],
        "details": {
            "partner_countries": "Soome, Läti, Leedu",
            "programme": "Erasmus+ noortevahetus",
            "deadline_days": 100,
        },
        "replies": [
            (
                "koordinaator",
                "Koja Läti partneri kaudu on meil kontakt noorsootöö ühendusega, kes otsis "
                "eelmisel aastal sarnast koostööd. Saadan kontaktid teile e-postiga.",
            ),
        ],
    },
    {
        "author": "esindaja2",
        "kind": "question",
        "title": "Kuidas jõuab teave huviringidest venekeelsete peredeni?",
        "body": "Meie huviringidesse tuleb vähe lapsi venekeelsetest peredest, kuigi vabu kohti "
        "on. Eestikeelsed kuulutused ja kooli e-kiri ilmselt nendeni ei jõua. Millised kanalid "
        "on teil toiminud?",
        "theme": "huvitegevus",
        "county": "tartumaa",
        "ages": ["7-12", "13-17"],
        "tags": ["huviharidus", "kakskeelsed pered"],
        "replies": [
            (
                "esindaja",
                "Meil aitas kakskeelne infoleht, mida lasteaia ja kooli õpetajad annavad "
                "vanematele otse kätte. Veel paremini toimis avatud uste päev, kuhu "
                "kutsusime venekeelse juhendaja.",
            ),
        ],
    },
]


def load_discussions() -> None:
    """Fictional discussions, replies, accepted answers and helpful marks through the forum's
    own services, as the demo accounts (so in DEBUG only). One that exists is left alone."""

    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=ACCOUNTS)}
    for spec in DISCUSSIONS:
        if Discussion.objects.filter(title=spec["title"]).exists():
            continue
        author = users[spec["author"]]
        details = dict(spec.get("details", {}))
        if "deadline_days" in details:
            days = details.pop("deadline_days")
            details["deadline"] = timezone.localdate() + datetime.timedelta(days=days)
        files = []
        if "document" in spec:
            name, text = spec["document"]
            upload = SimpleUploadedFile(name, text.encode(), content_type="text/plain")
            check_attachment(upload)  # as the form does: type, size, no isikukood
            files.append(upload)
        discussion = post_discussion(
            author=author,
            organization=member_organizations(author)[0],
            kind=spec["kind"],
            title=spec["title"],
            body=spec["body"],
            theme=Theme.objects.get(slug=spec["theme"]),
            county=County.objects.get(slug=spec["county"]) if spec.get("county") else None,
            municipality=(
                Municipality.objects.get(name=spec["municipality"])
                if spec.get("municipality")
                else None
            ),
            age_groups=list(AgeGroup.objects.filter(slug__in=spec["ages"])),
            tags=spec["tags"],
            details=details,
            files=files,
        )
        replies = [
            add_reply(author=users[who], discussion=discussion, body=text)
            for who, text in spec.get("replies", [])
        ]
        if "accepted" in spec:
            accept_answer(user=author, discussion=discussion, reply=replies[spec["accepted"]])
        for index, people in spec.get("helpful_replies", []):
            for who in people:
                mark_helpful(user=users[who], discussion=discussion, reply=replies[index])
        for who in spec.get("helpful", []):
            mark_helpful(user=users[who], discussion=discussion)
