"""Figure extraction: cost figures and chip counts in article text, attributed.

    from monitor.figures import extract_figures, figure_to_dict
    for fig in extract_figures(article.text):
        print(figure_to_dict(fig, file="d01.txt"))

The lexicon of labs, models and chips lives in `data/*.toml`; a config can add
files through `load_lexicon(extra_paths)` and pass the result to
`extract_figures(text, lexicon=...)`.
"""

from monitor.figures.extractor import extract_figures
from monitor.figures.figure import EXTRACTOR_VERSION, Figure, figure_to_dict
from monitor.figures.lexicon import Lexicon, load_lexicon

__all__ = [
    "EXTRACTOR_VERSION",
    "Figure",
    "Lexicon",
    "extract_figures",
    "figure_to_dict",
    "load_lexicon",
]
