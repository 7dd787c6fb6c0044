"""Asking, shared by every surface: from what a person typed to a result object.

Slack, the terminal and the digests all go through here, so a question means the same wherever
it is asked; surfaces only render what comes out.

* ``commands`` — the command grammar (``/contexta best f1 --stage evaluate``, ``digest subscribe …``).
* ``router`` — a free-text question (English or Korean) to an intent and what it mentions.
* ``requests`` — a parsed command or question to an ``Ask``, or a ``Clarify`` ("which project?").
* ``answers`` — an ``Ask`` to its result (``BestAnswer``, ``TrendAnswer``…), and the files that go with it.
* ``scope`` and ``paging`` — which project is meant; which rows a page of an answer holds.

The language rule is ``contexta_core.language``; the direction rule ``contexta_core.direction``.
"""
