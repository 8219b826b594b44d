package core

import (
	"testing"

	"go.opentelemetry.io/otel/attribute"
)

func TestResourceDefaultsAndEnv(t *testing.T) {
	t.Setenv("OTEL_SERVICE_NAME", "checkout")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=test,host.name=override")
	got := map[attribute.Key]string{}
	for _, kv := range newResource().Attributes() {
		got[kv.Key] = kv.Value.Emit()
	}
	for k, want := range map[attribute.Key]string{
		"service.name":           "checkout",
		"deployment.environment": "test",
		"host.name":              "override", // env beats detection
		"telemetry.distro.name":  "rulec",
		"telemetry.sdk.language": "go",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	if len(got["service.instance.id"]) != 36 {
		t.Errorf("service.instance.id = %q, want a UUID", got["service.instance.id"])
	}
	if got["process.pid"] == "" || got["process.runtime.name"] == "" {
		t.Errorf("process attributes missing: %v", got)
	}
}
