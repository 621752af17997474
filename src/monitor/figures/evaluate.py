"""Score the extractor on labeled corpora: `python -m monitor.figures.evaluate`.

Corpora (each a folder of articles plus a gold.jsonl in LABELING.md format):
- dev: the shared development corpus, `<repo>/../shared/eval/dev` (override
  with env MONITOR_EVAL_DIR); mandatory;
- labeled: our own original articles in `tests/data/labeled/`; mandatory;
- unseen, unseen2, ... (UNSEEN_BATCHES): original articles labeled by someone
  who never saw the extractor, in `tests/data/unseen*/` (each batch scored
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


# Our blind batches, in the order they were labeled (tests/data/<name>/).
UNSEEN_BATCHES = ("unseen", *(f"unseen{n}" for n in range(2, 37)))


def _folder_corpus(name: str, folder: Path, required: bool, articles: str = "articles") -> Corpus:
    return Corpus(name, folder / articles, folder / "gold.jsonl", required=required)


def corpora() -> list[Corpus]:
    data = REPO / "tests" / "data"
    return [
        _folder_corpus("dev", shared_eval_dir(), required=True),
        _folder_corpus("labeled", data / "labeled", required=True),
        *(_folder_corpus(name, data / name, required=True) for name in UNSEEN_BATCHES),
        _folder_corpus(
            "demo", REPO / "src" / "monitor" / "demo_site", required=False, articles="pages"
        ),
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
