"""``python -m patentq.cli`` runs the command line."""

from . import main

main()
