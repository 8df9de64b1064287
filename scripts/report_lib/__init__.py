"""Pieces of `accsim report` (scripts/report.py): loading results, drawing figures, writing documents."""
