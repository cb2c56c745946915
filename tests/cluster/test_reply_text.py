"""What an admin reads after a reload across processes."""

from __future__ import annotations

from bot.cluster import Ack, ClusterReload, Member, Propagation
from bot.discord_adapter.cogs.admin import describe_cluster_reload, describe_processes
from bot.engine import CorpusStats, ReloadReport

STATS = CorpusStats(documents=1, comments=30, replies=4, passages=120, commenters=26)
MORE = CorpusStats(documents=2, comments=31, replies=4, passages=121, commenters=27)
ME = Member("host-a:10", (0,), "3f9a00000001")


def result(propagation: Propagation | None, ok: bool = True) -> ClusterReload:
    local = ReloadReport(ok, STATS, MORE if ok else STATS, 0.1, (), ME.fingerprint)
    return ClusterReload(ME, local, propagation)


def test_without_redis_nothing_is_said_about_other_processes() -> None:
    assert describe_processes(result(None)) == ""
    assert describe_cluster_reload(result(None)).startswith("Reloaded in 0.10 s")


def test_everyone_on_one_corpus() -> None:
    peer = Member("host-b:11", (1,), ME.fingerprint)
    text = describe_processes(result(Propagation((peer,), (Ack(peer, True, "fine"),))))
    assert text == "2/2 processes reloaded, corpus 3f9a00000001."


def test_different_corpora_missing_and_failed_processes_are_named() -> None:
    same = Member("host-b:11", (1,), ME.fingerprint)
    other = Member("host-c:12", (2, 3), "0000000000ff")
    gone = Member("host-d:13", None, "3f9a00000001")
    acks = (Ack(same, True, "fine"), Ack(other, False, "corpus/broken.yaml:3: not valid YAML"))
    text = describe_processes(result(Propagation((same, other, gone), acks)))
    lines = text.replace("\\", "").splitlines()
    assert lines[0].startswith("2/4 processes reloaded, different corpora: 3f9a00000001 on")
    assert "0000000000ff on process host-c:12 (shards 2, 3)" in lines[0]
    assert lines[1] == "No answer within the time allowed from process host-d:13 (all shards)."
    assert lines[2] == (
        "Process host-c:12 (shards 2, 3) failed and kept its old index: "
        "corpus/broken.yaml:3: not valid YAML"
    )


def test_redis_unreachable_says_propagation_failed() -> None:
    text = describe_processes(result(Propagation((), (), "Redis at redis://h:1/0 did not answer")))
    assert text.startswith("Propagation failed: only this process reloaded")
    assert "redis://h:1/0" in text


def test_hostile_names_from_redis_cannot_ping() -> None:
    peer = Member("@everyone <@123>", (1,), ME.fingerprint)
    text = describe_processes(result(Propagation((peer,), ())))
    assert "@everyone" not in text and "<@123>" not in text
