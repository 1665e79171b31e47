"""pronouns stored as aliases go: a sentence-initial "He said" named no one, yet a people search
for "he" found everyone so quoted

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 15:15:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PRONOUNS = ("he", "she", "they", "i", "we", "it", "you", "who", "which")


def upgrade() -> None:
    """Apply this revision: delete the aliases that are only a pronoun."""
    listed = ", ".join(f"'{pronoun}'" for pronoun in PRONOUNS)
    op.execute(f"DELETE FROM person_aliases WHERE lower(alias) IN ({listed})")


def downgrade() -> None:
    """Nothing to restore: the deleted aliases named no one."""
