import uuid

from coopterm.clock import Revision, next_revision, utcnow, uuid7


def test_uuid7_is_version_7_rfc_variant_and_ordered():
    ids = [uuid7() for _ in range(5000)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_uuid7_carries_its_millisecond_timestamp():
    assert uuid7(now_ms=1_700_000_000_123).int >> 80 >= 1_700_000_000_123


def test_revisions_sort_as_text_the_way_they_compare():
    revs = [Revision(5, 2, "b"), Revision(5, 10, "a"), Revision(40, 0, "a"), Revision(5, 2, "c")]
    assert sorted(revs) == sorted(revs, key=str)
    assert Revision.parse(str(revs[1])) == revs[1]


def test_clock_set_back_still_moves_forward():
    last = next_revision(None, "r1", now_ms=10_000)
    behind = next_revision(last, "r1", now_ms=3_000)  # wall clock went back
    assert behind > last
    assert behind.millis == 10_000 and behind.counter == 1
    ahead = next_revision(behind, "r1", now_ms=20_000)
    assert ahead > behind and ahead.counter == 0


def test_utcnow_is_aware():
    assert utcnow().utcoffset().total_seconds() == 0
