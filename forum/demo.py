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
