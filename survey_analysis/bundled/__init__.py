"""Bundled data: the published figures of the first case, its item catalogue, the
SYNTHETIC demo responses with the code that generates them, and accessors for the real
data shipped in ``data/`` (NHS Friends and Family Test respondents, ``fft_responses_path``).
"""
