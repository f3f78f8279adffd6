"""Residents' rights at a providing node (national or prefecture): disclosure of one's own
identity information, correction requests, complaints, and the yearly disclosure table."""
