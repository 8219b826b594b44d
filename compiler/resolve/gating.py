"""Version gating: whether a plugin applies to this build at all."""

from __future__ import annotations

from rulec.compiler.golist import Module
from rulec.ruledsl.versions import VersionError, VersionRange


def inactive_reason(
    plugin_module: str | None, versions: VersionRange, go_version: str, modules: dict[str, Module]
) -> tuple[str, bool, bool] | None:
    """Why the plugin does not apply to this build, whether that is its
    version, and whether it is that its library is not in the build."""
    if plugin_module is None:
        try:
            ok = versions.contains(go_version)
        except VersionError:
            ok = False
        return None if ok else (f"Go {go_version} is outside {versions}", True, False)
    module = modules.get(plugin_module)
    if module is None:
        return f"module {plugin_module} is not in the build", False, True
    if module.replaced_by_dir or not module.version:
        return None  # a local replacement has no version; its source decides
    try:
        return None if versions.contains(module.version) else (f"{plugin_module} {module.version} is outside {versions}", True, False)
    except VersionError:
        return f"{plugin_module} has version {module.version}, which rulec cannot compare", True, False
