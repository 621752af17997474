"""A money amount in its slot becomes a cost figure, or nothing.

The unit decides most: a token price ("per million tokens", said or implied by
the sentence) wants a model and an input/output side, a price per GPU hour or
per chip belongs to the chip named before it. Otherwise the nearest cue word
gives the metric and the kind of subject to prefer. Restraint: money with no
subject in sight, consumer prices and unexplained "other" amounts are dropped.
"""

from __future__ import annotations

import re

from monitor.figures import metrics, price_tables
from monitor.figures.alternation import literal_alternation
from monitor.figures.attribution import Candidate, Choice, Discourse
from monitor.figures.chip_index import ChipIndex
from monitor.figures.chips import UNIT_OF_CHIPS, ChipMention
from monitor.figures.currencies import BEFORE_WORDS, SIGN_CLASS
from monitor.figures.figure import Figure
from monitor.figures.money import HARDWARE_UNIT, MoneyAmount
from monitor.figures.qualifiers import qualifier
from monitor.figures.sentences import Sentence
from monitor.figures.slots import Slot, costed_model, nearest_cue, recipient
from monitor.figures.subjects import CONFIDENCE_BY_HOW, adjust_subject, choose

_FROM_BEFORE = re.compile(
    r"(?:,\s*|\s)(?:(?:(?:down|up)\s+)?from|compared\s+(?:with|to)|versus|vs\.?|against)\s+$"
)
_UP_FROM_BEFORE = re.compile(r"\b(?:up|down)\s+from\s+$")
# "..., bringing its total to $8 billion", "That takes the total to €838 million": the running
# total of the money just reported, which says nothing else of what it is
_TOTAL_TO_BEFORE = re.compile(
    r"(?i:\b(?:bring|brings|bringing|brought|take|takes|taking|took|lift|lifts|lifting|push"
    r"|pushes|pushing)\s+(?:(?:its|their|the|his|her|our)\s+)?(?:[\w'’-]+\s+){0,2}?"
    r"(?:total|tally|haul)\s+(?:so\s+far\s+)?to\s+(?:(?:about|around|roughly|some|nearly|almost"
    r"|more\s+than|over|just\s+(?:over|under))\s+)?)$"
)
_FOR_CHIP_GAP = re.compile(
    r"(?:\s+(?:an|a|per|each)\s+(?:GPU[- ])?hour)?\s+(?:for|on)\s+"
    r"(?:(?:an?|the|each|every|one)\s+)?"
)
_VENDOR_WORD = 8  # "for an Nvidia H200": where the chip's mention may start past the gap
_FOR_ONE_CHIP = re.compile(r"\s+(?:for|per)\s+(?:an?|each|every|one|a\s+single)\s+")
_TOTAL_REACH = 80  # characters before an amount where its "bringing the total to" may start
_CHIP_METRICS = ("chip_count", "gpu_hours")
_SHARE_PRICE_MAX = 10_000.0  # a bare amount below this in a sentence on trading is a share price
_HOURLY_CHIP_REACH = 400  # characters before the sentence where "$2 an hour" may find its chip
_CHIP_AFTER_REACH = 30  # "apiece for B200s": how far after a per-chip price its chip may be named
_CHIP_COUNT_REACH = 100  # "buy 20,480 MI355X chips, a deal worth $750 million": chips, then cost
_PRICE_LIST_SPREAD = 5.0  # prices in one list of chip-hour rates differ by less than this factor
_MAX_TOKEN_PRICE = 10_000.0  # per 1M tokens; anything dearer is not a token price
# "Each Nvidia GB200 sells for ...", "A single H200 card now fetches as much as ...": a chip
# named with no count, opening its clause (an aside may follow it: "Each GB200, which pairs
# two Blackwell GPUs with a CPU, sells for"), then a verb of price right before the amount.
# "a fully loaded GB200 NVL72 rack", "a used H100": the state of the one sold
_SOLD_STATE = r"(?:(?:fully\s+)?(?:loaded|complete|full|whole|new|used|refurbished|secondhand)\s+)?"
_SOLD_CHIP_BEFORE = re.compile(
    r"(?i:(?:^|[,;:]\s+|\b(?:and|but|while|whereas|where|when)\s+)"
    r"(?:(?:each|every|a\s+single|one|an?|the|single)\s+(?:[\w.]+-(?:GPU|chip|way)\s+)?"
    rf"{_SOLD_STATE}"
    # "A single rack of 72 GB200 chips sells for about $3 million", "a rack of Nvidia's GB300
    # NVL72 systems can run to", "An eight-GPU server built on Nvidia's HGX B200 board, ...,
    # sells for": the rack's or the server's price
    rf"(?:(?:full\s+)?{UNIT_OF_CHIPS}\s+(?:(?:of|with)\s+(?:\d[\d,]*\s+)?|(?:built|based)\s+on\s+))?)?"
    # a clause someone reports, about one chip: "resellers told us an H100 typically sells
    # for ..." (not "estimated that the GB200 systems would cost Orrin ...")
    r"|\b(?:that|said|says|say|(?:told|tells?)\s+(?:us|me|him|her|them|reporters|investors"
    r"|analysts))\s+(?:each|every|a\s+single|one|an?|single)\s+"
    rf"{_SOLD_STATE})$"
)
# "estimates that the B200 sells for ...": a reported clause about the chip, whose verb says
# it is sold (not "estimated that the GB200 systems would cost Orrin ...": the buyer's bill)
_REPORTED_THE_BEFORE = re.compile(r"\b(?:that|said|says)\s+the\s+$")
_SELLS_FOR_GAP = re.compile(
    r"s?\s+(?:now\s+|typically\s+|usually\s+|still\s+)?(?:sells?|lists?|retails?|fetch(?:es)?"
    r"|goes)\s+(?:for|at)\s+(?:[a-z]+\s+){0,5}"
)
# A system's maker, named as a company before the system: "Nvidia's DGX A100 server ... listed
# at" (a chip's maker is part of the chip's name; "Orrin's H100 cluster cost" is no chip's price)
_MAKER_BEFORE = re.compile(r"[A-Z][A-Za-z]+['’]s\s+$")
# "when a single 40GB card cost", "each card sells for": one of the chip named before
_ONE_OF_IT = re.compile(
    r"(?:[,;:]\s+|\b(?:and|but|while|whereas|where|when)\s+)(?:[Ee]ach|[Ee]very|[Aa]\s+single)"
    r"\s+(?:\d+\s?[GT]B\s+)?(?:card|chip|GPU|accelerator)\b"
)
_SOLD_CHIP_GAP = re.compile(
    # the chip's name, or the name and what one is called ("each GB200 superchip", "the H100
    # data-center GPU"): never another noun ("The H100 cluster cost $300 million" is no H100's
    # price)
    r"(?i:(?:s|(?:\s+[\w-]+)?\s+(?:chips?|superchips?|cards?|GPUs?|accelerators?|processors?|modules?|units?"
    r"|servers?|systems?|racks?|nodes?|board))?"
    # "server with eight GPUs": what one holds
    r"(?:\s+with\s+(?:eight|four|\d+)\s+(?:GPUs|chips|cards|accelerators))?"
    # an aside ("the H200 NVL, a PCIe version of the chip, sells"), a relative clause closed by
    # a comma ("server that is popular with mid-size buyers, sells"), a place ("each H200 in
    # Lodestar cost") or a relative clause the price is the object of ("which resellers quote")
    r"(?:,\s[^,;]{0,100},|\s+(?:that|which)\s[^,;]{0,100},|\s+(?:in|inside)\s+[\w-]+"
    r"|,\s+(?:which|that)(?:\s+[a-z]+){0,2})?,?\s+"
    r"(?:(?:now|still|typically|usually|currently|reportedly|generally|can|could|will|would|"
    r"may|might)\s+)?"
    r"(?:sells?|sold|retails?|retailed|goes|went|lists?|listed|fetch(?:es|ed)?|commands?|"
    r"commanded|costs?|(?:is|are|was|were)\s+(?:priced|selling|going|listed|offered|costing)|"
    r"runs?(?:\s+to)?|ran|quot(?:es?|ed)\s+at|"
    r"priced|at\s+a\s+list\s+price\s+of|"
    r"chang(?:es|ed)\s+hands|trad(?:es|ed)|"
    r"(?:is|was)(?=\s+(?:about|around|roughly|nearly|some|over|under|close\s+to)\s))"
    # "sells to large customers for between": to whom
    r"(?:\s+to\s+(?:[a-z-]+\s+){0,2}[a-z-]+(?=\s+(?:for|at)\s))?"
    r"\s+(?:(?:for|at)\s+)?(?:[a-z]+\s+){0,3})$"
)
# A price list's "the AMD MI325X at $15,500" and "the H200 NVL, a PCIe version of the chip, at
# $31,000": a chip named with no count, then "at" and the amount (a card's price, not an hourly
# rate or a cluster's cost: see _LISTED_CHIP_PRICES)
_LISTED_AT_GAP = re.compile(
    r"(?:s|\s[A-Z]{2,4})?(?:,\s+(?:which|that|an?|the)\s[^,;]{0,100},)?\s+at\s+"
    r"(?:(?:about|around|roughly|some|just\s+over|just\s+under)\s+)?"
)
_LISTED_CHIP_PRICES = (1_000.0, 100_000.0)
_LISTED_AT_REACH = 140  # characters from the chip's name to its price
# "1,500 × $0.15 ÷ 1,000,000", "8 × $2.20 × 24 × 365": an operand of the writer's sum.
_OPERATOR_BEFORE = re.compile(r"(?:[×÷]|\d\s+x)\s*$")
_OPERATOR_AFTER = re.compile(r"\s*[×÷]\s*\d")
# ", and Swiss companies CHF 400 million": a clause whose verb is the one before, left out
_GAPPED_BEFORE = re.compile(
    r",\s+(?:and|while|but|whereas)\s+[A-Z][\w.&'’-]*\s+(?:[\w.&'’-]+\s+){0,3}$"
)
# "spent 5.4 trillion won on plant in the quarter and 17.8 trillion won over the year": the
# money before, again, over another span (no words of its own say what it is)
_AND_AGAIN = re.compile(r"[^;:.!?]{0,80}\s(?:and|or)\s+(?:(?:about|around|roughly|some)\s+)?")
# "is expected to total €1.2 billion and value Sillage at €11 billion": a second verb that
# shares the first one's subject and its forecast
_AND_VERB = re.compile(
    r"\s+and\s+(?!(?:the|a|an|its|their|it|he|she|they|we|i|you|this|that|then|now)\s)"
    r"[a-z]+\s+[^;:.!?$€£¥]{0,40}$"
)
# after an hourly rate, the words before the same chip's rate on other terms: " on demand and
# at ", " and ", ", or "
_OTHER_TERMS_GAP = re.compile(
    r"(?:\s+(?:on[\s-]demand|on\s+(?:the\s+)?spot(?:\s+market)?|on\s+(?:a\s+)?[\w-]+\s+"
    r"(?:terms?|contracts?|commitments?|reservations?|basis)))?,?\s+(?:and|or|but|while)\s+"
    r"(?:(?:at|to|for|from)\s+)?(?:(?:about|around|roughly|just|only)\s+)?"
)
# "at Tuesday's exchange rate", "at current exchange rates": what follows is converted
_AT_EXCHANGE_RATE = re.compile(r"(?i:\bat\s+(?:[\w'’]+\s+){0,3}?exchange\s+rates?\b)")
# "$186 million, not $1.86 billion": the amount a correction or a rebuttal rejects.
_REJECTED_BEFORE = re.compile(r"(?i:\bnot\s+(?:the\s+)?)$")
_CODES = literal_alternation(w.lower() for w in BEFORE_WORDS)  # in lowercase: "rmb", "usd"
# "roughly 7.1 yuan to the dollar", "150 yen per US dollar": an exchange rate, no amount.
_EXCHANGE_RATE_AFTER = re.compile(
    r"(?i:\s+(?:to|per|against)\s+(?:the|one|a|each)?\s*(?:US\s+|U\.S\.\s+)?"
    r"(?:dollar|euro|pound|yen|yuan|won|greenback)\b"
    # "US$1 = HK$7.85 = 7.18 yuan" (and "x $2.49 = $3,635.40": the sum's operand)
    rf"|\s*=\s*(?:[a-z]{{1,3}}\$|{SIGN_CLASS}|{_CODES}\b|[\d.,]+\s*[a-z]))"
)
# "US$1 = HK$7.85 = 7.18 yuan": what one unit of a currency is worth
_EXCHANGE_RATE_BEFORE = re.compile(
    rf"(?:[A-Z]{{0,3}}{SIGN_CLASS}\s?1|\b1\s+[A-Za-z]+)\s*=\s*(?:[^=]{{1,20}}=\s*)?$"
)
# "Microsoft's $10 billion investment in OpenAI": money put into the company named next
_INVESTMENT_AFTER = re.compile(r"\s+(?:equity\s+|minority\s+)?(?:investment|stake)\s+in\s")
# A few dollars is a price, never what a model cost to train or what a lab spends, raises,
# earns or is worth: a token price where tokens are in sight (this far before its sentence),
# a GPU-hour price in an hourly price table, else nothing.
_A_FEW_DOLLARS = 100.0
# No one GPU rents for this much an hour (the dearest in our corpora: $8 for an H100 in 2023):
# "$84.20 an hour" is a whole machine's rate, eight GPUs or more
_MACHINE_HOUR_MIN = 20.0
_NEAR_DOLLAR = frozenset({"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SGD"})
# "an eight-GPU instance", "an 8x H100 node", "a server with eight H200s", "per node-hour"
_MACHINE_OF_GPUS = re.compile(
    r"(?i:\b(?:eight|sixteen|four|8|16|4)[- ](?:gpu|chip|accelerator|card)\b"
    r"|\b(?:8|16|4)\s?x\s?[a-z]{1,2}\d|\bnode[- ]hours?\b"
    r"|\b(?:instance|node|server|machine|system|box|vm)s?\s+with\s+(?:eight|sixteen|four|8|16|4)\s)"
)
# a site's power bill runs to six figures at least ("my power bill went up like 30 bucks",
# "a tariff of ₹5.40 a unit" are no AI cost)
_A_POWER_BILL = 100_000.0
_A_UNIT = re.compile(r"\s(?:a|per)\s+unit\b")
_MIN_CHIP_PRICE = 50.0  # "croissants ... cost $3.75 each": no accelerator sells for less
_TOKEN_CONTEXT_REACH = 600
_LAB_MONEY = ("compute_spend", "capex", "funding", "valuation", "revenue")
# "$0.04 per image", "$0.006 per minute of audio": priced by another unit than tokens
_OTHER_UNIT_AFTER = re.compile(
    r"\s*(?:per|an?|/)\s*(?:image|minute|second|page|call|request|query|song|video|clip"
    r"|generation|seat|user)s?\b"
)
# "the monthly cloud bill had climbed to $14 million": a bill by the month or the year, as
# "$14 million a month" is, however close a model's training is
_RUNNING_BILL_BEFORE = re.compile(
    r"\b(monthly|annual|yearly) (?:[\w-]+\s+){0,2}?(?:bills?|spend|spending|costs|burn|outlay)"
    r"\s+(?:[\w-]+\s+){0,4}?(?:at|of|to|was|is|were|are|came\s+to|ran\s+to|hit|reached|topped)\s+$"
)
# A benchmark's bill for one pass or one item: "scored 66.9% at $612 per run", "the lowest
# median cost per task, at 41 cents": money a model cost to test, not a token price or training
_RUN_UNITS = r"(?:task|run|answer|question|problem|puzzle|attempt)s?\b"
_RUN_UNIT_AFTER = re.compile(rf"\s*(?:per|a|an|/)\s*{_RUN_UNITS}")
_COST_PER_RUN_BEFORE = re.compile(
    rf"\b[Cc]osts?\s+(?:per|a|an)\s+{_RUN_UNITS}|\bper-(?:task|run)\s+cost"
)
_A_BENCHMARK_BILL = 1e6  # at most; "$90 million per run" is a training run's cost
# "The input price had been 4 yuan", "Output: was $0.60/M": an amount a price's words go with
_PRICE_WORDS = re.compile(r"(?i:input|output|pric(?:e|es|ed|ing)\b|/\s?M\b|cached)")
# "$0.90 in / $3.20 out per M tokens", "$3 in, $15 out": the sides said short
_SHORT_SIDE_AFTER = re.compile(r"\s(in|out)\b(?=\s*(?:/|,|;|\+|\)|and\b|per\b|$))")
_SHORT_SIDES = {"in": "input", "out": "output"}


def _short_side(text: str, end: int) -> str | None:
    short = _SHORT_SIDE_AFTER.match(text, end)
    return _SHORT_SIDES[short.group(1)] if short else None


_SIDE_AFTER = re.compile(r"\s+(?:for|on)\s+(?P<side>input|output)\b")  # "$0.30 for input"
_SOLD_CHIP_REACH = 200  # characters from the chip's name to its price
# How far above a table row its caption or heading may say the prices are hourly.
_PRICE_TABLE_REACH = 800
_HOURLY_CONTEXT = re.compile(r"(?i:per[- ](?:GPU[- ])?hour|GPU[- ]hours?\b|an\s+hour\b|hourly)")


def _hourly_table_row(text: str, chips: ChipIndex, slot: Slot) -> bool:
    """A few dollars in a table row that names a chip, under a caption or heading that prices
    by the hour: a rental price per GPU-hour."""
    line = text.rfind("\n", 0, slot.start) + 1
    return (
        text.find("|", line, slot.start) >= 0
        and chips.last_chip_before(slot.start, line) is not None
        and _HOURLY_CONTEXT.search(text, max(0, line - _PRICE_TABLE_REACH), line) is not None
    )


# "H100 hours settled at $2.14", "B200 GPU-hours fetch": a chip's hours, then their price
_CHIP_HOURS_GAP = re.compile(r"[\s-](?:GPU[\s-])?hours?\s+(?:[a-z]+\s+){0,3}")


def _chip_hours_priced(text: str, chips: ChipIndex, s: Sentence, amount: MoneyAmount) -> bool:
    """Whether a chip's hours are what the amount prices: "March H100 hours settled at $2.14"."""
    return any(
        _CHIP_HOURS_GAP.fullmatch(text, named.end, amount.start) is not None
        for named in chips.mentions_before(amount.start, max(s.start, amount.start - 60))
    )


def _coordinated_forecast(
    text: str, previous: MoneyAmount | None, figure: Figure | None, slot: Slot
) -> bool:
    """Whether the amount is the object of a verb joined by "and" to a forecast verb whose
    own amount came just before it, in the same clause."""
    return (
        previous is not None
        and figure is not None
        and figure.start == previous.start
        and figure.qualifier == "projection"
        and previous.end >= slot.sentence.start
        and _AND_VERB.match(text, previous.end, slot.start) is not None
    )


def _machine_hour(text: str, s: Sentence, amount: MoneyAmount) -> bool:
    """Whether "... an hour" prices a machine of several GPUs, not one GPU's hour."""
    if amount.currency in _NEAR_DOLLAR and amount.value >= _MACHINE_HOUR_MIN:
        return True
    return _MACHINE_OF_GPUS.search(text, s.start, s.end) is not None


def _hourly_figure(amount: MoneyAmount, figure: Figure | None) -> bool:
    """Whether `amount` made `figure`, an hourly rate, though its own unit was left out."""
    return figure is not None and figure.start == amount.start and figure.unit.endswith("/GPU hour")


def _hourly_left_out(
    text: str,
    chips: ChipIndex,
    slot: Slot,
    amount: MoneyAmount,
    previous: MoneyAmount | None,
    previous_figure: Figure | None,
    prev_sentence: Sentence | None,
) -> str | None:
    """The hourly unit of a price written without one, or None."""
    s = slot.sentence
    if (
        previous is not None
        and (previous.per in ("GPU hour", "hour") or _hourly_figure(previous, previous_figure))
        and (
            chips.last_chip_before(slot.start, previous.end) is not None
            # "rents H100s at Rs 185 per GPU hour on demand and at Rs 140 on one-year terms":
            # the same chip's other rate
            or (
                amount.currency == previous.currency  # not "C$1.95 an hour, or roughly US$1.40"
                and _OTHER_TERMS_GAP.fullmatch(text, previous.end, slot.start) is not None
            )
        )
        and previous.value / _PRICE_LIST_SPREAD
        <= amount.value
        <= previous.value * _PRICE_LIST_SPREAD
    ):
        return previous.per or "GPU hour"  # "H100s at $2.25 per GPU-hour and H200s at $2.95"
    if amount.value >= _A_FEW_DOLLARS:
        return None
    if _hourly_table_row(text, chips, slot):
        return "GPU hour"  # "Stratalink | Nvidia H100 SXM | $2.49 | $1.55" under "per GPU-hour"
    if (
        previous is None
        and prev_sentence is not None
        and chips.last_chip_before(slot.start, s.start) is not None
        and _HOURLY_CONTEXT.search(text, prev_sentence.start, prev_sentence.end) is not None
        and _OTHER_UNIT_AFTER.match(text, amount.end) is None
    ):
        # "The H200 lists at $3.40 per GPU hour. AMD's MI300X is priced at $2.10": a price
        # list's next line, with its unit left out
        return "GPU hour"
    if _chip_hours_priced(text, chips, s, amount):
        return "GPU hour"  # "December H100 hours fetch $1.71": the chip's hour is the unit
    return None


def money_figure(
    text: str,
    chips: ChipIndex,
    slot: Slot,
    amount: MoneyAmount,
    cands: list[Candidate],
    state: Discourse,
    prev_sentence: Sentence | None,
    previous: MoneyAmount | None,
    previous_figure: Figure | None,
    previous_dropped: bool = False,
) -> Figure | None:
    """The figure an amount makes, or None.

    `previous` is the money amount right before this one in its sentence and
    `previous_dropped` says it made no figure (a repeat still counts as made).
    """
    s = slot.sentence
    per = amount.per
    side_from_unit = amount.token_side
    inferred_unit = False
    again_forecast = False  # an amount after "and" that repeats a forecast's metric
    if per == "1M tokens" and amount.tokenless_per_million:
        left = prev_sentence.start if prev_sentence else s.start
        if not metrics.token_context(text, left, s.end):
            per = None
    series = previous is not None and _FROM_BEFORE.search(text, previous.end, slot.start)
    if per is None and previous is not None and series:
        per, side_from_unit = (
            previous.per,
            previous.token_side,
        )  # "to $4.50 per million ..., from $9"
    if per is None:
        per = _hourly_left_out(text, chips, slot, amount, previous, previous_figure, prev_sentence)
    if per is None and price_tables.in_price_column(text, slot.start):
        per = "1M tokens"
    bill_left = max(s.start, amount.start - 60)
    if (
        per is None
        and (
            text.find("ly ", bill_left, amount.start) >= 0
            or text.find("al ", bill_left, amount.start) >= 0
        )
        and (running := _RUNNING_BILL_BEFORE.search(text, bill_left, amount.start))
    ):
        per = "month" if running.group(1) == "monthly" else "year"  # a running bill
    per_run = per is None and (
        _RUN_UNIT_AFTER.match(text, amount.end) is not None
        or (
            text.find("ost", s.start, amount.start) >= 0
            and _COST_PER_RUN_BEFORE.search(text, s.start, amount.start) is not None
        )
    )
    other_unit = per_run or (per is None and _OTHER_UNIT_AFTER.match(text, amount.end) is not None)
    if per is None and slot.cues.tokens and not other_unit:
        near_side = metrics.has_side_word(
            text, max(slot.seg_left, slot.start - 40), min(slot.seg_right, slot.end + 40)
        )
        if (near_side or slot.cues.loose_per_million) and amount.value < _MAX_TOKEN_PRICE:
            per, inferred_unit = "1M tokens", True
    sold = (
        (_sold_chip(text, chips, s, slot.start) or _listed_chip(text, chips, s, slot, amount))
        if per is None
        else None
    )
    if sold is not None or (per is None and _paid_for_one_chip(text, chips, amount)):
        per = "chip"
    if (
        per == "energy"
        or _OPERATOR_BEFORE.search(text, max(s.start, amount.start - 8), amount.start)
        or _OPERATOR_AFTER.match(text, amount.end)
        or _REJECTED_BEFORE.search(text, max(s.start, amount.start - 8), amount.start)
        or _EXCHANGE_RATE_AFTER.match(text, amount.end)
        or _exchange_rate_before(text, max(s.start, amount.start - 40), amount.start)
        or _converted(text, s, amount)
        or metrics.shares_priced_at(text, s.start, slot.start)
        or metrics.size_class(text, s.start, amount.start, amount.end)
    ):
        return None  # a power price per kWh, an operand of a sum, "not $1.86 billion",
        # an exchange rate, "shares at HK$65 apiece", "rounds of $100m or more"
    chip_subject = None
    if per == "hour":
        chip_subject = (
            _chip_priced_after(text, chips, slot)
            or chips.last_chip_before(slot.start, s.start)
            or chips.first_chip_after(slot.end, s.end)
            or chips.last_chip_before(slot.start, s.start - _HOURLY_CHIP_REACH)
        )
        if chip_subject is None:
            return None  # an hourly rate with no chip in sight: a wage or a fee
        per = "hour" if _machine_hour(text, s, amount) else "GPU hour"
    elif per in ("GPU hour", "chip"):
        if sold is not None:
            chip_subject = sold.system or sold.chip
        elif per == "chip":  # "$38,000 apiece for B200s", else the chip named before
            chip_subject = _chip_of_unit_price(text, chips, s, slot) or chips.last_unit_before(
                slot.end, s.start - 600
            )
        else:  # the chip the unit names ("per H100-hour"), else the one named before
            chip_subject = (
                chips.first_chip_after(slot.start, slot.end)
                or _chip_priced_after(text, chips, slot)
                or chips.last_chip_before(slot.start, s.start)
            )
            chip_subject = chip_subject or chips.last_counted_chip_before(
                slot.start, s.start - 1500
            )
        if per == "chip" and chip_subject is None and not _hardware_priced(text, s, amount):
            per = None
        elif per == "chip" and amount.value < _MIN_CHIP_PRICE:
            return None  # something cheap sold "each" after a chip was named: not the chip

    cue = None
    if per == "1M tokens":
        side: str | None
        said = (
            _short_side(text, amount.end)
            or metrics.table_side(text, slot.start)
            or metrics.token_side(text, slot.side_left, slot.start, slot.end, slot.seg_right)
            or metrics.label_side(text, s.start)
        )
        if amount.token_side is None and slot.pair_side is not None and said is None:
            side = slot.pair_side
        else:
            side = side_from_unit or said
        metric: str | None = f"inference_price_{side}" if side else "inference_price"
        cls = "model"
    elif per in ("GPU hour", "hour", "chip"):
        named = nearest_cue(text, slot)
        if named is not None and named.metric == metrics.NOT_COST:
            return None  # "released on bail of 50,000 ringgit each": no chip's price
        metric, cls = "other", "other"
    elif per == "megawatt":
        metric, cls = "other", "other"  # a building cost per megawatt: a rate, like a chip's
    else:
        cue = metrics.table_cue(text, slot.start) or nearest_cue(text, slot)
        if cue is not None and cue.metric == metrics.NOT_COST:
            return None  # a market value, a fine or a pay package: not what AI costs
        metric = cue.metric if cue else None
        if (
            metric is None
            and previous_figure is not None
            and previous is not None
            and previous_figure.start == previous.start
        ):
            if _GAPPED_BEFORE.search(text, max(previous.end, slot.start - 60), slot.start):
                metric = previous_figure.metric  # "Dutch start-ups raised €900m, and Swiss ones
                # CHF 400m": the verb left out is the one before
            elif (
                not previous_figure.metric.startswith("inference_price")  # "$5 and $20"
                and _AND_AGAIN.fullmatch(text, previous.end, slot.start) is not None
            ):
                metric = previous_figure.metric
                # "projects revenue of $53 billion this year and about $78 billion next": as
                # much a forecast as the money before
                again_forecast = previous_figure.qualifier == "projection"
        if metric in (metrics.POWER, metrics.OWED, metrics.BID):
            metric = "other"  # "Our electricity bill across all our sites was £47 million"
        if metric == "other" and _after_chip_count(text, previous_figure, s, slot.start):
            metric = "capex"  # "bought 512 Gaudi 3 accelerators in a deal it valued at $8.7M"
        if (
            metric not in (None, "other", "capex", "training_cost")
            and amount.per is None
            and cue is not None
            and previous_figure is not None
            and cue.distance > slot.start - previous_figure.end
            and _after_chip_count(text, previous_figure, s, slot.start)
        ):
            metric = "capex"  # "it had ordered 1,152 Nvidia H200 chips for ¥9 billion": the
            # chips counted just before say more than a cue word further off
        if _spent_on_chips(text, chips, amount, cue):
            metric = "capex"  # "to spend ¥72 billion on Nvidia GB200 systems as Tokyo steps in
            # with subsidy": the chips bought say more than a cue further off
        if metric in metrics.LAB_METRICS and metric != "compute_spend":
            cls = "lab"
        elif metric in ("other", "compute_spend"):
            # "in compute" fits a model's training bill as well as a company's spending
            cls = "other"
        elif metric == "other":
            cls = "other"
        elif metric is None and per in ("month", "year"):
            cls = "sub"
        else:
            cls = "model"

    # "projected to reach $3.2 billion in 2026, up from $1.1 billion": the same series;
    # "at a valuation north of $1.1 billion, up from $450 million when it raised its seed
    # round": what the words after it say is when, not what
    earlier = series and previous is not None and _earlier_of_same_series(text, s, previous, slot)
    same_series = series and (metric is None or (per is None and earlier))
    if previous_dropped and (same_series or earlier):
        return None  # "rents for $1,400 a month, up from $850": the earlier end of money left out
    next_model = slot.cues.next_model
    if chip_subject is not None:
        choice = Choice(chip_subject, "chip", "segment")
    elif (
        same_series
        and previous is not None
        and previous_figure is not None
        and previous_figure.start == previous.start
    ):
        choice = Choice(previous_figure.subject, None, "sentence", previous_figure.metric)
        metric = previous_figure.metric
    elif (
        metric is None
        and previous_figure is not None
        and previous_figure.metric not in _CHIP_METRICS
        and previous_figure.start >= (prev_sentence.start if prev_sentence else s.start)
        and _TOTAL_TO_BEFORE.search(text, max(s.start, slot.start - _TOTAL_REACH), slot.start)
    ):
        # "invested another $4 billion in Anthropic, bringing its total to $8 billion": the
        # same money's running total
        choice = Choice(previous_figure.subject, None, "sentence", previous_figure.metric)
        metric = previous_figure.metric
    elif (
        (
            metric in ("funding", "capex")
            or (metric is None and _INVESTMENT_AFTER.match(text, slot.end))
        )
        and (receiver := recipient(text, slot, cands)) is not None
        and (metric != "capex" or not receiver.pronoun)
    ):
        # "will invest $2 billion in Tarrow AI to build data centers": the lab's to spend, not
        # "to invest €2.4bn in its own data centre"
        choice = Choice(receiver.name, receiver.kind, "segment")
        metric = "funding"
    elif metric == "compute_spend" and (model := costed_model(text, slot, cands)) is not None:
        choice = Choice(model.name, model.kind, "segment")  # its training cost, below
    else:
        choice = choose(cands, cls, slot, state)
    if metric is None:
        if per is None and _after_chip_count(text, previous_figure, s, slot.start, "gpu_hours"):
            metric = "training_cost"  # "consumed 4.5 million card-hours and cost 260m yuan"
        elif (
            choice.kind == "lab"
            and choice.how == "inherited"
            and _after_chip_count(text, previous_figure, s, slot.start)
        ):
            metric = "capex"  # "orders for 18,000 B200s, worth about 1.1 trillion won"
        elif (
            choice.how == "inherited"
            and choice.inherited_metric not in (None, "other", *_CHIP_METRICS)
            and not _token_price_without_unit(choice.inherited_metric, per)
        ):
            metric = choice.inherited_metric  # money after money; a chip count's metric is no cost
        elif (
            choice.how == "pronoun"
            and previous_figure is not None
            and previous_figure.subject == choice.name
            and previous_figure.metric not in _CHIP_METRICS
        ):
            # "we expect $54 billion to $58 billion, up from the $46 billion to $50 billion we
            # guided to": the same speaker's money, in the same sentence, is the same series
            metric = previous_figure.metric
        elif choice.kind == "model" or (choice.kind == "lab" and next_model):
            metric = "training_cost"  # "X cost $8 million", "its next model could cost $60M"
        elif choice.kind == "product":
            metric = "other"
        elif choice.kind == "lab" and _after_chip_count(text, previous_figure, s, slot.start):
            metric = "capex"  # "to buy 20,480 MI355X chips, a deal worth $750 million"
        elif choice.kind == "sector" or metrics.weak_spend_cue(text, slot.seg_left, slot.seg_right):
            metric = "compute_spend"
        else:
            metric = "other"
    elif choice.kind == "model" and metric in ("compute_spend", "capex"):
        metric = "training_cost"  # a model's compute bill is its training cost
    benchmark_bill = (
        per_run
        and choice.kind == "model"
        and metric in ("training_cost", "inference_price")
        and amount.value < _A_BENCHMARK_BILL
        and not (cue is not None and cue.metric == "training_cost")
    )
    if benchmark_bill:
        metric = "other"  # what one benchmark run or task cost the model's testers
    if per in ("month", "year") and choice.kind == "product":
        metric = "other"
    elif per in ("month", "year") and metric == "training_cost":
        metric = "compute_spend"  # "$3 million a month": a running bill, not a training run

    if per in ("month", "year") and amount.value < _A_FEW_DOLLARS and choice.kind != "product":
        return None  # "a chatbot plan at $20 a month": a seat's price, not what AI costs a lab
    if per is None and metric in _LAB_MONEY and amount.value < _A_FEW_DOLLARS:
        return None  # no lab spends, raises, earns or is worth a few dollars: a price
    if per is None and metric == "training_cost" and amount.value < _A_FEW_DOLLARS:
        said_training = cue is not None and cue.metric == "training_cost"
        if other_unit and not said_training and choice.kind == "model":
            metric = "inference_price"  # "DALL-E 3 charges $0.04 per image": a model's price
        elif (
            said_training
            or other_unit
            or not metrics.token_context(text, max(0, s.start - _TOKEN_CONTEXT_REACH), s.end)
            # a model named in the sentence, or a price's words in it: "the grey hoodies are
            # back in stock at $35" after a token price is no token price
            or (
                choice.how == "inherited"
                and _PRICE_WORDS.search(text, s.start, s.end) is None
                and not metrics.token_context(text, s.start, s.end)
            )
        ):
            return None  # no model trains for $3
        else:
            per, inferred_unit = "1M tokens", True  # "Gemini 2.5 Flash at $0.30 for input"
            # "$0.30 for input"; "GPT-4o — $2.50 / $10.00" under "input / output": a pair
            after = _SIDE_AFTER.match(text, amount.end)
            side = (
                (after.group("side") if after else None)
                or _short_side(text, amount.end)
                or metrics.table_side(text, slot.start)
                or slot.pair_side
                or metrics.token_side(text, slot.side_left, slot.start, slot.end, slot.seg_right)
                or metrics.label_side(text, s.start)
            )
            metric = f"inference_price_{side}" if side else "inference_price"
    serving = (
        per == "1M tokens"
        and metric.startswith("inference_price")
        and _serving_cost(text, slot, amount)
    )
    if serving:
        metric = "other"  # what serving a model costs its provider, not a price it charges
    if choice.name is None:
        return None  # money we cannot tie to anything about AI
    if (
        slot.cues.stock
        and per is None
        and (amount.value < _SHARE_PRICE_MAX or metric == "valuation")
    ):
        return None  # a share price, or the market value it gives: trading, not a cost of AI
    chips_total = per is None and _total_of_chip_price(chips, previous_figure, s, amount)
    if chips_total and metric in ("other", "training_cost"):
        metric = "capex"  # "each B200 is costing Taeyang 70 million won, putting the chips
        # alone at about 840 billion won": what the buyer pays for all of them
    if cue is None and per is None and choice.how == "topic" and not chips_total:
        return None  # no cue word and no subject in sight: likely not about AI
    if (
        metric == "other"
        and per not in ("chip", "megawatt")
        and choice.kind not in ("product", "chip")
        and not benchmark_bill
        and not serving
        and not (cue is not None and choice.how in ("segment", "sentence"))
        and not (cue is not None and cue.metric == metrics.POWER and amount.value >= _A_POWER_BILL)
        and not (cue is not None and cue.metric in (metrics.OWED, metrics.BID))
        # the earlier end of a series kept above: "widened to ₹71.3 crore from ₹29 crore"
        and not (choice.how == "sentence" and choice.inherited_metric == "other")
    ):
        return None  # "other" is for subscriptions, chip prices, named deals, power bills,
        # money burned or owed, a model's benchmark bill and its serving cost only
    consumer_window = (max(slot.seg_left, slot.start - 80), min(slot.seg_right, slot.end + 40))
    if (
        choice.kind not in ("product", "chip")
        # a price its unit says is per tokens is no shop's: "aimed at phones, $0.40 per 1,000
        # tokens" (a fare in yuan near "a million tokens" still is)
        and not (amount.per == "1M tokens" and not amount.tokenless_per_million)
        and (
            metrics.consumer_cue(text, *consumer_window)
            or metrics.crypto_cue(text, *consumer_window)
        )
    ):
        return None
    to_model = metric in metrics.MODEL_METRICS and not next_model
    subject = adjust_subject(choice, metric, state, to_model)

    if per == "1M tokens":
        unit = f"{amount.currency}/1M tokens"
    elif per == "GPU hour":
        unit = f"{amount.currency}/GPU hour"
    elif per == "hour":
        unit = f"{amount.currency}/hour"  # a whole machine's hour
    elif per == "megawatt":
        unit = f"{amount.currency}/MW"
    else:
        unit = amount.currency
    confidence = CONFIDENCE_BY_HOW[choice.how]
    if cue is None and per is None:
        confidence *= 0.85
    if inferred_unit or amount.tokenless_per_million:
        confidence *= 0.9
    return Figure(
        kind="cost",
        subject=subject,
        metric=metric,
        value=amount.value,
        value_high=amount.value_high,
        unit=unit,
        chip=None,
        qualifier="projection"
        if (again_forecast or _coordinated_forecast(text, previous, previous_figure, slot))
        and amount.value_high is None
        else qualifier(text, slot.seg_left, slot.start, slot.end, amount.value_high is not None),
        quote=text[s.start : s.end],
        start=amount.start,
        end=amount.end,
        confidence=confidence,
    )


def _converted(text: str, s: Sentence, amount: MoneyAmount) -> bool:
    """Whether the amount is money said before, converted at an exchange rate: "At Tuesday's
    exchange rate the round is worth about USD 1.5 bn", "which at current exchange rates
    puts Kiwa-Large at roughly $2.55"."""
    if text.find("exchange rate", s.start, amount.start) < 0:
        return False
    rate = _AT_EXCHANGE_RATE.search(text, s.start, amount.start)
    # in the amount's own clause ("..., at the current exchange rate of ₦1,540 to the
    # dollar, gives the company a valuation of ₦154 billion" is another clause's money)
    return rate is not None and not any(c in text[rate.end() : amount.start] for c in ",;")


def _exchange_rate_before(text: str, left: int, start: int) -> bool:
    """ "US$1 = HK$7.85 = 7.18 yuan" before `start`; most amounts have no "=" near them."""
    return (
        text.find("=", left, start) >= 0
        and _EXCHANGE_RATE_BEFORE.search(text, left, start) is not None
    )


def _paid_for_one_chip(text: str, chips: ChipIndex, amount: MoneyAmount) -> bool:
    """ "charging $44,000 for an H200", "paid about $30,000 for a single H100": one chip's price
    (not "$15 million for 512 H100s", a count's)."""
    gap = _FOR_ONE_CHIP.match(text, amount.end)
    return (
        gap is not None and chips.first_chip_after(gap.end(), gap.end() + _VENDOR_WORD) is not None
    )


# "$15,500 per card and Intel's Gaudi 3": the chip after belongs to the next item of a list
_NEXT_ITEM = re.compile(r",|;|\s(?:and|or|while|but)\s")


def _chip_of_unit_price(text: str, chips: ChipIndex, s: Sentence, slot: Slot) -> str | None:
    """The chip named right after a per-chip price ("$38,000 apiece for B200s", "$310,000 for
    each server of eight H100s"), unless another item of a list comes between."""
    reach = min(s.end, slot.end + _CHIP_AFTER_REACH)
    chip = chips.first_unit_after(slot.end, reach)
    if chip is None or _NEXT_ITEM.search(text, slot.end, chips.first_position_after(slot.end)):
        return None
    return chip


def _chip_priced_after(text: str, chips: ChipIndex, slot: Slot) -> str | None:
    """The chip named right after an hourly price: "$2.99 an hour for an H100 and $3.79 for an
    H200" (the second price is the H200's, not the H100's named before it)."""
    gap = _FOR_CHIP_GAP.match(text, slot.end)
    return chips.first_chip_after(gap.end(), gap.end() + _VENDOR_WORD) if gap else None


def _earlier_of_same_series(text: str, s: Sentence, previous: MoneyAmount, slot: Slot) -> bool:
    """ "$1.1 billion, up from $450 million": in one sentence, no cue between the two."""
    return (
        previous.start >= s.start
        and _UP_FROM_BEFORE.search(text, max(previous.end, slot.start - 12), slot.start) is not None
        and metrics.nearest_cue(text, previous.end, slot.start, slot.start, slot.start) is None
    )


def _token_price_without_unit(metric: str, per: str | None) -> bool:
    """Whether a token price would pass to an amount that is not per token ("$20 a month",
    "had been 4 yuan"): such an amount is read afresh, not as the figure before it."""
    return metric.startswith("inference_price") and per != "1M tokens"


# "spend ¥72 billion on Nvidia GB200 systems", "$1.1 billion on 16,000 more H200s": chips
# named right after the amount, not rented ("on H100 rentals", "on H100 hours")
_ON_BEFORE_CHIPS = re.compile(
    r"\s+(?:on|for)\s+(?:(?:about|some|roughly|nearly|around|another|an?\s+extra)\s+)?"
    r"(?:[\d,]+\s+)?(?:(?:more|additional|new|further)\s+)?"
)
_RENTED_CHIPS_AFTER = re.compile(
    r"(?:\s[\w-]+){0,3}?\s(?:rentals?|hours?|time|capacity|instances|servers?\s+in\s+the\s+cloud)\b"
)


def _spent_on_chips(
    text: str, chips: ChipIndex, amount: MoneyAmount, cue: metrics.Cue | None
) -> bool:
    """Whether chips are named right after the amount ("on Nvidia GB200 systems"), closer
    than any cue word, and bought rather than rented."""
    on = _ON_BEFORE_CHIPS.match(text, amount.end)
    if on is None or amount.per is not None:
        return False
    begin = on.end()
    if chips.first_chip_after(begin, begin + 1) is None:
        return False  # no chip starts right there
    if cue is not None and cue.distance <= begin - amount.end:
        return False
    return _RENTED_CHIPS_AFTER.match(text, begin, begin + 60) is None


def _after_chip_count(
    text: str,
    previous_figure: Figure | None,
    s: Sentence,
    start: int,
    metric: str = "chip_count",
) -> bool:
    """Whether the figure just before the amount at `start` counts chips (or GPU hours, with
    `metric`) in the same clause run: its sentence, close by, with no full stop between."""
    return (
        previous_figure is not None
        and previous_figure.metric == metric
        and previous_figure.start >= s.start
        and start - previous_figure.end <= _CHIP_COUNT_REACH
        and ". " not in text[previous_figure.end : start]
    )


def _total_of_chip_price(
    chips: ChipIndex, previous_figure: Figure | None, s: Sentence, amount: MoneyAmount
) -> bool:
    """Whether the amount is many times a chip's price stated just before it in its sentence."""
    return (
        previous_figure is not None
        and previous_figure.start >= s.start
        and previous_figure.subject in chips.names
        and previous_figure.unit == amount.currency
        and amount.value >= 100 * previous_figure.value
    )


def _hardware_priced(text: str, s: Sentence, amount: MoneyAmount) -> bool:
    """A per-unit price of hardware whose chip is not named: "will list at about $18,000 per
    card", "sells for roughly $16,000 a unit" in a sentence about accelerators (not "raised
    $500 million each to buy GPUs")."""
    if HARDWARE_UNIT.search(text, amount.start, amount.end) is not None:
        return True
    return (
        _A_UNIT.search(text, amount.start, amount.end) is not None
        and HARDWARE_UNIT.search(text, s.start, s.end) is not None
    )


def _listed_chip(
    text: str, chips: ChipIndex, s: Sentence, slot: Slot, amount: MoneyAmount
) -> ChipMention | None:
    """The chip a price list puts "at" the amount: "listed the AMD MI325X at $15,500"."""
    low, high = _LISTED_CHIP_PRICES
    if not low <= amount.value <= high or text.find("at ", slot.start - 24, slot.start) < 0:
        return None
    named = chips.mentions_before(slot.start, max(s.start, slot.start - _LISTED_AT_REACH))
    if named and _LISTED_AT_GAP.fullmatch(text, named[0].end, slot.start) is not None:
        return named[0]
    return None


# "its serving cost for Moss-R2 is about $0.11 per million tokens", "Pellucid's cost to serve
# its smaller model", "serving the model costs the lab about €6 per million output tokens",
# "about $0.22 per million tokens served": a provider's own cost, not a price it charges
_SERVING_COST_BEFORE = re.compile(
    r"(?i:\bserving\s+costs?\b|\bcosts?\s+(?:of|to)\s+serv(?:e|ing)\b"
    r"|\bserv(?:e|ing)\s+(?:[\w.'’-]+\s+){0,6}?(?:(?:could|would|will|may|might)\s+)?costs?\b)"
)
_SERVED_AFTER = re.compile(r"\s+served\b")


def _serving_cost(text: str, slot: Slot, amount: MoneyAmount) -> bool:
    """Whether the amount is what serving costs, said in its own segment of the sentence."""
    if _SERVED_AFTER.match(text, amount.end) is not None:
        return True
    left = slot.seg_left
    return (
        text.find("erv", left, amount.start) >= 0
        and _SERVING_COST_BEFORE.search(text, left, amount.start) is not None
    )


def _sold_chip(text: str, chips: ChipIndex, s: Sentence, start: int) -> ChipMention | None:
    """The chip whose price the amount at `start` is: "Each Nvidia GB200 sells for somewhere
    between $60,000 and $70,000" (never a count: "500 H100s cost $15 million"), or the chip
    named before a clause about one of it: "The A100 ... when a single 40GB card cost"."""
    for nearest, named in enumerate(
        chips.mentions_before(start, max(s.start, start - _SOLD_CHIP_REACH))
    ):
        one = _ONE_OF_IT.search(text, named.end, start) if nearest == 0 else None
        if one is not None and _SOLD_CHIP_GAP.fullmatch(text, one.end(), start) is not None:
            return named
        before = text[s.start : named.start]
        if named.system is not None and (maker := _MAKER_BEFORE.search(before)) is not None:
            before = before[: maker.start()]
        if (
            _SOLD_CHIP_GAP.fullmatch(text, named.end, start) is not None
            and _SOLD_CHIP_BEFORE.search(before) is not None
        ):
            return named
        if (
            _REPORTED_THE_BEFORE.search(before) is not None
            and _SELLS_FOR_GAP.fullmatch(text, named.end, start) is not None
        ):
            return named  # "estimates that the B200 sells for an average of about $35,000"
    return None
