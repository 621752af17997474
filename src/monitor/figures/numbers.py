"""Numbers as reporters write them: digits with thousands separators, magnitude
words and suffixes ("$40bn", "2.788 million"), and counts spelled out in words
("one thousand", "five hundred", "half a million").

The patterns are regex fragments without groups, meant to be embedded in the
money and chip grammars; the parse functions turn a matched piece into a float.
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
_INDIAN_SCALES = {"lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "lakh crore": 1e12}
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
MAGNITUDE_WORD = r"(?i:thousand|million|billion|trillion|lakh\s+crores?|crores?|lakhs?)\b"
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


def english_digits(text: str) -> str | None:
    """`text` with its numbers rewritten in English format ("€1,5 billion" -> "€1.5
    billion", "4.096 GPUs" -> "4,096 GPUs"), when the article writes them the continental
    way; None when it does not. Every offset stays where it was: only "." and "," swap.
    Dots that cannot separate thousands ("GPT-4.5", "3.1", dates) are left alone."""
    if "," not in text:
        return None
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
