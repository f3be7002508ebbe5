"""The 台账 (ledger) of findings as files: the columns and their cells in one place (ledger.py), written as CSV,
XLSX or GeoJSON by the module of each format, every one of them streamed row by row."""
