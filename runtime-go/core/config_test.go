package core

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		disabled  bool
		exporters []string
		protocol  string
		timeout   time.Duration
		logged    string
	}{
		{name: "defaults", env: nil, exporters: []string{"otlp"}, protocol: protoHTTP, timeout: 5 * time.Second},
		{name: "disabled", env: map[string]string{"OTEL_SDK_DISABLED": "TRUE"}, disabled: true, timeout: 5 * time.Second},
		{name: "grpc", env: map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, exporters: []string{"otlp"}, protocol: protoGRPC, timeout: 5 * time.Second},
		{name: "traces protocol wins", env: map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf"}, exporters: []string{"otlp"}, protocol: protoHTTP, timeout: 5 * time.Second},
		{name: "unsupported protocol", env: map[string]string{"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, exporters: []string{"otlp"}, protocol: protoHTTP, timeout: 5 * time.Second, logged: `OTEL_EXPORTER_OTLP_PROTOCOL="http/json" is not supported`},
		{name: "none", env: map[string]string{"OTEL_TRACES_EXPORTER": "none"}, protocol: protoHTTP, timeout: 5 * time.Second},
		{name: "list", env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp, console,zipkin"}, exporters: []string{"otlp", "console"}, protocol: protoHTTP, timeout: 5 * time.Second, logged: `unsupported exporter "zipkin"`},
		{name: "timeout", env: map[string]string{"OTEL_BSP_EXPORT_TIMEOUT": "250"}, exporters: []string{"otlp"}, protocol: protoHTTP, timeout: 250 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := captureLog(t)
			cfg := loadConfig(envOf(tt.env))
			if cfg.disabled != tt.disabled || cfg.traces.protocol != tt.protocol || cfg.flushTimeout != tt.timeout ||
				!reflect.DeepEqual(cfg.traces.exporters, tt.exporters) {
				t.Errorf("got %+v", cfg)
			}
			if tt.logged == "" && log.String() != "" || !strings.Contains(log.String(), tt.logged) {
				t.Errorf("log = %q, want %q", log.String(), tt.logged)
			}
		})
	}
}
