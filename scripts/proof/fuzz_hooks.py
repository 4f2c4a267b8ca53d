"""Schemathesis hooks for scripts/fuzz-api: the rules JSON Schema cannot state.

Every rule on a single input is in the OpenAPI document (bounds, lengths, enums, and the
patterns of names, tags, tag lists and URLs), so the fuzzer's "schema-valid request rejected"
check (positive_data_acceptance, ST202) holds the server to them exactly. A few rules relate
two inputs, or an input and the data, which an OpenAPI parameter cannot express; each is
stated in the operation's description. A 422 that names only these rules, for a request the
schema allows, is the documented behaviour, not a failure: this hook drops exactly those, and
schemathesis counts them in its summary ("dropped by filter_failure"). Any other reason, or
any other check's failure, is kept.
"""

import schemathesis
from schemathesis.openapi.checks import RejectedPositiveData

# (reason prefix or fragment, the rule) for every cross-input or data-dependent rule.
DOCUMENTED = (
    ("must differ from user_id", "a user cannot be their own friend"),
    ("give at most one scope", "tag-cloud: artist_id, user_id and tags exclude each other"),
    ("is above ", "a minimum above its maximum (min_*/max_*, from_year/to_year)"),
    ("is after `to`", "tag-assignments: from after to"),
    ("is required when any of day, month and year is given", "day, month, year together"),
    ("is not a calendar date", "a day that its month does not have (31 April)"),
    ("there is no tag", "tag filters name existing tags (by value, or id where said)"),
    ("names more than", "at most 20 tags, counted across repeated keys and commas"),
    ("give `skip` or `after`, not both", "lists: an offset or a cursor, not both"),
    ("is not a cursor", "after: only a `next` the server gave (opaque, for this list)"),
)


def _documented(reason: str) -> bool:
    return any(fragment in reason for fragment, _ in DOCUMENTED)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but a 422 whose every reason is a documented cross-input rule."""
    if not isinstance(failure, RejectedPositiveData) or response.status_code != 422:
        return True
    try:
        fields = response.json()["error"]["fields"]
    except (ValueError, KeyError, TypeError):
        return True
    reasons = [field.get("reason", "") for field in fields]
    return not (reasons and all(_documented(reason) for reason in reasons))
