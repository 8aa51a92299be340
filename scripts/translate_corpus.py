#!/usr/bin/env python3
"""Makes the trilingual benchmark corpus from a monolingual one (scripts/bench.sh).

    translate_corpus.py --source C/ours --out C/langs [--seed 42] [--facts 0.5]

Copies the site at --source (the `ours` flavour of ../shared/bench/gen_corpus.py) to
--out and adds, beside every report `x.md`, a Russian `x.ru.md` and a Chinese `x.zh.md`
(docs/languages.md §2), `languages:` in site.yaml (§1), and `data/people.yaml` and
`data/cities.yaml` giving every person and city of the reports a name in both languages
(§4). It is not a translation: each Latin word becomes a made-up word in Cyrillic or Han
script of about the same length (the same word the same way everywhere, chosen from
--seed), so pages, search records and feeds carry text of realistic size in each
script. The Markdown stays as it is (emphasis, lists, quotes, tables, headings, link
targets), and every person and city is written by its name in that language, so bodies
are autolinked through `names:` as a real translation would be.

A share (--facts, default one half) of the translations also repeat the original's facts
with translated words, as docs/languages.md §3 allows: its cities and officials by their
names in the language, each official's role, each figure (same value, unit, year and
city) with its label, and the topics. They are checked against the original one by one,
the costly path. Everything else is the original's, so `communique check` finds no error
in the result, and no warning the original corpus does not have.

Python 3 stdlib only; the same source and --seed give byte-identical output. The source
is read as gen_corpus.py writes it: a front-matter line of any other form stops the script
with its file and line.
"""
import argparse
import json
import os
import re
import shutil
import sys
import unicodedata
from random import Random

LANGUAGES = {
    "ru": {"title": "Доклады о сотрудничестве", "description": "Визиты, встречи и цифры"},
    "zh": {"title": "合作报告", "description": "访问、会谈与数据"},
}

# Letters of made-up Russian words: consonant-vowel syllables read like Russian text.
RU_CONSONANTS = "бвгдзклмнпрстфхцчшщжй"
RU_VOWELS = "аеиоуыэюяё"
# Common Han characters for made-up Chinese words, and those used to write foreign names.
ZH_WORDS = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产"
            "种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从"
            "业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么"
            "利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常"
            "文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被"
            "干做必战先回则任取据处府研质信术科书合作交流贸易发展城市会谈访问")
ZH_NAME_SYLLABLES = ("阿巴贝比波布达德迪多杜尔法菲弗冈格吉戈古哈赫希霍胡贾杰基卡凯科库拉莱利洛卢马梅米莫穆纳内尼诺努"
                     "帕佩皮普奇萨塞西索苏塔特蒂托图瓦韦维沃乌亚耶伊约尤扎泽兹佐祖夫克斯什茨姆恩尚林")
# Latin letters and digraphs as Cyrillic, for names.
RU_DIGRAPHS = {"shch": "щ", "sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ts": "ц", "ya": "я",
               "yu": "ю", "yo": "ё", "ye": "е", "ph": "ф", "th": "т", "ck": "к", "ee": "и",
               "oo": "у", "ou": "у", "ay": "ай", "ey": "ей", "oy": "ой", "iy": "ий"}
RU_LETTERS = dict(zip("abcdefghijklmnopqrstuvwyz", "абкдефгхийклмнопкрстуввыз"), x="кс")
LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+")
LINK_TARGET = re.compile(r"(\]\([^)]*\))")
HAN = "\u4e00-\u9fff"


def fail(message):
    sys.exit(f"translate_corpus.py: {message}")


# ------------------------------------------------------------------------------------
# Reading gen_corpus.py's reports
# ------------------------------------------------------------------------------------


def scalar(text):
    """A YAML scalar as gen_corpus.py writes it: JSON-quoted or plain."""
    return json.loads(text) if text.startswith('"') else text


def parse_front_matter(path, lines):
    """The front matter of one report: a dict with lists for cities, officials, figures,
    and the raw text of each figure's value (written back as it was)."""
    meta = {"cities": [], "officials": [], "figures": []}
    section = None
    for number, line in enumerate(lines, start=2):
        top = re.fullmatch(r"(title|date|summary|topics|cities|officials|figures): ?(.*)", line)
        item = re.fullmatch(r"  - (?:(name|label): )?(.*)", line)
        field = re.fullmatch(r"    (role|country|value|unit|year|city): (.*)", line)
        if top:
            key, value = top.groups()
            if key in ("cities", "officials", "figures"):
                section = key
                if value not in ("", "[]"):
                    fail(f"{path}:{number}: a flow list is not expected here")
            elif key == "topics":
                meta[key] = json.loads(value)
            else:
                meta[key] = scalar(value)
        elif item and section == "cities" and item.group(1) is None:
            meta["cities"].append(scalar(item.group(2)))
        elif item and section == "officials" and item.group(1) == "name":
            meta["officials"].append({"name": scalar(item.group(2))})
        elif item and section == "figures" and item.group(1) == "label":
            meta["figures"].append({"label": scalar(item.group(2))})
        elif field and section in ("officials", "figures") and meta[section]:
            key, value = field.groups()
            meta[section][-1][key] = value if key in ("value", "year") else scalar(value)
        else:
            fail(f"{path}:{number}: a front-matter line gen_corpus.py does not write: {line!r}")
    return meta


def read_report(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("---\n"):
        fail(f"{path}:1: no front matter")
    end = text.find("\n---\n", 3)
    if end < 0:
        fail(f"{path}: the front matter does not end")
    meta = parse_front_matter(path, text[4:end].split("\n"))
    return meta, text[end + 5:]


# ------------------------------------------------------------------------------------
# Names: one per person and city and language, distinct
# ------------------------------------------------------------------------------------


def name_key(name):
    """Near enough to communique's name matching (NFKC, case folding, spaces)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def ascii_letters(word):
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii").lower()


def russian_name_word(word):
    letters, out, i = ascii_letters(word), [], 0
    while i < len(letters):
        for size in (4, 2):
            if letters[i:i + size] in RU_DIGRAPHS:
                out.append(RU_DIGRAPHS[letters[i:i + size]])
                i += size
                break
        else:
            out.append(RU_LETTERS.get(letters[i], letters[i]))
            i += 1
    return "".join(out).capitalize() or word


def chinese_name_word(word):
    # One character per syllable (consonants up to and including a vowel run).
    syllables = re.findall(r"[^aeiouy]*[aeiouy]+|[^aeiouy]+$", ascii_letters(word)) or [word]
    return "".join(ZH_NAME_SYLLABLES[sum(map(ord, s)) * 31 % len(ZH_NAME_SYLLABLES)] for s in syllables)


def transliterate(name, language):
    words = re.split(r"[\s-]+", name)
    if language == "ru":
        return " ".join(russian_name_word(w) for w in words)
    return "·".join(chinese_name_word(w) for w in words)


class Names:
    """Each name's translation per language (`of[language][name_key(name)]`), never the
    same for two names (a registry name or alias given to two entries is an error)."""

    def __init__(self):
        self.of = {language: {} for language in LANGUAGES}
        self.taken = {language: set() for language in LANGUAGES}

    def add(self, name):
        for language in LANGUAGES:
            if name_key(name) in self.of[language]:
                continue
            base = candidate = transliterate(name, language)
            extra = 0
            while name_key(candidate) in self.taken[language]:
                extra += 1
                candidate = base + ("-" + "и" * extra if language == "ru" else "伊" * extra)
            self.taken[language].add(name_key(candidate))
            self.of[language][name_key(name)] = candidate


# ------------------------------------------------------------------------------------
# Words
# ------------------------------------------------------------------------------------


class Words:
    """Made-up words of one language: each Latin word always becomes the same one."""

    def __init__(self, language, seed):
        self.language, self.seed, self.cache = language, seed, {}

    def word(self, latin):
        made = self.cache.get(latin)
        if made is None:
            made = self.cache[latin] = self.make(latin)
        return made

    def make(self, latin):
        rng = Random(f"{self.seed}:{self.language}:{latin.lower()}")
        if self.language == "zh":
            return "".join(rng.choice(ZH_WORDS) for _ in range(max(1, (len(latin) + 1) // 3)))
        letters = []
        while len(letters) < len(latin):
            letters += [rng.choice(RU_CONSONANTS), rng.choice(RU_VOWELS)]
        made = "".join(letters[:max(2, len(latin))])
        return made.capitalize() if latin[0].isupper() else made

    def text(self, text, names):
        """`text` with `names` (a compiled alternation and their translations) and every
        other Latin word translated; link targets are left alone."""
        pattern, translated = names
        parts = LINK_TARGET.split(text)
        for i in range(0, len(parts), 2):
            part = pattern.sub(lambda m: translated[m.group(0)], parts[i]) if pattern else parts[i]
            part = LATIN_WORD.sub(lambda m: self.word(m.group(0)), part)
            if self.language == "zh":
                part = re.sub(f"(?<=[{HAN}]) (?=[{HAN}·])|(?<=[{HAN}·]) (?=[{HAN}])", "", part)
                part = re.sub(f"(?<=[{HAN}])\\.(?: |$)", "。", part, flags=re.M)
                part = re.sub(f"(?<=[{HAN}]), ", "，", part)
            parts[i] = part
        return "".join(parts)


# ------------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------------


def q(text):
    return json.dumps(text, ensure_ascii=False)


def translated_facts(meta, words, names, name_of):
    """The front-matter lines that repeat the original's facts with translated words."""
    lines = ["cities: [" + ", ".join(q(name_of[name_key(c)]) for c in meta["cities"]) + "]", "officials:"]
    for official in meta["officials"]:
        lines.append(f"  - name: {q(name_of[name_key(official['name'])])}")
        if "role" in official:
            lines.append(f"    role: {q(words.text(official['role'], names))}")
    if meta["figures"]:
        lines.append("figures:")
        for figure in meta["figures"]:
            lines.append(f"  - label: {q(words.text(figure['label'], names))}")
            lines += [f"    {key}: {figure[key]}" for key in ("value", "year") if key in figure]
            lines += [f"    {key}: {q(figure[key])}" for key in ("unit",) if key in figure]
            if "city" in figure:
                lines.append(f"    city: {q(name_of[name_key(figure['city'])])}")
    lines.append("topics: [" + ", ".join(q(words.text(t, names)) for t in meta.get("topics", [])) + "]")
    return lines


def name_pattern(meta, name_of):
    """The alternation of the report's people and cities, longest first, and their names
    in the language."""
    found = [o["name"] for o in meta["officials"]] + meta["cities"]
    found = sorted(set(found), key=len, reverse=True)
    if not found:
        return None, {}
    pattern = r"(?<!\w)(?:" + "|".join(map(re.escape, found)) + r")(?!\w)"
    return re.compile(pattern), {n: name_of[name_key(n)] for n in found}


def translation(meta, body, words, name_of, with_facts):
    names = name_pattern(meta, name_of)
    lines = ["---", f"title: {q(words.text(meta['title'], names))}"]
    if "summary" in meta:
        lines.append(f"summary: {q(words.text(meta['summary'], names))}")
    if with_facts:
        lines += translated_facts(meta, words, names, name_of)
    lines.append("---")
    return "\n".join(lines) + "\n" + words.text(body, names)


def registry(entries, names):
    out = []
    for name in entries.values():
        out.append(f"- name: {q(name)}")
        out.append("  names: { " + ", ".join(f"{lang}: {q(names.of[lang][name_key(name)])}" for lang in LANGUAGES) + " }")
    return "\n".join(out) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", required=True, help="the monolingual site (gen_corpus.py's ours/)")
    ap.add_argument("--out", required=True, help="the trilingual site (replaced)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--facts", type=float, default=0.5, help="share of translations that repeat the facts")
    args = ap.parse_args()
    reports_dir = os.path.join(args.source, "content", "reports")
    if not os.path.isdir(reports_dir):
        fail(f"{reports_dir} is not a folder: --source is gen_corpus.py's ours/")
    if os.path.exists(os.path.join(args.source, "data")):
        fail(f"{args.source}/data exists: this script writes the registries itself")
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    shutil.copytree(args.source, args.out)

    files = sorted(f for f in os.listdir(reports_dir) if f.endswith(".md"))
    reports = [(f, *read_report(os.path.join(reports_dir, f))) for f in files]
    # One registry entry per name as communique tells names apart (two spellings of one
    # key in two entries would be an error); the names of the spelling first met.
    names, people, cities = Names(), {}, {}
    for _, meta, _ in reports:
        for official in meta["officials"]:
            people.setdefault(name_key(official["name"]), official["name"])
        for city in meta["cities"] + [f["city"] for f in meta["figures"] if "city" in f]:
            cities.setdefault(name_key(city), city)
    for name in list(people.values()) + list(cities.values()):
        names.add(name)

    rng = Random(args.seed)
    words = {language: Words(language, args.seed) for language in LANGUAGES}
    for file, meta, body in reports:
        with_facts = rng.random() < args.facts
        stem = os.path.join(args.out, "content", "reports", file[:-3])
        for language in LANGUAGES:
            write(f"{stem}.{language}.md", translation(meta, body, words[language], names.of[language], with_facts))

    write(os.path.join(args.out, "data", "people.yaml"), registry(people, names))
    write(os.path.join(args.out, "data", "cities.yaml"), registry(cities, names))
    with open(os.path.join(args.out, "site.yaml"), "a", encoding="utf-8") as f:
        f.write("languages:\n" + "".join(
            f"  {lang}: {{ title: {q(v['title'])}, description: {q(v['description'])} }}\n"
            for lang, v in LANGUAGES.items()))
    print(json.dumps({"reports": len(reports), "translations": len(reports) * len(LANGUAGES),
                      "people": len(people), "cities": len(cities)}))


if __name__ == "__main__":
    main()
