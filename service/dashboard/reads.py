"""The one batched read the dashboard needs that the repositories lack (move to `store/`).

`people.roles_of` answers for one person; the people table needs the latest role of up to 200
people, and 200 single reads cost ~100 ms on PostgreSQL. This is the same ordering as
`roles_of` in one query. It belongs in `store/repositories/people.py` (not edited here because
that file was being changed concurrently).
"""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import PersonRole


def latest_roles(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    """Each person's most recently seen role as written (ties: first recorded), by person id."""
    if not person_ids:
        return {}
    rank = func.row_number().over(
        partition_by=PersonRole.person_id,
        order_by=(PersonRole.last_seen.desc(), PersonRole.id),
    )
    ranked = (
        select(PersonRole.person_id, PersonRole.role, rank.label("rank"))
        .where(PersonRole.person_id.in_(sorted(set(person_ids))))
        .subquery()
    )
    rows = session.execute(select(ranked.c.person_id, ranked.c.role).where(ranked.c.rank == 1))
    return dict(rows.tuples().all())
