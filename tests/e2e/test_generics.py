"""Rules on a generic function and on methods of a generic type: every
instantiation is traced (declarative `span` rules, so no hook needs to name
a type parameter), an error result fails its span, and a context.Context
parameter parents it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.gomod import rulec, write_module

from rulec.view.receiver import OtlpReceiver

pytestmark = pytest.mark.e2e

STACK = """package stack

import (
	"context"
	"errors"
)

type Stack[T any] struct{ items []T }

func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

func (s *Stack[T]) Pop(ctx context.Context) (T, error) {
	var zero T
	if len(s.items) == 0 {
		return zero, errors.New("empty stack")
	}
	v := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return v, nil
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}
"""

MAIN = """package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"

	"example.com/gen/stack"
)

func main() {
	var ints stack.Stack[int]
	var strs stack.Stack[string]
	ints.Push(1)
	strs.Push("a")
	fmt.Println(stack.Map([]int{1, 2}, strconv.Itoa), stack.Map([]string{"xy"}, func(s string) int { return len(s) }))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /pop", func(w http.ResponseWriter, r *http.Request) {
		_, err := strs.Pop(r.Context())
		fmt.Fprint(w, err)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for i := 0; i < 2; i++ {
		resp, err := http.Get(srv.URL + "/pop")
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
	}
}
"""

RULES = """plugin generics

import stack "example.com/gen/stack"

target module "example.com/gen"

rule push {
    on call stack.(*Stack).Push
    span "stack.push"
}

rule pop {
    on call stack.(*Stack).Pop
    span "stack.pop" kind client
}

rule map {
    on call stack.Map
    span "stack.map"
}
"""


def test_generic_function_and_methods_traced(tmp_path: Path, receiver: OtlpReceiver) -> None:
    root = write_module(tmp_path / "gen", "example.com/gen", {"stack/stack.go": STACK, "main.go": MAIN})
    rules = tmp_path / "generics.gorule"
    rules.write_text(RULES)

    assert rulec("check", str(rules), cwd=root).returncode == 0
    binary = tmp_path / "gen-bin"
    proc = rulec("build", "--rules", str(rules), "-o", str(binary), ".", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "plugins: generics, lifecycle, logcorrelation, nethttp" in proc.stderr
    env = {"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.http_endpoint, "OTEL_SERVICE_NAME": "generics"}
    out = subprocess.run([str(binary)], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[1 2] [2]", out.stderr

    def mine(spans):
        return [s for s in spans if s.service_name == "generics" and s.name.startswith("stack.")]

    spans = mine(receiver.wait_for(lambda got: len(mine(got)) >= 6, timeout=20))
    by_name = {n: [s for s in spans if s.name == n] for n in ("stack.push", "stack.map", "stack.pop")}
    assert [len(v) for v in by_name.values()] == [2, 2, 2]  # two instantiations, or two calls, each
    assert all(s.kind == "INTERNAL" for s in by_name["stack.push"] + by_name["stack.map"])
    pops = sorted(by_name["stack.pop"], key=lambda s: s.start_ns)
    assert [s.kind for s in pops] == ["CLIENT", "CLIENT"]
    assert [s.status_code for s in pops] == ["UNSET", "ERROR"]
    servers = {s.span_id: s for s in receiver.spans() if s.service_name == "generics" and s.kind == "SERVER"}
    assert all(p.parent_span_id in servers for p in pops)  # parented by the request's span via ctx
