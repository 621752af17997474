"""Score the extractor on labeled corpora: `python -m monitor.figures.evaluate`.

Corpora (each a folder of articles plus a gold.jsonl in LABELING.md format):
- dev: the shared development corpus, `<repo>/../shared/eval/dev` (override
  with env MONITOR_EVAL_DIR); mandatory;
- labeled: our own original articles in `tests/data/labeled/`; mandatory;
- unseen, unseen2, unseen3, unseen4: original articles labeled by someone who
  never saw the extractor, in `tests/data/unseen*/` (four batches, each scored
  blind once), kept to watch generalisation; mandatory;
- demo: the bundled demo site, `src/monitor/demo_site/` (pages/ + gold.jsonl);
  scored when present, skipped with a note otherwise.

Predictions are written exactly as `monitor extract --format jsonl` prints
them and scored by the shared `score.py`. Exit status 1 when a mandatory
corpus is missing or scoring fails. `--verbose` also lists misses and extras.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from monitor.figures.cli import run_extract

REPO = Path(__file__).resolve().parents[3]
_ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class Corpus:
    name: str
    articles: Path  # folder holding the article files
    gold: Path
    required: bool


def shared_eval_dir() -> Path:
    override = os.environ.get("MONITOR_EVAL_DIR")
    return Path(override) if override else REPO.parent / "shared" / "eval" / "dev"


def score_script() -> Path:
    beside = shared_eval_dir().parent / "score.py"
    return beside if beside.exists() else REPO.parent / "shared" / "eval" / "score.py"


def corpora() -> list[Corpus]:
    dev = shared_eval_dir()
    labeled = REPO / "tests" / "data" / "labeled"
    unseen = REPO / "tests" / "data" / "unseen"
    unseen2 = REPO / "tests" / "data" / "unseen2"
    unseen3 = REPO / "tests" / "data" / "unseen3"
    unseen4 = REPO / "tests" / "data" / "unseen4"
    unseen5 = REPO / "tests" / "data" / "unseen5"
    unseen6 = REPO / "tests" / "data" / "unseen6"
    unseen7 = REPO / "tests" / "data" / "unseen7"
    unseen8 = REPO / "tests" / "data" / "unseen8"
    unseen9 = REPO / "tests" / "data" / "unseen9"
    demo = REPO / "src" / "monitor" / "demo_site"
    return [
        Corpus("dev", dev / "articles", dev / "gold.jsonl", required=True),
        Corpus("labeled", labeled / "articles", labeled / "gold.jsonl", required=True),
        Corpus("unseen", unseen / "articles", unseen / "gold.jsonl", required=True),
        Corpus("unseen2", unseen2 / "articles", unseen2 / "gold.jsonl", required=True),
        Corpus("unseen3", unseen3 / "articles", unseen3 / "gold.jsonl", required=True),
        Corpus("unseen4", unseen4 / "articles", unseen4 / "gold.jsonl", required=True),
        Corpus("unseen5", unseen5 / "articles", unseen5 / "gold.jsonl", required=True),
        Corpus("unseen6", unseen6 / "articles", unseen6 / "gold.jsonl", required=True),
        Corpus("unseen7", unseen7 / "articles", unseen7 / "gold.jsonl", required=True),
        Corpus("unseen8", unseen8 / "articles", unseen8 / "gold.jsonl", required=True),
        Corpus("unseen9", unseen9 / "articles", unseen9 / "gold.jsonl", required=True),
        Corpus("demo", demo / "pages", demo / "gold.jsonl", required=False),
    ]


def article_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.suffix.lower() in _ARTICLE_SUFFIXES)


def predict(corpus: Corpus) -> str:
    """The jsonl `monitor extract` prints for every article of the corpus."""
    out = io.StringIO()
    run_extract(article_files(corpus.articles), "jsonl", out, err=io.StringIO())
    return out.getvalue()


def score(corpus: Corpus, predictions: str, verbose: bool = False) -> dict[str, object]:
    """score.py's JSON result (plus its verbose lines under "details" when asked)."""
    with tempfile.TemporaryDirectory() as tmp:
        pred_path = Path(tmp) / "predictions.jsonl"
        pred_path.write_text(predictions, encoding="utf-8")
        args = [sys.executable, str(score_script()), str(corpus.gold), str(pred_path), "--json"]
        if verbose:
            args.append("--verbose")
        # Our own interpreter running the shared scorer on files we just wrote.
        done = subprocess.run(args, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"score.py failed on {corpus.name}: {done.stderr.strip()}")
    lines = done.stdout.strip().splitlines()
    result: dict[str, object] = json.loads(lines[-1])
    result["details"] = lines[:-1]
    return result


def evaluate(corpus: Corpus, verbose: bool = False) -> dict[str, object]:
    return score(corpus, predict(corpus), verbose)


def summary_line(name: str, result: dict[str, object]) -> str:
    figure = result["figure"]
    attribution = result["attribution"]
    assert isinstance(figure, dict) and isinstance(attribution, dict)
    return (
        f"{name:8s} articles {result['articles']:3}  gold {result['gold']:4}  "
        f"predicted {result['predicted']:4}  figure F1 {figure['f1']:.3f}  "
        f"attribution F1 {attribution['f1']:.3f}  "
        f"qualifier accuracy {result['qualifier_accuracy']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    verbose = "--verbose" in (argv if argv is not None else sys.argv[1:])
    status = 0
    for corpus in corpora():
        if not corpus.gold.exists() or not corpus.articles.is_dir():
            if corpus.required:
                print(f"{corpus.name}: missing {corpus.gold} or {corpus.articles}", file=sys.stderr)
                status = 1
            else:
                print(f"{corpus.name}: skipped, no gold file at {corpus.gold}")
            continue
        try:
            result = evaluate(corpus, verbose)
        except RuntimeError as exc:
            print(str(exc), file=sys.stderr)
            status = 1
            continue
        print(summary_line(corpus.name, result))
        details = result.get("details")
        if verbose and isinstance(details, list):
            for line in details:
                print(f"  {line}")
    return status


if __name__ == "__main__":
    sys.exit(main())
