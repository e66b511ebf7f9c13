"""The binding's C declarations (schedsim/_ffi.py) match the engine's
public headers, and those headers parse with cffi (STYLE section 4)."""

import os
import re

import cffi
import pytest

from schedsim import _ffi

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENGINE = os.path.join(ROOT, "engine")
HEADERS = ["match_op.h", "resource_status.h", "reapi_cli.h"]


def header_text(name):
    path = os.path.join(ENGINE, name)
    if not os.path.exists(path):
        pytest.skip("engine headers not found (installed package?): %s" % path)
    with open(path) as f:
        text = f.read()
    # what a cffi binding strips: directives, the export and linkage macros
    text = re.sub(r"^\s*#.*$", "", text, flags=re.M)
    text = re.sub(r"\bENG_(API|BEGIN_DECLS|END_DECLS)\b", "", text)
    return text


def header_ffi():
    ffi = cffi.FFI()
    ffi.cdef("".join(header_text(h) for h in HEADERS))
    ffi.cdef("void eng_free(void *p);")  # eng_error.h: its printf attribute aside
    return ffi


def functions(ffi):
    """{name: C type} of the functions declared in 'ffi' (cffi keeps them in
    its parser; typeof() needs a loaded library for a function)."""
    return {k.split(" ", 1)[1]: v[0].get_c_name()
            for k, v in ffi._parser._declarations.items() if k.startswith("function ")}


def test_headers_parse_with_cffi():
    assert "reapi_cli_match" in functions(header_ffi())


def test_cdef_matches_headers():
    hdr = functions(header_ffi())
    ours = functions(_ffi.ffi)
    for name, ctype in ours.items():
        if name in ("eng_time_set", "eng_time", "eng_stats_get"):
            continue  # eng.h, checked below
        if name in ("reapi_cli_set_time", "reapi_cli_get_time") and name not in hdr:
            continue  # the set-time extension, used once the header declares it
        assert ctype == hdr[name], name
    assert set(hdr) - set(ours) == set(), "functions of the headers not bound"
    hffi = header_ffi()
    for name in ("MATCH_ALLOCATE_W_SATISFIABILITY", "MATCH_ALLOCATE_ORELSE_RESERVE",
                 "MATCH_SATISFIABILITY", "RESOURCE_DOWN"):
        assert hffi._parser._int_constants[name] == _ffi.ffi._parser._int_constants[name]


def test_eng_time_declarations_match_eng_h():
    text = header_text("eng.h")
    assert re.search(r"int eng_time_set\(eng_t \*e, int64_t t\);", text)
    assert re.search(r"int64_t eng_time\(const eng_t \*e\);", text)
    assert re.search(r"void eng_stats_get\(const eng_t \*e, struct eng_stats \*st\);", text)
    body = re.search(r"struct eng_stats \{(.*?)\};", text, re.S).group(1)
    fields = re.findall(r"\b(u?int\d+_t|double)\s+([\w, ]+);", body)
    assert fields == [("uint64_t", "vertices, edges"), ("uint64_t", "jobs"),
                      ("uint64_t", "matches"), ("double", "load_s"),
                      ("double", "match_min_s, match_max_s, match_avg_s"),
                      ("uint32_t", "preorder, postorder")]
