"""The .gorule language: grammar (gorule.tx), parser, model and checks.

Input: .gorule files. Output: `ruledsl.model.Plugin` values (plain data with
positions copied out of textX) and `Diagnostic`s. Nothing here looks at Go
code or the build; that is the compiler's job.
"""
