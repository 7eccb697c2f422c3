"""The timetable rules as plain functions: edge cases of time and people."""

import datetime

from reviews.planning import (
    Slot,
    errors_for,
    overlaps,
    overloaded_peers,
    thin_coverage,
    unscheduled,
)

DAY = datetime.date(2027, 3, 1)


def at(hour, minute=0, day=DAY):
    return datetime.datetime.combine(day, datetime.time(hour, minute))


def slot(key, start, end, peers=(), people=(), kind="interview", indicators=(), reason=""):
    return Slot(key, kind, start, end, set(peers), set(people), set(indicators), reason)


def test_back_to_back_sessions_do_not_overlap():
    assert not overlaps(slot(1, at(9), at(10)), slot(2, at(10), at(11)))
    assert overlaps(slot(1, at(9), at(10, 1)), slot(2, at(10), at(11)))
    assert overlaps(slot(1, at(9), at(12)), slot(2, at(10), at(11)))


def test_a_peer_booked_twice_is_refused():
    existing = slot(1, at(9), at(10), peers={"jb", "fc"})
    errors = errors_for(
        slot(None, at(9, 30), at(10, 30), peers={"jb", "ml"}),
        [existing],
        names={("peer", "jb"): "Jan"},
    )
    assert errors["peers"] == ["Jan is already booked from 09:00 to 10:00."]


def test_an_interviewee_booked_twice_is_refused_but_back_to_back_is_fine():
    existing = slot(1, at(9), at(10), peers={"a", "b"}, people={7})
    assert "interviewees" in errors_for(
        slot(None, at(9, 59), at(11), peers={"c", "d"}, people={7}), [existing]
    )
    assert errors_for(slot(None, at(10), at(11), peers={"c", "d"}, people={7}), [existing]) == {}


def test_editing_a_session_does_not_clash_with_itself():
    existing = slot(1, at(9), at(10), peers={"a", "b"})
    assert errors_for(slot(1, at(9), at(10, 30), peers={"a", "b"}), [existing]) == {}


def test_sessions_that_end_before_they_start_or_cross_midnight_are_refused():
    assert "ends_at" in errors_for(slot(None, at(10), at(10), peers={"a", "b"}), [])
    late = slot(None, at(23), at(1, day=DAY + datetime.timedelta(days=1)), peers={"a", "b"})
    assert errors_for(late, [])["ends_at"] == [
        "A session cannot cross midnight: split it over two days."
    ]


def test_two_peers_per_interview_unless_a_reason_is_given():
    assert "peer_count_reason" in errors_for(slot(None, at(9), at(10), peers={"a"}), [])
    assert errors_for(slot(None, at(9), at(10), peers={"a"}, reason="Interpreter joins"), []) == {}
    assert errors_for(slot(None, at(9), at(10), peers={"a"}, kind="workshop"), []) == {}


def test_more_than_five_interviews_a_day_is_flagged():
    slots = [slot(n, at(8 + n), at(9 + n), peers={"jb"}) for n in range(6)]
    assert overloaded_peers(slots) == [("jb", DAY, 6)]
    assert overloaded_peers(slots[:5]) == []
    workshops = [slot(n, at(8 + n), at(9 + n), peers={"jb"}, kind="workshop") for n in range(6)]
    assert overloaded_peers(workshops) == []


def test_indicators_need_two_sessions():
    slots = [
        slot(1, at(9), at(10), indicators={"A1", "A2"}),
        slot(2, at(10), at(11), indicators={"A1"}),
    ]
    assert thin_coverage(slots, ["A1", "A2", "A3"]) == [("A2", 1), ("A3", 0)]


def test_people_asked_for_but_not_scheduled():
    assert unscheduled([slot(1, at(9), at(10), people={1, 2})], [1, 3]) == [3]
