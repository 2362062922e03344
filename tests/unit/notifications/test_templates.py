"""R27, R28: configured wording, typed values, and the worst case still fits two parts."""

from __future__ import annotations

import dataclasses

import pytest

from notifications.config import MessagingPolicy
from notifications.segments import count_segments
from notifications.templates import (
    PLACEHOLDERS,
    MessageKind,
    MessageTemplates,
    MessageValues,
    Sender,
    TemplateError,
    check_template,
)

pytestmark = pytest.mark.unit

K = MessageKind
LONGEST_SLOT = "Wednesday 30 September, 12pm to 4pm"
FULL = MessageValues(
    reference="RR-7K3M9Q",
    slot=LONGEST_SLOT,
    link="https://repairs.northbridge.example/r/AbC123",
    code="123456",
)


@pytest.mark.parametrize("kind", list(MessageKind))
def test_every_template_fits_two_gsm7_parts_with_worst_case_values(
    templates: MessageTemplates, policy: MessagingPolicy, kind: MessageKind
) -> None:
    # R28: longest reference, slot text, council name, phone and link the config allows.
    body = templates.render_worst_case(kind)
    count = count_segments(body)
    assert count.encoding == "GSM-7"
    assert count.segments <= 2
    assert policy.max_segments == 2


def test_the_worst_case_covers_the_real_longest_values(
    templates: MessageTemplates, policy: MessagingPolicy
) -> None:
    limits = policy.field_limits
    assert len(LONGEST_SLOT) <= limits.slot
    assert len("RR-7K3M9Q") <= limits.reference
    assert len("Northbridge") <= limits.council
    assert len("0300 123 4567") <= limits.phone
    worst = templates.worst_case_values()
    assert worst.link is not None and len(worst.link) == policy.links.max_length
    assert worst.link.startswith(policy.links.base_url + "/")


@pytest.mark.parametrize("kind", list(MessageKind))
def test_every_template_is_plain_ascii(policy: MessagingPolicy, kind: MessageKind) -> None:
    text = policy.templates[kind]
    assert text.isascii()
    for banned in "\u2018\u2019\u201c\u201d\u2013\u2014`^[]~|\\":
        assert banned not in text


@pytest.mark.parametrize("kind", [K.CONFIRMATION, K.REMINDER, K.RESCHEDULED, K.CANCELLED])
def test_appointment_texts_carry_reference_slot_sender_and_help(
    templates: MessageTemplates, kind: MessageKind
) -> None:
    # R27: the repair reference, the date and slot, who it is from and how to get help.
    body = templates.render(kind, FULL)
    for part in ("RR-7K3M9Q", LONGEST_SLOT, "Northbridge", "0300 123 4567"):
        assert part in body


def test_a_reminder_reads_as_configured(templates: MessageTemplates) -> None:
    body = templates.render(K.REMINDER, FULL)
    assert body.startswith("Northbridge Council reminder: your repair appointment is on Wed")
    assert "Reply CONFIRM" in body and "CANCEL" not in body  # R30


def test_the_verification_code_text_names_the_code_and_its_lifetime(
    templates: MessageTemplates,
) -> None:
    body = templates.render(K.VERIFICATION_CODE, MessageValues(code="042917"))
    assert body.startswith("042917 is your Northbridge Council repairs code")
    assert "15 minutes" in body
    assert count_segments(body).segments == 1


def test_values_have_no_field_for_address_notes_health_key_safe_or_birth_date() -> None:
    # R27: what cannot be passed cannot leak.
    fields = {field.name for field in dataclasses.fields(MessageValues)}
    assert fields == {"reference", "slot", "link", "code"}
    with pytest.raises(TemplateError, match="unknown message values: address"):
        MessageValues.from_dict({"reference": "RR-7K3M9Q", "address": "1 High Street"})


def test_values_survive_a_round_trip_through_storage() -> None:
    assert MessageValues.from_dict(FULL.to_dict()) == FULL
    assert MessageValues(reference="RR-1").to_dict() == {"reference": "RR-1"}


def test_a_missing_value_is_refused(templates: MessageTemplates) -> None:
    with pytest.raises(TemplateError, match=r"needs a value for \{slot\}"):
        templates.render(K.REMINDER, MessageValues(reference="RR-7K3M9Q"))


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        (dataclasses.replace(FULL, slot="Wednesday 30 September, 12pm \u2013 4pm"), "plain"),
        (dataclasses.replace(FULL, slot="x" * 41), "the most is 40"),
        (dataclasses.replace(FULL, reference="RR-7K3M9Q\nDOB 1/1/80"), "one line"),
        (dataclasses.replace(FULL, reference="RR-7K3M9Q[x]"), "plain"),
        (dataclasses.replace(FULL, reference=""), "one line"),
    ],
)
def test_values_that_would_break_gsm7_or_the_length_are_refused(
    templates: MessageTemplates, values: MessageValues, problem: str
) -> None:
    with pytest.raises(TemplateError, match=problem):
        templates.render(K.REMINDER, values)


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/r/1",
        "https://repairs.northbridge.example.evil.example/r/1",
        "https://repairs.northbridge.example/" + "x" * 40,
    ],
)
def test_links_only_point_at_our_own_site_and_stay_short(
    templates: MessageTemplates, link: str
) -> None:
    with pytest.raises(TemplateError):
        templates.render(K.BOOK_REPAIR, MessageValues(reference="RR-7K3M9Q", link=link))


@pytest.mark.parametrize("code", ["12345", "1234567", "12345a", "١٢٣٤٥٦"])
def test_a_code_must_be_exactly_the_configured_digits(
    templates: MessageTemplates, code: str
) -> None:
    with pytest.raises(TemplateError, match="6 digits"):
        templates.render(K.VERIFICATION_CODE, MessageValues(code=code))


@pytest.mark.parametrize(
    ("kind", "text", "problem"),
    [
        (K.STAFF_TEST, "{council}: test for {address}", "unknown placeholder {address}"),
        (K.STAFF_TEST, "{council}: {code}", "unknown placeholder {code}"),
        (K.REMINDER, "{council} {reference} {phone}", "must include {slot}"),
        (K.STAFF_TEST, "{council}: it\u2019s a test", "plain ASCII"),
        (K.STAFF_TEST, "{council}: a ~ test", "plain ASCII"),
        (K.STAFF_TEST, "{council}: {{braces}}", "braces"),
        (K.STAFF_TEST, "{council!r}", "plain name"),
        (K.STAFF_TEST, "{council:>30}", "plain name"),
        (K.STAFF_TEST, "{council.__class__}", "plain name"),
        (K.STAFF_TEST, "{council} {", "Single '{'"),
        (K.STAFF_TEST, "{council} {}", "plain name"),
    ],
)
def test_templates_with_unknown_placeholders_or_fancy_punctuation_are_refused(
    kind: MessageKind, text: str, problem: str
) -> None:
    with pytest.raises(TemplateError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        check_template(kind, text)


def test_every_kind_must_say_who_it_is_from() -> None:
    # R27: {council} is required everywhere.
    assert all("council" in required for required, _ in PLACEHOLDERS.values())


def test_a_sender_longer_than_allowed_is_refused(policy: MessagingPolicy) -> None:
    with pytest.raises(TemplateError, match="council is 25 characters"):
        policy.message_templates(Sender(council="X" * 25, phone="0300 123 4567"))


def test_a_rendered_text_over_the_segment_limit_is_refused(policy: MessagingPolicy) -> None:
    # A second line of defence: check_worst_case stops this at start-up already.
    texts = dict(policy.templates)
    texts[K.STAFF_TEST] = "{council} " + "x" * 300
    templates = MessageTemplates(
        texts,
        policy.field_limits,
        policy.links,
        Sender("Northbridge", "0300 123 4567"),
        code_minutes=15,
        max_segments=2,
    )
    with pytest.raises(TemplateError, match="3 GSM-7 segments"):
        templates.render(K.STAFF_TEST, MessageValues())
