"""Money amounts in the forms reporters use, with ranges and per-unit prices.

Finds "$294,000", "$5.6 million", "$40bn", "US$1.6 billion", "USD 2 million",
"3.2 billion dollars", "€4 million", "2 yuan", "40 cents", "half a million
dollars"; ranges ("$80 million to $100 million", "$80-100 million", "between
$1bn and $2bn"); dated changes ("from $4 to $2.50", two amounts); and the unit
that follows: per tokens (normalised to per 1M tokens), per GPU hour, per month
or year, per chip.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from monitor.figures.alternation import literal_alternation
from monitor.figures.currencies import (
    AFTER_ANY_CASE,
    AFTER_AS_WRITTEN,
    BEFORE_WORDS,
    DOLLAR_MARKS,
    SHARED_WORDS,
    SIGN_CHARS,
    SIGN_CLASS,
    SIGNS,
    code_after,
    code_before,
    code_in,
    is_minor,
    needles_of,
    phrase_alternation,
)
from monitor.figures.numbers import (
    BARE_WORD_NUMBER,
    DIGITS,
    MAGNITUDE_SUFFIX,
    MAGNITUDE_WORD,
    SMALL_WORD_NUMBER,
    WORD_NUMBER,
    magnitude,
    parse_digits,
    parse_word_number,
)
from monitor.figures.yen_or_yuan import yen_or_yuan

# "won" is also a verb ("the team won 3 awards"): as a currency only after a magnitude or a
# number grouped in thousands, or before a token unit.
_NEEDS_MAGNITUDE = frozenset({"won"})
_GROUPED_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+")
_YEAR_PRICES = re.compile(r"(?:\(|\b(?:in|constant|real|nominal|today's)\s)\s*(?:19|20)\d\d$")

# "$5.6 million", "$40bn", and "a $14-million round", "a ₹1,850-crore mission"
_MAG = rf"(?:[\s-]?{MAGNITUDE_WORD}|{MAGNITUDE_SUFFIX})"
_DASH = r"\s?[-–—]\s?"
# "$4 to 5 billion", "between €4 and 5 billion": a range in words whose high end has the
# magnitude (not "$80 to 100", whose high end may be anything)
_PREFIXED_NUMBER = (
    rf"(?P<pnum>{DIGITS})(?P<pmag>{_MAG})?"
    rf"(?:{_DASH}(?P<pnum2>{DIGITS})(?P<pmag2>{_MAG})?(?![\w%])"
    rf"|\s(?:to|and)\s(?P<pnum3>{DIGITS})(?P<pmag3>[\s-]?{MAGNITUDE_WORD}|\s?(?:bn|mn|tn)\b))?"
    r"(?![\w%]|[.,]\d)"
)
# Non-ASCII characters that `re` matches to an ASCII letter when case is ignored (checked
# over all of Unicode): "HK$" may be written with the Kelvin sign, as far as `re` cares.
_ASCII_FOLDS = {"i": "\u0130\u0131", "s": "\u017f", "k": "\u212a"}
_LONG_MARKS = tuple(m for m in DOLLAR_MARKS if len(m) > 1)  # "US", "HK": any case, with dots
_LETTER_MARKS = "".join(m for m in DOLLAR_MARKS if len(m) == 1)  # "C$", "A$": as written


def _spelled(mark: str) -> str:
    """A long dollar mark in a pattern: "US" is "US$", "U.S.$" or "US $"."""
    return r"\.?".join(mark) + r"\.?\s?\$"


def _any_case(letters: str) -> str:
    return "".join(sorted({c for ch in letters for c in (ch.lower(), ch.upper())}))


_PREFIX_AMOUNT = re.compile(
    # prefix currency: $5.6 million, US$1.6 billion, EUR 4 million, $80-100 million
    rf"(?P<pcur>(?<![A-Za-z])(?i:{'|'.join(_spelled(m) for m in _LONG_MARKS)})"
    rf"|(?<![A-Za-z])[{_LETTER_MARKS}]\$|{SIGN_CLASS}"
    rf"|(?<![A-Za-z]){literal_alternation(BEFORE_WORDS)}"
    r"(?=\s?\d))\s?" + _PREFIXED_NUMBER
)
# "R540m", "R4.50 per million tokens": the rand's "R", read only in an article that names the
# rand or South Africa (`_mentions_rand`), and never before a lone digit ("DeepSeek R1",
# "Cloudflare R2")
_RAND_AMOUNT = re.compile(
    r"(?<![\w$])(?P<pcur>R)(?=\d(?:\d|[.,]\d|\d*\s?(?:m\b|bn\b|million|billion|trillion)))"
    + _PREFIXED_NUMBER
)
# How a dollar mark can end right before its "$" (or a space), and how it can start.
_MARK_LAST = _any_case("".join(m[-1] for m in _LONG_MARKS)) + "." + _LETTER_MARKS
_BEFORE_SIGN = frozenset(_MARK_LAST + "".join(_ASCII_FOLDS.get(c.lower(), "") for c in _MARK_LAST))
_MARK_FIRST = _any_case("".join(m[0] for m in _LONG_MARKS)) + _LETTER_MARKS
_PREFIX_FIRST = frozenset(
    _MARK_FIRST + "".join(_ASCII_FOLDS.get(c.lower(), "") for c in _MARK_FIRST)
)
_MARK_BACK = range(max(2 * len(m) + 1 for m in _LONG_MARKS), 0, -1)  # "U.S. " before "$"
_PREFIX_ANCHORS = (*SIGNS, *BEFORE_WORDS)
_SUFFIX_ANCHORS = (*needles_of(AFTER_ANY_CASE, True), *needles_of(AFTER_AS_WRITTEN, False))
_PREFIX_NEEDLES = re.compile(literal_alternation(_PREFIX_ANCHORS))
# A space (or a hyphen: "a 43.5-billion-yuan investment"), then a currency word: only there
# can _SUFFIX_CURRENCY_WORD match.
_SPACED_SUFFIX_NEEDLES = re.compile(r"[\s-]" + literal_alternation(_SUFFIX_ANCHORS))
# Suffix currency ("3.2 billion dollars", "2 yuan", "40 cents", "half a million dollars"):
# found by the currency word, then the number is read backwards from it.
_SUFFIX_CURRENCY_WORD = re.compile(
    rf"[\s-](?P<scur>(?i:{phrase_alternation(AFTER_ANY_CASE)})|{phrase_alternation(AFTER_AS_WRITTEN)})"
    r"(?![\w])"
)
_NUMBER_BEFORE_CURRENCY = re.compile(
    rf"(?<![\w{SIGN_CHARS}.,])(?P<snum>{WORD_NUMBER}|(?P<sbare>{BARE_WORD_NUMBER})"
    rf"|{DIGITS}(?:{_DASH}(?P<snum2>{DIGITS}))?(?P<smag>{_MAG})?)$"
)
_TOKEN_UNIT = re.compile(
    r"\s*(?:/\s*|\s(?:per|for\s+(?:every|each)|every|a)\s+)"
    r"(?:(?P<mil>(?:(?:1|one|a)\s?)?(?:million|mln|mn|M)(?=[^\w]|Tok|tok|$)|1m(?![\w])"
    r"|1,000,000(?![,\d])|1000000(?!\d))"
    r"|(?P<thou>1,000(?![,\d])|1000(?!\d)|(?:(?:1|one|a)\s?)?(?:thousand|[Kk])(?![\w])))"
    r"(?P<tokglued>Tok|tok)?"
    r"(?:\s+(?:for\s+)?(?P<side>input|output|prompt|completion|cached\s+input|cached)"
    r"|\s(?P<side3>in|out)(?=[,;.)]|\s+and\b|$))?"
    r"(?:\s+(?P<tok>tokens?))?(?![\w-])"
    r"(?:\s+of\s+(?P<side2>prompt|input|completion|output)\b)?"
)
_GPU_HOUR_UNIT = re.compile(
    r"\s*(?:/\s*|\s(?:per|an?|for\s+(?:each|every|one))\s+)"
    # "per H200 GPU hour" names the chip and says GPU as well
    # "9 yuan per card-hour": a card is a GPU
    r"(?:(?:[A-Z]{1,2}\d{2,4}[A-Za-z]?\s+)?GPU|chip|card|accelerator|TPU|[A-Z]{1,2}\d{2,4}[A-Za-z]?)"
    r"[- ]?(?:hours?|hrs?)\b"
    r"|\s(?:an|per)\s+hour\s+(?:per|for\s+(?:each|every|a|one))\s+(?:GPU|chip|accelerator)\b"
    r"|\s(?:per|an?)\s+(?:GPU|chip|accelerator|[A-Z]{1,2}\d{2,4}[A-Za-z]?)\s+(?:per|an?)\s+hour\b"
)
_PERIOD_UNIT = re.compile(
    r"\s*(?:/\s*(?P<m1>mo|month)\b|\s(?:a|per|each|every)\s+(?P<m2>month|year)\b"
    r"|\s(?P<m3>monthly|annually)\b|/\s*(?P<m4>yr|year)\b"
    # a business plan's price: "$30 per user per month", "$25 a seat a month", "$19/user/month"
    r"|(?:\s(?:a|per|each)\s+|\s*/\s*)(?:user|seat|person|member|licen[cs]e)"
    r"(?:\s*/\s*|\s(?:a|per|each|every)\s+)(?P<m5>month|year)\b)"
)
# "$8 an hour", "$1.99/hr": an hourly rate, a GPU's when a chip is in sight (else a wage or a fee).
_HOUR_UNIT = re.compile(r"\s*(?:/\s*(?:hr|hour)\b|\s(?:an|per|a)\s+hour\b)")
# "S$0.27 per kilowatt-hour": a power price, no cost figure of its own.
_ENERGY_UNIT = re.compile(
    r"\s*(?:/\s*|\s(?:per|an?)\s+)(?:kilowatt|megawatt)[- ]hours?\b|\s*/\s*[kM]Wh\b"
)
# "$11.9 million per megawatt", "$9.5m/MW": what a data center costs for each megawatt of
# power it can draw (not "per megawatt-hour": that is the power's price, `_ENERGY_UNIT`)
_CAPACITY_UNIT = re.compile(r"\s*/\s*MW\b|\s(?:per|an?)\s+(?:megawatt|MW)\b(?![- ]?hours?\b)")
# "$12,000 a chip", "$310,000 for each server", "$3.5m a rack", "$25,000 per H100",
# "RM200,000 per installed GPU": a server's or a rack's price goes to the chips inside it.
_CHIP_UNIT = re.compile(
    r"\s(?:apiece|each|(?:for\s+each|per|an?)\s+(?:installed\s+|single\s+)?"
    r"(?:chip|superchip|GPU|unit|card|board|accelerator|processor|server|box|node|rack)"
    r"|per\s+(?:Nvidia\s+|AMD\s+)?[A-Z]{1,3}\d{2,4}[A-Z]?s?)\b"
)
# The unit of a per-chip price names hardware (not "each" or "apiece", which may be anything's).
HARDWARE_UNIT = re.compile(
    r"(?i:\b(?:chip|superchip|GPU|card|board|accelerator|processor|server|box|node|rack)s?\b"
    r"|\bper\s+[A-Z]{1,3}\d)"
)
# After a token-less "per million": another noun means it is not about tokens ("per million users").
_NOUN_AFTER = re.compile(
    r"\s+(?!and\b|or\b|for\b|in\b|on\b|with\b|to\b|at\b|when\b|while\b|from\b|of\b)[a-z]{3,}"
)
_CONNECTOR = re.compile(r"\s*(?:to|and|[-–—])\s*")
_BETWEEN = re.compile(r"(?i:between)\s+$")  # "between X and Y" is a range; "from X and Y" is not
_FROM = re.compile(r"(?i:from)\s+$")
_TO_NEXT = re.compile(r",?\s+to\s+")
# "was 0.8 cents per 1,000 tokens, now 0.6 cents": a rate card's change, one unit for both
_WAS = re.compile(r"(?i:was)\s+$")
_NOW_NEXT = re.compile(r",?\s+now\s+(?:at\s+)?")
# "cut its price to 1,900 won per million input tokens, from 3,000 won": the old price after
# the new one, in the same unit; "$2.85 per GPU hour, down from $4.10 a year ago", "down from
# the $3.10 it had agreed to pay": "down"/"up" say it is a change of the same price
_FROM_NEXT = re.compile(r",?\s+(?:\(\s*)?(?P<change>(?:down|up)\s+)?from\s+(?:the\s+)?")
_TO = re.compile(r"(?i:\bto)\s+$")
# "a year ago" after the old price says when, not per year
_WHEN_AFTER = re.compile(r"\s+a\s+(?:year|month)\s+(?:ago|earlier|before)\b")
_CHANGE = re.compile(
    r"(?i:\b(?:cut|cuts|lower|lowered|reduc\w*|slash\w*|drop\w*|fell|falls?|rais\w*|increas\w*|"
    r"hik\w*|grew|grow\w*|rose|rises?|jump\w*|climb\w*|doubl\w*|halv\w*|went|move[sd]?|chang\w*))"
)


# "2.5 billion yuan (about $345 million)": the same amount converted into another currency.
_CONVERSION_OPEN = re.compile(
    # "a 5-billion-yuan financing round in September (about 704 million U.S. dollars)": a few
    # words may come between the amount and the brackets
    r"(?:\s+[\w-]+){0,5}?\s*\(\s*(?i:(?:about|around|roughly|approximately|some|nearly|almost|or|equivalent\s+to|"
    r"c\.|ca\.)\s*)?~?\s*$"
)
# "(about US$652 million at current exchange rates)", "(about $474 million at ¥152 to the
# dollar)": the rate used may follow inside the brackets
_CONVERSION_CLOSE = re.compile(r"\s*(?:\s(?:at|using)\s[^()\n]{1,40})?\)")
# "KRW 38 billion, roughly $27 million, and ...", "JPY 4.5 billion, or around $30 million at
# current exchange rates": the same, set off by a comma; a word that says "the same" is needed.
_CONVERSION_COMMA_OPEN = re.compile(
    # "CHF 750 million loan package, roughly $940 million,": a noun or two may come between
    r"(?:\s+[a-z][a-z-]*){0,3}"
    r",\s+(?i:or\s+)?(?i:(?:about|around|roughly|approximately|some|nearly|almost|"
    r"equivalent\s+to(?:\s+about|\s+roughly)?)\s+|or\s+)~?"
)
_CONVERSION_COMMA_CLOSE = re.compile(r"\s*(?:[,;)]|\.(?!\d)|$|\s(?i:at\s+(?:current|today))\b)")


class MoneyAmount(NamedTuple):
    """One money figure as written, before attribution."""

    start: int
    end: int
    value: float
    value_high: float | None
    currency: str
    # "1M tokens" | "GPU hour" | "hour" | "energy" | "megawatt" | "month" | "year" | "chip"
    per: str | None
    token_side: str | None  # "input" | "output" when the unit says so
    tokenless_per_million: bool  # "$60 per million": tokens only by context


class _Raw(NamedTuple):
    start: int
    end: int
    value: float
    value_high: float | None
    currency: str
    scale: float = 1.0  # the magnitude written with it: 1e6 for "$3 million", 1 for "$2"


# A sign or one word, as a currency can be named without an amount ("Input ($/M)", "(USD)").
_CURRENCY_TOKEN = re.compile(rf"(?:[A-Za-z.]{{1,4}})?\$|{SIGN_CLASS}|[A-Za-z]+")


def currency_named(words: str) -> str | None:
    """The currency `words` name by a sign or a word the money patterns know: "Input ($/M)" is
    USD, "Blended (yuan / 1K tokens)" CNY; None when they name none."""
    for token in _CURRENCY_TOKEN.finditer(words):
        code = code_before(token.group()) or code_after(token.group())
        if code is not None:
            return code
    return None


def _parse_prefix(match: re.Match[str]) -> _Raw:
    currency = code_before("".join(match.group("pcur").split())) or "USD"
    mag_high = magnitude(match.group("pmag2"))
    mag = magnitude(match.group("pmag"))
    low = parse_digits(match.group("pnum"))
    if match.group("pnum3") is not None:
        high = parse_digits(match.group("pnum3")) * magnitude(match.group("pmag3"))
        shared = mag if match.group("pmag") else magnitude(match.group("pmag3"))  # "$4 to 5bn"
        if low * shared < high:
            return _Raw(match.start(), match.end(), low * shared, high, currency)
        # "$40 billion and 5 billion": no range; the first amount alone
        own_end = match.end("pmag") if match.group("pmag") else match.end("pnum")
        return _Raw(match.start(), own_end, low * mag, None, currency, mag)
    if match.group("pnum2") is None:
        return _Raw(match.start(), match.end(), low * mag, None, currency, mag)
    high = parse_digits(match.group("pnum2")) * mag_high
    if match.group("pmag") is None and low < 1000:
        mag = mag_high  # "$80-100 million": the magnitude is shared
    return _Raw(match.start(), match.end(), low * mag, high, currency)


_LEADING_DIGITS = re.compile(DIGITS)
_LEADING_COUNT = re.compile(rf"{SMALL_WORD_NUMBER}(?=\s)")
_MAGNITUDES_ONLY = re.compile(r"(?i:(?:\s+(?:hundred|thousand|million|billion|trillion))+)")
# "between two and three billion dollars", "from two and a half to three billion", "2 to 3
# million dollars": a bare low end before an amount in words shares its magnitude.
_LOW_END_BEFORE = re.compile(
    rf"(?P<between>(?i:between)\s+)?(?<![\w{SIGN_CHARS}.,-])(?P<low>{DIGITS}|{SMALL_WORD_NUMBER})"
    r"\s*(?P<conn>(?i:to|and)|[-–—])\s*$"
)


def _parse_suffix(match: re.Match[str], number_match: re.Match[str]) -> _Raw:
    word = match.group("scur")
    currency = code_after(word) or "USD"
    scale = 0.01 if is_minor(word) else 1.0
    number = number_match.group("snum")
    start, end = number_match.start(), match.end()
    if number[:1].isdigit() or number[:1] == ".":
        mag = magnitude(number_match.group("smag"))
        # The number's own digits: "5.6" of "5.6 million", "7" of a glued "7bn".
        head = _LEADING_DIGITS.match(number)
        assert head is not None  # the branch is taken only when the number starts with one
        low = parse_digits(head.group()) * mag * scale
        high_text = number_match.group("snum2")
        high = parse_digits(high_text) * mag * scale if high_text else None
        return _Raw(start, end, low, high, currency, mag)
    value = parse_word_number(number) * scale
    # "three billion" is 3 x 1e9, "two hundred million" 2 x 1e8: what a bare "two to" shares;
    # "two hundred and fifty thousand" has no such single magnitude.
    count = _LEADING_COUNT.match(number)
    lead = parse_word_number(count.group()) if count else 0.0
    shared = lead and _MAGNITUDES_ONLY.fullmatch(number, count.end() if count else 0)
    return _Raw(start, end, value, None, currency, value / lead if shared else 1.0)


_FROM_BEFORE = re.compile(r"\bfrom\s+$")  # "rose from 2 to 4 yuan": a change, not a range


def _with_low_end(text: str, raw: _Raw) -> _Raw:
    """The amount as a range when a bare low end comes before it ("two to three million
    dollars", "between 180,000 and 200,000 yuan"); "and" joins only after "between"."""
    if raw.value_high is not None:
        return raw
    low = _LOW_END_BEFORE.search(text, max(0, raw.start - 40), raw.start)
    if low is None or (low.group("conn").lower() == "and" and not low.group("between")):
        return raw
    if raw.scale <= 1.0 and not (
        low.group("low")[:1].isdigit()
        and (
            low.group("between")
            or not _FROM_BEFORE.search(text, max(0, low.start("low") - 12), low.start("low"))
        )
    ):
        return raw  # "between 180,000 and 200,000 yuan", "8 to 10 yuan"; not "from 2 to 4 yuan"
    written = low.group("low")
    number = parse_digits(written) if written[:1].isdigit() else parse_word_number(written)
    value = number * raw.scale
    if not 0 < value < raw.value:
        return raw
    return _Raw(low.start("low"), raw.end, value, raw.value, raw.currency, raw.scale)


def _has_magnitude(number: re.Match[str]) -> bool:
    """A magnitude in the number before a currency word: "45 billion", "half a million"."""
    if number.group("sbare") is not None:
        return False  # "six dollars"
    return number.group("smag") is not None or not number.group("snum")[:1].isdigit()


def _positions(text: str, needles: re.Pattern[str]) -> list[int]:
    """Start offsets of every needle in `text` (needles never overlap one another)."""
    return [m.start() for m in needles.finditer(text)]


# "(All figures are in Canadian dollars unless otherwise noted.)": what a bare "$" means here
_DOLLARS_DECLARED = re.compile(
    r"(?i:(?:figures|amounts|prices|sums|numbers|values)\s+(?:are\s+)?(?:(?:given|expressed"
    r"|quoted|stated|reported)\s+)?in)\s+(?P<which>Canadian|Australian|Singapore|Hong\s+Kong"
    r"|New\s+Zealand|Taiwan|Mexican)\s+dollars"
)
_DECLARED_CURRENCY = {
    "Canadian": "CAD", "Australian": "AUD", "Singapore": "SGD", "Hong Kong": "HKD",
    "New Zealand": "NZD", "Taiwan": "TWD", "Mexican": "MXN",
}  # fmt: skip
_PLAIN_DOLLAR_WORDS = frozenset(("dollar", "dollars", "cent", "cents"))


def declared_dollar(text: str) -> str | None:
    """The currency an article says its bare "$" amounts are in, or None (US dollars)."""
    if "dollars" not in text:
        return None
    m = _DOLLARS_DECLARED.search(text)
    return _DECLARED_CURRENCY[" ".join(m.group("which").split())] if m else None


def _mentions_rand(text: str) -> bool:
    """Whether the text says "South Africa", or "rand" or "ZAR" as a word (found with
    `str.find`: a pattern that opens with a word boundary would try every position)."""
    if "South Africa" in text:
        return True
    for word in ("rand", "ZAR"):
        pos = text.find(word)
        while pos >= 0:
            end = pos + len(word)
            if (pos == 0 or not text[pos - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            ):
                return True
            pos = text.find(word, end)
    return False


def _raw_amounts(text: str) -> list[_Raw]:
    raws: list[_Raw] = []
    end = -1
    dollar = declared_dollar(text)
    for pos in _positions(text, _PREFIX_NEEDLES):
        if pos < end:
            continue
        start = pos
        # "U.S.$", "US$", "HK$", "C$" start before the sign: only after one of these characters
        if pos and text[pos] == "$" and (text[pos - 1] in _BEFORE_SIGN or text[pos - 1].isspace()):
            for back in _MARK_BACK:
                if pos < back or text[pos - back] not in _PREFIX_FIRST:
                    continue  # no currency prefix can start there
                prefixed = _PREFIX_AMOUNT.match(text, pos - back)
                if prefixed is not None and prefixed.end("pcur") == pos + 1:
                    start = pos - back
                    break
        match = _PREFIX_AMOUNT.match(text, start)
        if match is not None:
            raw = _parse_prefix(match)
            if match.group("pcur") == "¥":
                raw = raw._replace(currency=yen_or_yuan(text, raw.start, raw.end))
            elif dollar is not None and match.group("pcur") == "$":
                raw = raw._replace(currency=dollar)
            raws.append(raw)
            end = match.end()
    if _mentions_rand(text):
        rands = (_parse_prefix(m)._replace(currency="ZAR") for m in _RAND_AMOUNT.finditer(text))
        raws.extend(rands)  # sorted below
    taken = [(r.start, r.end) for r in raws]
    for needle in _SPACED_SUFFIX_NEEDLES.finditer(text):
        m = _SUFFIX_CURRENCY_WORD.match(text, needle.start())
        if m is None:
            continue
        number = _NUMBER_BEFORE_CURRENCY.search(text, max(0, m.start() - 40), m.start())
        if number is None or any(a < m.end() and number.start() < b for a, b in taken):
            continue
        if text[m.start()] == "-" and not _has_magnitude(number):
            continue  # "the 36-cent figure": a compound word, not an amount of its own
        if (
            m.group("scur") in _NEEDS_MAGNITUDE
            and not _has_magnitude(number)
            and _unit_after(text, m.end())[1] != "1M tokens"  # "1,300 won per million tokens"
            # "from 3,000 won", "70,000 won": no team wins a grouped number of things
            and not _GROUPED_DIGITS.fullmatch(number.group("snum") or "")
        ):
            continue
        if _YEAR_PRICES.search(text, max(0, number.start() - 12), number.end()):
            continue  # "(in 2024 dollars)": the prices of a year, no amount
        raw = _with_low_end(text, _parse_suffix(m, number))
        if m.group("scur").lower() in SHARED_WORDS:
            raw = raw._replace(currency=code_in(text, m.group("scur")) or raw.currency)
        if dollar is not None and m.group("scur").lower() in _PLAIN_DOLLAR_WORDS:
            raw = raw._replace(currency=dollar)
        raws.append(raw)
    raws.sort(key=lambda r: r.start)
    return raws


def _unit_after(text: str, pos: int) -> tuple[int, str | None, str | None, float, bool]:
    """(end, per, token side, multiplier to per-1M-tokens, token-less) of a unit at `pos`."""
    if pos >= len(text) or not (text[pos] == "/" or text[pos].isspace()):
        return pos, None, None, 1.0, False  # every unit starts with a space or a slash
    token = _TOKEN_UNIT.match(text, pos)
    if token is not None:
        side = token.group("side") or token.group("side2") or token.group("side3")
        side_name = None
        if side:
            side_name = "output" if side in ("output", "completion", "out") else "input"
        # "$0.28/M input", "$4.40/M out": the side names tokens as well as the word would.
        has_tokens = bool(token.group("tok") or token.group("tokglued") or side)
        if has_tokens or not _NOUN_AFTER.match(text, token.end()):
            factor = 1.0 if token.group("mil") else 1000.0
            return token.end(), "1M tokens", side_name, factor, not has_tokens
    units = (
        (_GPU_HOUR_UNIT, "GPU hour"),
        (_CHIP_UNIT, "chip"),
        (_HOUR_UNIT, "hour"),
        (_ENERGY_UNIT, "energy"),
        (_CAPACITY_UNIT, "megawatt"),
    )
    for pattern, per in units:
        unit = pattern.match(text, pos)
        if unit is not None:
            return unit.end(), per, None, 1.0, False
    period = _PERIOD_UNIT.match(text, pos)
    if period is not None:
        word = next(g for g in period.groups() if g)
        per = "year" if word in ("year", "yr", "annually") else "month"
        return period.end(), per, None, 1.0, False
    return pos, None, None, 1.0, False


def _with_unit(text: str, raws: list[_Raw], high: float | None) -> list[MoneyAmount]:
    """Amounts that share the unit written after the last of them."""
    end, per, side, factor, tokenless = _unit_after(text, raws[-1].end)
    amounts = []
    for i, raw in enumerate(raws):
        last = i == len(raws) - 1
        amounts.append(
            MoneyAmount(
                start=raw.start,
                end=end if last else raw.end,
                value=raw.value * factor,
                value_high=None if high is None else high * factor,
                currency=raw.currency,
                per=per,
                token_side=side,
                tokenless_per_million=tokenless,
            )
        )
    return amounts


def find_money(text: str) -> list[MoneyAmount]:
    """Every money amount in `text`, in order; a range is one amount."""
    raws = _raw_amounts(text)
    found: list[MoneyAmount] = []
    i = 0
    while i < len(raws):
        raw = raws[i]
        nxt = raws[i + 1] if i + 1 < len(raws) else None
        joined = nxt is not None and nxt.currency == raw.currency and raw.value_high is None
        connector = _CONNECTOR.fullmatch(text, raw.end, nxt.start) if joined and nxt else None
        if nxt is not None and connector is not None:
            before = text[max(0, raw.start - 12) : raw.start]
            word = connector.group().strip()
            is_from = _FROM.search(before) is not None
            changed = is_from and (
                nxt.value < raw.value or _CHANGE.search(text, max(0, raw.start - 80), raw.start)
            )
            if word == "and" and not _BETWEEN.search(before):
                changed = True  # "$30 and $60": two amounts
            if nxt.value < raw.value:
                changed = True  # a range never runs downwards: "$5 to $3" is two amounts
            if changed:
                found.extend(_with_unit(text, [raw, nxt], None))
            else:
                low = raw.value
                if raw.scale == 1.0 and nxt.scale > 1.0 and raw.value * nxt.scale < nxt.value:
                    low = raw.value * nxt.scale  # "$2 to $3 million": the magnitude is shared
                span = _Raw(raw.start, nxt.end, low, nxt.value, raw.currency, nxt.scale)
                found.extend(_with_unit(text, [span], nxt.value))
            i += 2
            continue
        carried = _unit_carried(text, raw, nxt) if joined and nxt else None
        if carried is not None:
            found.extend(carried)
            i += 2
            continue
        found.extend(_with_unit(text, [raw], raw.value_high))
        i += 1
    # "$0" is no cost figure; neither is a number too large for a float. A range never runs
    # downwards: "$1-0" (a score, a typo) is the one amount.
    return [
        a if a.value_high is None or a.value_high > a.value else a._replace(value_high=None)
        for a in _without_conversions(text, found)
        if 0 < a.value < math.inf and (a.value_high is None or a.value_high < math.inf)
    ]


def _unit_carried(text: str, raw: _Raw, nxt: _Raw) -> list[MoneyAmount] | None:
    """ "from 0.02 yuan per thousand tokens to 0.0005 yuan", "was 0.8 cents per 1,000 tokens,
    now 0.6 cents", "cut to $0.50 per million tokens, from $1.50": the second shares the
    first's unit."""
    end, per, side, factor, tokenless = _unit_after(text, raw.end)
    if per is None:
        return None
    if _unit_after(text, nxt.end)[1] is not None and not _WHEN_AFTER.match(text, nxt.end):
        return None
    before = max(0, raw.start - 12)
    from_to = _TO_NEXT.fullmatch(text, end, nxt.start) and _FROM.search(text, before, raw.start)
    was_now = _NOW_NEXT.fullmatch(text, end, nxt.start) and _WAS.search(text, before, raw.start)
    old_price = _FROM_NEXT.fullmatch(text, end, nxt.start)
    to_from = (
        old_price is not None
        and _TO.search(text, before, raw.start)
        and _CHANGE.search(text, max(0, raw.start - 80), raw.start)
    )
    # (token prices come in input/output pairs, whose sides the pair's own rules sort out)
    down_up = old_price is not None and old_price.group("change") and per in ("GPU hour", "hour")
    if not (from_to or was_now or to_from or down_up):
        return None
    first = _with_unit(text, [raw], None)
    second = MoneyAmount(
        nxt.start, nxt.end, nxt.value * factor, None, nxt.currency, per, side, tokenless
    )
    return [*first, second]


def _without_conversions(text: str, amounts: list[MoneyAmount]) -> list[MoneyAmount]:
    """Drop an amount that only restates the one before it in another currency.

    In brackets ("2.5 billion yuan (about $345 million)") or after a comma and a word
    that says it is the same ("KRW 38 billion, roughly $27 million").
    """
    kept: list[MoneyAmount] = []
    for amount in amounts:
        before = kept[-1] if kept else None
        close = None
        if before is not None and before.currency != amount.currency:
            if _CONVERSION_OPEN.fullmatch(text, before.end, amount.start):
                close = _CONVERSION_CLOSE.match(text, amount.end)
            elif before.per is None and _CONVERSION_COMMA_OPEN.fullmatch(
                text, before.end, amount.start
            ):
                close = _CONVERSION_COMMA_CLOSE.match(text, amount.end)
                if close is not None:
                    continue  # the unit after it, if any, is already the first amount's
        if before is None or close is None:
            kept.append(amount)
            continue
        end, per, side, factor, tokenless = _unit_after(text, close.end())
        if before.per is None and per is not None:
            # "R$ 11.50 (US$ 2.11) per GPU-hour": the unit after the brackets is both amounts'
            kept[-1] = before._replace(
                end=end,
                value=before.value * factor,
                value_high=None if before.value_high is None else before.value_high * factor,
                per=per,
                token_side=side,
                tokenless_per_million=tokenless,
            )
    return kept
