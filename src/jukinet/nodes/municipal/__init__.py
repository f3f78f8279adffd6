"""The municipality node: the resident register (既存住基) and its Communication Server (CS)."""
