"""Every currency the money patterns read, in one table.

A currency is written with a sign before the amount ("€4 million"), letters before a
"$" ("HK$3bn"), its code or an abbreviation before the amount ("CHF 40 million",
"Rs 800 crore"), or a word after it ("40 million Swiss francs", "2 trillion won").
Adding a currency here is all it takes: the patterns, the needles that find where
they can match, and the lookups from what was written to an ISO code are built from
this table (in `money`, `metrics` and `sentences`).

Its code is read both before and after an amount ("USD 2 million", "2 million USD").
Words after an amount are read in any case ("Swiss Francs"), except the short
ones that are also English words or names, which are read only as written
("won", "rand", "dong", "yuan"). A word several currencies share ("pesos") is
read by the country the article names most ("pesos", "shillings").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.figures.alternation import literal_alternation


@dataclass(frozen=True)
class Currency:
    code: str  # ISO 4217
    sign: str = ""  # one character before the amount: "€"
    dollar_marks: tuple[str, ...] = ()  # letters before "$": "HK" of "HK$"
    before: tuple[str, ...] = ()  # besides the code, before the amount, as written: "Rs"
    words: tuple[str, ...] = ()  # after the amount, any case: "swiss francs"
    words_as_written: tuple[str, ...] = ()  # after the amount, only as written: "won"
    minor: tuple[str, ...] = ()  # a hundredth, after the amount, any case: "cents"


CURRENCIES = (
    Currency("USD", "$", ("US", "U.S."), words=("dollar", "dollars", "us dollars", "u.s. dollars"),
             minor=("cent", "cents")),
    Currency("EUR", "€", words=("euro", "euros")),
    Currency("GBP", "£", words=("pounds sterling",)),
    # "¥" is yuan or yen by the country around it (`yen_or_yuan`); yuan when neither is named
    Currency("CNY", "¥", before=("RMB", "Rmb"), words_as_written=("yuan", "renminbi", "RMB")),
    Currency("JPY", before=("Yen",), words_as_written=("yen",)),
    Currency("INR", "₹", before=("Rs", "Rs."), words=("rupees",)),
    # "won" is also a verb: `money` reads it only after a magnitude or a grouped number
    Currency("KRW", "₩", words_as_written=("won",)),
    Currency("CHF", before=("Fr.", "SFr.", "SFr"), words=("swiss francs",)),
    Currency("NOK", words=("norwegian kroner",)),
    Currency("SEK", words=("swedish kronor",)),
    Currency("DKK", words=("danish kroner",)),
    Currency("BRL", dollar_marks=("R",), words=("reais",)),
    Currency("MXN", dollar_marks=("MX", "Mex"), words=("mexican peso", "mexican pesos")),
    Currency("PHP", "₱", words=("philippine peso", "philippine pesos")),
    Currency("ARS", words=("argentine peso", "argentine pesos")),
    Currency("COP", words=("colombian peso", "colombian pesos")),
    Currency("CLP", words=("chilean peso", "chilean pesos")),
    Currency("CAD", dollar_marks=("C",), words=("canadian dollar", "canadian dollars")),
    Currency("AUD", dollar_marks=("A",), words=("australian dollar", "australian dollars")),
    Currency("SGD", dollar_marks=("S",), words=("singapore dollar", "singapore dollars")),
    Currency("HKD", dollar_marks=("HK",), words=("hong kong dollar", "hong kong dollars")),
    Currency("TWD", dollar_marks=("NT",)),
    Currency("MYR", before=("RM",), words=("ringgit",)),
    # "Dh3.7bn", "SR1.5bn": as Gulf papers write dirhams and riyals
    Currency("AED", before=("Dh", "Dhs"), words=("dirham", "dirhams")),
    Currency("SAR", before=("SR",), words=("riyal", "riyals", "saudi riyal", "saudi riyals")),
    Currency("QAR", words=("qatari riyal", "qatari riyals")),
    Currency("PLN", words=("złoty", "zloty", "złotys", "zlotys", "zł"),
             minor=("grosz", "grosze", "groszy")),
    # "R540m": the rand's "R" has its own pattern in `money`, read only where the rand is named
    Currency("ZAR", words_as_written=("rand",)),
    Currency("VND", words_as_written=("dong", "đồng")),
    Currency("ILS", "₪", before=("NIS",), words=("shekel", "shekels")),
    Currency("NGN", "₦", words=("naira",)),
    Currency("TRY", "₺", words=("lira", "liras", "turkish lira", "turkish liras")),
    # "Sh13bn", "KSh2.6 billion": as East African papers write shillings
    Currency("KES", before=("KSh", "Ksh", "KShs", "Kshs", "Sh", "Shs"),
             words=("kenya shilling", "kenya shillings", "kenyan shilling", "kenyan shillings")),
    Currency("UGX", before=("USh", "Ush", "UShs"),
             words=("uganda shilling", "uganda shillings", "ugandan shilling",
                    "ugandan shillings")),
    Currency("TZS", before=("TSh", "Tsh", "TShs"),
             words=("tanzania shilling", "tanzania shillings", "tanzanian shilling",
                    "tanzanian shillings")),
)  # fmt: skip

# A word several currencies share ("40 million pesos"): the country the article names most
# decides, and the first currency when it names none of them.
SHARED_WORDS = {"peso": ("MXN", "PHP", "ARS", "COP", "CLP"), "shilling": ("KES", "UGX", "TZS")}
SHARED_WORDS["pesos"] = SHARED_WORDS["peso"]
SHARED_WORDS["shillings"] = SHARED_WORDS["shilling"]
_COUNTRY = {
    "MXN": "Mexico Mexican Querétaro Queretaro Monterrey Guadalajara",
    "PHP": "Philippines Philippine Filipino Manila",
    "ARS": "Argentina Argentine Argentinian",
    "COP": "Colombia Colombian Bogotá Bogota Medellín Medellin",
    "CLP": "Chile Chilean Santiago",
    "KES": "Kenya Kenyan Nairobi Mombasa",
    "UGX": "Uganda Ugandan Kampala",
    "TZS": "Tanzania Tanzanian Dodoma",
}
_COUNTRY_WORDS = {
    code: re.compile(rf"\b(?:{'|'.join(words.split())})\b") for code, words in _COUNTRY.items()
}

SIGNS = "".join(c.sign for c in CURRENCIES if c.sign)
SIGN_CHARS = SIGNS.replace("$", r"\$")  # the signs inside a pattern's character class
SIGN_CLASS = f"[{SIGN_CHARS}]"


def _key(written: str) -> str:
    """How a written currency is looked up: lowercase, no dots, one space between words."""
    return " ".join(written.replace(".", "").lower().split())


# Before an amount: signs, "HK$", and codes and abbreviations as written.
DOLLAR_MARKS = tuple(m for c in CURRENCIES for m in c.dollar_marks)
BEFORE_WORDS = tuple(w for c in CURRENCIES for w in (c.code, *c.before))
_BEFORE_CODES = {
    _key(form): c.code
    for c in CURRENCIES
    for form in (c.sign, *(f"{m}$" for m in c.dollar_marks), c.code, *c.before)
    if form
}
# After an amount: words in any case, or only as written (among them every code).
AFTER_ANY_CASE = (*(w for c in CURRENCIES for w in (*c.words, *c.minor)), *SHARED_WORDS)
AFTER_AS_WRITTEN = tuple(
    w
    for c in CURRENCIES
    for w in (*c.words_as_written, c.code, *(b for b in c.before if b.isupper() and len(b) == 3))
)
_AFTER_CODES = {
    _key(form): c.code
    for c in CURRENCIES
    for form in (*c.words, *c.minor, *c.words_as_written, c.code, *c.before)
}
_AFTER_CODES.update((word, codes[0]) for word, codes in SHARED_WORDS.items())
_MINOR = frozenset(_key(w) for c in CURRENCIES for w in c.minor)


def code_before(written: str) -> str | None:
    """The ISO code of a currency written before an amount: "HK$", "u.s.$", "Rs."."""
    return _BEFORE_CODES.get(_key(written))


def code_after(written: str) -> str | None:
    """The ISO code of a currency written after an amount: "Swiss francs", "won"."""
    return _AFTER_CODES.get(_key(written))


def code_in(text: str, written: str) -> str | None:
    """`code_after`, where a word several currencies share ("pesos") is read by the country
    `text` names most often."""
    codes = SHARED_WORDS.get(_key(written))
    if codes is None:
        return code_after(written)
    counts = [len(_COUNTRY_WORDS[code].findall(text)) for code in codes]
    return codes[counts.index(max(counts))]


def is_minor(written: str) -> bool:
    """Whether the word after an amount is a hundredth of a currency: "cents", "groszy"."""
    return _key(written) in _MINOR


def phrase_alternation(words: tuple[str, ...]) -> str:
    """`literal_alternation` of `words`, where a space in a phrase is any one whitespace
    character (a no-break space in "pounds sterling", a line break in "Swiss francs")."""
    return literal_alternation(words).replace("\\ ", r"\s")


def needles_of(words: tuple[str, ...], any_case: bool) -> tuple[str, ...]:
    """Literal starts of `words` for a case-sensitive search: a word, or a phrase's first word,
    a space (or a no-break space) and the next word's first letter ("us d" of "us dollars":
    "us" alone is everywhere); in lowercase, capitalised and in capitals when it is read in
    any case."""
    cases = (str.lower, str.capitalize, str.upper) if any_case else (str,)
    heads: set[str] = set()
    for word in words:
        first, *rest = word.split()
        starts = {case(first) for case in cases}
        if rest:
            letters = {case(rest[0][0]) for case in cases}
            starts = {f"{s}{gap}{c}" for s in starts for gap in (" ", "\u00a0") for c in letters}
        heads |= starts
    return tuple(sorted(heads))
