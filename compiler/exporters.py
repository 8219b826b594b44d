"""Which of the runtime's optional exporters a build links.

OTLP over HTTP/protobuf is always linked (rulec.dev/runtime/core). The
OTLP/gRPC exporter links gRPC and the Prometheus exporter the Prometheus
client: each is linked where the application already links that library,
or where rulec.toml's `[runtime] exporters` asks, and nowhere else, so a
binary grows by what it uses. Without it, asking for it at run time
(OTEL_EXPORTER_OTLP_PROTOCOL=grpc, OTEL_METRICS_EXPORTER=prometheus) prints
one line naming the setting, and the binary exports over OTLP/HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable

from ruledsl.model import RUNTIME_MODULE

# rulec.toml name → (the runtime package that links it, a package whose presence in the app links it)
_EXPORTERS = {
    "otlp-grpc": (RUNTIME_MODULE + "/exporters/otlpgrpc", "google.golang.org/grpc"),
    "prometheus": (RUNTIME_MODULE + "/exporters/prometheus", "github.com/prometheus/client_golang/prometheus"),
}


def linked(apps_packages: Iterable[str], asked: Iterable[str]) -> list[str]:
    """The exporter packages to link: those rulec.toml asks for, and those
    whose library the application's own packages (before the runtime joined) include."""
    present = set(apps_packages)
    wanted = set(asked)
    return sorted(pkg for name, (pkg, library) in _EXPORTERS.items() if name in wanted or library in present)
