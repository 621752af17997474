"""Who or what a figure is about: subject resolution over the discourse.

Mentions are read in order. Explicit names update the discourse state (the
lab and the model currently talked about, each lab's latest model, each
fallback model's maker); pronouns ("the company", "its", "the model") resolve
against it. A figure then picks the best mention of its sentence by the kind
of entity its metric wants, whether the mention sits in the figure's own
stretch of the sentence, before or after it, how far away, and whether it is
sidelined (after "with", "from", "at", or inside an appositive such as ", the
base model underneath the company's R1 reasoner,"). With no mention at all,
the previous figure's subject carries over ("The work ran on ..."), then the
discourse topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from monitor.figures.entities import (
    DESCRIBING_NOUNS,
    DESCRIPTIONS,
    FIRST_PERSON,
    LEADER,
    Mention,
)
from monitor.figures.sentences import Sentence

_SIDELINING_WORDS = (
    "with from by at via through against than like versus vs of pay paying pays paid below above"
    " undercutting"
)
_SIDELINING = frozenset(_SIDELINING_WORDS.split())
_NOT_TOPIC_WORDS = "on for to about over behind in into under beyond including"
_NOT_TOPIC = _SIDELINING | frozenset(_NOT_TOPIC_WORDS.split())
_ROLE_WORDS_TEXT = (
    "provider firm company startup up lab developer maker cloud group fund rival operator"
)
_ROLE_WORDS = frozenset(_ROLE_WORDS_TEXT.split())
_ROLE_PHRASE_BEFORE = re.compile(
    r"(\w+)\s+(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?(?:provider|firm|company|start-?up|lab|developer"
    r"|maker|cloud|group|fund|rival|operator)\s+$"
)
# A name of up to three capitalised words; a list of them that ends an appositive (", the
# joint venture of OpenAI, SoftBank and Oracle, plans ...": the commas between the names do
# not close the aside).
_NAME = r"[A-Z][\w&.’'-]*(?:\s[A-Z][\w&.’'-]*){0,2}"
_NAME_LIST = rf"\s{_NAME}(?:,\s{_NAME})+,?\s(?:and|or)\s{_NAME}(?=,)"
_NO_VERB = r"(?!\b(?:is|are|was|were|has|have|had|will|would|says|said)\b)[^,;]"
# An appositive is a noun phrase: ", the data-centre operator X is betting that banks," holds a
# finite verb, so it is the sentence itself, not an aside.
_APPOSITIVE = re.compile(
    r",\s(?:(?:which|who|whose|founded|based|backed|led|owned|run|started|spun|including"
    rf"|excluding|such\s+as)\b(?:[^,;]*?{_NAME_LIST}|[^,;]*)"
    rf"|(?:the|a|an)\b(?:(?:{_NO_VERB})*?{_NAME_LIST}|(?:{_NO_VERB})*)"
    # a speech tag: "Vantage-2 was trained on ..., the company said, consuming ..."
    rf"|(?:the\s+[a-z-]+|it|he|she|they|{_NAME})\s+"
    r"(?:said|says|added|noted|confirmed|estimated|told\s+[\w\s]{1,30}?))\s?,"
)
# A relative clause that runs to the sentence's end: "$0.32/M output tokens, which Corvid says
# makes it ...": an aside for the names in it (not for cues: its words may say what a figure
# before it is).
_TRAILING_CLAUSE = re.compile(r",\s(?:which|who)\b[^,;]*$")
# "below OpenAI's GPT-4o": the owner's governor governs the owned name too
_POSSESSOR_BEFORE = re.compile(r"(?<![\w-])[A-Z][\w.&-]*(?:\s[A-Z][\w.&-]*){0,2}['’]s\s+$")
# "The firm estimates that ...", "the consultancy reckons": a pronoun for an analyst
_ANALYST_PRONOUN = re.compile(r"(?i:\b(?:firm|consultancy|analysts?|researchers|report|study)$)")
# "according to Marlow & Finch Research", "according to a report published on Monday by X"
_ACCORDING_TO_BEFORE = re.compile(
    r"\baccording\s+to\s+(?:(?:an?|the)\s+(?:[\w-]+\s+){0,5}?by\s+)?(?:the\s+)?"
    # "according to the data provider Tallowmere", "... research firm Delacroix Analytics"
    r"(?:(?:the\s+)?(?:data|research|analytics|consulting|market|industry)[\s-]"
    r"(?:provider|firm|group|company|tracker|house|researcher)\s+)?$"
    # "Analysts polled by Fennick Data", "forecasters at Tamsin Research", "quoting X"
    r"|\b(?:polled|surveyed|compiled|tallied|counted|tracked)\s+by\s+$"
    r"|\b(?:[Aa]nalysts|[Ff]orecasters|[Rr]esearchers|[Ee]conomists|[Ss]trategists)\s+(?:at|from)\s+$"
    r"|\bquoting\s+(?:(?:the\s+)?(?:research|data|analytics|consulting)\s+(?:firm|group)\s+)?$"
)
_SOURCE_WORDS = ("according", " by ", " at ", " from ", "quoting")
_PRICE_OF = re.compile(r"(?i:\b(?:price|prices|pricing|cost|costs)\s+of\s+$)")
# "a fraction of what", "less than what", "half what": a comparison's other side follows
_COMPARED_WHAT = re.compile(
    r"(?i:\b(?:fraction\s+of|than|half|twice|double|triple|below|above|under)\s+what\s+$)"
)
# "by former Alibaba Cloud engineers": a preposition, then lowercase modifiers
_PREPOSITION_BEFORE_MODIFIERS = re.compile(r"\b(\w+)\s+(?:[a-z][\w-]*\s+){1,2}$")
# "by our count the five largest cloud providers ...": an aside, then the clause's subject
_BY_OUR_COUNT = re.compile(
    r"\s(?:count|estimate|reckoning|tally|calculations?|measure|standards?)\W*\s+$"
)
# "led by Thrive Capital and Nvidia", "below GPT-4o ($2.50 and $10) and Claude": the first
# conjunct's governor governs the second
_CONJUNCT_BEFORE = re.compile(
    r"\b(\w+)\s+(?:[A-Z][\w.&’'-]*(?:['’]s)?\s+){1,5}(?:\([^()]*\)\s+)?(?:and|or)\s+$"
)
# "Vantage Compute, which tracks GPU prices, estimates that ...": an analyst, not the topic
_ESTIMATES_AFTER = re.compile(
    r"(?:,\s(?:which|who|the|a|an)\b[^,;]*,)?\s+(?:estimates?|estimated|reckons?|reckoned|"
    r"calculates?|calculated|predicts?|predicted|forecasts?|believes|thinks|projects\s+that)\b"
    # not "Quillstone forecasts revenue of $11 million": its own money, forecast
    r"(?!\s+(?:its\s+|annual\s+|full-year\s+)?(?:revenue|sales|capex|capital\s+spending)\b)"
    # "Tessellate Research, an independent group that estimates training budgets, puts ...":
    # what the aside says it does
    r"|,\s(?:an?|the)\s[^,;]{0,60}?\b(?:estimates|tracks|analy[sz]es|forecasts)\s[^,;]{0,40},"
    # "..., Halvorsen & Pike report says": the firm whose report it is
    r"|\s+(?:report|study|survey|analysis|research)\s+(?:says|said|finds|found|shows|showed)\b"
    # "Hallam Ridge Research's estimate of ...": its estimate, not its money ("its own" is)
    r"|['’]s\s+(?:latest\s+|new\s+|updated\s+)?(?:estimates?|forecasts?|projections?|tally)\b"
)
# "Nvidia led the $500 million round": the investor, not the company that raised it
_LED_ROUND_AFTER = re.compile(
    r"\s(?:co-)?led\s(?:a|an|the|its|this|that)\s(?:\S+\s){0,4}?"
    r"(?:round|raise|financing|funding|investment|tranche|seed|Series\s[A-H]\b)"
)
# ", and", ";", " — ": the dash branch is found from the dash (a first character `re` can
# skip to, where a leading \s would make it try every position); its start is the space
# before the dash.
_CLAUSE_BREAK = re.compile(r",\s+(?:and|or|but|while|whereas)\b|;|[—–](?<=\s[—–])\s")

# How much each metric class wants each kind of mention.
_AFFINITY: dict[str, dict[str, float]] = {
    "model": {
        "model": 3,
        "pron_model": 2.8,
        "lab": 2,
        "pron_lab": 2,
        "sector": 1.5,
        "pron_sector": 0,
        "product": 0.5,
    },
    "chips": {
        "model": 3,
        "pron_model": 2.8,
        "lab": 2.6,
        "pron_lab": 2.4,
        "sector": 0.3,
        "product": 0,
    },
    "fleet": {"lab": 3, "pron_lab": 3, "model": 1.5, "pron_model": 1, "sector": 0.3, "product": 0},
    "lab": {
        "lab": 3,
        "pron_lab": 3,
        "model": 1.5,
        "pron_model": 1,
        "sector": 2,
        "pron_sector": 2,
        "product": 1,
    },
    "sub": {"product": 4, "model": 1.5, "pron_model": 1, "lab": 0.5, "pron_lab": 0.5, "sector": 0},
    "other": {
        "lab": 2.5,
        "pron_lab": 2.2,
        "model": 2,
        "pron_model": 1.8,
        "product": 2,
        "sector": 1,
        "pron_sector": 1,
    },
}
# A government is wanted where a lab is ("Germany is prepared to commit EUR 3 bln").
_AFFINITY_KIND = {"government": "lab"}
_MIN_SCORE = 2.0
_PAIR_INDEX = {"former": 0, "latter": 1}  # which of the last two labs named
# the _AFFINITY key of a pronoun
_PRONOUN_KEYS = {"lab": "pron_lab", "model": "pron_model", "sector": "pron_sector"}


class Candidate(NamedTuple):
    """A mention with its entity resolved, as seen from one sentence."""

    start: int
    end: int
    name: str
    kind: str  # lab | model | product | sector
    pronoun: bool
    sidelined: bool  # after "with", "from", "at", ...
    family: bool
    aside: tuple[int, int] | None  # the appositive or relative clause it sits in


class PreviousFigure(NamedTuple):
    subject: str | None
    subject_kind: str | None
    metric: str
    kind: str
    sentence: int


@dataclass
class Discourse:
    """What the article is talking about so far."""

    topic_lab: str | None = None
    topic_model: str | None = None
    lab_models: dict[str, dict[str, int]] = field(default_factory=dict)  # lab -> model -> mentions
    makers: dict[str, str] = field(default_factory=dict)  # model or product -> lab
    previous: PreviousFigure | None = None
    recent_labs: list[str] = field(default_factory=list)  # the last two labs named, in order
    # The first lab the article is about: who "we" and "your" are in an interview, a call
    # or a filing, which introduce the speaker's organisation before it speaks.
    home_lab: str | None = None
    answering: bool = False  # the sentence is in an interview's answer ("A: ...")
    # "the telecom" -> "Kora Telecom": the latest body named with each describing noun
    described: dict[str, str] = field(default_factory=dict)

    def maker_of(self, name: str) -> str | None:
        return self.makers.get(name)


class Choice(NamedTuple):
    name: str | None
    kind: str | None  # lab | model | product | sector
    how: str  # segment | sentence | pronoun | inherited | topic | none
    inherited_metric: str | None = None


# "a hosted version of Marten-70B": the model itself, not a name the sentence sidelines
_VERSION_OF = re.compile(r"\b(?:version|variant|edition|flavou?r|build)s?\s+of\s+$")
# "most of it in", "half of which went to": where part of the money went
_PART_OF_IT = re.compile(
    r"\b(?:most|much|half|part|some|all|the\s+bulk)\s+of\s+(?:it|which|that|them)\s+"
    r"(?:went\s+|going\s+)?(?:in|to|into)\s+$"
)
# "chief executive of", "founder at": the company a person leads follows
_LEADER_BEFORE = re.compile(rf"{LEADER}$")
# "For" opening a sentence or a line, right before the mention
_FRONTED_FOR = re.compile(r"(?:^|(?<=\n)|(?<=[.!?]\s))For\s$")


def _word_before(text: str, start: int) -> str:
    """The word governing a mention: "from" in "from the cloud provider Pallas Compute"."""
    if text[max(0, start - 6) : start].rstrip().endswith(("'s", "’s")):
        possessor = _POSSESSOR_BEFORE.search(text, max(0, start - 50), start)
        if possessor is not None:
            start = possessor.start()
    word = _last_word(text, max(0, start - 20), start).lower()
    if word == "for" and _FRONTED_FOR.search(text, max(0, start - 8), start):
        return ""  # "For Brindlewood, the gift is small": what the sentence is about
    if word == "what" and _COMPARED_WHAT.search(text, max(0, start - 40), start):
        return "than"  # "a fraction of what frontier models charge": compared with them
    if word in ("of", "at") and _LEADER_BEFORE.search(text, max(0, start - 40), start):
        return ""  # "co-founder and CEO of Fernhollow": the company the speaker leads
    if word == "of" and _PRICE_OF.search(text, max(0, start - 30), start):
        return "for"  # "cut the price of Quill 2 output": whose price it is
    if word in _ROLE_WORDS:
        role = _ROLE_PHRASE_BEFORE.search(text, max(0, start - 60), start)
        if role is not None:
            return role.group(1).lower()
    if word in ("and", "or") and not _SIDELINING.isdisjoint(
        text[max(0, start - 120) : start].split()
    ):
        conjunct = _CONJUNCT_BEFORE.search(text, max(0, start - 120), start)
        if conjunct is not None and conjunct.group(1).lower() in _SIDELINING:
            return conjunct.group(1).lower()
    elif word not in _NOT_TOPIC and word.islower() and _any_sidelining(text, start):
        governor = _PREPOSITION_BEFORE_MODIFIERS.search(text, max(0, start - 40), start)
        if (
            governor is not None
            and governor.group(1).lower() in _SIDELINING
            and _BY_OUR_COUNT.search(text, governor.start(), start) is None
        ):
            return governor.group(1).lower()
    return word


def _last_word(text: str, left: int, right: int) -> str:
    r"""The last word of text[left:right] (cut at `left`), or "": `(\w+)\W*$` without a search."""
    end = right
    while end > left and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    begin = end
    while begin > left and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
        begin -= 1
    return text[begin:end]


def _any_sidelining(text: str, start: int) -> bool:
    """Whether the second or third word before `start` could be a sidelining preposition."""
    words = text[max(0, start - 40) : start].rsplit(None, 3)[-3:-1]
    return any(w.lstrip("([\"'“‘").lower() in _SIDELINING for w in words)


_LIST_SEPARATOR = re.compile(r",\s|\sand\s|\sor\s")


def _in_bracketed_list(text: str, sentence: Sentence, mention: Mention) -> bool:
    """Whether the mention is one of a list in brackets: "the four largest hyperscalers
    (Microsoft, Alphabet, Amazon and Meta)" gives examples of a group the figure is about."""
    opening = text.rfind("(", sentence.start, mention.start)
    if opening < 0 or text.find(")", opening, mention.start) >= 0:
        return False
    closing = text.find(")", mention.end, sentence.end)
    return closing >= 0 and _LIST_SEPARATOR.search(text, opening, closing) is not None


def resolve_mentions(
    text: str,
    sentence: Sentence,
    mentions: list[Mention],
    state: Discourse,
    appositives: list[tuple[int, int]] | None = None,
) -> list[Candidate]:
    """The sentence's mentions with pronouns resolved; updates the discourse state.

    `appositives` are the sentence's `asides_in`, when the caller has them already.
    """
    if appositives is None:
        appositives = asides_in(text, sentence)
    clause = (
        _TRAILING_CLAUSE.search(text, sentence.start, sentence.end)
        if mentions and text.find(", wh", sentence.start, sentence.end) >= 0
        else None
    )
    trailing = (clause.start(), sentence.end) if clause is not None else None
    resolved: list[Candidate] = []
    labs_here: list[str] = []
    models_here: list[str] = []  # "with DeepSeek-R1, pricing the reasoning model at": that one
    for i, mention in enumerate(mentions):
        entity = mention.entity
        before = _word_before(text, mention.start)
        possessive = text.startswith(("'s", "’s"), mention.end)
        sidelined = (
            before in _SIDELINING
            and not (before == "of" and possessive)
            # "Quillfeather's own hosted version of Marten-70B costs": the model it is
            and not (
                before == "of"
                and _VERSION_OF.search(text, max(0, mention.start - 20), mention.start)
            )
            # "capital expenditure at the four largest hyperscalers": the group's own money
            and not (entity.kind == "sector" and before in ("at", "of"))
        ) or (entity.kind == "lab" and _in_bracketed_list(text, sentence, mention))
        if possessive and before in ("in", "to", "into") and not sidelined:
            # "raised €2.1 billion, most of it in Veldt's round": where the money went, not who
            # raised it
            sidelined = (
                _PART_OF_IT.search(text, max(0, mention.start - 40), mention.start) is not None
            )
        aside = next(
            ((a, b) for a, b in appositives if a <= mention.start and mention.end <= b), None
        )
        if aside is None and trailing is not None and trailing[0] <= mention.start:
            aside = trailing
        if mention.pronoun:
            model = models_here[-1] if models_here else state.topic_model
            if (
                not models_here
                and labs_here
                and model is not None
                and state.maker_of(model) != labs_here[-1]
            ):
                # "Moyun said the model was trained on ...": the named lab's model, not a
                # rival's named last
                model = focus_model(state, labs_here[-1]) or model
            topics = {"lab": state.topic_lab, "model": model}
            name = topics.get(entity.kind, entity.name)  # the sector names itself
            if entity is FIRST_PERSON:
                name = state.home_lab or state.topic_lab
            elif entity.name in _PAIR_INDEX:  # "the former", "the latter"
                recent = state.recent_labs
                name = recent[_PAIR_INDEX[entity.name]] if len(recent) == 2 else None
            elif entity.name in DESCRIPTIONS:  # "the telecom": "Kora Telecom"
                name = state.described.get(entity.name)
            if name is None:
                continue
            kind = entity.kind
        else:
            name, kind = entity.name, entity.kind
        if estimates(text, mention):
            # "Vantage Compute estimates that the run cost ...": a source, not the run's owner;
            # so is "the firm" that estimates ("the lab" estimating its own costs is not)
            if not mention.pronoun:
                _follow(mention, name, kind, before, possessive, aside, labs_here, state, True)
                continue
            if _ANALYST_PRONOUN.search(text, mention.start, mention.end):
                continue
        resolved.append(
            Candidate(
                mention.start,
                mention.end,
                name,
                kind,
                mention.pronoun,
                sidelined,
                mention.family,
                aside,
            )
        )
        if kind == "lab":
            labs_here.append(name)
        elif kind == "model" and not mention.pronoun and not mention.family:
            models_here.append(name)
        if not mention.pronoun:  # an estimator went on above: only a quotation is left
            quoted = in_quotation(text, mention.start)
            makers = _with_maker_after(text, mentions, i, labs_here)
            _follow(mention, name, kind, before, possessive, aside, makers, state, quoted)
    return resolved


# "Lumen-4, from Beijing-based Baiqiao Technology,", "Corra by Culverin": the maker after
_MAKER_GAP = re.compile(r",?\s+(?:from|by)\s+(?:[\w-]+\s+){0,2}")


def _with_maker_after(
    text: str, mentions: list[Mention], i: int, labs_here: list[str]
) -> list[str]:
    """`labs_here`, and the lab a model's name is followed by as its maker, if any."""
    mention = mentions[i]
    if mention.entity.kind != "model" or i + 1 >= len(mentions):
        return labs_here
    after = mentions[i + 1]
    if after.pronoun or after.entity.kind != "lab" or text.startswith(("'s", "’s"), after.end):
        return labs_here  # not "switched to Corra-2 from Orrin AI's models"
    if _MAKER_GAP.fullmatch(text, mention.end, after.start) is None:
        return labs_here
    return [*labs_here, after.entity.name]


def follow_mentions(
    text: str, sentence: Sentence, mentions: list[Mention], state: Discourse
) -> None:
    """What `resolve_mentions` does to the discourse, for a sentence with no figure.

    Only explicit names move the discourse, and only labs and single models need
    to know how the sentence governs them, so the rest is skipped.
    """
    appositives: list[tuple[int, int]] | None = None
    labs_here: list[str] = []
    for i, mention in enumerate(mentions):
        entity = mention.entity
        if mention.pronoun:
            if entity.kind == "lab":
                # as resolve_mentions reads it: a description, its body (if named yet)
                lab = (
                    state.described.get(entity.name)
                    if entity.name in DESCRIPTIONS
                    else state.topic_lab
                )
                if lab is not None:
                    labs_here.append(lab)
            continue
        kind = entity.kind
        if kind == "lab":
            labs_here.append(entity.name)
        elif kind != "model" or mention.family:
            _follow(mention, entity.name, kind, "", False, None, labs_here, state)
            continue
        if appositives is None:
            appositives = asides_in(text, sentence)
        before = _word_before(text, mention.start)
        possessive = text.startswith(("'s", "’s"), mention.end)
        aside = next(
            ((a, b) for a, b in appositives if a <= mention.start and mention.end <= b), None
        )
        voice = is_source(text, mention)
        makers = _with_maker_after(text, mentions, i, labs_here)
        _follow(mention, entity.name, kind, before, possessive, aside, makers, state, voice)


def is_source(text: str, mention: Mention) -> bool:
    """A name quoted by someone, or a firm estimating about others: a source, not the topic."""
    return in_quotation(text, mention.start) or estimates(text, mention)


def estimates(text: str, mention: Mention) -> bool:
    """A lab named as the one who "estimates that" (an analyst firm), not as what is estimated;
    or the one a figure is "according to"; or an investor that "led the round"."""
    if mention.entity.kind != "lab":
        return False
    if _ESTIMATES_AFTER.match(text, mention.end) is not None:
        return True
    if (
        text.startswith((" led ", " co-led "), mention.end)
        and _LED_ROUND_AFTER.match(text, mention.end) is not None
    ):
        return True
    left = max(0, mention.start - 60)
    return (
        any(text.find(w, left, mention.start) >= 0 for w in _SOURCE_WORDS)  # cheap tests first
        and _ACCORDING_TO_BEFORE.search(text, left, mention.start) is not None
    )


def in_quotation(text: str, at: int) -> bool:
    """Whether `at` lies inside a direct quotation of its paragraph ("..." or “...”)."""
    left = text.rfind("\n", 0, at) + 1
    if text.rfind("“", left, at) > text.rfind("”", left, at):
        return True
    return text.count('"', left, at) % 2 == 1


def _follow(
    mention: Mention,
    name: str,
    kind: str,
    before: str,
    possessive: bool,
    aside: tuple[int, int] | None,
    labs_here: list[str],
    state: Discourse,
    source: bool = False,
) -> None:
    """Update the discourse with an explicit mention: makers, topics, each lab's models.

    `before`, `possessive`, `aside` and `source` matter only for labs and single
    models. A source (`is_source`): a name someone says in a quotation ("DeepSeek
    priced one run," she said), or a research firm that "estimates that" the
    lab's run cost $80 million, is not what the article goes on to call "the lab".
    """
    if kind in ("sector", "government"):
        return  # never what "the company" or "it" stands for later
    if kind == "lab":
        for word in name.split():
            if word in DESCRIBING_NOUNS:
                state.described[DESCRIBING_NOUNS[word]] = name
    if kind == "lab" and name not in state.recent_labs[-1:]:
        state.recent_labs = [*state.recent_labs[-1:], name]
    entity = mention.entity
    if kind in ("model", "product") and name not in state.makers:
        maker = entity.maker or (labs_here[-1] if labs_here else state.topic_lab)
        if maker is not None:
            state.makers[name] = maker
    sidelined = before in _SIDELINING and not (before == "of" and possessive)
    # "building on Anthropic's Claude": the owner is what the sentence is about
    governed = before in _NOT_TOPIC and not (possessive and before not in _SIDELINING)
    topical = not governed and not sidelined and aside is None and not source
    if kind == "lab" and topical:
        state.topic_lab = name
        if state.home_lab is None:
            state.home_lab = name
    elif kind == "model" and not mention.family:
        maker = state.maker_of(name)
        if maker is not None:
            counts = state.lab_models.setdefault(maker, {})
            counts[name] = counts.pop(name, 0) + 1  # re-inserted: ties go to the latest
        if topical:
            state.topic_model = name
            if entity.maker is not None:  # named by the lexicon or the model's own name
                state.topic_lab = entity.maker  # "Lanshan-2 ... chips the company bought"


def asides_in(text: str, sentence: Sentence) -> list[tuple[int, int]]:
    """Appositives and relative clauses of a sentence: ", the ... ," and ", which ... ,"."""
    return [(m.start(), m.end()) for m in _APPOSITIVE.finditer(text, sentence.start, sentence.end)]


def clause_breaks_in(text: str, sentence: Sentence) -> list[int]:
    """Positions where a coordinated clause begins (", and", ", while", ";", " — ")."""
    breaks = []
    for m in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        start = m.start()
        if text[start] in "—–":
            start -= 1  # the space before the dash, which must lie in the sentence
            if start < sentence.start:
                continue
        breaks.append(start)
    return breaks


def _score(
    c: Candidate, cls: str, start: int, end: int, segment: tuple[int, int], breaks: list[int]
) -> float:
    seg_left, seg_right = segment
    key = _PRONOUN_KEYS.get(c.kind, c.kind) if c.pronoun else _AFFINITY_KIND.get(c.kind, c.kind)
    affinity = _AFFINITY[cls].get(key, 0.0)
    if c.family:
        affinity = min(affinity, 0.5)
    before = c.end <= start
    distance = start - c.end if before else c.start - end
    in_segment = seg_left <= c.start and c.end <= seg_right
    across = 0.0
    for b in breaks:
        if (c.end <= b < start) if before else (end <= b < c.start):
            across = 1.0 if before else 3.0
            break
    set_aside = c.aside is not None and not (c.aside[0] <= start and end <= c.aside[1])
    return (
        affinity
        + (2.0 if in_segment else 0.0)
        + (0.5 if before else 0.0)
        - distance / 100
        - (1.5 if c.sidelined or set_aside else 0.0)
        - across
    )


def choose_subject(
    candidates: list[Candidate],
    cls: str,
    span: tuple[int, int],
    segment: tuple[int, int],
    sentence_index: int,
    state: Discourse,
    breaks: list[int],
    exclude: str | None = None,
    same_sentence: Choice | None = None,
) -> Choice:
    """The subject a figure of metric class `cls` at `span` most likely has.

    `exclude` names an entity that cannot be the subject (a chip's own vendor);
    `same_sentence` is the previous figure's subject when it is in the same sentence.
    """
    start, end = span
    best: tuple[float, Candidate] | None = None
    for c in candidates:
        if (c.start < end and c.end > start) or c.name == exclude:
            continue
        if c.pronoun and not _AFFINITY[cls].get(_PRONOUN_KEYS[c.kind]):
            continue  # "the industry" can spend, but has no token price of its own
        score = _score(c, cls, start, end, segment, breaks)
        if best is None or score > best[0]:
            best = (score, c)
    if best is not None and best[0] >= _MIN_SCORE:
        c = best[1]
        sidelined = c.sidelined or (c.aside is not None and not c.aside[0] <= start < c.aside[1])
        if sidelined and same_sentence is not None:
            return same_sentence  # "... rented from Helix and put the bill at ...": same subject
        in_segment = segment[0] <= c.start and c.end <= segment[1]
        how = "pronoun" if c.pronoun else ("segment" if in_segment else "sentence")
        return Choice(c.name, c.kind, how)
    prev = state.previous
    if prev is not None and sentence_index - prev.sentence <= 2 and prev.subject:
        return Choice(prev.subject, prev.subject_kind, "inherited", prev.metric)
    if cls in ("model", "chips") and state.topic_model:
        return Choice(state.topic_model, "model", "topic")
    if cls != "sub" and state.answering and state.home_lab:
        # "A: Revenue for the last fiscal year was $1.14 billion": the one answering, not the
        # partner the answer before named
        return Choice(state.home_lab, "lab", "topic")
    if cls != "sub" and state.topic_lab:
        return Choice(state.topic_lab, "lab", "topic")
    return Choice(None, None, "none")


def focus_model(state: Discourse, lab: str) -> str | None:
    """The model a lab's unqualified figure is about: its most talked-about one so far."""
    counts = state.lab_models.get(lab)
    if not counts:
        return None
    best = max(counts.values())
    return [name for name, n in counts.items() if n == best][-1]
