"""Adapters: the technology behind the ports (storage, cryptography, the network)."""
