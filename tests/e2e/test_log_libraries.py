"""zap, logrus and zerolog, each at its oldest supported and newest release:
records written while serving a request carry the request's trace_id and
span_id (with the request's context or without any), records written outside
any request carry none."""

from __future__ import annotations

import json

import pytest
from support.plugin_e2e import App, PluginCase, app_fixture

pytestmark = pytest.mark.e2e

MAIN = """package main

import (
	"net/http"
	"os"

	"github.com/rs/zerolog"
	"github.com/sirupsen/logrus"
	"go.uber.org/zap"
)

func main() {
	z, _ := zap.NewProduction()
	sugar := z.Sugar()
	logrus.SetFormatter(&logrus.JSONFormatter{})
	logrus.SetOutput(os.Stdout)
	lr := logrus.New()
	lr.SetFormatter(&logrus.JSONFormatter{})
	lr.SetOutput(os.Stdout)
	zl := zerolog.New(os.Stdout)
	z.Info("zap outside")
	zl.Info().Msg("zerolog outside")

	http.HandleFunc("GET /logs", func(w http.ResponseWriter, r *http.Request) {
		z.Info("zap inside", zap.Int("n", 1))
		sugar.Infow("zap sugared", "n", 2)
		logrus.WithContext(r.Context()).Info("logrus std with context")
		lr.WithField("n", 3).Warn("logrus new")
		zl.Info().Ctx(r.Context()).Int("n", 4).Msg("zerolog with context")
		zl.Warn().Send()
		z.Sync()
	})
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {})
	http.ListenAndServe(os.Getenv("ADDR"), nil)
}
"""

app = app_fixture(PluginCase(
    plugins=("logrus", "zap", "zerolog"),
    versions={"oldest": ["go.uber.org/zap@v1.24.0", "github.com/sirupsen/logrus@v1.9.0", "github.com/rs/zerolog@v1.31.0"],
              "newest": ["go.uber.org/zap@v1.28.0", "github.com/sirupsen/logrus@v1.10.2", "github.com/rs/zerolog@v1.35.1"]},
    program={"main.go": MAIN},
))  # fmt: skip


def test_records_inside_a_request_carry_its_ids(app: App) -> None:
    with app.running() as live:
        assert live.get("/logs")[0] == 200
        (server,) = [s for s in live.wait_spans("GET /logs", timeout=20) if s.name == "GET /logs"]
        out = live.output()

    records = {}
    for line in out.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            records[r.get("msg") or r.get("message") or r.get("level")] = r
    inside = ["zap inside", "zap sugared", "logrus std with context", "logrus new", "zerolog with context", "warn"]
    for msg in inside:
        assert (records[msg].get("trace_id"), records[msg].get("span_id")) == (server.trace_id, server.span_id), msg
    assert records["zap inside"]["n"] == 1 and records["logrus new"]["n"] == 3 and records["zerolog with context"]["n"] == 4
    for msg in ("zap outside", "zerolog outside"):
        assert "trace_id" not in records[msg]
