#!/usr/bin/env python3
"""Writes ../evasions.tsv: each harmful phrase in eight disguises.

The disguised part of each phrase is marked with [brackets]; only that part is
transformed, the rest of the comment stays as written. Lines come in groups of
eight per phrase, always in this order: leet, spaced, dotted, masked, repeated,
homoglyph, fullwidth, zero-width. Run: python3 seeds/corpus/tools/make_evasions.py
"""
import os
import re

PHRASES = [
    ("safeguarding", "i just want to [kill myself] tonight"),
    ("safeguarding", "[message me] sweetie, how old are you?"),
    ("safeguarding", "what's your [snapchat] babe? you look so grown up"),
    ("safeguarding", "it's [our little secret] ok, don't tell anyone"),
    ("safeguarding", "i'm going to [stab] him at the gates after school"),
    ("safeguarding", "someone is bringing a [knife] to school tomorrow"),
    ("safeguarding", "i've been [cutting] myself again and no one knows"),
    ("safeguarding", "honestly [nobody would miss me]"),
    ("safeguarding", "i'll be [waiting outside the gates] for that kid"),
    ("safeguarding", "[send nudes] and i'll top up your phone"),
    ("safeguarding", "[don't tell your mum] about our chats x"),
    ("safeguarding", "i'm going to [shoot] everyone in that school"),
    ("safeguarding", "going to [overdose] tonight, goodbye"),
    ("hate", "[paki] kids out of our school"),
    ("hate", "get that [faggot] out of the staff room"),
    ("hate", "the new teacher is a [tranny], keep him away from our kids"),
    ("hate", "why is the [retard] from year 4 in the school play"),
    ("hate", "[nigger] kids in year 9 think they own the place"),
    ("hate", "[queers] shouldn't be teaching primary children"),
    ("hate", "the [spastic] kid ruined sports day"),
    ("hate", "[gypo] families should be banned from the summer fair"),
    ("hate", "they've let a [muzzie] run the RE department"),
    ("hate", "of course the PE teacher is a [dyke]"),
    ("hate", "the [kikes] run the academy trust"),
    ("hate", "the [chink] in year 2 ruins the class photo"),
    ("abuse", "everyone knows Kayla is a [slag]"),
    ("abuse", "Mr Dawson is a [useless drunk]"),
    ("abuse", "the head is a [liar] and a [thief]"),
    ("abuse", "that [slut] in year 10 will go with anyone"),
    ("abuse", "Mrs Oakes you [fat cow], nobody likes you"),
    ("abuse", "Mr Hall is a [pervert] and parents should know"),
    ("abuse", "Tyler is a [loser] and always will be"),
    ("abuse", "Jordan's parents are [scumbags]"),
    ("offensive", "what a [fucking] joke this school is"),
    ("offensive", "the parking at pick up is [shit] again"),
    ("abuse,offensive", "the receptionist is a miserable [cunt]"),
    ("offensive", "[wankers] parking on the zig zags"),
    ("offensive", "[bollocks] to the new homework policy"),
    ("offensive", "what a load of [bullshit] from the office"),
    ("abuse,offensive", "some [dickhead] blocked my drive at drop off"),
    ("offensive", "year 10 can [suck my cock]"),
    ("spam", "[free ipads] for parents, click bit.ly/3xPad26"),
    ("spam", "[claim your prize] now at tinyurl.com/schoolwin"),
    ("spam", "[bitcoin] doubler, send 0.1 and get 0.2 back"),
    ("spam", "[click here] to update your bank details for dinner money"),
    ("spam", "[win a ps5] just share this post"),
    ("spam", "[earn £300 a day] from home while the kids are at school"),
    ("spam", "your page will be deleted, [verify your account] at meta-check.example.com"),
]

VOWELS = "aeiou"
LEET_A = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$"}
LEET_B = {"a": "@", "e": "3", "i": "!", "o": "0", "s": "5", "t": "7"}
CYRILLIC = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441",
            "x": "\u0445", "y": "\u0443", "i": "\u0456", "s": "\u0455"}
GREEK = {"a": "\u03b1", "o": "\u03bf", "i": "\u03b9", "k": "\u03ba", "p": "\u03c1",
         "v": "\u03bd", "u": "\u03c5", "e": "\u0435", "c": "\u0441"}
ZWSP = "\u200b"


def leet(key, n):
    table = LEET_A if n % 2 == 0 else LEET_B
    return "".join(table.get(ch.lower(), ch) for ch in key)


def spaced(key):
    return "  ".join(" ".join(word) for word in key.split(" "))


def dotted(key):
    return " ".join(".".join(word) for word in key.split(" "))


def masked(key):
    out = []
    for word in key.split(" "):
        chars = list(word)
        for i in range(1, len(chars)):
            if chars[i].lower() in VOWELS:
                chars[i] = "*"
                break
        out.append("".join(chars))
    return " ".join(out)


def repeated(key):
    out = []
    for word in key.split(" "):
        m = re.search(r"[aeiou]", word[1:])
        if m:
            i = m.start() + 1
            word = word[:i] + word[i] * 5 + word[i + 1:]
        else:
            letters = [i for i, ch in enumerate(word) if ch.isalpha()]
            if letters:
                i = letters[-1]
                word = word[:i] + word[i] * 5 + word[i + 1:]
        out.append(word)
    return " ".join(out)


def homoglyph(key, n):
    table = CYRILLIC if n % 2 == 0 else GREEK
    return "".join(table.get(ch, ch) for ch in key)


def fullwidth(key):
    return "".join("\u3000" if ch == " " else chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch
                   for ch in key)


def zero_width(key):
    return " ".join(ZWSP.join(word) for word in key.split(" "))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "evasions.tsv")
    seen = set()
    lines = ["labels\ttext"]
    for n, (labels, phrase) in enumerate(PHRASES):
        transforms = [lambda k: leet(k, n), spaced, dotted, masked, repeated,
                      lambda k: homoglyph(k, n), fullwidth, zero_width]
        for transform in transforms:
            text = re.sub(r"\[([^\]]+)\]", lambda m: transform(m.group(1)), phrase)
            plain = phrase.replace("[", "").replace("]", "")
            assert text != plain, (phrase, transform)
            assert "\t" not in text and "\n" not in text
            assert text not in seen, text
            seen.add(text)
            lines.append(f"{labels}\t{text}")
    with open(target, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print(f"{len(PHRASES)} phrases, {len(lines) - 1} lines -> {os.path.normpath(target)}")


if __name__ == "__main__":
    main()
