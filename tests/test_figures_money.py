"""Money amounts as written: forms that once went wrong, pinned at the finder."""

from __future__ import annotations

import pytest

from monitor.figures.currencies import CURRENCIES, Currency
from monitor.figures.extractor import extract_figures
from monitor.figures.money import find_money
from monitor.figures.numbers import english_digits, parse_digits, parse_word_number

CASES = [
    # an amount right before another: each is its own amount, none read twice
    ("It cost $5 ($3 of it on GPUs).", [("$5", 5.0), ("$3", 3.0)]),
    ("Prices were $5 $3 and $1.", [("$5", 5.0), ("$3", 3.0), ("$1", 1.0)]),
    ("HK$8 and US$2 and C$4", [("HK$8", 8.0), ("US$2", 2.0), ("C$4", 4.0)]),
    # a two- or three-letter magnitude after a space; a one-letter one only glued
    ("raised $7 bn and 3 mln yuan", [("$7 bn", 7e9), ("3 mln yuan", 3e6)]),
    ("a $5 M budget", [("$5", 5.0)]),
    # European thousands only where they cannot be a decimal
    ("€1.234.000.000 and €2.500", [("€1.234.000.000", 1.234e9), ("€2.500", 2.5)]),
    # nothing is no amount; a "range" that runs downwards is two amounts
    ("free: $0 a month, then $20", [("$20", 20.0)]),
    ("a seat went $40 to $25 overnight", [("$40", 40.0), ("$25", 25.0)]),
    # South Asian magnitudes and the rupee's prefixes
    (
        "₹2,500 crore, Rs 60 lakh, Rs. 3 crore and INR 1.5 lakh crore",
        [
            ("₹2,500 crore", 2.5e10),
            ("Rs 60 lakh", 6e6),
            ("Rs. 3 crore", 3e7),
            ("INR 1.5 lakh crore", 1.5e12),
        ],
    ),
    ("Mrs 5 said so", []),
    # the won: a sign, a code, and the word only after a magnitude (it is also a verb)
    (
        "₩900 billion, KRW 2 trillion and 70 billion won",
        [
            ("₩900 billion", 9e11),
            ("KRW 2 trillion", 2e12),
            ("70 billion won", 7e10),
        ],
    ),
    ("the squad of 11 won the final", []),
    # the Brazilian real and the Mexican peso; a conversion in brackets restates the amount
    (
        "R$ 38 million (US$ 7 million), MX$500 million, 30 billion reais and BRL 2 billion",
        [
            ("R$ 38 million", 3.8e7),
            ("MX$500 million", 5e8),
            ("30 billion reais", 3e10),
            ("BRL 2 billion", 2e9),
        ],
    ),
    # fractions of a magnitude in words
    (
        "a quarter of a million dollars, three quarters of a billion euros",
        [
            ("a quarter of a million dollars", 2.5e5),
            ("three quarters of a billion euros", 7.5e8),
        ],
    ),
    # whole numbers in words: decimals after "point", "and" after "hundred", bare words
    # before a currency word that takes them ("two won" is a verb, not an amount)
    (
        "one point three billion dollars, two hundred and fifty thousand euros, six dollars,"
        " forty cents and two won",
        [
            ("one point three billion dollars", 1.3e9),
            ("two hundred and fifty thousand euros", 2.5e5),
            ("six dollars", 6.0),
            ("forty cents", 0.4),
        ],
    ),
]
# Ranges whose low end is written bare share the high end's magnitude, unless the bare
# number is already larger than the high end's count ("$900 to $3 million" stays as written).
RANGES = [
    ("$2 to $3 million", (2e6, 3e6)),
    ("between $2 and $3 billion", (2e9, 3e9)),
    ("$900 to $3 million", (900.0, 3e6)),
    ("two to three million dollars", (2e6, 3e6)),
    ("between two and three billion dollars", (2e9, 3e9)),
    ("from two and a half to three billion dollars", (2.5e9, 3e9)),
    ("2 to 3 million euros", (2e6, 3e6)),
    ("two hundred million dollars", (2e8, None)),
    ("two and three billion dollars", (3e9, None)),  # "and" joins only after "between"
    # a currency sign on the low end only, the magnitude on the high end only
    ("$4 to 5 billion", (4e9, 5e9)),
    ("between €4 and 5 billion", (4e9, 5e9)),
    ("$200 to 300mn", (2e8, 3e8)),
    ("$3 billion to 4 billion", (3e9, 4e9)),
    # without a magnitude: digits to digits, unless "from" makes it a change
    ("between 180,000 and 200,000 yuan", (1.8e5, 2e5)),
    ("8 to 10 yuan per card-hour", (8.0, 10.0)),
    ("rose from 2 to 4 yuan", (4.0, None)),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_amounts(text: str, expected: list[tuple[str, float]]) -> None:
    found = [(text[a.start : a.end], a.value) for a in find_money(text)]
    assert [surface for surface, _ in found] == [surface for surface, _ in expected]
    assert [value for _, value in found] == pytest.approx([value for _, value in expected])


@pytest.mark.parametrize(("text", "values"), RANGES, ids=[r[0] for r in RANGES])
def test_ranges_share_a_magnitude(text: str, values: tuple[float, float | None]) -> None:
    (amount,) = find_money(text)
    assert (amount.value, amount.value_high) == pytest.approx(values)


@pytest.mark.parametrize(
    ("digits", "value"),
    [("2,048", 2048.0), ("2.788", 2.788), ("1.234.567", 1234567.0), ("2.500.000,50", 2500000.5)],
)
def test_parse_digits(digits: str, value: float) -> None:
    assert parse_digits(digits) == pytest.approx(value)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("two hundred and fifty-six", 256.0),
        ("one point one billion", 1.1e9),
        ("two point zero five million", 2.05e6),
        ("forty thousand", 4e4),
        ("six", 6.0),
        ("two and a half", 2.5),
        ("one and a half billion", 1.5e9),
        ("half a million", 5e5),
    ],
)
def test_parse_word_number(words: str, value: float) -> None:
    assert parse_word_number(words) == pytest.approx(value)


def test_a_token_side_may_follow_for() -> None:
    found = find_money("It lists at $0.40/1M for input and $1.60/1M for output.")
    assert [(a.value, a.per, a.token_side) for a in found] == [
        (0.4, "1M tokens", "input"),
        (1.6, "1M tokens", "output"),
    ]


def test_reais_and_pesos_are_no_dollars() -> None:
    text = "R$ 1.20 per million input tokens, MX$ 5 million, 2 billion reais, 9 Mexican pesos"
    found = [(a.currency, a.per) for a in find_money(text)]
    assert found == [("BRL", "1M tokens"), ("MXN", None), ("BRL", None), ("MXN", None)]


def test_a_low_end_needs_one_magnitude_to_share() -> None:
    # "two hundred and fifty thousand" has no single magnitude a bare "one to" could share
    (amount,) = find_money("one to two hundred and fifty thousand euros")
    assert (amount.value, amount.value_high) == (250000.0, None)


def _forms(currency: Currency) -> list[tuple[str, float]]:
    """Every way the table says `currency` is written, in a sentence worth 40 million."""
    before = [currency.sign, *(f"{m}$" for m in currency.dollar_marks)]
    spaced = [currency.code, *currency.before]
    after = [*currency.words, *currency.words_as_written, currency.code]
    return (
        [(f"It cost {form}40 million.", 4e7) for form in before if form]
        + [(f"It cost {form} 40 million.", 4e7) for form in spaced]
        + [(f"It cost 40 million {form}.", 4e7) for form in after]
        + [(f"It cost 40 million {form.title()}.", 4e7) for form in currency.words]
        + [(f"It cost 40 million {form}.", 4e5) for form in currency.minor]
    )


@pytest.mark.parametrize("currency", CURRENCIES, ids=[c.code for c in CURRENCIES])
def test_every_form_in_the_currency_table_is_read(currency: Currency) -> None:
    """The table is the only place a currency is written down: each form it lists, before or
    after the amount, is read as that currency (the rand's "R" has its own rule)."""
    for text, value in _forms(currency):
        found = [(a.currency, a.value) for a in find_money(text)]
        assert found == [(currency.code, pytest.approx(value))], text


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("It raised 5 million US dollars.", "5 million US dollars", "USD"),
        ("It raised 5 million US\u00a0dollars.", "5 million US\u00a0dollars", "USD"),
        ("It raised U.S. $5 million.", "U.S. $5 million", "USD"),
        ("It raised HK $5 million.", "HK $5 million", "HKD"),
        ("It raised CAD 5 million.", "CAD 5 million", "CAD"),  # each code reads before ...
        ("It raised 5 million INR.", "5 million INR", "INR"),  # ... and after the amount
        ("It raised 5 MILLION EUROS.", "5 MILLION EUROS", "EUR"),
        ("It spent $5 million.", "$5 million", "USD"),  # the "nt $" of "spent" is no NT$
        ("versus $5 million", "$5 million", "USD"),  # nor "us $" a US$
    ],
)
def test_currencies_written_around_the_amount(text: str, amount: str, currency: str) -> None:
    (found,) = find_money(text)
    assert (text[found.start : found.end], found.currency, found.value) == (amount, currency, 5e6)


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("A Monterrey lab raised 40 million pesos.", "MXN"),
        ("A Manila lab raised 40 million pesos, a Philippine record; Mexico's raised less.", "PHP"),
        ("A lab in Bogotá raised 40 million pesos.", "COP"),
        ("A lab raised 40 million pesos.", "MXN"),  # no country: the first peso in the table
    ],
)
def test_a_shared_currency_word_is_read_by_the_country_named(text: str, currency: str) -> None:
    (found,) = find_money(text)
    assert (found.currency, found.value) == (currency, 4e7)


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # an article that writes decimal commas: its numbers are read the English way
        (
            "Halden raised €1,5 billion for 4.096 GPUs at €0,40 per million tokens, 2.304.000 "
            "GPU hours, a €1.500,50 fee; GPT-4.5 and Llama 3.1 shipped on 14.10.2025.",
            "Halden raised €1.5 billion for 4,096 GPUs at €0.40 per million tokens, 2,304,000 "
            "GPU hours, a €1,500.50 fee; GPT-4.5 and Llama 3.1 shipped on 14.10.2025.",
        ),
        # English numbers stay as they are, one stray comma or not
        ("It raised $1.5 billion, bought 1,500 GPUs and paid $2,50 once.", None),
        ("A list: 1,2 and 3.", None),
        # French notation: spaces between thousands, the currency after the amount, each
        # rewritten in place at the same length
        (
            "Orvalle raised 1,2 Md€ (300 M€ from the State), rents 6 144 GPU at 0,80 € per "
            "hour; a plan of 2,5 milliards d'euros.",
            "Orvalle raised €1.2 bn (€300mn from the State), rents 6,144 GPU at € 0.80 per "
            "hour; a plan of 2.5 billion euros    .",
        ),
        # a no-break space groups thousands in any article; a plain one in an English article
        # does not ("on 3 100-acre sites"), nor does a shop's "19,99 €" turn into an amount
        (
            "It bought 16\u00a0384 GPUs on 3 100-acre sites.",
            "It bought 16,384 GPUs on 3 100-acre sites.",
        ),
        ("Tickets: 19,99 € and 24,50 €.", "Tickets: 19.99 € and 24.50 €."),
        ("$HGT rose; it pays 45 k€ a year.", "$HGT rose; it pays € 45k a year."),
    ],
)
def test_continental_numbers_read_the_english_way(text: str, read: str | None) -> None:
    assert english_digits(text) == read


def test_a_continental_article_is_quoted_as_written() -> None:
    text = (
        "Munich AI developer Halden raises €1,5 billion. The round values Halden at €9,8 billion."
    )
    figures = extract_figures(text)
    assert [(f.value, text[f.start : f.end]) for f in figures] == [
        (1.5e9, "€1,5 billion"),
        (9.8e9, "€9,8 billion"),
    ]
    assert [f.quote for f in figures] == [
        "Munich AI developer Halden raises €1,5 billion.",
        "The round values Halden at €9,8 billion.",
    ]
