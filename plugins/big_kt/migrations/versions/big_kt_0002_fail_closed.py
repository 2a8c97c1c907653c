"""big_kt: structured recognition of a foreign diploma; dated sub-domain links

Besluit klinisch technoloog, art. 7: a foreign diploma needs the CBGV's decision,
now an outcome (recognised / conditions_not_met / refused) with its date instead
of free text. Existing free text is kept as a note; only an unambiguous text
(the outcome's own word, or "erkend"/"recognized") is carried over, with the
registration date as the decision date. Anything else stays without an outcome,
which counts as *not recognised*, and is listed in the migration log so that
someone records the decision.

Sub-domain links get ``valid_from``/``valid_to``. When a link was made was not
recorded before; existing links start on 1 July 2020, the day the profession
(and so the sub-domain rule of art. 5) came into force, so earlier answers
stay as they were.

Revision ID: big_kt_0002
Revises: big_kt_0001
Create Date: 2026-11-30
"""
import logging

from alembic import op
import sqlalchemy as sa

revision = "big_kt_0002"
down_revision = "big_kt_0001"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

OUTCOME_CHECK = "recognition_outcome IN ('recognised', 'conditions_not_met', 'refused')"
KNOWN = {"recognised": "recognised", "recognized": "recognised", "erkend": "recognised",
         "conditions_not_met": "conditions_not_met", "refused": "refused", "geweigerd": "refused",
         "afgewezen": "refused"}


def _outcome(text):
    """Only a text that is nothing but a known word maps; anything else is unknown."""
    word = (text or "").strip().strip(".").lower()
    return KNOWN.get(word)


def upgrade():
    with op.batch_alter_table("big_kt_registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recognition_outcome", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("recognition_decided_on", sa.Date(), nullable=True))
        batch_op.create_check_constraint(batch_op.f("ck_big_kt_registration_recognition_outcome"), OUTCOME_CHECK)

    bind = op.get_bind()
    registration = sa.table("big_kt_registration", sa.column("id", sa.Integer), sa.column("staff_id", sa.Integer),
                            sa.column("foreign_diploma", sa.Boolean), sa.column("registered_on", sa.Date),
                            sa.column("recognition_decision", sa.String),
                            sa.column("recognition_outcome", sa.String),
                            sa.column("recognition_decided_on", sa.Date))
    unknown = []
    for row in bind.execute(sa.select(registration.c.id, registration.c.staff_id, registration.c.registered_on,
                                      registration.c.recognition_decision)
                            .where(registration.c.foreign_diploma.is_(True))).all():
        outcome = _outcome(row.recognition_decision)
        if outcome is None:
            unknown.append(row.staff_id)
            continue
        bind.execute(registration.update().where(registration.c.id == row.id).values(
            recognition_outcome=outcome, recognition_decided_on=row.registered_on))
    if unknown:
        log.warning("big_kt_0002: foreign diploma without a recognisable decision, counted as NOT recognised "
                    "until the outcome is recorded: staff %s", ", ".join(str(s) for s in sorted(unknown)))

    with op.batch_alter_table("big_kt_staff_subdomain", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_from", sa.Date(), server_default="2020-07-01", nullable=False))
        batch_op.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
        batch_op.drop_constraint("uq_big_kt_staff_subdomain_staff_id_subdomain_id", type_="unique")
        batch_op.create_check_constraint(batch_op.f("ck_big_kt_staff_subdomain_valid_period"),
                                         "valid_to IS NULL OR valid_to >= valid_from")
        batch_op.create_index("ix_big_kt_staff_subdomain_staff", ["staff_id", "subdomain_id"], unique=False)
    with op.batch_alter_table("big_kt_staff_subdomain", schema=None) as batch_op:
        batch_op.alter_column("valid_from", server_default=None)


def downgrade():
    # Ended links and links added again would break the old unique pair: keep
    # the latest link of each pair.
    bind = op.get_bind()
    bind.execute(sa.text(
        "DELETE FROM big_kt_staff_subdomain WHERE id NOT IN "
        "(SELECT max(id) FROM big_kt_staff_subdomain GROUP BY staff_id, subdomain_id)"))
    with op.batch_alter_table("big_kt_staff_subdomain", schema=None) as batch_op:
        batch_op.drop_index("ix_big_kt_staff_subdomain_staff")
        batch_op.drop_constraint(batch_op.f("ck_big_kt_staff_subdomain_valid_period"), type_="check")
        batch_op.create_unique_constraint("uq_big_kt_staff_subdomain_staff_id_subdomain_id",
                                          ["staff_id", "subdomain_id"])
        batch_op.drop_column("valid_to")
        batch_op.drop_column("valid_from")
    with op.batch_alter_table("big_kt_registration", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_big_kt_registration_recognition_outcome"), type_="check")
        batch_op.drop_column("recognition_decided_on")
        batch_op.drop_column("recognition_outcome")
