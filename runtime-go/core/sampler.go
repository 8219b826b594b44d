package core

import (
	"strconv"
	"strings"
	"sync/atomic"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// liveSampler is the sampler OTEL_TRACES_SAMPLER names, whose ratio a live
// configuration can replace at once (and give back).
type liveSampler struct {
	base        sdktrace.Sampler
	parentBased bool // the configured sampler honours the parent's decision
	active      atomic.Pointer[sdktrace.Sampler]
}

func (s *liveSampler) ShouldSample(p sdktrace.SamplingParameters) sdktrace.SamplingResult {
	return (*s.active.Load()).ShouldSample(p)
}

func (s *liveSampler) Description() string { return (*s.active.Load()).Description() }

// setRatio makes the sampler sample ratio of new traces, keeping the
// parent-based part; nil restores the configured sampler.
func (s *liveSampler) setRatio(ratio *float64) {
	sampler := s.base
	if ratio != nil {
		sampler = sdktrace.TraceIDRatioBased(*ratio)
		if s.parentBased {
			sampler = sdktrace.ParentBased(sampler)
		}
	}
	s.active.Store(&sampler)
}

// newLiveSampler reads OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as
// the SDK would (the SDK stops reading them once a sampler is given to it).
func newLiveSampler(getenv func(string) string) *liveSampler {
	name := strings.ToLower(strings.TrimSpace(getenv("OTEL_TRACES_SAMPLER")))
	arg := strings.TrimSpace(getenv("OTEL_TRACES_SAMPLER_ARG"))
	s := &liveSampler{parentBased: true}
	switch name {
	case "always_on":
		s.base, s.parentBased = sdktrace.AlwaysSample(), false
	case "always_off":
		s.base, s.parentBased = sdktrace.NeverSample(), false
	case "traceidratio":
		s.base, s.parentBased = sdktrace.TraceIDRatioBased(samplerRatio(arg)), false
	case "parentbased_always_off":
		s.base = sdktrace.ParentBased(sdktrace.NeverSample())
	case "parentbased_traceidratio":
		s.base = sdktrace.ParentBased(sdktrace.TraceIDRatioBased(samplerRatio(arg)))
	default:
		if name != "" && name != "parentbased_always_on" {
			Logf("OTEL_TRACES_SAMPLER=%q is not supported; using parentbased_always_on", name)
		}
		s.base = sdktrace.ParentBased(sdktrace.AlwaysSample())
	}
	s.setRatio(nil)
	return s
}

// samplerRatio parses OTEL_TRACES_SAMPLER_ARG for the ratio samplers; the
// specification's default, and the fallback for a bad value, is 1.
func samplerRatio(arg string) float64 {
	if arg == "" {
		return 1
	}
	r, err := strconv.ParseFloat(arg, 64)
	if err != nil || r < 0 || r > 1 {
		Logf("OTEL_TRACES_SAMPLER_ARG=%q is not a ratio in [0, 1]; using 1", arg)
		return 1
	}
	return r
}
