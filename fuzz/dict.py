#!/usr/bin/env python3
"""Writes fuzz/hybrid.dict, the libFuzzer dictionary: KDL v2 syntax and
literals, then the node names, property keys and enum words read from
compiler/core/src/schema.rs. Run it again when the schema changes."""

import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
schema = (HERE.parent / "compiler/core/src/schema.rs").read_text()

nodes = sorted(set(re.findall(r'(?:plain|decl)\(\s*"[^"]+",\s*"([^"]+)"', schema)))
props = sorted(set(re.findall(r'\b(?:opt|req|dflt)\(\s*"([^"]+)"', schema)))
enums = set()
for words in re.findall(r'Enum\(&\[([^\]]*)\]', schema):
    enums |= set(re.findall(r'"([^"]+)"', words))

SYNTAX = [
    "{", "}", "=", ";", '"', "\\", "/-", "//", "/*", "*/",
    '#"', '"#', '##"', '"##', '"""', '#"""', '"""#',
    "\\\n", "\n", "\r\n", "\t", " ", "\\u{41}", "\\s", "\\n",
    "#true", "#false", "#null", "#inf", "#-inf", "#nan", "(u8)", "(", ")",
    "0x1F", "0o7", "0b1", "1_000", "1e3", "-0.5", "1.30", "-", "+", ".",
    "\u00a0", "\ufeff", "\u2028", "\u200e", "\x0b", "\x00",
    'import "a.hybrid"', 'import "../a.hybrid"', 'import "lib/b.hybrid"',
    'import "std/gpu"', 'import "std/profiles"',
    '"16Gi"', '"1Ti"', '"500m"', '"2.5"', '"70%"', '"30s"', '"1.2ms"', '"7d"',
    '"10Gbps"', '"10.10.0.0/16"', '"fd00::/64"', '"0 2 * * *"', '"1.31"',
    '"nvidia.com/gpu"', '"1g.10gb"', "nvidia-a100-80gb", "nvidia-h100-80gb",
    "ha-critical", "stateful",
    # escapes for what the YAML and HCL writers must quote or escape
    "\\u{FFFE}", "\\u{FFFF}", "\\u{85}", "\\u{2028}", "\\u{202E}", "\\u{7F}", "\\u{1B}",
    "${", "%{", ": ", " #", "---", "'",
]


def esc(token):
    """A dictionary entry: printable ASCII as is, `\\` and `"` escaped, every
    other byte as `\\xNN`."""
    out = ""
    for b in token.encode():
        c = chr(b)
        if c in '\\"':
            out += "\\" + c
        elif 0x20 <= b < 0x7F:
            out += c
        else:
            out += "\\x%02X" % b
    return '"' + out + '"'


lines = [
    "# libFuzzer dictionary for hybridc, written by fuzz/dict.py: KDL v2 syntax",
    "# and literals, then the node names, property keys and enum words of",
    "# compiler/core/src/schema.rs.",
    "",
]
lines += [esc(t) for t in SYNTAX]
lines += [""] + [esc(n + " ") for n in nodes]
lines += [""] + [esc(p + "=") for p in props]
lines += [""] + [esc('"%s"' % w) for w in sorted(enums)]
(HERE / "hybrid.dict").write_text("\n".join(lines) + "\n")
