"""Message bodies, one module per conversation; ``protocol.catalogue`` lists them all."""
