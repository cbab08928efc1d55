//! Expressions compared with hg: hand-written ones covering every operator,
//! precedence pair, quoting form and error, and seeded random ones.

/// Names the test lookup callback knows (same list in hg_helper.py).
pub const KNOWN: &[&str] = &["a-b", "foo-bar", "1.0-rc", "old-tag", "tip", "x-y-z"];

/// `[revsetalias]` used by the tests (same list in hg_helper.py).
pub const REVSET_ALIASES: &[(&str, &str)] = &[
    ("h", "heads(default)"),
    ("b($1)", "ancestors($1) - ancestors(default)"),
    ("two($1, $2)", "$1 or $2"),
    ("rec", "rec2"),
    ("rec2", "rec"),
    ("bad1", "f("),
    ("bad2($1, $1)", "x"),
    ("$bad3", "x"),
    ("bad4($x", "x"),
    ("bad5", "$1"),
    ("bad6(a, \"b\")", "x"),
    ("one($1)", "p1($1)"),
    ("foo::bar", "x"),
];

/// `[templatealias]` used by the tests (same list in hg_helper.py).
pub const TEMPLATE_ALIASES: &[(&str, &str)] = &[
    ("r", "rev"),
    ("rn", "\"{r}:{node|short}\""),
    ("wrap($1)", "\"[{$1}]\""),
    ("up(s)", "s|upper"),
    ("rec", "rec"),
    ("bad1", "f("),
    ("bad2($1, $1)", "x"),
    ("my(x)", "x|my"),
    ("short", "\"S\""),
];

pub const REVSETS: &[&str] = &[
    // symbols and quoting
    "tip", "1", ".", "@", "@::", "null", "a-b", "a-c", "foo-bar-baz", "x-y-z", "-1", "--1",
    "a--b", "a-", "-a", "1.0-rc", "1.0-rc:tip", "old-tag:a-b", "old-tag:", ":old-tag", "tip:tip",
    "a.b", "a..b", "a...b", "a....b", "..a", "a..", "..", "::", ":", "x:y", "é", "caf\u{e9}-x",
    "a/b", "a/b-c", "_x", "x_", "'a'", "\"a\"", "'a b'", "'a\\'b'", "\"a\\\"b\"", "'\\x41'",
    "'\\x4'", "'\\x'", "'\\101\\0'", "'\\n\\t\\r'", "'\\q'", "'a\\", "'abc", "\"abc", "r'a\\b'",
    "r\"a\\nb\"", "r'unterminated", "r", "ra", "rb'x'", "'\\\\'", "''", "\"\"", "'\\u1234'",
    "'\\N{x}'", "'\u{e9}'", "'\\777'",
    // operators and precedence
    "1:2", "1::2", "1..2", ":2", "::2", "1:", "1::", "not 1", "!1", "1 and 2", "1&2", "1 or 2",
    "1|2", "1+2", "1 - 2", "1-2", "1 % 2", "1%", "1^", "1^2", "1~2", "1~", "~1", "^1", "1#a",
    "1#a[2]", "1#a[2:3]", "1#a[:]", "x#generations[1:2]", "1[2]", "1[2][3]", "1#a#b",
    "1#a[1]#b[2]", "(1)", "((1))", "()", "(())", "f()", "f(1)", "f(1, 2)", "f(1, 2, 3)",
    "f(a=1)", "f(a=1, b=2)", "f(1, a=2)", "f(a=b=c)", "f((1, 2))", "f(g(h(1)))", "1 ## 2",
    "a ## 'b' ## c", "a ## (b)", "a ## f(b)", "(a ## b)", "1^:2", "1^::2", "1^:", "1^::",
    "1^ : 2", "1^..", "1^ 2", "1 ^ :2", "1~:2", "not 1 and 2", "not (1 and 2)", "1 and not 2",
    "1 and 2 or 3", "1 or 2 and 3", "1 or 2 or 3 or 4", "1 + 2 | 3 or 4", "(1 or 2) or 3",
    "1 or (2 or 3)", "1 - 2 - 3", "1 - (2 - 3)", "-1 - -2", "- 1", "-'a'", "-f(x)", "-(1)",
    "1:2:3", "1::2::3", "::1::", ":1:", "1 : 2 : 3", "1 % 2 % 3", "1%%", "1 %% 2", "not not 1",
    "!!1", "1 and and 2", "1 or", "or 1", "and", "not", "1 not 2", "1 = 2", "a=b", "=1",
    "1,2", "1, 2, 3", "(1, 2)", ",", "1,", ",1", "f(,)", "f(1,)", "f(,1)", "f(a=)", "f(=a)",
    "1^^", "1^^^2", "1~~2", "1^~2", "1~^2", "1#", "#a", "1##", "##1", "1[", "1[]", "1]", "[1]",
    "1[2", "1(", "1)", ")", "(", "((", "(1", "1 2", "1  2", "x(", "1+", "x y z", "$1", "a$",
    "a;b", "a\"b\"", "a'b'", "a 'b'", "f(x)(y)", "(f)(x)", "'f'(x)", "(a+b)(c)", "1:2(x)",
    // analysis and optimisation
    "::a - ::b", "::a and not ::b", "not ::b and ::a", "ancestors(a) and not ancestors(b)",
    "ancestors(a, 2) and not ancestors(b)", "draft() and ::x", "secret() & ::x",
    "_notpublic() and ancestors(x)", "public() and ::x", "::x and draft()", "not public()",
    "not public(1)", "not draft()", "a and not b", "a - b - c", "a + b + c()", "a + b + c + d",
    "f() + a + b + g() + c", "a + 'b' + c", "a or b", "a or f()", "heads(commonancestors(x))",
    "heads(commonancestors(x, y))", "heads(x)", "x and author(y)", "author(y) and x",
    "author(x) and user(y)", "sort(x, -rev)", "sort(x, rev, -date)", "limit(x, 3)",
    "first(x) and x", "x and contains(a)", "all()", "x and y and z", "x & (y | z)",
    "(x & y) | z", "x:y and z", "x % y", "x%", "::x", "x::", "x::y and z", "-x", "-'x'",
    "-f()", "- - x", "x^ and y", "x~2 and y", "only(x)", "x#y[1] and z", "x[1] and y",
    "f(a=b and c)", "f(a=::b)", "::", "x and ::", "x ## y and z", "x ## f()", "(x ## y) ## z",
    "x ## -y", "revset(a-b)", "revset(a-b", "revset(x)-b", "adds(x) and modifies(y)",
    "wdir() and desc(x)", "reverse(x) and file(y)", "x and outgoing()", "x and p1()",
    // aliases
    "h", "h and x", "b(x)", "b(x, y)", "b()", "two(a, b)", "two(a)", "rec", "rec2", "bad1",
    "bad2(x, y)", "bad5", "one(h)", "one(one(x))", "h()", "b", "x and y", "two(two(a, b), h)",
];

pub const TEMPLATES: &[&str] = &[
    "", "text", "{rev}", "{rev}:{node}", "{node|short}", "{node|short|upper}", "{rev % '{x}'}",
    "{x % \"{y}\"}", "{files % '{file}\\n'}", "a{b}c", "\\{rev}", "\\\\{rev}", "\\\\\\{rev}",
    "a\\nb", "{", "}", "{}", "{ }", "{x", "{x}}", "{{x}}", "{'a'}", "{\"a\"}", "{r'a\\b'}",
    "{r\"a{b}\"}", "{'a{b}c'}", "{'{'}", "{'\\{x}'}", "{\"a\\\"b\"}", "{1}", "{12}", "{-1}",
    "{1+2}", "{1-2}", "{1*2}", "{1/2}", "{1+2*3}", "{(1+2)*3}", "{1-2-3}", "{1 - -2}",
    "{-x}", "{--x}", "{x.y}", "{x.y.z}", "{x.y|z}", "{x|y.z}", "{f(x)}", "{f(x, y)}",
    "{f(x, y, z)}", "{f()}", "{f(x=1)}", "{f(x=1, y=2)}", "{if(x, 'a', 'b')}",
    "{if(x, \"{y}\", '{z}')}", "{label('x', rev)}", "{x|f(1)}", "{(x)}", "{((x))}", "{()}",
    "{f(,)}", "{f(1,)}", "{x|}", "{|x}", "{x %}", "{% x}", "{x y}", "{x 'y'}", "{'x' 'y'}",
    "{x;}", "{x@}", "{é}", "{x}\n{y}", "a\nb{x", "a\n{x y}", "{'unterminated}", "{\"a}",
    "{r'a}", "{\\'a\\'}", "{\\\"a{b}\\\"}", "{r\\'a\\'}", "{r\\\"a{b}\\\"}", "{\\\"a}",
    "{\\'x\\\\\\'y\\'}", "{'\\x41'}", "{'\\x4'}", "\\x4", "a\\", "{'a\\'}", "{x|y % 'z'}",
    "{x % y|z}", "{x = 1}", "{x, y}", "{f(x)(y)}", "{1x}", "{x1}", "{_x}", "{x_y}",
    "{r}", "{rn}", "{wrap(rev)}", "{wrap(rev, node)}", "{wrap()}", "{rev|up}", "{up(rev)}",
    "{rec}", "{bad1}", "{bad2(x, x)}", "{my(1)}", "{1|my}", "{short}", "{node|short}",
    "{short(node)}", "{wrap(wrap(r))}", "{r % '{r}'}", "{if(r, rn)}", "{x.r}", "{r.x}",
    "{'{r}'}", "{'{'{'{x}'}'}'}", "{\"{\\\"{x}\\\"}\"}", "{f(\"{g('{h}')}\")}",
];

pub const FILESETS: &[&str] = &[
    "a", "a.c", "*.c", "glob:*.c", "path:a/b", "re:a.*b", "'a b'", "\"a\\nb\"", "r'a\\b'",
    "a or b", "a | b | c", "a + b", "a and b", "a & b", "not a", "!a", "a - b", "-a",
    "size('>1k')", "size(1, 2)", "f()", "(a)", "a, b", "a:b:c", "a:", ":a", "a b", "a;b",
    "'a", "(a", "a)", "and", "a or", "x:'y'", "grep(r'x')", "a/b/**", "[ab]?", "{a,b}",
    "é", "a\\b", "a-b", "not not a", "a and b or c", "a or b and c", "set:a",
];

/// A small deterministic generator (xorshift), so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x % n as u64) as usize
    }
}

fn random_from(vocabulary: &[&str], seed: u64, count: usize, max_len: usize) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let len = 1 + rng.below(max_len);
            let mut out = Vec::new();
            for _ in 0..len {
                out.extend_from_slice(vocabulary[rng.below(vocabulary.len())].as_bytes());
            }
            out
        })
        .collect()
}

pub fn random_revsets(seed: u64, count: usize) -> Vec<Vec<u8>> {
    const WORDS: &[&str] = &[
        "a", "b", "1", "tip", "a-b", "x-", "foo-bar", "(", ")", ")", "(", "[", "]", ",", ":",
        "::", "..", "^", "~", "#", "##", "!", "not ", " and ", " or ", "&", "|", "+", "-", "%",
        "=", "'s'", "\"q\\n\"", "r'r\\'", "f(", "ancestors(", "heads(", "public()", "draft()",
        "all()", " ", "h", "b(", "two(", "rec", "2", "é", "'", "\\", "_", "only(", "x", "y",
        "sort(", "-rev", "commonancestors(", "$1", ".", "@",
    ];
    random_from(WORDS, seed, count, 9)
}

pub fn random_templates(seed: u64, count: usize) -> Vec<Vec<u8>> {
    const WORDS: &[&str] = &[
        "{", "}", "}", "{", "rev", "node|short", "|", "%", "(", ")", ",", "=", "+", "-", "*",
        "/", ".", "\"", "'", "1", "23", "r'x'", "\\{", "\\\"", "\\", "{x}", "label(", "if(",
        "text", " ", "\n", "r", "rn", "wrap(", "up(", "my(", "'{y}'", "\"{z}\"", "\\'", "x",
        "\\x41", "\\\\",
    ];
    random_from(WORDS, seed, count, 10)
}

pub fn random_filesets(seed: u64, count: usize) -> Vec<Vec<u8>> {
    const WORDS: &[&str] = &[
        "a", "*.c", "glob", ":", "(", ")", ",", " or ", " and ", "not ", "!", "-", "+", "|",
        "&", "'s'", "\"q\"", "r'x'", " ", "size(", "'", ";", "é",
    ];
    random_from(WORDS, seed, count, 8)
}
