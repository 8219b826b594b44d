"""Which of the runtime's optional exporters a build links.

OTLP over HTTP/protobuf is always linked (rulec.dev/runtime/core). The
OTLP/gRPC exporter links gRPC and the Prometheus exporter the Prometheus
client: each is linked where the application already links that library at
a version the exporter's module needs no newer than (linking it never
raises the application's gRPC or Prometheus client), or where rulec.toml's
`[runtime] exporters` asks, and nowhere else: a binary grows by what it
uses. Without it, asking for it at run time (OTEL_EXPORTER_OTLP_PROTOCOL=grpc,
OTEL_METRICS_EXPORTER=prometheus) prints one line naming the setting, and
the binary exports over OTLP/HTTP.
"""

from __future__ import annotations

from collections.abc import Iterable

from rulec.compiler.gocommand import runtime_modules
from rulec.compiler.golist import Module
from rulec.ruledsl.model import RUNTIME_MODULE
from rulec.ruledsl.versions import VersionError, version_key

# rulec.toml name → (the runtime package that links it, a package whose presence in the app links it)
_EXPORTERS = {
    "otlp-grpc": (RUNTIME_MODULE + "/exporters/otlpgrpc", "google.golang.org/grpc"),
    "prometheus": (RUNTIME_MODULE + "/exporters/prometheus", "github.com/prometheus/client_golang/prometheus"),
}


def _raises(package: str, library: str, app_modules: dict[str, Module]) -> str | None:
    """Whether linking `package` would raise the application's own copy of
    its library (gRPC, the Prometheus client): "m vB (the application has vA)".
    Other modules it raises are reported as every raise is."""
    requires = runtime_modules.modules()[runtime_modules.module_of(package)].requires
    for path, version in requires.items():
        have = app_modules.get(path)
        if not library.startswith(path) or have is None or not have.version:
            continue
        try:
            if version_key(have.version) < version_key(version):
                return f"{path} {version} (the application has {have.version})"
        except VersionError:
            continue
    return None


def linked(apps_packages: Iterable[str], app_modules: dict[str, Module], asked: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """The exporter packages to link, each with why, and notes on those left
    out: those rulec.toml asks for, and those whose library the application's
    own packages (before the runtime joined) include, where that raises nothing."""
    present, wanted = set(apps_packages), set(asked)
    links: dict[str, str] = {}
    notes = []
    for name, (package, library) in sorted(_EXPORTERS.items()):
        if name in wanted:
            links[package] = _asked_why(name, library, library in present)
        elif library in present:
            raised = _raises(package, library, app_modules)
            if raised is None:
                links[package] = f"the {name} exporter: the application uses {library}"
            else:
                notes.append(
                    f"the {name} exporter is not linked: it needs {raised}; "
                    f'`exporters = ["{name}"]` under [runtime] in rulec.toml links it anyway'
                )
    return links, notes


def _asked_why(name: str, library: str, app_uses: bool) -> str:
    # Said outright where the exporter alone links its library: no plugin
    # then advises it, which would otherwise look like an omission.
    if app_uses:
        return f"the {name} exporter: rulec.toml asks for it"
    return f"the {name} exporter: rulec.toml asks for it; it links {library}, which the application does not use, so no plugin advises it"
