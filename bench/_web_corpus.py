"""Fictional events for bench/web_load.py: a store of N events, generated from templates and
ingested through the pipeline, cached under the system temp folder (see web_load.py)."""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path


CACHE_DIR = Path(tempfile.gettempdir()) / "newscollate-bench"
START_DATE = date(2025, 1, 6)
#: Events happen in rounds, one of each kind on the same day, rounds this many days apart: farther
#: than the grouper's window (10 days), so look-alike events of one kind (two fires in two towns,
#: told with the same templates) are never in the window together, as two real fires rarely are.
ROUND_DAYS = 30
#: Generic sentences per report (of ``GENERIC``); they are what events of different kinds share.
GENERIC_MIN, GENERIC_MAX = 2, 4

# ---------------------------------------------------------------------------------------------
# Fictional events

TOWN_HEADS = ["Bram", "Cal", "Dun", "Ell", "Fen", "Gor", "Hal", "Ister", "Jor", "Kel", "Lum", "Mor", "Nor",
              "Oss", "Pell", "Quen", "Ros", "Sel", "Tor", "Ulver", "Vel", "Wen", "Yar", "Zel", "Ash", "Brin",
              "Cor", "Dray", "Esk", "Fal", "Grim", "Hest", "Ivel", "Karn", "Lind", "Mar", "Ness", "Orv", "Pol",
              "Rav"]  # fmt: skip
TOWN_TAILS = ["mouth", "ford", "bury", "wick", "stead", "holm", "gate", "mere", "by", "thorpe", "ley", "haven",
              "cross", "brook", "field", "ham", "dale", "well", "stow", "port", "minster", "combe", "side",
              "worth", "ridge"]  # fmt: skip
TOWN_PREFIXES = ["", "Upper ", "Lower ", "East ", "West ", "North ", "South ", "Old ", "New "]
REGIONS = ["Aldermoor", "the Varren Coast", "Kestral Province", "the Ombry Valley", "Hollin County",
           "the Marsh Districts", "Tarrow Shire", "the Sable Hills", "Quarry Downs", "the Lethe Basin"]  # fmt: skip
FIRST = ["Amara", "Tomas", "Ines", "Kofi", "Greta", "Ravi", "Lucia", "Oskar", "Mei", "Daniel", "Fatima",
         "Henrik", "Selin", "Noor", "Pieter", "Zofia", "Emeka", "Hana", "Lars", "Priya", "Mateo", "Ingrid",
         "Yusuf", "Clara", "Bastian", "Leila", "Rowan", "Anouk", "Dmitri", "Esme", "Idris", "Maren", "Nikolai",
         "Odile", "Pablo", "Rhea", "Soren", "Talia", "Viktor", "Wren"]  # fmt: skip
LAST_HEADS = ["Ander", "Brack", "Cull", "Dorn", "Elm", "Fair", "Garr", "Holl", "Ives", "Jess", "Kirk", "Lam",
              "Mull", "Nash", "Orr", "Penn", "Quill", "Rook", "Stan", "Thorn", "Vant", "Wick", "Yeld", "Zorn"]  # fmt: skip
LAST_TAILS = ["by", "ford", "well", "er", "ton", "ley", "sen", "holt", "mark", "ridge", "wood", "stone"]
OUTLETS = ["The Harrow Gazette", "Meridian Daily", "Coastline Courier", "The Civic Ledger", "Northfold Post",
           "Valley Herald", "The Evening Lamp", "Riverside Record", "The County Bugle", "Lantern News",
           "The Weekly Anvil", "Signal & Tide", "Plainsview Times", "The Morning Quay", "Ridgeway Observer",
           "Bellwether Wire", "The Stonebridge Journal", "Tallow Street Press", "Open Shore Radio",
           "The Granary Tribune"]  # fmt: skip
ROLES = ["mayor", "deputy mayor", "council leader", "chief executive", "police commander", "fire chief",
         "health director", "harbour master"]  # fmt: skip
ANALYST_ORGS = ["Institute", "Consulting", "Data Trust", "Analytics", "Policy Centre", "University"]
VENUES = ["Hall", "Chamber", "Fire Station", "Community Centre", "Courthouse", "Library"]
STREETS = ["Lane", "Road", "Street", "Row", "Parade", "Way", "Walk", "Hill", "Square"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORDINALS = ["second", "third", "fourth", "fifth"]
JUNK = ["Advertisement", "Share this article", "Sign up for our morning newsletter", "Follow us for the latest updates",
        "Read more: the week's other stories from {region}", "{minutes} min read"]  # fmt: skip

#: Kind of event: titles (two wordings), then sentences, each in two wordings.  The first sentence is the lede.
KINDS: dict[str, dict] = {
    "fire": {
        "org": "{town} Textile Works",
        "titles": ["Fire destroys {org} in {town}", "Blaze guts {town} textile factory"],
        "sentences": [
            ("A fire destroyed the {org} on {weekday} {date}, forcing {count} workers to leave the site.",
             "{count} workers were evacuated on {weekday} {date} when fire swept through the {org}."),
            ("Firefighters from {town} and two neighbouring stations fought the flames for {hours} hours.",
             "It took crews from {town} and two nearby stations {hours} hours to bring the blaze under control."),
            ("The roof of the main hall collapsed shortly after the fire reached the dye stores.",
             "Shortly after the flames reached the stores of dye, the roof of the main hall gave way."),
            ("Investigators said an electrical fault in the {town} plant was the most likely cause.",
             "The most likely cause, according to investigators, was a faulty cable in the {town} plant."),
            ("Owners of the {org} said production would move to a temporary site for several months.",
             "Production will shift to a temporary site for months, the owners of the {org} said."),
        ],
    },
    "flood": {
        "org": "{town} Water Board",
        "titles": ["River bursts its banks in {town}", "Floods force evacuations across {town}"],
        "sentences": [
            ("The river at {town} burst its banks on {weekday} {date}, flooding {count} homes.",
             "Floodwater reached {count} homes in {town} after the river overtopped its banks on {weekday} {date}."),
            ("Water levels rose by more than {hours} feet overnight after days of heavy rain.",
             "After days of rain, the water climbed more than {hours} feet during the night."),
            ("The {org} opened emergency shelters in two schools and the {venue}.",
             "Two schools and the {venue} were turned into shelters by the {org}."),
            ("Residents of the lower town waded through knee-deep water to reach the rescue boats.",
             "People in the lower town waded knee-deep to get to the boats sent to rescue them."),
            ("The {org} said new flood barriers promised for {town} had not yet been built.",
             "Flood barriers promised to {town} years ago were never built, the {org} admitted."),
        ],
    },
    "bridge": {
        "org": "{town} Highways Agency",
        "titles": ["{town} bridge closed after cracks found", "Cracks shut main bridge in {town}"],
        "sentences": [
            ("Engineers closed the main bridge in {town} on {weekday} {date} after finding cracks in a pier, diverting {count} vehicles a day.",
             "Some {count} vehicles a day face diversions after engineers found a cracked pier and shut the {town} bridge on {weekday} {date}."),
            ("The {org} said the crossing would stay closed for at least {hours} weeks.",
             "At least {hours} weeks will pass before the crossing reopens, according to the {org}."),
            ("Drivers now face a detour of nearly forty minutes through the hills south of {town}.",
             "The detour through the hills south of {town} adds almost forty minutes to a journey."),
            ("An inspection last year had rated the bridge as sound, the {org} confirmed.",
             "The {org} confirmed that last year's inspection had judged the bridge sound."),
            ("A temporary footbridge for pedestrians and cyclists is planned for the coming weeks.",
             "Pedestrians and cyclists should get a temporary footbridge within weeks, officials said."),
        ],
    },
    "strike": {
        "org": "{town} General Hospital",
        "titles": ["Nurses strike at {org}", "Walkout at {town} hospital over pay"],
        "sentences": [
            ("Nurses at the {org} walked out on {weekday} {date}, and {count} operations were postponed.",
             "{count} operations were called off when nurses at the {org} began a strike on {weekday} {date}."),
            ("The union is demanding a pay rise of {hours} per cent and more staff on night shifts.",
             "More night staff and a {hours} per cent pay rise are the union's demands."),
            ("Emergency care continued, with senior staff covering the wards, the {org} said.",
             "The {org} said senior staff were covering the wards so that emergency care could go on."),
            ("Pickets gathered outside the main entrance from dawn, holding placards and singing.",
             "From dawn, pickets with placards sang outside the hospital's main entrance."),
            ("Talks between the union and the {org} are due to resume next week.",
             "The union and the {org} are expected to return to talks next week."),
        ],
    },
    "election": {
        "org": "{town} Electoral Office",
        "titles": ["{winner} wins {town} mayoral race", "New mayor elected in {town}"],
        "sentences": [
            ("{winner} was elected mayor of {town} on {weekday} {date} with {count} votes.",
             "With {count} votes, {winner} won the mayoral election in {town} on {weekday} {date}."),
            ("Turnout was {hours} points higher than at the last election, the {org} said.",
             "The {org} reported a turnout {hours} points above the previous election."),
            ("{winner} campaigned on cheaper housing and a new tram line for {town}.",
             "A new tram line and cheaper housing were at the heart of the {winner} campaign in {town}."),
            ("The defeated candidate conceded before midnight and congratulated the winner.",
             "Before midnight the losing candidate had conceded and offered congratulations."),
            ("The new mayor takes office at the start of next month, the {org} confirmed.",
             "According to the {org}, the new mayor will take office early next month."),
        ],
    },
    "derailment": {
        "org": "{town} Rail Company",
        "titles": ["Freight train derails near {town}", "{town} line shut after derailment"],
        "sentences": [
            ("A freight train operated by the {org} left the tracks near {town} on {weekday} {date}, and {count} passengers on other services were stranded.",
             "{count} passengers were stranded after a {org} freight train derailed outside {town} on {weekday} {date}."),
            ("Eleven wagons carrying timber overturned on an embankment, the {org} said.",
             "The {org} said eleven timber wagons tipped over on an embankment."),
            ("The line between {town} and the coast is expected to stay closed for {hours} days.",
             "Services between {town} and the coast will be suspended for {hours} days, officials expect."),
            ("Nobody was injured, although the driver was treated for shock at the scene.",
             "The driver was treated for shock at the scene, but no one was hurt."),
            ("Rail inspectors have begun examining the track and the train's braking system.",
             "Inspectors are looking at both the track and the train's brakes."),
        ],
    },
    "school": {
        "org": "{town} Education Trust",
        "titles": ["{town} to close two primary schools", "School closures planned in {town}"],
        "sentences": [
            ("The {org} voted on {weekday} {date} to close two primary schools, affecting {count} pupils.",
             "{count} pupils will be affected after the {org} decided on {weekday} {date} to shut two primary schools."),
            ("Falling birth rates have left classrooms in {town} a third empty, the {org} said.",
             "Classrooms in {town} are a third empty because of falling birth rates, according to the {org}."),
            ("Parents protested outside the meeting, some carrying drawings made by their children.",
             "Some parents protesting outside the meeting held up their children's drawings."),
            ("Pupils will move to a larger school on the far side of {town} within {hours} months.",
             "Within {hours} months the pupils are to move to a bigger school across {town}."),
            ("The trust promised free buses for families who live more than two miles away.",
             "Families living over two miles away were promised free buses."),
        ],
    },
    "robbery": {
        "org": "{town} Museum of History",
        "titles": ["Gold coins stolen from {org}", "Thieves raid {town} museum"],
        "sentences": [
            ("Thieves broke into the {org} on {weekday} {date} and took {count} gold coins.",
             "{count} gold coins were stolen when thieves entered the {org} on {weekday} {date}."),
            ("The burglars cut through a skylight and disabled the alarm, police said.",
             "Police said the raiders disabled the alarm after cutting through a skylight."),
            ("The coins, found in a field near {town} in the last century, are insured for {hours} million crowns.",
             "Insured for {hours} million crowns, the coins had been found in a field outside {town} a century ago."),
            ("The museum will stay closed while forensic teams examine the galleries.",
             "Forensic teams are examining the galleries, and the museum remains closed."),
            ("Police have appealed for anyone who saw a grey van near the {org} to come forward.",
             "Anyone who noticed a grey van near the {org} has been asked to contact police."),
        ],
    },
    "port": {
        "org": "{town} Port Authority",
        "titles": ["{town} port expansion approved", "Green light for {town} harbour plan"],
        "sentences": [
            ("Regulators approved the expansion of the {org} on {weekday} {date}, a project expected to create {count} jobs.",
             "The expansion of the {org}, which should bring {count} jobs, won regulators' approval on {weekday} {date}."),
            ("The plan adds a deep-water berth and {hours} new cranes to the harbour.",
             "A deep-water berth and {hours} new cranes will be added to the harbour under the plan."),
            ("Fishing families in {town} fear the dredging will harm the bay's oyster beds.",
             "The oyster beds of the bay could suffer from dredging, fishing families in {town} fear."),
            ("Construction is due to begin in the spring and last three years.",
             "Building work should start in spring and take three years."),
            ("The {org} said ships would no longer need to wait at anchor for a berth.",
             "Ships will no longer wait at anchor for a free berth, the {org} said."),
        ],
    },
    "storm": {
        "org": "{town} Power Cooperative",
        "titles": ["Storm leaves {town} without power", "Blackout in {town} after gales"],
        "sentences": [
            ("Gales cut electricity to {count} households in {town} on {weekday} {date}.",
             "{count} households in {town} lost power when gales struck on {weekday} {date}."),
            ("Fallen trees brought down lines in at least {hours} places, the {org} said.",
             "The {org} said trees had brought down lines in {hours} or more places."),
            ("Repair crews worked through the night, but some villages may wait days for power.",
             "Crews worked all night, though some villages could be without power for days."),
            ("The coastal road out of {town} was closed after waves threw stones onto it.",
             "Waves hurled stones onto the coastal road out of {town}, which was closed."),
            ("The {org} opened a helpline and advised residents not to touch fallen cables.",
             "Residents were told not to touch fallen cables, and the {org} opened a helpline."),
        ],
    },
    "court": {
        "org": "{town} Land Company",
        "titles": ["Court rules against {org}", "{town} villagers win land case"],
        "sentences": [
            ("A court ruled on {weekday} {date} that the {org} must return land it took from {count} families.",
             "{count} families must get their land back from the {org}, a court ruled on {weekday} {date}."),
            ("The judge found that the company's title deeds had been altered in {year}.",
             "Title deeds held by the company were altered in {year}, the judge found."),
            ("The families had farmed the fields outside {town} for generations.",
             "For generations the families had farmed the fields on the edge of {town}."),
            ("The {org} has {hours} weeks to decide whether to appeal.",
             "An appeal is possible, and the {org} has {hours} weeks to decide."),
            ("Villagers celebrated on the courthouse steps when the verdict was read.",
             "When the verdict was read, villagers cheered on the steps of the courthouse."),
        ],
    },
    "outbreak": {
        "org": "{town} Harvest Festival",
        "titles": ["Food poisoning at {org}", "Dozens ill after {town} festival"],
        "sentences": [
            ("Health officials said {count} people fell ill after eating at the {org} on {weekday} {date}.",
             "{count} people were taken ill after eating at the {org} on {weekday} {date}, health officials said."),
            ("Samples taken from a seafood stall tested positive for salmonella.",
             "Salmonella was found in samples from a seafood stall."),
            ("{hours} people were still in hospital on the following evening.",
             "By the next evening, {hours} people remained in hospital."),
            ("Organisers of the {org} said every stall had passed inspection before opening.",
             "Every stall had been inspected before the gates opened, the organisers of the {org} said."),
            ("The stall's owner has been told to stop trading while the inquiry continues.",
             "While the inquiry goes on, the owner of the stall may not trade."),
        ],
    },
    "mine": {
        "org": "{town} Colliery",
        "titles": ["Miners rescued at {org}", "Rescue after tunnel collapse near {town}"],
        "sentences": [
            ("Rescuers freed {count} miners trapped by a tunnel collapse at the {org} on {weekday} {date}.",
             "{count} miners trapped when a tunnel caved in at the {org} were freed on {weekday} {date}."),
            ("The men had been underground for {hours} hours, sheltering in a refuge chamber.",
             "Sheltering in a refuge chamber, the men spent {hours} hours underground."),
            ("Families waited through the night at the pit gates outside {town}.",
             "At the gates of the pit outside {town}, families kept watch all night."),
            ("Mining inspectors will examine the roof supports in the flooded section.",
             "The roof supports in the flooded section are to be checked by mine inspectors."),
            ("The {org} suspended work in all its tunnels until the inspection is complete.",
             "All tunnels of the {org} are closed until the inspection is over."),
        ],
    },
    "layoffs": {
        "org": "{town} Instruments",
        "titles": ["{org} to cut jobs", "Job losses at {town} electronics maker"],
        "sentences": [
            ("The {org} said on {weekday} {date} that it would cut {count} jobs at its factory.",
             "{count} jobs will go at the factory of the {org}, the company announced on {weekday} {date}."),
            ("Orders for its measuring equipment have fallen by {hours} per cent this year.",
             "This year orders for the company's measuring equipment dropped {hours} per cent."),
            ("The factory is the largest private employer in {town}.",
             "No private employer in {town} has more staff than the factory."),
            ("The company will offer retraining and help workers find jobs with local firms.",
             "Workers are to be offered retraining and help finding jobs with other local firms."),
            ("Shares in the {org} rose slightly after the announcement.",
             "After the announcement, shares in the {org} edged up."),
        ],
    },
}

#: Sentences any event's reports may carry, each in two wordings.
GENERIC = [
    ("{official}, the {role} of {town}, said a full account would be published by the end of the month.",
     "A full account will be published by the end of the month, according to {official}, {town}'s {role}."),
    ("“We owe the people of {town} clear answers,” {official} told reporters outside the {venue}.",
     "“The people of {town} deserve clear answers,” {official} said outside the {venue}."),
    ("{witness}, who has lived on {street} for {years} years, said neighbours had raised concerns long before.",
     "Neighbours had warned about the risks long ago, said {witness}, a resident of {street} for {years} years."),
    ("{analyst}, an analyst at {analyst_org}, put the total cost at about {amount} million crowns.",
     "The total cost could reach {amount} million crowns, according to {analyst} of {analyst_org}."),
    ("Officials across {region} said they were following events in {town} closely.",
     "Events in {town} are being followed closely by officials across {region}."),
    ("The council of {town} will hold an emergency session on {next_weekday} to decide on next steps.",
     "An emergency session of the {town} council on {next_weekday} will decide what happens next."),
    ("Shops along {street} in {town} reported far fewer customers in the days that followed.",
     "In the days that followed, shops on {street} in {town} saw far fewer customers."),
    ("The {org} said in a statement that it was cooperating fully with the authorities.",
     "In a statement, the {org} said it was giving the authorities its full cooperation."),
    ("It is the {ordinal} such event in {region} since {year}, according to records kept by {analyst_org}.",
     "Records kept by {analyst_org} show this is the {ordinal} such event in {region} since {year}."),
    ("Councillor {critic} called the response of the {org} “slow and confused”.",
     "The {org} responded in a “slow and confused” way, said councillor {critic}."),
    ("Volunteers in {town} collected food, blankets and money for the families worst affected.",
     "Food, blankets and money for the worst affected families were gathered by volunteers in {town}."),
    ("A spokesperson for the government of {region} promised help for {town} within days.",
     "The government of {region} will send help to {town} within days, its spokesperson promised."),
    ("Local radio in {town} reported long queues at the {venue} as people looked for information.",
     "People looking for information queued at the {venue}, local radio in {town} reported."),
    ("{critic}, who sits on the {town} council for the opposition, demanded an independent inquiry.",
     "An independent inquiry is needed, said {critic}, an opposition member of the {town} council."),
]

@dataclass
class Report:
    text: str
    title: str
    outlet: str
    published: date
    path: str


@dataclass
class GeneratedEvent:
    number: int
    kind: str
    town: str
    reports: list[Report] = field(default_factory=list)
    discrepancy: str | None = None


def town_name(number: int) -> str:
    """A town unique to event ``number`` (the 1,000 head-tail names, then with a prefix)."""
    base = len(TOWN_HEADS) * len(TOWN_TAILS)
    spread = (number * 7 + 3) % base  # 7 is prime to 1,000: every name once per 1,000 events
    head, tail = divmod(spread, len(TOWN_TAILS))
    return TOWN_PREFIXES[(number // base) % len(TOWN_PREFIXES)] + TOWN_HEADS[head] + TOWN_TAILS[tail]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST_HEADS)}{rng.choice(LAST_TAILS)}"


def _coined(rng: random.Random) -> str:
    """A made-up proper name (of a street, hall, firm): names set one event's reports apart from others'."""
    return rng.choice(TOWN_HEADS) + rng.choice(LAST_HEADS).lower() + rng.choice(["a", "e", "o", "in", "ett", "ow"])


def _day(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]}"


def generate_event(number: int, seed: int = 1) -> GeneratedEvent:
    """Event ``number``'s 2-4 reports, the same for the same ``number`` and ``seed``."""
    rng = random.Random(f"{seed}:{number}")
    kinds = sorted(KINDS)
    kind = kinds[number % len(kinds)]
    spec = KINDS[kind]
    town = town_name(number)
    happened = START_DATE + timedelta(days=number // len(kinds) * ROUND_DAYS)
    people = set()
    while len(people) < 5:
        people.add(_person(rng))
    official, witness, analyst, critic, winner = sorted(people)
    values = {
        "town": town, "region": rng.choice(REGIONS), "official": official, "role": rng.choice(ROLES),
        "witness": witness, "analyst": analyst, "analyst_org": f"{_coined(rng)} {rng.choice(ANALYST_ORGS)}",
        "critic": critic, "winner": winner, "venue": f"{_coined(rng)} {rng.choice(VENUES)}",
        "street": f"{_coined(rng)} {rng.choice(STREETS)}",
        "years": rng.randint(4, 40), "amount": rng.randint(2, 90), "count": rng.randint(12, 900),
        "hours": rng.randint(3, 19), "year": rng.randint(1990, 2019), "ordinal": rng.choice(ORDINALS),
        "weekday": WEEKDAYS[happened.weekday()], "date": _day(happened),
        "next_weekday": WEEKDAYS[(happened.weekday() + 3) % 7],
    }  # fmt: skip
    values["org"] = spec["org"].format(**values)
    event = GeneratedEvent(number, kind, town)
    reports = rng.randint(2, 4)
    outlets = rng.sample(OUTLETS, reports)
    odd = rng.randrange(reports) if rng.random() < 0.35 else None
    if odd is not None:
        event.discrepancy = rng.choice(["count", "amount", "date"])
    for i, outlet in enumerate(outlets):
        mine = dict(values)
        if i == odd:
            if event.discrepancy == "count":
                mine["count"] = values["count"] + rng.randint(3, 40)
            elif event.discrepancy == "amount":
                mine["amount"] = values["amount"] + rng.randint(1, 9)
            else:
                other = happened - timedelta(days=1)
                mine["weekday"], mine["date"] = WEEKDAYS[other.weekday()], _day(other)
        lede, *rest = spec["sentences"]
        chosen = rest + rng.sample(GENERIC, rng.randint(GENERIC_MIN, GENERIC_MAX))
        rng.shuffle(chosen)
        sentences = [rng.choice(lede).format(**mine)] + [rng.choice(pair).format(**mine) for pair in chosen]
        paragraphs, at = [], 0
        while at < len(sentences):
            size = 1 if at == 0 else rng.randint(1, 3)
            paragraphs.append(" ".join(sentences[at : at + size]))
            at += size
        for _ in range(rng.choice([0, 0, 1, 2])):
            junk = rng.choice(JUNK).format(region=values["region"], minutes=rng.randint(2, 9))
            paragraphs.insert(rng.randint(1, len(paragraphs)), junk)
        title = rng.choice(spec["titles"]).format(**mine)
        published = happened + timedelta(days=rng.randint(0, 1))
        slug = re.sub(r"[^a-z0-9]+", "-", outlet.lower()).strip("-")
        text = f"{title}\n\n" + "\n\n".join(paragraphs) + "\n"
        event.reports.append(Report(text, title, outlet, published, f"web-bench/{slug}/{number:05d}.txt"))
    return event


def documents_for(numbers: range, seed: int = 1) -> list:
    """The reports of events ``numbers`` as Documents, nearby events' reports interleaved."""
    from newscollate.model import Document, Metadata

    rng = random.Random(f"{seed}:order:{numbers.start}")
    docs = []
    rounds = len(KINDS)
    for block in range(numbers.start, numbers.stop, rounds):
        reports = [r for n in range(block, min(block + rounds, numbers.stop)) for r in generate_event(n, seed).reports]
        rng.shuffle(reports)
        docs += [Document.from_text(r.text, r.path, Metadata(title=r.title, source=r.outlet, published=r.published))
                 for r in reports]  # fmt: skip
    return docs


# ---------------------------------------------------------------------------------------------
# The store


def build_store(path: Path, events: int, seed: int) -> dict:
    """Fill ``path`` with at least ``events`` events; returns how it went."""
    from newscollate.store import Store
    from newscollate.store.stream import stream_into_events

    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    generated = documents = words = 0
    with Store.open(path) as store:
        total = 0
        while total < events:
            # generated events that the grouper finds alike merge: make up the shortfall at the rate seen so far
            more = max(50, int((events - total) * generated / max(total, 1) * 1.1)) if generated else events
            numbers = range(generated, generated + more)
            docs = documents_for(numbers, seed)
            generated += more
            documents += len(docs)
            words += sum(len(d.text.split()) for d in docs)
            print(f"ingesting events {numbers.start:,}-{numbers.stop - 1:,}: {len(docs):,} documents", file=sys.stderr)
            added = store.add_documents(docs)
            last = [time.perf_counter()]

            def progress(message: str) -> None:
                now = time.perf_counter()
                if now - last[0] > 5 or "collating" in message:
                    print(f"  {now - started:6.0f} s  {message}", file=sys.stderr)
                    last[0] = now

            stream_into_events(store, added.added_ids, progress=progress)
            total = store.list_events().total
            print(f"  the store holds {total:,} events ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    info = {"events": total, "generated_events": generated, "documents": documents,
            "words_per_document": round(words / max(documents, 1)),
            "build_seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
    Path(f"{path}.json").write_text(json.dumps(info))
    return info


def open_or_build(events: int, seed: int, rebuild: bool) -> tuple[Path, dict]:
    path = CACHE_DIR / f"web-{events}.db"
    meta = Path(f"{path}.json")
    if not rebuild and path.exists() and meta.exists():
        from newscollate.store import Store

        with Store.open(path) as store:
            total = store.list_events().total
        info = json.loads(meta.read_text())
        if total >= events:
            print(f"reusing {path} ({total:,} events)", file=sys.stderr)
            return path, info | {"events": total, "reused": True}
    return path, build_store(path, events, seed)


def event_ids(path: Path) -> list[str]:
    from newscollate.store import Store

    with Store.open(path) as store:
        return [row.id for row in store.events()]


