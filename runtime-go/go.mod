module rulec.dev/runtime

go 1.24

// The core of rulec's runtime, joined to every instrumented build: its
// requirements are kept as low as works, as MVS would force anything newer on
// users. OTel v1.28.0 has everything rulec needs (semconv v1.26.0,
// tracetest); OTLP/HTTP is rulec's own encoding (core/otlpwire.go), so no
// gRPC or protobuf module is required. httpsnoop v1.0.3 already has Unwrap
// (for http.ResponseController) and the same Wrap as v1.0.4, which only
// changed CaptureMetrics, unused here. Plugins with a library of their own
// and the optional exporters are modules of their own (plugins/*/go.mod,
// exporters/*/go.mod), joined only to the builds that link them.

require (
	github.com/BurntSushi/toml v0.3.1
	github.com/felixge/httpsnoop v1.0.3
	github.com/google/uuid v1.6.0
	go.opentelemetry.io/contrib/instrumentation/runtime v0.53.0
	go.opentelemetry.io/contrib/propagators/b3 v1.28.0
	go.opentelemetry.io/contrib/propagators/jaeger v1.28.0
	go.opentelemetry.io/otel v1.28.0
	go.opentelemetry.io/otel/metric v1.28.0
	go.opentelemetry.io/otel/sdk v1.28.0
	go.opentelemetry.io/otel/sdk/metric v1.28.0
	go.opentelemetry.io/otel/trace v1.28.0
)

require (
	github.com/go-logr/logr v1.4.2 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	golang.org/x/sys v0.21.0 // indirect
)
