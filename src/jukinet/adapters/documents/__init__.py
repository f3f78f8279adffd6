"""Printed documents: the published reports as PDF, set in a Japanese Mincho face."""
