"""Numbers as reporters write them: digits with thousands separators, magnitude
words and suffixes ("$40bn", "2.788 million"), and counts spelled out in words
("one thousand", "five hundred", "half a million").

The patterns are regex fragments without groups, meant to be embedded in the
money and chip grammars; the parse functions turn a matched piece into a float.
`english_digits` first rewrites, in place, numbers written the continental,
French or Swiss way ("€1,5 billion", "6 144 GPU", "1,2 Md€", "6'144").
"""

from __future__ import annotations

import re

_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# South Asian magnitudes: a lakh is 100,000, a crore 10 million ("₹10,372 crore").
_INDIAN_SCALES = {
    "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "lakh crore": 1e12, "cr": 1e7,
    "cr.": 1e7, "lakh cr": 1e12, "lakh cr.": 1e12,
}  # fmt: skip
_SUFFIXES = {
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "bln": 1e9, "t": 1e12,
    "tn": 1e12, "trln": 1e12,
}  # fmt: skip

# 2,048 / 16,384 / 2.788 / 0.0004 / .5, and European thousands where they cannot be
# decimals: 1.234.000 (two or more dot groups; "2.500" alone stays 2.5), 2.500.000,50
DIGITS = (
    r"(?:\d{1,3}(?:\.\d{3}){2,}(?:,\d{1,2})?(?![\d.,]\d)"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
)
# A magnitude word after a number: "5.6 million", "850 crore", "1 lakh crore".
# "Rs 1,200 cr", "Rs 2.1 lakh cr": the crore abbreviated
MAGNITUDE_WORD = (
    r"(?i:thousand|million|billion|trillion|lakh\s+(?:crores?|cr\b\.?)|crores?|cr\b\.?|lakhs?)"
    r"(?:(?<=\.)|\b)"
)
# A magnitude glued to the number: "$40bn", "$5B", "$100m", "$4.5M", "$12K"; the
# two- and three-letter ones also after a space ("$7 bn", "7 mln yuan").
MAGNITUDE_SUFFIX = r"(?:bn|bln|mn|mln|tn|trln|[kKmMbBT]|\s(?:bn|bln|mn|mln|tn|trln))(?![\w])"

_ONE_WORD = "|".join(sorted(_ONES, key=len, reverse=True))
_TEN_WORD = "|".join(_TENS)
_COUNT = (
    rf"(?:(?:{_TEN_WORD}|{_ONE_WORD})\s+and\s+an?\s+half"
    rf"|(?:an?|one|three)[\s-]+quarters?\s+of\s+an?"
    rf"|(?:{_TEN_WORD})(?:[- ](?:{_ONE_WORD}))?|{_ONE_WORD}|half\s+an?|an?)"
)
# "fifty-six", "twelve": a number below a hundred in words.
_UNDER_HUNDRED = rf"(?:{_TEN_WORD})(?:[- ](?:{_ONE_WORD}))?|{_ONE_WORD}"
_DIGIT_WORD = "zero|one|two|three|four|five|six|seven|eight|nine"
# "one thousand", "Five hundred", "half a million", "a quarter of a million", "a billion",
# "two hundred thousand", "two hundred and fifty-six", "one point three billion", "twenty-four
# thousand five hundred seventy-six".
# A count word is required, so "a few hundred" and "thousands of" never match.
WORD_NUMBER = (
    rf"(?i:(?<![\w-])(?:{_COUNT})(?:\s+point(?:\s+(?:{_DIGIT_WORD}))+)?"
    rf"\s+(?:hundred(?:\s+(?:and\s+)?(?:{_UNDER_HUNDRED}))?|thousand|million|billion|trillion)"
    r"(?:\s+(?:thousand|million|billion|trillion))?"
    # "twenty-four thousand five hundred seventy-six", "a thousand and twenty-four"
    rf"(?:(?<=thousand)(?:\s+(?:and\s+)?(?:{_UNDER_HUNDRED})\s+hundred"
    rf"(?:\s+(?:and\s+)?(?:{_UNDER_HUNDRED}))?|\s+and\s+(?:{_UNDER_HUNDRED})))?)(?![\w-])"
)
# "two", "two and a half", "one point five": the low end of "two to three billion dollars".
SMALL_WORD_NUMBER = (
    rf"(?i:(?<![\w-])(?:(?:{_UNDER_HUNDRED})(?:\s+and\s+an?\s+half)?"
    rf"(?:\s+point(?:\s+(?:{_DIGIT_WORD}))+)?)(?![\w-]))"
)
# "six dollars", "forty cents": a number below a hundred in words, before a currency word only.
BARE_WORD_NUMBER = rf"(?i:(?<![\w-])(?:{_UNDER_HUNDRED}))"


def parse_digits(text: str) -> float:
    """'2,048' -> 2048.0, '0.0004' -> 0.0004, '1.234.000,5' -> 1234000.5."""
    if text.count(".") > 1:
        return float(text.replace(".", "").replace(",", "."))
    return float(text.replace(",", ""))


def magnitude(word: str | None) -> float:
    """Multiplier of a magnitude word or suffix; 1 when there is none."""
    if not word:
        return 1.0
    key = " ".join(word.lower().lstrip("-").split())  # "-crore" in "₹1,850-crore"
    return _SCALES.get(key) or _INDIAN_SCALES.get(key) or _SUFFIXES.get(key) or 1.0


def parse_word_number(text: str) -> float:
    """'five hundred' -> 500, 'half a million' -> 500000, 'a quarter of a million' -> 250000,
    'two hundred and fifty-six' -> 256, 'one point three billion' -> 1.3e9, 'six' -> 6,
    'two and a half' -> 2.5."""
    words = text.lower().replace("-", " ").split()
    value = 0.0
    count = 0.0
    decimal = 0.0  # after "point": the place value of the next digit word
    previous: list[str] = []
    for word in words:
        if word == "point":
            decimal = 0.1
        elif decimal and (word in _ONES or word == "zero"):
            count += _ONES.get(word, 0) * decimal
            decimal /= 10
        elif word in _ONES:
            count += _ONES[word]
        elif word in _TENS:
            count += _TENS[word]
        elif word in ("a", "an"):
            count = count or 1.0
        elif word == "half":
            count = count + 0.5 if previous[-2:] in (["and", "a"], ["and", "an"]) else 0.5
        elif word in ("quarter", "quarters"):
            count = (count or 1.0) * 0.25
        elif word in _SCALES:
            decimal = 0.0
            count = (count or 1.0) * _SCALES[word]
            if _SCALES[word] >= 1e3:
                value += count
                count = 0.0
        previous.append(word)
    return value + count


def parse_number(text: str) -> float:
    """A DIGITS or WORD_NUMBER match, with an optional trailing magnitude word."""
    parts = text.split()
    if (parts and parts[0][:1].isdigit()) or text[:1] == ".":
        head = parts[0]
        return parse_digits(head) * (magnitude(parts[1]) if len(parts) > 1 else 1.0)
    return parse_word_number(text)


# Continental number format, as European outlets in English translation keep it: a decimal
# comma and dots between thousands ("€1,5 billion", "€0,40 per million tokens", "4.096 GPUs",
# "2.304.000 GPU hours"). A decimal comma has one, two or four-plus digits after it (three
# are thousands in English: "1,500"); so has an English decimal point ("1.5", "0.0004").
# Each pattern opens with its literal, which `re` finds at C speed: every article is asked.
_NUMBER_TOKEN = re.compile(r"\d+(?:[.,]\d+)+")
_DECIMAL_COMMA = re.compile(r",(?<=\d,)(?:\d{1,2}|\d{4,})(?![\d.,])")
_DECIMAL_POINT = re.compile(r"\.(?<=\d\.)(?:\d{1,2}|\d{4,})(?![\d.,])")
_CONTINENTAL_MIN = 2  # decimal commas an article needs, and more than it has decimal points
_SWAP = str.maketrans(".,", ",.")


# Thousands set off by spaces, as French and SI style write them ("6 144 GPU", "18 000"):
# where a no-break or thin space sets them off, and with a plain space in an article with
# continental decimals that groups more numbers so than with commas (in an English one,
# "on 3 100-acre sites" stays).
# (it opens with a digit, not with its lookbehind, so that `re` skips to the digits fast)
_SPACED_THOUSANDS = re.compile(
    r"\d(?<![\d.,]\d)\d{0,2}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d]|[.,]\d)"
)
_NARROW_SPACES = "\u00a0\u2009\u202f"
_SPACES = re.compile("[ \u00a0\u2009\u202f]")
_NARROW_GROUP = re.compile(r"[\u00a0\u2009\u202f](?<=\d.)\d{3}(?!\d)")  # from a rare space
_COMMA_THOUSANDS = re.compile(r",(?<=\d,)\d{3}(?!\d)")
# A currency after its amount, as French and German outlets write it: "1.2 Md€", "300 M€",
# "45 k€", "0.80 €", "95 M$", "4 Mrd. Euro", "2.5 milliards d'euros" (read once the digits
# are English: "1,2 Md€" is "1.2 Md€" by then). Found from the sign or the word, which `re`
# skips to fast, then the amount is read backwards.
# a sign no amount follows ("0.80 € per"; not "€0.80", "€ 0.80" or "$HGT"): one pattern per
# sign, each opening with its literal, which `re` skips to fast
_SIGNS_LAST = tuple(re.compile(rf"\{sign}(?![ \u00a0]?\d|\w)") for sign in "€$£")
_CURRENCY_WORD_LAST = re.compile(r"(?:Euro|Dollar)(?![\w])")
_AMOUNT_BEFORE_SIGN = re.compile(
    r"(?<![\w$€£.,])(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)[ \u00a0\u202f]?"
    r"(?:(?P<mag>Mds?|Mrds?|Mio|M|k|K)\.?[ \u00a0\u202f]?)?$"
)
_SCALE_WORD = re.compile(
    r"(?:milliards?|millions?)[ \u00a0\u202f](?:d['’]euros?|de[ ]dollars)(?![\w])"
)
_NUMBER_BEFORE_WORD = re.compile(r"(?<![\w$€£.,])(?P<num>\d+(?:\.\d+)?)[ \u00a0\u202f]$")
_LOOKBACK = 24
_LARGE_AMOUNT = 100_000.0
_PER_UNIT = re.compile(r"\s?(?:/|(?:per|an?)\s)")
_AFTER_AMOUNT = frozenset("0123456789 \u00a0\u202fMdskKo.")  # what may come right before a sign
# English forms of each magnitude, longest first: the one that fits is written
_POSTFIX_MAGNITUDES = {
    "Md": (" bn", "bn"), "Mds": (" bn", "bn"), "Mrd": (" bn", "bn"), "Mrds": (" bn", "bn"),
    "M": (" mn", "mn", "M"), "Mio": (" mn", "mn", "M"), "k": ("k",), "K": ("k",),
}  # fmt: skip
_POSTFIX_SIGNS = {"€": "€", "$": "$", "£": "£", "Euro": "€", "Dollar": "$"}


def english_digits(text: str) -> str | None:
    """`text` with its numbers rewritten in English format ("€1,5 billion" -> "€1.5
    billion", "4.096 GPUs" -> "4,096 GPUs", "6 144 GPU" -> "6,144 GPU", "1,2 Md€" ->
    "€1.2 bn"), when the article writes them another way; None when it does not. Every
    offset stays where it was: characters are swapped or replaced, never added or removed.
    Dots that cannot separate thousands ("GPT-4.5", "3.1", dates) are left alone."""
    read = _continental_to_english(text) if "," in text else None
    english = read or text
    if read is not None or any(c in text for c in _NARROW_SPACES):
        english = _spaced_thousands_to_commas(english, narrow_only=read is None) or english
    english = _currency_first(english) or english
    english = _swiss_and_german(english) or english
    return None if english is text else english


# Swiss thousands ("6'144 GPUs", "CHF 1'200 million") and German magnitudes after an amount
# ("EUR 300 Mio.", "CHF 1.2 Mrd.", "Fr. 2 Mia."), each found from a literal first.
# (one pattern per apostrophe: each opens with a literal, which `re` skips to fast)
_APOSTROPHE_GROUPS = tuple(re.compile(rf"{q}(?<=\d{q})\d{{3}}(?!\d)") for q in "'’")
_APOSTROPHE_THOUSANDS = re.compile(r"\d(?<![\d.,'’]\d)\d{0,2}(?:['’]\d{3})+(?![\d'’])")
_ABBREVIATED_MAGNITUDE = re.compile(r"M(?P<mag>io|rd|ia)\b\.?")
_ABBREVIATED = {"io": " mn", "rd": " bn", "ia": " bn"}
_QUOTES = re.compile("['’]")


def _swiss_and_german(text: str) -> str | None:
    """ "6'144" as "6,144", "300 Mio." as "300 mn  ": the same length; None when unchanged."""
    out = text
    if any(group.search(out) is not None for group in _APOSTROPHE_GROUPS):
        out = _APOSTROPHE_THOUSANDS.sub(lambda m: _QUOTES.sub(",", m.group()), out)
    pieces = []
    for m in _ABBREVIATED_MAGNITUDE.finditer(out) if "M" in out else ():
        start = m.start() - 1  # the space between the amount and the magnitude
        if start > 0 and out[start] in " \u00a0" and out[start - 1].isdigit():
            english = _ABBREVIATED[m.group("mag")].ljust(m.end() - start)
            pieces.append((start, m.end(), english))
    out = _spliced(out, pieces) if pieces else out
    return None if out == text else out


def _currency_first(text: str) -> str | None:
    """Every amount whose currency comes after it, rewritten with the currency first
    ("1.2 Md€" as "€1.2 bn", "0.80 €" as "€ 0.80", "2.5 milliards d'euros" as "2.5
    billion euros"), each the same length; None when there is none."""
    pieces: list[tuple[int, int, str]] = []
    signs = [
        m.span()
        for sign in _SIGNS_LAST
        for m in sign.finditer(text)
        if m.start() and text[m.start() - 1] in _AFTER_AMOUNT
    ]
    if "Euro" in text or "Dollar" in text:
        signs += [m.span() for m in _CURRENCY_WORD_LAST.finditer(text)]
    for start, end in signs:
        amount = _AMOUNT_BEFORE_SIGN.search(text, max(0, start - _LOOKBACK), start)
        if amount is None:
            continue
        size, num = end - amount.start(), amount.group("num")
        if amount.group("mag") is None and not _large_or_per_unit(text, num, end):
            continue  # "19,99 €" in a shop: no amount of ours, and not worth reading
        mark = _POSTFIX_SIGNS[text[start:end]]
        forms = _POSTFIX_MAGNITUDES[amount.group("mag")] if amount.group("mag") else ("",)
        room = size - len(mark) - len(num)
        form = next((f for f in forms if len(f) <= room), forms[-1])
        gap = " " if room - len(form) == 1 else ""  # "€ 0.80": a space a prefix may have
        pieces.append((amount.start(), end, f"{mark}{gap}{num}{form}".ljust(size)))
    for word in _SCALE_WORD.finditer(text) if "illi" in text else ():
        amount = _NUMBER_BEFORE_WORD.search(text, max(0, word.start() - _LOOKBACK), word.start())
        if amount is None:
            continue
        scale = "billion" if word.group().startswith("milliard") else "million"
        currency = "euros" if "euro" in word.group() else "dollars"
        english = f"{amount.group('num')} {scale} {currency}"
        pieces.append((amount.start(), word.end(), english.ljust(word.end() - amount.start())))
    return _spliced(text, pieces) if pieces else None


def _spliced(text: str, pieces: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end) span replaced by its string (none overlap)."""
    out: list[str] = []
    done = 0
    for start, end, replacement in sorted(pieces):
        out.extend((text[done:start], replacement))
        done = end
    out.append(text[done:])
    return "".join(out)


def _large_or_per_unit(text: str, num: str, end: int) -> bool:
    """Whether a plain amount with its sign after it is large ("300,000 €") or a rate
    ("0.80 € per million tokens", "2.10 €/GPU-hour")."""
    return float(num.replace(",", "")) >= _LARGE_AMOUNT or _PER_UNIT.match(text, end) is not None


def _spaced_thousands_to_commas(text: str, narrow_only: bool) -> str | None:
    """ "6 144" as "6,144" where spaces group thousands (see `_SPACED_THOUSANDS`)."""
    if narrow_only and _NARROW_GROUP.search(text) is None:
        return None
    groups = list(_SPACED_THOUSANDS.finditer(text))
    plain = sum(1 for g in groups if not any(c in g.group() for c in _NARROW_SPACES))
    plain_ok = not narrow_only and plain > len(_COMMA_THOUSANDS.findall(text))
    if not groups or (not plain_ok and plain == len(groups)):
        return None
    return _spliced(
        text,
        [
            (group.start(), group.end(), _SPACES.sub(",", group.group()))
            for group in groups
            if plain_ok or " " not in group.group()
        ],
    )


def _continental_to_english(text: str) -> str | None:
    """Decimal commas and dot thousands swapped to English ones, when the article writes
    them so (see `_DECIMAL_COMMA`); None when it does not."""
    commas = len(_DECIMAL_COMMA.findall(text))
    if commas < _CONTINENTAL_MIN or commas <= len(_DECIMAL_POINT.findall(text)):
        return None

    def to_english(match: re.Match[str]) -> str:
        token = match.group()
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_.,-"):
            return token  # part of a name or a longer token: "GPT-4.5", "A100,5"
        if any(len(group) != 3 for group in token.split(",")[0].split(".")[1:]):
            return token  # "3.1", "14.10.2025": a dot that is no thousands separator
        return token.translate(_SWAP)

    return _NUMBER_TOKEN.sub(to_english, text)
