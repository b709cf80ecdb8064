"""The curriculum's stages, loaded from workshop/curriculum/stages.py."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workshop.extensions import db


class Stage(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(unique=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    focus: Mapped[str] = mapped_column(Text)
