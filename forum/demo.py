"""Fictional organisations and, in DEBUG only, the demo accounts of DESIGN.md."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import County, Membership, Organization
from .roles import COORDINATORS, EDITORS, MEMBERS

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
    "liige": ("Mari", "Maasikas", "paikesekiir", Membership.Role.MEMBER, [MEMBERS], False),
    "liige2": ("Jaan", "Tamm", "emajoe-noored", Membership.Role.MEMBER, [MEMBERS], False),
    "esindaja": ("Kati", "Karu", "paikesekiir", Membership.Role.REPRESENTATIVE, [MEMBERS], False),
    # The second organisation's representative, who signs the demo topic's position.
    "esindaja2": (
        "Tiit",
        "Kask",
        "emajoe-noored",
        Membership.Role.REPRESENTATIVE,
        [MEMBERS],
        False,
    ),
    "koordinaator": ("Liis", "Lepik", None, None, [COORDINATORS], False),
    "toimetaja": ("Peeter", "Pärn", None, None, [EDITORS], False),
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
    from .services import apply_for_membership

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
    from .models import AgeGroup, Issue, Municipality, Theme
    from .permissions import member_organizations
    from .services import add_comment, add_support, change_issue_status, post_issue

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


def load_topic(users) -> None:
    """The demo advocacy topic, carried through the services from escalation to publication:
    two issues, the working group's position, two organisations signing, adopted, published."""
    from .models import AdvocacyTopic, Issue, TopicSignature
    from .permissions import member_organizations
    from .services import (
        answer_position,
        change_topic_status,
        escalate_issues,
        publish_topic,
        set_position,
    )

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
