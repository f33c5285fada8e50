"""``python -m track287g`` runs the command line."""

from track287g.cli import main

main()
