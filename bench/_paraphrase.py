"""Rule-based rewrites of news sentences for the lineage benchmark: a reworded lead and a translation.

A translation back into English (``translate``) keeps the names, the numbers
and the order of sentences and facts, but changes most function words and
many content words: each word of a general news thesaurus (verbs in all their
regular forms, nouns, adjectives, adverbs; about 300 entries, none taken from
the benchmark's texts) is replaced by a synonym or a paraphrase, function
words are swapped ("on" -> "upon", "because" -> "since", "was" -> "had
been"), attributions and time phrases move to the front of the sentence,
passives become actives, a long sentence is sometimes split at a clause and
short neighbours merged.  :func:`content_replaced` measures the share of the
source's content words (not names, numbers or function words) that no longer
appear; the benchmark reports it.
"""

from __future__ import annotations

import random
import re
from collections import Counter

# Regular verbs: base -> synonym base; all forms (-s, -ed, -ing) follow.
VERBS = dict(pair.split(":") for pair in """
announce:declare arrest:detain attack:assault accuse:charge admit:acknowledge appear:seem arrive:reach
ask:request attempt:try believe:think block:obstruct call:describe cancel:scrap charge:indict
claim:assert close:shut complete:finish confirm:verify consider:weigh continue:carry_on create:establish
damage:harm decide:resolve declare:proclaim delay:postpone deny:reject describe:characterise destroy:wreck
die:perish discover:find_out end:conclude enter:check_into escape:flee expect:anticipate explain:clarify
face:confront fail:be_unable force:compel help:assist hope:wish injure:wound involve:concern join:enter
kill:slay launch:unveil leave:quit list:enumerate locate:find manage:handle mention:note move:relocate
need:require offer:propose open:inaugurate order:instruct own:possess perform:carry_out plan:intend
play:perform prepare:get_ready prevent:avert produce:generate promise:pledge protect:shield prove:show
provide:supply receive:obtain release:free remain:stay remove:withdraw replace:substitute report:indicate
request:seek rescue:save respond:reply return:come_back reveal:disclose sign:ink start:begin
suffer:endure suggest:propose support:back survive:outlive suspect:presume target:aim_at treat:handle
try:attempt turn:change use:employ visit:tour wait:hold_on want:wish warn:caution watch:observe
work:labour worry:fret shoot:gun_down acquire:purchase agree:consent appoint:name award:grant
question:interrogate search:comb stop:halt hit:strike
""".split())
IRREGULAR = dict(pair.split(":") for pair in """
said:stated says:states say:state told:informed tell:inform tells:informs took:seized take:seize
takes:seizes taken:seized made:produced make:produce makes:produces gave:handed give:hand gives:hands
given:handed went:headed go:head goes:heads gone:headed came:arrived come:arrive comes:arrives got:obtained
get:obtain gets:obtains found:discovered find:discover finds:discovers left:departed won:secured win:secure
wins:secures lost:forfeited lose:forfeit began:started begun:started begin:start held:staged hold:stage
brought:carried bring:carry led:headed lead:head leads:heads saw:witnessed see:witness seen:witnessed
thought:believed knew:was_aware_of know:be_aware_of shot:gunned struck:hit bought:acquired buy:acquire
sold:disposed_of sell:dispose_of sent:dispatched send:dispatch kept:retained keep:retain put:placed
fell:dropped fall:drop rose:climbed rise:climb ran:operated run:operate spent:passed spend:pass
built:constructed build:construct met:encountered meet:encounter paid:settled pay:settle
""".split())
EXTRA = """
office:bureau federal:national today:this_day security:safety life:existence coach:trainer high:elevated fired:dismissed
store:shop career:professional_life running:operating outside:beyond mother:mum break:pause became:turned_into gun:firearm
scene:spot history:past known:recognised general:overall host:presenter party:gathering felt:sensed late:belated
dead:deceased source:informant inside:within long:lengthy church:chapel times:occasions rule:regulation law:legislation
gang:band making:producing saying:stating added:included best:finest good:fine part:portion earlier:previously
agencies:bodies jury:panel deputy:assistant loss:defeat behind:at_the_back_of lot:great_deal workers:employees information:data
bank:lender change:shift number:quantity action:measure community:neighbourhood services:facilities players:athletes yesterday:the_day_before
apartment:flat past:former ago:earlier door:entrance investigation:probe agent:operative free:released broke:shattered
hard:tough name:designation driving:steering world:globe defense:defence school:academy player:athlete little:small
almost:nearly leading:foremost agency:bureau coming:arriving brother:sibling fight:battle traffic:congestion scientists:researchers
vessel:ship story:tale judge:magistrate total:overall despite:in_spite_of caused:triggered every:each son:boy
across:throughout possible:feasible nation:country convicted:found_guilty injury:wound streets:roads less:fewer changes:alterations
magazine:periodical representative:envoy father:dad wife:spouse husband:spouse daughter:girl girl:young_woman boy:young_man
students:pupils student:pupil teacher:instructor hours:hours_of_time area:district residents:inhabitants site:venue following:after
including:among_them old:aged dead:killed
back:rear around:roughly like:such_as days:days_time next:following since:ever_since way:manner
head:chief even:even_so well:fine half:fifty_per_cent never:not_ever without:lacking set:fixed right:correct
games:matches least:minimum away:off much:a_great_deal point:juncture public:general authorities:officials
users:consumers though:even_though think:believe front:fore done:carried_out whether:if nothing:none
due:expected affected:impacted update:revision along:together care:attention mark:sign pass:transfer
field:pitch months:months_time heart:core decades:tens_of_years international:global cut:reduced
heard:learned projects:undertakings served:functioned stopped:halted crime:offence service:provision
bomb:explosive vessels:ships vehicle:automobile driver:motorist placed:put others:the_rest page:sheet
riot:unrest better:superior although:even_though center:centre getting:obtaining worth:valued_at
prosecutors:the_prosecution look:glance among:amid guilty:culpable rules:regulations assistant:aide
published:released room:chamber witnesses:onlookers chance:opportunity winning:victorious
afternoon:midday violence:brutality checked:examined great:considerable immediately:at_once hearing:session
pulled:drew floor:storey likely:probable process:procedure buildings:structures facility:installation
ever:at_any_time nearby:adjacent identified:named allegedly:supposedly someone:somebody champion:titleholder
critical:vital looking:seeking really:truly attorney:lawyer finished:completed posted:published
strike:stoppage experts:specialists national:nationwide protesters:demonstrators central:main boats:craft
blaze:fire manager:executive forward:ahead become:turn_into issues:matters final:closing employee:worker
medical:clinical whose:of_whom something:some_thing taking:seizing course:path full:complete
measures:steps phone:telephone shots:gunshots suspicious:questionable recently:lately looked:appeared
control:command named:called within:inside walking:strolling probably:most_likely teams:squads
finally:in_the_end media:press threw:hurled shortly:soon neighborhood:district drive:ride boss:chief
campaign:drive review:assessment operation:mission weekend:saturday_and_sunday bad:poor reporters:journalists
current:present power:strength estimated:approximate election:vote able:capable sister:sibling
"""
WORDS = dict(pair.split(":") for pair in """
people:persons person:individual police:officers officer:agent officials:authorities official:functionary
man:male woman:female men:males women:females children:kids child:kid city:town town:municipality
home:residence house:residence car:vehicle attack:assault fire:blaze quake:tremor earthquake:tremor
game:match team:side company:firm deal:agreement plan:scheme show:programme film:movie movie:film
star:celebrity actress:performer actor:performer hospital:clinic injured:wounded court:tribunal
week:seven-day_period year:twelve_months month:four_weeks day:date time:moment statement:communique
spokesman:spokesperson spokeswoman:spokesperson near:close_to big:large large:sizeable small:minor
new:fresh first:initial last:previous later:subsequently job:post victim:casualty victims:casualties
death:demise family:relatives friend:companion friends:companions group:collective country:nation
government:administration state:region area:zone region:area president:head leader:chief
chief:head director:manager member:participant members:participants report:account reports:accounts
news:information event:occasion incident:episode case:matter place:location site:location
building:edifice street:road road:route night:evening morning:forenoon evening:night hours:hour_periods
minutes:instants million:million_units billion:billion_units percent:per_cent money:funds price:cost
market:marketplace business:enterprise industry:sector customers:clients fans:supporters
record:tally season:campaign win:victory victory:triumph title:crown award:prize awards:prizes
role:part series:serial music:songs album:record band:group singer:vocalist song:track
troops:soldiers soldiers:troops forces:units war:conflict ship:vessel boat:vessel plane:aircraft
crash:collision accident:mishap storm:tempest damage:destruction disaster:catastrophe rescue:recovery
problem:issue problems:issues reason:cause decision:ruling trial:hearing charges:counts prison:jail
jail:prison sentence:term murder:killing suspect:accused gunman:shooter weapon:arm drugs:narcotics
rehab:rehabilitation treatment:therapy doctor:physician doctors:physicians health:wellbeing
serious:grave major:important former:ex local:regional huge:enormous young:youthful popular:well-liked
famous:renowned top:leading senior:high-ranking key:crucial massive:enormous powerful:potent
deadly:lethal strong:intense severe:harsh latest:most_recent early:initial recent:latest
several:a_number_of many:numerous some:certain other:further another:a_further same:identical
still:yet already:by_now nearly:almost about:around more:additional also:moreover however:nonetheless
just:only again:once_more very:extremely soon:shortly officially:formally reportedly:allegedly
""".split())
WORDS.update(pair.split(":") for pair in EXTRA.split())
FUNCTION = [(" on ", " upon "), (" because ", " since "), (" was ", " had been "), (" that ", " "),
            (" but ", " however "), (" in ", " within "), (" at ", " in "), (" after ", " following "),
            (" before ", " prior to "), (" will ", " is going to "), (" has ", " had "), (" with ", " together with "),
            (" for ", " intended for "), (" from ", " out of "), (" the ", " this ")]  # fmt: skip
TIME = re.compile(r",? (on|last|this|early on|late on) (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                  r"night|week|year|morning|evening)\b")  # fmt: skip
TRAILING_SAID = re.compile(r"^(.*\S),[\"”]? ((?:[A-Z][\w.'-]*\s?){1,4}|(?:a|the) [\w -]{1,30}) (said|says|told \w+)\.$")
PASSIVE = re.compile(r"\b((?:[A-Z][\w'-]+ ?){1,3}) (?:was|were) (\w+ed) by ((?:the )?(?:[A-Z][\w'-]+ ?){1,3}|the \w+)")
WORD = re.compile(r"(?<![\w-])[A-Za-z][a-z]+(?![\w-])")
STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did didn do does doing don down during each few for from further had has have having he her
    here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
    off on once only or other our ours out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was wasn we were what when where
    which while who whom why will with would you your one two three four five six seven eight nine ten first second
    third fourth may might must shall""".split()
)


def _forms(base: str) -> list[str]:
    stem = base[:-1] if base.endswith("e") else base
    y = base[:-1] + "i" if re.search(r"[^aeiou]y$", base) else None
    return [base, (y + "es") if y else base + ("es" if base.endswith(("s", "sh", "ch", "x")) else "s"),
            (y + "ed") if y else stem + "ed", stem + "ing"]  # fmt: skip


def _inflect(phrase: str, form: int) -> str:
    head, _, rest = phrase.partition("_")
    if head == "be":
        head = ["be", "is", "was", "being"][form]
    else:
        head = _forms(head)[form]
    return (head + " " + rest.replace("_", " ")).strip()


THESAURUS = {w.replace("_", " "): s.replace("_", " ") for w, s in (IRREGULAR | WORDS).items()}
for _base, _synonym in VERBS.items():
    for _form, _word in enumerate(_forms(_base)):
        THESAURUS.setdefault(_word, _inflect(_synonym, _form))


def swap_words(sentence: str, rng: random.Random, rate: float) -> str:
    def swap(match: re.Match) -> str:
        word = match.group()
        new = THESAURUS.get(word.lower())
        if new is None or (word[0].isupper() and match.start() > 0) or rng.random() >= rate:
            return word
        return new[0].upper() + new[1:] if word[0].isupper() else new

    return WORD.sub(swap, sentence)


def reorder(sentence: str, rng: random.Random) -> str:
    """Moves a trailing attribution or a time phrase to the front; turns a passive into an active."""
    said = TRAILING_SAID.match(sentence)
    if said and rng.random() < 0.8:
        body = said.group(1).strip("\"“”")
        return f"{said.group(2).strip()} {said.group(3)} that {body[0].lower() + body[1:] if not body[:2].isupper() else body}."
    passive = PASSIVE.search(sentence)
    if passive and rng.random() < 0.8:
        agent = passive.group(3).strip()
        agent = agent[0].upper() + agent[1:] if passive.start() == 0 else agent
        return sentence[: passive.start()] + f"{agent} {passive.group(2)} {passive.group(1).strip()}" + sentence[passive.end() :]
    when = TIME.search(sentence)
    if when and rng.random() < 0.8:
        rest = (sentence[: when.start()] + sentence[when.end() :]).strip()
        return f"{when.group(1).capitalize()} {when.group(2)}, {rest[0].lower() + rest[1:] if rest[1:2].islower() else rest}"
    return sentence


def reword(sentence: str, rng: random.Random, rate: float) -> str:
    out = reorder(sentence, rng)
    for old, new in FUNCTION:
        if old in out and rng.random() < rate * 0.6:
            out = out.replace(old, new, 1)
    return swap_words(out, rng, rate)


def translate(lines: list[str], rng: random.Random) -> list[str]:
    """Every sentence reworded; some long ones split at a clause, some short neighbours merged."""
    out: list[str] = []
    for sentence in lines:
        new = reword(sentence, rng, 0.9)
        cut = max(new.find(", which "), new.find(", and "), new.find(", but "), new.find(", while "))
        if cut > 40 and len(new) - cut > 30 and rng.random() < 0.5:
            head, tail = new[:cut], new[cut + 2 :].split(" ", 1)[1]
            out += [head + ".", "This " + tail if tail.split(" ", 1)[0] in {"is", "was", "has", "had"} else tail[0].upper() + tail[1:]]
        elif out and len(new) < 90 and len(out[-1]) < 90 and rng.random() < 0.4:
            out[-1] = out[-1].rstrip(".") + "; " + (new[0].lower() + new[1:] if new[1:2].islower() else new)
        else:
            out.append(new)
    return out


def content_words(text: str) -> Counter:
    """Lowercase words of 3+ letters that are not function words, names (capitalised inside a sentence) or numbers."""
    found: Counter = Counter()
    for line in text.splitlines():
        for i, match in enumerate(WORD.finditer(line)):
            word = match.group()
            if (i == 0 or word[0].islower()) and word.lower() not in STOP and len(word) > 2:
                found[word.lower()] += 1
    return found


def content_replaced(source: str, rewrite: str) -> float:
    """Share of the source's content words (with repeats) missing from the rewrite."""
    before, after = content_words(source), content_words(rewrite)
    total = sum(before.values())
    return sum((before - after).values()) / total if total else 0.0
