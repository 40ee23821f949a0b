# The C extension built from agents/alert/wordkernel.c (setup.py); absent in a plain-Python
# install, where query.words tokenizes in Python.

def words(text: str) -> list[str]: ...
