"""Declarative procedure definitions: states, transitions, periods that stop the clocks, and clocks.

A definition is plain frozen data, validated once when the :class:`Procedure` is built. The engine
(:mod:`._engine`) interprets it; nothing in a definition runs code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from huhang.workdays import RollOver

from ._errors import DefinitionError

#: ``Transition.to_state`` value meaning "return to the state the case was in before the current one"
#: (used to leave interrupting states such as 中止 or a pending jurisdiction objection).
PREVIOUS = "@previous"

UNITS = ("working_days", "days", "months")
#: Values of ``Procedure.category``, by which the platform groups cases for its indicators.
CATEGORIES = ("adjudication", "mediation", "assistance", "complaint", "penalty", "transfer", "notice", "judicial")
UNIT_EN = {"working_days": ("working day", "working days"), "days": ("day", "days"), "months": ("month", "months")}
UNIT_ZH = {"working_days": "个工作日", "days": "日", "months": "个月"}


@dataclass(frozen=True)
class Limit:
    """A length of time in exactly one unit: ``Limit(working_days=5)``, ``Limit(days=15)``, ``Limit(months=3)``."""

    working_days: int | None = None
    days: int | None = None
    months: int | None = None

    def __post_init__(self) -> None:
        given = [v for v in (self.working_days, self.days, self.months) if v is not None]
        if len(given) != 1 or not isinstance(given[0], int) or isinstance(given[0], bool) or given[0] < 1:
            raise DefinitionError(["a Limit takes exactly one of working_days=, days=, months=, a positive integer"])

    @property
    def unit(self) -> str:
        return next(u for u in UNITS if getattr(self, u) is not None)

    @property
    def amount(self) -> int:
        return getattr(self, self.unit)

    def __str__(self) -> str:
        return amount_text(self.amount, self.unit)

    @property
    def zh(self) -> str:
        return amount_text_zh(self.amount, self.unit)


def amount_text(amount: int, unit: str) -> str:
    singular, plural = UNIT_EN[unit]
    return f"{amount} {singular if amount == 1 else plural}"


def amount_text_zh(amount: int, unit: str) -> str:
    return f"{amount}{UNIT_ZH[unit]}"


@dataclass(frozen=True)
class State:
    code: str
    name_zh: str
    terminal: bool = False
    name: str = ""


@dataclass(frozen=True)
class Notice:
    """Minimum advance notice: the date in ``payload[payload_key]`` must be at least ``limit`` after the event."""

    payload_key: str
    limit: Limit
    citation: str


@dataclass(frozen=True)
class Refusal:
    """Refuse a transition when the case fact ``key`` equals ``equals``.

    A case fact is the latest value of ``key`` given in any earlier event's payload (e.g. ``dispute_type``
    given with a mediation request). ``message`` / ``message_zh`` say why, ``citation`` names the rule (e.g.
    no 司法确认 of a 权属 mediation agreement, 民诉法解释 Art. 355(5)).
    """

    key: str
    equals: object
    message: str
    message_zh: str
    citation: str


@dataclass(frozen=True)
class Transition:
    """An action that may be taken in ``from_states`` by ``roles``; it moves the case to ``to_state``.

    ``to_state=None`` keeps the state (a step inside a state, e.g. granting an extension);
    ``to_state=PREVIOUS`` returns to the state before the current one. ``produces`` names the document kinds
    the step issues; ``requires`` names actions that must have been taken before; ``once`` allows the action
    only one time per case (e.g. the one-time 补正 notice, S1 Art. 16); ``payload_required`` lists payload
    keys the event must carry; ``payload_choices`` pairs a payload key with the values it may take (checked
    when the key is given); ``refused_if`` lists :class:`Refusal` s by case fact.
    """

    action: str
    from_states: tuple[str, ...]
    to_state: str | None
    roles: tuple[str, ...]
    name_zh: str = ""
    produces: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    once: bool = False
    payload_required: tuple[str, ...] = ()
    notice: Notice | None = None
    citation: str = ""
    payload_choices: tuple[tuple[str, tuple[object, ...]], ...] = ()
    refused_if: tuple[Refusal, ...] = ()


@dataclass(frozen=True)
class ExcludedPeriod:
    """A span that does not count toward the clocks that exclude it (e.g. 中止, 鉴定, 和解; S1 Art. 37).

    It opens on one of ``opens_on`` and closes on one of ``closes_on``; the engine refuses to open it twice or
    to close it when it is not open.
    """

    code: str
    name_zh: str
    opens_on: tuple[str, ...]
    closes_on: tuple[str, ...]
    citation: str = ""
    name: str = ""


@dataclass(frozen=True)
class Extension:
    """An extension of a clock, granted by an event of ``action`` whose actor has ``approver_role``.

    ``limit`` is the most one grant may add (the event may ask less with ``payload["amount"]``); ``None``
    means no stated maximum, and the event must give ``payload["amount"]``. ``max_times`` caps the number of
    grants (``None``: no cap); ``max_total`` caps their cumulative amount; ``requires`` names extensions that
    must have been granted first (S1 Art. 37: the +2 months only "if still not done" after the +1 month).
    Amounts are in the clock's unit.
    """

    code: str
    action: str
    approver_role: str
    limit: Limit | None
    citation: str
    name_zh: str = ""
    max_times: int | None = 1
    max_total: int | None = None
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class LimitCase:
    """An alternative limit used when the clock's start event has ``payload[key] == equals``."""

    key: str
    equals: object
    limit: Limit
    note: str
    note_zh: str


@dataclass(frozen=True)
class Clock:
    """A statutory time limit.

    It starts on an event of one of ``starts_on`` (a new run when it is not running) and stops on one of
    ``stops_on``. Its length is ``limit``, or the first matching ``cases`` entry, or — when ``limit_key`` is
    set and the start event's payload holds that key — the payload's amount (in the same unit), which may
    not be below ``limit`` when ``limit_is_minimum`` (S1 Art. 54 "不少于15日"). ``excludes`` names excluded
    periods whose time is not counted. ``obliged`` says who must act before the due date: ``"authority"``
    (an overdue clock is a breach) or ``"party"`` (an overdue clock is a lapsed period). ``only_if`` /
    ``unless`` pair case facts (payload keys of the events so far, the start event included) with values: the
    clock starts only when every ``only_if`` pair holds and no ``unless`` pair does (e.g. the S1 Art. 70
    mediation limit, for 权属 disputes only). ``counts_from`` names actions whose first event, when the case
    has one, dates every run instead of the event that starts it (a summary case converted to the ordinary
    procedure counts its limit from the original 立案, 民诉法解释 Art. 258).
    """

    code: str
    name_zh: str
    starts_on: tuple[str, ...]
    stops_on: tuple[str, ...]
    limit: Limit
    citation: str
    name: str = ""
    citation_en: str = ""
    extensions: tuple[Extension, ...] = ()
    excludes: tuple[str, ...] = ()
    cases: tuple[LimitCase, ...] = ()
    limit_key: str | None = None
    limit_is_minimum: bool = False
    obliged: str = "authority"
    only_if: tuple[tuple[str, object], ...] = ()
    unless: tuple[tuple[str, object], ...] = ()
    counts_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class Procedure:
    """One kind of matter: its states, transitions, excluded periods and clocks, validated on construction.

    ``profile`` names the rule set (e.g. ``"S1-2025"``); ``parameters`` records the values chosen for facts
    the sources leave open, so that a case's computations can be reproduced; ``roll`` is the workdays
    roll-over rule used for day and month periods. ``category`` (one of :data:`CATEGORIES`, or empty) groups
    procedures for the platform's indicators. ``acceptance`` names the actions by which the matter counts as
    accepted (受理/立案) for the indicators; ``mediation`` the actions that record mediation offered to the
    parties (K19).
    """

    code: str
    name: str
    name_zh: str
    profile: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    initial_state: str
    clocks: tuple[Clock, ...] = ()
    periods: tuple[ExcludedPeriod, ...] = ()
    roles: tuple[str, ...] = ()
    parameters: tuple[tuple[str, object], ...] = ()
    roll: RollOver = RollOver.REST_DAYS
    category: str = ""
    acceptance: tuple[str, ...] = ()
    mediation: tuple[str, ...] = ()
    _by_action: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = _validate(self)
        if problems:
            raise DefinitionError(problems)
        by_action: dict[str, list[Transition]] = {}
        for transition in self.transitions:
            by_action.setdefault(transition.action, []).append(transition)
        object.__setattr__(self, "_by_action", {a: tuple(ts) for a, ts in by_action.items()})

    def state(self, code: str) -> State:
        return next(s for s in self.states if s.code == code)

    def transitions_for(self, action: str) -> tuple[Transition, ...]:
        return self._by_action.get(action, ())

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self._by_action)

    def clock(self, code: str) -> Clock:
        return next(c for c in self.clocks if c.code == code)

    def extension_for(self, action: str) -> tuple[Clock, Extension] | None:
        for clock in self.clocks:
            for extension in clock.extensions:
                if extension.action == action:
                    return clock, extension
        return None


def _duplicates(codes: list[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({c for c in codes if c in seen or seen.add(c)})


def _validate(p: Procedure) -> list[str]:
    problems: list[str] = []
    state_codes = {s.code for s in p.states}
    actions = {t.action for t in p.transitions}
    for dup in _duplicates([s.code for s in p.states]):
        problems.append(f"state {dup!r} is defined twice")
    if p.initial_state not in state_codes:
        problems.append(f"initial state {p.initial_state!r} is not a defined state")
    if p.category and p.category not in CATEGORIES:
        problems.append(f"category {p.category!r} is not one of {', '.join(CATEGORIES)}")
    for action in (*p.acceptance, *p.mediation):
        if action not in actions:
            problems.append(f"acceptance or mediation action {action!r} is not a transition")
    roles = set(p.roles)
    for t in p.transitions:
        where = f"transition {t.action!r}"
        if not t.from_states:
            problems.append(f"{where} has no from_states")
        for s in t.from_states:
            if s not in state_codes:
                problems.append(f"{where} starts from unknown state {s!r}")
            elif p.state(s).terminal:
                problems.append(f"{where} starts from terminal state {s!r}")
        if t.to_state is not None and t.to_state != PREVIOUS and t.to_state not in state_codes:
            problems.append(f"{where} leads to unknown state {t.to_state!r}")
        if not t.roles:
            problems.append(f"{where} names no role that may take it")
        for role in t.roles:
            if roles and role not in roles:
                problems.append(f"{where} names unknown role {role!r}")
        for r in t.requires:
            if r not in actions:
                problems.append(f"{where} requires unknown action {r!r}")
        for refusal in t.refused_if:
            if not refusal.citation or not refusal.message_zh:
                problems.append(f"{where}: refusal on {refusal.key!r} needs a citation and a Chinese message")
    for action in sorted(actions):
        ts = [t for t in p.transitions if t.action == action]
        froms = [s for t in ts for s in t.from_states]
        for dup in _duplicates(froms):
            problems.append(f"action {action!r} is defined twice from state {dup!r}")
    # Reachability from the initial state (PREVIOUS returns to an already reached state).
    reached, frontier = {p.initial_state}, [p.initial_state]
    while frontier:
        current = frontier.pop()
        for t in p.transitions:
            if current in t.from_states and t.to_state not in (None, PREVIOUS) and t.to_state not in reached:
                reached.add(t.to_state)
                frontier.append(t.to_state)
    for s in p.states:
        if s.code in state_codes and s.code not in reached:
            problems.append(f"state {s.code!r} cannot be reached from {p.initial_state!r}")
    period_codes = {x.code for x in p.periods}
    for dup in _duplicates([x.code for x in p.periods]):
        problems.append(f"excluded period {dup!r} is defined twice")
    for x in p.periods:
        for a in (*x.opens_on, *x.closes_on):
            if a not in actions:
                problems.append(f"excluded period {x.code!r} refers to unknown action {a!r}")
        if not x.opens_on or not x.closes_on:
            problems.append(f"excluded period {x.code!r} needs opens_on and closes_on actions")
    for dup in _duplicates([c.code for c in p.clocks]):
        problems.append(f"clock {dup!r} is defined twice")
    extension_actions: list[str] = []
    for c in p.clocks:
        where = f"clock {c.code!r}"
        if not c.starts_on:
            problems.append(f"{where} has no starts_on action")
        if not c.citation:
            problems.append(f"{where} cites no rule")
        if c.obliged not in ("authority", "party"):
            problems.append(f"{where}: obliged must be 'authority' or 'party', got {c.obliged!r}")
        for a in (*c.starts_on, *c.stops_on, *c.counts_from):
            if a not in actions:
                problems.append(f"{where} refers to unknown action {a!r}")
        for code in c.excludes:
            if code not in period_codes:
                problems.append(f"{where} excludes unknown period {code!r}")
        for case in c.cases:
            if case.limit.unit != c.limit.unit:
                problems.append(f"{where}: alternative limit {case.limit} is not in {c.limit.unit}")
        ext_codes = {e.code for e in c.extensions}
        for e in c.extensions:
            extension_actions.append(e.action)
            if e.action not in actions:
                problems.append(f"{where} extension {e.code!r} refers to unknown action {e.action!r}")
            if e.limit is not None and e.limit.unit != c.limit.unit:
                problems.append(f"{where} extension {e.code!r} is in {e.limit.unit}, the clock in {c.limit.unit}")
            if roles and e.approver_role not in roles:
                problems.append(f"{where} extension {e.code!r} names unknown approver role {e.approver_role!r}")
            for t in (t for t in p.transitions if t.action == e.action):
                if e.approver_role not in t.roles:
                    problems.append(f"{where} extension {e.code!r}: its approver may not take action {e.action!r}")
            for r in e.requires:
                if r not in ext_codes:
                    problems.append(f"{where} extension {e.code!r} requires unknown extension {r!r}")
    for dup in _duplicates(extension_actions):
        problems.append(f"action {dup!r} extends more than one clock")
    return problems
