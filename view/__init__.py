"""OTLP trace receiver: collect spans from instrumented services, show them as trees."""
