"""How nodes reach each other: HTTP over mutually authenticated TLS."""
