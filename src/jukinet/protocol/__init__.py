"""The wire contract every node shares: envelopes, the message catalogue, canonical bytes."""
