"""Bundled data: the published figures of the first case, its item catalogue, and the
SYNTHETIC demo responses with the code that generates them.
"""
