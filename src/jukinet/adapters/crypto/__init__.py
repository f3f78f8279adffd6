"""The deployment PKI: the CA, node keys and certificates, signatures, the signed directory."""
