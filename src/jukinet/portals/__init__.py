"""Apps that stand outside the network and reach it as its recipients do (ADR 0021): the
resident portal and the agency portal. Each holds a registered recipient's credentials and
calls the nodes with signed requests; the network gains no new kind of trust."""
