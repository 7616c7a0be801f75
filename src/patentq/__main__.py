"""``python -m patentq`` runs the command line."""

from .cli import main

main()
