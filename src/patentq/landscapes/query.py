"""The landscape query language: a small boolean language over patent text and classifications.

Grammar (NOT binds tighter than AND, AND tighter than OR; adjacent operands are joined by an
implicit AND, so ``a NOT b`` means ``a AND (NOT b)``)::

    query     := or
    or        := and ( "OR" and )*
    and       := unary ( ["AND"] unary )*
    unary     := "NOT" unary | primary
    primary   := "(" query ")" | FIELD ":" primary | LANG ":" primary | classification | tag | "@" NAME | proximity
    proximity := words ( ("+" | "/") N ("w" | "c") words )*
    words     := WORD["*"] | CJK | '"' (WORD["*"] | CJK) ... '"' | WORD-WORD...   (a term or a phrase)
    classification := ["inventive:"] ["first:"] ["exact:"] ("cpc" | "ipc" | "cls") ":" CODE [ "*" | ".." CODE ]
    tag       := "tag:" SCHEME [ "=" VALUE ]     (a category a source assigned, e.g. tag:cset=has_ai_technique)

A CJK term (a run of Han, kana or Hangul characters, ``扩散模型``) is matched as a substring,
without word segmentation (Chinese and Japanese write no spaces); ``/Nc`` and ``+Nc`` link two
operands by at most N *characters* between them (``/Nw``, ``+Nw``: N words). ``zh:``, ``ja:``,
``en:`` ... (two letters) restrict a clause to the language versions of that language (the
``texts`` table keeps every language version; a document matches when one version does).

Operators (AND, OR, NOT) are case-insensitive; quote a word (``"not"``) to search for it.
Every node keeps the line and column where it starts, so errors and ``explain`` can point at
the clause. The tokenisation the words are matched against is documented in
``docs/landscapes.md`` ("Text matching").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import DefinitionError

TEXT_FIELDS = ("title", "abstract", "claims")
DEFAULT_FIELDS = ("title", "abstract")
SCHEMES = ("cpc", "ipc", "cls")  # cls: either scheme
QUALIFIERS = ("inventive", "first", "exact")


# --- the syntax tree ----------------------------------------------------------------------

#: Characters of CJK terms: Han (with extension A and compatibility ideographs), hiragana,
#: katakana (full and half width, with the prolonged sound mark), Hangul syllables and jamo.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\uff66-\uff9f"
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


@dataclass(frozen=True)
class Word:
    text: str  # lower case, [a-z0-9_]+; or a run of CJK characters (matched as a substring)
    truncated: bool = False  # right truncation: ``learn*``

    @property
    def cjk(self) -> bool:
        return bool(CJK_RUN.fullmatch(self.text))

    def __str__(self):
        return self.text + ("*" if self.truncated else "")


@dataclass(frozen=True)
class Text:
    """A term, phrase or proximity chain searched in ``fields``.

    ``operands`` are phrases (tuples of words; a term is a phrase of one word); ``gaps[i]`` links
    operand i and i+1 as ``(max_between, directional, unit)``, unit ``w`` (words) or ``c``
    (characters). ``langs``: the language versions searched (empty: every version).
    """

    operands: tuple
    gaps: tuple = ()
    fields: tuple = DEFAULT_FIELDS
    pos: tuple = field(default=(1, 1), compare=False)
    langs: tuple = ()

    @property
    def cjk(self) -> bool:
        """Whether any word of the clause is a CJK term (matched as a substring)."""
        return any(w.cjk for p in self.operands for w in p)

    def __str__(self):
        def phrase(p):
            return str(p[0]) if len(p) == 1 else '"' + " ".join(map(str, p)) + '"'

        out = phrase(self.operands[0])
        for gap, p in zip(self.gaps, self.operands[1:]):
            n, directional, unit = (tuple(gap) + ("w",))[:3]
            out += f" {'+' if directional else '/'}{n}{unit} {phrase(p)}"
        prefix = "" if self.fields == DEFAULT_FIELDS else "|".join(self.fields) + ":"
        return "".join(f"{lang}:" for lang in self.langs) + prefix + out


@dataclass(frozen=True)
class Code:
    """One classification symbol, normalised: ``G06N3/045``, ``G06N3`` (main group), ``G06N``, ``G06``."""

    text: str
    star: bool = False  # literal string prefix instead of the hierarchy

    @property
    def level(self) -> str:
        if self.star:
            return "prefix"
        if "/" in self.text:
            return "subgroup"
        return {1: "section", 3: "class", 4: "subclass"}.get(len(self.text), "group")


@dataclass(frozen=True)
class Classification:
    scheme: str
    low: Code
    high: Code | None = None  # an inclusive range low..high
    inventive: bool = False
    first: bool = False
    exact: bool = False  # the code itself only, not its descendants
    pos: tuple = field(default=(1, 1), compare=False)

    @property
    def exact_code(self) -> str:
        """The code as stored in ``classifications`` (main groups as ``G06N5/00``)."""
        return self.low.text + "/00" if self.low.level == "group" else self.low.text

    def __str__(self):
        quals = "".join(q + ":" for q in QUALIFIERS if getattr(self, q))
        code = self.low.text + ("*" if self.low.star else "")
        if self.high:
            code += ".." + self.high.text
        return f"{quals}{self.scheme}:{code}"


@dataclass(frozen=True)
class Tag:
    """``tag:SCHEME=VALUE``: the document carries a source's own category (the ``tags`` table, e.g.
    CSET's flags: ``tag:cset=has_ai_technique``, ``tag:cset_ai_technique=machine_learning``);
    ``tag:SCHEME`` alone: any tag of that scheme. Compared case-insensitively."""

    scheme: str
    value: str | None = None
    pos: tuple = field(default=(1, 1), compare=False)

    def __str__(self):
        return f"tag:{self.scheme}" + (f"={self.value}" if self.value else "")


@dataclass(frozen=True)
class And:
    items: tuple
    pos: tuple = field(default=(1, 1), compare=False)


@dataclass(frozen=True)
class Or:
    items: tuple
    pos: tuple = field(default=(1, 1), compare=False)


@dataclass(frozen=True)
class Not:
    item: object
    pos: tuple = field(default=(1, 1), compare=False)


@dataclass(frozen=True)
class Ref:
    """``@name``: a named concept of the definition, substituted when the definition loads."""

    name: str
    pos: tuple = field(default=(1, 1), compare=False)


# --- lexing -------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<near>[+/]\d+[wc](?![A-Za-z0-9_]))
  | (?P<ref>@[A-Za-z_][\w\-]*)
  | (?P<classq>(?:(?:inventive|first|exact):)*(?:cpc|ipc|cls):[^\s()]*)
  | (?P<tagq>tag:[^\s()]*)
  | (?P<fieldq>(?:title|abstract|claims):)
  | (?P<langq>[a-z]{2}:(?=[^\s]))
  | (?P<phrase>"[^"\n]*"?)
  | (?P<word>[A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*\*?)
  | (?P<cjk>[""" + CJK_CHARS + """]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass
class Token:
    kind: str
    text: str
    line: int
    col: int


def tokenize(text: str) -> list[Token]:
    tokens, i, line, line_start = [], 0, 1, 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if not m:
            raise DefinitionError(f"unexpected character {text[i]!r}", line, i - line_start + 1,
                                  hint="terms are letters and digits; quote phrases; see docs/landscapes.md")
        kind, value = m.lastgroup, m.group()
        if kind != "ws":
            if kind == "word" and value.upper() in ("AND", "OR", "NOT"):
                kind = value.upper()
            tokens.append(Token(kind, value, line, i - line_start + 1))
        for offset, ch in enumerate(value):
            if ch == "\n":
                line, line_start = line + 1, i + offset + 1
        i = m.end()
    tokens.append(Token("end", "", line, i - line_start + 1))
    return tokens


# --- parsing ------------------------------------------------------------------------------

_CODE = re.compile(r"^([A-HY])(?:(\d\d)([A-Z])?)?(?:(\d{1,4})(?:/(\d{1,6}))?)?$")


def parse_code(raw: str, line: int, col: int) -> Code:
    """A classification symbol as written in a query → normalised ``Code``.

    Subgroup digits are a decimal fraction, so trailing zeros carry no meaning: ``3/040`` is
    ``3/04``; a one-digit subgroup is padded (``3/4`` is ``3/40``), and ``/00`` is the main group.
    """
    star = raw.endswith("*")
    text = raw[:-1] if star else raw
    text = text.upper().replace(" ", "")
    if star:
        if not re.fullmatch(r"[A-HY][0-9A-Z/]*", text):
            raise DefinitionError(f"not a classification prefix: {raw!r}", line, col,
                                  hint="write e.g. cpc:G06F17/2* or cpc:A4*")
        return Code(text, star=True)
    m = _CODE.match(text)
    if not m or (m.group(4) and not m.group(3)):
        raise DefinitionError(f"not a classification code: {raw!r}", line, col,
                              hint="write a section, class, subclass, group or subgroup: G, G06, G06N, G06N3, G06N3/045")
    section, klass, subclass, group, subgroup = m.groups()
    out = section + (klass or "") + (subclass or "")
    if group:
        out += str(int(group))
        if subgroup and subgroup.rstrip("0"):
            digits = subgroup.rstrip("0")
            out += "/" + (digits if len(digits) >= 2 else digits.ljust(2, "0"))
    return Code(out)


class Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, message: str, tok: Token | None = None, hint: str | None = None):
        tok = tok or self.tok
        return DefinitionError(message, tok.line, tok.col, hint=hint)

    def take(self) -> Token:
        tok = self.tok
        self.i += 1
        return tok

    def parse(self):
        if self.tok.kind == "end":
            raise self.error("empty query", hint="write at least one term or classification")
        node = self.parse_or()
        if self.tok.kind != "end":
            if self.tok.kind == "rparen":
                raise self.error("unbalanced ')'", hint="remove it or add the matching '('")
            raise self.error(f"unexpected {self.tok.text!r}")
        return node

    def parse_or(self):
        start = self.tok
        items = [self.parse_and()]
        while self.tok.kind == "OR":
            self.take()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items), (start.line, start.col))

    def parse_and(self):
        start = self.tok
        items = [self.parse_unary()]
        while self.tok.kind not in ("OR", "rparen", "end"):
            if self.tok.kind == "AND":
                self.take()
            items.append(self.parse_unary())
        return items[0] if len(items) == 1 else And(tuple(items), (start.line, start.col))

    def parse_unary(self):
        if self.tok.kind == "NOT":
            tok = self.take()
            return Not(self.parse_unary(), (tok.line, tok.col))
        return self.parse_primary(None)

    def parse_primary(self, fields):
        tok = self.tok
        if tok.kind == "lparen":
            self.take()
            if self.tok.kind == "rparen":
                raise self.error("empty parentheses")
            node = self.parse_or()
            if self.tok.kind != "rparen":
                raise self.error("missing ')': this '(' is never closed", tok,
                                 hint=f"add ')' (the query continues to {self.tok.text or 'its end'!r} without one)")
            self.take()
            return with_fields(node, fields) if fields else node
        if tok.kind == "fieldq":
            self.take()
            if self.tok.kind in ("end", "rparen", "OR", "AND"):
                raise self.error(f"{tok.text} needs a term, phrase or '(' after it", tok)
            return self.parse_primary((tok.text[:-1].lower(),))
        if tok.kind == "langq":
            self.take()
            if self.tok.kind in ("end", "rparen", "OR", "AND"):
                raise self.error(f"{tok.text} needs a term, phrase or '(' after it", tok)
            return with_langs(self.parse_primary(fields), (tok.text[:-1].lower(),))
        if tok.kind == "classq":
            self.take()
            return self.classification(tok)
        if tok.kind == "tagq":
            self.take()
            return self.tag(tok)
        if tok.kind == "ref":
            self.take()
            return Ref(tok.text[1:], (tok.line, tok.col))
        if tok.kind in ("word", "phrase", "cjk"):
            return self.proximity(fields)
        if tok.kind == "near":
            raise self.error(f"proximity operator {tok.text!r} needs a term before it")
        if tok.kind == "end":
            raise self.error("the query ends where a term was expected")
        raise self.error(f"unexpected {tok.text!r}")

    def words(self, tok: Token) -> tuple:
        if tok.kind == "phrase":
            if len(tok.text) < 2 or not tok.text.endswith('"'):
                raise self.error("unterminated phrase: missing closing quote", tok)
            raw = tok.text[1:-1].split()
            if not raw:
                raise self.error("empty phrase", tok)
        elif tok.kind == "cjk":
            raw = [tok.text]
        else:
            raw = tok.text.split("-") if "*" not in tok.text[:-1] else [tok.text]
        # inside a phrase, a CJK run and ASCII letters written together are two words
        raw = [part for item in raw for part in _split_scripts(item)]
        out = []
        for item in raw:
            truncated = item.endswith("*")
            body = item[:-1] if truncated else item
            if CJK_RUN.fullmatch(body):
                if truncated:
                    raise self.error(f"{item!r}: a CJK term is matched as a substring already; drop the '*'", tok)
                out.append(Word(body))
                continue
            if not re.fullmatch(r"[A-Za-z0-9_]+", body):
                raise self.error(f"{item!r} is not a word (letters, digits, '_', optional trailing '*')", tok,
                                 hint="a phrase matches words separated by any punctuation, so leave it out")
            out.append(Word(body.lower(), truncated))
        return tuple(out)

    def proximity(self, fields):
        start = self.tok
        operands = [self.words(self.take())]
        gaps = []
        while self.tok.kind == "near":
            op = self.take()
            if self.tok.kind not in ("word", "phrase", "cjk"):
                raise self.error(f"proximity operator {op.text!r} needs a term or phrase after it", op,
                                 hint="proximity links terms and phrases, not parentheses, fields or codes")
            unit = op.text[-1].lower()
            gaps.append((int(op.text[1:-1]), op.text[0] == "+", unit))
            operands.append(self.words(self.take()))
            if unit == "w" and any(w.cjk for w in operands[-2] + operands[-1]):
                raise self.error(f"{op.text!r} counts words, and CJK text has no word boundaries", op,
                                 hint=f"count characters: {op.text[:-1]}c")
            if len(operands) > 2 and not all(g[1] for g in gaps):
                raise self.error("a chain of more than two operands may use only directional '+Nw' links", op,
                                 hint="split it: (a /1w b) AND (b +1w c)")
        return Text(tuple(operands), tuple(gaps), fields or DEFAULT_FIELDS, (start.line, start.col))

    def tag(self, tok: Token) -> Tag:
        body = tok.text[len("tag:"):]
        scheme, _, value = body.partition("=")
        if not re.fullmatch(r"[A-Za-z0-9_]+", scheme) or (value and not re.fullmatch(r"[A-Za-z0-9_\-.]+", value)):
            raise self.error(f"not a tag: {tok.text!r}", tok,
                             hint="write tag:SCHEME=VALUE (letters, digits, '_'), e.g. tag:cset=has_ai_technique")
        return Tag(scheme.lower(), value.lower() or None, (tok.line, tok.col))

    def classification(self, tok: Token) -> Classification:
        parts = tok.text.split(":")
        quals = {p.lower() for p in parts[:-2]}
        scheme, code = parts[-2].lower(), parts[-1]
        col = tok.col + len(tok.text) - len(code)
        if not code:
            raise self.error(f"{scheme}: needs a code, e.g. {scheme}:G06N3/045", tok)
        low, high = code, None
        if ".." in code:
            low, high = code.split("..", 1)
        low_code = parse_code(low, tok.line, col)
        high_code = None
        if high is not None:
            high_code = parse_code(high, tok.line, col + len(low) + 2)
            if low_code.star or high_code.star:
                raise DefinitionError("a range takes plain codes, not '*' prefixes", tok.line, col)
            check_range(low_code, high_code, tok.line, col)
        if "exact" in quals and (high_code or low_code.star):
            raise DefinitionError("exact: takes one plain code, not a range or '*' prefix", tok.line, tok.col)
        return Classification(scheme, low_code, high_code, "inventive" in quals, "first" in quals, "exact" in quals,
                              (tok.line, tok.col))


def check_range(low: Code, high: Code, line: int, col: int) -> None:
    """Ranges compare classes/subclasses as text, groups by number within one subclass."""
    grouped = low.level in ("group", "subgroup") or high.level in ("group", "subgroup")
    if grouped and low.text[:4] != high.text[:4]:
        raise DefinitionError(f"a group range must stay in one subclass: {low.text}..{high.text}", line, col)
    if grouped:
        if group_key(low.text) > group_key(high.text):
            raise DefinitionError(f"range {low.text}..{high.text} is empty: the start is after the end", line, col)
    elif low.text > high.text:
        raise DefinitionError(f"range {low.text}..{high.text} is empty: the start is after the end", line, col)


def group_key(code: str) -> str:
    """``G06N3/045`` → ``0003/045``: main group zero-padded so text order is numeric order."""
    m = re.match(r"^[A-Z]\d\d[A-Z](\d+)(?:/(\d+))?", code)
    return f"{int(m.group(1)):04d}/{m.group(2) or ''}" if m else "0000/"


def _split_scripts(item: str) -> list[str]:
    """``GAN网络`` → ``GAN``, ``网络``: CJK runs and ASCII words are separate words."""
    if not CJK_RUN.search(item) or CJK_RUN.fullmatch(item):
        return [item]
    return [m.group() for m in re.finditer(f"[{CJK_CHARS}]+|[^{CJK_CHARS}]+", item)]


def with_langs(node, langs):
    """Restrict every text clause inside ``node`` to the language versions ``langs``."""
    if isinstance(node, Text):
        return Text(node.operands, node.gaps, node.fields, node.pos, tuple(langs))
    if isinstance(node, (And, Or)):
        return type(node)(tuple(with_langs(i, langs) for i in node.items), node.pos)
    if isinstance(node, Not):
        return Not(with_langs(node.item, langs), node.pos)
    return node


def with_fields(node, fields):
    """Apply a field prefix to every text clause inside ``node``."""
    if isinstance(node, Text):
        return Text(node.operands, node.gaps, fields, node.pos, node.langs)
    if isinstance(node, (And, Or)):
        return type(node)(tuple(with_fields(i, fields) for i in node.items), node.pos)
    if isinstance(node, Not):
        return Not(with_fields(node.item, fields), node.pos)
    return node


def parse(text: str):
    """Parse a query; raises ``DefinitionError`` with line and column (1-based) on errors."""
    return Parser(text).parse()


def walk(node):
    """Every node of the tree, depth first."""
    yield node
    if isinstance(node, (And, Or)):
        for item in node.items:
            yield from walk(item)
    elif isinstance(node, Not):
        yield from walk(node.item)


def leaves(node) -> list:
    """The text, classification and tag clauses, in order of appearance."""
    return [n for n in walk(node) if isinstance(n, (Text, Classification, Tag))]


def to_text(node) -> str:
    """A canonical rendering (fully parenthesised), used by ``show`` and for hashing."""
    if isinstance(node, (Text, Classification, Tag)):
        return str(node)
    if isinstance(node, Ref):
        return "@" + node.name
    if isinstance(node, Not):
        return "NOT " + to_text(node.item)
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(to_text(i) for i in node.items) + ")"
