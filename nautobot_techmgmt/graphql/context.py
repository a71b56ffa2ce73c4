"""What one GraphQL request asks once and every resolver of it shares: the requesting user's answers."""

from nautobot_techmgmt.answers import Answers, per_request
from nautobot_techmgmt.candidates import History
from nautobot_techmgmt.capacity import CapacityAnswers


def answers_of(info):
    """The requesting user's Answers, made once per GraphQL request."""
    return per_request(info.context, "answers", lambda: Answers(info.context.user))


def history_of(info):
    """The requesting user's change-log evidence (History), made once per GraphQL request."""
    return per_request(info.context, "history", lambda: History(answers_of(info)))


def capacity_of(info):
    """The requesting user's expert-hour capacity figures (CapacityAnswers), made once per GraphQL request."""
    return per_request(info.context, "capacity", lambda: CapacityAnswers(answers_of(info)))
