"""What each section of a brief shows: one function per section, so notebooks stay thin.

A notebook cell calls one function here with the :class:`~analysis.briefs.brief.Brief` of
its first cell and displays the :class:`Section` it returns (a heading, headline figures,
generated sentences, a chart, a table, notes). Every number comes from the measures
(through the brief's inputs, :mod:`.figures`); every word from the language catalogues.

- :mod:`.display`: the Section type and tables of display strings;
- :mod:`.disclosure`: the year's protection at the brief's threshold, applied to each table;
- :mod:`.figures`: the raw numbers of a brief;
- :mod:`.district`: the sections of a district brief (headline and notes shared);
- :mod:`.province`: the sections only the province overview has;
- :mod:`.overview`: the key messages that open a brief and the methods box that closes it;
- :mod:`.poorest`: the overview's poorest communes province-wide;
- :mod:`.nearpoor`: near-poor households beside poor ones (transitions, deprivations) and
  rates counted in people beside rates counted in households.
"""

from .commune import commune_ranking, fact_notes
from .display import Section, rates_table, table_html
from .district import alkire_foster, communes, data_notes, deprivations, ethnic_groups, flows, headline, trend
from .figures import district_table, flow_figures, headline_figures, period_figures
from .nearpoor import near_poor_deprivations, person_rates, transitions
from .overview import district_map, key_messages, methods
from .poorest import poorest_communes
from .province import district_ranking, district_verdicts, poor_districts, province_trend

__all__ = [
    "Section",
    "alkire_foster",
    "commune_ranking",
    "communes",
    "data_notes",
    "deprivations",
    "district_map",
    "district_ranking",
    "district_table",
    "district_verdicts",
    "ethnic_groups",
    "fact_notes",
    "flow_figures",
    "flows",
    "headline",
    "headline_figures",
    "key_messages",
    "methods",
    "near_poor_deprivations",
    "person_rates",
    "period_figures",
    "poor_districts",
    "poorest_communes",
    "province_trend",
    "rates_table",
    "table_html",
    "transitions",
    "trend",
]
