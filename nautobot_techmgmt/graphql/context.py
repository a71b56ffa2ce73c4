"""What one GraphQL request asks once and every resolver of it shares: the requesting user's answers."""

from nautobot_techmgmt.answers import Answers
from nautobot_techmgmt.candidates import History


def answers_of(info):
    """The requesting user's Answers, made once per GraphQL request."""
    request = info.context
    if not hasattr(request, "techmgmt_answers"):
        request.techmgmt_answers = Answers(request.user)
    return request.techmgmt_answers


def history_of(info):
    """The requesting user's change-log evidence (History), made once per GraphQL request."""
    request = info.context
    if not hasattr(request, "techmgmt_history"):
        request.techmgmt_history = History(answers_of(info))
    return request.techmgmt_history
