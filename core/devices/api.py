"""REST resources /technology-groups (read-only), /device-types and /devices."""
from flask_smorest import Blueprint
from sqlalchemy import or_, select

from core import crud
from core.auth.permissions import HOSPITAL_WIDE_WRITERS, managed_departments
from core.devices.models import Device, DeviceType, TechnologyGroup
from core.devices.schemas import (
    DeviceFilters, DeviceSchema, DeviceTypeFilters, DeviceTypeSchema, TechnologyGroupSchema,
)
from core.devices.services import check_lifecycle
from core.staff.models import Department

blp = Blueprint("devices", __name__, url_prefix="/api/v1", description="Technology groups, device types and devices")


def _may_write_device(user, device) -> bool:
    # The MT department keeps every device; a department manager their own department's.
    return user.role in HOSPITAL_WIDE_WRITERS or (user.role == "manager" and device.department_id in managed_departments(user))


def _device_scope(user):
    """A manager sees the devices of their department tree; other roles see all (README, Using the API: roles)."""
    if user.role == "manager":
        return Device.department_id.in_(managed_departments(user))
    return None


crud.register(blp, crud.Resource(
    name="technology-group", path="/technology-groups", model=TechnologyGroup,
    schema=TechnologyGroupSchema, read_only=True, order_by=TechnologyGroup.code,
))

DEVICE_TYPES = crud.Resource(
    name="device-type", path="/device-types", model=DeviceType,
    schema=DeviceTypeSchema, filter_schema=DeviceTypeFilters,
    write_roles=HOSPITAL_WIDE_WRITERS,
    unique=[("manufacturer", "model")],
    references={"technology_group_id": TechnologyGroup},
    before_save=check_lifecycle,
    filter_clauses={"q": lambda q: or_(
        DeviceType.manufacturer.ilike(f"%{q}%"), DeviceType.model.ilike(f"%{q}%"), DeviceType.name.ilike(f"%{q}%"))},
    order_by=DeviceType.manufacturer,
)
crud.register(blp, DEVICE_TYPES)

DEVICES = crud.Resource(
    name="device", path="/devices", model=Device,
    schema=DeviceSchema, filter_schema=DeviceFilters,
    write_roles=("admin", "mt_manager", "manager"),
    unique=[("asset_number",)],
    references={"device_type_id": DeviceType, "department_id": Department},
    scope=_device_scope, may_write=_may_write_device,
    filter_clauses={"technology_group_id": lambda tg: Device.device_type_id.in_(
        select(DeviceType.id).where(DeviceType.technology_group_id == tg))},
    order_by=Device.asset_number,
)
crud.register(blp, DEVICES)
