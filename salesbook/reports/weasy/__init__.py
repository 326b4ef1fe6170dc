"""Where salesbook reaches into WeasyPrint, pydyf and CPython for speed: see README.md beside this file."""
