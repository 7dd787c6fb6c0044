"""The `contexta` terminal client: the onboarding answers and the plain queries, for people and scripts.

It lives outside ``contexta_core`` so the core never depends on Typer or Rich; it only asks the
``Contexta`` facade and renders the result objects it gets back.
"""
