"""Data in and out: imports (HR, CMMS, LMS), exports, backup and restore, privacy (AVG).

One module per job: ``readers`` turn a file into rows, ``mapping`` turns
headers into fields, ``values`` parses cells, ``importers`` upsert one kind
set-based, ``report`` describes the outcome, ``exports`` writes lists as
CSV/XLSX, ``backup`` dumps and restores a whole instance, ``privacy`` exports
and anonymises a person. ``api`` and ``cli`` are the thin doors.
"""
