"""Writes on staff accounts: login checks, creation, changes, passwords, sessions, reset links.

Every public function here is one transaction (it commits); the helpers it calls only add or
flush. Functions take plain values; a ``user`` argument may be a StaffUser or its id.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from portal.accounts import passwords, queries, securitylog, throttle, tokens
from portal.accounts.models import DIGEST_HOURS, ROLES, StaffUser
from portal.audit import trail
from portal.extensions import db
from portal.timestamps import utcnow
from portal.web.i18n import LANGS
from portal.web.urls import public_url


class AccountError(ValueError):
    """A change that cannot be made; ``str()`` is a translated explanation."""


class LoginThrottled(Exception):
    """This client has failed too often recently; it must wait before trying again."""


def _resolve(user: StaffUser | int) -> StaffUser:
    found = user if isinstance(user, StaffUser) else queries.user_by_id(user)
    if found is None:
        raise AccountError(_l("There is no such account."))
    return found


# --------------------------------------------------------------------------- login


def authenticate(email: str, password: str, client_key: str) -> StaffUser | None:
    """The active account these credentials belong to, or None for any kind of failure.

    Counts failures per account and client, per account and per client (``throttle``): a client
    that failed on an account is kept out of it for a while, a clean client is only slowed down
    while the account is under attack. Logs every attempt without the password. Raises
    LoginThrottled when the client is over its failure budget.
    """
    if throttle.client_blocked(client_key):
        securitylog.login_failed(email, client_key, "client_throttled")
        raise LoginThrottled
    now = utcnow()
    user = queries.user_by_email(email) if len(email) <= 254 else None
    if user is not None and _kept_out(user, client_key, now):
        passwords.verify_password(None, password)  # the same cost as a real check
        return _refuse(email, client_key, "account_locked", user)
    matches = passwords.verify_password(user.password_hash if user else None, password)
    if user is None:
        return _refuse(email, client_key, "unknown_email")
    if not matches:
        _count_account_failure(user, now)
        throttle.record_pair_failure(user.get_id(), client_key)
        return _refuse(email, client_key, "wrong_password", user)
    if not user.active:
        return _refuse(email, client_key, "inactive", user)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    trail.record("login.success", actor_id=user.id, target=f"staff:{user.id}", at=now)
    db.session.commit()
    securitylog.login_succeeded(user.id, email, client_key)
    return user


def _kept_out(user: StaffUser, client_key: str, now) -> bool:
    """True when this client may not try this account now; slows a clean client down instead
    while the account is under attack."""
    if throttle.pair_blocked(user.get_id(), client_key):
        return True
    if throttle.account_locked(user.locked_until, now):
        if throttle.pair_failures(user.get_id(), client_key):
            return True
        throttle.slow_down()
    return False


def _count_account_failure(user: StaffUser, now) -> None:
    # One atomic UPDATE, so concurrent failures on PostgreSQL are all counted.
    db.session.execute(
        update(StaffUser)
        .where(StaffUser.id == user.id)
        .values(failed_logins=StaffUser.failed_logins + 1)
    )
    db.session.refresh(user)
    lock = throttle.account_lock_after(user.failed_logins)
    if lock is not None:
        user.locked_until = now + lock
        securitylog.account_event("locked", None, user.id, minutes=int(lock.total_seconds() // 60))


def _refuse(email: str, client_key: str, reason: str, user: StaffUser | None = None) -> None:
    if user is not None:  # an unknown address is not recorded: it may be anyone's typo
        trail.record("login.failure", target=f"staff:{user.id}", detail=reason)
    db.session.commit()
    throttle.record_client_failure(client_key)
    securitylog.login_failed(email, client_key, reason, user.id if user else None)
    return None


def _commit_audited(event: str, actor_id: int | None, user_id: int, **fields: object) -> None:
    """Commit an account change with its audit row, then log it."""
    detail = " ".join(f"{name}={value}" for name, value in fields.items()) or None
    trail.record(f"account.{event}", actor_id=actor_id, target=f"staff:{user_id}", detail=detail)
    db.session.commit()
    securitylog.account_event(event, actor_id, user_id, **fields)


# --------------------------------------------------------------------------- accounts


def create_user(
    *,
    email: str,
    name: str,
    role: str = "staff",
    lang: str = "nb",
    password: str | None = None,
    send_link: bool = False,
    actor_id: int | None = None,
) -> StaffUser:
    """A new active account. Without a password it cannot log in until it sets one through
    the link (``send_link`` emails it now). Raises AccountError or PasswordPolicyError."""
    email = queries.normalise_email(email)
    _check_fields(name, role, lang)
    if not email or "@" not in email or len(email) > 254:
        raise AccountError(_l("Enter a valid email address."))
    if queries.user_by_email(email) is not None:
        raise AccountError(_l("An account with this email address already exists."))
    user = StaffUser(email=email, name=name.strip(), role=role, lang=lang, active=True)
    if password is not None:
        passwords.check_policy(password, email=email)
        user.password_hash = passwords.hash_password(password)
    db.session.add(user)
    db.session.flush()
    if send_link:
        _enqueue_reset_link(user, new_account=True)
    _commit_audited("created", actor_id, user.id, role=role)
    return user


def update_user(
    user: StaffUser | int, *, name: str, role: str, lang: str, active: bool, actor_id: int | None
) -> StaffUser:
    """An admin's edit. Deactivating ends the account's sessions. Raises AccountError."""
    user = _resolve(user)
    _check_fields(name, role, lang)
    _keep_an_admin(user, role, active)
    changed = {"role": role} if role != user.role else {}
    if active != user.active:
        changed["active"] = active
        if not active:
            _bump_session_version(user)
    user.name, user.role, user.lang, user.active = name.strip(), role, lang, active
    _commit_audited("updated", actor_id, user.id, **changed)
    return user


def update_profile(user: StaffUser | int, *, name: str, lang: str) -> StaffUser:
    """A staff member's own name and language. Raises AccountError."""
    user = _resolve(user)
    _check_fields(name, user.role, lang)
    user.name, user.lang = name.strip(), lang
    db.session.commit()
    return user


def update_settings(
    user: StaffUser | int, *, shortcuts: bool, digest: bool, digest_hour: int
) -> StaffUser:
    """A staff member's own keyboard shortcuts and daily digest (hour in Norwegian time).

    Raises AccountError for an hour that is not one of the day's.
    """
    user = _resolve(user)
    if digest_hour not in DIGEST_HOURS:
        raise AccountError(str(_l("Choose an hour.")))
    user.shortcuts, user.digest, user.digest_hour = shortcuts, digest, digest_hour
    db.session.commit()
    return user


def deactivate(user: StaffUser | int, *, actor_id: int | None = None) -> StaffUser:
    """Switch an account off and end its sessions. Raises AccountError for the last admin."""
    user = _resolve(user)
    _keep_an_admin(user, user.role, False)
    if user.active:
        user.active = False
        _bump_session_version(user)
    _commit_audited("deactivated", actor_id, user.id)
    return user


def end_sessions(user: StaffUser | int, *, actor_id: int | None = None) -> StaffUser:
    """End every session of ``user`` on every device (logout, or an admin's decision)."""
    user = _resolve(user)
    _bump_session_version(user)
    _commit_audited("sessions_ended", actor_id, user.id)
    return user


def _bump_session_version(user: StaffUser) -> None:
    user.session_version = StaffUser.session_version + 1  # in SQL: atomic
    db.session.flush()
    db.session.refresh(user, ["session_version"])


def _check_fields(name: str, role: str, lang: str) -> None:
    if not name.strip() or len(name.strip()) > 200:
        raise AccountError(_l("Enter a name of at most 200 characters."))
    if role not in ROLES:
        raise AccountError(_l("Choose a role."))
    if lang not in LANGS:
        raise AccountError(_l("Choose a language."))


def _keep_an_admin(user: StaffUser, role: str, active: bool) -> None:
    stays_admin = role == "admin" and active
    if user.is_admin and user.active and not stays_admin and queries.active_admin_count() <= 1:
        raise AccountError(_l("There must always be at least one active administrator."))


# --------------------------------------------------------------------------- passwords


def set_password(user: StaffUser | int, password: str, *, actor_id: int | None = None):
    """Give ``user`` a new password: ends every session, lifts a lock, kills reset links.

    Raises PasswordPolicyError (from passwords) if the password breaks the policy.
    """
    user = _resolve(user)
    _store_password(user, password)
    _commit_audited("password_set", actor_id, user.id)
    return user


def change_password(user: StaffUser | int, current: str, new: str) -> StaffUser:
    """A staff member's own change. Raises AccountError if ``current`` is wrong."""
    user = _resolve(user)
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError(_l("Your current password is not right."))
    _store_password(user, new)
    _commit_audited("password_changed", user.id, user.id)
    return user


def _store_password(user: StaffUser, password: str) -> None:
    passwords.check_policy(password, email=user.email)
    user.password_hash = passwords.hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    _bump_session_version(user)


def request_password_reset(email: str) -> None:
    """Email a reset link if ``email`` belongs to an active account; silently nothing if not.

    Either way the request does the same work (the link and its mail are made, written and
    committed; for an unknown address the message is taken out again before the commit), so
    its timing does not tell whether an account exists.
    """
    user = queries.user_by_email(email) if len(email) <= 254 else None
    known = user is not None and user.active
    # A stand-in is never added to the session: it only gives the mail a name and a token.
    target = user if known else StaffUser(id=0, email=email, name="", lang="nb", session_version=1)
    message = _enqueue_reset_link(target, new_account=False)
    if not known:
        db.session.delete(message)
    db.session.commit()
    if known:
        securitylog.account_event("reset_requested", None, user.id)
    else:
        securitylog.account_event("reset_requested_unknown", None, 0, email=email)


def send_reset_link(user: StaffUser | int, *, actor_id: int | None = None) -> StaffUser:
    """An admin sends ``user`` a link to choose a new password. Raises AccountError."""
    user = _resolve(user)
    if not user.active:
        raise AccountError(_l("This account is deactivated."))
    _enqueue_reset_link(user, new_account=user.password_hash is None)
    _commit_audited("reset_sent", actor_id, user.id)
    return user


def reset_password(token: str, password: str) -> StaffUser | None:
    """Use a reset link: the new password for its account, or None if the link is not valid.

    Raises PasswordPolicyError if the password breaks the policy (the link stays valid).
    """
    user = tokens.user_for_reset_token(token)
    if user is None:
        return None
    _store_password(user, password)
    _commit_audited("password_reset", user.id, user.id)
    return user


def _enqueue_reset_link(user: StaffUser, *, new_account: bool):
    from portal.outbox.queueing import enqueue

    context = {
        "name": user.first_name,
        "reset_url": public_url("accounts.reset", token=tokens.make_reset_token(user)),
        "minutes": tokens.MAX_AGE_SECONDS // 60,
        "new_account": new_account,
    }
    return enqueue(
        kind="password_reset",
        to=user.email,
        template="password_reset",
        lang=user.lang,
        context=context,
    )
