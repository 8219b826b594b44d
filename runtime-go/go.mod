module rulec.dev/runtime

go 1.24

// The core of rulec's runtime, joined to every instrumented build: its
// requirements are kept as low as works, as MVS would force anything newer on
// users. OTel v1.16.0 (metric SDK v0.39.0, the first stable metric API) is
// the floor: the runtime names its attributes itself (semconv/), sets its
// histograms' buckets by a view (core/buckets.go) and drives its OTLP/HTTP
// exporter from a ManualReader (core/metricpush.go), so it compiles against
// every release from there to the newest; rulec requires the SDK at the
// release of the build's OTel API when that is newer
// (compiler/gocommand/otel_family.py). OTLP/HTTP is rulec's own encoding
// (core/otlpwire.go), so no gRPC or protobuf module is required. httpsnoop
// v1.0.3 already has Unwrap (for http.ResponseController) and the same Wrap
// as v1.0.4, which only changed CaptureMetrics, unused here. Plugins with a
// library of their own and the optional exporters are modules of their own
// (plugins/*/go.mod, exporters/*/go.mod), joined only to the builds that
// link them.

require (
	github.com/BurntSushi/toml v0.3.1
	github.com/felixge/httpsnoop v1.0.3
	go.opentelemetry.io/contrib/instrumentation/runtime v0.42.0
	go.opentelemetry.io/contrib/propagators/b3 v1.17.0
	go.opentelemetry.io/contrib/propagators/jaeger v1.17.0
	go.opentelemetry.io/otel v1.16.0
	go.opentelemetry.io/otel/metric v1.16.0
	go.opentelemetry.io/otel/sdk v1.16.0
	go.opentelemetry.io/otel/sdk/metric v0.39.0
	go.opentelemetry.io/otel/trace v1.16.0
)

require (
	github.com/go-logr/logr v1.2.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	golang.org/x/sys v0.8.0 // indirect
)
