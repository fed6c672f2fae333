"""The CSV reader's fast path (pandas' C parser, for a CSV whose first line is its header)
gives exactly the frame the general reader gives (cell by cell with the csv module), on every
published file and on the awkward cases; anything else goes to the general reader."""
from __future__ import annotations

import pandas as pd
import pytest

from pipelines.sources import readers
from pipelines.ssda903_upload import _may_be_903
from tests.published.conftest import PUBLISHED, published_files


def _general(text: str) -> pd.DataFrame:
    return readers._to_frame(readers._csv_rows(text, "f.csv"), "f.csv")


def _same(fast: pd.DataFrame, slow: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.attrs == slow.attrs
    for c in slow.columns:  # str or None, cell for cell (not NaN, not numbers)
        assert [type(v) for v in fast[c]] == [type(v) for v in slow[c]], c


@pytest.mark.parametrize("path", published_files(), ids=lambda p: p.name)
def test_every_published_file_reads_the_same_both_ways(path):
    text = readers._decode(path.read_bytes(), path.name)
    fast = readers._csv_frame(text)
    if path.name.startswith("New_Statistical_Neighbour"):  # headings repeated: general reader
        assert fast is None
        return
    assert fast is not None  # the data files all take the fast path
    _same(fast, _general(text))


@pytest.mark.parametrize("text", [
    "a,b,c\n1,2,3\n4,5\n",                      # a row cut short: padded, as the general reader does
    "a,b,c\n1,  ,3\n\n4,\" \",6\n",             # spaces-only cells and a blank line are missing
    "a,b,c\n1,\"two\nlines\",3\n",               # a quoted cell over two lines (one record)
    "a;b;c\n1;2;3\n",                           # semicolons
    "\ufeffa,b,c\r\n1,2,3\r\n",                  # BOM and Windows line ends
    "a,b\n",                                    # a header alone
])
def test_awkward_files_read_the_same_both_ways(text):
    fast = readers._csv_frame(text)
    assert fast is not None
    _same(fast, _general(text))


@pytest.mark.parametrize("text", [
    "Title of the table\n\na,b,c\n1,2,3\n",      # title rows above the header
    "a,b,a\n1,2,3\n",                           # a repeated heading
    "a,,c\n1,2,3\n",                            # a blank heading
    "a,b\n1,2,3\n",                             # a row wider than the header
    "2020,2021\n1,2\n",                         # no header row at all
])
def test_anything_else_goes_to_the_general_reader(text):
    assert readers._csv_frame(text) is None


def test_dfe_files_are_not_read_twice_as_903_tables():
    """children_count is not CHILD: only a CHILD heading makes a file a 903 candidate."""
    assert not any(_may_be_903(p.read_bytes()) for p in published_files())
    assert _may_be_903(b"\xef\xbb\xbfCHILD,SEX,DOB\n") and _may_be_903(b'"child";"DOB"\r\n')
    assert PUBLISHED.is_dir()
