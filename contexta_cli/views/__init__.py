"""Rich renderings of the core's result objects: pure functions, no database, no Typer.

User data (project, run and deployment names) always goes in as ``Text``, never as markup, so a
name like ``exp[1]`` prints as written.
"""
