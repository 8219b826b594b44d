"""Helpers the end-to-end tests share: Go modules in temp dirs, processes, HTTP."""
