#!/usr/bin/env python3
"""Writes training comments that name an identity warmly or in a fair complaint, to balance the hate file, where
identity words and quoted welcomes are far more common than in the clean files (Dixon et al. 2018). The templates
share no wording with make_identity_mentions.py's test templates, and 13 of its 34 identities never appear here, so
the test set measures whether the balance carries to identities the model was not shown.

Measured and NOT adopted (models/REVISIONS.md, "Eleventh revision"): over nine development models it raised clean
reviews by 0.57 points and identity-mentions reviews too. Kept so that measurement can be repeated; training reads
only train-*.tsv.

Usage: python3 seeds/corpus/tools/make_identity_training.py > FILE
"""

from make_identity_mentions import IDENTITIES, write

UNSEEN = {"Sikh", "Catholic", "Black British", "mixed-race", "Romanian", "Somali", "Welsh", "Roma", "lesbian",
          "non-binary", "deaf", "dyslexic", "foster"}

CLEAN = [
    "A big hello to the {a} families who started with us this week, see you at the gate 👋",
    "Thank you for including {a} families in the newsletter, it means a lot to us",
    "Really enjoyed chatting with other {a} parents at pick-up today",
    "The {a} cookery afternoon was brilliant, my kids want to make it again at the weekend",
    "Hello! We're a {a} family new to the area, which after-school clubs would you recommend?",
    "Brilliant talk from a {a} author in Year 5 today, signed copies sold out",
    "Shout out to the {a} dads who ran the barbecue at sports day 🍔",
    "My daughter made a poster about famous {a} people for homework and she's so proud",
    "Welcoming {a} pupils to Year 7 this September, we can't wait to meet you",
    "Nice to see the {a} flag on the wall of nations in the hall",
    "The {a} families' picnic on the field was a lovely way to end the term ☀️",
    "Any other {a} mums fancy helping with the book fair on Thursday?",
]

COMPLAINT = [
    "The {a} families who joined in September still haven't had a reply about school meals",
    "Please think about {a} children when you plan the trips, not everyone can join in as it stands",
    "I raised the lack of support for {a} pupils at parents' evening and nothing has changed since",
    "It would help {a} parents if letters came out more than two days before the deadline",
]


def main() -> None:
    write([identity for identity in IDENTITIES if identity not in UNSEEN], CLEAN, COMPLAINT)


if __name__ == "__main__":
    main()
