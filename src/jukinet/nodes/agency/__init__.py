"""The agency client's use cases: what an agency's own system does with the recipients' API."""
