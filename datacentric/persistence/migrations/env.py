"""Alembic's environment, in two ways: the app's store hands over its connection (``store.migrate``), or from the
command line (``alembic upgrade head``, alembic.ini at the top) it connects to the URL the app would use
(``store.configured_url``: $DCP_DATABASE_URL, then .streamlit/secrets.toml, then the SQLite file) and migrates under
the same locks as the app, so a server starting meanwhile waits for it."""

from alembic import context

from datacentric.persistence.schema import metadata


def run_migrations(connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite"
    )  # SQLite alters a table by copying it
    with context.begin_transaction():
        context.run_migrations()


def run_from_command_line() -> None:
    from logging.config import fileConfig

    from datacentric.persistence import store

    if context.config.config_file_name:  # alembic.ini's logging: each revision run is named
        fileConfig(context.config.config_file_name, disable_existing_loggers=False)
    engine = store.new_engine(store.configured_url())
    try:
        with store.migrating(engine) as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("The store's migrations run against a database: drop --sql.")
if context.config.attributes.get("connection") is not None:
    run_migrations(context.config.attributes["connection"])
else:
    run_from_command_line()
