"""The one parser of typed numbers and moments, and the checks of typed text."""

from datetime import UTC, datetime

import pytest

from corep_drafts.domain.input_values import (
    InvalidValue,
    moment_from_iso,
    moment_from_local,
    whole_number,
)
from corep_drafts.domain.limits import MAX_ID
from corep_drafts.domain.text_input import InvalidText, check_text, is_storable


@pytest.mark.parametrize(
    "raw",
    [
        "9223372036854775808",
        "2147483648",
        "1" * 30,
        "9" * 10_000,
        "-1",
        "0",
        "1e400",
        "Infinity",
        "NaN",
        "1.5",
        "",
        " ",
        "٣",
        True,
        1.0,
        None,
        2**63,
    ],
)
def test_a_whole_number_beyond_an_id_or_not_one_at_all_is_refused(raw):
    with pytest.raises(InvalidValue) as refused:
        whole_number(raw)
    assert refused.value.code == "invalid_value"
    assert refused.value.params["maximum"] == MAX_ID


@pytest.mark.parametrize("raw, value", [("1", 1), (" 42 ", 42), ("+7", 7), ("2147483647", MAX_ID)])
def test_a_whole_number_within_bounds_is_read(raw, value):
    assert whole_number(raw) == value


def test_bounds_are_the_callers():
    assert whole_number("-840", minimum=-840, maximum=720) == -840
    with pytest.raises(InvalidValue):
        whole_number("900", minimum=-840, maximum=720)


@pytest.mark.parametrize(
    "raw",
    [
        "9999-12-31T23:59:00-05:00",
        "0001-01-01T00:00:00+05:00",
        "2030-05-01T12:00",  # no offset
        "1e400",
        "",
        "3000-01-01T00:00:00Z",
    ],
)
def test_a_moment_without_offset_or_outside_the_years_every_zone_shows_is_refused(raw):
    with pytest.raises(InvalidValue) as refused:
        moment_from_iso(raw)
    assert refused.value.params["kind"] == "moment"


def test_a_moment_with_its_offset_is_read_in_utc():
    assert moment_from_iso("2030-05-01T12:00:00+02:00") == datetime(2030, 5, 1, 10, tzinfo=UTC)
    assert moment_from_iso("2030-05-01T10:00:00Z") == datetime(2030, 5, 1, 10, tzinfo=UTC)


def test_a_local_moment_is_read_with_the_browsers_offset_within_real_time_zones():
    assert moment_from_local("2030-05-01T12:00", "-120") == datetime(2030, 5, 1, 10, tzinfo=UTC)
    assert moment_from_local("2030-05-01T12:00", "") == datetime(2030, 5, 1, 12, tzinfo=UTC)
    for offset in ("900", "-900", "9223372036854775808", "1e400"):
        with pytest.raises(InvalidValue):
            moment_from_local("2030-05-01T12:00", offset)
    for local in ("9999-12-31T23:59", "0001-01-01T00:00", "soon"):
        with pytest.raises(InvalidValue):
            moment_from_local(local, "-840")


@pytest.mark.parametrize("text", ["a\x00b", "\x00", "x\ud800y", "\udfff"])
def test_nul_and_lone_surrogates_are_refused_in_any_text(text):
    with pytest.raises(InvalidText) as refused:
        check_text(text)
    assert refused.value.code == "invalid_text"
    assert not is_storable(text)


@pytest.mark.parametrize(
    "control",
    ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e"] + ["\u2066", "\u2067", "\u2068", "\u2069"],
)
def test_direction_controls_are_refused_in_names_only(control):
    with pytest.raises(InvalidText) as refused:
        check_text(f"Ana{control}", is_name=True)
    assert refused.value.params == {"problem": "bidi_control", "position": 3}
    assert check_text(f"شلوم {control}") == f"شلوم {control}"


def test_paired_surrogates_are_a_character_not_a_refusal():
    assert check_text("✊ 😀 İzmir") == "✊ 😀 İzmir"
