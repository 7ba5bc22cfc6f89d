"""Alembic's environment: the store hands over its connection (``store.migrate``); nothing is read from a file."""
from alembic import context

from datacentric.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
