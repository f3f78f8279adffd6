"""The HTTP edge: the node-to-node API, the municipal clerk API and their error table."""
