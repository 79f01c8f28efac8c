"""The state machine table: what is allowed where, and nothing else."""

from __future__ import annotations

import pytest

from portal.complaints.states import (
    TABLE,
    Action,
    Status,
    allowed_actions,
    check_transition,
)
from portal.errors import InvalidTransition

S, A = Status, Action

MOVES = {
    (S.RECEIVED, A.ACCEPT): S.ACCEPTED,
    (S.RECEIVED, A.REJECT): S.REJECTED,
    (S.ACCEPTED, A.START_INVESTIGATION): S.INVESTIGATING,
    (S.ACCEPTED, A.REQUEST_MATERIAL): S.AWAITING_MATERIAL,
    (S.INVESTIGATING, A.REQUEST_MATERIAL): S.AWAITING_MATERIAL,
    (S.AWAITING_MATERIAL, A.ADD_MATERIAL): S.INVESTIGATING,
    (S.INVESTIGATING, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
}


@pytest.mark.parametrize(("status", "action"), list(MOVES))
def test_each_move_of_the_spec(status, action):
    assert check_transition(status, action) is MOVES[(status, action)]


def test_the_table_moves_only_as_the_spec_says():
    moves = {
        (status, action): target
        for action, row in TABLE.items()
        for status, target in row.items()
        if target is not status
    }
    assert moves == MOVES


@pytest.mark.parametrize("status", [S.REJECTED, S.CLOSED])
def test_final_states_allow_nothing(status):
    assert allowed_actions(status) == []
    for action in Action:
        with pytest.raises(InvalidTransition):
            check_transition(status, action)


def test_a_refused_action_names_the_state():
    with pytest.raises(InvalidTransition) as caught:
        check_transition("received", "resolve")
    assert caught.value.fields == {"status": "received"}


def test_the_agency_may_respond_only_while_the_complaint_is_worked_on():
    assert {s for s in Status if A.RESPOND in allowed_actions(s)} == {
        S.ACCEPTED,
        S.INVESTIGATING,
        S.AWAITING_MATERIAL,
    }
