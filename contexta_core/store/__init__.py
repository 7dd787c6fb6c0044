"""Persistence: the schema (tables and indexes), engine, Alembic migrations and repositories.

Everything that knows a table's layout starts here. The query modules (``queries``, ``digests``,
``capture``) build SQLAlchemy Core statements over ``schema``'s tables; SQL text and the
statements SQLite and PostgreSQL spell differently (upserts, advisory locks) live here (``engine``,
``sql``). The one dialect branch outside is the trend query's timestamp expression.
"""
