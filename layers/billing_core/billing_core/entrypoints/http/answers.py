"""The one way an answer shows a domain object under the object's own attribute names:
read through pydantic's ``from_attributes``, not copied field by field."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict


class AttributesOut(BaseModel):
    """An answer whose every field is the same-named attribute of one domain object (a
    tuple becomes a list, an enum its value)."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, value: object) -> Self:
        return cls.model_validate(value)
