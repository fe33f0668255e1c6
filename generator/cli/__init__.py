"""The command line: ``main`` parses and dispatches (build, check; the other commands register from their own packages), ``progress`` draws the progress line."""
