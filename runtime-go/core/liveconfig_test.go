package core

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

func TestParseLiveConfig(t *testing.T) {
	tests := []struct {
		name, doc string
		json      bool
		ratio     string // "" for unset
		disabled  string // "-" for unset
		err       string
	}{
		{name: "toml", doc: "[sampling]\nratio = 0.25\n[plugins]\ndisabled = [\"nethttp\"]\n", ratio: "0.25", disabled: "nethttp"},
		{name: "toml partial", doc: "[plugins]\ndisabled = []\n", disabled: ""},
		{name: "toml empty", doc: "", disabled: "-"},
		{name: "toml unknown key", doc: "[plugins]\ndisable = [\"nethttp\"]\n", err: `unknown key "plugins.disable"`},
		{name: "toml bad ratio", doc: "[sampling]\nratio = 1.5\n", err: "sampling.ratio = 1.5"},
		{name: "toml syntax", doc: "[sampling\n", err: "toml"},
		{name: "toml wrong type", doc: "[sampling]\nratio = \"half\"\n", err: "ratio"},
		{name: "json", json: true, doc: `{"sampling":{"ratio":0},"plugins":{"disabled":["a","b"]}}`, ratio: "0", disabled: "a,b"},
		{name: "json unknown", json: true, doc: `{"sampling":{"rate":1}}`, err: "unknown field"},
		{name: "json trailing", json: true, doc: `{} {}`, err: "trailing data"},
		{name: "json negative", json: true, doc: `{"sampling":{"ratio":-0.1}}`, err: "sampling.ratio"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := parseTOMLConfig
			if tt.json {
				parse = parseJSONConfig
			}
			c, err := parse([]byte(tt.doc))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ratio := ""
			if c.Sampling.Ratio != nil {
				ratio = fmt.Sprint(*c.Sampling.Ratio)
			}
			disabled := "-"
			if c.Plugins.Disabled != nil {
				disabled = strings.Join(*c.Plugins.Disabled, ",")
			}
			if ratio != tt.ratio || disabled != tt.disabled {
				t.Errorf("ratio %q disabled %q", ratio, disabled)
			}
		})
	}
}

// A malformed document is logged once, however often it is polled, and the
// source reports a valid document only when its content changes.
func TestSourceLogsABadDocumentOnce(t *testing.T) {
	log := captureLog(t)
	doc, readErr := "[sampling]\nratio = 0.5\n", error(nil)
	src := &source{name: "live.toml", parse: parseTOMLConfig,
		read: func(context.Context) ([]byte, error) { return []byte(doc), readErr }}
	ctx := context.Background()
	if c, ok := src.poll(ctx); !ok || *c.Sampling.Ratio != 0.5 {
		t.Fatalf("first poll: %v %v", c, ok)
	}
	if _, ok := src.poll(ctx); ok {
		t.Error("an unchanged document was reported again")
	}
	doc = "[sampling]\nratio = 2\n"
	for range 3 {
		if _, ok := src.poll(ctx); ok {
			t.Error("a malformed document was accepted")
		}
	}
	readErr = errors.New("gone")
	src.poll(ctx)
	src.poll(ctx)
	if got := strings.Count(log.String(), "live configuration live.toml"); got != 2 {
		t.Errorf("logged %d times, want once per distinct problem:\n%s", got, log.String())
	}
	doc, readErr = "[sampling]\nratio = 0.5\n", nil
	if _, ok := src.poll(ctx); !ok {
		t.Error("the good document, back after an error, was not reported")
	}
}

func TestLiveStateMergesSourcesAndSwitchesPlugins(t *testing.T) {
	log := captureLog(t)
	sw := PluginSwitch("livetest")
	t.Cleanup(func() { setDisabledPlugins(nil) })
	live := &liveState{sampler: newLiveSampler(envOf(nil))}
	half, none := 0.5, 0.0
	var fileDoc, urlDoc liveConfig
	fileDoc.Sampling.Ratio = &half
	fileDoc.Plugins.Disabled = &[]string{"livetest"}
	live.set(false, fileDoc)
	if sw.Load() {
		t.Error("the disabled plugin is still on")
	}
	if !strings.Contains(live.sampler.Description(), "TraceIDRatioBased{0.5}") {
		t.Errorf("sampler %s", live.sampler.Description())
	}
	urlDoc.Sampling.Ratio = &none
	live.set(true, urlDoc) // the URL's ratio wins; the file's plugins stay off
	if sw.Load() || !strings.Contains(live.sampler.Description(), "TraceIDRatioBased{0}") {
		t.Errorf("switch %v sampler %s", sw.Load(), live.sampler.Description())
	}
	live.set(false, liveConfig{})
	if !sw.Load() {
		t.Error("the plugin did not come back on")
	}
	if !strings.Contains(log.String(), "plugins disabled: livetest") {
		t.Errorf("log: %s", log.String())
	}
	if PluginSwitch("later") == nil || !PluginSwitch("later").Load() {
		t.Error("a plugin registered later is not on")
	}
}

func TestLiveSamplerFromEnv(t *testing.T) {
	sampled := func(s sdktrace.Sampler, parent trace.SpanContext) bool {
		ctx := trace.ContextWithSpanContext(context.Background(), parent)
		return s.ShouldSample(sdktrace.SamplingParameters{ParentContext: ctx, TraceID: trace.TraceID{1}}).Decision == sdktrace.RecordAndSample
	}
	sampledParent := trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled, Remote: true})
	tests := []struct {
		env              map[string]string
		desc             string
		root, withParent bool
		logged           string
	}{
		{env: nil, desc: "ParentBased{root:AlwaysOnSampler", root: true, withParent: true},
		{env: map[string]string{"OTEL_TRACES_SAMPLER": "always_off"}, desc: "AlwaysOffSampler"},
		{env: map[string]string{"OTEL_TRACES_SAMPLER": "always_on"}, desc: "AlwaysOnSampler", root: true, withParent: true},
		{env: map[string]string{"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"}, desc: "TraceIDRatioBased{0}"},
		{env: map[string]string{"OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0"}, desc: "ParentBased{root:TraceIDRatioBased{0}", withParent: true},
		{env: map[string]string{"OTEL_TRACES_SAMPLER": "parentbased_always_off"}, desc: "ParentBased{root:AlwaysOffSampler", withParent: true},
		// desc left open: older SDKs name a ratio of 1 AlwaysOnSampler, newer ones TraceIDRatioBased{1}.
		{env: map[string]string{"OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "x"}, root: true, withParent: true, logged: "not a ratio"},
		{env: map[string]string{"OTEL_TRACES_SAMPLER": "jaeger_remote"}, desc: "ParentBased{root:AlwaysOnSampler", root: true, withParent: true, logged: "not supported"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.env), func(t *testing.T) {
			log := captureLog(t)
			s := newLiveSampler(envOf(tt.env))
			if !strings.HasPrefix(s.Description(), tt.desc) {
				t.Errorf("sampler %s, want %s", s.Description(), tt.desc)
			}
			if sampled(s, trace.SpanContext{}) != tt.root || sampled(s, sampledParent) != tt.withParent {
				t.Errorf("root sampled %v, with sampled parent %v", sampled(s, trace.SpanContext{}), sampled(s, sampledParent))
			}
			if !strings.Contains(log.String(), tt.logged) || tt.logged == "" && log.String() != "" {
				t.Errorf("log %q, want %q", log.String(), tt.logged)
			}
		})
	}
}
