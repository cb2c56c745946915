"""Load through the loopback Discord server: many users asking at once, every reply accounted for.

`run_load` drives a connected bot through a `FakeDiscord` (tests/fakediscord/server.py): the
simulated users' questions, mentions in a few channels and /ask mixed, go in back to back as fast
as the gateway takes them (or, in "closed" mode, each user asks again once answered). Replies are
matched to questions from the requests the server records:

- a mention (or DM) is answered by a 2xx `create_message` whose `message_reference` is it;
- an /ask by a 2xx followup (`execute_webhook`) with the interaction's token, or by an initial
  response that is itself a message (callback type 4, e.g. the cooldown notice). The deferral
  (type 5) only acknowledges the interaction; it is not a reply.

Latency runs from the moment a question is injected to the moment its reply request reaches the
server. The reliability tests use it, and so does the Discord benchmark
(`python -m tools.bench --discord`, tools/bench/discord_load.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from tests.fakediscord.server import FakeDiscord, RecordedRequest

Kind = Literal["mention", "slash", "dm"]

# Questions people ask about the seed discussion, a few of them not covered by it.
QUESTIONS = (
    "How often do people get Botox injections?",
    "did it mess with anyone's eyesight?",
    "Is it the muscle relaxing that stops the migraine, or does botox work on the nerves?",
    "how much does it cost if you pay for it yourself?",
    "did anyone's neck get stiff or sore from the shots?",
    "can you get Botox while pregnant?",
    "Did botox ease the pain in anyone's neck and shoulders?",
    "how many units of botox do they use?",
    "where on the head do they put the needles and how many?",
    "how long did it take before the botox kicked in?",
    "does botox stop working after a while?",
    "did the shots make anyone's migraines worse?",
    "what does Dr. Mauskop think about how it works?",
    "What is the capital of France?",
    "how do I bake sourdough bread",
    "I've tried antidepressants and beta blockers with no luck - is botox worth a go?",
)


@dataclass
class Question:
    """One question put to the bot and the reply requests that answered it."""

    index: int
    kind: Kind
    user_id: int
    text: str
    key: str = ""  # see reply_key
    sent_at: float = 0.0  # time.monotonic() just before injection
    replies: list[RecordedRequest] = field(default_factory=list)
    answered: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def latency_ms(self) -> float | None:
        return (self.replies[0].time - self.sent_at) * 1000 if self.replies else None


def reply_key(request: RecordedRequest) -> str | None:
    """Which question a bot request replies to: "message:<id>" for a reply to a message,
    "interaction:<token>" for a message answering an interaction; None for anything else."""
    if not 200 <= request.status < 300:
        return None
    body = request.body if isinstance(request.body, dict) else {}
    if request.kind == "create_message":
        reference = body.get("message_reference") or {}
        message_id = reference.get("message_id")
        return None if message_id is None else f"message:{message_id}"
    if request.kind == "execute_webhook":  # /webhooks/{application_id}/{token}
        return f"interaction:{request.path.split('/')[3]}"
    if request.kind == "interaction_callback" and body.get("type") == 4:
        return f"interaction:{request.path.split('/')[3]}"  # /interactions/{id}/{token}/callback
    return None


def count_replies(requests: Iterable[RecordedRequest]) -> dict[str, int]:
    """Replies per question key, over every request the server recorded."""
    counts: dict[str, int] = {}
    for request in requests:
        if (key := reply_key(request)) is not None:
            counts[key] = counts.get(key, 0) + 1
    return counts


class ReplyTracker:
    """Injects questions into a FakeDiscord and matches the bot's replies to them as they arrive.

    Use as an async context manager: a watcher task follows the server's request log meanwhile.
    """

    def __init__(self, server: FakeDiscord) -> None:
        self.server = server
        self.questions: list[Question] = []
        self._by_key: dict[str, Question] = {}
        self._seen = 0
        self._watcher: asyncio.Task[None] | None = None

    async def __aenter__(self) -> ReplyTracker:
        self._watcher = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
        self.catch_up()

    async def ask(
        self,
        kind: Kind,
        text: str,
        user_id: int | None = None,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
    ) -> Question:
        """Put a question to the bot: a mention in a channel, an /ask, or a DM."""
        user = int(user_id or self.server.member_id)
        question = Question(len(self.questions), kind, user, text)
        self.questions.append(question)
        question.sent_at = time.monotonic()
        if kind == "slash":
            interaction = await self.server.send_slash(
                "ask", {"question": text}, user_id=user, guild_id=guild_id, channel_id=channel_id
            )
            question.key = f"interaction:{interaction['token']}"
        elif kind == "dm":
            message = await self.server.send_dm(user, text)
            question.key = f"message:{message['id']}"
        else:
            message = await self.server.send_message(
                channel_id, author_id=user, content=text, mention_bot=True, guild_id=guild_id
            )
            question.key = f"message:{message['id']}"
        self._by_key[question.key] = question
        self.catch_up()  # a reply can only follow its question, but stay exact
        return question

    async def answered(self, question: Question, timeout: float) -> bool:
        """Wait for the first reply to `question`; False if none came within `timeout`."""
        try:
            await asyncio.wait_for(question.answered.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def all_answered(
        self, questions: Sequence[Question] | None = None, timeout: float = 10.0
    ) -> list[Question]:
        """Wait until every question (default: all so far) has a reply; the unanswered ones."""
        wanted = list(self.questions if questions is None else questions)
        waits = [asyncio.ensure_future(q.answered.wait()) for q in wanted if not q.replies]
        if waits:
            _done, pending = await asyncio.wait(waits, timeout=timeout)
            for task in pending:
                task.cancel()
        return [q for q in wanted if not q.replies]

    def catch_up(self) -> None:
        """Match the requests recorded since the last call."""
        requests = self.server.requests
        while self._seen < len(requests):
            request = requests[self._seen]
            self._seen += 1
            key = reply_key(request)
            question = self._by_key.get(key) if key else None
            if question is not None:
                question.replies.append(request)
                question.answered.set()

    async def _watch(self) -> None:
        while True:
            # The predicate holds for the first request as soon as the log has grown past what
            # was matched, so after each new request this returns at once.
            with contextlib.suppress(TimeoutError):
                await self.server.wait_for_request(
                    lambda _request: len(self.server.requests) > self._seen, timeout=60.0
                )
            self.catch_up()


@dataclass(frozen=True)
class LoadResult:
    users: int
    questions: tuple[Question, ...]
    seconds: float

    @property
    def lost(self) -> list[Question]:
        return [q for q in self.questions if not q.replies]

    @property
    def duplicates(self) -> list[Question]:
        return [q for q in self.questions if len(q.replies) > 1]

    @property
    def latencies_ms(self) -> list[float]:
        return sorted(q.latency_ms for q in self.questions if q.latency_ms is not None)

    @property
    def throughput_qps(self) -> float:
        answered = len(self.questions) - len(self.lost)
        return answered / self.seconds if self.seconds > 0 else 0.0

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the answered questions' latencies (nan if none)."""
        values = self.latencies_ms
        if not values:
            return math.nan
        return values[max(0, math.ceil(p / 100 * len(values)) - 1)]

    def figures(self) -> dict[str, Any]:
        return {
            "users": self.users,
            "questions": len(self.questions),
            "seconds": round(self.seconds, 3),
            "throughput_qps": round(self.throughput_qps, 1),
            "p50_ms": round(self.percentile_ms(50), 1),
            "p99_ms": round(self.percentile_ms(99), 1),
            "lost": len(self.lost),
            "duplicates": len(self.duplicates),
        }


@dataclass(frozen=True)
class Asker:
    user_id: int
    channel_id: int  # where the user's mentions go


def plan(
    users: int, questions: int, texts: Sequence[str] = QUESTIONS
) -> list[list[tuple[Kind, str]]]:
    """Each user's questions, in order: users take turns, and each alternates mention and /ask
    (starting with a different one from its neighbour), so both kinds run all the time."""
    per_user: list[list[tuple[Kind, str]]] = [[] for _ in range(users)]
    for index in range(questions):
        user, turn = index % users, index // users
        kind: Kind = "slash" if (user + turn) % 2 else "mention"
        per_user[user].append((kind, texts[index % len(texts)]))
    return per_user


async def add_askers(
    server: FakeDiscord, users: int, channels: int = 1, first_id: int = 900_000_000_000_000_000
) -> list[Asker]:
    """`users` new members of the server's default guild, spread over `channels` text channels
    (the first is the guild's existing channel, the others are created)."""
    channel_ids = [server.channel_id]
    for n in range(1, channels):
        channel = await server.add_channel(server.guild_id, name=f"questions-{n}")
        channel_ids.append(int(channel["id"]))
    askers = []
    for n in range(users):
        await server.add_member(server.guild_id, first_id + n)
        askers.append(Asker(first_id + n, channel_ids[n % channels]))
    return askers


async def run_load(
    server: FakeDiscord,
    bot: Any,
    users: int = 50,
    questions: int = 1000,
    *,
    mode: Literal["burst", "closed"] = "burst",
    channels: int = 5,
    texts: Sequence[str] = QUESTIONS,
    reply_timeout: float = 60.0,
) -> LoadResult:
    """`users` new members of the server ask the connected `bot` `questions` questions between
    them (see `plan`), their mentions spread over `channels` text channels; returns once every
    question has a reply or `reply_timeout` has passed, after which the unanswered ones count as
    lost.

    burst: every question goes in back to back, the loop yielding after each so that the gateway
    sends it on at once; latency includes the time a question waits behind the others, and
    `reply_timeout` runs from the last one. closed: each user asks its next question as soon as
    the previous one is answered (or lost after `reply_timeout`), so at most `users` are in
    flight.

    Channels: discord.py sends one request at a time per route and channel when the server
    gives no rate-limit headers (the loopback server gives none), so with every mention in one
    channel the replies queue behind each other there and p99 grows to seconds.
    """
    if not bot.is_ready():
        raise RuntimeError("connect the bot to the server first (FakeDiscord.run_client)")
    if users < 1 or questions < 1 or channels < 1:
        raise ValueError("expected at least one user, one question and one channel")
    askers = await add_askers(server, users, channels)
    schedule = plan(users, questions, texts)

    async with ReplyTracker(server) as tracker:

        async def ask(asker: Asker, kind: Kind, text: str) -> Question:
            channel = asker.channel_id if kind == "mention" else None
            return await tracker.ask(kind, text, asker.user_id, channel_id=channel)

        async def closed_loop(asker: Asker, turns: list[tuple[Kind, str]]) -> None:
            for kind, text in turns:
                await tracker.answered(await ask(asker, kind, text), reply_timeout)

        started = time.monotonic()
        if mode == "closed":
            await asyncio.gather(
                *(closed_loop(a, t) for a, t in zip(askers, schedule, strict=True))
            )
        else:
            for turn in range(max(map(len, schedule))):
                for asker, turns in zip(askers, schedule, strict=True):
                    if turn < len(turns):
                        await ask(asker, *turns[turn])
                        await asyncio.sleep(0)  # let the gateway send it on
            await tracker.all_answered(timeout=reply_timeout)
        seconds = time.monotonic() - started
    firsts = [q.replies[0].time for q in tracker.questions if q.replies]
    if firsts and len(firsts) == len(tracker.questions):
        seconds = max(firsts) - started  # to the last reply's arrival, not to noticing it
    return LoadResult(users, tuple(tracker.questions), seconds)
