"""Which metric a figure measures, from the words nearest to it.

Cue words are searched in the figure's own stretch of the sentence (from the
previous figure to the next one); the nearest cue wins. Token prices get their
input/output side from the unit ("/M output tokens") or nearby words ("for
cached input", "tokens of completion"). Other cues tell attribution what kind
of subject to prefer: a future model ("its next model"), a fleet or cluster
rather than a training run, or consumer goods that are not about AI at all.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from monitor.figures.alternation import literal_alternation
from monitor.figures.currencies import BEFORE_WORDS, SIGN_CLASS
from monitor.figures.gates import FoldedPattern, GatedPattern

# What is built besides a model: "to build a data center", "the first site ... will cost 2.3
# trillion won to build" (in lowercase).
_BUILT_NOUNS = (
    r"sites?|campus(?:es)?|data[- ]?cent(?:er|re)s?|facilit(?:y|ies)|plants?|phases?|clusters?"
    r"|supercomputers?|buildings?|halls?|fabs?|infrastructure|hubs?"
)
# An amount starts here (in lowercase): with a currency sign ("$1.2 billion", "us$40m",
# "₹71.3 crore") or a number ("2 trillion won"; not "20% off").
_CURRENCY_AHEAD = rf"(?:{SIGN_CLASS}|[a-z]{{1,3}}\$)"
# ... or with a currency code or abbreviation first: "EUR 250", "chf 1.2", "fr. 60" (lowercase;
# not "closed on 12 March")
_CODES_BEFORE = literal_alternation(sorted({w.lower() for w in BEFORE_WORDS}))
_MONEY_AHEAD = rf"(?:{_CURRENCY_AHEAD}|{_CODES_BEFORE}\s?\d)"
_AMOUNT_AHEAD = rf"(?:{_CURRENCY_AHEAD}|\d(?![\d.,]*\s?(?:%|per\s?cent)))"
# In lowercase, matched case-insensitively (see gates.FoldedPattern).
_CUES = FoldedPattern(
    rf"\b(?:(?P<training_cost>pre-?train\w*|train(?:s|ed|ing)?\b|"
    r"(?:the|final|official|pretraining|that|this)\s+run\b|"
    r"to\s+(?:build|develop)\b"
    # not "to build what it calls the country's largest AI computing cluster"
    r"(?!\s+(?:(?!models?\b|on\b|in\b|at\b|with\b)[\w'’-]+\s+){0,10}?"
    rf"(?:{_BUILT_NOUNS})\b))"
    r"|(?P<funding>rais(?:e|es|ed|ing)\b|fund-?rais\w*|funding|financing|round\b|series\s+[a-h]\b|seed\b|"
    r"backers|invest(?:s|ed|ing)?\b|(?:compute|cloud)\s+credits\b|in\s+credits\b|"
    # not "committed to spend $1.2 billion with Nimbusfield Cloud": what it will spend
    r"committed(?!\s+to\s+(?:spend|spending|buy|buying|pay|paying|rent|renting|purchas)\w*)|"
    # "buying a minority stake in Kjølberg for CHF 120 million" (not what a stake is worth),
    # "put $61 billion into AI start-ups"
    r"(?:buy|buys|bought|buying|take|takes|took|taking|acquir\w*|purchas\w*)\s+"
    r"(?:[\w%-]+\s+){0,3}?stakes?\b|in(?:to)?\s+(?:[\w-]+\s+){0,2}start-?ups\b|"
    r"(?:senior|secured|unsecured|convertible)\s+notes\b|(?<=-year\s)notes\b|pledg(?:e|es|ed|ing)\b|subsid(?:y|ies|i[sz]ed?)\b|"
    r"mobili[sz](?:e|es|ed|ing)\b|capital\s+injections?\b|loans?\b|debt\b|equity\b|"
    # "a £12.5m grant" (not "Kestrel-2 cost $8 million, grant filing shows")
    r"grants?\b(?!\s+(?:filings?|applications?|proposals?|documents?|records?)\b)|"
    r"credit\s+(?:line|facility)|bonds?\b|"
    rf"offering\b|pulled\s+in\b|closed(?=\s+{_MONEY_AHEAD})|"  # "closed $40B at ..."
    # a headline's verb right before its amount: "Firnlab lands CHF 1.2 bn", "nabs $20M"
    r"(?:lands?|landed|nabs?|nabbed|bags?|bagged|snags?|snagged|secures?|secured|pockets?"
    rf"|pocketed)(?=\s+(?:another\s+|fresh\s+)?{_MONEY_AHEAD})|"
    # "a group led by Greyling put in $2.5 billion at a valuation of $17 billion"
    rf"(?:put|puts|putting|pumped|poured)\s+in(?=\s+(?:another\s+)?{_MONEY_AHEAD}))"
    r"|(?P<not_cost>market\s+(?:cap|value|capitali[sz]ation)\b|pay\s+package(?:\s+valued)?|"
    r"order\s+books?\b|drew\s+orders\b|"
    # "the suit was settled" (not "H100 hours settled at $2.14", a market's price)
    r"settle(?:ment)?\b|settled\b(?!\s+at\b)|lawsuit|fine[ds]?\b(?!-)|penalt(?:y|ies)|damages\b|bail\b|"
    r"salar(?:y|ies)|wages?\b|"
    r"compensation\b|(?:filing|legal|court|attorneys?['’]?|lawyers?['’]?)\s+fees?\b|"
    r"(?:jobs?|positions?)\s+paying\b|household\s+income\b|(?:(?<=\san\s)|(?<=per\s))acres?\b|"
    r"tax\s+(?:abatements?|breaks?|credits?|incentives?|revenues?|bills?|receipts)\b|abatements?\b|"
    r"property\s+tax(?:es)?\b|school\s+(?:district|board|budget)s?\b|general\s+fund\b|"
    r"deficits?\b|"  # a state's: "next to the PLN 270 billion deficit the finance ministry ..."
    r"(?:county|city|town|district)(?:['’]s)?\s+(?:[\w-]+\s+){0,3}budget\b|roof\b|"
    r"(?:earnings|income|profit|loss(?:es)?)\s+per\s+share\b|dividends?\b|buybacks?\b|"
    r"repurchas\w*|buy(?:s|ing)?\s+back\b|bought\s+back\b|shareholders\b|"
    r"(?:assets\s+)?under\s+management\b|inflows\b|outflows\b|"
    # a stock's price: "price target to $214", "Closing price: $176.40", "Bull case ($262)"
    r"price\s+targets?\b|(?:target|closing|share|stock)\s+prices?\b|(?:bull|bear|base)\s+case\s+\()"
    r"|(?P<valuation>valu(?:ation|ations|ed|ing|es)\b|(?:post|pre)-?money\b"
    # "the round would value the company at $13.5 billion"
    r"|value(?=\s+(?!of\b)(?:[\w'’-]+\s+){1,3}?at\b)"
    # "at a $310M post" (but not "a $2.5M pre-seed round")
    r"|(?:(?<=[\dkmb]\s)|(?<=\d[bm]n\s)|(?<=illion\s))(?:post|pre)(?![-\w]|\s+(?:tax|ipo|deal)))"
    r"|(?P<revenue>revenues?\b|sales\b|annuali[sz]ed|run[- ]rate|arr\b|turnover|bookings|income\b|"
    r"generated\b|"  # "the rental business generated $3.1 billion"
    r"earn(?:s|ed|ing)?\b)"
    r"|(?P<capex>capital\s+(?:expenditures?|spending|investment|budget|projects?|outlays?)|capex|finance\s+leases?\b|"
    # "Phase 1, valued at $1.2 billion", "the campus, valued at": what a build is worth, not
    # a company's valuation
    r"(?:phase|project|campus|facility|site|expansion|data\s+cent(?:er|re))(?:\s+(?:\d+|[a-z]))?"
    r",?\s+(?:(?:is|was)\s+)?valued\b|"
    r"data[- ]?cent(?:er|re)s?|data\s+halls?\b|"
    r"the\s+(?:(?:full|whole|entire|first|initial|planned)\s+)?build\b|"
    r"(?:first|second|third|initial|next|final|later)\s+phases?\b|"  # of a campus's build
    r"construction(?!\s+(?:loans?|financing|debt|bonds?)\b)|buildings\b|"  # not "construction loan"
    # not "$8 million-$12 million, on a cluster of 3,000 A100s": what it ran on, not a build
    r"servers?\b|(?<!,\son\sa\s)(?<!,\son\sthe\s)(?<!,\son\sits\s)clusters?\b|"
    r"build-?outs?|buil(?:ds?|t|ding)\s+out\b|infrastructure|hardware|"
    r"facilit(?:y|ies)|campus(?:es)?|"
    r"supercomputers?|(?<!compute\s)budget(?:s|ed)?\b|"
    # not "a deal to buy computing power from Oracle": bought as a service, compute spending
    r"(?:purchas\w*|bought|buy(?:s|ing)?\b)(?!\s+(?:[\w-]+\s+){0,2}?(?:compute|computing|"
    r"capacity|cloud|gpu\s+(?:time|hours))\b)|(?<!in\s)order\b|"
    r"orders\b(?!\s+of\b)|ordered\b|deposits?\b)"
    # "a lease valued at $640 million", "a deal valued at $3.4 billion" (under other): the value
    # of a transaction, not of a company
    r"|(?P<compute_spend>leases?\s+(?:[\w-]+\s+){0,2}?valued\b|"
    r"compute\b|computing\s+(?:power|capacity|costs?)|cloud\b|"
    r"rent(?:s|ing|al)?\b|rented\b(?!\s+from)|leas(?:e|es|ing)\b|leased\b(?!\s+from)|"
    r"(?:gpu|tpu)\s+(?:time|work)\b|(?:ai|artificial\s+intelligence)\s+spending|"
    r"spending\s+on\s+(?:ai|artificial\s+intelligence)|inference\s+(?:costs?|bills?)|to\s+serve\b|"
    r"(?:daily|weekly|monthly)\s+(?:costs?|bills?)\b)"
    r"|(?P<other>(?:deal|agreement|transaction|pact)s?\s+(?:[\w-]+\s+){0,2}?valued\b|"
    r"acqui(?:re|red|res|sition|ring)\b|(?:operating|net)\s+(?:income|profit)\b"
    r"|operating\s+margin\b)"
    # a bid in a tender or for a company: "bid €208 million for a system built on 6,144 H200s",
    # "a $140 million bid for its fleet" (not "in a bid to undercut", "a bid in Catalonia", nor
    # a winner's "won the contract with a bid of $14.2 million": that is the buyer's spending)
    rf"|(?P<bid>(?<!with\sa\s)bid(?:s|ding)?\s+(?:of\s+)?(?:[a-z]+\s+){{0,2}}?(?={_AMOUNT_AHEAD})"
    r"|(?:(?<=illion\s)|(?<=\d[bm]n\s))bids?\b)"
    # money burned, owed or written off, recorded as "other" ("owed"): "burned through about
    # $2.9 billion in cash", "a payroll of some $40 million", "payments in lieu of taxes of
    # $2.5 million", "a reverse termination fee of $560 million", "liabilities of $1.9 billion"
    r"|(?P<owed>(?:termination|break-?up|colocation|exit|transfer|licen[cs]ing)\s+fees?\b"
    r"|liabilit(?:y|ies)\b|depreciation\b|payroll\b(?!-)|impairments?\b|write-?(?:downs?|offs?)\b"
    # "a backlog that stood at $1.9 billion", "$2.1 billion in cash and short-term investments"
    # (not "Is that $12 billion already in the backlog number?")
    r"|(?<!in\sthe\s)backlogs?\b|in\s+cash\b"
    # money lost or burned: "a net loss of $1.31 billion", "the $540 million it lost a year
    # earlier", "burns about $1.8 million a month"; not money burned "on compute", which is
    # compute spending, nor value lost on the stock market
    r"|(?:operating|net)\s+loss(?:es)?\b(?!\s+per\s+share)"
    rf"|(?:los(?:t|e|es|ing)(?=\s+(?:[a-z]+\s+){{0,2}}?~?{_AMOUNT_AHEAD})"
    r"|(?:(?<=\sit\s)|(?<=\swe\s)|(?<=\sthey\s))lost)\b(?![^.;]{0,60}?"
    r"\b(?:market\s+(?:cap|value|capitali[sz]ation)|in\s+value|of\s+(?:its\s+)?value)\b)"
    r"|burn\s+rate\b|burn(?:ing|s|ed|t)?\b(?=\s+(?:through\s+)?(?:[a-z]+\s+){0,2}?~?"
    rf"{_AMOUNT_AHEAD})(?!\s+(?:through\s+)?(?:[^\s.;]+\s+){{0,5}}?on\s+"
    r"(?:compute|computing|inference|gpus?|cloud|training|rented)\b)"
    r"|in\s+lieu\s+of\s+taxes\b"
    r"|(?<=\sin\s)charges\b|charges?\s+(?:for|tied\s+to|related\s+to)\s+(?:[\w-]+\s+){0,2}?inventory\b)"
    # a power bill, a running cost of its own ("other"): "an annual electricity bill of RM120
    # million" (not "cost around 260 million yuan including electricity")
    r"|(?P<power>electricity\b(?<!including\selectricity)|power\s+(?:bills?|costs?)\b"
    r"|energy\s+bills?\b))"
)
_WEAK_SPEND = re.compile(
    r"(?i:\bspen(?:d|ds|ding|t)\b|\boutlays?\b|\bpa(?:y|ys|ying|id)\b|\bcontracts?\b|\bbills?\b)"
)
_SIDE = re.compile(
    r"(?i:(?P<both>input\s+(?:and|or)\s+output|output\s+(?:and|or)\s+input|blended"
    r"|input\s?/\s?output)"  # "$2/$8 per million tokens (input/output)": the pair's order
    # not "$5 / $20 for prompts up to 200K tokens": a tier by prompt length, both sides
    r"|(?P<input>input|prompts?\b(?!\s+(?:up\s+to|under|over|above|below|longer|shorter|"
    r"of\s+(?:up\s+to|more|less)))|cache[ds]?\b|cache-hit)"
    r"|(?P<output>output|completions?\b|generated\s+text))"
)
_NEXT_MODEL = re.compile(
    r"(?i:\b(?:next|future|upcoming|successor|follow-up)\s+(?:[\w-]+\s+){0,4}?models?\b"
    r"|\bfollow-up\b|\bsuccessor\b|\bnext\s+generation\b)"
)
_FLEET = re.compile(
    r"(?i:clusters?\b|fleet|supercomputer|data\s+cent|access\s+to|\bholds?\b|\bowns?\b|operat\w+|bought|"
    r"\bbuy\w*|purchas\w*|acquir\w*|order\w*|stockpil\w*|burst|capacity|deploy\w*|install\w*|online|"
    r"assembl\w*|machine)"
)
_TRAINING = re.compile(r"(?i:train\w*|\bran\s+on\b|\brun\s+on\b|\bused\b)")
_CONSUMER = re.compile(
    r"(?i:\b(?:smart)?phones?\b|iPhone|\bTVs?\b|televisions?|laptops?|\bPCs?\b|tablets?|OLEDs?|gaming|"
    r"graphics\s+cards?|consoles?|headphones|earbuds|e-?bikes?|smartwatch\w*|trending|shoppers|"
    r"GeForce|RTX\s?(?:PRO\s)?\d{4}|workstations?\b|residential|households?|\bsubscri\w*|subway|\bbus\b|\bfares?\b|taxi|\bpasses\b|"
    r"tuition|parking|apartments?\b|bedroom|\b(?:home|house)\s+(?:prices?|values?|sales)\b"
    # a flat's price "per square metre" (not a data center's "900,000 square feet")
    r"|\b(?:per|a)\s+square\s+(?:met(?:re|er)|foot)\b"
    r"|\b(?:homes?|houses?)\s+(?:in\s+[\w\s]{1,30}?)?(?:sold|sell|sells|went|go|goes)\b)"
)
# Bitcoin mining's money, which miners turning to AI report beside their AI contracts: "booked
# $262 million in mining revenue", "4,000 new mining rigs for $14 million"
_CRYPTO = re.compile(
    r"(?i:\b(?:bitcoins?|BTC|ether|hash(?:rate|price)s?|exahash\w*"
    r"|mining\s+(?:revenue|rigs?|machines?|fleet))\b)"
)
# ... unless AI is named as near: "against $35 million from the AI cloud"
_AI_WORDS = re.compile(
    r"\bAI\b|(?i:artificial[- ]intelligence|\bGPUs?\b|\bHPC\b|\bdata\s+cent(?:er|re)s?\b)"
)
# "Shares of Vantor rose 6.2% to $48.10", "closed 3.4 per cent higher ..., valuing it at": trading.
_STOCK_MOVE = re.compile(
    r"(?i:\b(?:shares?|stock)\b[^;]{0,80}?\b(?:rose|fell|closed|jumped|slid|gained|dropped|"
    r"climbed|tumbled|traded|surged|sank|plunged|rallied|edged)\b"
    r"|\b(?:closed|ended|finished)\s+(?:up\s+|down\s+)?[\d.]+\s?(?:%|per\s?cent)\s+(?:higher|lower)?)"
)
# "sold new shares at HK$65 apiece": a share price, whatever the unit after it says.
_SHARES_AT = re.compile(r"(?i:\bshares?\s+(?:at|for)\s+(?:about\s+|around\s+)?$)")
# "Rounds of $100 million or more", "startups valued above $1bn": a size class, not an amount.
_CLASS_NOUNS = (
    r"(?:rounds|deals|contracts|cheques|checks|tickets|transactions|investments|financings|"
    r"raises|orders|companies|startups|start-ups|firms|labs)"
)
_CLASS_OF = FoldedPattern(
    rf"\b{_CLASS_NOUNS}\s+(?:of|worth|valued\s+at|sized\s+at|at)\s+"
    r"(?:(?:at\s+least|more\s+than|over|above|under|less\s+than|upwards\s+of)\s+)?$"
)
_CLASS_OVER = FoldedPattern(
    rf"\b{_CLASS_NOUNS}\s+(?:(?:valued|sized|worth)\s+)?"
    r"(?:above|over|exceeding|topping|below|under|(?:larger|bigger|smaller)\s+than)\s+$"
)
_OR_MORE = re.compile(
    r"(?i:\s*(?:or|and)\s+(?:more|above|larger|bigger|up|over|higher|less|below|under|smaller)\b)"
)
_MODEL_FAMILY = re.compile(r"(?i:\b(?:its|their)\s+(?:[\w-]+\s+)?models\b)")
_TOKEN_CONTEXT = re.compile(r"(?i:tokens?\b|per[- ]million|per[- ]token)")

# Each pattern behind literals every match holds; `anchored` where every match starts with one.
_CUE_NEEDLES = """pre train the final official to rais fund financ round series seed backers
    invest committed pledg subsid mobili grant capital loan debt equity credit bond offering valu
    stake backlog bid
    market revenue sales annuali
    run arr turnover bookings income earn
    phase project site expansion
    capital capex data construction server cluster build infrastructure hardware facilit campus
    supercomputer budget purchas bought buy order deposit comput cloud rent leas gpu tpu ai
    artificial spending inference acqui settle lawsuit fine penalt salar pay damages bail wage
    compensation filing legal court attorney lawyer drew pulled job position household acre tax
    abatement property school post pre profit dividend daily weekly monthly buyback repurchas
    shareholder electricit power energy termination break colocation exit transfer licen liabilit
    depreciation payroll impairment write burn lieu charge los
    operating net closed put pumped poured deficit general county city town district roof deal
    agreement transaction pact
    under first second third initial next later price target closing share stock bull bear base
    that this generated senior secured unsecured convertible notes in inflows outflows built
    assets land nab bag snag secur pocket"""
_GATED_CUES = GatedPattern(_CUES, tuple(_CUE_NEEDLES.split()), word_start=True)
_GATED_WEAK_SPEND = GatedPattern(
    _WEAK_SPEND, ("spen", "outlay", "pay", "paid", "contract", "bill"), anchored=True
)
_GATED_SIDE = GatedPattern(
    _SIDE,
    ("input", "output", "blended", "prompt", "cache", "completion", "generated"),
    anchored=True,
)
_GATED_NEXT_MODEL = GatedPattern(
    _NEXT_MODEL, ("next", "future", "upcoming", "successor", "follow-up")
)
_FLEET_NEEDLES = """cluster fleet supercomputer data access hold own operat bought buy purchas
    acquir order stockpil burst capacity deploy install online assembl machine"""
_GATED_FLEET = GatedPattern(_FLEET, tuple(_FLEET_NEEDLES.split()), anchored=True)
_GATED_TRAINING = GatedPattern(_TRAINING, ("train", "ran", "run", "used"), anchored=True)
_CONSUMER_NEEDLES = """phone tv television laptop pc tablet oled gaming graphics console earbud bike
    smartwatch trending shoppers geforce rtx workstation residential household subscri subway bus
    fare taxi passes tuition parking apartment bedroom home house square"""
_GATED_CONSUMER = GatedPattern(_CONSUMER, tuple(_CONSUMER_NEEDLES.split()))
_GATED_CRYPTO = GatedPattern(_CRYPTO, ("bitcoin", "btc", "ether", "hash", "mining"))
_GATED_STOCK_MOVE = GatedPattern(_STOCK_MOVE, ("share", "stock", "closed", "ended", "finished"))
_GATED_TOKEN_CONTEXT = GatedPattern(_TOKEN_CONTEXT, ("token", "per million", "per-million"))

MODEL_METRICS = frozenset(
    {
        "training_cost",
        "inference_price_input",
        "inference_price_output",
        "inference_price",
        "gpu_hours",
    }
)
LAB_METRICS = frozenset({"funding", "valuation", "revenue", "capex", "compute_spend"})
# A cue for money that is no cost of AI: market values, order books, legal money, pay.
NOT_COST = "not_cost"
POWER = "power"  # recorded as "other", whoever the subject
OWED = "owed"  # money burned, owed or written off: recorded as "other"
BID = "bid"  # a bid in a tender or for a company: recorded as "other", for the bidder


class Cue(NamedTuple):
    metric: str
    distance: int


# A cue in another clause ("... to cost ₹3,200 crore, and it has raised ...") counts as this
# much farther away.
ACROSS_CLAUSE = 80
# "a subsidy of up to ¥7.5 billion", "a run rate of $13 billion": the noun the amount is "of" is
# its cue, however near another.
_OF_GAP = re.compile(r"\s+of\s+(?:[a-z]+\s+){0,3}")
# "is projected to cost KRW 1.1 trillion, to be shared with ...": what costs comes before;
# after the amount, only the words right behind it ("cost $6m to train") say what for.
_COST_BEFORE = re.compile(r"(?i:\bcost(?:s|ing)?\s+(?:[a-z]+\s+){0,2}$)")
_COST_AFTER_REACH = 16
# "cost 68 billion won (roughly $49 million) to train": the words after the amount are
# measured from the end of a bracket right behind it.
_BRACKET_BEHIND = re.compile(r"\s*\([^()]{1,40}\)")
# "at $1.9 million, a figure that alarmed its board when it surfaced in a funding prospectus":
# what follows is said about the figure, not what it measures
_REMARK_ON_FIGURE = re.compile(
    r",\s(?:a|an|the)\s(?:[a-z]+\s)?(?:figure|sum|number|amount|total|estimate)\s(?:that|which)\b"
)
_BUILT_THING = re.compile(rf"(?i:\b(?:{_BUILT_NOUNS})\b)")
_BUILT_THING_REACH = 160
_INVEST_BEFORE = re.compile(
    r"(?i:\b(?:invest(?:s|ed|ing)?|pour(?:s|ed|ing)?|put(?:s|ting)?|sink(?:s|ing)?|sank|"
    r"plough(?:s|ed|ing)?|plow(?:s|ed|ing)?|commit(?:s|ted|ting)?|pledge[sd]?|pledging|"
    r"spen(?:d|ds|t|ding))"
    r"\s+(?:[a-z]+\s+){0,2}$)"
)
# "invest $3 billion in cloud and AI infrastructure", "pour RMB380bn into cloud computing and
# AI infrastructure", "invest 21.5 trillion won in a new fabrication plant": money put into
# one's own build-out; so is "invested $2.9 billion in capital expenditures", money
# committed or pledged to such a build, and money spent on chips, racks or a build's phases
# ("will spend roughly $310 million on the cards and the racks"; not "on compute").
_INVEST_IN_BUILD = re.compile(
    # ... and "invest 1.2 trillion won over three years in AI infrastructure"
    r"(?i:(?:\s+(?:over|across|during)\s+(?:the\s+)?(?:next\s+|coming\s+)?(?:[\w-]+\s+)?"
    r"(?:years?|months?|quarters?)\b|\s+(?:through|by|until)\s+\d{4})?"
    # "committed $900 million to a new data center", "pledged $5 billion for cloud and AI
    # infrastructure"
    r"\s+(?:in|into|to|for|toward|towards|on)\s+(?:[\w-]+\s+){0,4}?"
    # "invest $40 billion in Texas through 2027 to build three data centers": a place, then
    # what the money builds there
    r"(?:(?:(?:through|by|until)\s+\d{4}\s+)?to\s+(?:build|construct|expand|develop)\s+"
    r"(?:[\w-]+\s+){0,4}?)?"
    r"(?:data[- ]?cent(?:er|re)s?|infrastructure|servers?\b|facilit(?:y|ies)|campus(?:es)?|"
    r"supercomputers?|build-?outs?|hardware|(?:chip\s+)?plants?\b|fabs?\b|factor(?:y|ies)|"
    r"production\s+lines?|clusters?\b|capital\s+(?:expenditures?|spending|projects?)"
    r"|chips\b|cards\b|accelerators\b|racks\b|phases?\b|substations?\b))"
)


# A training run as a noun phrase ("the final run", "a training run"; not "to train",
# "trained"), and "the run rate" it is not.
_TRAINING_RUN = re.compile(r"(?i:(?:the|final|official|pretraining)\s+run)")
_RATE_AFTER = re.compile(r"[- ]rate\b")
_FOR_RUN_AFTER = re.compile(
    r"(?i:\s+for\s+(?:the|a|its|their|that|this|each)\s+(?:(?:final|next|whole|entire|full|"
    r"single|last|first|main|big|biggest|largest|pre-?training|training)\s+){0,2}runs?\b"
    r"(?![- ]rate))"
)
_RUN_AFTER = re.compile(r"\s+runs?\b")  # "training run", "pre-training runs"
# "the same run on rented capacity would have cost $33.6 million", "those hours would have
# cost": what a training run would have cost if paid as compute (a counterfactual bill)
_SAME_RUN_WOULD = re.compile(
    r"(?i:\b(?:the\s+same|that|those|this)\s+(?:[\w-]+\s+){0,2}?(?:compute|capacity|runs?|"
    r"hours|(?:GPU|chip)[\s-]hours)\b[^.;]{0,80}?\bwould\s+have\s+cost\s+(?:[a-z]+\s+){0,3}$)"
)
# "trained its V3 model for about $5.6 million": the verb the amount is the price of.
_TRAINED_FOR = re.compile(
    r"(?i:\btrain(?:ed|ing)?\s+(?:[\w.'’-]+\s+){1,5}?for\s+(?:[a-z]+\s+){0,2}$)"
)


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def nearest_cue(
    text: str,
    left: int,
    start: int,
    end: int,
    right: int,
    asides: tuple[tuple[int, int], ...] = (),
    breaks: list[int] | tuple[int, ...] = (),
) -> Cue | None:
    """The metric cue nearest to text[start:end] within text[left:right].

    Cues inside `asides` (appositives and relative clauses that do not contain
    the figure) are skipped: ", which Northwind finished on rented capacity,".
    A cue with a clause break (`breaks`) between it and the figure counts as
    `ACROSS_CLAUSE` characters farther. A cue the amount is "of" wins outright;
    after an amount something "cost(s)", only cues right behind it count. Money
    "invest"ed, "pour"ed, committed or spent on data centers, infrastructure or
    chips is capex.
    """
    skipped = [a for a in asides if not (a[0] <= start and end <= a[1])]
    costed = _COST_BEFORE.search(text, max(left, start - 40), start) is not None
    bracket = _BRACKET_BEHIND.match(text, end, right)
    behind = bracket.end() if bracket is not None else end
    remark = _REMARK_ON_FIGURE.search(text, behind, right)
    if remark is not None:
        right = remark.start()  # ", a figure that alarmed the board ...": about the figure
    best: Cue | None = None
    run: Cue | None = None  # "the final run ... cost", in the amount's own clause
    for match in _GATED_CUES.finditer(text, left, right):
        if match.start() < end and match.end() > start:
            continue
        if skipped and _inside(match.start(), match.end(), skipped):
            continue
        before = match.end() <= start
        after = behind if match.start() >= behind else end  # from the bracket's end if past it
        if costed and not before and match.start() - after > _COST_AFTER_REACH:
            continue
        if before and _OF_GAP.fullmatch(text, match.end(), start):
            return Cue(match.lastgroup or "other", 0)
        distance = start - match.end() if before else int((match.start() - after) * 1.3)
        low, high = (match.end(), start) if before else (after, match.start())
        if any(low <= b < high for b in breaks):
            distance += ACROSS_CLAUSE
        metric = match.lastgroup or "other"
        if (
            metric == "training_cost"
            and not before
            and match.group().startswith("to")
            and _BUILT_THING.search(text, max(left, start - _BUILT_THING_REACH), start)
        ):
            metric = "capex"  # "the first site ... will cost 2.3 trillion won to build"
        if best is None or distance < best.distance:
            best = Cue(metric, distance)
        if (
            before
            and metric == "training_cost"
            and distance < ACROSS_CLAUSE
            and (
                _TRAINING_RUN.fullmatch(match.group())
                or _RUN_AFTER.match(text, match.end()) is not None
            )
            and _RATE_AFTER.match(text, match.end()) is None
        ):
            run = Cue(metric, distance)
    if best is not None and best.metric != "training_cost" and _FOR_RUN_AFTER.match(text, end):
        return Cue("training_cost", 0)  # "budget north of $1 billion for the final run"
    if best is not None and best.metric == "compute_spend":
        # "the final run of V3 cost $5.576 million in rented GPU time", "the final training
        # run, just the compute, was around $95 million", "trained its V3 model for $5.6
        # million in GPU rental costs": what the run cost, paid as compute.
        if run is not None:
            return run
        if _TRAINED_FOR.search(text, max(left, start - 80), start) is not None or (
            _SAME_RUN_WOULD.search(text, max(left, start - 120), start) is not None
        ):
            return Cue("training_cost", best.distance)
    if (
        # anchored, the cheap test first; past a conversion: "7 trillion won (US$5.07 billion)"
        _INVEST_IN_BUILD.match(text, behind, right) is not None
        and _INVEST_BEFORE.search(text, max(0, start - 40), start) is not None
    ):
        return Cue("capex", best.distance if best else 0)
    return best


def table_cue(text: str, start: int) -> Cue | None:
    """For an amount in a row of a table ("| Oracle | $18bn | Sept. |"): the cue of its
    column's heading, else of the table's first line (a caption: "AI-linked bond deals").
    The words of the row say what the money is for, not what it is ("Use of proceeds: data
    centers"). None outside tables and for tables without a heading rule ("|---|")."""
    table = table_heading(text, start)
    if table is None:
        return None
    first, heading = table
    if heading is not None:
        found = _GATED_CUES.search(text, *heading)
        if found is not None and found.lastgroup:
            return Cue(found.lastgroup, 0)
    found = _GATED_CUES.search(text, first, text.find("\n", first))
    return Cue(found.lastgroup, 0) if found is not None and found.lastgroup else None


def table_side(text: str, start: int) -> str | None:
    """For a token price in a row of a table: the side ('input', 'output') its column's
    heading names ("| Output ($/M tokens) |"), however many rows down it is."""
    table = table_heading(text, start)
    if table is None or table[1] is None:
        return None
    left, right = table[1]
    return token_side(text, left, right, right, right)


def table_heading(text: str, start: int) -> tuple[int, tuple[int, int] | None] | None:
    """(start of the table's first line, span of the heading cell over the column of `start`)
    for a position in a row of a table with a heading rule ("|---|"), else None."""
    row = text.rfind("\n", 0, start) + 1
    if not text.startswith("|", row):
        return None
    lines: list[int] = []  # starts of the table's lines above the row, nearest first
    top = row
    while top > 0:
        top = text.rfind("\n", 0, top - 1) + 1
        if not text.startswith("|", top):
            break
        lines.append(top)
    rules = [i for i, line in enumerate(lines) if text.startswith("|-", line)]
    if not rules or rules[0] + 1 >= len(lines):
        return None
    heading = lines[rules[0] + 1]  # the line right above the rule nearest the row
    column = text.count("|", row, start)
    cells = text[heading : text.find("\n", heading)].split("|")
    if column >= len(cells):
        return lines[-1], None
    left = heading + sum(len(cell) + 1 for cell in cells[:column])
    return lines[-1], (left, left + len(cells[column]))


def weak_spend_cue(text: str, left: int, right: int) -> bool:
    """'spend', 'spent', 'outlay': compute spending when the subject is a company."""
    return _GATED_WEAK_SPEND.search(text, left, right) is not None


_NEXT_ITEM_GAP = re.compile(r"\band\b|[,;]")


def token_side(text: str, left: int, start: int, end: int, right: int) -> str | None:
    """'input', 'output' or None (both, or not said) for a token price."""
    best: tuple[int, str] | None = None
    for match in _GATED_SIDE.finditer(text, left, right):
        if match.start() < end and match.end() > start:
            continue
        if match.lastgroup == "both":
            return None
        if match.start() >= end and _NEXT_ITEM_GAP.search(text, end, match.start()):
            continue  # "input drops from 40 cents to 25 cents per million tokens, and output
            # from $1.60": the side after "and" is the next price's
        distance = start - match.end() if match.end() <= start else 2 * (match.start() - end)
        if best is None or distance < best[0]:
            best = (distance, match.lastgroup or "")
    return best[1] if best else None


# "Output: was $20.00 per million tokens, now $12.00": a line's label is the side of every
# price on it
_LABEL_SIDE = re.compile(
    r"[ \t*•-]*(?:(?i:cached)\s+)?(?P<side>(?i:input|output))(?:\s+(?i:price|tokens|rate)s?)?\s*:"
)


def label_side(text: str, line_start: int) -> str | None:
    """'input' or 'output' when the line at `line_start` opens with that side as its label."""
    label = _LABEL_SIDE.match(text, line_start)
    return label.group("side").lower() if label else None


def has_side_word(text: str, left: int, right: int) -> bool:
    return _GATED_SIDE.search(text, left, right) is not None


def mentions_next_model(text: str, left: int, right: int) -> bool:
    return _GATED_NEXT_MODEL.search(text, left, right) is not None


def fleet_cue(text: str, left: int, right: int) -> bool:
    return _GATED_FLEET.search(text, left, right) is not None


def training_cue(text: str, left: int, right: int) -> bool:
    return _GATED_TRAINING.search(text, left, right) is not None


def names_model_family(text: str, left: int, right: int) -> bool:
    """'its models', 'their AI models': a lab's models in general, not one of them."""
    return _MODEL_FAMILY.search(text, left, right) is not None


def consumer_cue(text: str, left: int, right: int) -> bool:
    return _GATED_CONSUMER.search(text, left, right) is not None


def crypto_cue(text: str, left: int, right: int) -> bool:
    """Whether the words around are about bitcoin mining and name no AI."""
    return (
        _GATED_CRYPTO.search(text, left, right) is not None
        and _AI_WORDS.search(text, left, right) is None
    )


def token_context(text: str, left: int, right: int) -> bool:
    return _GATED_TOKEN_CONTEXT.search(text, left, right) is not None


def stock_move(text: str, left: int, right: int) -> bool:
    """Whether the words tell of a share price moving: prices there are of stock, not of AI."""
    return _GATED_STOCK_MOVE.search(text, left, right) is not None


def size_class(text: str, left: int, start: int, end: int) -> bool:
    """Whether the amount at `start`-`end` bounds a class of deals or companies ("rounds of
    $100 million or more accounted for 71%", "startups valued above $1 billion")."""
    window = max(left, start - 40)
    if _CLASS_OVER.search(text, window, start) is not None:
        return True
    return (
        _CLASS_OF.search(text, window, start) is not None and _OR_MORE.match(text, end) is not None
    )


def shares_priced_at(text: str, left: int, start: int) -> bool:
    """Whether the amount at `start` is what shares were sold or bought at."""
    return _SHARES_AT.search(text, max(left, start - 30), start) is not None
