"""Payments outside a device's communes: which communes each device served from when, and the other communes whose
officers see a flag.

Revision ID: 0006
Revises: 0005

Each device enrolled before this gets one assignment, its communes of today, from its enrolment.
"""

import sqlalchemy as sa
from alembic import op

from server import schema

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    schema.device_assignments.create(bind)
    schema.flag_communes.create(bind)
    devices = schema.devices.c
    rows = [{"device_id": device_id, "communes": communes, "from_at": enrolled_at}
            for device_id, communes, enrolled_at in bind.execute(
                sa.select(devices.device_id, devices.communes, devices.enrolled_at))]
    if rows:
        bind.execute(schema.device_assignments.insert(), rows)
