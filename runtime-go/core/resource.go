package core

import (
	"context"
	"crypto/rand"
	"fmt"

	"go.opentelemetry.io/otel/sdk/resource"
	"rulec.dev/runtime/semconv"
)

// newResource describes this process. Only cheap, local detectors are used:
// init must not block (no process.owner lookup, no cloud metadata calls).
// Environment variables are applied last so they override the defaults.
func newResource() *resource.Resource {
	// No schema URL of rulec's own: the SDK's detectors carry their release's,
	// which a newer SDK in the application's graph makes newer than v1.26,
	// and two different ones cannot be merged.
	res, err := resource.New(context.Background(),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithOSType(),
		resource.WithProcessPID(),
		resource.WithProcessExecutableName(),
		resource.WithProcessRuntimeName(),
		resource.WithProcessRuntimeVersion(),
		resource.WithAttributes(
			// One id per process run: what an APM's instance view groups by.
			semconv.ServiceInstanceID(randomUUID()),
			semconv.TelemetryDistroName("rulec"),
			semconv.TelemetryDistroVersion(Version),
		),
		resource.WithFromEnv(),
	)
	if err != nil {
		// res still holds everything that was detected.
		Logf("resource: %v", err)
	}
	// Default supplies service.name=unknown_service:<exe> when none is set.
	merged, err := resource.Merge(resource.Default(), res)
	if err != nil {
		return res
	}
	return merged
}

// randomUUID is a version 4 UUID, as service.instance.id asks for.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand panics rather than return short
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
