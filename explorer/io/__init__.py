"""Files the explorer writes and reads (no Qt): atomic writes, reads bounded to regular files
(``bounded``), ``.npz`` archives checked header first (``npz``), the session document."""
