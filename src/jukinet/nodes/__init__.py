"""Use cases, one package per node role. They see the domain, the protocol and the ports only."""
