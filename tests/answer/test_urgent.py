"""The urgent-care detector with the shipped config.yaml: every sign, typed the way people type,
and ordinary questions that share its words. Examples written here, not taken from the
annotated sets (tests/eval/urgent_tune.yaml is scored by `python -m bot eval --urgent`)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answer.urgent import UrgentDetector
from bot.config import Config, load_config
from tests.helpers import CONFIG, write

EMERGENCIES = {
    "thunderclap": [
        "headache came on suddenly like a thunderclap",
        "out of nowhere the worst pain in my head, it exploded in seconds",
        "a headache hit me like a truck out of the blue",
        "my head felt like it split open",
    ],
    "worst_ever": [
        "worst hedache of my life",
        "this is the most painful migraine i have ever had",
    ],
    "stroke": ["i think im having a stroke rn", "I THINK I AM HAVING A STROKE", "is this a stroke"],
    "face_droop": ["my face is drooping", "one side of my mouth is sagging and wont move"],
    "one_sided_weakness": [
        "my left arm went numb and weak",
        "cant lift my right leg at all",
    ],
    "slurred_speech": ["my speech is slurred since this morning", "im slurring"],
    "confusion": [
        "mom is disoriented and doesnt know where she is",
        "i dont know what day it is",
        "my dad is confused and not making sense",
    ],
    "vision_loss": ["lost the vision in my left eye", "cant see out of my right eye"],
    "fever_stiff_neck": ["high fever and my neck is so stiff", "temperature 39 and stiff neck"],
    "fainting": [
        "i fainted after my shots",
        "passed out on the floor just now",
        "i woke up on the bathroom floor",
    ],
    "head_injury": ["hit my head on the door and now the headache is awful"],
    "pregnancy_new_headache": ["im 30 weeks pregnant and have a terrible headache"],
    "seizure": ["had a seizure yesterday", "he is convulsing", "he was foaming at the mouth"],
    "swallowing": [
        "can't swallow since my botox shots",
        "cant swalow anything today",
        "food keeps getting stuck in my throat",
        "difficulty swallowing after botox",
        "it feels like my throat is closing",
    ],
    "breathing": [
        "having trouble breathing after botox injection",
        "cant breth properly",
        "short of breath since the shots",
        "feel like im suffocating",
    ],
    "speaking": ["its hard to get words out since my injections", "trouble speaking since botox"],
    "hoarseness": ["my voice is hoarse and weak since botox", "i lost my voice after the shots"],
    "double_vision": ["seeing double since my injections", "i have double vision"],
    "eyelid_droop": ["my eyelid is drooping over my eye since botox", "i think i have ptosis"],
    "general_weakness": ["no strength in my arms or legs since the shots", "too weak to walk"],
}

ORDINARY = [
    "did botox make anyone's neck stiff?",
    "blurred vision after shots?",
    "how sudden was the relief?",
    "what was the worst side effect people had?",
    "did anyone get droopy eyebrows?",
    "is numbness a migraine symptom?",
    "does topamax cause word finding problems?",
    "im confused about how botox works",
    "did anyone have a fever after the shots?",
    "do the shots in the back of the head hurt?",
    "is topamax an anti seizure medication?",
    "are the pills hard to swallow?",
    "are breathing exercises helpful?",
    "did anyone need double the dose?",
    "can botox cause trouble swallowing?",
    "botox knocked out my migraines completely",
    "i was out for a walk when the migraine started",
    "i came to the conclusion botox works",
    "the pain relief was unreal, never thought it would work",
    "botox is not working for my face pain",
    "does the neck injection make it hard to swallow?",
    "do you have to be pregnant to get headaches",
    "my headache started suddenly improving after botox",
    "i get headaches every time i hit the gym",
    "does botox help headaches that started after a concussion?",
    "How often do people get injections?",
    "did it help with neck pain?",
    "hello",
]


# Written here for the kinds of language a second blind set showed (descriptions rather than
# keywords, someone else's emergency, the emergency inside chit-chat), not its phrasings.
DESCRIBED = {
    "face_droop": [
        "my nan's face has gone all droopy on the left and she cant whistle",
        "loving this thread btw. quick one, my boyfriends mouth just pulled over to one side and "
        "his smile is all twisted, anyway what do u all pay",
        "the left side of my mouth wont go up when i smile, started an hour ago",
    ],
    "confusion": [
        "my dad keeps mixing up who we are and has no idea what day it is",
        "my teen woke up and has no idea who i am, talking gibberish",
    ],
    "vision_loss": ["everything on my left side just vanished, like half the world is missing"],
    "fainting": [
        "my sister just went down in the shop, everything went black and she woke up on the floor"
    ],
    "head_injury": [
        "my son took a ball to the head at rugby and now hes really sleepy",
        "got punched in the head last night and the headache keeps getting worse",
    ],
    "swallowing": [
        "since my shots i cant get my tablets down and water comes back up my nose",
        "anyway thanks all. oh and since yesterday i cough and splutter every time i eat",
    ],
    "speaking": ["my husband can barely talk since his injections, takes him ages to say a word"],
    "hoarseness": ["my voice keeps breaking up and sounds all husky since the injections"],
    "double_vision": ["since the botox the words on the page double up when i read"],
    "eyelid_droop": ["my left eyelid wont stay open since my botox yesterday"],
    "worst_ever": ["this is the worst headache of my entire existence"],
    # Came and went: still urgent for the signs of a stroke.
    "one_sided_weakness": ["my right arm and leg went numb for 10 minutes and then it went away"],
    "slurred_speech": ["my speech was slurred for half an hour this morning but it went away"],
    # A joke marker without a figurative word, or with "now": still urgent.
    "breathing": ["its getting harder to breathe since my botox lol im kinda scared"],
    "pregnancy_new_headache": [
        "im 34 weeks pregnant and have a headache that wont go away",
        # Written for the kinds a third blind set showed (after birth, pregnancy slang).
        "gave birth 2 weeks ago and have a pounding headache that wont quit",
        "preggers 28 wks and this headache is awful",
    ],
}

# The third blind set's kinds of language, in phrasings written here.
DESCRIBED_C = {
    "worst_ever": [
        "this is the worst pain of my entire life, nothing like my migraines",
        "woke at 2am with the worst headache of my life",
        "was at a concert and got the worst headache of my life",
        "my dad says this headache is worse than anything he has ever felt",
    ],
    "head_injury": ["fell off my bike and cracked my head on the curb, now dizzy"],
    "breathing": ["cant catch a breath just talking since this morning"],
    "speaking": ["i can barely get words out rn"],
    # Now-cues inside the sign ("suddenly"), drinks without a now-denying cue: still urgent.
    "thunderclap": ["at the gym my head suddenly exploded"],
    "face_droop": ["was out for drinks and now my face is drooping on the left side"],
    "double_vision": ["does botox cause this? since yesterday im seeing double"],
    # Everyday settings and a report followed by a question stay emergencies.
    "eyelid_droop": ["my eyelid droops over my eye, can botox do that?"],
    "vision_loss": ["reading the comments and my vision went black in one eye"],
    "swallowing": ["my pills are stuck in my throat"],
}

# The fourth blind set's kinds of language, in phrasings written here; the last of each list
# checks that a cue added for set D's look-alikes does not silence an emergency.
DESCRIBED_D = {
    "worst_ever": [
        "easily the most awful headache ive had in 20 years",
        "this one is in another league from any migraine ive ever had",
        "ive always had migraines but this one is the worst ive ever had",
        "once a week i get migraines but this is the worst headache of my life",
    ],
    "face_droop": [
        "the right half of her mouth wont go up when she smiles",
        "is it a stroke or a migraine, my face is drooping",
        "lol at the office my face is drooping on one side",
        "no headache but my face is drooping",
    ],
    "fainting": [
        "was in the queue and next thing i knew i was on the ground",
        "my son went down like a sack of potatoes in the kitchen",
        "lol i passed out at the pizza place",
    ],
    "head_injury": [
        "got clocked in the head by a cricket ball and now i feel sick",
        "came off my horse yesterday no helmet and my head is killing me",
    ],
    "hoarseness": ["voice all croaky since my botox, like i was screaming at a football match"],
    "double_vision": [
        "since the shots i see two moons in the sky",
        "lol my laptop screen looks doubled, seeing double everything",
    ],
    "swallowing": [
        "cant swallow my food lol its scary",
        "any tips? i cant swallow since the shots",
    ],
    "one_sided_weakness": [
        "typing this one handed, my right arm went dead",
        "my arm always goes numb but now my whole left side is weak",
    ],
    "slurred_speech": [
        "what is a stroke like? my face feels numb on one side and my speech is slurred"
    ],
    "confusion": ["no fever but she doesnt know where she is"],
}

# Set D's kinds of look-alike, in phrasings written here: general questions, jokes and figures
# of speech, long ago or checked out, habitual, everyday causes.
NOT_NOW_D = [
    "what is a thunderclap headache, is it the same as a cluster headache",
    "does double vision happen after botox near the eyebrows, how often",
    "is a droopy brow after the forehead shots permanent?",
    "lol my computer had a seizure when i opened the forum",
    "my face dropped when i saw the bill for round two",
    "i see double on my bank statement lol, charged twice",
    "my right arm goes numb when i sleep on it, pins and needles",
    "years ago one side of my face went numb, got fully checked out, nothing since",
    "had a seizure as a baby, nothing since, can i get botox",
    "lost my glasses lol cant see a thing",
    "screamed myself hoarse at the football lol",
    "my voice is raspy every morning from acid reflux",
    "my stiff neck after botox, no fever, is that normal",
    "the topamax tablets are huge, always struggle to swallow them",
    "wifes speech all garbled because shes half asleep lol",
    "my cheeks are saggy with age, will botox be a facelift",
]

# The fifth blind set's kinds of language, in phrasings written here; the last of some lists
# check that a cue added for set E's look-alikes does not silence an emergency.
DESCRIBED_E = {
    "thunderclap": [
        "my head went off like fireworks out of nowhere, full blast from the first second",
        "it was like a firecracker inside my skull, the pain peaked in a second",
    ],
    "worst_ever": [
        "this migraine is off the scale, a 12 out of 10",
        "never ever had a headache like this one",
        "had three kids naturally and this head pain is worse than labour",
        "my sister had a kidney stone last year and says this headache beats all of that",
        "not my usual pattern at all, worst headache of my life",
    ],
    "one_sided_weakness": [
        "my mum cant squeeze anything with her right hand since lunch",
        "his right leg keeps dragging when he walks to the kitchen",
        "asked her to raise both arms and the left one flopped down",
    ],
    "slurred_speech": [
        "my husbands talking all sludgy and he hasnt had a drink",
        "her words are all scrambled and she cant find the right ones",
    ],
    "confusion": [
        "she couldnt tell me her own address just now",
        "i cant follow what im reading, the words make no sense",
        "my dad got lost in the supermarket he goes to every week",
    ],
    "fever_stiff_neck": [
        "my son is hot to the touch and his neck wont bend forward",
        "temperature of 39 and honestly my neck is like a board and it just will not bend",
        "my little boy is burning up and screams when i bend his head down",
    ],
    "fainting": [
        "the room went grey and i ended up on the floor",
        "my legs folded under me twice this morning",
    ],
    "pregnancy_new_headache": [
        "im 32 weeks pregnant (first one, so excited but so tired lol) and this headache has"
        " been there two days and my vision is blurry",
    ],
    "hoarseness": [
        "my voice sounds like im gargling gravel since my botox",
        "hoarse voice 2 days after injections, no shouting or cold",
    ],
    "eyelid_droop": ["my husband looks half asleep all the time, his eyelids are drooping"],
    "general_weakness": [
        "feels like someone pulled the plug on my whole body since round two",
        "cant even open a jar since my botox",
    ],
    # Written here, first missed by the rules too: scrambled words, a head that will not bend
    # (above), a throat closing.
    "swallowing": ["my throat feels like its closing every time i try to eat"],
    "face_droop": [
        "they ruled out a stroke last year but right now my face is drooping",
        "is this a stroke or just a migraine? my face is drooping",
    ],
}

# Set E's kinds of look-alike, in phrasings written here: long ago and checked, a person's usual
# pattern, named ordinary causes (a pillow, reading glasses, sunglasses, drinks, a cold, the gym),
# jokes and figures of speech, questions about risks in general.
NOT_NOW_E = [
    "had the worst headache of my life back in 2015, nothing close since, botox has been great",
    "woke up with my left hand numb because i slept on it again, or is it just my awful pillow",
    "ive slurred my words during my auras for years, my neuro has seen it, its my usual pattern",
    "does topamax cause slurred speech or just tiredness? asking before i start it",
    "got lost in the new hospital building looking for the neuro wing lol",
    "cant see a thing without my reading glasses lol",
    "the light basically made me go blind yesterday, sunglasses fixed it",
    "bit of a temperature from a cold and my neck aches, but i can still touch my chin to my chest",
    "bumped my head on the cupboard door, no pain at all, just annoying",
    "that was a hard pill to swallow, botox didnt work for me",
    "my voice is always hoarse in the morning, goes away after coffee",
    "seeing double after too much wine at the party lol",
    "my eyelids get heavy and droopy every night around 11",
    "my legs are jelly after leg day lol",
    "had a concussion in 2012 playing rugby, fully checked out, wondering if thats when my"
    " migraines started",
    "what do people rate their worst migraines at? mine top out around 8",
    "my right arm has always been weaker, im left handed",
    "slurring after birthday drinks last night lol",
    "i always look half asleep in photos lol",
    "dentist numbed my mouth and im drooling, still better than a migraine lol",
    "fainted once as a teen, it was just dehydration",
]

# Set F's kinds of emergency, in phrasings written here: a sober person who sounds drunk, words
# running together, the wrong or a dead person's name, the wrong year, "not with it" after being
# fine; fever or light hurting with a head that will not tip forward, a hot floppy child, a rash
# that does not fade; a focal seizure that spreads; everything heavy.
DESCRIBED_F = {
    "slurred_speech": [
        "my dad sounds completely hammered on the phone but he hasnt had a drink in 20 years",
        "her words are all running together since lunch, like mush",
    ],
    "confusion": [
        "my gran keeps calling me by my late grandads name and asking where he is",
        "he thinks its 1975 and keeps asking for his mum",
        "she's just not with it all of a sudden, she was fine an hour ago",
    ],
    "fever_stiff_neck": [
        "son has a temperature of 39 and cries when he tries to put his chin down to his chest",
        "my baby is hot and floppy and not feeding",
        "light is hurting his eyes and he cant bend his neck forward",
        "there's a rash on her legs that does not fade when i press a glass on it",
        "my daughter is at 39.5 and screams if i try to get her to look down",
        "he's 102 degrees f and can't tip his head forward at all",
    ],
    "seizure": [
        "my husband went blank and then his left hand started jerking and it spread up his arm",
    ],
    "general_weakness": [
        "i cant hold my phone up, my arms and legs feel like lead since botox",
        "everything feels so heavy, i cant even keep my arms up to brush my hair",
    ],
}

# Set F's kinds of look-alike, in phrasings written here: the new signs' everyday uses, questions
# about a sign in general, checked out, named causes.
NOT_NOW_F = [
    "my eyelid twitches when i'm tired, is that the botox?",
    "my legs are heavy after leg day lol",
    "my kid's fever is 38 and she has a runny nose, neck is fine",
    "does topamax make you sound drunk? I'm sober but i worry about it",
    "was at the pub last night, so hammered, words running together lol",
    "is a stiff neck one of the warning signs people mean? what to watch for after shots",
    "got a bit breathless walking uphill, im so unfit, anyway when does botox kick in",
    "voice went husky with a cold, wondering if i should postpone my shots",
    "my face drooped on one side in 2016, scan was clear, it was bells palsy",
    "she turned her head 30 degrees and it clicked, no fever",
]

# Jokes and figures of speech, signs that are over, habitual or long ago, everyday uses.
NOT_NOW = [
    "nearly fainted when i saw what my insurance wanted me to pay haha",
    "the cost is hard to swallow lol, any tips for getting insurance to pay",
    "my voice is hoarse from cheering at the match lol, is botox ok this week",
    "lost my voice from singing at a concert, can i get my shots",
    "i always struggle to swallow large tablets, can topamax be crushed",
    "my neck felt weak for a few days after the shots but it went away, is that common",
    "had double vision for a day after round 1 but it went away, anyone else?",
    "my eyelid drooped a little for a week after round 2 but it wore off",
    "my words come out slurred whenever i get a bad migraine, does botox help with that",
    "i hit my head as a kid and have had migraines ever since, would botox help",
    "i get little bumps on my forehead after the injections, how long do they last",
    "my shoulders seize up when i sit at my desk all day, can botox help that",
    "no idea what day my next appointment is lol, how often do you go",
    "hard to talk about money but how much do you all pay",
    "did your headache days double up before botox started working",
    # Questions about risks in general, everyday causes, long ago (written for set C's kinds).
    "how do you deal with the droopy eyelid side effect",
    "does botox ever cause double vision? just curious before my first round",
    "my speech slurred after the dentist numbed me lol",
    "after two beers my words slur, is that bad with botox",
    "used to pass out as a kid, does that matter for botox",
    "my cousin had a concussion last season and fully recovered, does botox help after one",
    "arms weak after the gym, out of shape, can i exercise after botox",
    "my eyes are droopy from being so tired after work, is botox tiring",
    "have trouble speaking up at appointments, how do i ask for botox",
    "my voice is gone from karaoke lol",
]


@pytest.fixture(scope="module")
def detector(config: Config) -> UrgentDetector:
    return UrgentDetector(config.urgent_care)


@pytest.mark.parametrize(
    ("flag", "text"),
    [
        (flag, text)
        # keywords; descriptions; set C's, D's and E's kinds
        for table in (EMERGENCIES, DESCRIBED, DESCRIBED_C, DESCRIBED_D, DESCRIBED_E, DESCRIBED_F)
        for flag, texts in table.items()
        for text in texts
    ],
)
def test_every_sign_is_recognised_as_people_type_or_describe_it(
    detector: UrgentDetector, flag: str, text: str
) -> None:
    urgent = detector.detect(text)
    assert urgent is not None, text
    assert flag in urgent.flags


def test_a_now_word_inside_a_not_now_phrase_does_not_say_now(detector: UrgentDetector) -> None:
    # "years ago" holds "ago" (as in "20 min ago"); "just curious" holds "just".
    assert detector.detect("my voice went hoarse years ago, does botox ever do that") is None
    assert detector.detect("does botox ever cause double vision? just curious") is None
    assert detector.detect("does botox ever cause double vision? just now i see two of you")
    # ... and "this is different" says it is happening now, despite a long-ago cue.
    assert detector.detect("my voice is gone, i had a cold years ago but this is different")


def test_only_the_words_near_a_commenters_name_report_them(detector: UrgentDetector) -> None:
    commenters = frozenset({"angelette"})
    own = "worst headache of my whole life and ive had migraines since i was 8 like angelette"
    assert detector.detect(own, commenters=commenters) is not None
    assert (
        detector.detect("like angelette the worst headache of my life", commenters=commenters)
        is None
    )


@pytest.mark.parametrize("text", ORDINARY + NOT_NOW + NOT_NOW_D + NOT_NOW_E + NOT_NOW_F)
def test_ordinary_questions_raise_no_alarm(detector: UrgentDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_what_the_message_says_now_outweighs_over_or_habitual(detector: UrgentDetector) -> None:
    assert detector.detect("my neck felt weak for a week after the shots, went away") is None
    assert detector.detect("my neck felt weak, went away, but now i cant hold my head up")
    assert detector.detect("my voice gets croaky when i get a migraine") is None
    assert detector.detect("my voice gets croaky when i get a migraine and today its gone")
    # The next part may say it is happening now, or that it is over.
    assert detector.detect("my face droops when i get a migraine, but this time it stays")
    assert detector.detect("had double vision for a day after round 2 but it went away") is None
    # A long-ago cue far from the sign, or a duration, does not make it over.
    assert detector.detect("i havent been able to swallow properly for a few days")
    assert detector.detect("my neck went stiff years ago, no idea why. i cant swallow properly")


def test_a_joke_needs_a_figurative_word_near_the_sign(detector: UrgentDetector) -> None:
    assert detector.detect("almost passed out when i saw the bill lol") is None
    assert detector.detect("almost passed out when i saw the bill") is not None
    assert detector.detect("lol i cant swallow since my shots yesterday") is not None
    assert detector.detect("insurance wont pay lol. and i cant swallow properly") is not None


def test_cues_come_from_the_configuration(tmp_path, config: Config) -> None:
    text = CONFIG.read_text(encoding="utf-8")
    start = text.index("  joke_cues:")
    end = text.index("  figurative_cues:")
    path = write(tmp_path / "config.yaml", text[:start] + "  joke_cues: []\n" + text[end:])
    without_jokes = UrgentDetector(load_config(path).urgent_care)
    assert without_jokes.detect("almost passed out when i saw the bill lol") is not None


def test_a_question_reporting_what_a_commenter_wrote_is_no_emergency(
    detector: UrgentDetector,
) -> None:
    commenters = frozenset({"glenn", "patti"})
    named = frozenset({"christina"})  # named by a commenter, not one
    assert detector.detect("glenn said he collapses with migraines", named, commenters) is None
    assert detector.detect("glenn has collapsed", named, commenters) is None
    assert (
        detector.detect("like patti did you think you were having a stroke", commenters=commenters)
        is None
    )
    assert detector.detect("christina said she slurs her words", named, commenters) is None
    assert detector.detect("christina has slurred speech", named, commenters) is not None
    # Someone here and now is not a commenter: still an emergency.
    assert detector.detect("my husband says he collapsed", named, commenters) is not None
    # ... even when the discussion writes "Husband" with a capital, as a name.
    husband = named | {"husband"}
    assert detector.detect("my husband says he cant see", husband, commenters) is not None
    # A report silences only its own part of the message.
    story = "been on topamax like patti, but today my right arm went numb and i cant lift it"
    assert detector.detect(story, named, commenters) is not None
    assert detector.detect("like patti my right arm went numb", named, commenters) is None


def test_re2_patterns_run_in_linear_time(tmp_path, config: Config) -> None:
    path = write(
        tmp_path / "config.yaml",
        CONFIG.read_text(encoding="utf-8").replace("  patterns: []", '  patterns: ["(a+)+$"]'),
    )
    detector = UrgentDetector(load_config(path).urgent_care)
    started = time.perf_counter()
    assert detector.detect("a" * 28 + "!") is None
    assert detector.detect("a" * 900 + "!") is None
    # Python's backtracking engine takes ~20 s on 28 characters; RE2 microseconds. Generous.
    assert time.perf_counter() - started < 5
    assert detector.detect("aaaa").flags == ("pattern",)
    assert detector.detect("lone surrogate \udcff aaa") is not None  # no UnicodeEncodeError


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_is_checked_without_error(detector: UrgentDetector, text: str) -> None:
    urgent = detector.detect(text, frozenset({"glenn"}))
    assert urgent is None or urgent.flags
