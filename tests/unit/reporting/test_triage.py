"""The triage tree (R13-R16): the shipped tree, and validation that names the bad node."""

import copy
import csv
from collections import Counter

import pytest

from repairs.priorities import Priority, Trade
from repairs.triage import (
    Bookable,
    CannotReportOnline,
    CannotReportReason,
    DampAndMould,
    Emergency,
    Gas,
    OutcomeKind,
    TriageAnswers,
    TriageError,
    TriageTree,
    UnknownAnswer,
)
from tests.unit.reporting.support import ROOT, policy, tree

pytestmark = pytest.mark.unit

CATALOGUE = ROOT / "simulators" / "northgate" / "sor_catalogue.csv"
# The simulator's trade and priority codes (simulators/northgate/API.md, "Codes").
TRADE_CODES = {
    "PLUM": Trade.PLUMBING,
    "ELEC": Trade.ELECTRICAL,
    "CARP": Trade.CARPENTRY,
    "HEAT": Trade.HEATING,
    "ROOF": Trade.ROOFING,
    "GLAZ": Trade.GLAZING,
    "DAMP": Trade.DAMP_AND_MOULD,
    "GEN": Trade.GENERAL,
}
PRIORITY_CODES = {"U": Priority.URGENT, "R": Priority.ROUTINE, "D": Priority.DAMP_AND_MOULD}


def catalogue() -> dict[str, dict[str, str]]:
    with CATALOGUE.open(newline="") as handle:
        return {row["SOR_CODE"]: row for row in csv.DictReader(handle)}


def minimal(**problem: object) -> dict:
    leaf = problem or {
        "label": "A tap drips",
        "bookable": {"sor_code": "PL0101", "priority": "routine", "trade": "plumbing"},
    }
    return {"locations": {"kitchen": {"label": "Kitchen", "problems": {"tap": leaf}}}}


# ---------------------------------------------------------------- the shipped tree


def test_the_shipped_tree_has_at_least_40_leaves_in_every_part_of_the_home():
    leaves = list(tree().leaves())
    assert len(leaves) >= 40
    assert {location.key for location in tree().locations} >= {
        "kitchen",
        "bathroom",
        "bedroom",
        "living_areas",
        "outside",
        "heating",
        "electrics",
        "doors_and_windows",
        "damp_and_mould",
    }


def test_the_shipped_tree_has_every_kind_of_outcome():
    kinds = Counter(leaf.outcome.kind for leaf in tree().leaves())
    assert set(kinds) == set(OutcomeKind)
    reasons = {
        leaf.outcome.reason
        for leaf in tree().leaves()
        if isinstance(leaf.outcome, CannotReportOnline)
    }
    assert {CannotReportReason.COMMUNAL, CannotReportReason.TENANT_RESPONSIBILITY} <= reasons


def test_every_sor_code_in_the_tree_is_in_the_simulators_schedule_of_rates():
    missing = tree().sor_codes() - set(catalogue())
    assert not missing, f"SOR codes not in {CATALOGUE.name}: {sorted(missing)}"


def test_every_bookable_leaf_has_the_trade_and_priority_the_schedule_gives_its_code():
    rows = catalogue()
    for leaf in tree().leaves():
        outcome = leaf.outcome
        if isinstance(outcome, Bookable | DampAndMould):
            row = rows[outcome.sor_code]
            assert TRADE_CODES[row["TRADE"]] is outcome.trade, leaf.answers.path
            # An E code is an emergency: phoned in, never booked online (R14).
            assert PRIORITY_CODES.get(row["DEFAULT_PRIORITY"]) is outcome.priority, (
                leaf.answers.path
            )


def test_every_right_to_repair_code_in_the_tree_is_a_configured_defect():
    tree().check_defects(policy().targets.right_to_repair.defects)


def test_gas_is_offered_under_heating_and_the_first_emergency_exits_are_there():
    # R13, R14: the journey also asks about gas and emergencies first; the tree repeats the
    # exits where a tenant would look for them.
    assert isinstance(tree().leaf(TriageAnswers("heating", "gas_smell")).outcome, Gas)
    no_power = tree().leaf(TriageAnswers("electrics", "power", "no_power")).outcome
    assert isinstance(no_power, Emergency)


def test_labels_are_unique_among_siblings_so_radios_are_never_ambiguous():
    for location in tree().locations:
        labels = [problem.label for problem in location.problems]
        assert len(labels) == len(set(labels)), location.key
        for problem in location.problems:
            details = [detail.label for detail in problem.details]
            assert len(details) == len(set(details)), problem.key


# ---------------------------------------------------------------- answers


def test_answers_lead_to_their_leaf_and_back_through_the_stored_path():
    answers = TriageAnswers("kitchen", "sink_and_taps", "tap_stuck")
    leaf = tree().leaf(answers)
    assert leaf.outcome == Bookable(
        "PL0102", Priority.URGENT, Trade.PLUMBING, "tap_cannot_be_turned"
    )
    assert TriageAnswers.from_path(answers.path) == answers
    assert leaf.labels == ("Kitchen", "Sink or taps", "A tap is stuck and cannot be turned")


@pytest.mark.parametrize(
    "answers",
    [
        TriageAnswers("attic", "roof"),
        TriageAnswers("kitchen", "unicorn"),
        TriageAnswers("kitchen", "sink_and_taps", "nope"),
        TriageAnswers("kitchen", "sink_and_taps"),  # needs a detail
        TriageAnswers("kitchen", "kitchen_fan", "extra"),  # takes none
    ],
)
def test_answers_that_are_not_in_the_tree_are_unknown(answers):
    with pytest.raises(UnknownAnswer):
        tree().leaf(answers)


@pytest.mark.parametrize("path", ["", "kitchen", "a/b/c/d", "kitchen//x"])
def test_a_stored_path_must_have_two_or_three_parts(path):
    with pytest.raises(UnknownAnswer):
        TriageAnswers.from_path(path)


# ---------------------------------------------------------------- validation


def test_a_minimal_tree_loads():
    built = TriageTree.from_mapping(minimal())
    assert [leaf.answers.path for leaf in built.leaves()] == ["kitchen/tap"]


@pytest.mark.parametrize(
    ("problem", "path", "message"),
    [
        (
            {"bookable": {"sor_code": "PL0101", "priority": "routine", "trade": "plumbing"}},
            "triage.locations.kitchen.problems.tap.label",
            "is required",
        ),
        (
            {"label": "Tap"},
            "triage.locations.kitchen.problems.tap",
            "give either details or one outcome",
        ),
        (
            {"label": "Tap", "gas": {}, "emergency": {"reason": "x"}},
            "triage.locations.kitchen.problems.tap",
            "give exactly one outcome",
        ),
        (
            {
                "label": "Tap",
                "bookable": {"sor_code": "PL01", "priority": "routine", "trade": "plumbing"},
            },
            "triage.locations.kitchen.problems.tap.bookable.sor_code",
            "is not an SOR code",
        ),
        (
            {
                "label": "Tap",
                "bookable": {"sor_code": "PL0101", "priority": "emergency", "trade": "plumbing"},
            },
            "triage.locations.kitchen.problems.tap.bookable.priority",
            "is not one of urgent",
        ),
        (
            {
                "label": "Tap",
                "bookable": {"sor_code": "PL0101", "priority": "routine", "trade": "plumber"},
            },
            "triage.locations.kitchen.problems.tap.bookable.trade",
            "is not one of",
        ),
        (
            {
                "label": "Tap",
                "bookable": {
                    "sor_code": "PL0101",
                    "priority": "routine",
                    "trade": "plumbing",
                    "colour": "red",
                },
            },
            "triage.locations.kitchen.problems.tap.bookable.colour",
            "unknown key",
        ),
        (
            {
                "label": "Tap",
                "cannot_report_online": {"reason": "bored", "title": "t", "advice": "a"},
            },
            "triage.locations.kitchen.problems.tap.cannot_report_online.reason",
            "is not one of",
        ),
        (
            {"label": "Tap", "gas": {"number": "999"}},
            "triage.locations.kitchen.problems.tap.gas",
            "takes no settings",
        ),
        (
            {"label": "Tap", "details": {"only": {"label": "Only", "gas": {}}}},
            "triage.locations.kitchen.problems.tap.details",
            "at least two details",
        ),
        (
            {"label": "x" * 121, "gas": {}},
            "triage.locations.kitchen.problems.tap.label",
            "keep it under 120",
        ),
    ],
)
def test_a_bad_node_is_named_by_its_path(problem, path, message):
    with pytest.raises(TriageError) as error:
        TriageTree.from_mapping(minimal(**problem))
    assert str(error.value).startswith(path + ":"), str(error.value)
    assert message in str(error.value)


def test_a_bad_key_is_refused():
    data = minimal()
    data["locations"]["Kitchen Area"] = data["locations"].pop("kitchen")
    with pytest.raises(TriageError, match=r"triage.locations.Kitchen Area: keys are"):
        TriageTree.from_mapping(data)


def test_a_tree_without_locations_is_refused():
    with pytest.raises(TriageError, match="triage.locations: give at least one location"):
        TriageTree.from_mapping({"locations": {}})
    with pytest.raises(TriageError, match="triage.locations: is required"):
        TriageTree.from_mapping({})


def test_a_detail_with_an_outcome_of_each_kind_loads():
    details = {
        "a": {"label": "A", "emergency": {"reason": "Water everywhere"}},
        "b": {"label": "B", "damp_and_mould": {"sor_code": "DM0701"}},
        "c": {
            "label": "C",
            "cannot_report_online": {
                "reason": "leaseholder",
                "title": "Call us",
                "advice": "Leaseholders call us.",
            },
        },
    }
    built = TriageTree.from_mapping(minimal(label="Tap", details=details))
    kinds = [leaf.outcome.kind for leaf in built.leaves()]
    assert kinds == [
        OutcomeKind.EMERGENCY,
        OutcomeKind.DAMP_AND_MOULD,
        OutcomeKind.CANNOT_REPORT_ONLINE,
    ]


def test_an_unknown_right_to_repair_code_is_named_at_start_up():
    data = minimal()
    data["locations"]["kitchen"]["problems"]["tap"]["bookable"]["right_to_repair"] = "wobbly"
    built = TriageTree.from_mapping(data)
    with pytest.raises(TriageError, match=r"problems.tap.bookable.right_to_repair: 'wobbly'"):
        built.check_defects(policy().targets.right_to_repair.defects)


def test_the_shipped_file_stays_valid_after_a_round_trip_copy():
    # The tree never keeps references into the mapping it was built from.
    import yaml

    data = yaml.safe_load((ROOT / "config" / "triage.yaml").read_text())
    built = TriageTree.from_mapping(copy.deepcopy(data))
    data["locations"].clear()
    assert len(list(built.leaves())) == len(list(tree().leaves()))
