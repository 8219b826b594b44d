"""The OTel SDK release a build links, matched to its OTel API release.

Each OTel Go release adds methods to the API's interfaces that only the SDK
of the same release implements, so an SDK older than the API stops the
build. The runtime's core requires the SDK at its floor (as low as works);
an application that imports a newer API, itself or through a library
(cloud clients, database drivers), would get the floor's SDK from MVS. So
once MVS has run, the SDK modules are required at the newest API release
the build selects.
"""

from __future__ import annotations

from rulec.ruledsl.versions import version_key

API_MODULES = ("go.opentelemetry.io/otel", "go.opentelemetry.io/otel/trace", "go.opentelemetry.io/otel/metric")
SDK = "go.opentelemetry.io/otel/sdk"
METRIC_SDK = "go.opentelemetry.io/otel/sdk/metric"

# The metric SDK was v0.x until v1.19.0: its release beside each earlier API
# release the runtime's floor allows.
_EARLY_METRIC_SDK = {"v1.16.0": "v0.39.0", "v1.17.0": "v0.40.0", "v1.18.0": "v0.41.0"}


def sdk_requirements(selected: dict[str, str]) -> dict[str, str]:
    """The SDK modules (module → version) that must be required higher for
    `selected`, a build list holding the runtime, to have one OTel release;
    empty when it already has."""
    release = max((selected[m] for m in (*API_MODULES, SDK) if m in selected), key=version_key, default=None)
    if release is None:
        return {}
    wanted = {SDK: release, METRIC_SDK: _EARLY_METRIC_SDK.get(release, release)}
    return {m: v for m, v in wanted.items() if m in selected and version_key(selected[m]) < version_key(v)}
