// Package core is the telemetry runtime shared by every rulec plugin.
//
// It configures the OpenTelemetry SDK from the standard OTEL_* environment
// variables at init (without touching the network), installs it as the global
// TracerProvider and propagator, and offers the span helpers plugins use so
// that span, error and suppression handling live in one place.
//
// Exported functions named *Before / *After, HookPanicked, MainReturn and
// ExitBefore are reached from rewritten packages via //go:linkname: their
// signatures are an ABI contract with the rulec compiler.
package core

// Version is reported as telemetry.distro.version and as the tracer's
// instrumentation scope version.
const Version = "0.1.0"

// ScopeName is the instrumentation scope of every span rulec creates.
const ScopeName = "rulec.dev/runtime"
