"""The command-line layer: parses arguments, calls the core, renders the result."""
