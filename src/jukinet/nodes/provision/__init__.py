"""Provision of identity information to the recipients the law names (national and
prefecture nodes): immediate answers, batches, the provision log and what it feeds."""
