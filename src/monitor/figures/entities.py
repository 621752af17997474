"""Mentions of labs, models, products and the AI sector in article text.

Three sources, in order of trust: the lexicon (real, well-known names), the
fallback rules for names it does not know, and pronouns ("the company", "the
lab", "it", "the model") that attribution resolves against the discourse.

Fallback rules, all about the shape of names rather than any list:
- labs: capitalised names ending in AI, Labs, Intelligence, Cloud, Inc. ...
  ("Halcyon AI"), or next to a role noun ("cloud provider Nuage Froid",
  "Qiantang AI, a Hangzhou start-up"); their first word becomes a short name
  ("Halcyon") for the rest of the article; a legal form after a lab word is
  not part of the name ("Stratus Cloud Holdings" is Stratus Cloud), and a name
  that runs on to a place is no lab ("Halden AI Campus") while one that runs
  on to a programme is one name ("National AI Compute Mission");
- models: "its first model, Tide-1,", "its Kestrel-2 model", "released
  Orion-7", "Brume-S was trained", and Name-number forms ("Orion-7");
- products: a lab's name followed by a tier word ("Halcyon Pro").
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import NamedTuple

from monitor.figures.currencies import SIGN_CLASS
from monitor.figures.gates import GatedPattern
from monitor.figures.lexicon import Entity, Lexicon
from monitor.figures.name_search import (
    find_literal,
    literal_then,
    only_opening,
    passives,
    stands_alone,
)
from monitor.figures.sector_groups import sector_groups

_NAME = r"[A-Z][\w.&’'-]*[\w]"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_STOP_WORDS = """The A An Its Their His Her Our This That These Those Chinese American US U.S. UK EU
    European French British German Japanese Korean Indian Western Eastern Global Generative
    Open Frontier New Big Many Most Some Other Several Leading Top Rival Both Every Each No Not
    Artificial General Responsible Sovereign Agentic Physical Enterprise Conversational Edge
    Embodied Business Applied Human Superhuman In On For With At By From Why How What When Where
    Who And But Or If As Said Silicon Valley Today Yesterday Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September October
    November December Is Was Are Were Will Can Could Should Would Do Does Did Has Have Had Nobody
    Analysts Investors Developers Shares Meanwhile However Even Still Also Only Just After Before
    Since While Although Because Under Over Into Across Against Than Like Cheap Cheaper Tiny Small
    Large Larger Largest Smaller Smallest Bigger Biggest Newer Newest Older Inside Worldwide
    Microsoft Google Meta Amazon Apple Nvidia Facebook OpenAI
    Anthropic Here There I We You They It He She Us Company Firm Group Board Equity North South
    America Asia Europe Africa Pacific Raising Scaling Building Training Deploying Using Making
    Bringing Regulating Selling Buying Running Powering Funding Adopting Cutting Boosting Lifting
    Cap Cut Curb Ban Limit Freeze Pause Halt Slow Stop Boost Fund Tax Regulate Rethink Trim Shrink
    Spend Sell Buy Rent Use Local Private Public Combined Domestic Foreign Overall Total
    Currently Recently Separately Additionally Previously Earlier Later Now Already Notably
    Reportedly Initially Finally Elsewhere Together Likewise Similarly Instead Accordingly"""
# (the verbs on the last lines open a demand: "Cap AI capital spending at $30 billion"; the
# adjectives a phrase about many companies: "Local AI start-ups raised NIS 11 billion"; the
# adverbs open a sentence without a comma, as translations do: "Currently Seonghwa AI is")
# Technology nouns that name no company: "cloud GPU prices", "a rival LLM maker".
_TECH_NOUNS = "GPU GPUs CPU CPUs TPU TPUs NPU NPUs API APIs LLM LLMs ASIC ASICs HBM SaaS"
_STOP = frozenset(_STOP_WORDS.split()) | frozenset(_TECH_NOUNS.split())
_ADJECTIVE = re.compile(r"[A-Z][\w]*-[a-z][\w-]*")  # "Beijing-based", "Paris-born"
_NOT_MODEL = frozenset({"Covid-19", "COVID-19", "Wi-Fi", "Jean-Pierre", "Coca-Cola", "K-12"})
# "its Portuguese-first language model", "an Arabic-only model": a compound adjective, no name
_COMPOUND_ADJECTIVE = re.compile(
    r"[\w-]+-(?:first|only|language|speaking|based|native|centric|focused|hosted|made|built)",
    re.IGNORECASE,
)
# Each fallback rule finds a rare literal first (fast in `re`), then reads the
# name backwards from it with an end-anchored pattern over a short window.
_NAME_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_NAME})\s?$")
_SIZE_WORDS = "Mini|mini|Flash|Turbo|Lite|Nano|Small|Medium|Large"
_VARIANT_WORDS = f"{_SIZE_WORDS}|Pro|Ultra|Max"  # sizes and tiers
# A model name with a spaced version, a variant or both: "Quill 2", "Quill 2 Pro", "Orion 1.5
# Lite", "Lumen Ultra".
_VERSIONED_NAME = rf"{_NAME}(?:\s[vV]?\d+(?:\.\d+)?)?(?:\s(?:{_VARIANT_WORDS}))?"
_VARIANT_WORD = re.compile(_VARIANT_WORDS)
# A name with a spaced version after a possessive: "Aurel 4", "Fjord 2.5 Pro", "Helix Pro 2"
# (not "Fjord 2.5.").
_SPACED_VERSION_AFTER = re.compile(
    rf"(?P<name>{_NAME}(?:\s(?:{_VARIANT_WORDS}))?\s\d+(?:\.\d+)?(?:\s(?:{_VARIANT_WORDS}))?)(?![\w-]|\.\d)"
)
# "Quillon's Tessel Pro", "Sorrelind AI's Sorrel Mini": a tier word ends a lab's model's name
_TIERED_NAME_AFTER = re.compile(rf"(?P<name>{_NAME}\s(?:{_VARIANT_WORDS}))(?![\w-])")
_MODEL_NAME_AFTER = re.compile(rf"{_VERSIONED_NAME}(?![\w-])")
_MODEL_NAME_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_VERSIONED_NAME})\s?$")
_NAMES_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_NAME}(?:[ \t]{_NAME}){{0,2}})\s?$")
# ... and names joined by "&": "Halvorsen & Pike Research", "Hokuriku Power & Data"
_TWO_NAMES_BEFORE = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME}(?:[ \t]&)?(?:[ \t]{_NAME})?(?:[ \t]&)?)[ \t]$"
)
_LAB_SUFFIX = re.compile(
    r"(?:AI|Labs?|Laborator(?:y|ies)|Intelligence|Research|Technolog(?:ies|y)|Robotics|Systems|Compute|Computing|Collective|Semiconductors?|Inc\.?"
    r"|Corp\.?"
    r"|Ltd\.?|GmbH|Cloud|Networks|Silicon|Digital|Data(?:\sCent(?:er|re)s|\sFoundry)?"
    r"|Electronics|Telecoms?|Telekom|Micro|Mobile"
    r"|Informatik"
    # the same words in Spanish and Portuguese: "Altavoz Inteligencia", "Vértice Tecnologia"
    r"|Intelig[eê]ncia|Intelligenz|Tecnolog(?:[ií]as?)|Telecomunica(?:ciones|ções)"
    # not "High Bandwidth Memory"; looked back at from after the word, so that every branch
    # starts with a capital and `re` can skip to the candidates
    r"|Memory(?<!Bandwidth\sMemory)(?<!Access\sMemory)(?<!Flash\sMemory)"
    # a parent company: "Kiriyama Holdings", "Jinmyung Group" (not "a working group")
    r"|Holdings|Group(?<!Working\sGroup)(?<!Advisory\sGroup)(?<!Expert\sGroup)"
    r"(?<!Focus\sGroup)(?<!Steering\sGroup)(?<!Task\sGroup)(?<!Study\sGroup))"
    r"(?:\s(?:Services?|Group|Holdings|Partners))?(?![\w])"
)
# the words _ROLE starts with ("start-up" and "startup" both start with "start")
_ROLE_WORDS = _words(
    "start company developer lab provider firm unicorn rival Rival competitor Competitor chipmaker"
    " maker operator fund group cloud carrier subsidiary telco miner integrator"
)
_ROLE = (
    r"(?:start-?up|company|developer|lab|provider|firm|unicorn|[Rr]ival|[Cc]ompetitor|chipmaker"
    r"|maker|operator|fund|group|cloud|carrier|subsidiary|telco|miner|integrator)"
)
_LAB_ROLE_BEFORE = GatedPattern(
    re.compile(rf"{_ROLE}\s(?P<name>{_NAME}(?:\s{_NAME}){{0,2}})(?![\w])"),
    _ROLE_WORDS,
    fold=False,
    anchored=True,
)
_BASED_IN = re.compile(
    rf"(?<![\w-])[A-Z][\w]*-(?:based|headquartered)\s(?P<name>{_NAME}(?:\s{_NAME}){{0,2}})(?![\w])"
)
# "Pellucid (Paris), which publishes open models", "Bramblecloud, which runs 6,000 H100s":
# a name that a bracketed city or what it does as a business follows (found from ", which ")
_WHICH_BUSINESS = re.compile(
    r",\swhich\s(?:also\s)?(?:runs|operates|builds|makes|sells|develops|designs|rents|leases"
    r"|owns|publishes|trains|is\s+(?:privately\s+held|backed\s+by|based\s+in|valued\s+at|listed))\b"
)
_CITY_IN_BRACKETS_BEFORE = re.compile(r"\s\([A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?\)$")
# "our team at Larkspur Health", "we at Orrin Labs", "here at Quarry": who "we" work for
# (found from " at ", which `re` skips to fast, then read backwards)
_AT_NAME = re.compile(rf" at (?P<name>{_NAME}(?:[ \t]{_NAME}){{0,2}})(?![\w])")
_WE_BEFORE_AT = re.compile(r"\b(?:[Oo]ur\s+(?:team|company|group|lab|engineers)|[Ww]e|[Hh]ere)$")
# "co-founder and CEO of Fernhollow", "chief financial officer at Quarry": who leads it is a
# company's (not "President of France": a state has a president too)
LEADER = (
    r"(?:[Ff]ounder|CEO|CFO|CTO|COO|[Cc]hief\s(?:executive|financial|technology|operating)"
    r"(?:\sofficer)?)\s(?:of|at)\s"
)
_LEADER_OF = GatedPattern(
    re.compile(rf"{LEADER}(?P<name>{_NAME}(?:[ \t]{_NAME}){{0,2}})(?![\w])"),
    _words("founder Founder CEO CFO CTO COO chief Chief"),
    fold=False,
    anchored=True,
)
# "Scioto Valley State University", "Ashby Technical University", "the University of
# Castleholm": a university buys and spends as a company does
_UNIVERSITY = re.compile(rf"(?<![\w-])(?P<name>(?:{_NAME}[ \t]){{1,3}}University)(?![\w-])")
_UNIVERSITY_OF = re.compile(rf"University of (?:{_NAME}[ \t]){{0,2}}{_NAME}(?![\w-])")
# not "Corra-2, a 2023 model from the lab Pennick AI": the role is the model's maker's
_APPOSITIVE_ROLE = re.compile(rf",\s(?:a|an|the)\s(?:(?!models?\s)[\w’'\"“”-]+\s){{0,4}}?{_ROLE}\b")
_APPOSITIVE_END = re.compile(r"[,;:)]|\.(?:\s|$)|\s(?:that|which|whose|based)\b")
# "The company she was pitching, Lumenfold, builds ...", "Its closest rival, Quarry AI, has":
# a definite role phrase, then the name set off by commas. Not "the company's founder, Ada
# Lind,": a person who works there.
_ROLE_THEN_NAME = GatedPattern(
    re.compile(
        rf"{_ROLE}(?:\s(?!(?:co-?)?founder|chief|executive|head|president|officer|spokes"
        r"|director|chair|partner|analyst|investor|engineer|researcher|scientist|manager|boss"
        rf"|leader)[a-z]+){{0,5}},\s(?P<name>{_NAME}(?:\s{_NAME}){{0,2}}),\s"
    ),
    _ROLE_WORDS,
    fold=False,
    anchored=True,
)
_DEFINITE_BEFORE_ROLE = re.compile(
    r"\b(?:[Tt]he|[Hh]er|[Hh]is|[Ii]ts|[Tt]heir|[Oo]ur|[Mm]y)\s(?:[a-z-]+\s){0,2}$"
)
# What only a company owns: "Kernwerk's annualised revenue", "Meridian Forge's data centers".
_BUSINESS_OWNED = re.compile(
    r"(?:[a-z-]+\s){0,2}(?:revenue|sales|valuation|funding|capex|capital\s+spending|budget|"
    r"data[- ]?cent(?:er|re)s?|clusters?|fleet|shares|investors|backers|board|chips|GPUs|"
    r"API|customers|balance\s+sheet|last\s+round|latest\s+round|IPO)\b"
)
# "Last spring Lumenfold raised", "In March Quarry secured": a name after a time phrase.
_NAME_AFTER_TIME = re.compile(
    r"\b(?:spring|summer|autumn|fall|winter|week|month|year|quarter|January|February|March|April"
    r"|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday|\d{4}|[Tt]oday|[Yy]esterday)\s"
    rf"(?P<name>{_NAME}(?:[ \t]{_NAME}){{0,2}})\Z"
)


# A name of one to three words opening a clause, a phrase set off by a comma ("A team of
# three, Fenwright raised") or a line, after a list item's bullet or number if it has one
# ("- Fernwick raised"); also right after "and" or "but".
_NAME_AT_PHRASE_START = re.compile(
    rf"(?:^(?:[ \t]*(?:[-•*–]|\d{{1,2}}[.)])[ \t]+)?|[.;:,]\s*|\band\s|\bbut\s)"
    rf"(?P<name>{_NAME}(?:[ \t]{_NAME}){{0,2}})\Z",
    re.MULTILINE,
)
# "the Austrian Agency for Scientific Computing (ASCA)": a body named in full, then by the
# initials the article goes on to use. Found from the bracket; the name is read backwards.
_ACRONYM = re.compile(r"\s\((?P<acronym>[A-Z][A-Z0-9]{1,7})\)")
_FULL_NAME_BEFORE = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME}(?:\s(?:of|for|and|on|de|du|des|für|{_NAME})){{1,7}})$"
)
# A stock ticker in brackets after a company's name: "(HGT)", "(NASDAQ: NVDA)", "(NYSE:ORCL)"
_TICKER = re.compile(
    r"\s\((?P<exchange>(?:NASDAQ|Nasdaq|NYSE|LSE|TSX|HKEX|TSE|KRX|SGX|ASX)\s?:\s?)?"
    r"(?P<ticker>[A-Z]{2,5}(?:\.[A-Z])?)\)"
)
# what a stock does, said right after its ticker: "(HGT) stock fell", "(NVDA) edged up 1.8%"
_STOCK_MOVE_AFTER = re.compile(
    r"[^.;]{0,80}?(?:\b(?:shares?|stock|rose|fell|gained|lost|added|dropped|slid|slipped|jumped"
    r"|climbed|edged|soared|sank|tumbled|rallied|traded|closed)\b|\d%)"
)
_NOT_TICKERS = frozenset(_words("AI US UK EU UN IPO CEO CFO CTO GPU LLM API ARR GDP VC PE"))


def _is_ticker(text: str, bracket: re.Match[str]) -> bool:
    """Whether a bracket after a name holds its stock ticker: an exchange says so, the
    article writes it as a cashtag ("$HGT"), or what the stock did follows."""
    ticker = bracket.group("ticker")
    if bracket.group("exchange"):
        return True
    if ticker in _NOT_TICKERS or ticker in _STOP:
        return False
    return f"${ticker}" in text or _STOCK_MOVE_AFTER.match(text, bracket.end()) is not None


_ABBREVIATED_FORM_BEFORE = re.compile(r"\s(?:Co\.?|Inc\.|Corp\.|Ltd\.)$")
_BODY_WORDS = frozenset(
    _words(
        "Agency Authority Administration Institute Center Centre Council Commission Ministry"
        " Department Office Foundation Fund Bank Corporation Corp Company Organization"
        " Organisation Laboratory University Consortium Association Board Bureau Undertaking"
        " Initiative Programme Program"
    )
)
# A company's own money verbs ("Patchwork raised", "Corvid is in talks to raise"), found from
# the verb; the name is read backwards from the auxiliary or space before it.
_RAISING = GatedPattern(
    re.compile(
        # a headline's present tense too: "Ketterwell raises $72M", "Brackenlight in talks to raise"
        r"\b(?:raise[sd]|clos(?:ed|es)\s+an?\s|secure[sd]|land(?:ed|s)|pick(?:ed|s)\s+up"
        r"|is\s+raising|(?:is\s+)?in\s+talks\s+to\s+raise"
        r"|announced\s+an?\s[^.]{0,40}?(?:round|Series)"
        # "Quillmoss spent $2.05 million", "Corvane spends about $40 million a month"
        r"|spen(?:t|ds)\s+(?:(?:about|around|roughly|nearly|almost|more\s+than|over)\s+)?"
        rf"(?:[A-Z]{{1,3}}\$|{SIGN_CLASS})\s?\d)"
    ),
    ("raise", "closed", "closes", "secure", "land", "pick", "is", "in", "announced", "spen"),
    fold=False,
    word_start=True,
)
# A capitalised word, then "and" or "&", right before a name: the name ends a longer one
_TITLE_GOES_ON = re.compile(r"\b[A-Z][\w’'-]*\s(?:and|&)\s$")
# ... with a bracketed aside between the name and the verb: "Fernwick (inference compilers)".
# ... or a participle aside between commas: "Nimbalo, building something similar, raised";
# ... or the name is itself an aside: "Corvane's closest rival, Stellisk, raised".
# ... or a relative clause: "Orbelle, which builds inference servers, is in talks to raise",
# ... or a past participle: "Sillage, based in Paris, raised".
_AUXILIARY_BEFORE = re.compile(
    r"(?<=[\w.])(?:\s\([^()\n]{1,40}\)|,\s(?:[a-z]+ing|[a-z]+ed|which|who)\b[^,()\n]{0,60},|,)?"
    r"(?:\s(?:has|have|had))?\s$"
)
# "1. Quillmark. The Boston startup ...", "• Mynah: ...": a numbered or bulleted item led by a name.
_ITEM_HEADING = re.compile(
    rf"^[ \t]*(?:\d{{1,2}}[.)]|[-•*])[ \t]+(?P<name>{_NAME}(?:\s{_NAME}){{0,2}})(?:\.|:|\s[–—])\s",
    re.MULTILINE,
)
# "Stratocore. The GPU cloud provider posted ...": a roundup's paragraph that opens with the
# name alone
_PARAGRAPH_HEADING = re.compile(rf"\n[ \t]*(?P<name>{_NAME}(?:[ \t]{_NAME}){{0,2}})\.[ \t]")
_ROLE_IN_LINE = re.compile(rf"\b{_ROLE}\b")
# "NORDLICHT SYSTEMS (Munich)" alone on its line: a factbox's section heading names a company
# when a place in brackets or a company's suffix says so
# (Matched after a line break, which `re` finds fast: the caller puts one before the text.)
_CAPS_HEADING = re.compile(
    r"\n[ \t]*(?:#{1,4}[ \t]+)?(?P<bold>\*\*|__)?"  # "**MARROWFIELD CLOUD**", "## HALVARD"
    r"(?P<name>[A-Z][A-Z&.’'-]+(?:[ \t][A-Z][A-Z&.’'-]*){0,3}?)"
    r"(?:,?[ \t](?:INC|CORP|LTD|LLC|PLC|GMBH|AG|SA)\.?)?"  # "TESSALINE CLOUD, INC."
    r"(?P<place>[ \t]+\([A-Z][\w .,’'-]{1,40}\))?(?(bold)(?:\*\*|__))[ \t]*$",
    re.MULTILINE,
)
# A heading's section of bullets: the next line with words opens with "* ", "- " or "• "
_BULLETS_NEXT = re.compile(r"\n(?:[ \t]*\n)*[ \t]*[*•-][ \t]")
_NEWS_AGENCY = re.compile(r"\((?:Reuters|AP|AFP|Bloomberg|Wire|Xinhua|Staff|Updated)\)")
# "Orrin 3 Mini", "Orrin 3 Flash": a versioned name's tier makes a model family
_TIERS_OF_VERSIONS = (" Mini", " Flash", " Turbo", " Lite", " Nano")
_SPACED_VERSION_BEFORE = re.compile(rf"(?<![\w-])(?P<name>{_NAME}\s\d+(?:\.\d+)?)$")
# "Ferrule AI - Halyard Mini", "Kaimon - Kaimon-R2" alone on a line: a rate card's or a
# list's heading, the lab and then its model
_LAB_DASH_MODEL = re.compile(
    rf"^[ \t]*(?P<lab>{_NAME}(?:[ \t]{_NAME}){{0,2}})[ \t][-–—][ \t]"
    rf"(?P<name>{_NAME}(?:[ \t][A-Z0-9][\w.-]*){{0,3}})(?:[ \t]\([^()\n]{{1,30}}\))?[ \t]*$",
    re.MULTILINE,
)
# "Maravel Build", "Halden Summit": a company's event, not a model
_EVENT_WORDS = frozenset(_words("Build Summit Conference Keynote Forum Expo DevDay Day Week Live"))
# "* Ashgrove Bio won 1.5 million GPU hours ...": a bulleted item whose name does what
# companies do with money or chips
_ITEM_SUBJECT = re.compile(
    rf"^[ \t]*[-•*][ \t]+(?P<name>{_NAME}(?:[ \t]{_NAME}){{0,2}})[ \t]"
    # (not "launched", "priced" or "cut": a model's item does those too)
    r"(?:won|signed|bought|ordered|acquired|disclosed|reported|posted|booked|agreed|spent"
    r"|committed|leased|rented|installed|deployed"
    # a digest's present tense: "- Quaystone pays $1.9bn for three data centers"
    r"|wins|signs|buys|orders|acquires|books|pays|spends|commits|leases|rents|raises|secures"
    r"|closes|lands)\b"
    # "- Sable Inference (Dallas neocloud): closed a $1.2bn facility": a note, then a colon
    rf"|^[ \t]*[-•*][ \t]+(?P<noted>{_NAME}(?:[ \t](?:&[ \t])?{_NAME}){{0,2}})"
    r"[ \t]\([^()\n]{1,60}\):",
    re.MULTILINE,
)
# "Kestrel-3 (Fjordline AI)": found from " (", the model's name read backwards from there.
# "Kiwa-Large (Monmouth AI, hosted in Frankfurt)": a note may follow the maker
_BRACKETED_MAKER = re.compile(rf"\s\((?P<maker>{_NAME}(?:\s{_NAME}){{0,2}})(?:,\s[^()]{{1,40}})?\)")
_NAME_BEFORE_BRACKETS = re.compile(rf"(?<![\w-])(?P<name>(?:{_NAME}\s){{0,2}}{_VERSIONED_NAME})$")
# "its newest model, Tarn 5," and "its newest flagship, Tarn 5,": one pattern each, so that
# `re` can skip to the literal; whose it is stays out of the name ("model, Culverin Labs'
# Corra-Max,", "model, Mistral's Ministral 3B,")
_OWNER = r"(?:[A-Z][\w.&-]*\s){0,2}[A-Z][\w.&-]*(?:[’']s|s[’'])\s"
_MODEL_APPOSITIVES = tuple(
    re.compile(rf"{noun},\s(?:{_OWNER})?(?P<name>{_NAME}(?:\s[A-Z0-9][\w.-]*){{0,2}}),")
    for noun in ("model", "flagship")
)
_MODEL_NOUN = re.compile(r"models?\b")
# "Lumen 4, the company's flagship model, is now ...": a name set off by a model-role appositive
# (not "Sillage AI, the Paris model developer,": a maker of models)
_MODEL_ROLE_APPOSITIVE = re.compile(
    r",\s(?:the|its|their|our|a|an)\s(?:[\w’'-]+\s){0,3}?model\b"
    r"(?!\s+(?:developer|maker|builder|lab|company|start-?up|provider|vendor)s?\b)"
)
_MODEL_ADJECTIVE_BEFORE = re.compile(
    r"\s(?:(?:reasoning|language|base|foundation|open[- ]weight|open[- ]source|AI|flagship|"
    r"frontier|video|"
    r"image|coding)\s)?$"
)
_POSSESSIVE_BEFORE = re.compile(r"(?:\b(?:[Ii]ts|[Tt]heir|new|latest|flagship)|[’']s)\s$")
_MODEL_VERB_WORDS = (
    "released",
    "launched",
    "unveiled",
    "introduced",
    "debuted",
    "trained",
    "shipped",
)
_MODEL_VERB = GatedPattern(
    re.compile(rf"(?:{'|'.join(_MODEL_VERB_WORDS)})\s(?P<name>{_VERSIONED_NAME})(?![\w])"),
    _MODEL_VERB_WORDS,
    fold=False,
    anchored=True,
)
_DASH_NUMBER = re.compile(r"-\d+(?:\.\d+)?[A-Za-z]?(?![\w-])")
_DASH_VARIANT = re.compile(rf"-(?:{_VARIANT_WORDS})(?![\w-])")
_POINT_RELEASE = re.compile(r"\.\d+(?![\w.])")
_CAPITALISED_WORD_BEFORE = re.compile(r"(?<![\w-])[A-Z][a-z]{2,}$")
_LAB_SUFFIX_TEXT = (
    "AI Lab Labs Laboratory Laboratories Intelligence Research Technologies Technology Robotics"
    " Systems Compute Computing Semiconductor Semiconductors Inc Corp Ltd Cloud Networks Silicon"
    " Digital Data Electronics Memory Telecom Telecoms Telekom Micro Mobile Informatik"
    " Inteligencia Inteligência Intelligenz Tecnologia Tecnologias Tecnología Tecnologías"
    " Telecomunicaciones Telecomunicações"
)
_LAB_SUFFIX_WORDS = frozenset(_LAB_SUFFIX_TEXT.split())
# "X AI" is no lab when the name goes on to a place, an event or a document ("Halden AI
# Campus"); when it goes on to a public body or programme, the whole name is one.
_BODY_NOUNS = frozenset(
    _words("Mission Initiative Programme Program Fund Project Institute Council Office Agency")
)
_LONGER_NAME_AFTER = re.compile(
    r"(?:\s[A-Z][\w-]*){0,2}?\s(?P<noun>Mission|Initiative|Programme|Program|Fund|Project"
    r"|Institute|Council|Office|Agency|Campus|Cent(?:er|re)|Park|Hub|Cluster|Supercomputer"
    r"|Factory|Index|Summit|Act|Strategy|Plan|Conference|Expo|Award|Prize)(?![\w-])"
    # "Sablewood AI Infrastructure Fund II": a fund's number is part of its name
    r"(?:(?<=Fund)\s(?:I{2,3}|IV|VI{0,3}|IX|X|[2-9])(?![\w-]))?"
)
_PART_AFTER = re.compile(r"\s(?:accelerators?|chips?|processors?|cards?)\b")
# "into Ulsan AI data center": a place's AI facility, not a company "Ulsan AI" ("Ironvale
# Digital data center" is the company's)
_FACILITY_AFTER = re.compile(
    r"\s(?:data[\s-]cent(?:er|re)s?|campus(?:es)?|cluster|supercomputer|hub|factory|zone"
    r"|park|facility)\b"
)
_CAPS_SUFFIXES = frozenset(w.upper() for w in _LAB_SUFFIX_WORDS)  # "NORDLICHT SYSTEMS"
_LEGAL_FORMS = frozenset(
    _words("Inc Inc. Corp Corp. Ltd Ltd. GmbH AG SA S.A. SE plc PLC LLC NV N.V. Group Holdings")
)
_TRADE_NAME_FORMS = frozenset(("Group", "Holdings"))
_DESCRIPTIVE_SUFFIXES = _LAB_SUFFIX_WORDS - _LEGAL_FORMS
# A model's variant or size: "Quill 3 Mini", "Quill-3-Lite", "Quill-3 72B"
_VARIANT_AFTER = re.compile(rf"[\s-](?:{_VARIANT_WORDS}|\d+(?:\.\d+)?B)(?![\w-])")
# A version after a name, not a year or an amount: "Quill 2" and "Quill 3 Mini" once "Quill 3
# Pro" is a model (the family's other versions); "Halvard 3 Pro" after "Halvard AI" (a lab's
# short name with a version names one of its models), not "Halvard 2025 revenue"
_VERSION_AFTER = re.compile(
    rf"\s(?!(?:19|20)\d\d(?!\.\d))\d+(?:\.\d+)?(?:\s(?:{_VARIANT_WORDS}))?(?![\w-]|\.\d)"
    r"(?!\s?(?:million|billion|trillion|thousand|bn|m\b|%|percent|per\b))"
)
# "Velaire Medium" after "Velaire, the Paris lab": a lab's name with a size names a model (a
# tier, "Velaire Pro", is a plan)
_LAB_SIZE_AFTER = re.compile(rf"\s(?:{_SIZE_WORDS})(?![\w-])")
_SPACED_VERSION = re.compile(r"(?P<base>.+?)\s\d+(?:\.\d+)?(?:\s\w+)?")
# A job after a company's name: "Halcyon CEO Dana Frew", "Halcyon Chief Executive ..."
_PERSON_ROLES = frozenset(
    _words(
        "CEO CFO CTO COO CIO CMO CPO CRO Chief President Chairman Chairwoman Chair Founder"
        " Cofounder Co-founder Executive Director Head Spokesperson Spokesman Spokeswoman Boss"
    )
)
_NAME_WORD_AFTER = re.compile(r"[\s-](?P<word>[A-Z][\w]*)(?![\w-])")
_TIER = re.compile(r"(?:Pro|Plus|Max|Premium|Ultra|Teams?)(?![\w])")
# "Lumen-3" is of the Lumen family, "Kaşif-1" of the Kaşif one (lowercase: any letter but A-Z)
_FAMILY_BASE = re.compile(r"(?P<base>[A-Z][^\W\d_A-Z]+)-\d")
_PRONOUN = re.compile(
    r"[TtIi](?:he\s(?:[\w-]+\s){0,2}?(?:[Cc]ompany|lab|laboratory|start-?up|firm|developer|model)"
    r"|his\s(?:[\w-]+\s){0,2}?(?:company|lab|laboratory|start-?up|firm|developer)|ts?)\b(?!-)"
)
_HARDWARE_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:[\w-]+\s+){0,2}?(?:chips?|GPUs?|accelerators?|hardware|parts|processors?|cards?|"
    r"CUDA|silicon|stack)\b"
)
_PRONOUN_ENTITY = {"lab": Entity("", "lab"), "model": Entity("", "model")}
# "the telecom", "the collective", "the university": a body called by the noun that ends (or
# is in) the name of one named earlier ("Kora Telecom", "Lanternfish Collective"). Each name
# word maps to the noun its descriptions use; the description stands for the latest body named
# with it (see attribution.Discourse.described), and is looked for only where such a body is.
DESCRIBING_NOUNS = {
    "Telecom": "telecom",
    "Telecoms": "telecom",
    "Telekom": "telecom",
    "Collective": "collective",
    "Group": "group",
    "University": "university",
    "Bank": "bank",
    "Centre": "centre",
    "Center": "centre",
    "Mission": "mission",
    "Consortium": "consortium",
    "Programme": "programme",
    "Program": "programme",
    "Institute": "institute",
    "Foundation": "foundation",
    "Agency": "agency",
    "Cooperative": "cooperative",
    "Fund": "fund",
}
DESCRIPTIONS = frozenset(DESCRIBING_NOUNS.values())  # the pronoun names of such descriptions
_DESCRIPTION_SPELLINGS = {"centre": "cent(?:re|er)", "programme": "program(?:me)?"}
# "We paid about $2.70 an hour", "our next model", "your 2026 capex": in an interview, a
# transcript or a filing, the organisation that speaks (see attribution.Discourse.home_lab).
# Each branch starts with a letter, so `re` skips to those letters; "not after a word character,
# an apostrophe or a dash" is tested on the matches (a rejected match is inside a word, where no
# other can start).
_FIRST_PERSON = re.compile(r"(?:we|We|our|Our|your|Your|us)(?![\w’'-])")
FIRST_PERSON = Entity("we", "lab")
# "The former took in $1.25 billion": the first (or, for "the latter", the second) of the last two
# labs named; only before a verb, so "the former chief executive" is no pronoun.
_FORMER_LATTER = re.compile(
    r"(?<![\w-])[Tt]he\s(?P<which>former|latter)(?=,|\s(?:[a-z]+ed|has|had|is|was|will|would|"
    r"could|also|now|still|already|owns|runs|uses|spends|spent|pays|paid|charges|says|said|took|"
    r"takes|bought|buys|sells|sold|makes|made|plans|expects|gets|got|puts|put|won)\b)"
)
# A government is a subject only where a clause opens ("Germany is prepared to commit",
# ", while France has pledged") and a finite verb follows it.
_CLAUSE_OPENING = re.compile(
    r"(?:^|[.;:!?]\s+|\n\s*|,\s+|\b(?:and|while|but|whereas|as)\s+)(?:[Tt]he\s+)?$"
)
_FINITE_VERB_AFTER = re.compile(
    r"\s+(?:is|are|was|were|has|have|had|will|would|could|can|may|plans?|planned|pledge[sd]?|"
    r"commit(?:s|ted)?|spen[dt]s?|invest(?:s|ed)?|earmark(?:s|ed)|allocate[sd]?|approve[sd]?|"
    r"announce[sd]?|unveil(?:s|ed)|set|sets|put|puts|launch(?:es|ed)|contribute[sd]?|intends|"
    r"aims|wants|expects|budgeted|signed|agreed|offered|awarded|provided)\b"
)
# "the industry spent ...": in an article about AI, the AI industry (a weak, pronoun-like mention)
_SECTOR_PRONOUNS = (
    "the industry",
    "The industry",
    "the sector",
    "The sector",
    "worldwide",  # "worldwide capital spending on AI data centers"
    "Worldwide",
    "global spending",
    "Global spending",
)
_AI_CONTEXT = re.compile(r"\bAI\b|\bmodels?\b|\bLLMs?\b|\bGPUs?\b|\btokens?\b|\btrain(?:ed|ing)\b")


class Mention(NamedTuple):
    start: int
    end: int
    entity: Entity  # pronouns: Entity("", "lab" | "model"), Entity("former" | "latter", "lab"),
    # or the sector
    pronoun: bool = False
    family: bool = False  # "its Llama 3 models": a family, not one model
    fallback: bool = False  # found by shape, not in the lexicon


def _never_a_model(name: str) -> bool:
    return (
        name in _NOT_MODEL
        or name in _LAB_SUFFIX_WORDS  # "AI" cut from "Sillage AI" names no model
        or name.split()[0] in _STOP
        or _COMPOUND_ADJECTIVE.fullmatch(name) is not None
    )


def _looks_like_model_name(name: str) -> bool:
    if _never_a_model(name):
        return False
    return any(c.isdigit() for c in name) or "-" in name or any(c.isupper() for c in name[1:])


def _without_legal_form(name: str, text: str) -> str:
    """The name without a trailing legal form when what is left still ends in a lab word or
    is used alone too: "Borealis Compute Inc." is Borealis Compute, "Firnlab AG" Firnlab.
    "Group" and "Holdings" are part of a trade name unless the article also uses it without
    them and it ends in a lab word: "Stratus Cloud Holdings" is Stratus Cloud where "Stratus
    Cloud raises" follows, "Astervale Cloud Group" stays whole, and "Kanemori Holdings"
    keeps its only distinguishing word."""
    rest, _, last = name.rpartition(" ")
    if last not in _LEGAL_FORMS or not rest:
        return name
    descriptive = rest.rpartition(" ")[2] in _DESCRIPTIVE_SUFFIXES
    if last in _TRADE_NAME_FORMS:
        return rest if descriptive and _used_without(text, rest, " " + last) else name
    # "Firnlab AG" is Firnlab where the article also writes "Firnlab" alone
    return rest if descriptive or _used_without(text, rest, " " + last) else name


def _used_without(text: str, name: str, tail: str) -> bool:
    """Whether `name` occurs as a word not followed by `tail`."""
    spans = find_literal(text, name, len(text))
    return any(not text.startswith(tail, end) for _, end in spans)


def _clean_lab_name(name: str, text: str, strict: bool) -> str | None:
    """The name without leading stop words and adjectives ("Beijing-based"), or None.

    `strict` rejects a name that starts with a stop word instead of trimming it.
    A two-word name whose second word also stands alone in the text ("Inside
    Halcyon AI" in a headline, "Halcyon AI" elsewhere) keeps the shorter form.
    """
    words = name.split()
    owners = [i for i, w in enumerate(words) if w.endswith(("’s", "'s"))]
    if owners and (strict or owners[-1] == len(words) - 1):
        return None
    words = words[owners[-1] + 1 :] if owners else words  # "Haifa's Tamar Silicon"
    if strict and words and words[0] in _STOP:
        return None
    while words and (words[0] in _STOP or _ADJECTIVE.fullmatch(words[0])):
        words = words[1:]
    if (
        len(words) == 2
        and words[1] not in _LEGAL_FORMS
        and stands_alone(text, *words)
        and only_opening(text, name)
    ):
        words = words[1:]
    return " ".join(words) if words else None


@functools.cache
def _lab_short_names_blocked(lexicon: Lexicon) -> frozenset[str]:
    return frozenset(lexicon.aliases)


def _before(
    pattern: re.Pattern[str], text: str, pos: int, spaces: int, window: int = 60
) -> re.Match[str] | None:
    """`pattern` (anchored with $) matched against the text just before `pos`.

    A match of `pattern` holds at most `spaces` whitespace characters, so it starts after
    the space `spaces + 1` back from `pos`: the search starts there, not at every position
    of the window.
    """
    left = max(0, pos - window)
    cut = pos
    for _ in range(spaces + 1):
        cut = text.rfind(" ", left, cut)
        if cut < 0:
            break
    else:
        left = cut + 1
    return pattern.search(text, left, pos)


def _clause_subject(text: str, start: int, end: int) -> bool:
    """Whether the name at start..end opens a clause and a finite verb follows it."""
    return (
        _CLAUSE_OPENING.search(text, max(0, start - 12), start) is not None
        and _FINITE_VERB_AFTER.match(text, end) is not None
    )


def _word_start(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "-_")


# "Ms Quenby", "Dr. Prewitt": a person's surname, wherever else the name comes up. The
# pattern opens with a set of letters (which `re` skips to fast); `_surnames` checks the title.
_HONORIFICS = frozenset(_words("Mr Ms Mrs Dr Prof Sir Dame"))
_HONORIFIC_NAME = re.compile(r"(?P<title>[MDPS](?:rs?|s|rof|ir|ame))\.?\s(?P<name>[A-Z][\w’'-]+)")


def _surnames(text: str) -> frozenset[str]:
    return frozenset(
        m.group("name")
        for m in _HONORIFIC_NAME.finditer(text)
        if m.group("title") in _HONORIFICS and _word_start(text, m.start())
    )


# Two names joined by "and"/"or" ("Nimbrel and Arcwell Systems"): each one word, or two;
# found from the joining word, the first name read backwards from it
_JOINED_BEFORE = re.compile(rf"(?<![\w’'-])(?P<name>{_NAME}(?:[ \t]{_NAME})?)$")
_JOINED_AFTER = re.compile(rf"(?P<name>{_NAME}(?:[ \t]{_NAME})?)(?![\w’'-])")
_COORDINATED_MIN_USES = 2


def _joined_names(text: str) -> list[tuple[str, str]]:
    """The names on either side of each " and " or " or " between two names."""
    pairs = []
    for word in (" and ", " or "):
        for pos in _starts(text, word):
            after = pos + len(word)
            if not (text[after : after + 1].isupper() and text[pos - 1 : pos].isalnum()):
                continue  # the cheap test first: a capital after, a word before
            other = _JOINED_AFTER.match(text, after)
            one = _before(_JOINED_BEFORE, text, pos, 1)
            if other is not None and one is not None:
                pairs.append((one.group("name"), other.group("name")))
    return pairs


def _fallback_names(text: str, lexicon: Lexicon) -> dict[str, Entity]:
    """Names the lexicon does not know, found by their shape, with their entities."""
    names: dict[str, Entity] = {}
    # "Marisol Quenby and Dev Arkwright closed a $12 million seed round": where the article
    # later writes "Mr Arkwright", the name is a person's, however it is used
    surnames = _surnames(text)
    known = _lab_short_names_blocked(lexicon)
    lab_shorts: dict[str, str] = {}
    tried: set[tuple[str, str | None]] = set()

    def add_lab(raw: str, suffix: str | None) -> None:
        if (raw, suffix) in tried:
            return  # the same name again: adding it twice changes nothing
        tried.add((raw, suffix))
        if suffix is None and _DASH_NUMBER.search(raw):
            return  # "Sorae-2's API price", "Basalt-5 lands": a model's name, for the model rules
        name = _clean_lab_name(raw, text, strict=suffix is None)
        if not name or name in known or (suffix is None and _LAB_SUFFIX.fullmatch(name)):
            return  # known already, or a bare suffix ("Mistral AI" cut to "AI")
        if suffix is None and name.rpartition(" ")[2] in surnames:
            return  # a person
        full = f"{name} {suffix}" if suffix else name
        if full in known:
            return
        plain = _without_legal_form(full, text)  # "Stratus Cloud Holdings" is Stratus Cloud
        if plain not in names:
            # "Lakeshore's own budget" after "Lakeshore State University": the longer name,
            # shortened, when it is the only one that starts so
            longer = [n for n, e in names.items() if e.kind == "lab" and n.startswith(plain + " ")]
            if len(longer) == 1:
                names[plain] = names[longer[0]]
                return
        entity = names.setdefault(plain, Entity(plain, "lab"))
        names.setdefault(full, entity)
        # The name without its suffix ("Halcyon", "Jade Peak") names the lab for the rest of
        # the article; so does the first word of a two-word name ("Nordlys Cloud" -> "Nordlys").
        short = name if suffix else (name.split()[0] if " " in name else None)
        if short and short not in known and short not in _STOP and short not in names:
            names[short] = names[full]
            lab_shorts[short] = names[full].name

    if "\n" in text:
        _add_caps_headings(text, lexicon, names, known, lab_shorts)
    for m in _LAB_SUFFIX.finditer(text):
        if _word_start(text, m.start()):
            before = _before(_TWO_NAMES_BEFORE, text, m.start(), 4)
            if before is None:
                continue
            longer = _LONGER_NAME_AFTER.match(text, m.end())
            if _PART_AFTER.match(text, m.end()):
                continue  # "the H7 AI accelerator": a chip, not a company
            if m.group() == "AI" and _FACILITY_AFTER.match(text, m.end()):
                continue
            if longer is None:
                add_lab(before.group("name"), m.group())
            elif longer.group("noun") in _BODY_NOUNS:  # "the National AI Compute Mission"
                body = text[before.start("name") : longer.end()]
                if body.split()[0] not in _STOP and body not in known:
                    names.setdefault(body, Entity(body, "lab"))
            # else a place, an event or a document: "Halden AI Campus", "Stanford AI Index"
    for m in _LAB_ROLE_BEFORE.finditer(text, 0, len(text)):
        if _word_start(text, m.start()) and not any(m.group("name").startswith(n) for n in names):
            add_lab(m.group("name"), None)
    for m in _APPOSITIVE_ROLE.finditer(text):
        # "Meridian Thread, a San Francisco lab"; "to acquire Parallax Inference, a start-up"
        # too, where the name is no phrase's start: "a start-up" says what it is, while
        # "Anouk Ferreira, the developer's CFO" says who works there, and "Quorvex One, the
        # company's assistant app" what it owns: a role noun that owns something names nothing
        if text[m.end() : m.end() + 1] in ("’", "'"):
            continue
        before = _NAME_AT_PHRASE_START.search(text, max(0, m.start() - 60), m.start())
        indefinite = text.startswith((", a ", ", an "), m.start())
        # "to Parallax, the San Francisco AI lab, ...": a definite one says what the name is
        # when words come before its role noun and the aside ends there ("In Paris, the
        # company said" is no name's aside)
        defining = indefinite or (
            text.count(" ", m.start() + 6, m.end()) >= 2
            and _APPOSITIVE_END.match(text, m.end()) is not None
        )
        if before is None and defining:
            before = _before(_NAMES_BEFORE, text, m.start(), 2)
            if before is not None and (
                any(c.isdigit() for c in before.group("name"))
                or any(before.group("name").endswith(n) for n in names)
            ):
                before = None  # a model ("To train Quill-2, the"), or "Take Orrery AI, a"
        if before is not None and not any(before.group("name").startswith(n) for n in names):
            add_lab(before.group("name"), None)
    for m in _AT_NAME.finditer(text):
        we = _WE_BEFORE_AT.search(text, max(0, m.start() - 20), m.start())
        if we is not None and not any(m.group("name").startswith(n) for n in names):
            add_lab(m.group("name"), None)
    for m in _LEADER_OF.finditer(text, 0, len(text)):
        if not any(m.group("name").startswith(n) for n in names):
            add_lab(m.group("name"), None)
    for pos in _starts(text, "University"):
        university = _UNIVERSITY.search(text, max(0, pos - 60), pos + 10)
        if university is not None and university.group("name") not in names:
            name = _clean_lab_name(university.group("name"), text, strict=False)
            if name is not None and name != "University" and name not in known:
                names.setdefault(name, Entity(name, "lab"))
        of = _UNIVERSITY_OF.match(text, pos)
        if of is not None and of.group() not in known:
            names.setdefault(of.group(), Entity(of.group(), "lab"))
    for m in _BASED_IN.finditer(text):
        # "Paris-based Vaudrel", "Toronto-headquartered Quoin": whatever is based somewhere
        if not any(m.group("name").startswith(n) for n in names):
            add_lab(m.group("name"), None)
    for pos in _starts(text, ", which "):
        if _WHICH_BUSINESS.match(text, pos) is None:
            continue
        city = _CITY_IN_BRACKETS_BEFORE.search(text, max(0, pos - 30), pos)
        end = city.start() if city is not None else pos
        holder = _before(_NAMES_BEFORE, text, end, 2)
        if holder is not None and not any(holder.group("name").startswith(n) for n in names):
            add_lab(holder.group("name"), None)
    for m in _RAISING.finditer(text, 0, len(text)):
        # "Patchwork raised a $7M seed", "Corvid is in talks to raise": who raises is a company
        aux = _AUXILIARY_BEFORE.search(text, max(0, m.start() - 70), m.start())
        if aux is None:
            continue
        left, right = max(0, aux.start() - 40), aux.start()
        before = _NAME_AT_PHRASE_START.search(text, left, right)
        before = before or _NAME_AFTER_TIME.search(text, left, right)
        if before is None:
            continue
        if _TITLE_GOES_ON.search(text, max(0, before.start("name") - 30), before.start("name")):
            continue  # "the Department for Science and Industry had spent": a longer name's end
        if not any(before.group("name").startswith(n) for n in names):
            add_lab(before.group("name"), None)
    for m in _ROLE_THEN_NAME.finditer(text, 0, len(text)):
        definite = _DEFINITE_BEFORE_ROLE.search(text, max(0, m.start() - 30), m.start())
        if definite is not None and not any(m.group("name").startswith(n) for n in names):
            add_lab(m.group("name"), None)
    for m in _ITEM_SUBJECT.finditer(text):
        item = m.group("name") or m.group("noted")
        if item.endswith("ed") and " " not in item:
            continue  # "* Placed orders for 30,000 ...": a verb, the subject left to the heading
        if not any(item.startswith(n) for n in names):
            add_lab(item, None)
    # "3. Moravec Systems. This one is bigger. ... the startup": a roundup item's heading, or
    # a paragraph that opens with the name alone ("Stratocore. The GPU cloud provider ...");
    # not "* Revenue: annualised revenue of ...", a field's label the text also writes in
    # lower case
    for m in (*_PARAGRAPH_HEADING.finditer(text), *_ITEM_HEADING.finditer(text)):
        line_end = text.find("\n", m.end())
        if _ROLE_IN_LINE.search(
            text, m.end(), len(text) if line_end < 0 else line_end
        ) and not _in_lower_case(text, m.group("name")):
            add_lab(m.group("name"), None)
    for one, other in _joined_names(text):
        # "buy ratings on Nimbrel and Arcwell Systems": a name joined to a company's is one
        # too, when the article names it again elsewhere
        for name, partner in ((one, other), (other, one)):
            known_partner = names.get(partner) or _lab_entities(lexicon).get(partner)
            if (
                name not in names
                and name not in known
                and name not in _STOP
                and known_partner is not None
                and known_partner.kind == "lab"
                and text.count(name) >= _COORDINATED_MIN_USES
            ):
                add_lab(name, None)
    possessives = sorted(_starts(text, "’s ") + _starts(text, "'s "))
    for pos in possessives:
        # "Kernwerk's annualised revenue", "Meridian Forge's data centers": what owns these
        # is a company
        if _BUSINESS_OWNED.match(text, pos + 3):
            holder = _before(_NAMES_BEFORE, text, pos, 2)
            if holder is not None and not any(holder.group("name").endswith(n) for n in names):
                add_lab(holder.group("name"), None)
    brackets = _starts(text, " (")  # " (" opens initials here and a model's maker below
    for pos in brackets:
        bracket = _ACRONYM.match(text, pos)
        if bracket is not None:
            _add_body_by_initials(text, pos, bracket.group("acronym"), names, known)
        ticker = _TICKER.match(text, pos)
        if ticker is None or ticker.group("ticker") in names or not _is_ticker(text, ticker):
            continue
        # "Harrowgate (HGT) stock fell", "Nvidia (NASDAQ: NVDA)": a listed company, which
        # the article may go on to call by its ticker ("$HGT now guides ...")
        listed = _before(_NAMES_BEFORE, text, pos, 2)
        if listed is None:
            continue
        name = listed.group("name")
        owner = names.get(name) or _lab_entities(lexicon).get(name)
        if owner is None and name not in known:
            add_lab(name, None)
            owner = names.get(name)
        if owner is not None and owner.kind == "lab":
            names.setdefault(ticker.group("ticker"), owner)
    if not _AI_CONTEXT.search(text):
        return names

    def add_model(
        name: str, family: bool = False, plain_ok: bool = False, maker: str | None = None
    ) -> None:
        """`plain_ok`: the context says model ("its Zephyr model"), so any name shape will do."""
        if name in known or name in names or family or _never_a_model(name):
            return
        if not plain_ok and not _looks_like_model_name(name):
            return
        if _names_a_machine(text, name):
            return
        maker = maker or next(
            (full for short, full in lab_shorts.items() if name.startswith(short)), None
        )
        names[name] = Entity(name, "model", maker)
        # "Quill 2 Pro" is a variant of "Quill 2": its siblings ("Quill 2 Lite") follow from it.
        base, _, last = name.rpartition(" ")
        if _VARIANT_WORD.fullmatch(last) and any(c.isdigit() for c in base):
            names.setdefault(base, Entity(base, "model", maker))

    for appositive in _MODEL_APPOSITIVES:
        for m in appositive.finditer(text):
            add_model(m.group("name"))
    for pos in brackets:
        # "Kestrel-3 (Fjordline AI)", "Vela Large (Aurore Labs)": a model and, in brackets, its lab
        bracket = _BRACKETED_MAKER.match(text, pos)
        before_bracket = _before(_NAME_BEFORE_BRACKETS, text, pos, 4) if bracket else None
        if bracket is not None and before_bracket is not None:
            maker = bracket.group("maker")
            owner = names.get(maker) or _lab_entities(lexicon).get(maker)
            if owner is not None and owner.kind == "lab":
                last_word = before_bracket.group("name").rpartition(" ")[2]
                named_variant = _VARIANT_WORD.fullmatch(last_word) is not None
                add_model(before_bracket.group("name"), plain_ok=named_variant, maker=owner.name)
    for pos in possessives:
        # "Halcyon Compute's Aurel 4", "Norrvik AI's Fjord 2.5": a lab's versioned name is a model
        version = _SPACED_VERSION_AFTER.match(text, pos + 3) or _TIERED_NAME_AFTER.match(
            text, pos + 3
        )
        maker_lab = _lab_before(text, pos, names, lexicon) if version is not None else None
        if version is not None and maker_lab is not None:
            add_model(version.group("name"), plain_ok=True, maker=maker_lab.name)
    for m in _MODEL_NOUN.finditer(text):
        adjective = _MODEL_ADJECTIVE_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if adjective is not None and _word_start(text, m.start()):
            before = _before(_MODEL_NAME_BEFORE, text, adjective.start(), 3)
            if before is not None:
                owned = _POSSESSIVE_BEFORE.search(text, max(0, before.start() - 20), before.start())
                add_model(
                    before.group("name"), family=m.group() == "models", plain_ok=owned is not None
                )
    for m in _LAB_DASH_MODEL.finditer(text) if " - " in text or " – " in text else ():
        lab, model = m.group("lab"), m.group("name")
        owner = names.get(lab) or _lab_entities(lexicon).get(lab)
        if owner is None and model.startswith(lab) and lab not in _STOP:
            add_lab(lab, None)  # "Aubrac - Aubrac Medium": the model is named after its lab
            owner = names.get(lab)
        if owner is not None and owner.kind == "lab":
            add_model(model, plain_ok=True, maker=owner.name)
    tiers = sorted((pos, tier) for tier in _TIERS_OF_VERSIONS for pos in _starts(text, tier))
    for pos, tier in tiers:
        end = pos + len(tier)
        if pos == 0 or not text[pos - 1].isdigit():
            continue  # not after a version: "Gemini Flash", "a Mini"
        if end < len(text) and (text[end].isalnum() or text[end] in "-_"):
            continue  # a longer word: "3 Minis", "3 Lite-X"
        before = _SPACED_VERSION_BEFORE.search(text, max(0, pos - 40), pos)
        if before is not None:
            add_model(before.group("name") + tier, plain_ok=True)
    for m in _MODEL_ROLE_APPOSITIVE.finditer(text):
        before = _before(_MODEL_NAME_BEFORE, text, m.start(), 3)
        if before is not None:
            add_model(before.group("name"))
    for m in _MODEL_VERB.finditer(text, 0, len(text)):
        add_model(m.group("name"))
    for m in passives(text):
        before = _before(_MODEL_NAME_BEFORE, text, m.start(), 3)
        if before is not None:
            add_model(before.group("name"), plain_ok=m.group().endswith("trained"))
    for m in _DASH_NUMBER.finditer(text):
        before = _CAPITALISED_WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if before is not None:
            add_model(before.group() + m.group())
    for m in _DASH_VARIANT.finditer(text):
        # "Corvex-Large", "Sundrel-Max": a name and a tier, joined, is a model's name
        before = _CAPITALISED_WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if before is not None:
            add_model(before.group() + m.group())
    pos = text.find(".")
    while pos > 0:
        # "DeepSeek-V3.2": a point release of a model the lexicon knows is a model of its maker.
        release = _POINT_RELEASE.match(text, pos) if text[pos - 1].isdigit() else None
        if release is not None:
            extended = _before(_MODEL_NAME_BEFORE, text, pos, 3)
            if extended is not None:
                maker = _makers_by_product(lexicon).get(extended.group("name"))
                if maker is not None:
                    add_model(extended.group("name") + release.group(), plain_ok=True, maker=maker)
        pos = text.find(".", pos + 1)
    for pos in possessives:
        # "Tessellate's Tess-Mini 2": whose model it is names a company
        shaped = _MODEL_NAME_AFTER.match(text, pos + 3)
        if shaped is None:
            continue
        entity = names.get(shaped.group()) or names.get(shaped.group().split()[0])
        whose = _before(_NAME_BEFORE, text, pos, 0) if entity and entity.kind == "model" else None
        if whose is not None and whose.group("name") not in names:
            add_lab(whose.group("name"), None)
    for short, lab in lab_shorts.items():
        for start, m in literal_then(text, short, _NAME_WORD_AFTER):
            word = m.group("word")
            full = text[start : m.end()]
            if word in _STOP or word in _LAB_SUFFIX_WORDS or full in names or full in known:
                continue
            if word in _PERSON_ROLES:
                continue  # "Halcyon CEO Dana Frew": who works there, not a model
            if word != "Plus" and word.endswith(("s", "ed", "ing")):
                continue  # a headline verb: "Halcyon Cuts Prices"
            if word in _EVENT_WORDS:
                continue  # "Maravel Build": the company's conference
            # "Maravel Pro" is a plan; "Yunque-Max" is a model
            hyphened = text[start + len(short)] == "-"
            kind = "product" if _TIER.fullmatch(word) and not hyphened else "model"
            names[full] = Entity(full, kind, lab)
        for start, m in literal_then(text, short, _VERSION_AFTER):
            full = text[start : m.end()]
            if full not in known:
                names.setdefault(full, Entity(full, "model", lab))
    # each one-word lab once (an entity is listed under each of its names)
    one_word_labs = dict.fromkeys(
        e.name for e in names.values() if e.kind == "lab" and " " not in e.name
    )
    for lab_name in one_word_labs:
        for start, m in literal_then(text, lab_name, _LAB_SIZE_AFTER):
            full = text[start : m.end()]
            if full not in known:
                names.setdefault(full, Entity(full, "model", lab_name))
    families: dict[str, str | None] = {}
    for model in [e for e in names.values() if e.kind == "model"]:
        for start, m in literal_then(text, model.name, _VARIANT_AFTER):
            variant = text[start : m.end()]
            names.setdefault(variant, Entity(variant, "model", model.maker))
        spaced = _SPACED_VERSION.fullmatch(model.name)
        if spaced is not None:
            families.setdefault(spaced.group("base"), model.maker)
    for base, maker in families.items():
        for start, m in literal_then(text, base, _VERSION_AFTER):
            sibling = text[start : m.end()]
            names.setdefault(sibling, Entity(sibling, "model", maker))
    # "Lumen Plus" beside "Lumen-3": a plan named after a model family
    family_makers = {
        dashed.group("base"): e.maker
        for e in names.values()
        if e.kind == "model" and (dashed := _FAMILY_BASE.match(e.name)) is not None
    }
    for m in _TIER.finditer(text):
        before = _before(_NAME_BEFORE, text, m.start(), 1)
        if before is None or not _word_start(text, m.start()):
            continue
        base = before.group("name")
        owner = names.get(base)
        if owner is None and base in family_makers and base not in known:
            owner = Entity(base, "model", family_makers[base])
        product = f"{base} {m.group()}"
        if product in names and names[product].kind == "model" and any(c.isdigit() for c in base):
            continue  # "Quill-3 Pro", "Orion 2 Max": a versioned model's variant, not a plan
        if owner is not None and product not in known:
            maker = owner.maker if owner.kind == "model" else owner.name
            names[product] = Entity(product, "product", maker)
    return names


# "Pennine-2, a cluster of 1,152 Nvidia H100 GPUs", "an older machine, Pennine-1,": the name of
# a computer, whose figures are its owner's, not a model's
# (the noun ends its phrase: not "a machine translation model", "a computer vision start-up")
_MACHINE = r"(?:cluster|supercomputer|machine|computer)"
_MACHINE_AFTER = re.compile(
    rf",\s(?:a|an|the|its|their|our)\s(?:[\w-]+\s){{0,3}}?{_MACHINE}"
    r"(?=\s+(?:of|with|that|which|built|housed|in|at|on)\b|[,.;:)])"
)
_MACHINE_BEFORE = re.compile(rf"\b{_MACHINE}(?:,|\s(?:called|named|dubbed|known\sas))\s$")


def _names_a_machine(text: str, name: str) -> bool:
    for start, end in find_literal(text, name, len(text)):
        if _MACHINE_AFTER.match(text, end) or _MACHINE_BEFORE.search(
            text, max(0, start - 30), start
        ):
            return True
    return False


def _in_lower_case(text: str, name: str) -> bool:
    """Whether the text also writes `name` in lower case, as a common noun ("revenue")."""
    lower = name.lower()
    return lower != name and re.search(rf"(?<![\w-]){re.escape(lower)}(?![\w-])", text) is not None


def _title_case(word: str) -> str:
    return word if word in ("AI", "&") else word[0] + word[1:].lower()


def _add_caps_headings(
    text: str,
    lexicon: Lexicon,
    names: dict[str, Entity],
    known: frozenset[str],
    lab_shorts: dict[str, str],
) -> None:
    """Companies named by section headings in capitals ("NORDLICHT SYSTEMS (Munich)"), under
    their names in title case; a known lab's heading ("ANTHROPIC (San Francisco)") is that
    lab."""
    for m in _CAPS_HEADING.finditer("\n" + text):
        words = m.group("name").split()
        place = m.group("place")
        if (
            place is None
            and words[-1] not in _CAPS_SUFFIXES
            # "**HALVARD GROWTH FUND**" over its bullets, as a factbox lists companies (not
            # "PRICING", nor "KEY DEALS": a topic's heading, words the text writes small too)
            and (
                len(words) < 2
                or _BULLETS_NEXT.match(text, m.end() - 1) is None
                or all(_in_lower_case(text, w.title()) for w in words)
            )
        ):
            continue
        if place is not None and _NEWS_AGENCY.search(place):
            continue  # a dateline: "BEIJING (Reuters)"
        title = " ".join(_title_case(w) for w in words)
        known_lab = _labs_by_lower(lexicon).get(title.lower())
        if title in names or (known_lab is None and words[0].title() in _STOP):
            continue
        entity = known_lab or Entity(title, "lab")
        names[m.group("name")] = entity
        if entity.name != title or title in known:
            continue
        names[title] = entity
        short = title.split()[0]
        if len(words) > 1 and short not in known and short not in _STOP and short not in names:
            names[short] = entity
            lab_shorts[short] = title


def _lab_before(text: str, pos: int, names: dict[str, Entity], lexicon: Lexicon) -> Entity | None:
    """The lab whose name ends at `pos` ("Halcyon Compute", "But Halcyon Compute"), if any."""
    found = _before(_NAMES_BEFORE, text, pos, 2)
    if found is None:
        return None
    words = found.group("name").split()
    for i in range(len(words)):
        name = " ".join(words[i:])
        entity = names.get(name) or _lab_entities(lexicon).get(name)
        if entity is not None:
            return entity if entity.kind == "lab" else None
    return None


def _starts(text: str, literal: str) -> list[int]:
    """Where `literal` starts in `text`, left to right (matches may not overlap)."""
    found = []
    pos = text.find(literal)
    while pos >= 0:
        found.append(pos)
        pos = text.find(literal, pos + len(literal))
    return found


def _add_body_by_initials(
    text: str, pos: int, acronym: str, names: dict[str, Entity], known: frozenset[str]
) -> None:
    """Learn "the Austrian Agency for Scientific Computing (ASCA)" as that body, by its full
    name, with ASCA as another name for it, when the bracket holds the name's own capitals (in
    any order) and the name says it is a body."""
    if acronym in known or acronym in _STOP:
        return
    # "Kaohan Semiconductor Manufacturing Co. (KSMC)": a company, learned without its "Co."
    form = _ABBREVIATED_FORM_BEFORE.search(text, max(0, pos - 8), pos)
    end = form.start() if form is not None else pos
    before = _FULL_NAME_BEFORE.search(text, max(0, end - 90), end)
    if before is None:
        return
    name = _clean_lab_name(before.group("name"), text, strict=False)
    if name is None or name in known:
        return
    if form is None and not _BODY_WORDS.intersection(name.split()):
        return
    capitals = [c for c in name + (form.group() if form else "") if c.isupper()]
    if name[0] != acronym[0] or any(acronym.count(c) > capitals.count(c) for c in set(acronym)):
        return
    entity = names.setdefault(name, Entity(name, "lab"))
    for other, known_as in list(names.items()) if form is not None else ():
        # a company's initials taken for a name of their own ("(KSMC) will raise"), or its
        # name cut at a lab word ("Kaohan Semiconductor"): the same company (a body keeps the
        # initials as its own name, the name the article goes on to use)
        if known_as.kind == "lab" and (
            known_as.name == acronym or name.startswith(known_as.name + " ")
        ):
            names[other] = entity
    names.setdefault(acronym, entity)


@functools.cache
def _family_pattern(lexicon: Lexicon) -> GatedPattern:
    return GatedPattern(
        lexicon.family_pattern, tuple(lexicon.family_makers), fold=False, anchored=True
    )


@functools.cache
def _lab_entities(lexicon: Lexicon) -> dict[str, Entity]:
    return {
        alias.entity.name: alias.entity
        for entries in lexicon.aliases.values()
        for alias in entries
        if alias.entity.kind == "lab"
    }


# "the ChatGPT maker", "the Claude developer": a lab named by what it makes.
_MAKER_NOUNS = (" maker", " developer", " creator", "-maker")
_PRODUCT_BEFORE = re.compile(
    r"(?<![\w-])(?:[Tt]he\s+)?(?P<name>[A-Z][\w.&-]*(?:\s[\w.&-]+){0,2}?)$"
)


@functools.cache
def _labs_by_lower(lexicon: Lexicon) -> dict[str, Entity]:
    return {name.lower(): entity for name, entity in _lab_entities(lexicon).items()}


@functools.cache
def _makers_by_product(lexicon: Lexicon) -> dict[str, str]:
    """Model and product names, and their first words, with their makers (when only one)."""
    makers: dict[str, set[str]] = {}
    for surface, entries in lexicon.aliases.items():
        for alias in entries:
            entity = alias.entity
            if entity.kind not in ("model", "product") or entity.maker is None:
                continue
            for name in {surface, surface.split()[0]}:
                makers.setdefault(name, set()).add(entity.maker)
    return {name: next(iter(found)) for name, found in makers.items() if len(found) == 1}


def _maker_phrases(text: str, lexicon: Lexicon, stop: int) -> list[tuple[int, int, str]]:
    """(start, end, lab) of each "the ChatGPT maker" before `stop`."""
    makers = _makers_by_product(lexicon)
    found = []
    for noun in _MAKER_NOUNS:
        pos = text.find(noun, 0, stop)
        while pos >= 0:
            end = pos + len(noun)
            if end == len(text) or not text[end].isalnum():
                before = _PRODUCT_BEFORE.search(text, max(0, pos - 40), pos)
                if before is not None and before.group("name") in makers:
                    found.append((before.start(), end, makers[before.group("name")]))
            pos = text.find(noun, end, stop)
    return found


@functools.cache
def _sector_entity(lexicon: Lexicon) -> Entity | None:
    kinds = (alias.entity for entries in lexicon.aliases.values() for alias in entries)
    return next((entity for entity in kinds if entity.kind == "sector"), None)


def _lab_entity(lexicon: Lexicon, name: str) -> Entity:
    return _lab_entities(lexicon).get(name) or Entity(name, "lab")


def find_mentions(text: str, lexicon: Lexicon, until: int | None = None) -> list[Mention]:
    """Entity and pronoun mentions in `text`, in order and not overlapping.

    With `until`, only mentions that start before that offset (names the lexicon
    does not know are still learned from the whole text).
    """
    stop = len(text) if until is None else until
    found: list[Mention] = []
    makers_seen: set[str] = set()
    for m in lexicon.entity_scan.finditer(text, stop):
        if m.group() in lexicon.vendor_names and _HARDWARE_AFTER.match(text, m.end()):
            continue  # "Nvidia accelerator", "Huawei chips": the vendor as a maker of parts
        aliases = lexicon.aliases[m.group()]
        usable = [a for a in aliases if not a.needs_maker or a.entity.maker in makers_seen]
        if not usable:
            continue
        if usable[0].subject_only and not _clause_subject(text, m.start(), m.end()):
            continue
        entity = usable[0].entity
        makers_seen.add(entity.maker or entity.name)
        family = entity.kind == "model" and text.startswith(" models", m.end())
        found.append(Mention(m.start(), m.end(), entity, family=family))
    for m in _family_pattern(lexicon).finditer(text, 0, len(text)):
        if m.start() >= stop:
            break
        # "the next generation of Claude models": the maker, talked about through its models
        maker = lexicon.family_makers[m.group()]
        found.append(Mention(m.start(), m.end(), _lab_entity(lexicon, maker), fallback=True))
    for name, entity in _fallback_names(text, lexicon).items():
        if name.partition(" ")[0].rstrip(".") in _HONORIFICS:
            continue  # "Dr Rashida Mensah": a person, whatever rule took the name
        for start, end in find_literal(text, name, stop):
            family = entity.kind == "model" and text.startswith(" models", end)
            found.append(Mention(start, end, entity, family=family, fallback=True))
    for m in _PRONOUN.finditer(text):
        if m.start() >= stop:
            break
        if _word_start(text, m.start()):
            kind = "model" if m.group().endswith("model") else "lab"
            found.append(Mention(m.start(), m.end(), _PRONOUN_ENTITY[kind], pronoun=True))
    for m in _FIRST_PERSON.finditer(text, 0, stop):
        if _word_start(text, m.start()) and text[m.start() - 1 : m.start()] not in ("’", "'"):
            found.append(Mention(m.start(), m.end(), FIRST_PERSON, pronoun=True))
    described = {
        DESCRIBING_NOUNS[word]
        for m in found
        if m.entity.kind == "lab"
        for word in m.entity.name.split()
        if word in DESCRIBING_NOUNS
    }
    if described:
        for m in _description_pattern(frozenset(described)).finditer(text, 0, stop):
            noun = DESCRIBING_NOUNS[m.group("noun").capitalize()]
            found.append(Mention(m.start(), m.end(), Entity(noun, "lab"), pronoun=True))
    if "ormer" in text or "atter" in text:
        for m in _FORMER_LATTER.finditer(text, 0, stop):
            found.append(Mention(m.start(), m.end(), Entity(m.group("which"), "lab"), pronoun=True))
    for start, end, maker in _maker_phrases(text, lexicon, stop):
        found.append(Mention(start, end, _lab_entity(lexicon, maker)))
    sector = _sector_entity(lexicon)
    if sector is not None:
        for phrase in _SECTOR_PRONOUNS:
            for start, end in find_literal(text, phrase, stop):
                found.append(Mention(start, end, sector, pronoun=True))
        for start, end in sector_groups(text, stop):
            found.append(Mention(start, end, sector))
    # Lexicon first, then longer spans; drop anything overlapping an earlier pick.
    found.sort(key=lambda x: (x.start, x.fallback, x.pronoun, -(x.end - x.start)))
    found = _names_over_descriptions(found)
    result: list[Mention] = []
    for mention in found:
        if result and mention.start < result[-1].end:
            continue
        result.append(mention)
    # A source ("Epoch AI put the cost at ...") holds its span against shapes found inside
    # it, then leaves: it estimates figures, it is never what they are about.
    return [m for m in result if m.entity.kind != "source"]


@functools.cache
def _description_pattern(nouns: frozenset[str]) -> re.Pattern[str]:
    """ "the telecom", "the state-owned bank": up to two words between "the" and the noun."""
    spelled = "|".join(sorted(_DESCRIPTION_SPELLINGS.get(noun, noun) for noun in nouns))
    return re.compile(rf"(?<![\w-])[Tt]he\s(?:[\w-]+\s){{0,2}}?(?P<noun>{spelled})(?![\w-])")


def _names_over_descriptions(found: list[Mention]) -> list[Mention]:
    """Drop "the ... model" and "the ... company" where a name of that kind is inside them:
    "The DeepSeek-V3 model cost" is about DeepSeek-V3, not the model named before. `found` is
    sorted by start; so is the result."""
    starts = [m.start for m in found]
    kept = []
    for mention in found:
        if mention.pronoun and mention.entity.name == "" and mention.end - mention.start > 4:
            first = bisect.bisect_right(starts, mention.start)
            last = bisect.bisect_left(starts, mention.end)
            if any(
                not inner.pronoun
                and inner.end <= mention.end
                and inner.entity.kind == mention.entity.kind
                for inner in found[first:last]
            ):
                continue
        kept.append(mention)
    return kept
