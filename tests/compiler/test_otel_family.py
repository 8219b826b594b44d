"""The SDK release a build links follows the newest OTel API release it selects."""

from __future__ import annotations

import pytest

from rulec.compiler.gocommand.otel_family import METRIC_SDK, SDK, sdk_requirements

FLOOR = {"go.opentelemetry.io/otel": "v1.16.0", "go.opentelemetry.io/otel/trace": "v1.16.0", SDK: "v1.16.0", METRIC_SDK: "v0.39.0"}


@pytest.mark.parametrize(
    ("selected", "required"),
    [
        (FLOOR, {}),  # nothing newer than the runtime's floor: nothing to add
        ({**FLOOR, "go.opentelemetry.io/otel": "v1.40.0"}, {SDK: "v1.40.0", METRIC_SDK: "v1.40.0"}),
        ({**FLOOR, "go.opentelemetry.io/otel/metric": "v1.17.0"}, {SDK: "v1.17.0", METRIC_SDK: "v0.40.0"}),  # metric SDK still v0.x
        ({**FLOOR, "go.opentelemetry.io/otel": "v1.40.0", SDK: "v1.40.0", METRIC_SDK: "v1.40.0"}, {}),  # the app's own SDK, aligned
        ({**FLOOR, "go.opentelemetry.io/otel": "v1.40.0", SDK: "v1.40.0"}, {METRIC_SDK: "v1.40.0"}),  # only the metric SDK behind
        ({"golang.org/x/sys": "v0.10.0"}, {}),  # no OTel at all
    ],
)
def test_sdk_follows_the_newest_api_release(selected: dict[str, str], required: dict[str, str]) -> None:
    assert sdk_requirements(selected) == required
