"""Files the explorer writes and reads: atomic writes and the session document (no Qt)."""
