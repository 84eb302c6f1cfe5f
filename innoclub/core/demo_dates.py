"""Demo seeds insert rows in bulk and then give them dates in the past:
``auto_now_add`` fields cannot be given on insert."""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.db import connection
from django.db.models import DateTimeField, Model
from django.db.models.expressions import RawSQL

M = TypeVar("M", bound=Model)

DATE_BATCH = 300


def set_dates(model: type[M], field_name: str, rows: list[tuple[M, datetime.datetime]]) -> None:
    """Set one date column of saved rows in a few UPDATEs.

    ``bulk_update`` does the same, but building its CASE expression costs
    about a second per thousand rows; this CASE on the primary key with
    bound parameters is built at once. Also sets the attribute on each row.
    """
    date_field = model._meta.get_field(field_name)
    if not isinstance(date_field, DateTimeField):
        raise TypeError(f"{model.__name__}.{field_name} is not a date and time")
    pk_column = connection.ops.quote_name(str(model._meta.pk.column))
    for start in range(0, len(rows), DATE_BATCH):
        batch = rows[start : start + DATE_BATCH]
        params: list[object] = []
        for row, at in batch:
            setattr(row, field_name, at)
            params += [row.pk, date_field.get_db_prep_value(at, connection)]
        # Only placeholders go into the SQL text; every value is a bound parameter.
        case = f"CASE {pk_column} {'WHEN %s THEN %s ' * len(batch)}END"
        value = RawSQL(case, params, output_field=date_field)  # noqa: S611
        model._default_manager.filter(pk__in=[row.pk for row, _at in batch]).update(
            **{field_name: value}
        )
