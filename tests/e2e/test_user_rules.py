"""Rules users write for their own code: a declarative span with attributes
from parameters, nested fields, methods and results; `record error`; hooks in
a package of a second module (pulled in by a `replace`, as teams do); a field
added to a struct and set by `at entry` statements; `on callsite` around a
standard-library function; priorities; and rule text that does not compile,
reported at the rule's line and column."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.gomod import go, rulec, snapshot, write_module
from support.telemetry import Run

from rulec.view.receiver import OtlpReceiver
from rulec.view.spans import Span

pytestmark = pytest.mark.e2e

BILLING = """package billing

import (
	"context"
	"errors"
)

type Customer struct{ ID string }

type Request struct {
	Currency string
	Items    []string
	Customer *Customer
}

func (r *Request) Count() int { return len(r.Items) }

type Receipt struct{ ID string }

type Service struct{}

func (s *Service) Charge(ctx context.Context, amount int64, req *Request) (receipt *Receipt, err error) {
	if amount <= 0 {
		return nil, errors.New("declined: amount must be positive")
	}
	return &Receipt{ID: "r-" + req.Currency}, nil
}

func Checkout(s *Service, amount int64, req *Request) error {
	_, err := s.Charge(context.Background(), amount, req)
	return err
}

func Refund(id string, cents int64) error {
	if cents > 100 {
		return errors.New("refund too large")
	}
	return nil
}
"""

STORE = """package store

type Conn struct {
	addr string
}

func Dial(addr string) *Conn { return &Conn{addr: addr} }

var Order []string

func (c *Conn) Get(key string) string { return key + "@" + c.addr }
"""

MAIN = """package main

import (
	"fmt"
	"os"

	"example.com/hooks/audit"
	"example.com/shop/billing"
	"example.com/shop/store"
)

func main() {
	s := &billing.Service{}
	full := &billing.Request{Currency: "EUR", Items: []string{"a", "b", "c"}, Customer: &billing.Customer{ID: "c-42"}}
	fmt.Println(billing.Checkout(s, 250, full))
	fmt.Println(billing.Checkout(s, 0, &billing.Request{Currency: "USD"}))
	fmt.Println(billing.Refund("o-1", 50), billing.Refund("o-2", 500))
	fmt.Println(store.Dial("db:5432").Get("k"), store.Order)
	_, err := os.ReadFile("/nonexistent/rulec")
	fmt.Println(err != nil)
	fmt.Println(audit.Log)
}
"""

AUDIT = """package audit

import "fmt"

var Log []string

func BeforeRefund(id string, cents int64) { Log = append(Log, fmt.Sprintf("refund %s %d", id, cents)) }

func AfterRefund(err error) { Log = append(Log, fmt.Sprintf("refunded: %v", err)) }
"""

SHOP_RULES = """plugin shop

import billing "example.com/shop/billing"
import store   "example.com/shop/store"
import audit   "example.com/hooks/audit"

target module "example.com/shop"

rule checkout {
    on call billing.Checkout
    span "billing.checkout"
}

rule charge {
    on call billing.(*Service).Charge
    span "billing.charge" kind internal
    attributes {
        amount: arg.amount,
        "billing.currency": arg.req.Currency,
        "billing.items": arg.req.Count(),
        "billing.customer": arg.req.Customer.ID,
        "billing.receipt": result.receipt.ID,
    }
    record error result.err
}

rule refund {
    on call billing.Refund
    before audit.BeforeRefund
    after audit.AfterRefund
}

rule peer_field {
    on struct store.Conn
    add field rulecPeer string
}

rule remember_peer {
    on call store.(*Conn).Get
    at entry `c.rulecPeer = "peer " + c.addr`
}

rule get {
    on call store.(*Conn).Get
    span "store.get" kind client
    attributes { "db.peer": recv.rulecPeer, key: arg.key }
}

rule late priority -5 {
    on call store.(*Conn).Get
    at entry `Order = append(Order, "late")`
}

rule early priority 5 {
    on call store.(*Conn).Get
    at entry `Order = append(Order, "early")`
}
"""

IO_RULES = """plugin shop_io

import os "os"

target std

rule read_file {
    on callsite os.ReadFile
    span "os.readfile" kind client
    attributes { "file.path": arg.name }
}
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shop module and, beside it, the hooks module its go.mod replaces."""
    top = tmp_path_factory.mktemp("user-rules")
    write_module(top / "hooks", "example.com/hooks", {"audit/audit.go": AUDIT})
    extra = "require example.com/hooks v0.0.0\n\nreplace example.com/hooks => ../hooks\n"
    root = write_module(top / "shop", "example.com/shop", {"billing/billing.go": BILLING, "store/store.go": STORE, "main.go": MAIN}, extra)
    (top / "rules").mkdir()
    (top / "rules" / "shop.gorule").write_text(SHOP_RULES)
    (top / "rules" / "io.gorule").write_text(IO_RULES)
    return root


@pytest.fixture(scope="module")
def shop_run(shop: Path, receiver: OtlpReceiver) -> tuple[str, list[Span]]:
    before = snapshot(shop.parent)
    binary = shop.parent / "shop-bin"
    proc = rulec("build", "--rules", "../rules", "-o", str(binary), ".", cwd=shop)
    assert proc.returncode == 0, proc.stderr
    assert "plugins: lifecycle, logcorrelation, nethttp, shop, shop_io" in proc.stderr
    assert snapshot(shop.parent) == {**before, **{k: v for k, v in snapshot(shop.parent).items() if "shop-bin" in k}}
    run = Run(receiver)
    out = subprocess.run([str(binary)], env=run.env(OTEL_SERVICE_NAME="shop"), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    spans = run.spans(receiver.wait_for(lambda got: len([s for s in run.spans(got) if s.name != "GET"]) >= 6, timeout=30))
    return out.stdout, spans


def _named(spans: list[Span], name: str) -> list[Span]:
    return sorted((s for s in spans if s.name == name), key=lambda s: s.start_ns)


def test_declarative_span_takes_attributes_from_parameters_fields_methods_and_results(shop_run: tuple[str, list[Span]]) -> None:
    stdout, spans = shop_run
    assert stdout.splitlines()[:2] == ["<nil>", "declined: amount must be positive"]  # the app's own behaviour is unchanged
    ok, declined = _named(spans, "billing.charge")
    assert ok.kind == "INTERNAL" and ok.status_code == "UNSET"
    assert ok.attributes == {
        "amount": 250,
        "billing.currency": "EUR",
        "billing.items": 3,
        "billing.customer": "c-42",
        "billing.receipt": "r-EUR",
    }
    # A nil customer and a nil receipt leave those attributes out; the error
    # result named by `record error` fails the span.
    assert declined.status_code == "ERROR"
    assert declined.attributes == {"amount": 0, "billing.currency": "USD", "billing.items": 0, "error.type": "*errors.errorString"}
    assert any(name == "exception" and ev.get("exception.message") == "declined: amount must be positive" for name, ev in declined.events)
    # Checkout's span (the goroutine's context) parents Charge's.
    checkouts = _named(spans, "billing.checkout")
    assert [c.span_id for c in checkouts] == [ok.parent_span_id, declined.parent_span_id]
    assert [c.trace_id for c in checkouts] == [ok.trace_id, declined.trace_id]


def test_hooks_in_a_package_of_a_second_module(shop_run: tuple[str, list[Span]]) -> None:
    stdout, _ = shop_run
    assert stdout.splitlines()[2] == "<nil> refund too large"
    assert stdout.splitlines()[-1] == "[refund o-1 50 refunded: <nil> refund o-2 500 refunded: refund too large]"


def test_added_field_set_at_entry_and_read_as_an_attribute(shop_run: tuple[str, list[Span]]) -> None:
    stdout, spans = shop_run
    # Higher priority runs first: `early` before `late`.
    assert stdout.splitlines()[3] == "k@db:5432 [early late]"
    (get,) = _named(spans, "store.get")
    assert get.kind == "CLIENT"
    assert get.attributes == {"db.peer": "peer db:5432", "key": "k"}


def test_call_site_span_around_a_standard_library_function(shop_run: tuple[str, list[Span]], shop: Path) -> None:
    stdout, spans = shop_run
    assert stdout.splitlines()[4] == "true"
    (read,) = _named(spans, "os.readfile")
    assert read.kind == "CLIENT" and read.status_code == "ERROR"
    assert read.attributes["file.path"] == "/nonexistent/rulec"
    assert read.attributes["error.type"] == "*fs.PathError"
    plan = rulec("plan", "--rules", "../rules", ".", cwd=shop)
    assert plan.returncode == 0, plan.stderr
    lines = [line.strip() for line in plan.stdout.splitlines()]
    # The calls in main are redirected; os.ReadFile itself is not rewritten.
    assert "__rulec_cs_shop_io_read_file: shop_io.read_file" in lines
    assert not [line for line in lines if line.startswith("ReadFile")]
    # Rules on one function are listed in the order they run.
    assert "(Conn).Get: shop.early, shop.remember_peer, shop.get, shop.late" in lines
    assert "struct Conn: rulecPeer string" in lines


def test_check_passes_good_rules_against_the_module(shop: Path) -> None:
    proc = rulec("check", "../rules", cwd=shop)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "2 plugins, 9 rules: no problems"


BAD_RULES = """plugin bad

import billing "example.com/shop/billing"
import store   "example.com/shop/store"

target module "example.com/shop"

rule charge {
    on call billing.(*Service).Charge
    span "billing.charge"
    attributes { currency: arg.req.Currencyy, n: arg.req.Count() }
    record error result.receipt
}

rule field {
    on struct store.Conn
    add field peer strin
}

rule entry {
    on call store.Dial
    at entry `addr = 7`
}
"""


def test_rule_text_that_does_not_compile_is_reported_at_the_rule(shop: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.gorule"
    bad.write_text(BAD_RULES)
    proc = rulec("check", str(bad), cwd=shop)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    got = proc.stdout.splitlines()
    assert f"{bad}:11:36: error[type]: req.Currencyy undefined (type *Request has no field or method Currencyy)" in got
    assert any(line.startswith(f"{bad}:12:18: error[type]: ") and "does not implement error" in line for line in got), got
    assert f"{bad}:17:20: error[type]: undefined: strin" in got
    assert f"{bad}:22:22: error[type]: cannot use 7 (untyped int constant) as string value in assignment" in got

    # The build fails the same way, names the rule, and writes nothing.
    before = snapshot(shop)
    build = rulec("build", "--rules", str(bad), "-o", str(tmp_path / "bin"), ".", cwd=shop)
    assert build.returncode != 0
    assert "bad.gorule:11:36: req.Currencyy undefined" in build.stderr
    assert not (tmp_path / "bin").exists()
    assert snapshot(shop) == before


def test_plain_go_build_is_unaffected(shop: Path, tmp_path: Path) -> None:
    proc = go("build", "-o", str(tmp_path / "plain"), ".", cwd=shop)
    assert proc.returncode == 0, proc.stderr
    out = subprocess.run([str(tmp_path / "plain")], capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines()[-1] == "[]"  # no hook ran


GJSON_MAIN = """package main

import (
	"fmt"

	"github.com/tidwall/gjson"
)

const order = `{"id":"o-17","customer":{"name":"Ada"},"items":[{"sku":"book","qty":2},{"sku":"pen","qty":5}]}`

func main() {
	for _, path := range []string{"customer.name", "shipping.address"} {
		fmt.Println(path, "=", gjson.Get(order, path))
	}
}
"""

GJSON_RULES = """plugin gjson

import gjson "github.com/tidwall/gjson"

target module "github.com/tidwall/gjson" version ">= v1.14.0"

rule get {
    on call gjson.Get
    span "gjson.get"
    attributes {
        "gjson.path": arg.path,
        "gjson.type": result.0.Type.String(),
        "gjson.found": result.0.Exists(),
        "gjson.raw": result.0.Raw,
    }
}
"""


def test_a_rule_on_a_third_party_module_from_the_proxy(tmp_path: Path, receiver: OtlpReceiver) -> None:
    # gjson is built from rulec's copy of the module cache's: its methods as values.
    root = write_module(tmp_path / "gj", "example.com/gj", {"main.go": GJSON_MAIN, "rules/gjson.gorule": GJSON_RULES})
    for args in (["get", "github.com/tidwall/gjson@v1.18.0"], ["mod", "tidy"]):
        assert go(*args, cwd=root).returncode == 0
    assert rulec("check", "rules", cwd=root).returncode == 0
    proc = rulec("build", "--rules", "rules", "-o", "gj", ".", cwd=root)
    assert proc.returncode == 0, proc.stderr
    run = Run(receiver)
    out = subprocess.run([str(root / "gj")], env=run.env(), capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines() == ["customer.name = Ada", "shipping.address = "], out.stderr
    spans = _named(run.spans(receiver.wait_for(lambda got: len(_named(run.spans(got), "gjson.get")) >= 2, timeout=30)), "gjson.get")
    assert [s.attributes for s in spans] == [
        {"gjson.path": "customer.name", "gjson.type": "String", "gjson.found": True, "gjson.raw": '"Ada"'},
        {"gjson.path": "shipping.address", "gjson.type": "Null", "gjson.found": False, "gjson.raw": ""},
    ]
