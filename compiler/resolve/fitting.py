"""Signature fitting: how a rule's hooks are called on the function it advises.

A hook fits a join point when (see docs/design.md, "Hook ABI"):
  before: [receiver,] params...  each the target's type T or *T; returns
          nothing or one value (the state)
  after:  [state,] results... [, panic any]   each T or *T; a last `any`
          beyond the results receives the panic in flight (then re-panicked)
"""

from __future__ import annotations

from rulec.compiler import gosource
from rulec.compiler.golist import Package
from rulec.compiler.plan import PANIC, CallSite
from rulec.compiler.resolve.advice import Advice, Hook
from rulec.compiler.resolve.spans import span_hooks
from rulec.ruledsl.diagnostics import Diagnostic
from rulec.ruledsl.model import Rule


def _fit(hook_params: tuple[gosource.Param, ...], target: list[tuple[str, gosource.Param]]) -> tuple[str, ...] | str:
    """Argument specs for passing `target` (spec, param) to `hook_params`, or why not."""
    if len(hook_params) != len(target):
        return f"takes {len(hook_params)} parameters where {len(target)} are expected"
    args = []
    for hp, (spec, tp) in zip(hook_params, target, strict=True):
        want = "[]" + tp.canonical if tp.variadic else tp.canonical
        # `any` takes any parameter by value: the way to receive one whose
        # type the hook cannot name (database/sql's *driverConn).
        if hp.canonical == want or (hp.canonical == "any" and not tp.variadic):
            args.append(spec)
        elif hp.canonical == "*" + want:
            args.append("&" + spec)
        else:
            return f"parameter {hp.name or '?'} has type {hp.type}; it must be the target's type, a pointer to it, or any ({tp.type})"
    return tuple(args)


def fit_hooks(
    rule: Rule, decl: gosource.FuncDecl, before: gosource.FuncDecl | None, after: gosource.FuncDecl | None
) -> tuple[tuple[str, ...], tuple[str, ...], bool] | Diagnostic:
    """How the rule's hooks are called on `decl`, or a diagnostic why they cannot be."""
    before_args: tuple[str, ...] = ()
    state = False
    if before is not None:
        params = [(f"p{i}", p) for i, p in enumerate(decl.params)]
        with_recv = [("recv", decl.recv), *params] if decl.recv is not None else params
        fitted = _fit(before.params, params)
        if isinstance(fitted, str) and len(before.params) == len(with_recv) and decl.recv is not None:
            fitted = _fit(before.params, with_recv)
        if isinstance(fitted, str):
            return Diagnostic(
                rule.before.pos, "hook-signature", f"before hook {rule.before} does not fit {rule.joinpoint.target}: {fitted}"
            )
        if len(before.results) > 1:
            return Diagnostic(rule.before.pos, "hook-signature", f"before hook {rule.before} returns more than one value")
        before_args = fitted
        state = len(before.results) == 1
    after_args: tuple[str, ...] = ()
    if after is not None:
        results = [(f"r{i}", r) for i, r in enumerate(decl.results)]
        hook_params = after.params
        if state:
            if not hook_params or hook_params[0].canonical != before.results[0].canonical:
                return Diagnostic(
                    rule.after.pos,
                    "hook-signature",
                    f"after hook {rule.after} must take the before hook's result ({before.results[0].type}) first",
                )
            hook_params = hook_params[1:]
        # One more trailing `any` than results: the hook wants the panic in flight.
        wants_panic = len(hook_params) == len(results) + 1 and hook_params[-1].canonical == "any"
        fitted = _fit(hook_params[:-1] if wants_panic else hook_params, results)
        if isinstance(fitted, str):
            return Diagnostic(
                rule.after.pos, "hook-signature", f"after hook {rule.after} does not fit the results of {rule.joinpoint.target}: {fitted}"
            )
        if after.results:
            return Diagnostic(rule.after.pos, "hook-signature", f"after hook {rule.after} must not return values")
        if wants_panic:
            fitted = (*fitted, PANIC)
        after_args = fitted
    return before_args, after_args, state


def _renderable(advice_hooks: list[Hook | None], pkg: Package) -> str | None:
    """Why the hooks' types cannot be written inside `pkg`, if they cannot."""
    allowed = set(pkg.imports) | {pkg.path}
    for hook in advice_hooks:
        if hook is None:
            continue
        for p in (*hook.decl.params, *hook.decl.results):
            missing = gosource.packages_in(p.canonical) - allowed
            if missing:
                return f"hook {hook.ref} uses type {p.type} from {', '.join(sorted(missing))}, which {pkg.path} does not import"
    return None


def fitted_advice(
    rule: Rule,
    pkg: Package,
    file: str,
    decl: gosource.FuncDecl,
    before: Hook | None,
    after: Hook | None,
    diags: list[Diagnostic],
    site: CallSite | None = None,
    site_files: tuple[str, ...] = (),
) -> Advice | None:
    """The rule's advice on `decl` in `pkg` (its hooks, or its declarative
    span), or None with the reason in `diags`."""
    if rule.span is not None:
        spanned = span_hooks(rule, decl)
        if isinstance(spanned, list):
            diags.extend(spanned)
            return None
        before, after, before_args, after_args, values = spanned
        return Advice(rule, pkg.path, pkg.name, file, decl, before, after, before_args, after_args, True, values, site, site_files)
    fitted = fit_hooks(rule, decl, before.decl if before else None, after.decl if after else None)
    if isinstance(fitted, Diagnostic):
        diags.append(fitted)
        return None
    why = _renderable([before, after], pkg)
    if why:
        diags.append(Diagnostic(rule.joinpoint.pos, "hook-signature", why))
        return None
    before_args, after_args, state = fitted
    return Advice(rule, pkg.path, pkg.name, file, decl, before, after, before_args, after_args, state, None, site, site_files)
