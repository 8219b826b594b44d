"""Literals a field added to a struct type breaks: unkeyed ones of the
package's own type, written out or elided in a list or map of it."""

from __future__ import annotations

from rulec.compiler.gosource import unkeyed_literals

SOURCE = b"""package p

var a = []Conn{{x, true}, {addr: 1}}
var b = map[string]*Conn{"k": {x, y}}
var c = &Conn{x, true}
var d = Conn[int]{x}
var e = [...]Conn{{x}}
var f = pkg.Conn{x}
var g = Conn{}
var h = Conn{addr: 1}
var i = Other{x}
var j = []Conn{{addr: 1}}
"""


def test_unkeyed_literals_of_the_type_are_found() -> None:
    assert unkeyed_literals(SOURCE, "Conn") == [3, 4, 5, 6, 7]
    assert unkeyed_literals(SOURCE, "Other") == [11]
    assert unkeyed_literals(SOURCE, "Absent") == []
