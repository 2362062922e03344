"""Report drafts and their photos in the database, on SQLite and PostgreSQL: answers kept, at
most three photos (R19), photos only for their own tenancy, abandoned drafts purged."""

from datetime import timedelta

import pytest

from adapters.db.engine import make_session_factory
from adapters.db.repairs_store import SqlRepairStore
from adapters.db.report_drafts import PhotoRecord, SqlReportDrafts, new_token
from repairs.refs import SubmissionId, TenancyRef
from repairs.slots import SlotTimes
from tests.unit.reporting.support import DEMO_TENANCY, facts, new_repair

pytestmark = pytest.mark.integration

NEIGHBOUR = TenancyRef("TEN-100002")


@pytest.fixture
def drafts(engine):
    return SqlReportDrafts(make_session_factory(engine))


@pytest.fixture
def store(engine):
    return SqlRepairStore(make_session_factory(engine), SlotTimes.default())


def photo() -> PhotoRecord:
    return PhotoRecord(new_token(), "image/jpeg", 1234, 40, 30)


def test_a_draft_keeps_its_answers_and_its_own_submission_id(drafts, clock):
    first = drafts.start(DEMO_TENANCY, {"emergency": "no"}, clock.now())
    second = drafts.start(DEMO_TENANCY, {}, clock.now())
    assert first.submission_id != second.submission_id
    drafts.save(first.id, {"emergency": "no", "location": "kitchen"}, clock.now())
    loaded = drafts.get(first.id)
    assert loaded.answers == {"emergency": "no", "location": "kitchen"}
    assert loaded.tenancy_ref == DEMO_TENANCY and loaded.repair_ref is None
    assert drafts.get("no-such-draft") is None


def test_a_draft_holds_three_photos_at_most(drafts, clock):
    draft = drafts.start(DEMO_TENANCY, {}, clock.now())
    added = [drafts.add_photo(draft.id, photo(), clock.now()) for _ in range(4)]
    assert added == [True, True, True, False]
    assert len(drafts.photos(draft.id)) == 3


def test_a_photo_is_found_only_for_its_own_tenancy(drafts, clock):
    draft = drafts.start(DEMO_TENANCY, {}, clock.now())
    mine = photo()
    drafts.add_photo(draft.id, mine, clock.now())
    assert drafts.photo_for_tenancy(mine.token, DEMO_TENANCY) == mine
    assert drafts.photo_for_tenancy(mine.token, NEIGHBOUR) is None
    assert drafts.photo_for_tenancy("made-up", DEMO_TENANCY) is None


def test_submitting_moves_the_photos_to_the_repair_and_freezes_the_draft(drafts, store, clock):
    draft = drafts.start(DEMO_TENANCY, {"emergency": "no"}, clock.now())
    kept = photo()
    drafts.add_photo(draft.id, kept, clock.now())
    repair = new_repair(clock.now(), submission_id=SubmissionId(str(draft.submission_id)))
    store.add(repair, facts(photo_tokens=(kept.token,)), claimed_by="web-1")
    assert store.summary(repair.ref).photo_tokens == (kept.token,)
    assert drafts.get(draft.id).repair_ref == repair.ref
    drafts.save(draft.id, {"emergency": "gas"}, clock.now())  # too late: nothing changes
    assert drafts.get(draft.id).answers == {"emergency": "no"}
    assert drafts.remove_photo(draft.id, kept.token) is None  # it belongs to the repair now
    assert drafts.photo_for_tenancy(kept.token, DEMO_TENANCY) == kept


def test_a_photo_can_be_removed_from_a_draft(drafts, clock):
    draft = drafts.start(DEMO_TENANCY, {}, clock.now())
    gone = photo()
    drafts.add_photo(draft.id, gone, clock.now())
    assert drafts.remove_photo(draft.id, gone.token) == gone
    assert drafts.photos(draft.id) == []
    other = drafts.start(NEIGHBOUR, {}, clock.now())
    theirs = photo()
    drafts.add_photo(other.id, theirs, clock.now())
    assert drafts.remove_photo(draft.id, theirs.token) is None  # not this draft's


def test_abandoned_drafts_are_purged_with_their_photos_but_sent_ones_are_kept(drafts, store, clock):
    old = drafts.start(DEMO_TENANCY, {}, clock.now())
    old_photo = photo()
    drafts.add_photo(old.id, old_photo, clock.now())
    sent = drafts.start(DEMO_TENANCY, {}, clock.now())
    repair = new_repair(clock.now(), submission_id=SubmissionId(str(sent.submission_id)))
    store.add(repair, facts(), claimed_by="web-1")
    clock.advance(timedelta(days=8))
    fresh = drafts.start(DEMO_TENANCY, {}, clock.now())
    purged = drafts.purge(clock.now() - timedelta(days=7))
    assert purged == [old_photo]
    assert drafts.get(old.id) is None
    assert drafts.get(sent.id) is not None and drafts.get(fresh.id) is not None
