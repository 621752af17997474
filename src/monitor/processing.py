"""CPU steps of a cycle: page bytes to article text (trafilatura) to figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from monitor.articles import ExtractedArticle, extract_article
from monitor.errors import ExtractError
from monitor.figures import Figure, extract_figures
from monitor.polling import FetchedPage, PendingArticle


@dataclass(frozen=True)
class ProcessedArticle:
    article: PendingArticle
    extracted: ExtractedArticle | None = None
    figures: list[Figure] = field(default_factory=list)
    reason: str | None = None  # set when the page gave no article
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.extracted is not None


def process_page(page: FetchedPage) -> ProcessedArticle:
    """Extract one fetched page; failures come back as data with a reason."""
    if page.response is None:
        return ProcessedArticle(page.article, reason=page.reason, error=page.error)
    try:
        extracted = extract_article(
            page.response.body, url=page.response.url, content_type=page.response.content_type
        )
    except ExtractError as exc:
        return ProcessedArticle(
            page.article, reason=exc.reason, error=f"{exc} ({page.article.url})"
        )
    return ProcessedArticle(page.article, extracted, extract_figures(extracted.text))


def process_pages(pages: list[FetchedPage]) -> list[ProcessedArticle]:
    return [process_page(p) for p in pages]
