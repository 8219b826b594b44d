package core

import (
	"net"
	"strconv"
	"strings"
	"time"
)

const (
	protoHTTP = "http/protobuf"
	protoGRPC = "grpc"

	// defaultFlushTimeout bounds every exit-time flush so that a dead
	// collector delays process exit by seconds, not by the SDK's 30 s default.
	defaultFlushTimeout = 5 * time.Second
)

// config is what init reads from the environment. Settings the SDK reads by
// itself (sampler argument, OTEL_BSP_*) and the OTLP exporters' own
// (endpoints, headers, timeouts) are not repeated here.
type config struct {
	disabled       bool
	traces         signalConfig
	metrics        signalConfig
	prometheusAddr string // where OTEL_METRICS_EXPORTER=prometheus serves /metrics
	flushTimeout   time.Duration
	metricInterval time.Duration // OTEL_METRIC_EXPORT_INTERVAL
	metricTimeout  time.Duration // OTEL_METRIC_EXPORT_TIMEOUT
}

// signalConfig is how one signal (traces or metrics) is exported.
type signalConfig struct {
	exporters []string // e.g. "otlp", "console", "prometheus"; empty means none
	protocol  string   // protoHTTP or protoGRPC, for "otlp"
}

// The exporters each signal supports, by OTEL_*_EXPORTER name.
var (
	traceExporters  = []string{"otlp", "console"}
	metricExporters = []string{"otlp", "prometheus"}
)

func loadConfig(getenv func(string) string) config {
	cfg := config{flushTimeout: defaultFlushTimeout}
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		cfg.disabled = true
		return cfg
	}
	cfg.traces = signalConfig{
		exporters: parseExporters("OTEL_TRACES_EXPORTER", getenv("OTEL_TRACES_EXPORTER"), traceExporters),
		protocol:  parseProtocol(getenv, "TRACES"),
	}
	cfg.metrics = signalConfig{
		exporters: parseExporters("OTEL_METRICS_EXPORTER", getenv("OTEL_METRICS_EXPORTER"), metricExporters),
		protocol:  parseProtocol(getenv, "METRICS"),
	}
	cfg.prometheusAddr = prometheusAddr(getenv)
	cfg.flushTimeout = millis(getenv, "OTEL_BSP_EXPORT_TIMEOUT", defaultFlushTimeout)
	cfg.metricInterval = millis(getenv, "OTEL_METRIC_EXPORT_INTERVAL", 60*time.Second)
	cfg.metricTimeout = millis(getenv, "OTEL_METRIC_EXPORT_TIMEOUT", 30*time.Second)
	return cfg
}

// millis reads a duration given in milliseconds, as every OTEL_* duration
// is. Unset gives def; a malformed or non-positive value gives def too, with
// a line on stderr.
func millis(getenv func(string) string, name string, def time.Duration) time.Duration {
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		return def
	}
	if ms, err := strconv.Atoi(v); err == nil && ms > 0 {
		return time.Duration(ms) * time.Millisecond
	}
	Logf("%s=%q is not a positive number of milliseconds; using %d", name, v, def.Milliseconds())
	return def
}

// parseExporters reads a comma-separated OTEL_*_EXPORTER list (named by
// variable), keeping the names in supported.
func parseExporters(variable, v string, supported []string) []string {
	if strings.TrimSpace(v) == "" {
		return []string{"otlp"}
	}
	var out []string
	for _, name := range strings.Split(v, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		switch {
		case name == "none":
			return nil
		case name == "":
		case contains(supported, name):
			if !contains(out, name) {
				out = append(out, name)
			}
		default:
			Logf("%s=%q: unsupported exporter %q ignored", variable, v, name)
		}
	}
	if len(out) == 0 {
		// Only unknown names: keep telemetry flowing rather than drop it.
		Logf("%s=%q: no supported exporter, using otlp", variable, v)
		return []string{"otlp"}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// parseProtocol applies the signal-specific variable (signal is "TRACES" or
// "METRICS") over the generic one.
func parseProtocol(getenv func(string) string, signal string) string {
	name := "OTEL_EXPORTER_OTLP_" + signal + "_PROTOCOL"
	v := strings.TrimSpace(getenv(name))
	if v == "" {
		name, v = "OTEL_EXPORTER_OTLP_PROTOCOL", strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_PROTOCOL"))
	}
	switch strings.ToLower(v) {
	case "", protoHTTP:
		return protoHTTP
	case protoGRPC:
		return protoGRPC
	}
	Logf("%s=%q is not supported (use http/protobuf or grpc); using http/protobuf", name, v)
	return protoHTTP
}

// prometheusAddr is the scrape endpoint's address, from the variables the
// OTel specification names, with its defaults (localhost:9464).
func prometheusAddr(getenv func(string) string) string {
	host := strings.TrimSpace(getenv("OTEL_EXPORTER_PROMETHEUS_HOST"))
	if host == "" {
		host = "localhost"
	}
	port := strings.TrimSpace(getenv("OTEL_EXPORTER_PROMETHEUS_PORT"))
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		if port != "" {
			Logf("OTEL_EXPORTER_PROMETHEUS_PORT=%q is not a port; using 9464", port)
		}
		port = "9464"
	}
	return net.JoinHostPort(host, port)
}
