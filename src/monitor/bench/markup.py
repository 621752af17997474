"""Our own page and feed templates for the bench corpus: a news page with its chrome, an RSS feed.

The page carries what a real outlet's page does around the article (meta
tags, JSON-LD, navigation, a cookie banner, related links, a comment thread,
a footer), so trafilatura has its usual work to do separating the text.
"""

from __future__ import annotations

import random
from html import escape
from xml.sax.saxutils import escape as xml_escape

from monitor.bench.stories import Story, article_paragraphs, filler_paragraph, headline

SECTIONS = ["News", "AI", "Chips", "Cloud", "Data centres", "Funding", "Policy", "Energy",
            "Science", "Phones", "Laptops", "Deals", "Podcasts", "Events", "Letters"]  # fmt: skip
_PEOPLE = ["R. Okafor", "J. Lindqvist", "M. Haddad", "S. Ortega", "T. Nakamura", "A. Petrova"]


def article_html(s: Story, outlet: int, outlet_name: str, url: str, published: str) -> str:
    rng = random.Random(f"chrome-{s.number}-{outlet}")  # noqa: S311 - reproducible
    title = headline(s, outlet)
    author = rng.choice(_PEOPLE)
    body = "\n".join(f"<p>{escape(p)}</p>" for p in article_paragraphs(s, outlet))
    nav = "".join(f'<li><a href="/{x.lower()}/">{x}</a></li>' for x in SECTIONS)
    related = "".join(
        f'<li><a href="/story/{rng.randint(1000, 9999)}.html">{escape(filler_paragraph(rng)[:70])}'
        "</a></li>"
        for _ in range(8)
    )
    comments = "".join(
        f'<li class="comment"><span class="who">reader{rng.randint(10, 999)}</span>'
        f"<p>{escape(filler_paragraph(rng)[:160])}</p></li>"
        for _ in range(rng.randint(2, 6))
    )
    footer = "".join(f'<a href="/about/{i}">{x} desk</a> ' for i, x in enumerate(SECTIONS))
    ld = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", '
        f'"headline": "{escape(title)}", "datePublished": "{published}", '
        f'"author": {{"@type": "Person", "name": "{author}"}}, '
        f'"publisher": {{"@type": "Organization", "name": "{escape(outlet_name)}"}}}}'
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | {escape(outlet_name)}</title>
<meta name="author" content="{author}">
<meta property="og:site_name" content="{escape(outlet_name)}">
<meta property="og:title" content="{escape(title)}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}">
<script type="application/ld+json">{ld}</script>
<script>window.dataLayer = window.dataLayer || [];
function track(e) {{ dataLayer.push(e); }}</script>
</head><body>
<div class="consent"><p>We and our partners use cookies to measure traffic.</p>
<button>Accept</button></div>
<header><a class="logo" href="/">{escape(outlet_name)}</a><nav><ul>{nav}</ul></nav></header>
<main><article>
<h1>{escape(title)}</h1>
<div class="byline">By <a rel="author" href="/people/{rng.randint(1, 99)}">{author}</a>
<time datetime="{published}">{published[:10]}</time></div>
{body}
</article>
<aside class="related"><h2>Most read</h2><ul>{related}</ul></aside>
<section class="comments"><h2>Comments</h2><ul>{comments}</ul></section>
</main>
<footer><p>{footer}</p><p>Copyright {escape(outlet_name)}. All rights reserved.</p></footer>
</body></html>
"""


def feed_xml(title: str, site: str, items: list[tuple[str, str, str]]) -> str:
    """RSS 2.0 with (title, link, RFC 822 date) items; links are absolute."""
    entries = "\n".join(
        f"<item><title>{xml_escape(t)}</title><link>{xml_escape(link)}</link>"
        f'<guid isPermaLink="true">{xml_escape(link)}</guid><pubDate>{date}</pubDate></item>'
        for t, link, date in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>{xml_escape(title)}</title><link>{xml_escape(site)}</link>
<description>Bench feed</description>
{entries}
</channel></rss>
"""
