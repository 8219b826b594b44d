module rulec.dev/runtime/plugins/httprouter

go 1.24

require (
	github.com/julienschmidt/httprouter v1.2.0
	rulec.dev/runtime v0.0.0
)

require (
	github.com/BurntSushi/toml v0.3.1 // indirect
	github.com/felixge/httpsnoop v1.0.3 // indirect
	github.com/go-logr/logr v1.2.4 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	go.opentelemetry.io/contrib/instrumentation/runtime v0.42.0 // indirect
	go.opentelemetry.io/contrib/propagators/b3 v1.17.0 // indirect
	go.opentelemetry.io/contrib/propagators/jaeger v1.17.0 // indirect
	go.opentelemetry.io/otel v1.16.0 // indirect
	go.opentelemetry.io/otel/metric v1.16.0 // indirect
	go.opentelemetry.io/otel/sdk v1.16.0 // indirect
	go.opentelemetry.io/otel/sdk/metric v0.39.0 // indirect
	go.opentelemetry.io/otel/trace v1.16.0 // indirect
	golang.org/x/sys v0.8.0 // indirect
)

// rulec replaces the runtime with its directory in every build; this is for
// working on the runtime itself.
replace rulec.dev/runtime => ../..
