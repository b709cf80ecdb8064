"""The workshop curriculum: twelve stages, in the order of the guide the program follows.

Pure data with no imports from the app, because the migration that first loads the stages
imports it too. Keys are stable identifiers: never rename one; add or reword freely and run
`flask --app wsgi seed-demo` (or `sync_curriculum`) to bring the database up to date.
"""

STAGES = [
    {
        "position": 1,
        "key": "readiness",
        "title": "Can this even work?",
        "summary": (
            "Before any rebuilding, each partner looks honestly at whether they want to try "
            "again and whether the other does too. The couple names the old patterns that "
            "hurt them, so the work ahead has a clear target."
        ),
        "focus": (
            "Are both partners willing? Which patterns need work: codependency, "
            "people-pleasing, poor communication, lack of intimacy, the silent treatment, "
            "emotional withholding."
        ),
    },
    {
        "position": 2,
        "key": "timing",
        "title": "The right time",
        "summary": (
            "Getting back together too soon can reopen wounds that have not closed. The couple "
            "sorts out what has to heal first and checks that they agree on what they are "
            "working on, so neither is surprised later."
        ),
        "focus": "What must heal first; whether both are on the same page about what to work on.",
    },
    {
        "position": 3,
        "key": "cooperation",
        "title": "Mutual cooperation",
        "summary": (
            "A relationship rebuilt by one person alone does not hold. The partners agree on a "
            "goal they share and on giving it comparable time and effort, so old arguments "
            "have less room to come back."
        ),
        "focus": "A shared goal, and equal time and effort from both partners.",
    },
    {
        "position": 4,
        "key": "communication",
        "title": "Communication is key",
        "summary": (
            "Talking a lot is not the same as talking well. The couple practises saying what "
            "they feel, even when it leaves them exposed, and listening to each other with full "
            "attention instead of preparing a reply."
        ),
        "focus": "Honest expression of feelings; active listening and being present.",
    },
    {
        "position": 5,
        "key": "pace",
        "title": "Don't rush",
        "summary": (
            "There is no prize for getting back together quickly. The couple agrees on a pace "
            "that lets the foundation set, and on what going slowly means for them in "
            "practical terms."
        ),
        "focus": 'Pace and patience; what "slow" means for this couple.',
    },
    {
        "position": 6,
        "key": "novelty",
        "title": "Try something new",
        "summary": (
            "Doing something neither partner has done before can show each of them a side of "
            "the other they had not seen. The couple plans a new shared activity, does it, and "
            "reflects on what they noticed."
        ),
        "focus": "Plan a new shared activity, then reflect on it together.",
    },
    {
        "position": 7,
        "key": "trust",
        "title": "Rebuilding trust",
        "summary": (
            "With better communication in place, the couple looks at what led to the breakup. "
            "The aim is understanding, not a verdict: describing causes as plainly as possible "
            "and keeping blame out of the conversation."
        ),
        "focus": "The causes of the breakup, examined objectively and without blame.",
    },
    {
        "position": 8,
        "key": "self_trust",
        "title": "Trusting yourself",
        "summary": (
            "Trusting a partner again starts with trusting one's own judgement. Each partner "
            "works on noticing their instincts and taking their gut feelings seriously, "
            "without turning every disagreement into a trial of the past."
        ),
        "focus": "Instincts, and learning to listen to one's gut.",
    },
    {
        "position": 9,
        "key": "positivity",
        "title": "Keeping positive",
        "summary": (
            "Painful history does not make everything in the relationship painful. The couple "
            "trains their attention on what is good between them, and notices it out loud."
        ),
        "focus": "Noticing and naming what is good in the relationship.",
    },
    {
        "position": 10,
        "key": "present",
        "title": "Don't dwell on the past",
        "summary": (
            "Once a partner has chosen to forgive, replaying old hurts only slows the healing. "
            "The couple practises keeping their attention on the present and on the future "
            "they are building."
        ),
        "focus": "Forgiveness, and keeping attention on the present.",
    },
    {
        "position": 11,
        "key": "betrayal",
        "title": "Healing from betrayal",
        "summary": (
            "Recovering from a betrayal takes as long as it takes. The stage works through "
            "five steps: self-awareness and managing anger, sincere forgiveness, refusing "
            "self-blame, caring for oneself, and staying objective about whether one is ready."
        ),
        "focus": (
            "Self-awareness, sincere forgiveness, not blaming oneself, self-love, objectivity."
        ),
    },
    {
        "position": 12,
        "key": "support",
        "title": "Seeking help",
        "summary": (
            "A professional offers a safe place to be honest and a guide through the next "
            "steps. The couple reviews what they have built, decides what further support "
            "they need, and the workshop comes to a close."
        ),
        "focus": "What further support the couple needs; closing the workshop.",
    },
]

STAGE_COLUMNS = ("position", "key", "title", "summary", "focus")
