"""Progress of per-indicator work, counted group by group (inception report, desk reviews)."""

from __future__ import annotations


def progress_by_group(indicators, complete: set[int]) -> list[dict]:
    """[{group, done, total, percent}] in the order the indicators come (matrix order)."""
    groups: list[dict] = []
    for indicator in indicators:
        if not groups or groups[-1]["group"].pk != indicator.group_id:
            groups.append({"group": indicator.group, "done": 0, "total": 0})
        groups[-1]["total"] += 1
        groups[-1]["done"] += indicator.pk in complete
    for group in groups:
        group["percent"] = round(100 * group["done"] / group["total"])
    return groups
