"""What every match of a regular expression must contain, read from its syntax tree.

`required(source)` gives words, substrings and "a digit": any match of the pattern contains
one of them (a word as a whole run of [a-z0-9_], after the text is lowercased as
`claimlint.prefilter.folded` does). `\\b(?:cures?|healed)\\b` needs the word "cure", "cures"
or "healed"; `\\d+\\s?%` needs a "%" or a digit; `^\\W*(?:also\\W+)?take\\b` needs "take".

The tree comes from the standard library's (private) `re._parser`. Each node is expanded into
"shapes" (literal runs, word boundaries, classes of characters) while that stays small, and
reduced to "atoms" (what any match must contain) when it does not. Everything is an
over-approximation, so a rule can only be too weak, never wrong; tests/test_prefilter.py
checks random patterns and texts. A pattern `re` cannot parse, or that `regex` reads
differently (fuzzy `{e<=1}`, nested sets, ASCII word boundaries), gives None.

Soundness also rests on facts about characters, checked over every code point by the tests:
case-insensitive matching of an ASCII letter accepts only that letter and the few characters
that folding maps to it, all of them word characters; the punctuation treated as non-word
below is non-word to both `re` and `regex`.
"""

from __future__ import annotations

import gc
import re
import unicodedata
import warnings
from functools import lru_cache

try:  # private, but stable since 3.11; without it nothing is required and every search runs
    from re import _constants as _sre
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover
    _sre = _sre_parse = None

DIGIT = "\\d"  # the atom "some digit", kept among the words while atoms are chosen
MAX_SHAPES = 512  # alternatives kept while expanding a pattern into literal shapes
MAX_REPEAT_EXPANSION = 4
_ASCII_WORD = re.compile(r"[a-z0-9_]+")
_ASCII_OR_LOCALE = int(re.ASCII | re.LOCALE)

# Shape items other than a run of literal characters (a str):
_LEFT = 0  # zero width: the character before is not a word character (or there is none)
_RIGHT = 1  # zero width: the character after is not a word character
_BOUNDARY = 2  # zero width: \b, either of the above depending on the side of a word
_NON_WORD = 3  # one or more non-word characters
_WORD = 4  # one or more word characters
_ANY = 5  # one or more unknown characters
_DIGIT_RUN = 6  # one or more \d characters (word characters too)
_CLASSES = (_NON_WORD, _WORD, _ANY, _DIGIT_RUN)
_MARKERS = (_LEFT, _RIGHT, _BOUNDARY)
NON_WORD_CATEGORIES = {"Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Zs"}
# Words nearly every sentence has: a poor choice when a pattern offers a better one.
_COMMON_WORDS = frozenset("""
    the and for with that this are was were you your not can has have from but all any its our
    they their them there these those what when which who will would could should may might
    more most less than then also about after before into over under down out off against
    between because been being some such very just only even other many much each every one
    two first next new good better well how why where while like make made does did had his
    her she him
""".split())


class _Unsupported(Exception):
    """The pattern uses syntax this module does not reason about."""


def required(source: str) -> tuple[set[str], set[str]] | None:
    """(words, substrings), one of which any match of `source` contains (the word DIGIT: any
    digit), or None when nothing useful is known."""
    parsed = _parsed(source)
    if parsed is None or parsed.state.flags & _ASCII_OR_LOCALE:
        return None
    # The analysis makes tens of thousands of small tuples, none of them in a reference cycle:
    # without this, the garbage collector runs hundreds of times over everything the process
    # holds (about a quarter of the time of a first run's analyses).
    collecting = gc.isenabled()
    gc.disable()
    try:
        shapes, atoms = _sequence(list(parsed))
        if shapes is not None:
            atoms = _atoms_of(shapes)
    except Exception:  # _Unsupported, RecursionError, a tree shape we do not know: just search
        return None
    finally:
        _forget_shapes()
        if collecting:
            gc.enable()
    return atoms


def required_around(source: str) -> tuple[set[str], set[str]] | None:
    """(words, substrings), one of which any match of `source` has in the text around it: what
    a positive look-behind or look-ahead at the top level of the pattern must find (the
    best-scoring one if there are several), or None. `required` reads these as matching
    nothing; this is a second condition, on top of it: "(?<=\\bso\\s)cures" needs "so" and
    "cures". A look-around's text is part of the text, so what it must contain the text must."""
    parsed = _parsed(source)
    if parsed is None or parsed.state.flags & _ASCII_OR_LOCALE:
        return None
    collecting = gc.isenabled()
    gc.disable()  # as in `required`
    try:
        candidates = []
        for op, av in parsed:
            if op is _sre.ASSERT:
                shapes, atoms = _sequence(list(av[1]))
                candidates.append(atoms if shapes is None else _atoms_of(shapes))
        return _best(candidates)
    except Exception:  # as in `required`: nothing known
        return None
    finally:
        _forget_shapes()
        if collecting:
            gc.enable()


def _forget_shapes() -> None:
    """Empty the caches of one pattern's analysis. Its shapes share pieces with each other,
    hardly ever with another pattern's (a 200-file run: 685 of 40,404 shapes asked for twice);
    kept, the caches held about 40 MB to the end of every run that worked out prefilters,
    and emptying them makes the analyses a little faster, not slower."""
    _shape_atoms.cache_clear()
    _piece_atoms.cache_clear()
    _desirability.cache_clear()


@lru_cache(maxsize=1024)
def _parsed(source: str):
    """The standard library's syntax tree of `source`, or None when it has none for it."""
    if _sre_parse is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. FutureWarning "possible nested set"
            parsed = _sre_parse.parse(source, re.IGNORECASE)
    except (re.error, Warning, RecursionError, ValueError, TypeError, OverflowError):
        return None
    return parsed if getattr(parsed, "state", None) is not None else None


def independent(sources: list[str]) -> bool:
    """Does each of `sources` match alone as it does inside "(?:a)|(?:b)|..."? Not when one
    refers to a group (numbers shift when they are joined) or sets a flag for the whole."""
    return all(alone(source) for source in sources)


def alone(source: str) -> bool:
    """Does `source` match alone as it does as one of the alternatives "(?:a)|(?:b)|..."?"""
    parsed = _parsed(source)
    if parsed is None or parsed.state.flags != re.IGNORECASE | re.UNICODE:
        return False
    try:
        return not _refers_to_groups(list(parsed))
    except Exception:  # RecursionError, a tree shape we do not know: search them together
        return False


def _refers_to_groups(items: list) -> bool:
    for op, av in items:
        if op in (_sre.GROUPREF, _sre.GROUPREF_EXISTS, getattr(_sre, "GROUPREF_IGNORE", None)):
            return True
        if op is _sre.BRANCH:
            children = av[1]
        elif op is _sre.SUBPATTERN:
            children = [av[3]]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            children = [av[2]]
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            children = [av[1]]
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            children = [av]
        else:
            children = []
        if any(_refers_to_groups(list(child)) for child in children):
            return True
    return False


# -- the syntax tree -> shapes or atoms --------------------------------------------------------
#
# A node's "shapes" over-approximate what it matches: a set of tuples whose items are runs of
# literal characters (lowercase ASCII str, adjacent runs merged) or the int symbols above. When
# a node is too big to expand it gives "atoms" instead: (words, substrings), one of which every
# match contains, or None when nothing is known. A node gives shapes or atoms, never both.

_Info = tuple  # (shapes: set[tuple] | None, atoms: tuple[set, set] | None)
_OPAQUE: _Info = (None, None)
_EMPTY: _Info = ({()}, None)


def _concat(left: tuple, right: tuple) -> tuple:
    if left and right and isinstance(left[-1], str) and isinstance(right[0], str):
        return left[:-1] + (left[-1] + right[0],) + right[1:]
    return left + right


def _product(lefts: set[tuple], rights: set[tuple]) -> set[tuple]:
    """{_concat(a, b) for a in lefts for b in rights}, without a call per pair."""
    result: set[tuple] = set()
    add = result.add
    open_lefts = [a for a in lefts if a and isinstance(a[-1], str)]
    closed_lefts = [a for a in lefts if not (a and isinstance(a[-1], str))]
    for b in rights:
        if b and isinstance(b[0], str):
            head, rest = b[0], b[1:]
            for a in open_lefts:
                add(a[:-1] + (a[-1] + head,) + rest)
        else:
            for a in open_lefts:
                add(a + b)
        for a in closed_lefts:
            add(a + b)
    return result


def _sequence(items: list) -> _Info:
    items = _distribute_zero_width(items)
    run: set[tuple] = {()}
    candidates: list = []
    exact = True
    for op, av in _literal_runs(items):
        shapes, atoms = ({(av,)}, None) if op is _RUN else _node(op, av)
        if shapes is not None and len(run) * len(shapes) > MAX_SHAPES:
            # Too many combinations: keep what the run says as one candidate, and go on with
            # only the end of each shape, which is all the next words need to see boundaries.
            exact = False
            candidates.append(_atoms_of(run))
            run = {_tail(shape) for shape in run}
        if shapes is not None and len(run) * len(shapes) <= MAX_SHAPES:
            run = _product(run, shapes)
            continue
        exact = False
        candidates.append(_atoms_of(run))
        if shapes is not None:
            run = set(shapes)
        else:
            candidates.append(atoms)
            run = {()}
    if exact:
        return run, None
    candidates.append(_atoms_of(run))
    return None, _best(candidates)


_RUN = object()  # a pseudo-node of _literal_runs: a run of literal characters, as one str


def _literal_runs(items: list) -> list:
    """`items` with each run of literal characters (those _char keeps as a str) as one
    (_RUN, text) node. _sequence then joins "heart attack" to its shapes once, not once per
    character; it finds the same shapes, as a node of one shape never makes too many."""
    result: list = []
    pending: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            char = _char(av)
            if isinstance(char, str):
                pending.append(char)
                continue
        if pending:
            result.append((_RUN, "".join(pending)))
            pending = []
        result.append((op, av))
    if pending:
        result.append((_RUN, "".join(pending)))
    return result


def _tail(shape: tuple) -> tuple:
    """The end of a shape: its last character or class, and any zero-width markers after it."""
    for index in range(len(shape) - 1, -1, -1):
        item = shape[index]
        if item not in _MARKERS:
            return ((item[-1],) if isinstance(item, str) else (item,)) + shape[index + 1 :]
    return shape


def _distribute_zero_width(items: list) -> list:
    """`\\b(?:one|\\d+)` as `(?:\\bone|\\b\\d+)`: the parser factors a shared `\\b` out of the
    alternatives, and an alternative that is analysed on its own needs it to see its words."""
    result = list(items)
    for index, (op, av) in enumerate(result):
        if op is not _sre.BRANCH:
            continue
        before = index
        while before > 0 and _zero_width(*result[before - 1]):
            before -= 1
        after = index + 1
        while after < len(result) and _zero_width(*result[after]):
            after += 1
        if before == index and after == index + 1:
            continue
        prefix, suffix = result[before:index], result[index + 1 : after]
        branch = (_sre.BRANCH, (None, [prefix + list(alt) + suffix for alt in av[1]]))
        return result[:before] + [branch] + _distribute_zero_width(result[after:])
    return result


def _zero_width(op, av) -> bool:
    return op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT)


def _node(op, av) -> _Info:
    if op is _sre.LITERAL:
        return {(_char(av),)}, None
    if op in (_sre.NOT_LITERAL, _sre.ANY):
        return {(_ANY,)}, None
    if op is _sre.IN:
        return _char_set(av), None
    if op is _sre.BRANCH:
        return _branch(av[1])
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = av
        if add_flags & _ASCII_OR_LOCALE:
            raise _Unsupported("ASCII or LOCALE word boundaries")
        return _sequence(list(pattern))
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        low, high, pattern = av
        return _repeat(low, high, _sequence(list(pattern)))
    if op is _sre.AT:
        if av is _sre.AT_BOUNDARY:
            return {(_BOUNDARY,)}, None
        if av in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING):
            return {(_LEFT,)}, None
        if av in (_sre.AT_END, _sre.AT_END_STRING):
            return {(_RIGHT,)}, None
        return _EMPTY
    if op is _sre.ASSERT_NOT:
        direction, pattern = av
        if _excludes_word_characters(list(pattern)):
            return {(_LEFT if direction < 0 else _RIGHT,)}, None
        return _EMPTY
    if op is _sre.ASSERT:
        return _EMPTY
    return _OPAQUE  # back references, conditionals: could match anything


def _char(code: int):
    char = chr(code)
    if char == "{" or char == "}":
        raise _Unsupported("'{' may be a regex fuzzy constraint")
    if char.isascii():
        return char.lower()
    if unicodedata.category(char) in NON_WORD_CATEGORIES:
        return char  # punctuation and spaces have no case: “ matches only “ (see the tests)
    return _ANY


def _char_set(items) -> set[tuple]:
    """Shapes of one character from a class such as [.,], [sz], \\s, \\d or [^.]."""
    chars: set = set()
    for op, av in items:
        if op is _sre.NEGATE:
            return {(_ANY,)}
        if op is _sre.LITERAL:
            chars.add(_char(av))
        elif op is _sre.RANGE and av[1] - av[0] < 10 and av[1] < 128:
            chars.update(_char(code) for code in range(av[0], av[1] + 1))
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_DIGIT:
            chars.add(_DIGIT_RUN)
        elif op is _sre.CATEGORY and av is _sre.CATEGORY_WORD:
            chars.add(_WORD)
        elif op is _sre.CATEGORY and av in (_sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_WORD):
            chars.add(_NON_WORD)
        else:
            return {(_ANY,)}
    if chars and len(chars) <= 10 and all(isinstance(c, str) for c in chars):
        return {(c,) for c in chars}
    if chars == {_DIGIT_RUN}:
        return {(_DIGIT_RUN,)}
    if chars and all(c in (_WORD, _DIGIT_RUN) or (isinstance(c, str) and _is_word(c)) for c in chars):
        return {(_WORD,)}
    if chars and all(c == _NON_WORD or (isinstance(c, str) and not _is_word(c)) for c in chars):
        return {(_NON_WORD,)}
    return {(_ANY,)}


def _excludes_word_characters(items: list) -> bool:
    """Is this lookaround body a single character class that contains \\w?"""
    if len(items) != 1:
        return False
    op, av = items[0]
    if op is _sre.IN:
        return any(o is _sre.CATEGORY and a is _sre.CATEGORY_WORD for o, a in av) and not any(
            o is _sre.NEGATE for o, _ in av)
    return False


def _branch(alternatives) -> _Info:
    infos = [_sequence(list(alternative)) for alternative in alternatives]
    if all(shapes is not None for shapes, _ in infos):
        union = set().union(*(shapes for shapes, _ in infos))
        if len(union) <= MAX_SHAPES:
            return union, None
    atoms = [atoms if shapes is None else _atoms_of(shapes) for shapes, atoms in infos]
    if any(a is None for a in atoms):
        return None, None
    return None, (set().union(*(w for w, _ in atoms)), set().union(*(s for _, s in atoms)))


def _repeat(low: int, high: int, body: _Info) -> _Info:
    shapes, atoms = body
    if high == 0:
        return _EMPTY
    if shapes is not None and all(len(s) == 1 and s[0] in _CLASSES for s in shapes):
        return (shapes | {()} if low == 0 else shapes), None  # these symbols already mean "one or more"
    if shapes is not None and high <= MAX_REPEAT_EXPANSION:
        result: set[tuple] = {()} if low == 0 else set()
        layer: set[tuple] = {()}
        for count in range(1, high + 1):
            layer = _product(layer, shapes)
            if len(layer) + len(result) > MAX_SHAPES:
                break
            if count >= low:
                result |= layer
        else:
            return result, None
    if low == 0:
        return _OPAQUE
    return None, (atoms if shapes is None else _atoms_of(shapes))


# -- shapes -> atoms ---------------------------------------------------------------------------


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _atoms_of(shapes: set[tuple]):
    """Atoms such that every shape contains one, or None if some shape has none. Each shape
    offers its most selective atom; then atoms that other chosen atoms make redundant go
    ("otherwise" in "^(?:otherwise )?(?:take|try)", where "take" and "try" are needed anyway)."""
    options = [_shape_atoms(shape) for shape in shapes]  # (atoms, the most desirable one)
    if any(best is None for _, best in options):
        return None
    chosen = {best for _, best in options}
    holders: dict[tuple, list[int]] = {atom: [] for atom in chosen}  # chosen atom -> its shapes
    covering: list[int] = []  # shape -> how many chosen atoms it contains
    for index, (atoms, _) in enumerate(options):
        mine = atoms & chosen
        covering.append(len(mine))
        for atom in mine:
            holders[atom].append(index)
    for atom in sorted(chosen, key=_desirability):
        if all(covering[shape] > 1 for shape in holders[atom]):
            chosen.discard(atom)
            for shape in holders[atom]:
                covering[shape] -= 1
    words = {text for kind, text in chosen if kind == "word"}
    substrings = {text for kind, text in chosen if kind == "substring"}
    return words, substrings


@lru_cache(maxsize=65536)
def _desirability(atom: tuple[str, str]) -> tuple:
    """Selective first (not so short or common that most sentences have it), then cheap to
    test (a word is a set lookup, a substring a scan), then long."""
    kind, text = atom
    return (_selective(atom), kind == "word", len(text), text)


def _selective(atom: tuple[str, str]) -> bool:
    if atom == ("word", DIGIT):
        return True
    text = atom[1].strip()
    return len(text) >= 3 and text not in _COMMON_WORDS


# The characters of a literal run in a shape are lowercase ASCII and non-word punctuation
# (see _char): of them, these are the word characters.
_WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


@lru_cache(maxsize=65536)
def _shape_atoms(shape: tuple) -> tuple[frozenset[tuple[str, str]], tuple[str, str] | None]:
    """Every ("word", w) bounded in the shape and ("substring", s) for its literal runs, and
    the most desirable of them (None if there are none).

    A class of characters ends a literal run, and what the run's words need from beyond it is
    only whether it is _NON_WORD (see _bounded). So the shape is cut into the pieces between
    classes, and each piece's atoms, given whether its neighbours are _NON_WORD, are worked
    out once: the shapes of one pattern share most of their pieces."""
    atoms: frozenset = frozenset()
    digit = False
    start = 0
    left = False  # is what comes before the piece _NON_WORD?
    for index, item in enumerate(shape):
        if item.__class__ is int and item in _CLASSES:
            if index > start:
                atoms = atoms | _piece_atoms(shape[start:index], left, item == _NON_WORD)
            if item == _DIGIT_RUN:
                digit = True
            start = index + 1
            left = item == _NON_WORD
    if start < len(shape):
        atoms = atoms | _piece_atoms(shape[start:], left, False)
    if digit:
        atoms = atoms | {("word", DIGIT)}
    return atoms, (max(atoms, key=_desirability) if atoms else None)


@lru_cache(maxsize=65536)
def _piece_atoms(piece: tuple, left: bool, right: bool) -> frozenset[tuple[str, str]]:
    """The atoms of a piece of a shape: literal runs and zero-width markers, with _NON_WORD
    before it (`left`) or after it (`right`), or something else that may be a word character
    (another class, or the end of the shape)."""
    atoms: set[tuple[str, str]] = set()
    edges = (_NON_WORD,) if left else (), (_NON_WORD,) if right else ()
    shape = edges[0] + piece + edges[1]  # _bounded sees a _NON_WORD neighbour as before
    offset = len(edges[0])
    literal: list[str] = []
    for index, item in enumerate(piece):
        if isinstance(item, str):
            literal.append(item)
            words = _ASCII_WORD.findall(item)
            if words:
                # a word inside the run has a non-word character on each side; one at an end
                # of the run depends on what is beside the run
                last = len(words) - 1
                for position, word in enumerate(words):
                    if position == 0 and item[0] in _WORD_CHARACTERS and not _bounded(shape, index + offset, -1):
                        continue
                    if position == last and item[-1] in _WORD_CHARACTERS and not _bounded(shape, index + offset, 1):
                        continue
                    atoms.add(("word", word))
    if literal:
        atoms.add(("substring", "".join(literal)))
    return frozenset(atoms)


def _bounded(shape: tuple, index: int, step: int) -> bool:
    """Is the character beside the literal run shape[index] (before it for step -1, after it
    for +1) known not to be a word character?"""
    own = _LEFT if step < 0 else _RIGHT
    index += step
    while 0 <= index < len(shape):
        item = shape[index]
        if isinstance(item, str):
            return not _is_word(item[-1] if step < 0 else item[0])
        if item == own or item == _BOUNDARY or item == _NON_WORD:
            return True
        if item not in _MARKERS:
            return False
        index += step
    return False


def _best(candidates: list):
    """The most selective of several atom sets that are each necessary."""
    scored = [(c, _score(c)) for c in candidates if c is not None and (c[0] or c[1])]
    if not scored:
        return None
    return max(scored, key=lambda pair: pair[1])[0]


def _score(atoms) -> tuple:
    words, substrings = atoms
    chosen = [("word", w) for w in words] + [("substring", s) for s in substrings]
    shortest = min(len(text) for _, text in chosen)
    return (all(_selective(atom) for atom in chosen), shortest, -len(substrings), -len(words))
