"""The exercises that ship with the product: at least one for each stage of the curriculum.

Pure data (written for this product from the guide's ideas); `sync_library` loads it. Keys are
stable: never rename one. Editing wording here and syncing updates the built-in exercises'
working copies; versions already assigned keep the wording they were given with.
"""


def _scale(key, label, low, high, measure=None, help_text="", required=True, risk_at_most=None):
    field = {
        "key": key,
        "type": "scale",
        "label": label,
        "help": help_text,
        "required": required,
        "min": 1,
        "max": 10,
        "min_label": low,
        "max_label": high,
    }
    if measure:
        field["measure"] = measure
    if risk_at_most is not None:
        field["risk_when"] = {"at_most": risk_at_most}
    return field


def _text(key, label, help_text="", long=True, required=True, max_length=None):
    field = {
        "key": key,
        "type": "long_text" if long else "short_text",
        "label": label,
        "help": help_text,
        "required": required,
    }
    if max_length:
        field["max_length"] = max_length
    return field


def _choice(key, label, options, multiple=False, help_text="", required=True):
    return {
        "key": key,
        "type": "multi_choice" if multiple else "single_choice",
        "label": label,
        "help": help_text,
        "required": required,
        "options": options,
    }


def _yes_no(key, label, help_text="", risk_if_yes=False, required=True):
    field = {"key": key, "type": "yes_no", "label": label, "help": help_text, "required": required}
    if risk_if_yes:
        field["risk_when"] = {"equals": "yes"}
    return field


def _list(key, label, items=3, help_text="", required=True):
    return {
        "key": key,
        "type": "list",
        "label": label,
        "help": help_text,
        "required": required,
        "items": items,
    }


def _date(key, label, help_text="", required=True):
    return {"key": key, "type": "date", "label": label, "help": help_text, "required": required}


PATTERNS = [
    "Codependency",
    "People-pleasing",
    "Poor communication",
    "Lack of intimacy",
    "The silent treatment",
    "Emotional withholding",
]

LIBRARY = [
    {
        "key": "readiness-where-we-stand",
        "stage": "readiness",
        "mode": "individual",
        "visibility": "after_both",
        "title": "Where I stand",
        "instructions": "Answer on your own, honestly. Your partner sees your answers only "
        "after you have both submitted, so neither of you answers to please.",
        "fields": [
            _scale(
                "willing",
                "How willing am I to work on this relationship right now?",
                "Not willing",
                "Completely willing",
                measure="readiness",
            ),
            _choice(
                "patterns",
                "Which old patterns do I think we need to work on?",
                PATTERNS,
                multiple=True,
                help_text="Choose as many as apply.",
            ),
            _text("hope", "What would I like to be different a few months from now?"),
            _scale(
                "hopeful",
                "How hopeful am I about us?",
                "Not hopeful",
                "Very hopeful",
                measure="hope",
            ),
        ],
    },
    {
        "key": "readiness-safety-check-in",
        "stage": "readiness",
        "mode": "individual",
        "visibility": "private",
        "safety": True,
        "title": "Private safety check-in",
        "instructions": "This check-in is for you and your counselor only. Your partner never "
        "sees these answers. If you are in danger right now, contact your local "
        "emergency number.",
        "fields": [
            _yes_no("afraid", "Do you ever feel afraid of your partner?", risk_if_yes=True),
            _yes_no(
                "harmed",
                "In the past year, has a conflict between you turned physical, "
                "or has either of you threatened the other?",
                risk_if_yes=True,
            ),
            _scale(
                "safe_at_home",
                "How safe do you feel at home?",
                "Not safe at all",
                "Completely safe",
                risk_at_most=4,
            ),
            _text(
                "private_note",
                "Is there anything you want your counselor to know?",
                help_text="Optional. Only your counselor reads this.",
                required=False,
            ),
        ],
    },
    {
        "key": "timing-what-heals-first",
        "stage": "timing",
        "mode": "individual",
        "visibility": "after_both",
        "title": "What needs to heal first",
        "instructions": "Think about what still hurts before you answer. There is no right pace.",
        "fields": [
            _list("wounds", "Which hurts still need time before we can move forward?", items=3),
            _choice(
                "same_page",
                "How much do we agree on what we are working on?",
                ["We agree", "We mostly agree", "We see it differently", "I don't know"],
            ),
            _text("first_step", "What is one thing that would help me heal?"),
        ],
    },
    {
        "key": "cooperation-shared-goal",
        "stage": "cooperation",
        "mode": "joint",
        "visibility": "private",
        "title": "Our shared goal",
        "instructions": "Sit down together and answer once, as a couple.",
        "fields": [
            _text("goal", "In one sentence, what are we working towards together?", long=False),
            _text("effort", "What will each of us put in each week (time, attention, tasks)?"),
            _scale(
                "balance",
                "How evenly do we share the effort today?",
                "Very unevenly",
                "Completely evenly",
                measure="communication",
            ),
        ],
    },
    {
        "key": "communication-listening-practice",
        "stage": "communication",
        "mode": "joint",
        "visibility": "private",
        "title": "Active listening practice",
        "instructions": "Take turns: one speaks for five minutes about a feeling, the other "
        "listens without interrupting, then says back what they heard. Swap. "
        "Then answer together.",
        "fields": [
            _date("when", "When did we practise?"),
            _text("noticed", "What did we notice about listening and being listened to?"),
        ],
    },
    {
        "key": "communication-reflection",
        "stage": "communication",
        "mode": "individual",
        "visibility": "after_both",
        "title": "Feeling heard",
        "instructions": "A short reflection of your own after the listening practice.",
        "fields": [
            _scale(
                "heard",
                "How well did I feel heard this week?",
                "Not at all",
                "Completely",
                measure="communication",
            ),
            _text("hard_to_say", "What was hard for me to say out loud?"),
            _list(
                "helped", "What helped me stay present while listening?", items=3, required=False
            ),
        ],
    },
    {
        "key": "pace-what-slow-means",
        "stage": "pace",
        "mode": "individual",
        "visibility": "after_both",
        "title": "What “slow” means to me",
        "instructions": "Describe the pace that feels right to you, in practical terms.",
        "fields": [
            _choice(
                "pace",
                "Right now I would like us to…",
                ["Take a step back", "Keep the current pace", "Move a little faster"],
            ),
            _list("rushing_signs", "Signs that we are rushing", items=3),
            _text("patience", "What helps me stay patient?"),
        ],
    },
    {
        "key": "novelty-plan-something-new",
        "stage": "novelty",
        "mode": "joint",
        "visibility": "private",
        "title": "Plan something new",
        "instructions": "Choose something neither of you has done before. It can be small: a "
        "new walk, a class, cooking a dish from another country.",
        "fields": [
            _text("activity", "What will we try?", long=False),
            _date("planned_for", "When?"),
            _text("why", "Why did we choose this?", required=False),
        ],
    },
    {
        "key": "novelty-reflection",
        "stage": "novelty",
        "mode": "individual",
        "visibility": "after_both",
        "title": "After the new activity",
        "instructions": "Answer after you have done the activity together.",
        "fields": [
            _text("learned", "What did I see or learn about my partner?"),
            _scale(
                "enjoyed",
                "How good did it feel to do it together?",
                "Not good",
                "Wonderful",
                measure="positivity",
            ),
        ],
    },
    {
        "key": "trust-understanding-causes",
        "stage": "trust",
        "mode": "individual",
        "visibility": "private",
        "title": "Understanding what went wrong",
        "instructions": "Describe what led to the breakup as plainly as you can, as if you were "
        "an observer. Leave blame out: the aim is to understand. Only your "
        "counselor reads this.",
        "fields": [
            _list("factors", "What contributed to the breakup?", items=5),
            _text("my_part", "What part did my own actions play?"),
            _scale(
                "trust_now",
                "How much do I trust my partner today?",
                "Not at all",
                "Completely",
                measure="trust",
            ),
        ],
    },
    {
        "key": "self-trust-listening-to-my-gut",
        "stage": "self_trust",
        "mode": "individual",
        "visibility": "private",
        "title": "Listening to my gut",
        "instructions": "Think of moments when your instincts told you something.",
        "fields": [
            _text("moment", "A moment when my instinct turned out to be right"),
            _yes_no("ignored", "Do I sometimes ignore my gut feelings to avoid conflict?"),
            _scale(
                "self_trust",
                "How much do I trust my own judgement?",
                "Not at all",
                "Completely",
                measure="trust",
            ),
        ],
    },
    {
        "key": "positivity-good-moments",
        "stage": "positivity",
        "mode": "individual",
        "visibility": "after_both",
        "title": "Three good moments this week",
        "instructions": "Notice what went well between you, however small.",
        "fields": [
            _list("moments", "Three good moments this week", items=3),
            _scale(
                "positive",
                "Overall, how positive did this week feel?",
                "Very negative",
                "Very positive",
                measure="positivity",
            ),
        ],
    },
    {
        "key": "present-letting-the-past-rest",
        "stage": "present",
        "mode": "individual",
        "visibility": "private",
        "title": "Letting the past rest",
        "instructions": "Forgiveness is a choice you keep making. Reflect on where you are.",
        "fields": [
            _yes_no("forgiven", "Have I decided to forgive?"),
            _text(
                "replay",
                "When do I catch myself replaying the past, and what helps me "
                "come back to the present?",
            ),
            _scale(
                "future",
                "How hopeful am I about our future?",
                "Not hopeful",
                "Very hopeful",
                measure="hope",
            ),
        ],
    },
    {
        "key": "betrayal-five-steps",
        "stage": "betrayal",
        "mode": "individual",
        "visibility": "private",
        "title": "Five steps of healing",
        "instructions": "Take one step at a time. You can save a draft and come back.",
        "fields": [
            _text(
                "awareness",
                "1. Self-awareness: what do I feel, and how do I keep anger from taking over?",
            ),
            _text(
                "forgiveness",
                "2. Forgiveness: what would sincere forgiveness look like, "
                "and what would it mean to stop bringing the past into "
                "arguments?",
            ),
            _text("no_self_blame", "3. Not blaming myself: what was not mine to carry?"),
            _text(
                "self_love",
                "4. Caring for myself: what do I need, and how will I give it to myself this week?",
            ),
            _text(
                "objectivity",
                "5. Objectivity: setting old feelings aside, am I ready for "
                "this relationship? What tells me so?",
            ),
            _scale(
                "trust_level",
                "How much do I trust my partner today?",
                "Not at all",
                "Completely",
                measure="trust",
            ),
        ],
    },
    {
        "key": "support-what-comes-next",
        "stage": "support",
        "mode": "joint",
        "visibility": "private",
        "title": "What comes next",
        "instructions": "Look back at the workshop together and decide what support you want.",
        "fields": [
            _choice(
                "support",
                "What support would help us next?",
                [
                    "Couples counseling",
                    "Individual counseling",
                    "A support group",
                    "Regular check-ins on our own",
                    "Nothing more for now",
                ],
                multiple=True,
            ),
            _text("proudest", "What are we proudest of from these weeks?"),
            _scale(
                "confidence",
                "How confident are we about the road ahead?",
                "Not confident",
                "Very confident",
                measure="hope",
            ),
        ],
    },
]
