package core

import (
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
// itself (endpoints, headers, sampler, OTEL_BSP_*) are not repeated here.
type config struct {
	disabled     bool
	exporters    []string // "otlp" and/or "console"; empty means none
	protocol     string   // protoHTTP or protoGRPC
	flushTimeout time.Duration
}

func loadConfig(getenv func(string) string) config {
	cfg := config{flushTimeout: defaultFlushTimeout}
	if strings.EqualFold(strings.TrimSpace(getenv("OTEL_SDK_DISABLED")), "true") {
		cfg.disabled = true
		return cfg
	}
	cfg.exporters = parseExporters(getenv("OTEL_TRACES_EXPORTER"))
	cfg.protocol = parseProtocol(getenv)
	if ms, err := strconv.Atoi(strings.TrimSpace(getenv("OTEL_BSP_EXPORT_TIMEOUT"))); err == nil && ms > 0 {
		cfg.flushTimeout = time.Duration(ms) * time.Millisecond
	}
	return cfg
}

// parseExporters reads the comma-separated OTEL_TRACES_EXPORTER list.
func parseExporters(v string) []string {
	if strings.TrimSpace(v) == "" {
		return []string{"otlp"}
	}
	var out []string
	for _, name := range strings.Split(v, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		switch name {
		case "none":
			return nil
		case "otlp", "console":
			out = append(out, name)
		case "":
		default:
			logf("OTEL_TRACES_EXPORTER=%q: unsupported exporter %q ignored", v, name)
		}
	}
	if len(out) == 0 {
		// Only unknown names: keep telemetry flowing rather than drop it.
		logf("OTEL_TRACES_EXPORTER=%q: no supported exporter, using otlp", v)
		return []string{"otlp"}
	}
	return out
}

// parseProtocol applies the signal-specific variable over the generic one.
func parseProtocol(getenv func(string) string) string {
	name, v := "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"))
	if v == "" {
		name, v = "OTEL_EXPORTER_OTLP_PROTOCOL", strings.TrimSpace(getenv("OTEL_EXPORTER_OTLP_PROTOCOL"))
	}
	switch strings.ToLower(v) {
	case "", protoHTTP:
		return protoHTTP
	case protoGRPC:
		return protoGRPC
	}
	logf("%s=%q is not supported (use http/protobuf or grpc); using http/protobuf", name, v)
	return protoHTTP
}
