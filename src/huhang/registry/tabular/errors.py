"""Why a file could not be read or imported.

Every error of the package derives from :class:`TabularError`, so a caller can catch them all::

    TabularError
    ├── FileTooLarge          over settings.HUHANG_IMPORT_MAX_BYTES
    ├── EmptyFile             no bytes, or no data rows under the header
    ├── UnsupportedFile       not a CSV or XLSX file, whatever its name says
    ├── DamagedFile           an XLSX (ZIP) file that cannot be opened or read to the end
    ├── UndecodableText       a CSV file in neither UTF-8 nor GBK/GB18030
    ├── HeaderError           no header row; unknown, duplicate or missing columns
    ├── UnknownKind           no such kind of record
    ├── CellError             one cell cannot be read (collected into the report, never raised out)
    └── ImportRejected        some rows are bad; carries the ImportReport, nothing was written

The message of each error is in the active language and names the problem precisely.
"""


class TabularError(Exception):
    """A file could not be read, or its rows could not be imported; nothing was written."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class FileTooLarge(TabularError):
    pass


class EmptyFile(TabularError):
    pass


class UnsupportedFile(TabularError):
    pass


class DamagedFile(TabularError):
    pass


class UndecodableText(TabularError):
    pass


class HeaderError(TabularError):
    pass


class UnknownKind(TabularError):
    pass


class CellError(TabularError):
    pass


class ImportRejected(TabularError):
    """Some rows are bad: ``report`` lists every one (row, column, reason); nothing was written."""

    def __init__(self, message: str, *, report) -> None:
        super().__init__(message)
        self.report = report
