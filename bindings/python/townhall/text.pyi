# Type stubs for townhall.text (free text in any language).
from typing import Iterable, Mapping

import pandas as pd

def fold(text: str) -> str:
    """NFKC_Casefold of a text."""
def stop_words(lang: str) -> list[str]:
    """Built-in stop words (en, cy, ar), folded."""
def words(texts: pd.Series, lang: str | pd.Series = ...) -> pd.DataFrame:
    """response, position, word, term (folded) for every word."""
def sentences(texts: pd.Series, lang: str | pd.Series = ...) -> pd.DataFrame:
    """response, position, sentence for every sentence."""
def term_frequencies(texts: pd.Series, lang: str | pd.Series = ..., stop_words: bool = ...,
                     extra_stop_words: Iterable[str] = ..., min_letters: int = ...,
                     top: int | None = ...) -> pd.DataFrame:
    """term, count, responses, share — sorted by count."""
def keyword_in_context(texts: pd.Series, keyword: str, lang: str | pd.Series = ...,
                       context: int = ...) -> pd.DataFrame:
    """response, offset, left, match, right for every occurrence."""
def tag_themes(texts: pd.Series, codebook: Mapping[str, Iterable[str]],
               lang: str | pd.Series = ...) -> pd.DataFrame:
    """One boolean column per theme, indexed like texts; attrs["matches"]."""
def campaigns(texts: pd.Series | Iterable[str | None], lang: str | pd.Series = ..., *,
              threshold: float = ..., shingle_words: int = ..., min_size: int = ...,
              bands: int = ..., rows: int = ..., method: str = ...,
              threads: int | None = ...) -> pd.DataFrame:
    """Near-identical answers (campaigns): size, share, template, members per group."""
