"""The workshop pages build a list's links from one url_for: each link is still the one
url_for would give."""

import pytest
from flask import url_for

from workshop.templating import ID_MARKER, url_for_each


@pytest.mark.parametrize("workshop_id", [7, ID_MARKER])  # the marker itself, as a real id
def test_each_link_is_the_one_url_for_gives(app, workshop_id):
    with app.test_request_context():
        withdraw = url_for_each(
            "workshops.withdraw_couple", "enrollment_id", workshop_id=workshop_id
        )
        move = url_for_each("scheduling.move_session", "session_id", direction="later")

        for id_ in (1, 42, ID_MARKER):
            assert withdraw(id_) == url_for(
                "workshops.withdraw_couple", workshop_id=workshop_id, enrollment_id=id_
            )
            assert move(id_) == url_for(
                "scheduling.move_session", session_id=id_, direction="later"
            )
