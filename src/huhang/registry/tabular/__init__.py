"""Move registry records in and out as spreadsheets: CSV and Excel (.xlsx) files.

- ``reading``: a file (path or upload) into rows, refusing what is not a readable CSV or XLSX file;
- ``columns``: each kind's columns, with Chinese and English headers; ``cells``: how each cell is read
  and written; ``lookups``: what an import looks up, loaded once per file;
- ``importing``: ``import_rows``, all or nothing, with a ``report`` of every bad row;
- ``exporting``: ``export_queryset``, XLSX or CSV, with resident ID numbers masked as the user must see them;
- ``patent_records``: load published patent records (JSONL) into the patent register;
- ``errors``: ``TabularError`` and its subclasses.
"""
