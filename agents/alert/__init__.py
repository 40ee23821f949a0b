"""Alert stage: watchlists (query language, speaker lists) and the alert rules.

Pure core (never imports faust): `AlertEngine(store)(deduped, watchlists, detected_at)`.
"""

from .engine import AlertEngine, alert_id
from .registry import WatchlistSet
from .watchlists import Watchlist, WatchlistError, load_watchlists, match, read_watchlists_file

__all__ = [
    "AlertEngine",
    "Watchlist",
    "WatchlistError",
    "WatchlistSet",
    "alert_id",
    "load_watchlists",
    "match",
    "read_watchlists_file",
]
