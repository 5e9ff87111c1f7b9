#!/usr/bin/env python3
"""Generates src/tokenizer/unicode_tables_data.cc: every Unicode and ftfy
table the CLIP / SigLIP text pipelines need, taken from the pinned reference
environment (tools/fixtures/requirements.txt) so that C++ classifies each code
point exactly as the Python references do:

  * Python's unicodedata (str.lower, str.isspace, NFC) - version pinned below;
  * the `regex` module's classes as CLIP's pre-tokenizer pattern uses them
    (`[\\p{L}]`, `[\\p{N}]`, `\\s` under IGNORECASE) - the regex module ships its
    own Unicode database, so these are probed from regex itself, not derived
    from unicodedata;
  * ftfy 6.3.1 data: single-byte codecs (incl. its "sloppy" ones), the
    mojibake "badness" pattern and the byte patterns of restore_byte_a0 /
    replace_lossy_sequences (compiled from ftfy's own regexes through Python's
    sre parser into a small table the C++ matcher runs), UTF-8 clue sets,
    width map, ligatures, HTML entity tables;
  * Python's html.entities.html5 (the full HTML5 entity table).

Run:  python3 tools/unicode/gen_unicode_tables.py  (rewrites the .cc file)
It refuses to run under a different Unicode / regex / ftfy version than pinned.
"""
import html
import html.entities
import os
import re
import sys
import unicodedata

import ftfy
import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-* codecs
import ftfy.badness
import ftfy.chardata
import regex

PINNED_UNICODE = "14.0.0"
PINNED_FTFY = "6.3.1"
PINNED_REGEX = "2026.5.9"

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src",
                   "tokenizer", "unicode_tables_data.cc")

MAX_CP = 0x110000


def is_surrogate(cp):
    return 0xD800 <= cp <= 0xDFFF


def ranges_of(pred):
    out = []
    start = None
    for cp in range(MAX_CP + 1):
        inside = cp < MAX_CP and not is_surrogate(cp) and pred(cp)
        if inside and start is None:
            start = cp
        elif not inside and start is not None:
            out.append((start, cp - 1))
            start = None
    return out


def ranges_of_set(cps):
    out = []
    for cp in sorted(cps):
        if out and out[-1][1] == cp - 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


class Writer:
    def __init__(self):
        self.parts = []

    def emit(self, s):
        self.parts.append(s)

    def range_table(self, name, ranges, comment):
        self.emit(f"// {comment} ({len(ranges)} ranges)\n")
        self.emit(f"extern const CodeRange {name}[] = {{\n")
        line = ""
        for a, b in ranges:
            item = f"{{0x{a:X},0x{b:X}}},"
            if len(line) + len(item) > 100:
                self.emit(line + "\n")
                line = ""
            line += item
        self.emit(line + "\n};\n")
        self.emit(f"extern const size_t {name}Size = {len(ranges)};\n\n")

    def u32_array(self, name, values, ctype="uint32_t"):
        self.emit(f"extern const {ctype} {name}[] = {{\n")
        line = ""
        for v in values:
            item = f"0x{v:X},"
            if len(line) + len(item) > 100:
                self.emit(line + "\n")
                line = ""
            line += item
        self.emit(line + "\n};\n")
        self.emit(f"extern const size_t {name}Size = {len(values)};\n\n")


def cstr(s):
    """A C++ string literal holding the UTF-8 bytes of s."""
    out = '"'
    for b in s.encode("utf-8"):
        if 0x20 <= b < 0x7F and chr(b) not in '"\\?':
            out += chr(b)
        else:
            out += f'\\{b:03o}'
    return out + '"'


def compile_pattern(pattern_re, name, w, is_bytes):
    """Emits a compiled Python re pattern (a top-level alternation of fixed
    sequences of char sets, optional items, '.', '^') as tables."""
    parsed = re._parser.parse(pattern_re.pattern, pattern_re.flags)
    data = parsed.data
    if len(data) == 1 and str(data[0][0]) == "BRANCH":
        alternatives = [list(s.data) for s in data[0][1][1]]
    else:
        alternatives = [list(data)]
    sets = []
    items = []  # (kind, set_index, optional)
    alts = []

    def add_set(in_items):
        negate = False
        cats = 0
        rng = []
        for op, av in in_items:
            op = str(op)
            if op == "NEGATE":
                negate = True
            elif op == "LITERAL":
                rng.append((av, av))
            elif op == "RANGE":
                rng.append(av)
            elif op == "CATEGORY":
                c = str(av)
                if c == "CATEGORY_SPACE":
                    cats |= 1
                elif c == "CATEGORY_WORD":
                    cats |= 2
                else:
                    raise SystemExit(f"{name}: unsupported category {c}")
            else:
                raise SystemExit(f"{name}: unsupported set item {op}")
        if is_bytes and cats:
            raise SystemExit(f"{name}: categories in a bytes pattern")
        merged = ranges_of_set({cp for a, b in rng for cp in range(a, b + 1)})
        sets.append((negate, cats, merged))
        return len(sets) - 1

    def add_item(op, av, optional):
        op = str(op)
        if op == "LITERAL":
            items.append((0, add_set([("LITERAL", av)]), optional))
        elif op == "IN":
            items.append((0, add_set(av), optional))
        elif op == "ANY":
            items.append((1, 0, optional))
        elif op == "AT" and str(av) == "AT_BEGINNING":
            items.append((2, 0, optional))
        else:
            raise SystemExit(f"{name}: unsupported op {op} {av}")

    for alt in alternatives:
        first = len(items)
        for op, av in alt:
            if str(op) == "MAX_REPEAT":
                lo, hi, sub = av
                if (lo, hi) != (0, 1) or len(sub.data) != 1:
                    raise SystemExit(f"{name}: unsupported repeat {lo},{hi}")
                add_item(sub.data[0][0], sub.data[0][1], True)
            else:
                add_item(op, av, False)
        alts.append((first, len(items) - first))

    pool = []
    w.emit(f"// {name}: compiled from the reference regex ({len(alts)} alternatives)\n")
    set_rows = []
    for negate, cats, rng in sets:
        set_rows.append(f"{{{int(negate)},{cats},{len(pool)},{len(rng)}}}")
        pool.extend(rng)
    w.emit(f"static const CodeRange {name}Ranges[] = {{\n")
    w.emit(",".join(f"{{0x{a:X},0x{b:X}}}" for a, b in pool) + "};\n")
    w.emit(f"static const PatternSet {name}Sets[] = {{\n" + ",".join(set_rows) + "};\n")
    w.emit(f"static const PatternItem {name}Items[] = {{\n" +
           ",".join(f"{{{k},{s},{int(o)}}}" for k, s, o in items) + "};\n")
    w.emit(f"static const PatternAlternative {name}Alternatives[] = {{\n" +
           ",".join(f"{{{a},{n}}}" for a, n in alts) + "};\n")
    w.emit(f"extern const CompiledPattern {name} = {{{name}Ranges, {name}Sets, {name}Items, "
           f"{name}Alternatives, {len(alts)}}};\n\n")


def main():
    if unicodedata.unidata_version != PINNED_UNICODE:
        sys.exit(f"unicodedata {unicodedata.unidata_version} != pinned {PINNED_UNICODE}")
    if ftfy.__version__ != PINNED_FTFY:
        sys.exit(f"ftfy {ftfy.__version__} != pinned {PINNED_FTFY}")
    if regex.__version__ != PINNED_REGEX:
        sys.exit(f"regex {regex.__version__} != pinned {PINNED_REGEX}")

    w = Writer()
    w.emit("// GENERATED by tools/unicode/gen_unicode_tables.py - do not edit.\n")
    w.emit(f"// Python unicodedata {unicodedata.unidata_version} (Python {sys.version.split()[0]}),"
           f" regex {regex.__version__}, ftfy {ftfy.__version__}.\n")
    w.emit('#include "tokenizer/unicode_tables.h"\n\nnamespace cliprt::unicode {\n\n')
    w.emit(f'extern const char kUnicodeVersion[] = "{unicodedata.unidata_version}";\n')
    w.emit(f'extern const char kRegexModuleVersion[] = "{regex.__version__}";\n')
    w.emit(f'extern const char kFtfyVersion[] = "{ftfy.__version__}";\n\n')

    # --- classes of CLIP's pre-tokenizer pattern, probed from the regex module
    # with the flags CLIP compiles it with (IGNORECASE can widen property
    # classes to code points whose case variants have the property).
    ic = regex.IGNORECASE
    letter = regex.compile(r"[\p{L}]", ic)
    number = regex.compile(r"[\p{N}]", ic)
    space = regex.compile(r"\s", ic)
    chars = [chr(cp) if not is_surrogate(cp) else "" for cp in range(MAX_CP)]
    w.range_table("kRegexLetter", ranges_of(lambda cp: letter.fullmatch(chars[cp]) is not None),
                  "regex module [\\p{L}] under IGNORECASE")
    w.range_table("kRegexNumber", ranges_of(lambda cp: number.fullmatch(chars[cp]) is not None),
                  "regex module [\\p{N}] under IGNORECASE")
    # Probed directly: under IGNORECASE the negated class is not the exact
    # complement (U+0345 is in none of the classes).
    other = regex.compile(r"[^\s\p{L}\p{N}]", ic)
    w.range_table("kRegexOther", ranges_of(lambda cp: other.fullmatch(chars[cp]) is not None),
                  "regex module [^\\s\\p{L}\\p{N}] under IGNORECASE")
    w.range_table("kRegexSpace", ranges_of(lambda cp: space.fullmatch(chars[cp]) is not None),
                  "regex module \\s")
    # Characters the regex module matches case-insensitively against an ASCII
    # letter (e.g. U+017F LONG S ~ 's', U+212A KELVIN SIGN ~ 'k').
    folds = []
    any_ascii_letter = regex.compile("[a-z]", ic)
    for cp in range(0x80, MAX_CP):
        if is_surrogate(cp) or not any_ascii_letter.fullmatch(chars[cp]):
            continue
        for letter_ch in "abcdefghijklmnopqrstuvwxyz":
            if regex.fullmatch(letter_ch, chars[cp], ic):
                folds.append((cp, ord(letter_ch)))
    w.emit("// Non-ASCII code points that regex IGNORECASE matches against an ASCII letter.\n")
    w.emit("extern const CodeMapping kRegexAsciiFold[] = {" +
           ",".join(f"{{0x{a:X},0x{b:X}}}" for a, b in folds) + "};\n")
    w.emit(f"extern const size_t kRegexAsciiFoldSize = {len(folds)};\n\n")

    # --- Python str predicates
    w.range_table("kPySpace", ranges_of(lambda cp: chars[cp].isspace()), "Python str.isspace()")
    w.range_table("kPyWord", ranges_of(lambda cp: chars[cp].isalnum() or chars[cp] == "_"),
                  "Python re \\w for str (isalnum or '_')")
    w.range_table("kPyDecimal", ranges_of(lambda cp: chars[cp].isdecimal()),
                  "Python re \\d for str (str.isdecimal)")
    # transformers BasicTokenizer (HF CLIPTokenizer without ftfy):
    # _is_control = category C* (Cc Cf Cs Co Cn), _is_whitespace = Zs.
    w.range_table("kCategoryOther", ranges_of(lambda cp: unicodedata.category(chars[cp]).startswith("C")),
                  "unicodedata.category C* (Cc, Cf, Cs, Co, Cn)")
    w.range_table("kCategoryZs", ranges_of(lambda cp: unicodedata.category(chars[cp]) == "Zs"),
                  "unicodedata.category Zs")
    cased = lambda cp: chars[cp].islower() or chars[cp].isupper() or chars[cp].istitle()
    w.range_table("kCased", ranges_of(cased), "Unicode Cased (Python's final-sigma rule)")
    # Case_Ignorable, probed through Python's own final-sigma rule:
    # 'a' + x + 'Σ' lowers to a final sigma iff x is case-ignorable (or cased).
    # A cased x is ignorable iff x + 'Σ' has no cased letter before the sigma
    # once x is skipped (so it lowers to a plain sigma).
    def ignorable(cp):
        if cased(cp):
            return (chars[cp] + "\u03a3").lower()[-1] == "\u03c3"
        return ("a" + chars[cp] + "\u03a3").lower()[-1] == "\u03c2"
    w.range_table("kCaseIgnorable", ranges_of(ignorable), "Unicode Case_Ignorable (as Python uses it)")

    # --- str.lower(): 1:1 mappings and the few 1:n ones
    simple, special = [], []
    for cp in range(MAX_CP):
        if is_surrogate(cp) or cp == 0x3A3:
            continue
        low = chars[cp].lower()
        if low != chars[cp]:
            if len(low) == 1:
                simple.append((cp, ord(low)))
            else:
                special.append((cp, low))
    simple.append((0x3A3, 0x3C3))  # context-free part; final sigma handled in code
    simple.sort()
    w.emit("// Python str.lower(), one code point to one (U+03A3 final-sigma context in code).\n")
    w.emit("extern const CodeMapping kLowerSimple[] = {\n" +
           ",".join(f"{{0x{a:X},0x{b:X}}}" for a, b in simple) + "};\n")
    w.emit(f"extern const size_t kLowerSimpleSize = {len(simple)};\n")
    w.emit("// Python str.lower() mappings to several code points.\n")
    w.emit("extern const CodeString kLowerSpecial[] = {" +
           ",".join(f"{{0x{a:X},{cstr(s)}}}" for a, s in special) + "};\n")
    w.emit(f"extern const size_t kLowerSpecialSize = {len(special)};\n\n")

    # --- NFC data: canonical combining classes, full canonical decompositions
    # (Hangul excluded: algorithmic), primary composites.
    ccc_ranges = []
    for cp in range(MAX_CP):
        if is_surrogate(cp):
            continue
        c = unicodedata.combining(chars[cp])
        if c:
            if ccc_ranges and ccc_ranges[-1][1] == cp - 1 and ccc_ranges[-1][2] == c:
                ccc_ranges[-1][1] = cp
            else:
                ccc_ranges.append([cp, cp, c])
    w.emit("// Canonical_Combining_Class != 0, as {first, last, class}.\n")
    w.emit("extern const CombiningClassRange kCombiningClass[] = {\n" +
           ",".join(f"{{0x{a:X},0x{b:X},{c}}}" for a, b, c in ccc_ranges) + "};\n")
    w.emit(f"extern const size_t kCombiningClassSize = {len(ccc_ranges)};\n\n")
    decomp_rows, decomp_pool, compose = [], [], []
    for cp in range(MAX_CP):
        if is_surrogate(cp) or 0xAC00 <= cp <= 0xD7A3:
            continue
        d = unicodedata.decomposition(chars[cp])
        if not d or d.startswith("<"):
            continue
        full = unicodedata.normalize("NFD", chars[cp])
        decomp_rows.append((cp, len(decomp_pool), len(full)))
        decomp_pool.extend(ord(x) for x in full)
        raw = [int(x, 16) for x in d.split()]
        if len(raw) == 2 and unicodedata.normalize("NFC", chr(raw[0]) + chr(raw[1])) == chars[cp]:
            compose.append((raw[0], raw[1], cp))
    w.emit("// Full canonical decomposition (NFD of one code point), Hangul excluded.\n")
    w.emit("extern const DecompositionEntry kCanonicalDecomposition[] = {\n" +
           ",".join(f"{{0x{a:X},{o},{n}}}" for a, o, n in decomp_rows) + "};\n")
    w.emit(f"extern const size_t kCanonicalDecompositionSize = {len(decomp_rows)};\n")
    w.u32_array("kDecompositionPool", decomp_pool)
    compose.sort()
    w.emit("// Primary composites: {first, second, composed}, sorted.\n")
    w.emit("extern const CompositionEntry kComposition[] = {\n" +
           ",".join(f"{{0x{a:X},0x{b:X},0x{c:X}}}" for a, b, c in compose) + "};\n")
    w.emit(f"extern const size_t kCompositionSize = {len(compose)};\n\n")

    # --- ftfy translation tables
    width = sorted(ftfy.chardata.WIDTH_MAP.items())
    w.emit("// ftfy fix_character_width (WIDTH_MAP).\n")
    w.emit("extern const CodeString kFtfyWidthMap[] = {\n" +
           ",".join(f"{{0x{a:X},{cstr(s)}}}" for a, s in width) + "};\n")
    w.emit(f"extern const size_t kFtfyWidthMapSize = {len(width)};\n")
    lig = sorted(ftfy.chardata.LIGATURES.items())
    w.emit("// ftfy fix_latin_ligatures (LIGATURES).\n")
    w.emit("extern const CodeString kFtfyLigatures[] = {" +
           ",".join(f"{{0x{a:X},{cstr(s)}}}" for a, s in lig) + "};\n")
    w.emit(f"extern const size_t kFtfyLigaturesSize = {len(lig)};\n\n")

    # --- single-byte codecs ftfy tries (CHARMAP_ENCODINGS), byte -> code point
    encs = ftfy.chardata.CHARMAP_ENCODINGS
    w.emit("// ftfy CHARMAP_ENCODINGS in ftfy's order; 256 code points each.\n")
    w.emit("extern const char* const kCharmapNames[] = {" + ",".join(f'"{e}"' for e in encs) + "};\n")
    w.emit(f"extern const size_t kCharmapCount = {len(encs)};\n")
    table = []
    for e in encs:
        dec = bytes(range(256)).decode(e)
        assert len(dec) == 256, e
        for b in range(256):
            assert dec[b].encode(e) == bytes([b]), (e, b)
        table.extend(ord(ch) for ch in dec)
    w.u32_array("kCharmapTable", table)

    # --- ftfy patterns
    compile_pattern(ftfy.badness.BADNESS_RE, "kBadnessPattern", w, False)
    compile_pattern(ftfy.chardata.ALTERED_UTF8_RE, "kAlteredUtf8Pattern", w, True)
    compile_pattern(ftfy.chardata.LOSSY_UTF8_RE, "kLossyUtf8Pattern", w, True)
    clues = ftfy.chardata.UTF8_CLUES
    for key, name in [("utf8_first_of_2", "kUtf8FirstOf2"), ("utf8_first_of_3", "kUtf8FirstOf3"),
                      ("utf8_first_of_4", "kUtf8FirstOf4"), ("utf8_continuation", "kUtf8Continuation"),
                      ("utf8_continuation_strict", "kUtf8ContinuationStrict")]:
        # The clue strings contain ranges written as "a-b" inside a class.
        probe = re.compile("[" + clues[key] + "]")
        cps = {cp for cp in range(0x10000) if not is_surrogate(cp) and probe.fullmatch(chr(cp))}
        w.range_table(name, ranges_of_set(cps), f"ftfy UTF8_CLUES['{key}']")

    # --- HTML5 entities (Python html.entities.html5), sorted by name bytes
    ents = sorted(html.entities.html5.items(), key=lambda kv: kv[0].encode())
    w.emit("// Python html.entities.html5: name (with or without ';') -> text.\n")
    w.emit("extern const EntityEntry kHtml5Entities[] = {\n")
    for name, val in ents:
        w.emit(f"{{{cstr(name)},{cstr(val)}}},\n")
    w.emit("};\n")
    w.emit(f"extern const size_t kHtml5EntitiesSize = {len(ents)};\n")
    # ftfy's HTML_ENTITIES: "&name;" entries plus its upper-case additions.
    upper = [(k[1:], v) for k, v in ftfy.chardata.HTML_ENTITIES.items()
             if k[1:] not in html.entities.html5]
    upper.sort(key=lambda kv: kv[0].encode())
    w.emit("// ftfy HTML_ENTITIES additions: upper-case spellings of lower-case names.\n")
    w.emit("extern const EntityEntry kFtfyUpperEntities[] = {\n")
    for name, val in upper:
        w.emit(f"{{{cstr(name)},{cstr(val)}}},\n")
    w.emit("};\n")
    w.emit(f"extern const size_t kFtfyUpperEntitiesSize = {len(upper)};\n\n")

    # Python html.unescape numeric-reference rules.
    inv = sorted(html._invalid_charrefs.items())
    w.emit("// Python html._invalid_charrefs: numeric references remapped (cp1252 etc.).\n")
    w.emit("extern const CodeString kHtmlInvalidCharrefs[] = {" +
           ",".join(f"{{0x{a:X},{cstr(v)}}}" for a, v in inv) + "};\n")
    w.emit(f"extern const size_t kHtmlInvalidCharrefsSize = {len(inv)};\n")
    w.range_table("kHtmlInvalidCodepoints", ranges_of_set(html._invalid_codepoints),
                  "Python html._invalid_codepoints: numeric references dropped")

    w.emit("}  // namespace cliprt::unicode\n")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("".join(w.parts))
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
