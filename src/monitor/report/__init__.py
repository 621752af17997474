"""`monitor report`: one static HTML page of every reported figure over time.

`data` reads the series and the open contradictions from the warehouse,
`chart` lays out one inline SVG chart per series, `page` renders the page
(jinja2, autoescaped: article text is data from the web) and writes it.
The page needs no server, loads nothing from the network and runs no script.
"""
