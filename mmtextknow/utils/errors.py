"""Errors raised for bad user input."""


class DataError(ValueError):
    """Bad input data (annotation file, image, mask, polygon).

    The message always starts with the offending file's path and says what is
    wrong with it, so that tools can print it as a one-line error instead of a
    traceback.
    """
