"""Network-scale data for the load benchmark: `python -m tests.bench.load.generate --scale small`.

Run against a fresh database after `migrate` and `load_demo` (which give the page tree, the
themes, counties and age groups and the demo accounts), in its own KODA_VAR_DIR, with
DJANGO_SETTINGS_MODULE=tests.bench.load.settings and BENCH_NO_AUTO_INDEX=1 (the runner,
tests/bench/load/run.py, does all of that).

Forum rows are bulk-inserted in batches, leaving the state the services leave: Markdown
rendered into body_html by forum.core.markdown.render_markdown, Issue.support_count and
comment_count and last_activity counted from the rows inserted, one "we see this too" per
organisation per issue and never by the issue's own organisation, tags through
forum.models.IssueTag, escalated issues linked to their topic, topic events, positions and
signatures. Not written: follows, notifications and audit log entries (no page measured reads
them). Pages go through Wagtail's tree API (add_child, then a published revision) like the
demo's, so they are the slowest part.

The same seed gives the same data: every choice comes from one random.Random, and times are
laid out backwards from a fixed day, not from now. At the end it writes bench-manifest.json in
KODA_VAR_DIR: the counts, and the objects the runner measures (the issue with 200 comments, a
published topic, an article, a county and tag to filter by, a search query).
"""

import argparse
import datetime
import itertools
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.load.settings")
os.environ.setdefault("BENCH_NO_AUTO_INDEX", "1")

# medium is the issue's "network scale"; large is four times it and small a tenth.
MEDIUM = {
    "organizations": 300,
    "people": 3_000,
    "issues": 50_000,
    "comments": 300_000,
    "supports": 100_000,
    "topics": 500,
    "pages": 2_000,
}
SCALES = {
    "tiny": {
        "organizations": 20,
        "people": 80,
        "issues": 300,
        "comments": 1_200,
        "supports": 400,
        "topics": 10,
        "pages": 30,
    },
    "small": {name: count // 10 for name, count in MEDIUM.items()},
    "medium": MEDIUM,
    "large": {name: count * 4 for name, count in MEDIUM.items()},
}
HOT_ISSUE_COMMENTS = 200  # the measured issue page has exactly this many
BATCH = 2_000
# Times are laid out over the eight years before this day.
END = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
SPAN = datetime.timedelta(days=8 * 365)

ORG_KINDS = [
    "Pereliit", "Noortekeskus", "Laste Tugiühing", "Perede Maja", "Lastekaitseühing",
    "Huvikool", "Vanemate Liit", "Noorteühing", "Tugikeskus", "Kogukonnaselts",
]  # fmt: skip
FIRST_NAMES = [
    "Mari", "Jaan", "Kati", "Peeter", "Liis", "Toomas", "Anu", "Margus", "Kadri", "Andres",
    "Piret", "Rein", "Triin", "Urmas", "Helen", "Tõnu", "Kristiina", "Aivar", "Maarja", "Siim",
]  # fmt: skip
LAST_NAMES = [
    "Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel",
    "Lepik", "Kallas", "Oja", "Raudsepp", "Vaher", "Kivi", "Luik", "Lill", "Põder", "Jõgi",
]  # fmt: skip


class Progress:
    """One line per step and per batch: counts, rate and time since the start."""

    def __init__(self):
        self.started = time.monotonic()
        self.timings = {}

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def step(self, name: str, done: int, total: int, since: float) -> None:
        took = time.monotonic() - since
        rate = done / took if took > 0 else 0
        print(
            f"  {name:<14} {done:>9,}/{total:,}  {rate:>8,.0f}/s  elapsed {self.elapsed():7.1f}s",
            file=sys.stderr,
            flush=True,
        )

    def done(self, name: str, count: int, since: float) -> None:
        self.timings[name] = {"count": count, "seconds": round(time.monotonic() - since, 2)}


def _spread(rng, count: int, start: datetime.datetime, end: datetime.datetime):
    """`count` sorted times between start and end."""
    seconds = max(int((end - start).total_seconds()), 1)
    return sorted(start + datetime.timedelta(seconds=rng.randrange(seconds)) for _ in range(count))


def _after(rng, moment: datetime.datetime) -> datetime.datetime:
    """A time between `moment` and END, nearer to it more often than not."""
    seconds = max(int((END - moment).total_seconds()), 1)
    return moment + datetime.timedelta(seconds=int(seconds * rng.random() ** 3))


def _weighted(rng, choices):
    """One value of [(value, weight), ...]."""
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def _county_key(county) -> str:
    """The corpus's name for a county ("Harju" for "Harju maakond")."""
    return county.name.removesuffix(" maakond") if county else "Harju"


def _bulk(model, rows, name, total, progress, since, batch=BATCH, keep=True):
    """Insert `rows` (an iterable of unsaved instances) `batch` at a time; return them saved,
    or only how many with keep=False (a million comments need not stay in memory)."""
    saved, pending, count = [], [], 0
    for row in rows:
        pending.append(row)
        if len(pending) >= batch:
            created = model.objects.bulk_create(pending)
            count += len(created)
            if keep:
                saved += created
            pending = []
            progress.step(name, count, total, since)
    if pending:
        created = model.objects.bulk_create(pending)
        count += len(created)
        if keep:
            saved += created
        progress.step(name, count, total, since)
    return saved if keep else count


def generate(scale: str, seed: int) -> dict:
    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import Count
    from django.utils.text import slugify

    from forum.core.markdown import render_markdown
    from forum.models import (
        AdvocacyTopic,
        AgeGroup,
        Comment,
        County,
        ForumTag,
        Issue,
        IssueTag,
        Membership,
        Municipality,
        Organization,
        Support,
        Theme,
        TopicEvent,
        TopicIssue,
        TopicPosition,
        TopicSignature,
    )
    from tests.bench import corpus as text

    sizes = SCALES[scale]
    rng = random.Random(seed)
    words = text.Corpus(seed)
    progress = Progress()
    User = get_user_model()
    print(f"Generating scale {scale} (seed {seed}): {sizes}", file=sys.stderr, flush=True)

    counties = {county.name.removesuffix(" maakond"): county for county in County.objects.all()}
    municipalities = {m.name: m for m in Municipality.objects.select_related("county")}
    themes = list(Theme.objects.all())
    age_groups = list(AgeGroup.objects.all())
    coordinator = User.objects.get(username="koordinaator")
    if not counties or not themes or coordinator is None:
        raise SystemExit("Run migrate and load_demo first: counties, themes and accounts.")

    def where():
        """A (county, municipality) from the corpus's places; one in seven is all of Estonia."""
        county_name, municipality_name = rng.choice(text.PLACES)
        if rng.random() < 1 / 7:
            return None, None, (county_name, municipality_name)
        municipality = municipalities.get(municipality_name)
        county = municipality.county if municipality else counties.get(county_name)
        if rng.random() < 0.3:
            municipality = None
        return county, municipality, (county_name, municipality_name)

    def paragraphs(place, low, high):
        """Markdown: sentences in one to three paragraphs, now and then a list."""
        sentences = [words.sentence(place) for _ in range(rng.randint(low, high))]
        cut = sorted(rng.sample(range(1, len(sentences)), min(2, len(sentences) - 1)))
        parts = [
            " ".join(sentences[a:b]) for a, b in zip([0, *cut], [*cut, len(sentences)], strict=True)
        ]
        if rng.random() < 0.15:
            parts.append("\n".join(f"- {words.pick(text.OBJECTS)}" for _ in range(3)))
        return "\n\n".join(part for part in parts if part)

    with transaction.atomic():
        # Organisations ---------------------------------------------------------------------
        since = time.monotonic()
        first_code = 81_000_000
        county_list = list(counties.values())
        organizations = []
        for n in range(sizes["organizations"]):
            county_name, municipality_name = rng.choice(text.PLACES)
            town = municipality_name.split(" ")[0]
            name = f"MTÜ {town} {rng.choice(ORG_KINDS)} {n + 1}"
            organizations.append(
                Organization(
                    name=name,
                    slug=slugify(name)[:190],
                    registry_code=str(first_code + n),
                    county=counties.get(county_name) or rng.choice(county_list),
                    description=words.sentence((county_name, municipality_name)),
                    field_of_work=words.pick(text.OBJECTS),
                    status=Organization.Status.MEMBER,
                    joined=(END - SPAN * rng.random()).date(),
                )
            )
        organizations = _bulk(
            Organization, organizations, "organisations", len(organizations), progress, since
        )
        progress.done("organizations", len(organizations), since)

        # People, one membership each: the first of each organisation its representative -----
        since = time.monotonic()
        password = make_password("demo")  # hashed once: every generated person signs in with it
        users = _bulk(
            User,
            (
                User(
                    username=f"bench{n:06d}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    email=f"bench{n:06d}@example.org",
                    password=password,
                )
                for n in range(sizes["people"])
            ),
            "people",
            sizes["people"],
            progress,
            since,
        )
        people = defaultdict(list)  # organisation pk -> its users
        memberships = []
        for n, user in enumerate(users):
            organization = organizations[n % len(organizations)]
            role = (
                Membership.Role.MEMBER
                if people[organization.pk]
                else Membership.Role.REPRESENTATIVE
            )
            people[organization.pk].append(user)
            memberships.append(Membership(user=user, organization=organization, role=role))
        _bulk(Membership, memberships, "memberships", len(memberships), progress, since)
        progress.done("people", len(users), since)

        # Tags: a vocabulary from the corpus's words, Zipf-weighted like the text -------------
        since = time.monotonic()
        vocabulary = []
        for word in [*text.OBJECTS, *text.FACILITIES, *text.HEADS]:
            name = word.lower()[:100]
            if name not in vocabulary:
                vocabulary.append(name)
        vocabulary = vocabulary[: max(40, sizes["issues"] // 250)]
        existing = {tag.name.lower(): tag for tag in ForumTag.objects.all()}
        tags = []
        for name in vocabulary:
            tag = existing.get(name)
            if tag is None:
                tag = ForumTag.objects.create(name=name)  # taggit makes the (Unicode) slug
            tags.append(tag)
        tag_weights = [1 / (rank + 1) for rank in range(len(tags))]
        progress.done("tags", len(tags), since)

        # Issues -------------------------------------------------------------------------------
        since = time.monotonic()
        created = _spread(rng, sizes["issues"], END - SPAN, END - datetime.timedelta(hours=1))
        statuses = [
            (Issue.Status.OPEN, 0.55),
            (Issue.Status.IN_REVIEW, 0.15),
            (Issue.Status.RESOLVED, 0.15),
            (Issue.Status.CLOSED, 0.15),
        ]

        def issues():
            for moment in created:
                county, municipality, place = where()
                organization = rng.choice(organizations)
                body = paragraphs(place, 3, 10)
                yield Issue(
                    title=words.title(place)[:200],
                    body=body,
                    body_html=render_markdown(body),
                    author=rng.choice(people[organization.pk]) if people[organization.pk] else None,
                    organization=organization,
                    county=county,
                    municipality=municipality,
                    theme=rng.choice(themes),
                    status=_weighted(rng, statuses),
                    hidden=rng.random() < 0.003,
                    created=moment,
                    last_activity=moment,
                )

        issue_rows = _bulk(Issue, issues(), "issues", sizes["issues"], progress, since)
        for issue in issue_rows:  # only counters and status are written back from here on
            issue.body = issue.body_html = ""
        tag_rows, age_rows = [], []
        AgeGroups = Issue.age_groups.through
        for issue in issue_rows:
            for tag in set(rng.choices(tags, tag_weights, k=rng.randint(1, 3))):
                tag_rows.append(IssueTag(tag_id=tag.pk, content_object_id=issue.pk))
            for group in rng.sample(age_groups, rng.randint(1, min(2, len(age_groups)))):
                age_rows.append(AgeGroups(issue_id=issue.pk, agegroup_id=group.pk))
        _bulk(IssueTag, tag_rows, "issue tags", len(tag_rows), progress, since, 5_000, keep=False)
        _bulk(AgeGroups, age_rows, "age groups", len(age_rows), progress, since, 5_000, keep=False)
        progress.done("issues", len(issue_rows), since)

        # Comments: the hot issue gets exactly 200, the rest fall Zipf-like on the others ----
        since = time.monotonic()
        visible = [issue for issue in issue_rows if not issue.hidden]
        hot = visible[len(visible) // 2]
        others = [issue for issue in visible if issue.pk != hot.pk]
        rest = max(sizes["comments"] - HOT_ISSUE_COMMENTS, 0)
        weights = [1 / (rank + 1) ** 0.6 for rank in range(len(others))]
        rng.shuffle(weights)
        targets = [hot] * HOT_ISSUE_COMMENTS + rng.choices(others, weights, k=rest)
        comment_count = defaultdict(int)
        last_activity = {issue.pk: issue.created for issue in issue_rows}
        # A heavy tail would put more than 200 on an issue; cap the others just below.
        capped = []
        for issue in targets:
            if issue.pk != hot.pk and comment_count[issue.pk] >= HOT_ISSUE_COMMENTS - 1:
                issue = rng.choice(others)
                if comment_count[issue.pk] >= HOT_ISSUE_COMMENTS - 1:
                    continue
            comment_count[issue.pk] += 1
            capped.append(issue)

        def comments():
            for issue in capped:
                organization = rng.choice(organizations)
                place = (_county_key(issue.county), "Tallinn")
                body = paragraphs(place, 1, 4)
                moment = _after(rng, issue.created)
                last_activity[issue.pk] = max(last_activity[issue.pk], moment)
                yield Comment(
                    issue_id=issue.pk,
                    author=rng.choice(people[organization.pk]) if people[organization.pk] else None,
                    organization=organization,
                    body=body,
                    body_html=render_markdown(body),
                    created=moment,
                )

        comment_rows = _bulk(
            Comment, comments(), "comments", len(capped), progress, since, keep=False
        )
        progress.done("comments", comment_rows, since)

        # "We see this too": one per organisation per issue, never the issue's own ----------
        since = time.monotonic()
        pairs = set()
        support_count = defaultdict(int)
        open_issues = [
            i for i in visible if i.status in {Issue.Status.OPEN, Issue.Status.IN_REVIEW}
        ]
        pool = open_issues or visible
        pool_weights = [1 / (rank + 1) ** 0.5 for rank in range(len(pool))]
        rng.shuffle(pool_weights)
        pool_cumulative = list(itertools.accumulate(pool_weights))  # one bisect per draw
        wanted = min(sizes["supports"], len(pool) * (len(organizations) - 1))

        def supports():
            made = 0
            while made < wanted:
                issue = rng.choices(pool, cum_weights=pool_cumulative)[0]
                organization = rng.choice(organizations)
                if organization.pk == issue.organization_id or (issue.pk, organization.pk) in pairs:
                    continue
                pairs.add((issue.pk, organization.pk))
                support_count[issue.pk] += 1
                made += 1
                moment = _after(rng, issue.created)
                last_activity[issue.pk] = max(last_activity[issue.pk], moment)
                note = ""
                if rng.random() < 0.4:
                    note = words.sentence((_county_key(organization.county), "Tallinn"))
                yield Support(
                    issue_id=issue.pk,
                    organization=organization,
                    user=rng.choice(people[organization.pk]) if people[organization.pk] else None,
                    note=note,
                    county_id=organization.county_id,
                    created=moment,
                )

        support_rows = _bulk(Support, supports(), "supports", wanted, progress, since, keep=False)
        progress.done("supports", support_rows, since)

        # Counters and latest activity, as the services keep them ---------------------------
        since = time.monotonic()
        changed = []
        for issue in issue_rows:
            issue.comment_count = comment_count.get(issue.pk, 0)
            issue.support_count = support_count.get(issue.pk, 0)
            issue.last_activity = last_activity[issue.pk]
            if issue.comment_count or issue.support_count:
                changed.append(issue)
        for start in range(0, len(changed), BATCH):
            Issue.objects.bulk_update(
                changed[start : start + BATCH], ["comment_count", "support_count", "last_activity"]
            )
            progress.step("counters", min(start + BATCH, len(changed)), len(changed), since)
        progress.done("counters", len(changed), since)

        # Advocacy topics: escalated issues, a position, signatures, events; some published --
        since = time.monotonic()
        T, E = AdvocacyTopic.Status, TopicEvent.Action
        flows = [
            ([], 0.2),
            ([T.WORKING_GROUP], 0.2),
            ([T.WORKING_GROUP, T.POSITION_ADOPTED], 0.25),
            ([T.WORKING_GROUP, T.POSITION_ADOPTED, T.SUBMITTED], 0.2),
            ([T.WORKING_GROUP, T.POSITION_ADOPTED, T.SUBMITTED, T.OUTCOME], 0.15),
        ]
        candidates = [i for i in visible if i.status == Issue.Status.IN_REVIEW and i.pk != hot.pk]
        rng.shuffle(candidates)
        topics, plans = [], []
        for n in range(sizes["topics"]):
            linked = [candidates.pop() for _ in range(rng.randint(1, 4)) if candidates]
            place = rng.choice(text.PLACES)
            # The first topic goes all the way, so every scale has one published to measure.
            path = flows[-1][0] if n == 0 else _weighted(rng, flows)
            start = max([i.created for i in linked], default=END - SPAN)
            start += datetime.timedelta(days=1)
            moments = _spread(rng, len(path) + 2, start, END)
            position = paragraphs(place, 3, 6) if path else ""
            published = T.POSITION_ADOPTED in path and (n == 0 or rng.random() < 0.7)
            problem = paragraphs(place, 2, 5)
            topics.append(
                AdvocacyTopic(
                    title=words.title(place)[:200],
                    summary=" ".join(words.sentence(place) for _ in range(2)),
                    problem=problem,
                    problem_html=render_markdown(problem),
                    position=position,
                    position_html=render_markdown(position) if position else "",
                    lead=coordinator,
                    institution_kind=AdvocacyTopic.Institution.MINISTRY,
                    institution="Sotsiaalministeerium",
                    status=path[-1] if path else T.PROPOSED,
                    outcome=AdvocacyTopic.Outcome.PARTLY_ACHIEVED if T.OUTCOME in path else "",
                    visibility=(
                        AdvocacyTopic.Visibility.PUBLIC
                        if published
                        else AdvocacyTopic.Visibility.NETWORK
                    ),
                    published_at=moments[-1] if published else None,
                    created_by=coordinator,
                    created=moments[0],
                )
            )
            plans.append((linked, path, moments, published))
        topics = _bulk(AdvocacyTopic, topics, "topics", len(topics), progress, since)
        links, events, positions, escalated = [], [], [], []
        for topic, (linked, path, moments, published) in zip(topics, plans, strict=True):
            events.append(
                TopicEvent(topic=topic, actor=coordinator, action=E.CREATE, created=moments[0])
            )
            for issue in linked:
                links.append(
                    TopicIssue(
                        topic=topic,
                        issue_id=issue.pk,
                        linked_by=coordinator,
                        linked_at=moments[0],
                        reason="Sama mure mitmes maakonnas.",
                    )
                )
                events.append(
                    TopicEvent(
                        topic=topic,
                        actor=coordinator,
                        action=E.LINK,
                        issue_id=issue.pk,
                        from_status=issue.status,
                        to_status=Issue.Status.ESCALATED,
                        created=moments[0],
                    )  # fmt: skip
                )
                issue.status = Issue.Status.ESCALATED
                escalated.append(issue)
            source = T.PROPOSED
            for status, moment in zip(path, moments[1:], strict=False):
                if status == T.POSITION_ADOPTED:
                    positions.append(
                        TopicPosition(
                            topic=topic, text=topic.position, author=coordinator, created=moment
                        )
                    )
                    events.append(
                        TopicEvent(
                            topic=topic, actor=coordinator, action=E.POSITION, created=moment
                        )
                    )
                events.append(
                    TopicEvent(
                        topic=topic,
                        actor=coordinator,
                        action=E.TRANSITION,
                        from_status=source,
                        to_status=status,
                        note="Töörühma otsus.",
                        created=moment,
                    )  # fmt: skip
                )
                source = status
            if published:
                events.append(
                    TopicEvent(
                        topic=topic, actor=coordinator, action=E.PUBLISH, created=moments[-1]
                    )
                )
        _bulk(TopicIssue, links, "topic issues", len(links), progress, since)
        _bulk(TopicEvent, events, "topic events", len(events), progress, since, keep=False)
        positions = _bulk(TopicPosition, positions, "positions", len(positions), progress, since)
        Issue.objects.bulk_update(escalated, ["status"], batch_size=BATCH)
        signatures = []
        for version in positions:
            signing = min(len(organizations), rng.randint(3, 15))
            for organization in rng.sample(organizations, signing):
                signatures.append(
                    TopicSignature(
                        topic_id=version.topic_id,
                        organization=organization,
                        user=people[organization.pk][0] if people[organization.pk] else None,
                        stance=(
                            TopicSignature.Stance.SIGN
                            if rng.random() < 0.9
                            else TopicSignature.Stance.OBJECT
                        ),
                        position=version,
                        note="",
                        created=version.created,
                    )
                )
        _bulk(
            TopicSignature, signatures, "signatures", len(signatures), progress, since, keep=False
        )
        progress.done("topics", len(topics), since)

    # Pages through Wagtail's tree API, each in its own transaction like an editor's publish --
    since = time.monotonic()
    article, page_count = _pages(sizes["pages"], rng, words, progress, since)
    progress.done("pages", page_count, since)

    # The generated topic made to go all the way (not the demo's, which has two issues).
    published = (
        AdvocacyTopic.objects.published().filter(pk=topics[0].pk).first() if topics else None
    )
    busiest_tag = IssueTag.objects.values("tag__slug").annotate(n=Count("id")).order_by("-n")
    county = County.objects.filter(slug="harjumaa").first() or County.objects.first()
    return {
        "scale": scale,
        "seed": seed,
        "sizes": sizes,
        "counts": {
            "organizations": Organization.objects.count(),
            "people": User.objects.count(),
            "issues": Issue.objects.count(),
            "comments": Comment.objects.count(),
            "supports": Support.objects.count(),
            "topics": AdvocacyTopic.objects.count(),
            "published_topics": AdvocacyTopic.objects.published().count(),
            "pages": _page_count(),
        },
        "hot_issue": hot.pk,
        "hot_issue_comments": Comment.objects.filter(issue_id=hot.pk).count(),
        "published_topic": published.pk if published else None,
        "article": article,
        "county": county.slug,
        "tag": busiest_tag[0]["tag__slug"],
        "search_query": "koolibuss",
        "timings": progress.timings,
        "seconds": round(progress.elapsed(), 1),
    }


def _page_count() -> int:
    from wagtail.models import Page

    return Page.objects.count()


def _pages(count, rng, words, progress, since):
    """Articles under the Estonian news index (nine in ten) and standard pages under a
    "Materjalid" section; returns one article's URL path and how many pages were made."""
    from django.db import transaction
    from django.utils.text import slugify

    from cms.models import ArticleIndexPage, ArticlePage, HomePage, StandardPage
    from tests.bench import corpus as text

    news = ArticleIndexPage.objects.get(slug="uudised")
    home = HomePage.objects.get(slug="home-et")
    section = home.get_children().filter(slug="materjalid").first()
    if section is None:
        section = StandardPage(title="Materjalid", slug="materjalid", lead="Koja materjalid.")
        home.add_child(instance=section)
        section.save_revision().publish()
    section = section.specific
    tag_names = ["koolitus", "seisukoht", "seminar", "uuring", "pöördumine", "liikmed"]
    dates = _spread(rng, count, END - SPAN, END)
    article_path = None
    for n, moment in enumerate(dates):
        place = rng.choice(text.PLACES)
        title = words.title(place)[:200]
        paragraphs_ = [" ".join(words.sentence(place) for _ in range(4)) for _ in range(3)]
        body = json.dumps(
            [{"type": "paragraph", "value": "".join(f"<p>{p}</p>" for p in paragraphs_)}]
        )
        lead = words.sentence(place)
        slug = f"{slugify(title)[:60]}-{n + 1}"
        with transaction.atomic():
            if n % 10 == 9:
                page = StandardPage(title=title, slug=slug, lead=lead, body=body)
                section.add_child(instance=page)
            else:
                page = ArticlePage(
                    title=title, slug=slug, lead=lead, search_description=lead, body=body,
                    date=moment.date(), kind=rng.choice(["news", "news", "position"]),
                )  # fmt: skip
                page.tags.add(*rng.sample(tag_names, 2))
                news.add_child(instance=page)
            page.save_revision().publish()
        if article_path is None and isinstance(page, ArticlePage):
            article_path = page.url_path
        if (n + 1) % 50 == 0 or n + 1 == count:
            progress.step("pages", n + 1, count, since)
    # The measured article: the first one made, by its public URL.
    article = ArticlePage.objects.get(url_path=article_path).url if article_path else None
    return article, count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=SCALES, default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--manifest", type=Path, help="where to write it (default KODA_VAR_DIR/bench-manifest.json)"
    )
    args = parser.parse_args(argv)
    manifest = generate(args.scale, args.seed)
    from django.conf import settings

    path = args.manifest or Path(settings.VAR_DIR) / "bench-manifest.json"
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"Generated scale {args.scale} in {manifest['seconds']}s: {manifest['counts']}; "
        f"manifest {path}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
