"""The unbound Flask extensions, shared by every feature package."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from flask import current_app, request
from flask_babel import Babel
from flask_caching import Cache
from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names, so migrations can alter them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def client_network(address: str | None) -> str:
    """The unit a client is counted by: an IPv4 address, or an IPv6 address's /64.

    One IPv6 subscriber is usually given a whole /64, so counting single addresses would let
    them step past every limit by changing the last 64 bits.
    """
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_key() -> str:
    """Rate-limit key: the client's address or IPv6 /64 (after ProxyFix), keyed-hashed so stores
    hold no IP."""
    network = client_network(request.remote_addr).encode()
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, network, hashlib.sha256).hexdigest()[:32]


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
csrf = CSRFProtect()
mail = Mail()
babel = Babel()
login_manager = LoginManager()
limiter = Limiter(key_func=client_key, key_prefix="sesam")
htmx = HTMX()
compress = Compress()
cache = Cache()  # configured in portal.config; what it holds: portal.web.caching
