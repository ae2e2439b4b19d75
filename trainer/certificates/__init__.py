"""Certificates of a passed module run, their PDF and /verify/."""
