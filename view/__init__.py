"""OTLP receiver: collect spans and metrics from instrumented services, show spans as trees."""
