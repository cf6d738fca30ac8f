"""Glue between the marts and disclosure control: build the protected problems, protect them,
and turn the protected counts into ``published.indicator_values``.

Protection problems (each a dense inner cube protected by ``indicators.disclosure.protect``
with every total of its hierarchies; kept small on purpose, see the registry header) are
declared as data in ``indicators/registry/problems.toml`` and built by one generic builder
(:mod:`indicators.problems.building`); the declarations give:

* ``victims_national_total_<year>``: persons signalled by month (-> quarter -> year, with
  year-to-date sums as linked cells); ``victims_national_status_<year>``: quarter (-> year)
  x status (presumed, confirmed, not confirmed) — the status split is not published by month;
* ``victims_national_<X>_<year>``: year x status x X, for X in sex, age_group,
  citizenship_group, exploitation, signalled_by — national counts by X, one problem per year;
* ``victims_citizenship_<year>``: status x country of citizenship (-> group -> total);
* ``victims_district_<year>``: district (total = Portugal) x sex x status;
* ``victims_district_time_<year>``: persons signalled by district (total = Portugal) x
  complete quarter (-> year, with the year to date at each quarter's end as linked sums),
  every year; a district whose yearly total the problem above hides, or with 1 .. k-1
  persons in the year, is left out (see
  :func:`indicators.problems.solving.protect_leaving_out_districts`);
* ``support_<X>_<year>``: new support cases, month x X (sex with a migration split,
  age_group, support type); ``activities_victim_interview_<year>``: month x sex.

Rolling-12-month counts are not protected as cells: a window is published only when its
12 months are all published (or it is a calendar year whose count is published), see
:func:`rolling_from_published`; it then reveals nothing that is not already published.
Solving one problem per calendar year keeps each problem small (a few hundred inner cells)
and its audit fast; the pattern is stable across releases through ``previous``: a cell the
last release hid stays hidden and a cell it published stays published while its count is
unchanged, so that a refresh on the same data publishes the same release (issue 19).

Problems share some cells (e.g. national yearly totals by status appear in several). After
protecting them all, a cell hidden in any problem is hidden in every problem that contains
it, and those problems are protected again with it forced hidden, until nothing changes; if
the release-wide audit refuses the release, the cells some problem never publishes are left
out of it (:func:`indicators.problems.running.one_status_per_key`).
A group of countries is the citizenship-group cell of the same year and status, so the two
problems share it. A reader combining problems is checked by the release-wide audit
(``indicators.release_audit``), run on the published values after protection: it publishes
the secondary cells a reader can recompute and blocks publication if a confidential cell is
pinned or bounded inside 1..k-1.

Headline figures (national yearly totals, national quarterly/monthly persons signalled) are
never chosen as secondaries where a pattern exists (``protect(never_hide=...)``), nor, after
them, the national yearly numerators of the published shares (women and girls, minors, ...),
see :func:`indicators.problems.solving.protect_problem`; cells a problem contains but never
publishes (support without migration types; the quarterly status split of a year where a
status is small in a quarter; the breakdown of a status too small to break down) are marked
``never_published``.

Counts of indicators without a disclosure rule (outputs, professionals) are published as is.
Anything the protection does not cover is not published.

Modules: ``model`` (what a problem is), ``calendar`` (time dimensions), ``value_keys`` (cells
-> value keys), ``building`` (declarations -> problems), ``solving`` (protect one problem),
``running`` (protect them all consistently), ``publishing`` (-> ``indicator_values``).
"""

from indicators.problems.building import build_problems, cube_problems, indicators_by_code
from indicators.problems.model import KEY, PUBLISHED, Problem, period_code_to_grain
from indicators.problems.publishing import build_published_values, rolling_from_published
from indicators.problems.running import ProtectedCounts, protect_all
from indicators.problems.solving import (
    HEADLINE_MONTHLY,
    is_district_total,
    is_headline,
    protect_cells_codes,
)

__all__ = [
    "HEADLINE_MONTHLY", "KEY", "PUBLISHED", "Problem", "ProtectedCounts", "build_problems",
    "build_published_values", "cube_problems", "indicators_by_code", "is_district_total",
    "is_headline", "period_code_to_grain", "protect_all", "protect_cells_codes",
    "rolling_from_published",
]
