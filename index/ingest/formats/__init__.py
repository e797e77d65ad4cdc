"""One module per file format, each turning bytes into plain plan text.

`index.ingest.read` is the public entry point: it checks the name and the content and picks
the reader here. These modules assume their input already passed those checks.
"""
