#!/usr/bin/env python3
"""Writes seeds/corpus/first-name-mentions.tsv: the boundary the policies draw around pupils' names, in templates.
A pupil's first name with a class, form or year group is allowed (policy 002 4.5(f): first names or initials
only), so those lines are clean and must never be hidden; the same sentence with a surname identifies the pupil
and is pupil_identification. Each of the given names below appears in every template, half of them in
seeds/lexicons/first-names.txt when the set was written and half not, so the measurement shows what the
pupil-name detector knows and what the classifier has to carry alone. Evaluation only: training never reads it.

Usage: python3 seeds/corpus/tools/make_first_name_mentions.py > seeds/corpus/first-name-mentions.tsv
"""

# (given name, surname, form): given names from the communities of UK schools, surnames to match.
PUPILS = [
    ("Amelia", "Whitworth", "4B"), ("Oliver", "Nowak", "6W"), ("Zainab", "Hussain", "3F"), ("Tomasz", "Wiśniewski", "5H"),
    ("Chidi", "Okonkwo", "2P"), ("Niamh", "Gallagher", "9R"), ("Ayaan", "Chaudhry", "10M"), ("Mei", "Zhang", "11G"),
    ("Ella", "Braithwaite", "1C"), ("Yusuf", "Abdi", "8K"), ("Seren", "Pritchard", "7T"), ("Ibrahim", "Demir", "10H"),
    ("Kaden", "Whitfield", "6S"), ("Liberty", "Hargreaves", "4D"), ("Safia", "Warsame", "5W"), ("Berat", "Yilmaz", "3L"),
    ("Oyinda", "Bakare", "12B"), ("Sumayya", "Rahimi", "7K"), ("Jiayi", "Zhou", "2M"), ("Aurelia", "Dąbrowska", "4R"),
    ("Rokas", "Petrauskas", "9P"), ("Leighton", "Shackleton", "5J"), ("Yusra", "Rostami", "8G"), ("Gabija", "Kazlauskaite", "6A"),
]

# {n} is the year group's number, read from the form.
CLEAN = [
    "Well done to {first} in {form} for the science fair prize!",
    "{first} from Year {n} was a brilliant narrator in the assembly today",
    "Congratulations {first}, Year {n} star of the week ⭐",
    "Thank you to {first} and the rest of {form} for the lovely harvest display",
    "{first} ({form}) asked if the chess club is on again this week",
    "So proud of {first} in {form}, first place in the spelling bee 🐝",
]

PUPIL = [
    "Well done to {first} {last} in {form} for the science fair prize!",
    "{first} {last} from Year {n} was a brilliant narrator in the assembly today",
    "Congratulations {first} {last}, Year {n} star of the week ⭐",
    "So proud of {first} {last} in {form}, first place in the spelling bee 🐝",
]


def main() -> None:
    print("labels\ttext")
    for first, last, form in PUPILS:
        n = form.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for label, templates in (("clean", CLEAN), ("pupil_identification", PUPIL)):
            for template in templates:
                print(label + "\t" + template.format(first=first, last=last, form=form, n=n))


if __name__ == "__main__":
    main()
