"""Which text encoding wrote an upload's bytes: the codecs a learner may choose, their names in plain words, and the
guess at bytes that are neither UTF-8 nor UTF-16 (``guesses``)."""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

import charset_normalizer

__all__ = [
    "ENCODING_NAMES",
    "CHOICES",
    "CODE_PAGES",
    "ALPHABETS",
    "KANA_SHARE",
    "encoding_name",
    "codec_of",
    "strict",
    "utf16_order",
    "guesses",
]

ENCODING_NAMES = {  # a codec (as Table.encoding names it) in plain words; any other is named by its codec
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (with a byte order mark)",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 (little-endian, without a byte order mark)",
    "utf-16-be": "UTF-16 (big-endian, without a byte order mark)",
    "cp1252": "Windows-1252 (Western)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)",
    "cp1256": "Windows-1256 (Arabic)",
    "cp1257": "Windows-1257 (Baltic)",
    "cp874": "Windows-874 (Thai)",
    "koi8-r": "KOI8-R (Russian)",
    "koi8-u": "KOI8-U (Ukrainian)",
    "cp932": "Shift-JIS (Japanese)",  # Windows' Shift-JIS, what Excel writes: Shift-JIS and a few more characters
    "euc_jp": "EUC-JP (Japanese)",
    "gb18030": "GB18030 (Chinese)",  # reads GB2312 and GBK too
    "big5": "Big5 (Traditional Chinese)",
    "cp949": "EUC-KR (Korean)",  # Windows' EUC-KR, what Excel writes: EUC-KR and every other Hangul syllable
    "latin-1": "ISO-8859-1 (Latin-1)",
}
# The encodings a learner may choose for an upload, the commonest first.
CHOICES = ("utf-8", "utf-16", "cp1252", "cp1250", "cp1251", "cp932", "gb18030", "cp949", "latin-1")
# Excel's code pages for European text, the likeliest first: of their readings of some bytes, the least odd is taken
# (`_oddness`), the first of those that tie. charset-normalizer alone read Polish as Windows-1252, Portuguese, Italian
# and French as Windows-1250 or -1258, Turkish as -1257, and had no guess for Russian column names over numbers.
CODE_PAGES = ("cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257")
# Each language's letters beyond A-Z, small (and Turkish's capital dotted I, which has no one-letter small form): a
# Latin-script reading is likelier when one language has all its letters.
ALPHABETS = {
    "French": "àâæçéèêëîïôœùûüÿ",
    "German": "äöüß",
    "Spanish": "áéíñóúü",
    "Portuguese": "àáâãçéêíóôõú",
    "Italian": "àèéìíîòóùú",
    "Catalan": "àçèéíïòóúü",
    "Dutch": "áéëíïóöúü",
    "Danish and Norwegian": "åæéøó",
    "Swedish and Finnish": "åäöéšž",
    "Icelandic": "áæéíðóöúýþ",
    "Estonian": "äõöüšž",
    "Albanian": "çë",
    "Polish": "ąćęłńóśźż",
    "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű",
    "Slovenian, Croatian and Bosnian": "čćđšž",
    "Romanian": "ăâîşţșț",
    "Turkish": "âçğıîöşüûİ",
    "Lithuanian": "ąčęėįšųūž",
    "Latvian": "āčēģīķļņšūž",
}
# Of a Japanese text's letters beyond ASCII, kana are a large share (a third or more of prose; none in a list of place
# names). GB18030 read a Shift-JIS file with kana as Chinese, with less chaos than Shift-JIS (charset-normalizer 3.4.7,
# jawah/charset_normalizer#605); Shift-JIS kana are bytes 0x82 and 0x83 and a second byte, which Chinese and Korean
# text never has, so their kana, read as Shift-JIS, stay under this share.
KANA_SHARE = 0.1
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def encoding_name(encoding: str) -> str:
    """A codec in plain words: "Windows-1251 (Cyrillic)"; one ENCODING_NAMES does not know, by its codec's name."""
    try:
        return ENCODING_NAMES[codec_of(encoding)]
    except (KeyError, LookupError):
        return encoding.upper().replace("_", "-")


def codec_of(encoding: str) -> str:
    """A codec's name as ENCODING_NAMES and Table.encoding spell it ("latin-1", "cp932"); LookupError if none."""
    found = codecs.lookup(encoding).name
    return next((known for known in ENCODING_NAMES if codecs.lookup(known).name == found), found)


def strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return None


def utf16_order(sample: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text without a byte order mark, else None.

    UTF-16 writes each ASCII character (digits, separators, line ends: much of a CSV) as a NUL byte and its own, the NUL
    second in little-endian order: NULs fall on one side of the byte pairs, rarely the other (where a character such
    as U+4E00 puts one). Binary data has NULs on both sides.
    """
    pairs = len(sample) // 2
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    many, few = max(even, odd), min(even, odd)
    if many < 0.05 * pairs or few > 0.1 * many:
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


def guesses(sample: bytes) -> list[str]:
    """Codecs that may have written `sample` (not UTF-8 or UTF-16), the likeliest first.

    Japanese when its reading holds kana (KANA_SHARE); charset-normalizer's guesses when its best one reads as
    another script than Latin (Cyrillic, Greek, Chinese, Korean...); else Excel's code pages for European text and
    Latin-1, the least odd reading first (`_oddness`), Windows-1252 when they tie.
    """
    japanese = strict(sample, "cp932")
    if japanese is not None:
        letters = [c for c in japanese if ord(c) > 127 and c.isalpha()]
        if letters and sum("\u3040" <= c <= "\u30ff" for c in letters) >= KANA_SHARE * len(letters):
            return ["cp932", *CODE_PAGES]
    matches = charset_normalizer.from_bytes(sample)
    if matches.best() is not None and _other_script(str(matches.best())):
        # Of its guesses in that script, the code pages Excel writes first: it put Mac Greek before Windows-1253.
        found = [codec_of(match.encoding) for match in matches if _other_script(str(match))]
        return [*sorted(found, key=lambda codec: codec not in ENCODING_NAMES), *CODE_PAGES]
    readings = {  # Latin-1 reads any bytes
        codec: text for codec in (*CODE_PAGES, "latin-1") if (text := strict(sample, codec)) is not None
    }
    return sorted(readings, key=lambda codec: _oddness(readings[codec]))


def _other_script(text: str) -> bool:
    """Whether most letters beyond ASCII are not Latin: Cyrillic, Greek, Chinese..."""
    letters = [c for c in NON_ASCII.findall(text) if c.isalpha()]
    return sum(_script(c) != "LATIN" for c in letters) > 0.5 * len(letters)


def _oddness(text: str) -> int:
    """How far a reading is from text in one language: the symbols stuck to a letter ("Wroc³aw"), the capitals after a
    small letter ("£ódŸ"), the letters next to one of another script ("cafй"), and the Latin letters beyond ASCII that
    the language with most of them lacks; each counted once."""
    letters: set[str] = set()
    odd: set[str] = set()
    for match in NON_ASCII.finditer(text):
        char, start = match.group(), match.start()
        before = text[start - 1] if start else " "
        after = text[start + 1 : start + 2] or " "
        if not char.isalpha():
            if before.isalpha() or after.isalpha():
                odd.add(char)
            continue
        script = _script(char)
        mixed = any(side.isalpha() and _script(side) != script for side in (before, after))
        if mixed or (char.isupper() and before.islower()):
            odd.add(char)
        if script == "LATIN":
            small = char.lower()
            letters.add(small if len(small) == 1 else char)
    uncovered = min(len(letters.difference(alphabet)) for alphabet in ALPHABETS.values()) if letters else 0
    return len(odd) + uncovered


@functools.cache
def _script(letter: str) -> str:
    """The first word of a letter's Unicode name: "LATIN", "CYRILLIC", "GREEK"..."""
    return unicodedata.name(letter, "?").split(" ", 1)[0]
