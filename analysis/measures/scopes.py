"""The policy groups' names and labels (see :mod:`.groups`), in plain Python so that the
lean ``summary`` (:mod:`.columnar.lean`) labels its rows without pandas."""

from __future__ import annotations

ETHNIC_MINORITY = "ethnic_minority"

POOR_DISTRICT = "poor_district"
#: The old district a household lay in (rebuilt for new-division years, see :mod:`.rebase`).
FORMER_DISTRICT = "former_district"

#: Scope labels for the pooled groups (also the scopes of the targets table).
PROVINCE_SCOPE = "province"

ETHNIC_MINORITY_SCOPE = "ethnic minority households"

KINH_SCOPE = "Kinh households"

POOR_DISTRICTS_SCOPE = "poor districts"

OTHER_DISTRICTS_SCOPE = "other districts"

#: Labels of the two boolean groups, in the order they are reported (policy group first).
GROUP_LABELS: dict[str, dict[bool, str]] = {
    ETHNIC_MINORITY: {True: ETHNIC_MINORITY_SCOPE, False: KINH_SCOPE},
    POOR_DISTRICT: {True: POOR_DISTRICTS_SCOPE, False: OTHER_DISTRICTS_SCOPE},
}
