"""Data protection: deleting leads and conversations after the retention period
(``bot leads purge``) and everything about one person on request (``bot leads forget``)."""
