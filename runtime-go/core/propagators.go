package core

import (
	"strings"

	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/contrib/propagators/jaeger"
	"go.opentelemetry.io/otel/propagation"
)

// propagatorsFromEnv builds the propagators OTEL_PROPAGATORS names
// (default "tracecontext,baggage"). Extraction tries each in turn, so any
// configured format continues a trace; injection writes every one of them.
func propagatorsFromEnv(getenv func(string) string) propagation.TextMapPropagator {
	names := getenv("OTEL_PROPAGATORS")
	if strings.TrimSpace(names) == "" {
		names = "tracecontext,baggage"
	}
	var list []propagation.TextMapPropagator
	for _, name := range strings.Split(names, ",") {
		switch name = strings.ToLower(strings.TrimSpace(name)); name {
		case "tracecontext":
			list = append(list, propagation.TraceContext{})
		case "baggage":
			list = append(list, propagation.Baggage{})
		case "b3":
			list = append(list, b3.New(b3.WithInjectEncoding(b3.B3SingleHeader)))
		case "b3multi":
			list = append(list, b3.New(b3.WithInjectEncoding(b3.B3MultipleHeader)))
		case "jaeger":
			list = append(list, jaeger.Jaeger{})
		case "eagleeye":
			list = append(list, EagleEye{})
		case "none", "":
		default:
			Logf("OTEL_PROPAGATORS: unknown propagator %q ignored (known: tracecontext, baggage, b3, b3multi, jaeger, eagleeye, none)", name)
		}
	}
	return propagation.NewCompositeTextMapPropagator(list...)
}
