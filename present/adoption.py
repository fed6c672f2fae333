"""The adoption records as the adoption page and the exports read them, loaded one way:
each adopted child's waits (or None when no records are loaded), the catalogue's thresholds,
and the indicators the catalogue says are computed from the records (`computed: adoption`)."""
from __future__ import annotations

import pandas as pd

from pipelines.measures import adoption


def adoption_days(wh) -> pd.DataFrame | None:
    """Each adopted child's waits (`adoption.child_days`), or None when no adoption records
    are loaded."""
    kids = wh.adoption_children()
    return adoption.child_days(kids) if len(kids) else None


def thresholds(catalogue) -> dict:
    """fy label -> {measure: days}, from the catalogue (`adoption.catalogue_thresholds`)."""
    return adoption.catalogue_thresholds(catalogue)


def computed_indicators(catalogue) -> list:
    """The indicators the catalogue marks `computed: adoption`, in catalogue order."""
    return [i for i in catalogue.indicators if i.computed == "adoption"]
