"""A recursive-descent checker of STIX 2.1 patterns written from the grammar
in stix2-json-schemas/pattern_grammar/STIXPattern.g4 (the OASIS grammar, an
ANTLR file): a lexer with the grammar's tokens (longest match, the earlier
rule on a tie, as ANTLR does) and one function per parser rule, the
left-recursive rules written as loops. parse(text) returns the list of
object paths compared, or raises PatternError."""
import re


class PatternError(Exception):
    pass


KEYWORDS = ["AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET",
            "EXISTS", "LAST", "IN", "START", "STOP", "SECONDS", "true", "false", "WITHIN",
            "REPEATS", "TIMES"]

B64 = "[A-Za-z0-9+/]"
# token rules in the grammar's order: (name, regex)
RULES = [
    ("IntNeg", r"-(?:0|[1-9][0-9]*)"),
    ("IntPos", r"\+?(?:0|[1-9][0-9]*)"),
    ("FloatNeg", r"-[0-9]*\.[0-9]+"),
    ("FloatPos", r"\+?[0-9]*\.[0-9]+"),
    ("Hex", r"h'(?:[A-Fa-f0-9]{2})*'"),
    ("Binary", r"b'(?:%s{4})*(?:%s{4}|%s{3}=|%s{2}==)'" % (B64, B64, B64, B64)),
    ("String", r"'(?:[^'\\]|\\'|\\\\)*'"),
    ("Bool", r"true|false"),
    ("Timestamp", r"t'[0-9]{4}-(?:0[1-9]|1[012])-(?:0[1-9]|[12][0-9]|3[01])T"
                  r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?Z'"),
] + [(k, re.escape(k)) for k in KEYWORDS] + [
    ("IdentNoHyphen", r"[a-zA-Z_][a-zA-Z0-9_]*"),
    ("IdentHyphen", r"[a-zA-Z_][a-zA-Z0-9_-]*"),
    ("EQ", r"==|="),
    ("NEQ", r"!=|<>"),
    ("LT", r"<"),
    ("LE", r"<="),
    ("GT", r">"),
    ("GE", r">="),
    ("QUOTE", r"'"),
    ("COLON", r":"),
    ("DOT", r"\."),
    ("COMMA", r","),
    ("RPAREN", r"\)"),
    ("LPAREN", r"\("),
    ("RBRACK", r"\]"),
    ("LBRACK", r"\["),
    ("PLUS", r"\+"),
    ("MINUS", r"-"),
    ("POWER", r"\^"),
    ("DIVIDE", r"/"),
    ("ASTERISK", r"\*"),
]
COMPILED = [(n, re.compile(r)) for n, r in RULES]
WS = re.compile("[ \t\r\n\u000b\u000c\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
COMMENT = re.compile(r"/\*.*?\*/|//[^\r\n]*", re.S)


def lex(text):
    toks, i = [], 0
    while i < len(text):
        m = WS.match(text, i) or COMMENT.match(text, i)
        if m:
            i = m.end()
            continue
        best = None
        for name, rx in COMPILED:
            m = rx.match(text, i)
            if m and (best is None or m.end() > best[1].end()):
                best = (name, m)
        if best is None:
            raise PatternError(f"invalid character {text[i]!r} at {i}")
        toks.append((best[0], best[1].group()))
        i = best[1].end()
    toks.append(("EOF", ""))
    return toks


class Parser:
    def __init__(self, text):
        self.t = lex(text)
        self.i = 0
        self.paths = []

    def peek(self, *names):
        return self.t[self.i][0] in names

    def take(self, *names):
        if not self.peek(*names):
            raise PatternError(f"expected {'/'.join(names)}, got {self.t[self.i]}")
        self.i += 1
        return self.t[self.i - 1]

    # pattern : observationExpressions EOF
    def pattern(self):
        self.observation_expressions()
        self.take("EOF")
        return self.paths

    def observation_expressions(self):
        self.observation_or()
        while self.peek("FOLLOWEDBY"):
            self.take("FOLLOWEDBY")
            self.observation_or()

    def observation_or(self):
        self.observation_and()
        while self.peek("OR"):
            self.take("OR")
            self.observation_and()

    def observation_and(self):
        self.observation_expression()
        while self.peek("AND"):
            self.take("AND")
            self.observation_expression()

    def observation_expression(self):
        if self.peek("LBRACK"):
            self.take("LBRACK")
            self.comparison_expression()
            self.take("RBRACK")
        else:
            self.take("LPAREN")
            self.observation_expressions()
            self.take("RPAREN")
        while self.peek("START", "WITHIN", "REPEATS"):
            if self.peek("START"):
                self.take("START"); self.take("Timestamp"); self.take("STOP"); self.take("Timestamp")
            elif self.peek("WITHIN"):
                self.take("WITHIN"); self.take("IntPos", "FloatPos"); self.take("SECONDS")
            else:
                self.take("REPEATS"); self.take("IntPos"); self.take("TIMES")

    def comparison_expression(self):
        self.comparison_and()
        while self.peek("OR"):
            self.take("OR")
            self.comparison_and()

    def comparison_and(self):
        self.prop_test()
        while self.peek("AND"):
            self.take("AND")
            self.prop_test()

    ORDERABLE = ("IntPos", "IntNeg", "FloatPos", "FloatNeg", "String", "Binary", "Hex", "Timestamp")

    def prop_test(self):
        if self.peek("LPAREN"):
            self.take("LPAREN"); self.comparison_expression(); self.take("RPAREN")
            return
        if self.peek("NOT") and self.t[self.i + 1][0] == "EXISTS" or self.peek("EXISTS"):
            if self.peek("NOT"):
                self.take("NOT")
            self.take("EXISTS")
            self.object_path()
            return
        self.object_path()
        if self.peek("NOT"):
            self.take("NOT")
        if self.peek("EQ", "NEQ"):
            self.take("EQ", "NEQ"); self.take(*self.ORDERABLE, "Bool")
        elif self.peek("GT", "LT", "GE", "LE"):
            self.take("GT", "LT", "GE", "LE"); self.take(*self.ORDERABLE)
        elif self.peek("IN"):
            self.take("IN"); self.set_literal()
        else:
            self.take("LIKE", "MATCHES", "ISSUBSET", "ISSUPERSET")
            self.take("String")

    def set_literal(self):
        self.take("LPAREN")
        if self.peek("RPAREN"):
            self.take("RPAREN")
            return
        self.take(*self.ORDERABLE, "Bool")
        while self.peek("COMMA"):
            self.take("COMMA"); self.take(*self.ORDERABLE, "Bool")
        self.take("RPAREN")

    def object_path(self):
        otype = self.take("IdentNoHyphen", "IdentHyphen")[1]
        self.take("COLON")
        parts = [self.take("IdentNoHyphen", "String")[1]]
        while self.peek("DOT", "LBRACK"):
            if self.peek("DOT"):
                self.take("DOT")
                parts.append(self.take("IdentNoHyphen", "String")[1])
            else:
                self.take("LBRACK"); self.take("IntPos", "IntNeg", "ASTERISK"); self.take("RBRACK")
        self.paths.append((otype, parts))


def parse(text):
    return Parser(text).pattern()


def unquote(literal):
    """The value of a StringLiteral token."""
    return re.sub(r"\\(['\\])", r"\1", literal[1:-1])


if __name__ == "__main__":
    for ok in ["[file:hashes.'SHA-256' = 'ab']", "[ipv4-addr:value = '1.2.3.4'] AND [x:y != 3]",
               "([a:b = 'it\\'s'] FOLLOWEDBY [c:d[*].e IN ('x', 2)]) WITHIN 5 SECONDS",
               "[file:name NOT LIKE 'x%' OR (EXISTS file:size)] REPEATS 2 TIMES"]:
        parse(ok)
    for bad in ["[file:name = 'a]", "file:name = 'a'", "[file:name = 'a\\b']", "[file:name 'a']",
                "[ipv4-addr:value = '1'] AND", "[a:b = 'x'] WITHIN -1 SECONDS"]:
        try:
            parse(bad)
        except PatternError:
            continue
        raise SystemExit(f"accepted {bad!r}")
    print("stix_pattern self-test ok")
