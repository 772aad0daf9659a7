"""Lookups the API repeats on every request, with their SQL compiled once.

Django's ORM compiles a query's SQL anew each time it runs: for the lookups of every API request (the API
token with its user) and of each evidence submission (the holder by identifier) that took longer than the
database took to answer. A :class:`RowLookup` builds the same SELECT once and converts what comes back as
the ORM would (the backend's and each field's converters, then ``Model.from_db``), so a lookup still reads
the current rows: a revoked token, a deactivated user or a renamed holder is seen at once.
"""

from __future__ import annotations

from django.db import connections, models, router


class RowLookup:
    """Rows of ``model`` (and of the model its foreign key ``related`` names) whose ``by`` column equals a
    value; the first by primary key, as ``.filter(by=value).select_related(related).order_by("pk").first()``
    (with ``only``: ``.only(*only)`` too)."""

    MANY = 500  # values per query of get_many: far below every backend's limit of parameters

    def __init__(
        self,
        model: type[models.Model],
        *,
        by: str,
        related: str | None = None,
        only: tuple[str, ...] | None = None,
    ):
        self.model = model
        self.alias = router.db_for_read(model)
        meta = model._meta
        # ``only``: these fields (and the primary key) are read, the others deferred, as ``.only(...)`` does.
        wanted = None if only is None else {meta.pk.name, by, *only}
        self.fields = [f for f in meta.concrete_fields if wanted is None or f.name in wanted]
        self.related = meta.get_field(related) if related else None
        self.related_fields = list(self.related.related_model._meta.concrete_fields) if self.related else []
        self.by = meta.get_field(by)
        self._sql: str | None = None
        self._where = self._order = ""
        self._converters: list | None = None

    def _prepare(self, connection) -> None:
        quote = connection.ops.quote_name
        meta = self.model._meta
        columns = [f"t.{quote(f.column)}" for f in self.fields] + [f"r.{quote(f.column)}" for f in self.related_fields]
        sql = f"SELECT {', '.join(columns)} FROM {quote(meta.db_table)} t"  # noqa: S608 - names from the models
        if self.related is not None:
            other = self.related.related_model._meta
            target = quote(self.related.target_field.column)
            sql += f" INNER JOIN {quote(other.db_table)} r ON r.{target} = t.{quote(self.related.column)}"
        self._where = f"{sql} WHERE t.{quote(self.by.column)}"
        self._order = f"ORDER BY t.{quote(meta.pk.column)} ASC"
        sql = f"{self._where} = %s {self._order} LIMIT 1"
        expressions = [f.get_col("t") for f in self.fields] + [f.get_col("r") for f in self.related_fields]
        self._converters = [
            (expression, connection.ops.get_db_converters(expression) + expression.get_db_converters(connection))
            for expression in expressions
        ]
        self._sql = sql

    def get(self, value) -> models.Model | None:
        connection = connections[self.alias]
        if self._sql is None:
            self._prepare(connection)
        param = self.by.get_db_prep_value(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(self._sql, [param])
            row = cursor.fetchone()
        return None if row is None else self._instance(row, connection)

    def get_many(self, values) -> dict:
        """``{value: get(value)}`` for each of ``values`` that has a row, read with one query per ``MANY`` values.

        The keys are the rows' own values of the ``by`` field (for text, exactly the values asked for).
        """
        connection = connections[self.alias]
        if self._sql is None:
            self._prepare(connection)
        found: dict = {}
        values = list(dict.fromkeys(values))
        for start in range(0, len(values), self.MANY):
            chunk = values[start : start + self.MANY]
            params = [self.by.get_db_prep_value(value, connection) for value in chunk]
            sql = f"{self._where} IN ({', '.join(['%s'] * len(params))}) {self._order}"
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            for row in rows:
                instance = self._instance(row, connection)
                found.setdefault(getattr(instance, self.by.attname), instance)  # rows come by primary key
        return found

    def _instance(self, row, connection) -> models.Model:
        values = []
        for raw, (expression, converters) in zip(row, self._converters, strict=True):
            for converter in converters:
                raw = converter(raw, expression, connection)
            values.append(raw)
        count = len(self.fields)
        instance = self.model.from_db(self.alias, [f.attname for f in self.fields], values[:count])
        if self.related is not None:
            other = self.related.related_model.from_db(
                self.alias, [f.attname for f in self.related_fields], values[count:]
            )
            self.related.set_cached_value(instance, other)
        return instance
