"""`python -m contexta_cli …`: the same app as the `contexta` console script."""

from contexta_cli.main import app

if __name__ == "__main__":
    app(prog_name="contexta")
