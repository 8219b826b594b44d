"""What a file calls a package it imports without a name: the name the
package declares when a listing knows it, else the guess from its path."""

from __future__ import annotations

import pickle

from rulec.compiler import gosource
from rulec.compiler.gonames import GUESSED, ImportNames, assumed_name

HOOK = b"""package hooks

import (
	"example.com/app/kvlib"
	"gopkg.in/yaml.v3"
)

func Before(c *store.Cache, n yaml.Node) {}
"""


def test_the_declared_name_beats_the_guess() -> None:
    names = ImportNames.declared({"example.com/app/kvlib": "store", "gopkg.in/yaml.v3": "yaml", "example.com/app": ""})
    assert names.differing == frozenset({("example.com/app/kvlib", "store")})  # only what the guess gets wrong
    decl = gosource.parse(HOOK, "example.com/app/hooks", names).find(None, "Before")
    assert [p.canonical for p in decl.params] == ["*{example.com/app/kvlib}.Cache", "{gopkg.in/yaml.v3}.Node"]
    guessed = gosource.parse(HOOK, "example.com/app/hooks").find(None, "Before")
    assert guessed.params[0].canonical == "*{store}.Cache"  # no listing: kvlib assumed, store unknown


def test_names_key_caches_and_pickle() -> None:
    a = ImportNames.declared({"x/kvlib": "store"})
    assert a == ImportNames.declared({"x/kvlib": "store"}) and hash(a) == hash(ImportNames(frozenset({("x/kvlib", "store")})))
    assert pickle.loads(pickle.dumps(a)).of("x/kvlib") == "store"
    assert GUESSED.of("github.com/go-redis/redis/v9") == assumed_name("github.com/go-redis/redis/v9") == "redis"
